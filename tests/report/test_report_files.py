"""A report folder is one set: written beside ``out`` and swapped in whole, so a failure or a kill part-way leaves
the previous report complete (a SIGKILL 0.2–4 s in once left new figures beside the old report text)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import pxnet
from pxnet import ExportError, report
from pxnet.report import write_assessment, write_comparison

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def assessment() -> pxnet.Assessment:
    return pxnet.assess(["pinglian_open_2021"], ["as-built-2022"], flips=False)


def _set(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_injected_failure_leaves_the_old_report(assessment, tmp_path, monkeypatch):
    out = tmp_path / "report"
    write_assessment(assessment, out, figures=True, maps=False)
    (out / "my notes.txt").write_text("kept")
    old = _set(out)

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(report, "render_html", broken)  # after the figures and report.md are written
    with pytest.raises(ExportError, match="previous set, if any, is intact"):
        write_assessment(assessment, out, figures=True, maps=False, lang="zh")
    assert _set(out) == old
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


def test_a_new_set_replaces_the_old_one_whole(assessment, tmp_path):
    out = tmp_path / "report"
    write_assessment(assessment, out, figures=True, maps=False)
    (out / "my notes.txt").write_text("kept")
    paths = write_assessment(assessment, out, figures=False)
    assert sorted(_set(out)) == ["assessment.json", "my notes.txt", "report.html", "report.md"]  # no old figures
    assert paths["html"] == out / "report.html" and paths["html"].is_file()


def test_comparison_folder_is_one_set_too(tmp_path, monkeypatch):
    comparison = pxnet.compare(2019, "expected-2030", origins=["莲花"], destinations=["深圳"])
    out = tmp_path / "cmp"
    write_comparison(comparison, out, figures=False)
    old = _set(out)
    monkeypatch.setattr(report, "render_markdown", lambda *a, **k: 1 / 0)
    with pytest.raises(ExportError):
        write_comparison(comparison, out, figures=False)
    assert _set(out) == old


WRITER = textwrap.dedent(
    """
    import sys, time
    import pxnet
    from pxnet.report import write_assessment

    def progress(label):
        print(label, flush=True)
        if label == "report":
            time.sleep(120)  # killed here: the figures of the new set are written, its text is not

    a = pxnet.assess(["pinglian_open_2021"], ["as-built-2022"], flips=False)
    write_assessment(a, sys.argv[1], figures=True, maps=False, lang="zh", progress=progress)
    """
)


def test_killed_writer_leaves_the_old_report(assessment, tmp_path):
    out = tmp_path / "report"
    write_assessment(assessment, out, figures=False)
    old = _set(out)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(out)], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    try:
        labels = []
        while not labels or labels[-1] != "report":
            line = proc.stdout.readline()
            assert line, f"the writer ended early after {labels}"
            labels.append(line.strip())
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    # What the report shows is computed before the transaction; then the figures, then the text.
    assert [x for x in labels if x.startswith("figure")][:2] == ["figure: status", "figure: travel times"]
    assert _set(out) == old  # not the new figures beside the old text
    paths = write_assessment(assessment, out, figures=False, lang="zh")  # and the next write cleans up
    assert "评估" in paths["markdown"].read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc, where no folder can be made")
def test_read_only_destination_is_an_export_error(assessment, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExportError, match="working folder"):
        write_assessment(assessment, ".", figures=False)
    with pytest.raises(ExportError, match="cannot create folder"):
        write_assessment(assessment, "/proc/pxnet-report/out", figures=False)  # no folder can be made there


def test_cli_refuses_the_working_folder_before_assessing(tmp_path, monkeypatch, capsys):
    from pxnet.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["assess", "--no-flips", "--scenario", "as-built-2019", "--out", "."]) == 2
    assert "working folder" in capsys.readouterr().err
