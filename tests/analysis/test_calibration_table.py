"""docs/calibration.md is generated from the data, current, and every row is in range or says why not."""

from __future__ import annotations

from pathlib import Path

import pxnet
from pxnet.analysis import CALIBRATION_RANGE, calibration, calibration_markdown

PAGE = Path(__file__).resolve().parents[2] / "docs" / "calibration.md"


def test_every_published_time_is_in_range_or_explained() -> None:
    table = calibration()
    net = pxnet.load_network()
    assert len(table) == len(net.published_times) >= 15  # no row dropped
    assert table["source"].str.contains("http").all()
    low, high = CALIBRATION_RANGE
    inside = table["ratio"].between(low, high)
    assert (table.loc[inside, "status"] == "ok").all()
    misses = table[~inside]
    assert (misses["status"] == "miss").all()
    assert (misses["model_note"].str.len() > 20).all(), misses[["from", "to", "date", "ratio"]]
    assert inside.mean() >= 0.7


def test_the_page_is_current() -> None:
    assert PAGE.read_text(encoding="utf-8") == calibration_markdown(calibration()), (
        "docs/calibration.md is out of date: run `python docs/make_calibration.py`"
    )
