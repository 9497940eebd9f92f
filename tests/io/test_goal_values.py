"""Numbers in ``goals.yaml`` checks: NaN, infinity, negatives and other out-of-range values are refused by file,
line and field (``NaN < 0`` is false, so a sign test alone let ``max_minutes: .nan`` through as "missed +nan min")."""

from __future__ import annotations

from pathlib import Path

import pytest

import pxnet
from pxnet import DataValidationError

HEAD = "- id: g1\n  name_zh: 测试\n  name_en: test\n  clause: x\n  deadline: 2025\n  source: test\n"


def _goals(check: str) -> str:
    return HEAD + f"  check: {check}\n"


def _refused(make_folder, check: str, column: str, pattern: str) -> None:
    folder: Path = make_folder(texts={"goals.yaml": _goals(check)})
    with pytest.raises(DataValidationError) as info:
        pxnet.load_network(folder)
    found = [p for p in info.value.problems if p.file == "goals.yaml" and p.column == column]
    assert found, info.value
    assert found[0].line == 1 and found[0].record == "g1"  # the goal's line and id
    assert pattern in found[0].message, found[0].message


TRAVEL = "{{type: travel_time, from: 萍乡北, to: 长沙南, mode: hsr, max_minutes: {}}}"


@pytest.mark.parametrize(
    ("value", "pattern"),
    [(".nan", "not a finite number"), (".inf", "not a finite number"), ("-.inf", "not a finite number"),
     ("-5", "positive"), ("0", "positive"), ("'90'", "not a number"), ("true", "not a number")],
)  # fmt: skip
def test_travel_time_max_minutes_out_of_range(make_folder, value, pattern):
    _refused(make_folder, TRAVEL.format(value), "check.max_minutes", pattern)


def test_other_check_numbers_out_of_range(make_folder):
    fraction = "{type: travel_time, from: 萍乡北, to: 长沙南, max_minutes: 60, initial_wait_fraction: 1.5}"
    _refused(make_folder, fraction, "check.initial_wait_fraction", "at most 1")
    _refused(make_folder, "{type: hub, station: 萍乡北, min_lines: 1.5}", "check.min_lines", "whole number")
    _refused(make_folder, "{type: hub, station: 萍乡北, min_lines: .nan}", "check.min_lines", "finite")
    coverage = "{type: coverage, places: [萍乡市], target: hsr_station, max_minutes: .nan}"
    _refused(make_folder, coverage, "check.max_minutes", "finite")


def test_a_valid_goal_still_loads(make_folder):
    net = pxnet.load_network(make_folder(texts={"goals.yaml": _goals(TRAVEL.format(60))}))
    assert [g.id for g in net.goals] == ["g1"] and net.goals[0].check["max_minutes"] == 60
