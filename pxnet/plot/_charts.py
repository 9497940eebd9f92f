"""Charts (not maps): travel times to the Bay Area, goal status, WATT changes, parameter sensitivity."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis import Comparison
from ..errors import AnalysisError, warn
from ..goals import Assessment
from ..io import atomic_path
from ..routing import skim

# The CJK font has no ✔/✘ glyphs, so figures use words.
_SHORT = {"met": "met", "missed": "missed", "pending": "pending", "not_assessable": "n/a"}
_LOW, _HIGH = "#1f77b4", "#ff7f0e"
_COLOR = {"met": "#2e7d32", "missed": "#c62828", "pending": "#f9a825", "not_assessable": "#9e9e9e"}
_SHORT_ZH = {"met": "达成", "missed": "未达成", "pending": "未到期", "not_assessable": "无法评估"}


def _skim_row(
    skims: Mapping[tuple[str, str], pd.DataFrame] | None,
    sc: Any,
    mode: str,
    *,
    origin: str,
    dests: list[str],
    initial_wait_fraction: float | None,
) -> pd.Series:
    # The minutes from the origin to each destination: from the skims handed over, else computed (deprecated).
    if skims is not None:
        if (sc.name, mode) not in skims:
            raise AnalysisError(f"skims= has no table for ({sc.name!r}, {mode!r}); keys: {sorted(skims)}")
        return skims[(sc.name, mode)].iloc[0]
    return skim(
        [origin], dests, mode=mode, scenario=sc, network=sc.network, initial_wait_fraction=initial_wait_fraction
    ).iloc[0]


def figure_gba_times(
    assessment: Assessment,
    *,
    skims: Mapping[tuple[str, str], pd.DataFrame] | None = None,
    origin: str | None = None,
    destinations: list[str] | None = None,
    initial_wait_fraction: float | None = None,
) -> Any:
    """Door-to-door and HSR minutes from a place to a region's places in each scenario, with the 3-hour line.

    Parameters
    ----------
    assessment
        The assessment whose scenarios are drawn.
    skims
        The minutes to draw, ``(scenario name, mode) → skim`` for the modes ``"door_to_door"`` and ``"hsr"``
        (:attr:`pxnet.analysis.ReportInputs.skims`, computed by the caller). Without them the chart computes
        its own skims, which is deprecated: a :class:`DeprecationWarning` says so.
    origin
        The place the trips start from (default: ``defaults.origin`` of the network's ``dataset.yaml``, 萍乡 for
        the bundled data).
    destinations
        Places to draw (default: ``defaults.region.places``, the eleven Bay Area cities for the bundled data).
    initial_wait_fraction
        The wait before the first train as a fraction of its headway; default the network's parameter (an
        average traveller). ``0`` draws the fastest train, as the station-to-station goals do. The figure's
        footnote says which was used.

    Examples
    --------
    >>> import pxnet
    >>> from pxnet.analysis import report_inputs
    >>> a = pxnet.assess(["pinglian_open_2021"], ["as-built-2022"], flips=False)
    >>> inputs = report_inputs(a.scenarios, network=a.network, maps=False)
    >>> fig = figure_gba_times(a, skims=inputs.skims)
    >>> len(fig.axes)
    2
    """
    import matplotlib.pyplot as plt

    from ._fonts import register_cjk_font

    register_cjk_font()
    net = assessment.network
    origin = origin if origin is not None else net.defaults.origin
    dests = destinations or list(net.defaults.region)
    if skims is None:
        warn(
            "figure_gba_times without skims= computes them itself, which is deprecated (until 0.3): pass "
            "pxnet.analysis.report_inputs(...).skims",
            DeprecationWarning,
        )
    fig, axes = plt.subplots(1, 2, figsize=(12, 5.5), sharey=True)
    markers = ["o", "s", "^", "D", "v", "P", "X"]
    n = len(assessment.scenarios)
    for ax, mode, title in zip(
        axes, ["door_to_door", "hsr"], ["门到门 door to door", "高铁 HSR (站到站)"], strict=True
    ):
        for k, sc in enumerate(assessment.scenarios):
            times = _skim_row(skims, sc, mode, origin=origin, dests=dests, initial_wait_fraction=initial_wait_fraction)
            values = [t if math.isfinite(t) else float("nan") for t in times]
            # A small vertical offset per scenario keeps equal times from hiding each other.
            rows = [i + (k - (n - 1) / 2) * 0.13 for i in range(len(dests))]
            ax.plot(values, rows, linestyle="none", marker=markers[k % len(markers)], label=sc.name, alpha=0.9)
        # The 3-hour line stays in view even when every trip is much shorter or longer.
        lo, hi = ax.get_xlim()
        ax.set_xlim(min(lo, 170), max(hi, 190))
        ax.axvline(180, color="#c62828", linestyle="--", linewidth=1)
        ax.text(182, 0.02, "3 h", color="#c62828", transform=ax.get_xaxis_transform(), va="bottom")
        ax.set_title(title)
        ax.set_xlabel("分钟 minutes")
        ax.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(range(len(dests)), dests)
    axes[0].invert_yaxis()
    fig.legend(
        *axes[0].get_legend_handles_labels(),
        loc="lower center",
        ncol=n,
        fontsize=8,
        frameon=False,
        bbox_to_anchor=(0.5, 0.03),
    )
    region_zh, region_en = net.defaults.region_zh, net.defaults.region_en
    fig.suptitle(f"{origin} 至{region_zh}出行时间 travel time to the {region_en} · 数据日期 data {net.data_date}")
    del initial_wait_fraction  # no effect since the timetable engine: the fastest journey of the service day
    fig.text(
        0.99,
        0.01,
        "pxnet; 最快行程 fastest journey departing within the service day, scenario timetable; "
        "sources in docs/data.md; unreachable trips are left out",
        ha="right",
        fontsize=7,
        color="#555",
    )
    fig.tight_layout(rect=(0, 0.08, 1, 0.95))
    return fig


def figure_status(assessment: Assessment, *, lang: str = "en") -> Any:
    """Draw the goal × scenario status matrix as a coloured grid (``lang="zh"``: statuses in Chinese).

    Examples
    --------
    >>> import pxnet
    >>> fig = figure_status(pxnet.assess(["pinglian_open_2021"], ["as-built-2019", "as-built-2022"], flips=False))
    >>> fig.axes[0].get_xticklabels()[1].get_text()
    'as-built-2022'
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch, Rectangle

    from ._fonts import register_cjk_font

    register_cjk_font()
    matrix = assessment.matrix()
    short = _SHORT_ZH if lang == "zh" else _SHORT
    names = {r.goal.id: r.goal.name_zh for r in assessment.results}
    fig, ax = plt.subplots(figsize=(3 + 1.5 * matrix.shape[1], 0.42 * matrix.shape[0] + 1.6))
    for i, goal in enumerate(matrix.index):
        for j, scenario in enumerate(matrix.columns):
            status = matrix.at[goal, scenario]
            ax.add_patch(Rectangle((j, i), 0.96, 0.92, color=_COLOR[status]))
            ax.text(j + 0.48, i + 0.46, short[status], ha="center", va="center", color="white", fontsize=9)
    ax.set_xlim(0, matrix.shape[1])
    ax.set_ylim(matrix.shape[0], 0)
    ax.set_xticks([j + 0.48 for j in range(matrix.shape[1])], list(matrix.columns), rotation=20, ha="right")
    ax.set_yticks([i + 0.46 for i in range(matrix.shape[0])], [names[g] for g in matrix.index], fontsize=8)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    handles = [Patch(color=_COLOR[s], label=short[s] if lang == "zh" else s.replace("_", " ")) for s in _COLOR]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4, fontsize=8, frameon=False)
    # two lines: with few scenarios the grid is narrow, and one line ran past the figure's edge
    ax.set_title(f"规划目标评估 plan goals by scenario\n数据日期 data {assessment.network.data_date}", fontsize=11)
    fig.tight_layout()
    return fig


def save_figure(fig: Any, path: Path) -> Path:
    import matplotlib.pyplot as plt

    fmt = path.suffix.lstrip(".")
    # zlib's fastest level: a report's PNGs write in two thirds of the time, at about the same size (lossless).
    extra = {"pil_kwargs": {"compress_level": 1}} if fmt == "png" else {}
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=130, format=fmt, **extra)
    plt.close(fig)
    return path


def figure_comparison(comparison: Comparison) -> Any:
    """Change in weighted average travel time (WATT) of every place, as a bar chart.

    Examples
    --------
    >>> import pxnet
    >>> fig = figure_comparison(pxnet.compare(2019, "expected-2030", origins=["莲花"], destinations=["深圳"]))
    >>> fig.axes[0].get_xlabel()
    '加权平均出行时间变化 change in WATT (min)'
    """
    import matplotlib.pyplot as plt

    from ._fonts import register_cjk_font

    register_cjk_font()
    table = comparison.indicators.dropna(subset=["watt_change_min"]).sort_values("watt_change_min")
    table = table[pd.Series([math.isfinite(v) for v in table["watt_change_min"]], index=table.index)]
    fig, ax = plt.subplots(figsize=(8, 0.28 * len(table) + 1.5))
    colors = ["#2e7d32" if v < 0 else "#c62828" for v in table["watt_change_min"]]
    ax.barh(table["name_zh"], table["watt_change_min"], color=colors)
    ax.invert_yaxis()
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_xlabel("加权平均出行时间变化 change in WATT (min)")
    ax.set_title(
        f"{comparison.b.name} vs {comparison.a.name} · {comparison.mode} · 数据日期 data "
        f"{comparison.a.network.data_date}",
        fontsize=10,
    )
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    return fig


def figure_sensitivity(
    table: pd.DataFrame,
    *,
    origin: str | None = None,
    destination: str | None = None,
    threshold: float | None = None,
) -> Any:
    """Draw a tornado chart of one origin–destination pair of a :func:`pxnet.sensitivity` table.

    Each bar runs from the minutes at one end of a parameter's range to the other, widest on top; the line
    is the time with every parameter at its value. Parameters that do not change this trip are named in a
    footnote instead of drawn.

    Parameters
    ----------
    table
        The result of :func:`pxnet.sensitivity`.
    origin, destination
        The pair to draw (default: the table's first pair).
    threshold
        Minutes to mark as a target line (e.g. 180 for the 3-hour goals).

    Examples
    --------
    >>> import pxnet
    >>> t = pxnet.sensitivity("萍乡北", "深圳北", mode="hsr", scenario="plan-2025")
    >>> fig = figure_sensitivity(t, threshold=180)
    >>> len(fig.axes[0].patches) == 2 * int((t["swing_min"] > 0).sum())
    True
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    from ._fonts import register_cjk_font

    register_cjk_font()
    if table.empty:
        raise AnalysisError("the sensitivity table is empty")
    origin = origin if origin is not None else table["origin"].iloc[0]
    destination = destination if destination is not None else table["destination"].iloc[0]
    rows = table[(table["origin"] == origin) & (table["destination"] == destination)]
    if rows.empty:
        raise AnalysisError(f"no rows for {origin} → {destination} in the sensitivity table")
    base = float(rows["base_min"].iloc[0])
    idle = rows[rows["swing_min"] == 0]
    rows = rows[rows["swing_min"] != 0].sort_values("swing_min", ascending=True)
    fig, ax = plt.subplots(figsize=(8, 0.42 * max(len(rows), 1) + 2.6))
    for i, r in enumerate(rows.itertuples(index=False)):
        for minutes, color in ((r.low_min, _LOW), (r.high_min, _HIGH)):
            ax.barh(i, minutes - base, left=base, color=color, height=0.6)
    labels = [f"{r.parameter}  {r.low:g} – {r.high:g}  (now {r.value:g})" for r in rows.itertuples(index=False)]
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.axvline(base, color="#333", linewidth=1)
    if threshold is not None:
        ax.axvline(threshold, color="#c62828", linestyle="--", linewidth=1)
        ax.text(threshold, 0.01, f" {threshold:g} min", color="#c62828", transform=ax.get_xaxis_transform())
    ax.set_xlabel("分钟 minutes")
    ax.grid(axis="x", alpha=0.3)
    handles = [
        Patch(color=_LOW, label="参数取低值 parameter at the low end of its range"),
        Patch(color=_HIGH, label="参数取高值 parameter at the high end"),
    ]
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.05), ncol=2, fontsize=8, frameon=False)
    scenario, mode = table.attrs.get("scenario", ""), table.attrs.get("mode", "")
    ax.set_title(
        f"参数敏感性 sensitivity · {origin} → {destination} · {mode} · {scenario}\n"
        f"{base:.0f} min with every parameter at its value; one parameter varied at a time",
        fontsize=10,
    )
    if len(idle):
        note = textwrap.fill("no effect: " + ", ".join(idle["parameter"]), 150)
        fig.text(0.01, 0.01, note, fontsize=7, color="#555")
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    return fig


def figure_impacts(table: pd.DataFrame, *, origin: str | None = None) -> Any:
    """Minutes each project saves one origin (a :func:`pxnet.project_impacts` table), as a bar chart.

    Projects without effect are left out; a project that makes some destination reachable at all is drawn
    at the axis end and labelled "∞".

    Examples
    --------
    >>> import pxnet
    >>> t = pxnet.project_impacts("expected-2030", origins=["莲花"], destinations=["深圳", "广州"])
    >>> fig = figure_impacts(t)
    >>> fig.axes[0].get_xlabel()
    '节省时间 minutes saved (weighted average)'
    """
    import matplotlib.pyplot as plt

    from ._fonts import register_cjk_font

    register_cjk_font()
    origin = origin if origin is not None else table["origin"].iloc[0]
    rows = table[(table["origin"] == origin) & (table["saved_min"] != 0)].iloc[::-1]
    finite = [v for v in rows["saved_min"] if math.isfinite(v)]
    cap = max([abs(v) for v in finite], default=1.0) * 1.1
    values = [v if math.isfinite(v) else cap for v in rows["saved_min"]]
    fig, ax = plt.subplots(figsize=(8, 0.4 * max(len(rows), 1) + 1.6))
    state = {True: "情景中开通 open", False: "情景中未开通 not open"}
    labels = [f"{r.name_zh} ({state[bool(r.open)]})" for r in rows.itertuples(index=False)]
    colors = ["#2e7d32" if r.open else "#1f77b4" for r in rows.itertuples(index=False)]
    ax.barh(range(len(rows)), values, color=colors)
    for i, v in enumerate(rows["saved_min"]):
        ax.text(values[i], i, f" {'∞' if math.isinf(v) else f'{v:.1f}'}", va="center", fontsize=8)
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.axvline(0, color="#333", linewidth=0.8)
    ax.set_xlabel("节省时间 minutes saved (weighted average)")
    ax.grid(axis="x", alpha=0.3)
    scenario, mode = table.attrs.get("scenario", ""), table.attrs.get("mode", "")
    ax.set_title(f"项目贡献 project impacts · {origin} · {mode} · {scenario}\neach project switched alone", fontsize=10)
    fig.tight_layout()
    return fig
