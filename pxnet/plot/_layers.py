"""Map layers: network links (by mode and status), a networkx graph, place markers and the mode legend."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from ..geo import WGS84
from ._base import _LABEL_RANK, MODE_STYLES, STATUS_STYLES, _map_crs, _project, _short

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__: list[str] = []


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
    mx, my = _project(x, y, str(graph.graph.get("crs", WGS84)), dst=_map_crs(ax))
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


def _legend_network(
    ax: Axes,
    drawn: set[tuple[str, str]],
    *,
    loc: str = "upper left",
    title: str | None = None,
    primary: bool = True,
    anchor: tuple[float, float] | None = None,
) -> None:
    """Draw the mode (and status) legend: the axes' legend when ``primary``, else an extra one beside it."""
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
