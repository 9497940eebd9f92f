"""The corridor map of the 3-hour question, for one scenario, in English or Chinese.

The origin, the region's cities with their fastest minutes and trains, and the area within the threshold
shaded. It draws results handed to it (:func:`pxnet.analysis.corridor_times`, and optionally an isochrone band from
:func:`pxnet.isochrones`) and computes no trip.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..network import Network
from ..routing import spelled_out
from ..scenario import resolve
from ._base import PlotError, _bounds_of, _finish_axes, _network_crs, _new_axes, _node_xy, _short, _use_crs
from ._furniture import _boundaries, _map_frame, _title
from ._layers import _draw_links, _points
from ._style import FrameOptions, MapStyle, map_style

if TYPE_CHECKING:
    from typing import Unpack

    import geopandas as gpd
    from matplotlib.axes import Axes

__all__ = ["plot_corridor"]

_WITHIN, _BEYOND, _REACH = "#1a9641", "#d7191c", "#a6dba0"
_WORDS = {
    "en": {
        "title": "{origin} to the {region}: the {hours:g}-hour question",
        "min": "min",
        "within": "within {t:g} min",
        "beyond": "beyond {t:g} min",
        "reach": "area within {t:g} min door to door",
        "origin": "origin",
        "summary": "{k} of {n} cities within {t:g} min",
        "unreachable": "unreachable",
        "modelled": "* modelled train (no published timetable)",
        "basis": "door to door, fastest train, no first wait",
    },
    "zh": {
        "title": "{origin}至{region}：{hours:g}小时之问",
        "min": "分钟",
        "within": "{t:g} 分钟以内",
        "beyond": "超过 {t:g} 分钟",
        "reach": "门到门 {t:g} 分钟可达范围",
        "origin": "出发地",
        "summary": "{n} 座城市中 {k} 座在 {t:g} 分钟以内",
        "unreachable": "不可达",
        "modelled": "* 模型列车（无公开时刻表）",
        "basis": "门到门，最快列车，不含首次候车",
    },
}


def _label(row: Any, lang: str, words: dict[str, str]) -> str:
    name = _short(row.name_zh if lang == "zh" else row.name_en)
    minutes = f"{row.minutes:.0f} {words['min']}" if math.isfinite(row.minutes) else words["unreachable"]
    trains = f"\n{row.trains}" if isinstance(row.trains, str) and row.trains else ""
    return f"{name} {minutes}{trains}"


def _columns(ax: Axes, xy: pd.DataFrame, times: pd.DataFrame, lang: str, words: dict[str, str]) -> None:
    """Label the cities in two columns, west and east of the region, with leader lines: never on each other.

    Each column is ordered as its cities lie from north to south and centred on them, so the lines hardly cross.
    """
    to_axes = ax.transAxes.inverted()
    pts = xy.loc[times["place"]]
    frac = to_axes.transform(ax.transData.transform(pts[["x", "y"]].to_numpy()))
    middle = float(np.median(frac[:, 0]))
    west = frac[:, 0] <= middle
    step = 0.062
    for side, mask in (("west", west), ("east", ~west)):
        n = int(mask.sum())
        if not n:
            continue
        column = 0.02 if side == "west" else 0.98
        fx, fy = frac[mask, 0], frac[mask, 1]
        top = float(np.clip(fy.mean() + step * (n - 1) / 2 + 0.06, 0.09 + step * (n - 1), 0.62))
        # Order the column by where each city's leader line, at the column's mean slope, meets the column:
        # then the lines run side by side instead of crossing.
        slope = (fy.mean() - (top - step * (n - 1) / 2)) / (fx.mean() - column or 1e-9)
        rows = times[mask].assign(key=fy - slope * (fx - column)).sort_values("key", ascending=False)
        for k, row in enumerate(rows.itertuples(index=False)):
            color = _WITHIN if row.within else _BEYOND
            ax.annotate(
                _label(row, lang, words),
                xy=(float(xy.at[row.place, "x"]), float(xy.at[row.place, "y"])),
                xytext=(column, top - step * k),
                textcoords="axes fraction",
                ha="left" if side == "west" else "right",
                va="center",
                fontsize=7.5,
                color="#222222",
                linespacing=1.15,
                bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": color, "alpha": 0.92},
                arrowprops={"arrowstyle": "-", "color": color, "lw": 0.7, "shrinkA": 0, "shrinkB": 3},
                zorder=21,
            )


def _legend(ax: Axes, times: pd.DataFrame, threshold: float, words: dict[str, str], reach: bool) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Any] = [
        Line2D([], [], marker="*", linestyle="", markersize=13, color="#e31a1c", label=words["origin"]),
        Line2D([], [], marker="o", linestyle="", color=_WITHIN, label=words["within"].format(t=threshold)),
        Line2D([], [], marker="o", linestyle="", color=_BEYOND, label=words["beyond"].format(t=threshold)),
    ]
    if reach:
        handles.append(Patch(facecolor=_REACH, alpha=0.6, label=words["reach"].format(t=threshold)))
    summary = words["summary"].format(k=int(times["within"].sum()), n=len(times), t=threshold)
    summary += f"\n{words['basis']}"
    legend = ax.legend(
        handles=handles, loc="upper left", fontsize=8, framealpha=0.92, title=summary, title_fontsize=8.5
    )
    legend.set_zorder(25)


def _check_times(times: pd.DataFrame) -> None:
    missing = {"place", "name_zh", "name_en", "minutes", "within", "trains"} - set(times.columns)
    if missing:
        raise PlotError(
            f"the corridor table lacks {', '.join(sorted(missing))}: give the result of pxnet.analysis.corridor_times"
        )
    if times.empty:
        raise PlotError("the corridor table has no cities")


@spelled_out(FrameOptions, MapStyle)
def plot_corridor(
    times: pd.DataFrame,
    *,
    reach: gpd.GeoDataFrame | None = None,
    network: Network | None = None,
    lang: str = "en",
    ax: Axes | None = None,
    **style: Unpack[FrameOptions],
) -> Axes:
    """Map the 3-hour question for one scenario: the cities' fastest minutes and trains, the reach shaded.

    Parameters
    ----------
    times
        The result of :func:`pxnet.analysis.corridor_times` (its ``attrs`` name the scenario, origin and
        threshold).
    reach
        Isochrone bands from the same origin and scenario (:func:`pxnet.isochrones`); the band of the threshold
        (e.g. 180 min) is shaded. ``None`` shades nothing.
    network
        The network the places belong to (default: the bundled one).
    lang
        ``"en"`` or ``"zh"``: the words on the map (place names are Chinese in both, with English in ``"en"``).
    ax
        Axes to draw on (default: a new figure).
    boundaries
        As in :func:`~pxnet.plot.plot_network`.
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
    >>> from pxnet.analysis import corridor_times
    >>> t = corridor_times("as-built-2025", destinations=["广州", "深圳"])
    >>> ax = pxnet.plot.plot_corridor(t, lang="zh", boundaries=False)
    >>> ax.get_legend().get_title().get_text().splitlines()[0]
    '2 座城市中 0 座在 180 分钟以内'
    """
    from geopandas import GeoSeries

    look = map_style(style, FrameOptions, MapStyle, function="plot_corridor")
    if lang not in _WORDS:
        raise PlotError(f"lang={lang!r}: give 'en' or 'zh'")
    _check_times(times)
    words = _WORDS[lang]
    attrs = times.attrs
    sc = resolve(attrs.get("scenario"), network)
    net = sc.network
    threshold = float(attrs.get("threshold", 180.0))
    origin = net.resolve(str(attrs.get("origin", net.defaults.origin)))
    ax = _new_axes(ax, look.figsize or (8.0, 10.0))
    crs = _network_crs(net)
    _use_crs(ax, crs)
    xy = _node_xy(net)
    ids = [origin, *times["place"]]
    bounds = _bounds_of(xy.loc[ids, "x"].to_numpy(), xy.loc[ids, "y"].to_numpy())
    note = _boundaries(ax, look.boundaries)
    has_reach = False
    if reach is not None and len(reach):
        band = reach[reach["minutes"] == threshold]
        if band.empty:
            raise PlotError(f"no {threshold:g}-minute band in reach=; bands: {reach['minutes'].tolist()}")
        shape = GeoSeries(band.geometry.to_numpy(), crs=reach.crs).to_crs(crs)
        shape.plot(ax=ax, facecolor=_REACH, edgecolor="#4d9a4d", linewidth=0.6, alpha=0.6, zorder=1)
        has_reach = True
    _draw_links(ax, sc.links[sc.links["mode"].isin(["hsr", "rail"])], xy, alpha=0.55, width_scale=0.7, by_status=False)
    _points(ax, net.nodes.loc[[origin]], xy)
    pts = xy.loc[times["place"]]
    colors = [_WITHIN if w else _BEYOND for w in times["within"]]
    ax.scatter(pts["x"], pts["y"], s=46, color=colors, edgecolor="white", linewidth=0.8, zorder=19)
    ax.scatter(
        [xy.at[origin, "x"]], [xy.at[origin, "y"]], marker="*", s=260, color="#e31a1c", edgecolor="white", zorder=20
    )
    # Room beside the region for the two label columns.
    x0, y0, x1, y1 = bounds
    width, height = x1 - x0, y1 - y0
    _finish_axes(ax, (x0 - 0.55 * width, y0 - 0.04 * height, x1 + 0.55 * width, y1 + 0.12 * height), pad=0.03)
    _legend(ax, times, threshold, words, has_reach)
    d = net.defaults
    origin_name = _short(net.nodes.at[origin, "name_zh" if lang == "zh" else "name_en"])
    region = d.region_zh if lang == "zh" else d.region_en
    head = words["title"].format(origin=origin_name, region=region, hours=threshold / 60)
    _title(ax, head, sc.name, net.data_date)
    _columns(ax, xy, times, lang, words)
    modelled = words["modelled"] if times["trains"].astype(str).str.contains(r"\*", regex=True).any() else ""
    _map_frame(ax, net, modelled, note)
    return ax
