"""Warnings point at the user's line, however deep in pxnet they arise, and the command line prints each as one
clean line (no Python file name, no source line)."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import pxnet
from pxnet import DataWarning
from pxnet.cli import main
from pxnet.errors import warn

ROOT = Path(__file__).resolve().parents[1]
LONG = {"links.csv": [(",expressway,140,", ",expressway,400,")]}  # 400 km for a 93 km straight line


def _caught(call) -> list[warnings.WarningMessage]:  # type: ignore[no-untyped-def]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [w for w in caught if issubclass(w.category, DataWarning)]


def test_a_data_warning_points_at_the_line_that_loaded_the_folder(make_folder):
    folder = make_folder(replace=LONG)
    line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
    found = _caught(lambda: pxnet.load_network(folder))
    assert found and {(w.filename, w.lineno) for w in found} == {(__file__, line)}
    assert "road_px_cs" in str(found[0].message)


def test_through_the_command_line_the_warning_points_at_the_call_of_main(make_folder, capsys):
    folder = make_folder(replace=LONG)
    line = inspect.currentframe().f_lineno + 1  # type: ignore[union-attr]
    found = _caught(lambda: main(["--data", str(folder), "validate"]))
    assert found and {(w.filename, w.lineno) for w in found} == {(__file__, line)}


def test_warn_skips_every_pxnet_frame():
    def user() -> list[warnings.WarningMessage]:
        return _caught(lambda: warn("x", DataWarning))

    found = user()
    assert found[0].filename == __file__  # the lambda here, not pxnet/errors.py


def test_the_command_line_prints_a_warning_as_one_clean_line(make_folder):
    folder = make_folder(replace=LONG)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONWARNINGS", None)
    done = subprocess.run(
        [sys.executable, "-m", "pxnet", "--data", str(folder), "validate"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = [s for s in done.stderr.splitlines() if s.strip()]
    assert lines, "no warning printed"
    assert all(s.startswith("pxnet: warning: links.csv") and s.endswith("(DataWarning)") for s in lines), lines
    assert ".py:" not in done.stderr and "warn(" not in done.stderr


@pytest.mark.parametrize("module", ["pxnet/io", "pxnet/cards", "pxnet/plot", "pxnet/report", "pxnet/network.py"])
def test_no_fixed_stacklevel_is_left_in(module):
    """Every warning of these modules goes through pxnet.errors.warn, which finds the user's frame itself."""
    paths = [ROOT / module] if module.endswith(".py") else sorted((ROOT / module).rglob("*.py"))
    offenders = [str(p.relative_to(ROOT)) for p in paths if "warnings.warn(" in p.read_text(encoding="utf-8")]
    assert offenders == []
