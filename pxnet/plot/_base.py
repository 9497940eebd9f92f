"""Shared ground for the static maps: link styles, the map error, projection to metres and the map axes.

Every map is drawn in a metric CRS so that distances are true: the project's (:data:`pxnet.geo.METRIC_CRS`,
UTM 49N) for pxnet's own networks, and the graph's own metric CRS (or its local UTM zone) for a user's graph.
Each map axes remembers its CRS (:func:`_map_crs`). The map types themselves are in :mod:`pxnet.plot`.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import PlotError
from ..geo import METRIC_CRS, WGS84, local_metric_crs, transform
from ..network import Network
from ..scenario import Scenario, ScenarioArg, get_scenario
from ._fonts import register_cjk_font

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["MODE_STYLES", "STATUS_STYLES", "ModeStyle", "PlotError", "root_figure"]


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


# -- coordinates --------------------------------------------------------------------------------
# The metric CRS of each map axes that is not drawn in the project's; weak keys, so a closed figure is forgotten.
_AXES_CRS: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def _map_crs(ax: Axes | None) -> str:
    """Return the metric CRS a map axes is drawn in (the project's unless :func:`_use_crs` said otherwise)."""
    return _AXES_CRS.get(ax, METRIC_CRS) if ax is not None else METRIC_CRS


def _use_crs(ax: Axes, crs: str) -> None:
    _AXES_CRS[ax] = crs


def _graph_crs(lon: float, lat: float, own: str | None) -> str:
    """Return the metric CRS to draw a user's graph in: its own when that is metric and true here, else local UTM."""
    return local_metric_crs(lon, lat, prefer=own)


def _project(lon: Any, lat: Any, crs: str = WGS84, *, dst: str = METRIC_CRS) -> tuple[np.ndarray, np.ndarray]:
    return transform(lon, lat, src=crs, dst=dst)


def _short(name: str) -> str:
    """Return a map label: the Chinese name without its bracketed remark (萍乡市（市中心/安源区） → 萍乡市)."""
    return _BRACKETS.sub("", str(name)).strip() or str(name)


def _network_crs(net: Network) -> str:
    """Return the metric CRS a network's maps are drawn in: the project's where it is true, else local UTM."""
    lon, lat = float(net.nodes["lon"].median()), float(net.nodes["lat"].median())
    return local_metric_crs(lon, lat, prefer=METRIC_CRS)


def _node_xy(net: Network) -> pd.DataFrame:
    """Return the nodes' map coordinates (metres in :func:`_network_crs`), computed once per network."""
    cached = net.cache.get(("plot", "node_xy"))
    if cached is None:
        x, y = _project(net.nodes["lon"], net.nodes["lat"], dst=_network_crs(net))
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


# -- map axes -------------------------------------------------------------------------------------
def root_figure(ax: Axes) -> Figure:
    """Return the top-level Figure an Axes is drawn in (also through subfigures).

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
    from matplotlib.colors import to_hex

    if to_hex(ax.get_facecolor()) == "#ffffff":  # keep the sea colour of a base layer
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


def _bounds_of(x: np.ndarray, y: np.ndarray) -> tuple[float, float, float, float]:
    return float(np.min(x)), float(np.min(y)), float(np.max(x)), float(np.max(y))


def _extent_bounds(extent: tuple[float, float, float, float], crs: str) -> tuple[float, float, float, float]:
    lon0, lat0, lon1, lat1 = extent
    x, y = _project([lon0, lon1, lon0, lon1], [lat0, lat0, lat1, lat1], dst=crs)
    return _bounds_of(x, y)


def _in_bounds(xy: pd.DataFrame, bounds: tuple[float, float, float, float]) -> pd.Series:
    x0, y0, x1, y1 = bounds
    return (xy["x"] >= x0) & (xy["x"] <= x1) & (xy["y"] >= y0) & (xy["y"] <= y1)
