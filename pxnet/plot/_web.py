"""Interactive web maps with folium: isochrone bands and the network as switchable layers with tooltips.

folium writes an HTML page that loads Leaflet (and the base map tiles) from public CDNs: the page needs an
internet connection to show anything. Offline, its scripts do not load and the page stays blank; the
data are in the HTML all the same (GeoJSON), so use the GeoPackage or static maps (:mod:`pxnet.plot`) there.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..geo import WGS84
from ..io import atomic_path
from ..network import Network, links_gdf, nodes_gdf
from ..scenario import Scenario, ScenarioArg, get_scenario

if TYPE_CHECKING:
    import folium
    import geopandas as gpd

__all__ = ["explore_isochrones", "explore_network", "save_html"]

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


def _new_map(bounds: tuple[float, float, float, float], tiles: str | None, m: folium.Map | None) -> folium.Map:
    import folium

    if m is not None:
        return m
    lon0, lat0, lon1, lat1 = bounds
    new = folium.Map(location=[(lat0 + lat1) / 2, (lon0 + lon1) / 2], tiles=tiles, control_scale=True)
    new.fit_bounds([[lat0, lon0], [lat1, lon1]])
    return new


def _attribute(m: folium.Map, extra: str = "") -> None:
    """Add pxnet's data attribution to the map's attribution control (beside the tiles' own)."""
    from branca.element import Element

    text = _ATTRIBUTION + (f"; {extra}" if extra else "")
    script = f"{m.get_name()}.attributionControl.addAttribution({text!r});"
    m.get_root().script.add_child(Element(script))  # type: ignore[attr-defined]


def _network_layers(m: folium.Map, links: pd.DataFrame, net: Network, *, show: bool = True) -> None:
    import folium

    gdf = links_gdf(links, net.nodes)
    names = net.nodes["name_zh"]
    gdf["from_name"] = gdf["from"].map(names)
    gdf["to_name"] = gdf["to"].map(names)
    gdf["length_km"] = gdf["length_km"].astype(float).round(1)
    keep = ["id", "line", "mode", "status", "from_name", "to_name", "length_km", "geometry"]
    for mode, label in _MODE_LABELS.items():
        part = gdf.loc[gdf["mode"] == mode, keep]
        if part.empty:
            continue
        part = part.assign(line=part["line"].fillna("").astype(str))
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
                fields=["line", "from_name", "to_name", "mode", "status", "length_km"],
                aliases=["线路 line", "自 from", "至 to", "方式 mode", "状态 status", "长度 km"],
            ),
        ).add_to(m)


def _node_layer(m: folium.Map, nodes: pd.DataFrame, name: str, color: str, radius: float) -> None:
    import folium

    if nodes.empty:
        return
    gdf = nodes_gdf(nodes)[["name_zh", "name_en", "kind", "geometry"]]
    folium.GeoJson(
        gdf,
        name=name,
        marker=folium.CircleMarker(radius=radius, color=color, fill=True, fill_color="white", fill_opacity=1, weight=2),
        tooltip=folium.GeoJsonTooltip(fields=["name_zh", "name_en", "kind"], aliases=["名称", "name", "kind"]),
    ).add_to(m)


def explore_network(
    scenario_or_network: Scenario | Network | ScenarioArg = None,
    *,
    m: folium.Map | None = None,
    tiles: str | None = "OpenStreetMap",
) -> folium.Map:
    """An interactive map of the network: one layer per link mode, places and stations, with tooltips.

    Parameters
    ----------
    scenario_or_network
        A :class:`~pxnet.Scenario`, scenario name or year (its links), or a :class:`~pxnet.Network` (every
        link); ``None`` is the bundled network as built today. Dashed lines: under construction or planned.
    m
        A folium map to add the layers to (default: a new one).
    tiles
        Base map tiles (folium name) or ``None`` for none. Tiles and Leaflet load from the internet.

    Returns
    -------
    folium.Map
        With a layer control.

    Examples
    --------
    >>> import pxnet.plot as pi
    >>> html = pi.explore_network("plan-2025", tiles=None).get_root().render()
    >>> "L.control.layers" in html and "bindTooltip" in html
    True
    """
    import folium

    if isinstance(scenario_or_network, Network):
        net, links, label = scenario_or_network, scenario_or_network.links, "all links"
    else:
        sc = scenario_or_network if isinstance(scenario_or_network, Scenario) else get_scenario(scenario_or_network)
        net, links, label = sc.network, sc.links, sc.name
    used = pd.unique(pd.concat([links["from"], links["to"]]))
    nodes = net.nodes.loc[used]
    bounds = (nodes["lon"].min(), nodes["lat"].min(), nodes["lon"].max(), nodes["lat"].max())
    m = _new_map(bounds, tiles, m)
    _network_layers(m, links, net)
    _node_layer(m, nodes[nodes["kind"].isin(["city", "county_seat", "scenic"])], "地点 places", "#222222", 5)
    _node_layer(m, nodes[nodes["kind"].isin(["hsr_station", "rail_station"])], "车站 stations", "#d7191c", 4)
    folium.LayerControl(collapsed=False).add_to(m)
    _attribute(m, f"scenario {label}, data date {net.data_date}")
    return m


def explore_isochrones(
    gdf: gpd.GeoDataFrame,
    *,
    m: folium.Map | None = None,
    network_underlay: bool = True,
    network: Scenario | Network | None = None,
    cmap: str = "YlGnBu",
    tiles: str | None = "OpenStreetMap",
) -> folium.Map:
    """An interactive map of isochrone bands: each band a layer, tooltips with minutes and area.

    Parameters
    ----------
    gdf
        Bands from :func:`pxnet.isochrones`.
    m
        A folium map to add the layers to (default: a new one).
    network_underlay
        Add the scenario's network as layers (hidden at first; switch them on in the layer control).
    network
        The scenario or network to draw underneath (default: the one the bands were computed on, when it is
        the bundled network or a data folder).
    cmap
        Matplotlib colormap for the bands (the shortest band darkest).
    tiles
        Base map tiles (folium name) or ``None``. Tiles and Leaflet load from the internet.

    Returns
    -------
    folium.Map

    Examples
    --------
    >>> import pxnet.plot as pi
    >>> from pxnet.routing import isochrones
    >>> gdf = isochrones("萍乡北", bands=(60, 120), mode="hsr", scenario=2025)
    >>> html = pi.explore_isochrones(gdf, tiles=None).get_root().render()
    >>> "L.control.layers" in html and html.count("bindTooltip") >= 2
    True
    """
    import folium
    import matplotlib
    from matplotlib.colors import to_hex

    from ._isomaps import _underlay_source

    bands = gdf.sort_values("minutes")
    nonempty = bands[~bands.geometry.is_empty]
    points = np.array(gdf.attrs.get("origin_points") or [], dtype=float).reshape(-1, 2)
    if len(nonempty):
        b = nonempty.to_crs(WGS84).total_bounds
        bounds = (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
    elif len(points):
        bounds = (points[:, 0].min(), points[:, 1].min(), points[:, 0].max(), points[:, 1].max())
    else:
        bounds = (113.5, 27.3, 114.3, 28.0)
    m = _new_map(bounds, tiles, m)
    colormap = matplotlib.colormaps[cmap]
    levels = np.linspace(0.85, 0.3, len(bands)) if len(bands) > 1 else np.array([0.7])
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
    scenario, _, net = _underlay_source(gdf, network)
    if network_underlay and scenario is not None and net is not None:
        _network_layers(m, scenario.links, net, show=False)
    origin_names = _names(gdf.attrs.get("origins", []), net)
    label = "目的地 destination" if gdf.attrs.get("to") else "出发地 origin"
    group = folium.FeatureGroup(name=label)
    for (lon, lat), name in zip(points, origin_names or [""] * len(points), strict=False):
        folium.Marker([lat, lon], tooltip=f"{label}: {name}".strip()).add_to(group)
    group.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    _attribute(
        m,
        f"scenario {gdf.attrs.get('scenario')}, data date {gdf.attrs.get('data_date')}, "
        f"last mile {gdf.attrs.get('last_mile_kph', float('nan')):g} km/h",
    )
    return m


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

    The page loads Leaflet and tiles from CDNs when opened: it needs an internet connection to display.

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
    >>> out = pi.save_html(pi.explore_network(tiles=None), pathlib.Path(tempfile.mkdtemp()) / "net.html")
    >>> out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    True
    """
    with atomic_path(path) as tmp:
        m.save(str(tmp))
    return Path(path)
