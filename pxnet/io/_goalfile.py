"""The plan's measurable goals, as read from ``goals.yaml`` (data layer: parsing and validation only).

Each goal quotes the plan's clause, has a deadline and one *check*:

- ``travel_time`` — trips between place sets within ``max_minutes`` by a mode;
- ``milestone`` — a project reaches an event (``start``, ``full_start``, ``open``, ``complete``) by the deadline;
- ``hub`` — a station is served by at least ``min_lines`` high-speed lines;
- ``coverage`` — each place within ``max_minutes`` by road of a node kind (expressway interchange, HSR station);
- ``accessibility`` — an accessibility indicator of a place improves by ``min_improvement_pct`` on a baseline.

See ``docs/assessment.md`` for the full schema.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pandas as pd

from .. import vocabulary
from ..dates import PartialDate
from ..errors import Problem
from ..model import Project
from ..places import PlaceIndex
from ._dataset import is_dated_scenario_name
from ._readers import Fields

CHECK_TYPES = ("travel_time", "milestone", "hub", "coverage", "accessibility")
TRIP_MODES = vocabulary.TRIP_MODES
INDICATORS = ("watt", "daily", "potential")
COVERAGE_TARGETS = ("interchange", "hsr_station")
MILESTONE_TARGETS = ("start", "full_start", "open", "complete")


@dataclass(frozen=True)
class Goal:
    """One measurable goal of the plan."""

    id: str
    name_zh: str
    name_en: str
    clause: str
    deadline: PartialDate
    check: dict[str, Any]
    source: str
    section: str = ""
    note: str = ""
    threshold_source: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)
    #: Chinese versions of ``note`` and ``threshold_source`` (reports in Chinese fall back to the English).
    note_zh: str = ""
    threshold_source_zh: str = ""

    @property
    def type(self) -> str:
        """The check type (``travel_time``, ``milestone``, ``hub``, ``coverage``, ``accessibility``)."""
        return str(self.check["type"])


_GOAL_KEYS = {
    "id",
    "name_zh",
    "name_en",
    "clause",
    "section",
    "deadline",
    "check",
    "source",
    "note",
    "threshold_source",
    "tags",
    "note_zh",
    "threshold_source_zh",
}
_CHECK_KEYS = {
    "travel_time": {"type", "from", "to", "mode", "max_minutes", "initial_wait_fraction", "both_directions"},
    "milestone": {"type", "project", "event", "if_missing"},
    "hub": {"type", "station", "min_lines"},
    "coverage": {"type", "places", "target", "max_minutes"},
    "accessibility": {
        "type",
        "place",
        "indicator",
        "destinations",
        "baseline",
        "min_improvement_pct",
        "mode",
        "threshold_minutes",
    },
}


def parse_goals(
    items: list[dict[str, Any]],
    problems: list[Problem],
    *,
    nodes: pd.DataFrame,
    projects: dict[str, Project],
    scenario_names: set[str],
    file: str = "goals.yaml",
) -> list[Goal]:
    """Validate goal mappings; record every problem with the goal's line and key.

    Examples
    --------
    >>> import pxnet
    >>> net = pxnet.load_network()
    >>> item = {"id": "g", "name_zh": "测试", "name_en": "test", "clause": "…", "deadline": 2025, "source": "x",
    ...         "check": {"type": "hub", "station": "萍乡东", "min_lines": 2}}
    >>> problems = []
    >>> parse_goals([item], problems, nodes=net.nodes, projects=net.projects, scenario_names=set())
    []
    >>> problems[0].column
    'check.station'
    """
    index = PlaceIndex(nodes)
    goals: list[Goal] = []
    seen: set[str] = set()
    for item in items:
        f = Fields(file, item.get("__line__"), str(item.get("id") or "") or None, item, problems)
        for key in item:
            if key != "__line__" and key not in _GOAL_KEYS:
                f.problem(str(key), "unknown key")
        goal_id = f.ident("id")
        if goal_id in seen:
            f.problem("id", "duplicate goal id")
        seen.add(goal_id or "")
        deadline = f.date("deadline", required=True)
        check = item.get("check")
        if not isinstance(check, dict):
            f.problem("check", "a goal needs a check mapping with a type")
            check = {}
        check = {k: v for k, v in check.items() if k != "__line__"}
        kind = check.get("type")
        if kind not in CHECK_TYPES:
            f.problem("check.type", f"unknown check type {kind!r}; allowed: {', '.join(CHECK_TYPES)}")
        else:
            for key in check:
                if key not in _CHECK_KEYS[kind]:
                    f.problem(f"check.{key}", f"unknown key for a {kind} check")
            _check_fields(f, kind, check, index, projects, scenario_names)
        record = Goal(
            id=goal_id or "",
            name_zh=f.text("name_zh", required=True) or "",
            name_en=f.text("name_en", required=True) or "",
            clause=f.text("clause", required=True) or "",
            deadline=deadline or PartialDate(1900),
            check=check,
            source=f.text("source", required=True) or "",
            section=f.text("section") or "",
            note=f.text("note") or "",
            threshold_source=f.text("threshold_source") or "",
            tags=tuple(str(t) for t in item.get("tags") or ()),
            note_zh=f.text("note_zh") or "",
            threshold_source_zh=f.text("threshold_source_zh") or "",
        )
        if f.ok:
            goals.append(record)
    return goals


def _places(f: Fields, check: dict[str, Any], key: str, index: PlaceIndex) -> None:
    value = check.get(key)
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        f.problem(f"check.{key}", "must be a place name or a non-empty list of place names")
        return
    for name in names:
        if not index.candidates(name):
            hint = index.suggest(name)
            f.problem(
                f"check.{key}", f"unknown place {name!r}" + (f"; did you mean {', '.join(hint)}?" if hint else "")
            )


def _number(
    f: Fields,
    check: dict[str, Any],
    key: str,
    *,
    required: bool = True,
    positive: bool = False,
    at_most: float | None = None,
    integer: bool = False,
) -> None:
    """Check a number of a check: finite, non-negative (or ``positive``), at most ``at_most``, whole if ``integer``.

    NaN and infinity are refused by name: ``NaN < 0`` is false, so a sign test alone would let them through.
    """
    value = check.get(key)
    if value is None:
        if required:
            f.problem(f"check.{key}", "required value is missing")
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        f.problem(f"check.{key}", f"{value!r} is not a number")
        return
    if not math.isfinite(value):
        f.problem(f"check.{key}", f"{value!r} is not a finite number")
        return
    low = "positive" if positive else "non-negative"
    if value < 0 or (positive and value == 0):
        f.problem(f"check.{key}", f"{value!r} must be a {low} number")
    elif at_most is not None and value > at_most:
        f.problem(f"check.{key}", f"{value!r} must be at most {at_most:g}")
    elif integer and value != int(value):
        f.problem(f"check.{key}", f"{value!r} must be a whole number")


class _CheckContext(NamedTuple):
    """What the fields of a check are validated against."""

    places: PlaceIndex
    projects: dict[str, Project]
    scenario_names: set[str]


def _travel_time_fields(f: Fields, check: dict[str, Any], ctx: _CheckContext) -> None:
    _places(f, check, "from", ctx.places)
    _places(f, check, "to", ctx.places)
    _number(f, check, "max_minutes", positive=True)
    _number(f, check, "initial_wait_fraction", required=False, at_most=1.0)
    if check.get("mode", "door_to_door") not in TRIP_MODES:
        f.problem("check.mode", f"unknown mode {check.get('mode')!r}; allowed: {', '.join(TRIP_MODES)}")


def _milestone_fields(f: Fields, check: dict[str, Any], ctx: _CheckContext) -> None:
    if check.get("project") not in ctx.projects:
        f.problem("check.project", f"unknown project {check.get('project')!r}")
    if check.get("event") not in MILESTONE_TARGETS:
        f.problem("check.event", f"event must be one of {', '.join(MILESTONE_TARGETS)}")
    if check.get("if_missing", "missed") not in ("missed", "not_assessable"):
        f.problem("check.if_missing", "must be 'missed' or 'not_assessable'")


def _hub_fields(f: Fields, check: dict[str, Any], ctx: _CheckContext) -> None:
    _places(f, check, "station", ctx.places)
    _number(f, check, "min_lines", positive=True, integer=True)


def _coverage_fields(f: Fields, check: dict[str, Any], ctx: _CheckContext) -> None:
    _places(f, check, "places", ctx.places)
    _number(f, check, "max_minutes", positive=True)
    if check.get("target") not in COVERAGE_TARGETS:
        f.problem("check.target", f"target must be one of {', '.join(COVERAGE_TARGETS)}")


def _accessibility_fields(f: Fields, check: dict[str, Any], ctx: _CheckContext) -> None:
    _places(f, check, "place", ctx.places)
    _places(f, check, "destinations", ctx.places)
    _number(f, check, "min_improvement_pct")
    _number(f, check, "threshold_minutes", required=False, positive=True)
    if check.get("indicator") not in INDICATORS:
        f.problem("check.indicator", f"indicator must be one of {', '.join(INDICATORS)}")
    baseline = check.get("baseline")
    if not isinstance(baseline, str) or not (baseline in ctx.scenario_names or is_dated_scenario_name(baseline)):
        f.problem("check.baseline", f"unknown baseline scenario {baseline!r}")
    if check.get("mode", "door_to_door") not in TRIP_MODES:
        f.problem("check.mode", f"unknown mode {check.get('mode')!r}")


# The field rules of each check type, one validator per entry of CHECK_TYPES.
_FIELD_RULES: dict[str, Callable[[Fields, dict[str, Any], _CheckContext], None]] = {
    "travel_time": _travel_time_fields,
    "milestone": _milestone_fields,
    "hub": _hub_fields,
    "coverage": _coverage_fields,
    "accessibility": _accessibility_fields,
}


def _check_fields(
    f: Fields,
    kind: str,
    check: dict[str, Any],
    index: PlaceIndex,
    projects: dict[str, Project],
    scenario_names: set[str],
) -> None:
    _FIELD_RULES[kind](f, check, _CheckContext(index, projects, scenario_names))
