"""Goal types as data: a toy goal type added the documented way, keys refused with suggestions, explicit margins.

The toy type ``line_km`` (kilometres of a line open in the scenario, as in ``docs/assessment.md``) is measured on
the test slice of ``tests/fixtures/networks.py``: its 沪昆高铁 links are 宜春–萍乡北 61 km and 萍乡北–长沙南
105 km, both existing, so the line has 61 + 105 = 166 km open in every scenario of the slice. Asked for 150 km,
the margin is 166 − 150 = +16 km (more is better); asked for 200 km, it is 166 − 200 = −34 km. Closing the
project ``hukun`` (both links belong to it) leaves 0 km, so it flips the first goal to "not met".
"""

from __future__ import annotations

import dataclasses
import importlib
import pickle
from collections.abc import Iterator

import pytest

import pxnet
from pxnet import DataValidationError
from pxnet.errors import UnknownGoalError
from pxnet.goals import BUILT_IN, GoalEvaluator, Measurement
from pxnet.io import Goal, GoalType, Key, Margin, goal_type, goal_types, register_goal_type, remove_goal_type
from pxnet.scenario import Scenario

pytestmark = pytest.mark.timeout(120)

HEAD = "  name_zh: 测试\n  name_en: test\n  clause: x\n  source: test\n"


def measure_line_km(evaluator: GoalEvaluator, goal: Goal, sc: Scenario, /, *, with_path: bool) -> Measurement:
    """Sum the lengths of the line's links open in the scenario, against ``min_km``."""
    line = goal.check["line"]
    km = float(sc.links.loc[sc.links["line_name"] == line, "length_km"].sum())
    need = float(goal.check["min_km"])
    return Measurement(km, need, km >= need, f"{line}: {km:g} km open", f"{line}：已开通 {km:g} 公里")


LINE_KM = GoalType(
    name="line_km",
    keys=(Key.text("line"), Key.number("min_km", positive=True)),
    measure=measure_line_km,
    margin=Margin.AT_LEAST,
    unit="km",
    measured=True,
    title_en="line length",
    title_zh="线路里程",
)


@pytest.fixture
def line_km() -> Iterator[GoalType]:
    """Register the toy type for one test and remove it afterwards, whatever the test does."""
    register_goal_type(LINE_KM)
    try:
        yield LINE_KM
    finally:
        remove_goal_type("line_km")


def _goal(goal_id: str, check: str, deadline: str = "2019") -> str:
    return f"- id: {goal_id}\n{HEAD}  deadline: {deadline}\n  check: {check}\n"


def _problems(make_folder, text: str) -> list[pxnet.errors.Problem]:
    with pytest.raises(DataValidationError) as info:
        pxnet.load_network(make_folder(texts={"goals.yaml": text}))
    return [p for p in info.value.problems if p.file == "goals.yaml"]


def test_a_toy_goal_type_is_one_entry_and_one_function(make_folder, line_km):
    text = _goal("line_150", "{type: line_km, line: 沪昆高铁, min_km: 150}") + _goal(
        "line_200", "{type: line_km, line: 沪昆高铁, min_km: 200}", deadline="2025"
    )
    net = pxnet.load_network(make_folder(texts={"goals.yaml": text}))
    assert [g.goal_type for g in net.goals] == [line_km, line_km]
    a = pxnet.assess(scenarios=["base-2019"], network=net)
    met, short = a.result("line_150", "base-2019"), a.result("line_200", "base-2019")
    assert (met.status, met.value, met.target, met.margin, met.unit) == ("met", 166.0, 150.0, 16.0, "km")
    assert met.flips == ["closing hukun → not met"]
    # base-2019 (2019-02-20) is before the 2025 deadline: pending, 34 km short.
    assert (short.status, short.margin) == ("pending", -34.0)
    assert a.to_json()["results"][0]["type"] == "line_km"


def test_a_measured_type_that_cannot_judge_gives_not_assessable(make_folder):
    """A function that finds nothing to measure (``holds=None``) yields ``not_assessable`` and no margin."""

    def unknown(evaluator: GoalEvaluator, goal: Goal, sc: Scenario, /, *, with_path: bool) -> Measurement:
        return Measurement(None, 150.0, None, "no length recorded", "无里程记录")

    register_goal_type(dataclasses.replace(LINE_KM, name="line_km_unknown", measure=unknown))
    try:
        text = _goal("g", "{type: line_km_unknown, line: 沪昆高铁, min_km: 150}")
        a = pxnet.assess(scenarios=["base-2019"], network=pxnet.load_network(make_folder(texts={"goals.yaml": text})))
    finally:
        remove_goal_type("line_km_unknown")
    r = a.result("g", "base-2019")
    assert (r.status, r.margin, r.satisfied, r.flips) == ("not_assessable", None, None, [])


def test_a_goal_carries_its_type_to_a_process_that_never_registered_it(make_folder, line_km):
    """Parallel ensembles pickle the network with its goals: a worker learns the toy type from the goal itself."""
    text = _goal("line_150", "{type: line_km, line: 沪昆高铁, min_km: 150}")
    (goal,) = pxnet.load_network(make_folder(texts={"goals.yaml": text})).goals
    data = pickle.dumps(goal)
    remove_goal_type("line_km")  # as in a fresh worker process
    copy = pickle.loads(data)
    assert copy == goal and goal_type("line_km") == LINE_KM and copy.goal_type is goal_type("line_km")
    assert pickle.loads(pickle.dumps(copy)).goal_type is goal_type("line_km")  # a known type is left as it is


def test_the_toy_type_leaves_no_trace(make_folder):
    """After the fixture removed it, the registry holds the built-in types only and a goal file may not name it."""
    assert goal_types() == BUILT_IN
    with pytest.raises(UnknownGoalError, match="did you mean 'hub'"):
        goal_type("hubb")
    (problem,) = _problems(make_folder, _goal("g", "{type: line_km, line: 沪昆高铁, min_km: 150}"))
    assert problem.column == "check.type" and "unknown check type 'line_km'" in problem.message


def test_unknown_keys_are_refused_with_a_suggestion(make_folder, line_km):
    text = _goal("g1", "{type: line_km, line: 沪昆高铁, min_kms: 150}") + _goal(
        "g2", "{type: hub, station: 萍乡北, min_line: 2}"
    ).replace("  deadline:", "  deadlin:")
    found = {(p.record, p.column): p for p in _problems(make_folder, text)}
    typo = found[("g1", "check.min_kms")]
    assert typo.line == 1 and "unknown key for a line_km check (did you mean 'min_km'?)" in typo.message
    assert found[("g1", "check.min_km")].message == "required value is missing"
    assert "did you mean 'min_lines'?" in found[("g2", "check.min_line")].message
    assert "did you mean 'deadline'?" in found[("g2", "deadlin")].message
    (wrong_type,) = _problems(make_folder, _goal("g3", "{type: hubb, station: 萍乡北, min_lines: 2}"))
    assert "did you mean 'hub'?" in wrong_type.message


def test_choice_and_project_values_are_refused_with_a_suggestion(make_folder):
    text = _goal("g", "{type: milestone, project: hukunn, event: opne}")
    found = {p.column: p.message for p in _problems(make_folder, text)}
    assert found == {
        "check.project": "unknown project 'hukunn' (did you mean 'hukun'?)",
        "check.event": "'opne' is not allowed (did you mean 'open'?); allowed: start, full_start, open, complete",
    }


def test_a_registered_name_is_not_taken_twice(line_km):
    with pytest.raises(pxnet.errors.GoalTypeError, match="already registered"):
        register_goal_type(LINE_KM)
    with pytest.raises(pxnet.errors.GoalTypeError, match="named 'type'"):
        register_goal_type(dataclasses.replace(LINE_KM, name="other", keys=(Key.text("type"),)))


def test_each_built_in_type_states_its_margin_direction():
    """Fewer minutes is better for travel time and coverage (margin = target − value); more lines and more
    improvement is better for hub and accessibility (value − target); a milestone counts days to its deadline.

    The margin is a required field: a goal type cannot leave it to be guessed (from its unit or otherwise).
    """
    field = {f.name: f for f in dataclasses.fields(GoalType)}["margin"]
    assert field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
    directions = {t.name: t.margin for t in BUILT_IN}
    assert directions == {
        "travel_time": Margin.AT_MOST,
        "coverage": Margin.AT_MOST,
        "hub": Margin.AT_LEAST,
        "accessibility": Margin.AT_LEAST,
        "milestone": Margin.DEADLINE,
    }
    assert {t.name for t in BUILT_IN if not t.measured} == {"milestone"}
    assert all(t.title_en and t.title_zh and t.about_en and t.about_zh for t in BUILT_IN)


def test_margin_sign_agrees_with_the_verdict_on_the_bundled_goals():
    """Inside the target (the check holds) exactly when the margin is not negative, for every measured goal."""
    a = pxnet.assess(scenarios=["plan-2025"], flips=False)
    measured = [r for r in a.results if r.goal.goal_type.measured and r.margin is not None]
    assert {r.goal.type for r in measured} == {"travel_time", "coverage", "hub", "accessibility"}
    assert all((r.margin >= 0) == r.satisfied for r in measured), [(r.goal.id, r.margin) for r in measured]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CHECK_TYPES", ("travel_time", "milestone", "hub", "coverage", "accessibility")),
        ("TRIP_MODES", pxnet.vocabulary.TRIP_MODES),
        ("INDICATORS", ("watt", "daily", "potential")),
        ("COVERAGE_TARGETS", ("interchange", "hsr_station")),
        ("MILESTONE_TARGETS", ("start", "full_start", "open", "complete")),
    ],
)
def test_removed_constants_still_import_with_a_warning(name, value):
    old = importlib.import_module("pxnet.goalfile")
    with pytest.warns(DeprecationWarning) as record:
        found = getattr(old, name)
    assert found == value
    assert any(f"{name} is deprecated" in str(w.message) for w in record)  # besides the old path's own warning
