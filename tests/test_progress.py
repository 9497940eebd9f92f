"""Progress in one place: bars follow the environment, and stages are announced a line each when piped."""

from __future__ import annotations

import logging

import pytest

from pxnet import _progress
from pxnet._progress import Bar, Stages, bar_enabled, progress

pytestmark = pytest.mark.timeout(60)


def test_bars_follow_the_environment(monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.delenv("PXNET_PROGRESS", raising=False)
    assert not bar_enabled()
    monkeypatch.setenv("PXNET_PROGRESS", "1")
    assert bar_enabled()
    monkeypatch.delenv("CI")
    monkeypatch.setenv("PXNET_PROGRESS", "0")
    assert not bar_enabled()
    monkeypatch.delenv("PXNET_PROGRESS")
    assert not bar_enabled()  # piped (as under pytest), no notebook: no bar
    monkeypatch.setattr(_progress, "_in_notebook", lambda: True)
    assert bar_enabled()  # a notebook shows its widget even though stderr is no terminal


def test_a_shown_bar_counts_on_stderr_and_a_hidden_one_writes_nothing(capsys):
    with Bar(4, desc="draws", unit="draw", show=True) as bar:
        bar.update(3)
        bar.update()
    assert "4/4" in capsys.readouterr().err
    with Bar(4, desc="draws", show=False) as bar:
        bar.update(4)
    assert capsys.readouterr().err == ""
    assert list(progress(iter("abc"), desc="letters")) == ["a", "b", "c"]


def test_each_stage_is_one_line_when_piped_and_a_log_record(capsys, caplog):
    with caplog.at_level(logging.INFO, logger="pxnet"):
        say = Stages("demo")
        say("reading")
        say("writing")
    assert capsys.readouterr().err.splitlines() == ["pxnet demo: 0 s: reading", "pxnet demo: 0 s: writing"]
    assert [r.getMessage() for r in caplog.records if r.name == "pxnet"] == ["demo: reading", "demo: writing"]
