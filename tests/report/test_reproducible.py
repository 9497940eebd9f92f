"""Reports are byte-reproducible: the same assessment gives the same files in every process, so that a planner can
diff two runs. The Chinese page embeds a font subset, whose ``head.modified`` fontTools stamps with the time of
saving unless told not to; string hashing differs between processes too (``PYTHONHASHSEED``)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from pxnet.report._fonts import font_face

ROOT = Path(__file__).resolve().parents[2]

BUILD = textwrap.dedent(
    """
    import sys
    import pxnet
    from pxnet.report import write_assessment

    a = pxnet.assess(["pinglian_open_2021", "hsr3h_guangzhou_station"], ["as-built-2022"], flips=False)
    write_assessment(a, sys.argv[1], figures=False, lang="zh")
    """
)


def test_chinese_report_is_identical_across_processes(tmp_path):
    if not font_face("萍"):
        pytest.skip("the CJK font package is not installed: no font is embedded")
    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"run{seed}"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", BUILD, str(out)], check=True, env=env, timeout=240)
        pages.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert sorted(pages[0]) == ["assessment.json", "report.html", "report.md"]
    assert b"data:font/woff;base64," in pages[0]["report.html"]
    for name in pages[0]:
        assert pages[0][name] == pages[1][name], f"{name} differs between two runs"
