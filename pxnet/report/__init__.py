"""Reports of assessments and comparisons: terminal tables, Markdown, HTML, JSON and figures."""

from __future__ import annotations

import html
import json
import math
import textwrap
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis import Comparison, check_times
from ..goals import Assessment, GoalResult, path_text
from ..io import atomic_path
from ..network import Network
from ..plot import figure_comparison, figure_gba_times, figure_status, save_figure

_SYMBOL = {"met": "✔ met", "missed": "✘ missed", "pending": "… pending", "not_assessable": "? n/a"}
_ANSI = {"met": "\033[32m", "missed": "\033[31m", "pending": "\033[33m", "not_assessable": "\033[90m"}


def _margin(r: GoalResult, *, short: bool = False) -> str:
    if r.margin is None:
        return ""
    if math.isinf(r.margin):
        return "unreachable"
    unit = {"days": "d", "lines": "ln", "min": "min", "%": "%"}.get(r.unit, r.unit) if short else r.unit
    return f"{r.margin:+,.0f} {unit}"


# -- terminal ------------------------------------------------------------------------------------
def format_assessment(assessment: Assessment, *, color: bool = False) -> str:
    """The goal × scenario matrix and the current findings as terminal text (ANSI colours if ``color``).

    Examples
    --------
    >>> import pxnet
    >>> text = format_assessment(pxnet.assess(["pinglian_open_2021"], ["as-built-2022"], flips=False))
    >>> "✔ met" in text
    True
    """
    scenarios = [s.name for s in assessment.scenarios]
    goals = list(dict.fromkeys(r.goal.id for r in assessment.results))
    width = max(len(g) for g in goals) + 2
    cell = max(20, *(len(s) + 2 for s in scenarios))
    lines = [
        f"pxnet plan assessment — data {assessment.network.data_date}",
        "",
        f"{'goal':<{width}}" + "".join(f"{s:<{cell}}" for s in scenarios),
    ]
    for goal in goals:
        row = f"{goal:<{width}}"
        for s in scenarios:
            r = assessment.result(goal, s)
            text = f"{_SYMBOL[r.status]} {_margin(r, short=True)}".strip()
            padded = f"{text:<{cell}}"
            row += f"{_ANSI[r.status]}{padded}\033[0m" if color else padded
        lines.append(row)
    focus = _focus(assessment)
    lines += [
        "",
        "Margins: + inside the target, − outside (min, d = days, ln = lines, % points).",
        "",
        f"Findings in {focus}:",
    ]
    for goal in goals:
        r = assessment.result(goal, focus)
        status = f"{_ANSI[r.status]}{_SYMBOL[r.status]}\033[0m" if color else _SYMBOL[r.status]
        lines.append(f"- {r.goal.name_zh}: {status} — {r.reason}")
        if r.flips:
            lines.append(f"    flips: {'; '.join(r.flips)}")
    head, fragile = _robustness(assessment)
    if head:
        lines += ["", textwrap.fill(head, 110)] + [f"  - {line}" for line in fragile]
    return "\n".join(lines)


def _focus(assessment: Assessment) -> str:
    """The scenario the findings list describes: the latest as-built one, else the first."""
    built = [s for s in assessment.scenarios if s.name.startswith("as-built-")]
    return (max(built, key=lambda s: s.date) if built else assessment.scenarios[0]).name


# -- Markdown and HTML ---------------------------------------------------------------------------
def _md_table(frame: pd.DataFrame) -> str:
    cols = [str(c) for c in frame.columns]
    out = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in frame.itertuples(index=False):
        cells = [_fmt(v).replace("|", "\\|") for v in row]
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        if math.isinf(value):
            return "∞"
        if math.isnan(value):
            return ""
        return f"{value:,.1f}"
    return str(value)


def _legs_table(legs: pd.DataFrame) -> pd.DataFrame:
    return legs[["leg", "mode", "from", "to", "via", "km", "minutes"]]


def _wait_note(net: Network) -> str:
    """Why the figure's minutes differ from the station-to-station goals' minutes."""
    fraction = net.parameters.initial_wait_fraction
    return (
        f"These times include a wait of {fraction:g} × the headway before the first train (an average traveller); "
        "the station-to-station goals below count the fastest train, with no first wait, so their minutes are lower."
    )


def _robustness(assessment: Assessment) -> tuple[str, list[str]]:
    """A sentence on how many verdicts survive the parameter ranges, and one line per verdict that does not."""
    table = assessment.sensitivity
    if table is None:
        return "", []
    verdicts = table.groupby(["goal", "scenario"], sort=False)["robust"].all()
    params = ", ".join(
        f"{n} {lo:g}–{hi:g}" for n, lo, hi in table[["parameter", "low", "high"]].drop_duplicates().values
    )
    head = (
        f"{int(verdicts.sum())} of {len(verdicts)} measured verdicts stay the same when any one model parameter "
        f"moves to either end of its range in parameters.yaml ({params})."
    )
    lines = [
        f"{r.goal} in {r.scenario}: {r.base_status} → {r.status} with {r.parameter} = {r.at:g} "
        f"({_num(r.base_value)} → {_num(r.value)} {r.unit or ''})".rstrip()
        for r in assessment.fragile().itertuples(index=False)
    ]
    return head, lines


def _num(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return f"{float(value):.1f}"


def assessment_markdown(assessment: Assessment, figures: dict[str, str]) -> str:
    """The assessment as a Markdown report; ``figures`` maps figure keys to relative paths.

    Examples
    --------
    >>> import pxnet
    >>> md = assessment_markdown(pxnet.assess(["pinglian_open_2021"], ["as-built-2022"], flips=False), {})
    >>> md.splitlines()[0]
    '# 萍乡对接粤港澳大湾区：交通目标评估 · Plan goal assessment'
    """
    net = assessment.network
    focus = _focus(assessment)
    matrix = assessment.matrix().map(lambda s: _SYMBOL[s])
    names = {r.goal.id: r.goal.name_zh for r in assessment.results}
    matrix.insert(0, "goal", [f"{names[g]} (`{g}`)" for g in matrix.index])
    parts = [
        "# 萍乡对接粤港澳大湾区：交通目标评估 · Plan goal assessment",
        "",
        f"Data date {net.data_date}. Plan: 萍府办发〔2019〕5号 (2019-02-20). Generated by pxnet.",
        "",
        "## Scenarios",
        "",
        _md_table(
            pd.DataFrame(
                [
                    {
                        "scenario": s.name,
                        "date": s.date.isoformat(),
                        "basis": s.basis,
                        "description": s.spec.description,
                    }
                    for s in assessment.scenarios
                ]
            )
        ),
        "",
        "## Goals by scenario",
        "",
        f"![status]({figures['status']})" if "status" in figures else "",
        "",
        _md_table(matrix.reset_index(drop=True)),
        "",
        "Statuses: met; missed (deadline passed and the check fails, or a milestone came late); pending (not",
        "yet due); n/a (the data cannot answer). Margins: positive inside the target.",
        "",
        "## Travel time to the Greater Bay Area",
        "",
        f"![travel times]({figures['gba']})" if "gba" in figures else "",
        "",
        _wait_note(net),
        "",
    ]
    head, fragile = _robustness(assessment)
    if head:
        parts += ["## How sure are the verdicts", "", head, ""]
        parts += [f"- {line}" for line in fragile] + ([""] if fragile else [])
    parts += [
        f"## Goals in detail (critical paths in {focus})",
    ]
    checks = check_times(network=net)
    for goal in assessment.goals:
        parts += [
            "",
            f"### {goal.name_zh}",
            "",
            f"*{goal.name_en}* — `{goal.id}`, deadline {goal.deadline}",
            "",
            f"> {goal.clause} （{goal.section}）",
            "",
        ]
        if goal.threshold_source:
            parts += [f"Threshold: {goal.threshold_source}", ""]
        if goal.note:
            parts += [f"Note: {goal.note}", ""]
        rows = []
        for s in assessment.scenarios:
            r = assessment.result(goal.id, s.name)
            rows.append(
                {
                    "scenario": s.name,
                    "status": _SYMBOL[r.status],
                    "margin": _margin(r),
                    "why": r.reason,
                    "flips": "; ".join(r.flips),
                }
            )
        parts += [_md_table(pd.DataFrame(rows)), ""]
        r = assessment.result(goal.id, focus)
        if r.critical_path is not None and not r.critical_path.empty:
            parts += [
                f"Critical path in {focus}: {path_text(r.critical_path)}",
                "",
                _md_table(_legs_table(r.critical_path)),
                "",
            ]
        if r.details is not None and len(r.details) > 2:
            parts += [f"Every pair in {focus}:", "", _md_table(r.details), ""]
    if not checks.empty:
        parts += [
            "## Model checks",
            "",
            "Model times (no initial wait) beside sourced observed run times (`observed_times.csv`):",
            "",
            _md_table(checks.drop(columns=["source"])),
            "",
        ]
    return "\n".join(parts) + "\n"


_CSS = " ".join(
    [
        "body{font-family:'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;max-width:1100px;",
        "margin:2em auto;padding:0 1em;color:#222}",
        "table{border-collapse:collapse;margin:.5em 0 1.2em;font-size:.9em}",
        "td,th{border:1px solid #ccc;padding:.25em .5em;vertical-align:top}th{background:#f3f3f3}",
        "blockquote{border-left:4px solid #999;margin:.5em 0;padding:.2em .8em;color:#444}img{max-width:100%}",
        ".met{color:#2e7d32}.missed{color:#c62828}.pending{color:#b58500}.not_assessable{color:#777}",
    ]
)


def assessment_html(assessment: Assessment, figures: dict[str, str]) -> str:
    """The assessment as a self-contained HTML page (figures referenced by relative path).

    Examples
    --------
    >>> import pxnet
    >>> page = assessment_html(pxnet.assess(["pinglian_open_2021"], ["as-built-2022"], flips=False), {})
    >>> page.startswith("<!DOCTYPE html>")
    True
    """
    esc = html.escape
    focus = _focus(assessment)
    net = assessment.network
    goals = assessment.goals
    head = "".join(f"<th>{esc(s.name)}</th>" for s in assessment.scenarios)
    body = []
    for g in goals:
        cells = "".join(
            f"<td class='{r.status}'>{esc(_SYMBOL[r.status])} {esc(_margin(r))}</td>"
            for r in (assessment.result(g.id, s.name) for s in assessment.scenarios)
        )
        body.append(f"<tr><td>{esc(g.name_zh)}<br><code>{esc(g.id)}</code></td>{cells}</tr>")
    out = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        "<title>pxnet plan assessment</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>萍乡对接粤港澳大湾区：交通目标评估 · Plan goal assessment</h1>",
        f"<p>Data date {esc(net.data_date)}. Plan: 萍府办发〔2019〕5号 (2019-02-20). Generated by pxnet.</p>",
        "<h2>Goals by scenario</h2>",
        f"<img src='{esc(figures['status'])}' alt='status matrix'>" if "status" in figures else "",
        f"<table><tr><th>goal</th>{head}</tr>{''.join(body)}</table>",
        "<h2>Travel time to the Greater Bay Area</h2>",
        f"<img src='{esc(figures['gba'])}' alt='travel times'>" if "gba" in figures else "",
        f"<p>{esc(_wait_note(net))}</p>",
    ]
    head, fragile = _robustness(assessment)
    if head:
        out += ["<h2>How sure are the verdicts</h2>", f"<p>{esc(head)}</p>"]
        out += ["<ul>" + "".join(f"<li>{esc(line)}</li>" for line in fragile) + "</ul>"] if fragile else []
    out += [
        f"<h2>Goals in detail (critical paths in {esc(focus)})</h2>",
    ]
    for g in goals:
        out += [
            f"<h3>{esc(g.name_zh)}</h3><p><em>{esc(g.name_en)}</em> — <code>{esc(g.id)}</code>, deadline "
            f"{esc(str(g.deadline))}</p><blockquote>{esc(g.clause)}（{esc(g.section)}）</blockquote>"
        ]
        if g.threshold_source:
            out.append(f"<p>Threshold: {esc(g.threshold_source)}</p>")
        rows = "".join(
            f"<tr><td>{esc(s.name)}</td><td class='{r.status}'>{esc(_SYMBOL[r.status])}</td><td>{esc(_margin(r))}"
            f"</td><td>{esc(r.reason)}</td><td>{esc('; '.join(r.flips))}</td></tr>"
            for s in assessment.scenarios
            for r in [assessment.result(g.id, s.name)]
        )
        out.append(
            f"<table><tr><th>scenario</th><th>status</th><th>margin</th><th>why</th><th>flips</th></tr>{rows}</table>"
        )
        r = assessment.result(g.id, focus)
        if r.critical_path is not None and not r.critical_path.empty:
            out.append(f"<p>Critical path in {esc(focus)}: {esc(path_text(r.critical_path))}</p>")
            out.append(_legs_table(r.critical_path).to_html(index=False, float_format=lambda v: f"{v:,.1f}"))
    checks = check_times(network=net)
    if not checks.empty:
        out.append(
            "<h2>Model checks</h2><p>Model times (no initial wait) beside sourced observed run times "
            "(<code>observed_times.csv</code>):</p>"
        )
        out.append(checks.to_html(index=False, float_format=lambda v: f"{v:,.2f}"))
    out.append("</body></html>")
    return "\n".join(out)


def _write_text(path: Path, text: str) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path


def write_assessment(assessment: Assessment, out: str | Path, *, figures: bool = True) -> dict[str, Path]:
    """Write ``report.md``, ``report.html``, ``assessment.json`` and the figures into a folder.

    Every file is written atomically. Returns the paths by key (``markdown``, ``html``, ``json``, ``status``,
    ``gba``).

    Examples
    --------
    >>> import pxnet, tempfile
    >>> from pxnet.report import write_assessment
    >>> a = pxnet.assess(["pinglian_open_2021"], ["as-built-2022"], flips=False)
    >>> sorted(write_assessment(a, tempfile.mkdtemp(), figures=False))
    ['html', 'json', 'markdown']
    """
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    rel: dict[str, str] = {}
    if figures:
        (folder / "figures").mkdir(exist_ok=True)
        paths["status"] = save_figure(figure_status(assessment), folder / "figures" / "status.png")
        paths["gba"] = save_figure(figure_gba_times(assessment), folder / "figures" / "gba_travel_times.png")
        rel = {k: f"figures/{p.name}" for k, p in paths.items()}
    paths["markdown"] = _write_text(folder / "report.md", assessment_markdown(assessment, rel))
    paths["html"] = _write_text(folder / "report.html", assessment_html(assessment, rel))
    text = json.dumps(assessment.to_json(), ensure_ascii=False, indent=2)
    paths["json"] = _write_text(folder / "assessment.json", text + "\n")
    return paths


# -- comparisons ---------------------------------------------------------------------------------
def format_comparison(comparison: Comparison, *, n: int = 10) -> str:
    """Winners, losers and the largest OD changes as terminal text.

    Examples
    --------
    >>> import pxnet
    >>> text = format_comparison(pxnet.compare(2019, "expected-2030", origins=["莲花"], destinations=["深圳"]))
    >>> "Winners" in text
    True
    """
    c = comparison
    cols = ["name_zh", "watt_min_a", "watt_min_b", "watt_change_min", "daily_180_change", "potential_change_pct"]
    lines = [
        f"pxnet comparison: {c.b.name} against {c.a.name} ({c.mode})",
        "",
        "Winners (weighted average travel time falls most):",
        c.winners(n)[cols].to_string(float_format=lambda v: f"{v:,.1f}"),
        "",
    ]
    losers = c.losers(n)
    lines += ["Losers:", losers[cols].to_string(float_format=lambda v: f"{v:,.1f}") if len(losers) else "  (none)", ""]
    biggest = c.od.dropna(subset=["change_min"]).sort_values("change_min").head(n)
    lines += [
        "Largest OD gains:",
        biggest[["from", "to", "minutes_a", "minutes_b", "change_min", "change_pct"]].to_string(
            index=False, float_format=lambda v: f"{v:,.1f}"
        ),
    ]
    return "\n".join(lines)


def write_comparison(comparison: Comparison, out: str | Path, *, figures: bool = True) -> dict[str, Path]:
    """Write ``comparison.md``, ``od.csv``, ``indicators.csv`` and a figure into a folder (atomically).

    Examples
    --------
    >>> import pxnet, tempfile
    >>> c = pxnet.compare(2019, "expected-2030", origins=["莲花"], destinations=["深圳"])
    >>> sorted(write_comparison(c, tempfile.mkdtemp(), figures=False))
    ['indicators', 'markdown', 'od']
    """
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    with atomic_path(folder / "od.csv") as tmp:
        comparison.od.to_csv(tmp, index=False)
    paths["od"] = folder / "od.csv"
    with atomic_path(folder / "indicators.csv") as tmp:
        comparison.indicators.to_csv(tmp, index_label="place")
    paths["indicators"] = folder / "indicators.csv"
    fig_line = ""
    if figures:
        paths["figure"] = save_figure(figure_comparison(comparison), folder / "watt_change.png")
        fig_line = "![WATT change](watt_change.png)\n\n"
    c = comparison
    cols = ["name_zh", "watt_min_a", "watt_min_b", "watt_change_min", "daily_180_change", "potential_change_pct"]
    text = (
        f"# {c.b.name} against {c.a.name} ({c.mode})\n\nData date {c.a.network.data_date}.\n\n{fig_line}"
        f"## Winners\n\n{_md_table(c.winners(15)[cols])}\n\n## Losers\n\n{_md_table(c.losers(15)[cols])}\n\n"
        f"## Accessibility indicators\n\n{_md_table(c.indicators.reset_index(names='place'))}\n"
    )
    paths["markdown"] = _write_text(folder / "comparison.md", text)
    return paths
