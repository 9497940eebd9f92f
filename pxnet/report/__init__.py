"""Reports of assessments and comparisons: terminal tables, Markdown, HTML, JSON, figures and maps.

Reports draw results and compute nothing: the caller computes what a report shows once
(:func:`pxnet.analysis.report_inputs`) and hands it over. Every report is built once as a report model
(:func:`assessment_report`, :func:`comparison_report`: a small tree of sections, tables, figures and notes) and
laid out by one renderer per format, so the terminal, the Markdown and the HTML say the same. ``lang="zh"``
writes a report in Chinese throughout. Everything that comes from the data is escaped for the format; the HTML
page embeds the CJK glyphs it uses.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from ..analysis import Comparison, ReportInputs, report_inputs
from ..goals import Assessment
from ..io import atomic_folder, atomic_path
from ..plot import (
    census_units,
    figure_comparison,
    figure_gba_times,
    figure_status,
    plot_corridor,
    plot_isochrones,
    plot_network,
    plot_scenario_difference,
    root_figure,
    save_figure,
)
from ._html import render_html
from ._markdown import render_markdown
from ._model import LANGS, Report, assessment_report, check_lang, comparison_report, focus_scenario
from ._terminal import render_terminal

__all__ = [
    "LANGS",
    "Report",
    "assessment_html",
    "assessment_markdown",
    "assessment_report",
    "comparison_report",
    "figure_comparison",
    "figure_gba_times",
    "figure_status",
    "format_assessment",
    "format_comparison",
    "save_figure",
    "write_assessment",
    "write_comparison",
]

#: Called with a short label before each slow step of :func:`write_assessment` (figures, maps).
Progress = Callable[[str], None]


def format_assessment(assessment: Assessment, *, color: bool = False, lang: str = "en") -> str:
    """Render the goal × scenario matrix and the current findings as terminal text (ANSI colours if ``color``).

    Examples
    --------
    >>> import pxnet
    >>> text = format_assessment(pxnet.assess(["pinglian_open_2021"], ["as-built-2022"], flips=False))
    >>> "✔ met" in text
    True
    """
    return render_terminal(assessment_report(assessment, lang=lang, maps=False), color=color)


def assessment_markdown(
    assessment: Assessment, figures: dict[str, str], *, lang: str = "en", inputs: ReportInputs | None = None
) -> str:
    """Render the assessment as a Markdown report; ``figures`` maps figure keys to relative paths.

    ``inputs`` (:func:`pxnet.analysis.report_inputs`) adds the model checks and the 3-hour corridor tables.

    Examples
    --------
    >>> import pxnet
    >>> md = assessment_markdown(pxnet.assess(["pinglian_open_2021"], ["as-built-2022"], flips=False), {})
    >>> md.splitlines()[0]
    '# 萍乡对接粤港澳大湾区：交通目标评估 · Plan goal assessment'
    """
    return render_markdown(assessment_report(assessment, lang=lang, inputs=inputs), figures)


def assessment_html(
    assessment: Assessment,
    figures: dict[str, str],
    *,
    lang: str = "en",
    embed_font: bool = True,
    inputs: ReportInputs | None = None,
) -> str:
    """Render the assessment as one HTML page (figures referenced by relative path, CJK glyphs embedded).

    ``inputs`` (:func:`pxnet.analysis.report_inputs`) adds the model checks and the 3-hour corridor tables.

    Examples
    --------
    >>> import pxnet
    >>> page = assessment_html(pxnet.assess(["pinglian_open_2021"], ["as-built-2022"], flips=False), {})
    >>> page.startswith("<!DOCTYPE html>")
    True
    """
    return render_html(assessment_report(assessment, lang=lang, inputs=inputs), figures, embed_font=embed_font)


def _write_text(path: Path, text: str) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path


def _maps(assessment: Assessment, inputs: ReportInputs, folder: Path, step: Progress) -> dict[str, Path]:
    """Draw the maps from the inputs: network, isochrones and corridor per scenario, first against last."""
    net = assessment.network
    focus = next(s for s in assessment.scenarios if s.name == focus_scenario(assessment))
    paths: dict[str, Path] = {}
    step("map: network")
    paths["network"] = save_figure(root_figure(plot_network(focus)), folder / "network.png")
    for i, sc in enumerate(assessment.scenarios):
        bands = inputs.isochrones.get(sc.name)
        if bands is not None:
            step(f"map: isochrones in {sc.name}")
            fig = root_figure(plot_isochrones(bands, network=sc))
            paths[f"isochrones_{i}"] = save_figure(fig, folder / f"isochrones_{i}.png")
        table = inputs.corridor.get(sc.name)
        if table is not None:
            step(f"map: the 3-hour question in {sc.name}")
            for lang in LANGS:
                fig = root_figure(plot_corridor(table, reach=bands, network=net, lang=lang))
                paths[f"corridor_{i}_{lang}"] = save_figure(fig, folder / f"corridor_{i}_{lang}.png")
    first, last = assessment.scenarios[0].name, assessment.scenarios[-1].name
    if len(assessment.scenarios) > 1 and first in inputs.isochrones and last in inputs.isochrones:
        step("map: scenario difference")
        a, b = inputs.isochrones[first], inputs.isochrones[last]
        fig = plot_scenario_difference(a, b, band=180, network=net)
        paths["difference"] = save_figure(fig, folder / "difference.png")
    return paths


def _inputs(assessment: Assessment, *, figures: bool, maps: bool) -> ReportInputs:
    """Compute what the report draws, once, when the caller did not (the census units count band populations)."""
    units = census_units(assessment.network) if figures and maps else None
    return report_inputs(assessment.scenarios, network=assessment.network, figures=figures, maps=maps, units=units)


def write_assessment(
    assessment: Assessment,
    out: str | Path,
    *,
    figures: bool = True,
    maps: bool = True,
    lang: str = "en",
    progress: Progress | None = None,
    inputs: ReportInputs | None = None,
) -> dict[str, Path]:
    """Write ``report.md``, ``report.html``, ``assessment.json``, the figures and the maps into a folder.

    Parameters
    ----------
    assessment
        What to report.
    out
        The folder (created if needed).
    figures
        Draw the figures (status matrix, travel times) into ``figures/``.
    maps
        With ``figures``: also draw the maps (the network, the 60/120/180-min isochrones from the data set's
        origin in each scenario, the 180-min difference of the first and last scenario). The slow part.
    lang
        ``"en"`` or ``"zh"`` (the whole report in Chinese).
    progress
        Called with a label before each slow step (e.g. to drive a progress bar); default silent.
    inputs
        What the report draws, computed once by the caller (:func:`pxnet.analysis.report_inputs`, with
        :func:`pxnet.plot.census_units` to count the people in the isochrone bands); when not given, it is
        computed here once, in the same way. Figures and maps only draw it.

    The set is written into a temporary folder beside ``out`` and swapped in whole when complete: a failure, or
    a process killed part-way, leaves the previous report complete, never new figures beside old text. Files of
    other programs in ``out`` are kept; the report's own (:data:`ASSESSMENT_FILES`) are replaced together.
    Returns the paths by key (``markdown``, ``html``, ``json``, ``status``, ``gba``, ``network``,
    ``isochrones_<i>``, ``corridor_<i>_en``, ``corridor_<i>_zh``, ``difference``).

    Raises
    ------
    ExportError
        If ``out`` is a file or the working folder, or it (or its parent) cannot be written.

    Examples
    --------
    >>> import pxnet, tempfile
    >>> from pxnet.report import write_assessment
    >>> a = pxnet.assess(["pinglian_open_2021"], ["as-built-2022"], flips=False)
    >>> sorted(write_assessment(a, tempfile.mkdtemp(), figures=False))
    ['html', 'json', 'markdown']
    """
    check_lang(lang)
    folder = Path(out)
    step: Progress = progress or (lambda label: None)
    if inputs is None:  # computed before the transaction: a slow step that writes nothing
        step("computing what the report shows")
        inputs = _inputs(assessment, figures=figures, maps=maps)
    with atomic_folder(folder, owned=ASSESSMENT_FILES) as stage:
        written = _write_assessment_set(
            assessment, stage, figures=figures, maps=maps, lang=lang, step=step, inputs=inputs
        )
    return {key: folder / path.relative_to(stage) for key, path in written.items()}


#: The names a report folder's set is made of: on a new write they are replaced together, other files kept.
ASSESSMENT_FILES = ("report.md", "report.html", "assessment.json", "figures")
COMPARISON_FILES = ("comparison.md", "od.csv", "indicators.csv", "watt_change.png")


def _write_assessment_set(
    assessment: Assessment,
    folder: Path,
    *,
    figures: bool,
    maps: bool,
    lang: str,
    step: Progress,
    inputs: ReportInputs,
) -> dict[str, Path]:
    """Write the report's files into ``folder`` (the transaction's temporary folder)."""
    paths: dict[str, Path] = {}
    if figures:
        figs = folder / "figures"
        figs.mkdir(exist_ok=True)
        step("figure: status")
        paths["status"] = save_figure(figure_status(assessment, lang=lang), figs / "status.png")
        step("figure: travel times")
        fig = figure_gba_times(assessment, skims=inputs.skims)
        paths["gba"] = save_figure(fig, figs / "gba_travel_times.png")
        if maps:
            paths.update(_maps(assessment, inputs, figs, step))
    rel = {k: f"figures/{p.name}" for k, p in paths.items()}
    report = assessment_report(assessment, lang=lang, maps=maps and figures, inputs=inputs)
    step("report")
    paths["markdown"] = _write_text(folder / "report.md", render_markdown(report, rel))
    paths["html"] = _write_text(folder / "report.html", render_html(report, rel))
    text = json.dumps(assessment.to_json(), ensure_ascii=False, indent=2)
    paths["json"] = _write_text(folder / "assessment.json", text + "\n")
    return paths


# -- comparisons ---------------------------------------------------------------------------------
def format_comparison(comparison: Comparison, *, n: int = 10, lang: str = "en") -> str:
    """Winners, losers and the largest OD changes as terminal text (``lang="zh"``: in Chinese).

    Examples
    --------
    >>> import pxnet
    >>> text = format_comparison(pxnet.compare(2019, "expected-2030", origins=["莲花"], destinations=["深圳"]))
    >>> "Winners" in text
    True
    """
    return render_terminal(comparison_report(comparison, n=n, lang=lang))


def write_comparison(
    comparison: Comparison, out: str | Path, *, figures: bool = True, lang: str = "en"
) -> dict[str, Path]:
    """Write ``comparison.md``, ``od.csv``, ``indicators.csv`` and a figure into a folder, swapped in whole.

    As :func:`write_assessment`: the set is written beside ``out`` and replaces the previous one in one step.

    ``lang="zh"`` writes ``comparison.md`` in Chinese.

    Examples
    --------
    >>> import pxnet, tempfile
    >>> c = pxnet.compare(2019, "expected-2030", origins=["莲花"], destinations=["深圳"])
    >>> sorted(write_comparison(c, tempfile.mkdtemp(), figures=False))
    ['indicators', 'markdown', 'od']
    """
    folder = Path(out)
    with atomic_folder(folder, owned=COMPARISON_FILES) as stage:
        written = _write_comparison_set(comparison, stage, figures=figures, lang=lang)
    return {key: folder / path.relative_to(stage) for key, path in written.items()}


def _write_comparison_set(comparison: Comparison, folder: Path, *, figures: bool, lang: str) -> dict[str, Path]:
    paths: dict[str, Path] = {}
    with atomic_path(folder / "od.csv") as tmp:
        comparison.od.to_csv(tmp, index=False)
    paths["od"] = folder / "od.csv"
    with atomic_path(folder / "indicators.csv") as tmp:
        comparison.indicators.to_csv(tmp, index_label="place")
    paths["indicators"] = folder / "indicators.csv"
    rel: dict[str, str] = {}
    if figures:
        paths["figure"] = save_figure(figure_comparison(comparison), folder / "watt_change.png")
        rel["figure"] = "watt_change.png"
    paths["markdown"] = _write_text(
        folder / "comparison.md", render_markdown(comparison_report(comparison, lang=lang), rel)
    )
    return paths
