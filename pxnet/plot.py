"""Static maps with matplotlib: the network, isochrones, scenario differences and travel times.

Every map is drawn in the project's metric CRS (:data:`pxnet.geo.METRIC_CRS`, UTM 49N) so that distances are
true, and carries a title with the scenario and data date, a legend, a scale bar, a north arrow and an
attribution line. Chinese labels use Noto Sans CJK (:func:`pxnet.fonts.register_cjk_font`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from ._errors import PxnetError
from .fonts import register_cjk_font
from .geo import METRIC_CRS, WGS84
from .network import Network, bundled_network, load_network
from .scenario import Scenario, ScenarioArg, get_scenario

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "MODE_STYLES",
    "STATUS_STYLES",
    "plot_isochrones",
    "plot_network",
    "plot_scenario_difference",
    "plot_travel_times",
    "root_figure",
]


@dataclass(frozen=True)
class ModeStyle:
    """How a link mode is drawn."""

    label: str
    color: str
    width: float
    zorder: int


#: Colour, width and legend label of each link mode.
MODE_STYLES: dict[str, ModeStyle] = {
    "hsr": ModeStyle("高铁 HSR", "#d7191c", 2.4, 6),
    "rail": ModeStyle("普速铁路 rail", "#7b3294", 1.6, 5),
    "freight_rail": ModeStyle("货运铁路 freight rail", "#8c510a", 1.4, 5),
    "expressway": ModeStyle("高速公路 expressway", "#1a9641", 1.6, 4),
    "national_road": ModeStyle("国道 national road", "#fdae61", 1.3, 3),
    "provincial_road": ModeStyle("省道 provincial road", "#e6c229", 1.1, 3),
    "local_road": ModeStyle("地方道路 local road", "#999999", 1.0, 2),
    "access": ModeStyle("集散道路 access road", "#bbbbbb", 0.9, 2),
    "air": ModeStyle("航空 air", "#2c7bb6", 0.9, 1),
}
#: Line style and legend label of each link status (as of the data date).
STATUS_STYLES: dict[str, tuple[Any, str]] = {
    "existing": ("-", "现状 existing"),
    "under_construction": ((0, (6, 2.5)), "在建 under construction"),
    "planned": ((0, (2.5, 2)), "规划 planned"),
    "proposed": ((0, (1, 2)), "拟议 proposed"),
}
# Which nodes get a label, most important first.
_LABEL_RANK = {"city": 0, "county_seat": 1, "hsr_station": 2, "scenic": 3, "rail_station": 4, "airport": 5}
_BRACKETS = re.compile(r"\s*[(（][^()（）]*[)）]")
_ATTRIBUTION = "数据 data: pxnet bundled data, sources in docs/data.md"


class PlotError(PxnetError, ValueError):
    """A map cannot be drawn from what was given (e.g. an empty travel-time table)."""


# -- coordinates --------------------------------------------------------------------------------
def _project(lon: Any, lat: Any, crs: str = WGS84) -> tuple[np.ndarray, np.ndarray]:
    from pyproj import Transformer

    tr = Transformer.from_crs(crs, METRIC_CRS, always_xy=True)
    x, y = tr.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.atleast_1d(np.asarray(x, dtype=float)), np.atleast_1d(np.asarray(y, dtype=float))


def _short(name: str) -> str:
    """A map label: the Chinese name without its bracketed remark (萍乡市（市中心/安源区） → 萍乡市)."""
    return _BRACKETS.sub("", str(name)).strip() or str(name)


def _node_xy(net: Network) -> pd.DataFrame:
    cached = net.cache.get(("plot", "node_xy"))
    if cached is None:
        x, y = _project(net.nodes["lon"], net.nodes["lat"])
        cached = pd.DataFrame({"x": x, "y": y}, index=net.nodes.index)
        net.cache[("plot", "node_xy")] = cached
    return cached


def _as_scenario(which: Scenario | Network | ScenarioArg) -> tuple[Scenario | None, Network]:
    if isinstance(which, Scenario):
        return which, which.network
    if isinstance(which, Network):
        return None, which
    sc = get_scenario(which)
    return sc, sc.network


# -- map furniture ------------------------------------------------------------------------------
def root_figure(ax: Axes) -> Figure:
    """The top-level Figure an Axes is drawn in (also through subfigures).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> root_figure(ax) is fig
    True
    """
    from matplotlib.figure import Figure

    fig: Any = ax.figure
    while not isinstance(fig, Figure):
        fig = fig.figure
    return fig


def _new_axes(ax: Axes | None, figsize: tuple[float, float]) -> Axes:
    register_cjk_font()
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    _, new = plt.subplots(figsize=figsize, layout="constrained")
    return new


def _finish_axes(ax: Axes, bounds: tuple[float, float, float, float], *, pad: float = 0.06) -> None:
    """Fix the extent (metres) with equal aspect, hide the metre ticks, and settle the layout."""
    x0, y0, x1, y1 = bounds
    dx, dy = max(x1 - x0, 2000.0), max(y1 - y0, 2000.0)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    dx, dy = dx * (1 + 2 * pad), dy * (1 + 2 * pad)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.set_aspect("auto")  # undo geopandas' aspect, which would shrink the axes to the polygons' shape
    ax.set_facecolor("#f7f7f4")
    fig = root_figure(ax)
    fig.draw_without_rendering()  # settle the layout, then widen the extent to the axes' shape
    box = ax.get_window_extent()
    ratio = box.height / max(box.width, 1.0)
    if dy / dx < ratio:
        dy = dx * ratio
    else:
        dx = dy / ratio
    ax.set_xlim(cx - dx / 2, cx + dx / 2)
    ax.set_ylim(cy - dy / 2, cy + dy / 2)
    ax.set_aspect("equal", adjustable="box")
    fig.draw_without_rendering()


def _nice_length(max_m: float) -> float:
    exp = 10 ** math.floor(math.log10(max_m))
    for step in (5, 2, 1):
        if step * exp <= max_m:
            return float(step * exp)
    return float(exp)


def _scale_bar(ax: Axes) -> None:
    """A scale bar of a round length, about a fifth of the map width (UTM 49N scale error < 0.3 % here)."""
    from matplotlib.font_manager import FontProperties
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    x0, x1 = ax.get_xlim()
    length = _nice_length((x1 - x0) / 5)
    label = f"{length / 1000:g} km"
    bar = AnchoredSizeBar(
        ax.transData,
        length,
        label,
        loc="lower left",
        pad=0.5,
        borderpad=0.6,
        sep=3,
        frameon=True,
        size_vertical=(ax.get_ylim()[1] - ax.get_ylim()[0]) / 250,
        fontproperties=FontProperties(size=8),
    )
    bar.patch.set_alpha(0.8)
    bar.patch.set_edgecolor("none")
    ax.add_artist(bar)


def _north_arrow(ax: Axes) -> None:
    """An arrow to north; UTM 49N grid north is within 2.5° of true north over the corridor."""
    ax.annotate(
        "N",
        xy=(0.965, 0.975),
        xytext=(0.965, 0.905),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=10,
        fontweight="bold",
        fontfamily="DejaVu Sans",
        bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.8, "edgecolor": "none"},
        arrowprops={"arrowstyle": "-|>", "facecolor": "black", "lw": 1.2, "mutation_scale": 14},
        zorder=20,
    )


def _attribution(ax: Axes, net: Network | None, extra: str = "") -> None:
    if net is None:
        text = "数据 data: user graph"
    elif net is bundled_network() or net.folder == bundled_network().folder:
        text = _ATTRIBUTION
    else:
        text = f"数据 data: {net.folder.name} (pxnet format)"
    text += " · EPSG:32649"
    if extra:
        text += f" · {extra}"
    ax.annotate(
        text,
        xy=(0.995, 0.005),
        xycoords="axes fraction",
        ha="right",
        va="bottom",
        fontsize=6.5,
        color="#444444",
        bbox={"boxstyle": "square,pad=0.25", "facecolor": "white", "alpha": 0.75, "edgecolor": "none"},
        zorder=20,
    )


def _title(ax: Axes, head: str, scenario: str | None, data_date: str) -> None:
    sub = (
        f"情景 scenario: {scenario} · 数据日期 data date: {data_date}"
        if scenario
        else f"数据日期 data date: {data_date}"
    )
    ax.set_title(f"{head}\n{sub}", fontsize=11, loc="left")


def _boundaries(ax: Axes, boundaries: bool | gpd.GeoDataFrame) -> str:
    """Draw boundaries if asked for and available; return their attribution ('' when none)."""
    if boundaries is False or boundaries is None:
        return ""
    from .boundaries import BOUNDARY_SOURCE, load_boundaries

    gdf = load_boundaries() if boundaries is True else boundaries
    if gdf is None:
        return "boundaries not drawn (cnmaps not installed)"
    gdf.to_crs(METRIC_CRS).boundary.plot(ax=ax, color="#9a9a9a", linewidth=0.6, linestyle="-", zorder=0.5)
    return str(gdf.attrs.get("source", BOUNDARY_SOURCE))


def _place_labels(
    ax: Axes, items: Sequence[tuple[float, float, str]], *, fontsize: float = 7.5, color: str = "#222222"
) -> int:
    """Greedy label placement: try eight positions around each point, keep the first that overlaps no
    earlier label, point or the map edge; drop the label if none fits. Items come most important first."""
    import matplotlib.patheffects as pe

    if not items:
        return 0
    fig = root_figure(ax)
    fig.draw_without_rendering()  # the layout must be final: positions are checked in screen space
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    axbox = ax.get_window_extent(renderer)
    pts = ax.transData.transform(np.array([(x, y) for x, y, _ in items], dtype=float))
    r = 2.5 * fig.dpi / 72
    marks = np.column_stack([pts[:, 0] - r, pts[:, 1] - r, pts[:, 0] + r, pts[:, 1] + r])
    offsets = [
        (4, 2, "left", "bottom"),
        (4, -2, "left", "top"),
        (-4, 2, "right", "bottom"),
        (-4, -2, "right", "top"),
        (6, 0, "left", "center"),
        (-6, 0, "right", "center"),
        (0, 5, "center", "bottom"),
        (0, -5, "center", "top"),
    ]
    # Legends, the scale bar, the north arrow and the attribution are obstacles too.
    furniture = [*ax.artists, *ax.texts, ax.get_legend()]
    placed: list[tuple[float, float, float, float]] = []
    for artist in furniture:
        if artist is not None:
            fb = artist.get_window_extent(renderer)
            placed.append((fb.x0, fb.y0, fb.x1, fb.y1))
    count = 0
    halo = [pe.withStroke(linewidth=2.2, foreground="white")]
    for k, ((x, y, text), (px, py)) in enumerate(zip(items, pts, strict=True)):
        if not (axbox.x0 <= px <= axbox.x1 and axbox.y0 <= py <= axbox.y1):
            continue
        for dx, dy, ha, va in offsets:
            t = ax.annotate(
                text,
                (x, y),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=fontsize,
                color=color,
                path_effects=halo,
                zorder=15,
            )
            bb = t.get_window_extent(renderer)
            box = (bb.x0 - 1, bb.y0 - 1, bb.x1 + 1, bb.y1 + 1)
            inside = axbox.x0 <= box[0] and box[2] <= axbox.x1 and axbox.y0 <= box[1] and box[3] <= axbox.y1
            hits_mark = bool(
                np.any(
                    (marks[:, 0] < box[2])
                    & (marks[:, 2] > box[0])
                    & (marks[:, 1] < box[3])
                    & (marks[:, 3] > box[1])
                    & (np.arange(len(marks)) != k)
                )
            )
            hits_label = any(a < box[2] and c > box[0] and b < box[3] and d > box[1] for a, b, c, d in placed)
            if inside and not hits_mark and not hits_label:
                placed.append(box)
                count += 1
                break
            t.remove()
    return count


# -- the network layer --------------------------------------------------------------------------
def _draw_links(
    ax: Axes,
    links: pd.DataFrame,
    xy: pd.DataFrame,
    *,
    alpha: float = 1.0,
    width_scale: float = 1.0,
    by_status: bool = True,
) -> set[tuple[str, str]]:
    """Draw links coloured by mode and styled by status; return the (mode, status) pairs drawn."""
    from matplotlib.collections import LineCollection

    drawn: set[tuple[str, str]] = set()
    if links.empty:
        return drawn
    a = xy.loc[links["from"]].to_numpy()
    b = xy.loc[links["to"]].to_numpy()
    segs = np.stack([a, b], axis=1)
    modes = links["mode"].to_numpy()
    statuses = links["status"].to_numpy() if by_status else np.array(["existing"] * len(links))
    for mode, style in MODE_STYLES.items():
        for status, (linestyle, _) in STATUS_STYLES.items():
            mask = (modes == mode) & (statuses == status)
            if not mask.any():
                continue
            lc = LineCollection(
                list(segs[mask]),
                colors=style.color,
                linewidths=style.width * width_scale,
                linestyles=[linestyle],
                alpha=alpha,
                zorder=style.zorder,
                capstyle="round",
            )
            ax.add_collection(lc)
            drawn.add((mode, status))
    return drawn


def _draw_graph(ax: Axes, graph: nx.Graph, *, color: str = "#8a8a8a", width: float = 0.5) -> None:
    from matplotlib.collections import LineCollection

    keys = list(graph.nodes)
    x = np.array([graph.nodes[k]["x"] for k in keys], dtype=float)
    y = np.array([graph.nodes[k]["y"] for k in keys], dtype=float)
    mx, my = _project(x, y, str(graph.graph.get("crs", WGS84)))
    pos = {k: (mx[i], my[i]) for i, k in enumerate(keys)}
    segs = [(pos[u], pos[v]) for u, v in graph.edges()]
    ax.add_collection(LineCollection(segs, colors=color, linewidths=width, zorder=2, alpha=0.8))


def _points(ax: Axes, nodes: pd.DataFrame, xy: pd.DataFrame, *, scale: float = 1.0) -> None:
    kinds = nodes["kind"]
    spec = [
        (kinds.isin(["city"]), "o", 34, "white", "#222222", 1.2, 9),
        (kinds.isin(["county_seat", "scenic"]), "o", 16, "white", "#444444", 0.9, 9),
        (kinds.isin(["hsr_station", "rail_station"]), "s", 14, "#ffffff", "#d7191c", 1.0, 10),
        (kinds.isin(["airport", "ga_airport"]), "^", 22, "#ffffff", "#2c7bb6", 1.0, 10),
    ]
    for mask, marker, size, face, edge, lw, z in spec:
        sel = nodes.index[mask.to_numpy()]
        if len(sel):
            pts = xy.loc[sel]
            ax.scatter(
                pts["x"],
                pts["y"],
                s=size * scale,
                marker=marker,
                facecolor=face,
                edgecolor=edge,
                linewidth=lw,
                zorder=z,
            )


def _label_items(
    nodes: pd.DataFrame, xy: pd.DataFrame, kinds: Iterable[str] | None = None
) -> list[tuple[float, float, str]]:
    wanted = set(kinds) if kinds is not None else set(_LABEL_RANK)
    sel = nodes[nodes["kind"].isin(wanted)].copy()
    sel["rank"] = sel["kind"].map(_LABEL_RANK).fillna(9)
    sel["pop"] = pd.to_numeric(sel["population"], errors="coerce").fillna(0)
    sel = sel.sort_values(["rank", "pop"], ascending=[True, False], kind="stable")
    return [
        (float(xy.at[i, "x"]), float(xy.at[i, "y"]), _short(n)) for i, n in zip(sel.index, sel["name_zh"], strict=True)
    ]


def _bounds_of(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float]:
    return float(np.min(x)), float(np.min(y)), float(np.max(x)), float(np.max(y))


def _extent_bounds(extent: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    lon0, lat0, lon1, lat1 = extent
    x, y = _project([lon0, lon1, lon0, lon1], [lat0, lat0, lat1, lat1])
    return _bounds_of(x, y)


def _in_bounds(xy: pd.DataFrame, bounds: tuple[float, float, float, float]) -> pd.Series:
    x0, y0, x1, y1 = bounds
    return (xy["x"] >= x0) & (xy["x"] <= x1) & (xy["y"] >= y0) & (xy["y"] <= y1)


def plot_network(
    scenario_or_network: Scenario | Network | ScenarioArg = None,
    *,
    ax: Axes | None = None,
    extent: tuple[float, float, float, float] | None = None,
    labels: bool = True,
    boundaries: bool | gpd.GeoDataFrame = False,
    title: str | None = None,
    figsize: tuple[float, float] = (8.0, 10.0),
) -> Axes:
    """Map the network: links coloured by mode, dashed when under construction or planned, labelled places.

    Parameters
    ----------
    scenario_or_network
        A :class:`~pxnet.Scenario`, scenario name or year (its links), or a :class:`~pxnet.Network` (every
        link, existing or not); ``None`` is the bundled network as built today.
    ax
        Axes to draw on (default: a new figure).
    extent
        ``(lon_min, lat_min, lon_max, lat_max)`` to show (default: every node with a link).
    labels
        Label places and stations with their Chinese names (labels that would overlap are left out).
    boundaries
        ``True`` for administrative boundaries from the optional ``cnmaps`` (skipped, with a note, when it is
        missing), or a GeoDataFrame of boundaries.
    title
        Heading (default: 萍乡 – 大湾区 transport network); the scenario and data date are added below it.
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
    >>> ax = pxnet.plot.plot_network("plan-2025", extent=(113.5, 27.3, 114.3, 28.0))
    >>> ax.get_title(loc="left").splitlines()[1]
    '情景 scenario: plan-2025 · 数据日期 data date: 2026-11'
    """
    scenario, net = _as_scenario(scenario_or_network)
    links = scenario.links if scenario is not None else net.links
    ax = _new_axes(ax, figsize)
    xy = _node_xy(net)
    used = pd.unique(pd.concat([links["from"], links["to"]]))
    nodes = net.nodes.loc[used]
    bounds = _extent_bounds(extent) if extent is not None else _bounds_of(xy.loc[used, "x"], xy.loc[used, "y"])
    note = _boundaries(ax, boundaries)
    drawn = _draw_links(ax, links, xy)
    shown = nodes[_in_bounds(xy.loc[nodes.index], bounds).to_numpy()]
    _points(ax, shown[shown["kind"].isin(_LABEL_RANK)], xy)
    _finish_axes(ax, bounds, pad=0.04 if extent is None else 0.0)
    _legend_network(ax, drawn)
    _title(
        ax,
        title or "萍乡–粤港澳大湾区交通网络 Pingxiang – Greater Bay Area network",
        scenario.name if scenario is not None else "all links (network)",
        net.data_date,
    )
    _scale_bar(ax)
    _north_arrow(ax)
    _attribution(ax, net, note)
    if labels:
        _place_labels(ax, _label_items(shown, xy))
    return ax


def _legend_network(
    ax: Axes,
    drawn: set[tuple[str, str]],
    *,
    loc: str = "upper left",
    title: str | None = None,
    primary: bool = True,
    anchor: tuple[float, float] | None = None,
) -> None:
    """The mode (and status) legend: the axes' legend when ``primary``, else an extra one beside it."""
    from matplotlib.lines import Line2D

    modes = [m for m in MODE_STYLES if any(d[0] == m for d in drawn)]
    statuses = [s for s in STATUS_STYLES if any(d[1] == s for d in drawn)]
    handles: list[Any] = [
        Line2D([], [], color=MODE_STYLES[m].color, lw=max(MODE_STYLES[m].width, 1.5), label=MODE_STYLES[m].label)
        for m in modes
    ]
    if len(statuses) > 1:
        handles += [
            Line2D([], [], color="#333333", lw=1.4, linestyle=STATUS_STYLES[s][0], label=STATUS_STYLES[s][1])
            for s in statuses
        ]
    if not handles:
        return
    from matplotlib.legend import Legend

    options: dict[str, Any] = {"loc": loc, "fontsize": 7.5, "framealpha": 0.9, "title": title, "title_fontsize": 8}
    if anchor is not None:
        options.update(bbox_to_anchor=anchor, bbox_transform=ax.transAxes)
    if primary:
        legend = ax.legend(handles=handles, **options)
    else:
        legend = Legend(ax, handles, [h.get_label() for h in handles], **options)
        ax.add_artist(legend)
    legend.set_zorder(25)


# -- isochrones ---------------------------------------------------------------------------------
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


def plot_isochrones(
    gdf: gpd.GeoDataFrame,
    *,
    ax: Axes | None = None,
    network_underlay: bool = True,
    network: Scenario | Network | nx.Graph | None = None,
    labels: bool = True,
    boundaries: bool | gpd.GeoDataFrame = False,
    cmap: str = "YlGnBu",
    title: str | None = None,
    figsize: tuple[float, float] = (8.0, 8.5),
) -> Axes:
    """Map isochrone bands (from :func:`pxnet.isochrones`) with the origin and the network underneath.

    Parameters
    ----------
    gdf
        The bands, as returned by :func:`pxnet.isochrones.isochrones` (its ``attrs`` name the scenario).
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
        As in :func:`plot_network`.
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
    >>> from pxnet.isochrones import isochrones
    >>> gdf = isochrones("萍乡北", bands=(30, 60), mode="hsr", scenario=2025)
    >>> ax = pxnet.plot.plot_isochrones(gdf)
    >>> [t.get_text() for t in ax.get_legend().get_texts()][0].startswith("≤ 30 min")
    True
    """
    import matplotlib.patches as mpatches
    from geopandas import GeoSeries

    if len(gdf) == 0:
        raise PlotError("no isochrone bands to plot")
    ax = _new_axes(ax, figsize)
    scenario, graph, net = _underlay_source(gdf, network) if network_underlay or labels else (None, None, None)
    bands = gdf.sort_values("minutes")
    metric = GeoSeries(bands.geometry.to_numpy(), crs=gdf.crs).to_crs(METRIC_CRS)
    colors = _band_colors(len(bands), cmap)
    handles: list[Any] = []
    for geom, color in zip(metric[::-1], colors[::-1], strict=True):
        if not geom.is_empty:
            GeoSeries([geom], crs=METRIC_CRS).plot(
                ax=ax, facecolor=color, edgecolor="#333333", linewidth=0.5, alpha=0.7, zorder=1
            )
    for color, minutes, area in zip(colors, bands["minutes"], bands["area_km2"], strict=True):
        handles.append(
            mpatches.Patch(
                facecolor=color, edgecolor="#333333", alpha=0.7, label=f"≤ {minutes:g} min ({area:,.0f} km²)"
            )
        )
    note = _boundaries(ax, boundaries)
    drawn: set[tuple[str, str]] = set()
    xy: pd.DataFrame | None = None
    if network_underlay and scenario is not None and net is not None:
        xy = _node_xy(net)
        drawn = _draw_links(ax, scenario.links, xy, alpha=0.55, width_scale=0.7, by_status=False)
    elif network_underlay and graph is not None:
        _draw_graph(ax, graph)
    points = np.array(gdf.attrs.get("origin_points") or [], dtype=float).reshape(-1, 2)
    if len(points):
        ox, oy = _project(points[:, 0], points[:, 1])
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
    outer = metric[~metric.is_empty]
    if len(outer):
        b = outer.total_bounds
        bounds = (float(b[0]), float(b[1]), float(b[2]), float(b[3]))
    elif len(points):
        bounds = _bounds_of(ox, oy)
    else:
        raise PlotError("the isochrones are empty and have no origin to show")
    shown = None
    if net is not None:
        xy = _node_xy(net)
        inside = _in_bounds(xy, bounds)
        shown = net.nodes[inside.to_numpy()]
        if scenario is not None:
            used = set(scenario.links["from"]) | set(scenario.links["to"])
            shown = shown[shown.index.isin(used)]
        _points(ax, shown[shown["kind"].isin(_LABEL_RANK)], xy, scale=0.8)
    _finish_axes(ax, bounds, pad=0.03)
    legend = ax.legend(
        handles=handles, loc="upper left", fontsize=8, framealpha=0.9, title="出行时间 travel time", title_fontsize=8
    )
    legend.set_zorder(25)
    if drawn:
        # The mode legend sits above the attribution line.
        _legend_network(ax, drawn, loc="lower right", primary=False, anchor=(1.0, 0.035))
    a = gdf.attrs
    direction = "到达" if a.get("to") else "出发"
    head = title or (
        f"{_origin_label(gdf, net)} {direction}等时圈 · isochrones "
        f"{'to' if a.get('to') else 'from'} {_origin_label(gdf, net, column='name_en')} ({a.get('mode', '?')})"
    )
    _title(ax, head, a.get("scenario"), str(a.get("data_date", "unknown")))
    _scale_bar(ax)
    _north_arrow(ax)
    last_mile = f"last mile {a.get('last_mile_kph', '?'):g} km/h straight line" if "last_mile_kph" in a else ""
    _attribution(ax, net, "; ".join(x for x in (last_mile, note) if x))
    if labels and shown is not None and xy is not None:
        _place_labels(ax, _label_items(shown, xy))
    return ax


# -- scenario differences -----------------------------------------------------------------------
def plot_scenario_difference(
    a: Scenario | ScenarioArg | gpd.GeoDataFrame,
    b: Scenario | ScenarioArg | gpd.GeoDataFrame,
    *,
    origins: Hashable | Sequence[Hashable] | None = None,
    band: float = 180.0,
    mode: str = "door_to_door",
    to: bool = False,
    layout: str = "overlay",
    network: Network | None = None,
    labels: bool = True,
    figsize: tuple[float, float] | None = None,
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
        As in :func:`pxnet.isochrones.isochrones`.
    layout
        ``"overlay"`` (one map: common area, area gained in ``b``, area lost) or ``"side_by_side"``.
    network
        The network the scenarios belong to (default: the bundled one).
    labels
        Label places in view.
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
    from .isochrones import isochrones

    if layout not in ("overlay", "side_by_side"):
        raise PlotError("layout must be 'overlay' or 'side_by_side'")
    bands = (band,) if layout == "overlay" else (band / 3, 2 * band / 3, band)
    gdfs = []
    for which in (a, b):
        if isinstance(which, pd.DataFrame):
            gdfs.append(which)
        else:
            if origins is None:
                raise PlotError("give origins= when comparing scenarios")
            sc = which if isinstance(which, Scenario) else get_scenario(which, network=network)
            gdfs.append(isochrones(origins, bands=bands, mode=mode, scenario=sc, to=to))
    register_cjk_font()
    import matplotlib.pyplot as plt

    if layout == "side_by_side":
        fig, axes = plt.subplots(1, 2, figsize=figsize or (14.0, 8.0), layout="constrained")
        for ax, g in zip(axes, gdfs, strict=True):
            plot_isochrones(g, ax=ax, labels=labels)
        # Same extent on both maps, so that the areas compare by eye.
        xs = [lim for ax in axes for lim in ax.get_xlim()]
        ys = [lim for ax in axes for lim in ax.get_ylim()]
        for ax in axes:
            ax.set_xlim(min(xs), max(xs))
            ax.set_ylim(min(ys), max(ys))
        return fig
    fig, ax = plt.subplots(figsize=figsize or (8.0, 8.5), layout="constrained")
    _overlay(ax, gdfs[0], gdfs[1], band, labels=labels)
    return fig


def _overlay(ax: Axes, ga: pd.DataFrame, gb: pd.DataFrame, band: float, *, labels: bool) -> None:
    import matplotlib.patches as mpatches
    from geopandas import GeoSeries

    def pick(g: pd.DataFrame) -> Any:
        row = g[g["minutes"] == float(band)]
        if row.empty:
            raise PlotError(f"no {band:g}-minute band in the isochrones; bands: {g['minutes'].tolist()}")
        return GeoSeries(row.geometry.to_numpy(), crs=g.crs).to_crs(METRIC_CRS).iloc[0]

    pa, pb = pick(ga), pick(gb)
    parts = [
        (pa.intersection(pb), "#bdbdbd", "两者皆可达 reached in both"),
        (pb.difference(pa), "#1a9641", f"新增 gained in {gb.attrs.get('scenario')}"),
        (pa.difference(pb), "#d7191c", f"减少 lost in {gb.attrs.get('scenario')}"),
    ]
    handles: list[Any] = []
    for geom, color, label in parts:
        area = geom.area / 1e6
        if not geom.is_empty:
            GeoSeries([geom], crs=METRIC_CRS).plot(ax=ax, facecolor=color, edgecolor="none", alpha=0.65, zorder=1)
        handles.append(mpatches.Patch(facecolor=color, alpha=0.65, label=f"{label} ({area:,.0f} km²)"))
    scenario_b, _, net = _underlay_source(gb, None)
    xy = _node_xy(net) if net is not None else None
    drawn: set[tuple[str, str]] = set()
    if scenario_b is not None and xy is not None:
        drawn = _draw_links(ax, scenario_b.links, xy, alpha=0.5, width_scale=0.7)
    points = np.array(gb.attrs.get("origin_points") or [], dtype=float).reshape(-1, 2)
    if len(points):
        ox, oy = _project(points[:, 0], points[:, 1])
        ax.scatter(ox, oy, marker="*", s=180, color="#e31a1c", edgecolor="white", linewidth=0.8, zorder=18)
    union = pa.union(pb)
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
    legend = ax.legend(
        handles=handles,
        loc="upper left",
        fontsize=8,
        framealpha=0.9,
        title=f"{band:g} 分钟可达范围 area within {band:g} min",
        title_fontsize=8,
    )
    legend.set_zorder(25)
    if drawn:
        _legend_network(ax, drawn, loc="lower right", primary=False, anchor=(1.0, 0.035))
    direction = "到达" if gb.attrs.get("to") else "出发"
    head = (
        f"{_origin_label(gb, net)} {direction} {band:g} 分钟等时圈对比 · "
        f"{ga.attrs.get('scenario')} → {gb.attrs.get('scenario')} ({gb.attrs.get('mode')})"
    )
    _title(ax, head, f"{ga.attrs.get('scenario')} vs {gb.attrs.get('scenario')}", str(gb.attrs.get("data_date")))
    _scale_bar(ax)
    _north_arrow(ax)
    _attribution(ax, net, f"last mile {gb.attrs.get('last_mile_kph', 0):g} km/h straight line")
    if labels and shown is not None and xy is not None:
        _place_labels(ax, _label_items(shown, xy))


# -- travel times -------------------------------------------------------------------------------
def plot_travel_times(
    times: pd.Series | pd.DataFrame | Mapping[str, float],
    *,
    ax: Axes | None = None,
    scenario: Scenario | ScenarioArg = None,
    network: Network | None = None,
    destination: str | None = None,
    network_underlay: bool = True,
    cmap: str = "viridis_r",
    boundaries: bool | gpd.GeoDataFrame = False,
    title: str | None = None,
    figsize: tuple[float, float] = (8.0, 10.0),
) -> Axes:
    """Map places coloured and labelled by their travel time (e.g. minutes to 广州 from every place).

    Parameters
    ----------
    times
        Minutes by place id or name: a Series, a mapping, or a one-column :func:`pxnet.skim` table (rows
        origins). ``inf`` is drawn as unreachable.
    ax
        Axes to draw on (default: a new figure).
    scenario
        The scenario the times are for (default: the skim's ``attrs["scenario"]``, else today); its links are
        drawn underneath.
    network
        The network the places belong to (default: the bundled one).
    destination
        Named in the title (default: the skim's column name).
    network_underlay
        Draw the scenario's links underneath.
    cmap
        Matplotlib colormap (short times dark by default).
    boundaries
        As in :func:`plot_network`.
    title
        Heading; scenario and data date are added below.
    figsize
        Size of a new figure, inches.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pxnet, pxnet.plot
    >>> m = pxnet.skim(["萍乡", "长沙", "南昌"], "广州", scenario=2025)
    >>> ax = pxnet.plot.plot_travel_times(m)
    >>> "广州" in ax.get_title(loc="left")
    True
    """
    from matplotlib.colors import Normalize

    attrs: dict[str, Any] = dict(getattr(times, "attrs", {}) or {})
    if isinstance(times, pd.DataFrame):
        if times.shape[1] != 1:
            raise PlotError("give a one-column table (one destination) or a Series")
        destination = destination or str(times.columns[0])
        series = times.iloc[:, 0]
    elif isinstance(times, pd.Series):
        series = times
    else:
        series = pd.Series(dict(times), dtype=float)
    if series.empty:
        raise PlotError("no travel times to plot")
    net = network if network is not None else scenario.network if isinstance(scenario, Scenario) else bundled_network()
    sc = get_scenario(scenario if scenario is not None else attrs.get("scenario"), network=net)
    ids = [net.resolve(str(k)) for k in series.index]
    minutes = pd.Series(series.to_numpy(dtype=float), index=ids)
    minutes = minutes[~minutes.index.duplicated()]
    ax = _new_axes(ax, figsize)
    xy = _node_xy(net)
    pts = xy.loc[minutes.index]
    bounds = _bounds_of(pts["x"].to_numpy(), pts["y"].to_numpy())
    note = _boundaries(ax, boundaries)
    drawn: set[tuple[str, str]] = set()
    if network_underlay:
        drawn = _draw_links(ax, sc.links, xy, alpha=0.35, width_scale=0.7, by_status=False)
    finite = np.isfinite(minutes.to_numpy())
    vals = minutes[finite]
    if len(vals):
        norm = Normalize(vmin=float(vals.min()), vmax=float(max(vals.max(), vals.min() + 1)))
        sca = ax.scatter(
            pts.loc[vals.index, "x"],
            pts.loc[vals.index, "y"],
            c=vals.to_numpy(),
            cmap=cmap,
            norm=norm,
            s=70,
            edgecolor="white",
            linewidth=0.8,
            zorder=12,
        )
        bar = ax.figure.colorbar(sca, ax=ax, shrink=0.5, pad=0.01, aspect=30)
        bar.set_label("分钟 minutes", fontsize=8)
        bar.ax.tick_params(labelsize=7)
    unreached = minutes.index[~finite]
    if len(unreached):
        ax.scatter(
            pts.loc[unreached, "x"],
            pts.loc[unreached, "y"],
            s=50,
            facecolor="none",
            edgecolor="#777777",
            linewidth=1.0,
            zorder=12,
            label="不可达 unreachable",
        )
    _finish_axes(ax, bounds, pad=0.08)
    if drawn:
        _legend_network(ax, drawn, loc="upper left", title="网络 network")
    if len(unreached):
        from matplotlib.lines import Line2D

        h = Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor="none",
            markeredgecolor="#777777",
            label="不可达 unreachable",
        )
        from matplotlib.legend import Legend

        extra = Legend(ax, [h], [str(h.get_label())], loc="upper right", bbox_to_anchor=(1.0, 0.9), fontsize=7.5)
        extra.set_zorder(25)
        ax.add_artist(extra)
    dest = _short(net.nodes.at[net.resolve(destination), "name_zh"]) if destination else None
    mode = attrs.get("mode", "")
    dest_en = _short(net.nodes.at[net.resolve(destination), "name_en"]) if destination else None
    head = title or (f"至{dest}出行时间 · travel time to {dest_en}" if dest else "出行时间 · travel time")
    if mode and not title:
        head += f" ({mode})"
    _title(ax, head, sc.name, net.data_date)
    _scale_bar(ax)
    _north_arrow(ax)
    _attribution(ax, net, note)
    items = []
    order = minutes.sort_values().index  # shortest first: the most useful numbers get labelled
    ranked = sorted(order, key=lambda i: (_LABEL_RANK.get(net.nodes.at[i, "kind"], 9), minutes[i]))
    for i in ranked:
        m = minutes[i]
        text = (
            f"{_short(net.nodes.at[i, 'name_zh'])} {m:.0f}"
            if math.isfinite(m)
            else f"{_short(net.nodes.at[i, 'name_zh'])} –"
        )
        items.append((float(xy.at[i, "x"]), float(xy.at[i, "y"]), text))
    _place_labels(ax, items, fontsize=7.5)
    return ax
