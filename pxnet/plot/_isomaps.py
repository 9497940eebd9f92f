"""Isochrone maps: the bands of one scenario, and two scenarios compared (overlaid or side by side)."""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import networkx as nx
import numpy as np
import pandas as pd

from .. import vocabulary
from ..errors import PxnetError
from ..geo import METRIC_CRS, WGS84
from ..network import Network, bundled_network, load_network
from ..routing import spelled_out
from ..scenario import Scenario, ScenarioArg, get_scenario
from ._base import (
    _LABEL_RANK,
    PlotError,
    _bounds_of,
    _finish_axes,
    _graph_crs,
    _in_bounds,
    _map_crs,
    _network_crs,
    _new_axes,
    _node_xy,
    _project,
    _short,
    _use_crs,
)
from ._fonts import register_cjk_font
from ._furniture import _boundaries, _map_frame, _place_labels, _title
from ._layers import _draw_graph, _draw_links, _label_items, _legend_network, _points
from ._style import DifferenceOptions, DifferenceStyle, IsochroneOptions, IsochroneStyle, map_style

if TYPE_CHECKING:
    from typing import Unpack

    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_isochrones", "plot_scenario_difference"]


def _underlay_source(gdf: pd.DataFrame, network: Any) -> tuple[Scenario | None, nx.Graph | None, Network | None]:
    if isinstance(network, nx.Graph):
        return None, network, None
    if isinstance(network, Scenario):
        return network, None, network.network
    if isinstance(network, Network):
        return get_scenario(gdf.attrs.get("scenario"), network=network), None, network
    where = gdf.attrs.get("network")
    if where in (None, "graph"):
        return None, None, None
    try:
        net = bundled_network() if where == "bundled" else load_network(where, warn=False)
        return get_scenario(gdf.attrs.get("scenario"), network=net), None, net
    except PxnetError:
        return None, None, None


def _band_colors(n: int, cmap: str) -> list[Any]:
    import matplotlib

    colormap = matplotlib.colormaps[cmap]
    return [colormap(v) for v in np.linspace(0.85, 0.3, n)] if n > 1 else [colormap(0.7)]


def _origin_label(gdf: pd.DataFrame, net: Network | None, *, column: str = "name_zh") -> str:
    origins = gdf.attrs.get("origins", [])
    names = []
    for o in origins:
        if net is not None and o in net.nodes.index:
            names.append(_short(net.nodes.at[o, column]))
        else:
            names.append(str(o))
    sep = "、" if column == "name_zh" else ", "
    more = f" 等 {len(names)} 处" if column == "name_zh" else f" and {len(names) - 3} more"
    return sep.join(names) if len(names) <= 3 else sep.join(names[:3]) + more


def _map_crs_for(ax: Axes, gdf: pd.DataFrame, net: Network | None, graph: nx.Graph | None) -> str:
    # A pxnet network's maps are in its metric CRS; a user's graph's in its own metric CRS or local UTM zone.
    if net is not None:
        crs = _network_crs(net)
    else:
        from geopandas import GeoSeries

        outer = GeoSeries(gdf.geometry.to_numpy(), crs=gdf.crs).to_crs(WGS84)
        outer = outer[~outer.is_empty]
        points = np.array(gdf.attrs.get("origin_points") or [], dtype=float).reshape(-1, 2)
        if len(outer):
            x0, y0, x1, y1 = outer.total_bounds
            lon, lat = (x0 + x1) / 2, (y0 + y1) / 2
        elif len(points):
            lon, lat = float(points[:, 0].mean()), float(points[:, 1].mean())
        else:
            raise PlotError("the isochrones are empty and have no origin to show")
        own = graph.graph.get("crs") if graph is not None else None
        crs = _graph_crs(float(lon), float(lat), str(own) if own else METRIC_CRS)
    _use_crs(ax, crs)
    return crs


def _draw_bands(ax: Axes, metric: Any, bands: pd.DataFrame, colors: list[Any]) -> list[Any]:
    # The bands, longest first so shorter ones lie on top; returns their legend patches, shortest first.
    import matplotlib.patches as mpatches
    from geopandas import GeoSeries

    for geom, color in zip(metric[::-1], colors[::-1], strict=True):
        if not geom.is_empty:
            GeoSeries([geom], crs=_map_crs(ax)).plot(
                ax=ax, facecolor=color, edgecolor="#333333", linewidth=0.5, alpha=0.7, zorder=1
            )
    handles: list[Any] = []
    people = bands["population"] if "population" in bands else [math.nan] * len(bands)
    for color, minutes, area, persons in zip(colors, bands["minutes"], bands["area_km2"], people, strict=True):
        reach = f", {persons / 1e6:,.1f} M 人" if persons == persons and persons > 0 else ""
        label = f"≤ {minutes:g} min ({area:,.0f} km²{reach})"
        handles.append(mpatches.Patch(facecolor=color, edgecolor="#333333", alpha=0.7, label=label))
    return handles


#: How the bands' ``population`` was counted when ``attrs["population_method"]`` does not say.
_PLACES_METHOD = "census of the places reached"


def _legend_title(gdf: pd.DataFrame) -> str:
    # The legend names how the people in each band were counted.
    if "population" not in gdf or not (gdf["population"].fillna(0) > 0).any():
        return "出行时间 travel time"
    method = str(gdf.attrs.get("population_method") or _PLACES_METHOD)
    return f"出行时间 travel time\n人口 people: {method}"


def _draw_origins(ax: Axes, gdf: gpd.GeoDataFrame, handles: list[Any]) -> tuple[Any, Any] | None:
    # The origin (or destination) stars, with a legend entry; their projected x and y, or None if there is none.
    points = np.array(gdf.attrs.get("origin_points") or [], dtype=float).reshape(-1, 2)
    if not len(points):
        return None
    ox, oy = _project(points[:, 0], points[:, 1], dst=_map_crs(ax))
    ax.scatter(ox, oy, marker="*", s=180, color="#e31a1c", edgecolor="white", linewidth=0.8, zorder=18)
    handles.append(
        ax.scatter(
            [],
            [],
            marker="*",
            s=120,
            color="#e31a1c",
            label="目的地 destination" if gdf.attrs.get("to") else "出发地 origin",
        )
    )
    return ox, oy


def _isochrone_bounds(metric: Any, origin_xy: tuple[Any, Any] | None) -> tuple[float, float, float, float]:
    # The view: the non-empty bands, else the origins alone.
    outer = metric[~metric.is_empty]
    if len(outer):
        b = outer.total_bounds
        return (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
    if origin_xy is not None:
        return _bounds_of(*origin_xy)
    raise PlotError("the isochrones are empty and have no origin to show")


def _shown_nodes(
    ax: Axes, net: Network, scenario: Scenario | None, bounds: tuple[float, float, float, float]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    # The nodes in view (those on the scenario's links, if any), drawn as points; with the node coordinates.
    xy = _node_xy(net)
    inside = _in_bounds(xy, bounds)
    shown = net.nodes[inside.to_numpy()]
    if scenario is not None:
        used = set(scenario.links["from"]) | set(scenario.links["to"])
        shown = shown[shown.index.isin(used)]
    _points(ax, shown[shown["kind"].isin(_LABEL_RANK)], xy, scale=0.8)
    return shown, xy


def _isochrone_title(gdf: gpd.GeoDataFrame, net: Network | None) -> str:
    # The default heading: origins (or destinations), direction and mode, in Chinese and English.
    a = gdf.attrs
    direction = "到达" if a.get("to") else "出发"
    return (
        f"{_origin_label(gdf, net)} {direction}等时圈 · isochrones "
        f"{'to' if a.get('to') else 'from'} {_origin_label(gdf, net, column='name_en')} ({a.get('mode', '?')})"
    )


def _band_legend(ax: Axes, handles: list[Any], title: str, drawn: set[tuple[str, str]]) -> None:
    """Draw the legend of the bands (upper left) and, if links were drawn, the legend of their modes."""
    legend = ax.legend(handles=handles, loc="upper left", fontsize=8, framealpha=0.9, title=title, title_fontsize=8)
    legend.set_zorder(25)
    if drawn:
        # The mode legend sits above the attribution line.
        _legend_network(ax, drawn, loc="lower right", primary=False, anchor=(1.0, 0.0))


@spelled_out(IsochroneOptions, IsochroneStyle)
def plot_isochrones(
    gdf: gpd.GeoDataFrame,
    *,
    ax: Axes | None = None,
    network: Scenario | Network | nx.Graph | None = None,
    **style: Unpack[IsochroneOptions],
) -> Axes:
    """Map isochrone bands (from :func:`pxnet.isochrones`) with the origin and the network underneath.

    Parameters
    ----------
    gdf
        The bands, as returned by :func:`pxnet.isochrones` (its ``attrs`` name the scenario).
    ax
        Axes to draw on (default: a new figure).
    network_underlay
        Draw the network under the bands.
    network
        What to draw underneath: a Scenario, Network or networkx graph; default the scenario the bands were
        computed on (bundled network or data folder; a graph must be passed here).
    labels
        Label places and stations in view (overlapping labels are left out).
    boundaries
        As in :func:`~pxnet.plot.plot_network`.
    cmap
        Matplotlib colormap for the bands (the shortest band gets the darkest colour).
    title
        Heading (default from the origins, mode and direction); scenario and data date are added below.
    figsize
        Size of a new figure, inches.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pxnet.plot
    >>> from pxnet.routing import isochrones
    >>> gdf = isochrones("萍乡北", bands=(30, 60), mode="hsr", scenario=2025)
    >>> ax = pxnet.plot.plot_isochrones(gdf)
    >>> [t.get_text() for t in ax.get_legend().get_texts()][0].startswith("≤ 30 min")
    True
    """
    from geopandas import GeoSeries

    look = map_style(style, IsochroneOptions, IsochroneStyle, function="plot_isochrones")
    if len(gdf) == 0:
        raise PlotError("no isochrone bands to plot")
    ax = _new_axes(ax, look.figsize or (8.0, 8.5))
    underlay, labels = look.network_underlay, look.labels
    scenario, graph, net = _underlay_source(gdf, network) if underlay or labels else (None, None, None)
    bands = gdf.sort_values("minutes")
    crs = _map_crs_for(ax, gdf, net, graph if graph is not None else network if isinstance(network, nx.Graph) else None)
    metric = GeoSeries(bands.geometry.to_numpy(), crs=gdf.crs).to_crs(crs)
    handles = _draw_bands(ax, metric, bands, _band_colors(len(bands), look.cmap))
    note = _boundaries(ax, look.boundaries)
    drawn: set[tuple[str, str]] = set()
    if underlay and scenario is not None and net is not None:
        drawn = _draw_links(ax, scenario.links, _node_xy(net), alpha=0.55, width_scale=0.7, by_status=False)
    elif underlay and graph is not None:
        _draw_graph(ax, graph)
    origin_xy = _draw_origins(ax, gdf, handles)
    bounds = _isochrone_bounds(metric, origin_xy)
    shown, xy = _shown_nodes(ax, net, scenario, bounds) if net is not None else (None, None)
    _finish_axes(ax, bounds, pad=0.03)
    _band_legend(ax, handles, _legend_title(gdf), drawn)
    a = gdf.attrs
    head = look.title or _isochrone_title(gdf, net)
    _title(ax, head, a.get("scenario"), str(a.get("data_date", "unknown")))
    last_mile = f"last mile {a.get('last_mile_kph', '?'):g} km/h straight line" if "last_mile_kph" in a else ""
    _map_frame(ax, net, last_mile, note)
    if labels and shown is not None and xy is not None:
        _place_labels(ax, _label_items(shown, xy))
    return ax


def _compared_isochrones(
    pair: tuple[Scenario | ScenarioArg | gpd.GeoDataFrame, Scenario | ScenarioArg | gpd.GeoDataFrame],
    *,
    origins: Hashable | Sequence[Hashable] | None,
    bands: tuple[float, ...],
    mode: str,
    to: bool,
    network: Network | None,
) -> list[gpd.GeoDataFrame]:
    """Return the isochrones of the two sides of a scenario difference: given as they are, else computed."""
    from ..routing import isochrones

    gdfs = []
    for which in pair:
        if isinstance(which, pd.DataFrame):
            gdfs.append(which)
        else:
            if origins is None:
                raise PlotError("give origins= when comparing scenarios")
            sc = which if isinstance(which, Scenario) else get_scenario(which, network=network)
            gdfs.append(isochrones(origins, bands=bands, mode=mode, scenario=sc, to=to))
    return gdfs


def _band_split(ga: pd.DataFrame, gb: pd.DataFrame, band: float, crs: Any) -> BandSplit:
    """Return the ``band``-minute band of ``ga`` and of ``gb`` in ``crs``, to split into what ``gb`` gains and loses."""
    from geopandas import GeoSeries

    def pick(g: pd.DataFrame) -> Any:
        row = g[g["minutes"] == float(band)]
        if row.empty:
            raise PlotError(f"no {band:g}-minute band in the isochrones; bands: {g['minutes'].tolist()}")
        return GeoSeries(row.geometry.to_numpy(), crs=g.crs).to_crs(crs).iloc[0]

    return BandSplit(pick(ga), pick(gb))


# -- scenario differences -----------------------------------------------------------------------
@spelled_out(DifferenceOptions, DifferenceStyle)
def plot_scenario_difference(
    a: Scenario | ScenarioArg | gpd.GeoDataFrame,
    b: Scenario | ScenarioArg | gpd.GeoDataFrame,
    *,
    origins: Hashable | Sequence[Hashable] | None = None,
    band: float = 180.0,
    mode: str = vocabulary.DEFAULT_TRIP_MODE,
    to: bool = False,
    layout: str = "overlay",
    network: Network | None = None,
    **style: Unpack[DifferenceOptions],
) -> Figure:
    """Compare two scenarios' isochrones: overlaid (gained, lost, common area) or side by side.

    Parameters
    ----------
    a, b
        Two scenarios (Scenario, name or year) — then ``origins`` is required — or two isochrone
        GeoDataFrames already computed.
    origins
        Place(s) for the isochrones when ``a`` and ``b`` are scenarios.
    band
        Overlay: the band compared (minutes); side by side: the largest band drawn (bands 1/3, 2/3, 3/3 of it).
    mode, to
        As in :func:`pxnet.isochrones`.
    layout
        ``"overlay"`` (one map: common area, area gained in ``b``, area lost) or ``"side_by_side"``.
    network
        The network the scenarios (or the isochrones' scenarios) belong to (default: the bundled one, or the
        one the isochrones name).
    labels
        Label places in view.
    boundaries
        As in :func:`~pxnet.plot.plot_network`.
    figsize
        Size of the figure, inches.

    Returns
    -------
    matplotlib.figure.Figure
        One axes (overlay) or two (side by side).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pxnet.plot
    >>> fig = pxnet.plot.plot_scenario_difference("as-built-2019", "plan-2025", origins="萍乡", band=120)
    >>> len(fig.axes)
    1
    """
    look = map_style(style, DifferenceOptions, DifferenceStyle, function="plot_scenario_difference")
    labels, boundaries, figsize = look.labels, look.boundaries, look.figsize
    if layout not in ("overlay", "side_by_side"):
        raise PlotError("layout must be 'overlay' or 'side_by_side'")
    bands = (band,) if layout == "overlay" else (band / 3, 2 * band / 3, band)
    gdfs = _compared_isochrones((a, b), origins=origins, bands=bands, mode=mode, to=to, network=network)
    register_cjk_font()
    import matplotlib.pyplot as plt

    if layout == "side_by_side":
        fig, axes = plt.subplots(1, 2, figsize=figsize or (14.0, 8.0), layout="constrained")
        for ax, g in zip(axes, gdfs, strict=True):
            plot_isochrones(g, ax=ax, labels=labels, boundaries=boundaries, network=network)
        # Same extent on both maps, so that the areas compare by eye.
        xs = [lim for ax in axes for lim in ax.get_xlim()]
        ys = [lim for ax in axes for lim in ax.get_ylim()]
        for ax in axes:
            ax.set_xlim(min(xs), max(xs))
            ax.set_ylim(min(ys), max(ys))
        return fig
    fig, ax = plt.subplots(figsize=figsize or (8.0, 8.5), layout="constrained")
    _overlay(ax, gdfs[0], gdfs[1], band, labels=labels, boundaries=boundaries, network=network)
    return fig


def _overlay(
    ax: Axes,
    ga: pd.DataFrame,
    gb: pd.DataFrame,
    band: float,
    *,
    labels: bool,
    boundaries: bool | gpd.GeoDataFrame,
    network: Network | None,
) -> None:
    import matplotlib.patches as mpatches
    from geopandas import GeoSeries

    scenario_b, _, net = _underlay_source(gb, network)
    crs = _map_crs_for(ax, gb, net, None)
    split = _band_split(ga, gb, band, crs)
    parts = [
        (split.both, "#bdbdbd", "两者皆可达 reached in both"),
        (split.gained, "#1a9641", f"新增 gained in {gb.attrs.get('scenario')}"),
        (split.lost, "#d7191c", f"减少 lost in {gb.attrs.get('scenario')}"),
    ]
    handles: list[Any] = []
    for geom, color, label in parts:
        area = geom.area / 1e6
        if not geom.is_empty:
            GeoSeries([geom], crs=crs).plot(ax=ax, facecolor=color, edgecolor="none", alpha=0.65, zorder=1)
        handles.append(mpatches.Patch(facecolor=color, alpha=0.65, label=f"{label} ({area:,.0f} km²)"))
    note = _boundaries(ax, boundaries)
    xy = _node_xy(net) if net is not None else None
    drawn: set[tuple[str, str]] = set()
    if scenario_b is not None and xy is not None:
        # Every link of the scenario is in service on its date: drawn solid, whatever its status on the data date.
        drawn = _draw_links(ax, scenario_b.links, xy, alpha=0.5, width_scale=0.7, by_status=False)
    points = np.array(gb.attrs.get("origin_points") or [], dtype=float).reshape(-1, 2)
    if len(points):
        ox, oy = _project(points[:, 0], points[:, 1], dst=crs)
        ax.scatter(ox, oy, marker="*", s=180, color="#e31a1c", edgecolor="white", linewidth=0.8, zorder=18)
    union = split.a.union(split.b)
    if union.is_empty:
        raise PlotError("both isochrones are empty")
    bounds = tuple(float(v) for v in union.bounds)
    shown = None
    if net is not None and xy is not None:
        shown = net.nodes[_in_bounds(xy, bounds).to_numpy()]  # type: ignore[arg-type]
        if scenario_b is not None:
            used = set(scenario_b.links["from"]) | set(scenario_b.links["to"])
            shown = shown[shown.index.isin(used)]
        _points(ax, shown[shown["kind"].isin(_LABEL_RANK)], xy, scale=0.8)
    _finish_axes(ax, bounds, pad=0.03)  # type: ignore[arg-type]
    _band_legend(ax, handles, f"{band:g} 分钟可达范围 area within {band:g} min", drawn)
    direction = "到达" if gb.attrs.get("to") else "出发"
    head = (
        f"{_origin_label(gb, net)} {direction} {band:g} 分钟等时圈对比 · "
        f"{ga.attrs.get('scenario')} → {gb.attrs.get('scenario')} ({gb.attrs.get('mode')})"
    )
    _title(ax, head, f"{ga.attrs.get('scenario')} vs {gb.attrs.get('scenario')}", str(gb.attrs.get("data_date")))
    extra = f"last mile {gb.attrs.get('last_mile_kph', 0):g} km/h straight line"
    _map_frame(ax, net, extra, note, sep=" · ")
    if labels and shown is not None and xy is not None:
        _place_labels(ax, _label_items(shown, xy))


class BandSplit(NamedTuple):
    """One isochrone band of two scenarios (``a``, ``b``: the areas reached, in one metric CRS), and its parts."""

    a: Any
    b: Any

    @property
    def both(self) -> Any:
        """The area reached in both."""
        return self.a.intersection(self.b)

    @property
    def gained(self) -> Any:
        """The area reached in ``b`` only."""
        return self.b.difference(self.a)

    @property
    def lost(self) -> Any:
        """The area reached in ``a`` only."""
        return self.a.difference(self.b)
