"""Travel-time maps: places coloured and labelled by their minutes to (or from) one destination."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..network import Network
from ..routing import spelled_out
from ..scenario import Scenario, ScenarioArg, resolve
from ._base import (
    _LABEL_RANK,
    PlotError,
    _bounds_of,
    _finish_axes,
    _network_crs,
    _new_axes,
    _node_xy,
    _short,
    _use_crs,
)
from ._furniture import _boundaries, _map_frame, _place_labels, _title
from ._layers import _draw_links, _legend_network
from ._style import MapStyle, TravelTimeOptions, map_style

if TYPE_CHECKING:
    from typing import Unpack

    from matplotlib.axes import Axes

__all__ = ["plot_travel_times"]


@spelled_out(TravelTimeOptions, MapStyle)
def plot_travel_times(
    times: pd.Series | pd.DataFrame | Mapping[str, float],
    *,
    ax: Axes | None = None,
    scenario: Scenario | ScenarioArg = None,
    network: Network | None = None,
    destination: str | None = None,
    **style: Unpack[TravelTimeOptions],
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
        As in :func:`~pxnet.plot.plot_network`.
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

    look = map_style(style, TravelTimeOptions, MapStyle, function="plot_travel_times")
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
    sc = resolve(scenario if scenario is not None else attrs.get("scenario"), network)
    net = sc.network
    ids = [net.resolve(str(k)) for k in series.index]
    minutes = pd.Series(series.to_numpy(dtype=float), index=ids)
    minutes = minutes[~minutes.index.duplicated()]
    ax = _new_axes(ax, look.figsize or (8.0, 10.0))
    _use_crs(ax, _network_crs(net))
    xy = _node_xy(net)
    pts = xy.loc[minutes.index]
    bounds = _bounds_of(pts["x"].to_numpy(), pts["y"].to_numpy())
    note = _boundaries(ax, look.boundaries)
    drawn: set[tuple[str, str]] = set()
    if look.network_underlay:
        drawn = _draw_links(ax, sc.links, xy, alpha=0.35, width_scale=0.7, by_status=False)
    finite = np.isfinite(minutes.to_numpy())
    vals = minutes[finite]
    if len(vals):
        norm = Normalize(vmin=float(vals.min()), vmax=float(max(vals.max(), vals.min() + 1)))
        sca = ax.scatter(
            pts.loc[vals.index, "x"],
            pts.loc[vals.index, "y"],
            c=vals.to_numpy(),
            cmap=look.cmap,
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
    head = look.title or (f"至{dest}出行时间 · travel time to {dest_en}" if dest else "出行时间 · travel time")
    if mode and not look.title:
        head += f" ({mode})"
    _title(ax, head, sc.name, net.data_date)
    _map_frame(ax, net, note)
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
