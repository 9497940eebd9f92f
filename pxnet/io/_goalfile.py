"""The plan's measurable goals, as read from ``goals.yaml`` (data layer: parsing and validation only).

Each goal quotes the plan's clause, has a deadline and one *check*, whose ``type`` names an entry of the goal-type
registry (:mod:`pxnet.io._goal_registry`); the entry's keys and field rules validate the check. The built-in types
(registered by :mod:`pxnet.goals`):

- ``travel_time`` — trips between place sets within ``max_minutes`` by a mode;
- ``milestone`` — a project reaches an event (``start``, ``full_start``, ``open``, ``complete``) by the deadline;
- ``hub`` — a station is served by at least ``min_lines`` high-speed lines;
- ``coverage`` — each place within ``max_minutes`` by road of a node kind (expressway interchange, HSR station);
- ``accessibility`` — an accessibility indicator of a place improves by ``min_improvement_pct`` on a baseline.

See ``docs/assessment.md`` for the full schema.
"""

from __future__ import annotations

from collections.abc import Callable, Set
from dataclasses import dataclass, field, fields
from typing import Any

import pandas as pd

from .. import vocabulary
from ..dates import PartialDate
from ..errors import Problem, warn
from ..model import Project
from ..places import PlaceIndex
from ._dataset import is_dated_scenario_name
from ._goal_registry import GoalType, KeyContext, goal_type, goal_types, register_goal_type
from ._readers import Fields


def __getattr__(name: str) -> Any:
    """Serve the constants that the goal-type registry replaced, with a DeprecationWarning (until pxnet 0.3)."""
    if name not in _MOVED_CONSTANTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    where, value = _MOVED_CONSTANTS[name]
    warn(f"{name} is deprecated: use {where} instead (the name goes in pxnet 0.3)", DeprecationWarning)
    return value()


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
        """The check type's name (``travel_time``, ``milestone``, ``hub``, ``coverage``, ``accessibility``)."""
        return str(self.check["type"])

    @property
    def goal_type(self) -> GoalType:
        """The registry entry of the check's type (:func:`pxnet.io.goal_type`): keys, margin, measuring."""
        return goal_type(self.type)

    def value(self, key: str) -> Any:
        """Return a key of the check, or the default its goal type records for it (:attr:`pxnet.io.Key.default`).

        Examples
        --------
        >>> import pxnet
        >>> goal = next(g for g in pxnet.load_network().goals if g.type == "hub")
        >>> goal.value("min_lines") == goal.check["min_lines"]
        True
        """
        return self.check[key] if key in self.check else self.goal_type.key(key).default

    def __reduce__(self) -> tuple[Callable[..., Goal], tuple[GoalType | None, dict[str, Any]]]:
        """Pickle the goal with its type's entry, so that a worker process that never registered the type knows it.

        The entry's functions pickle by reference: a type used by parallel ensembles is defined in a module the
        workers can import.
        """
        entry = next((t for t in goal_types() if t.name == self.type), None)
        return _unpickle_goal, (entry, {f.name: getattr(self, f.name) for f in fields(self)})


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
    ctx = KeyContext(PlaceIndex(nodes), projects, lambda name: _known_scenario(name, scenario_names))
    goals: list[Goal] = []
    seen: set[str] = set()
    for item in items:
        f = Fields(file, item.get("__line__"), str(item.get("id") or "") or None, item, problems)
        for key in item:
            if key != "__line__" and key not in _GOAL_KEYS:
                f.problem(str(key), f"unknown key{vocabulary.did_you_mean(str(key), sorted(_GOAL_KEYS))}")
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
        _check_fields(f, check, ctx)
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


def _unpickle_goal(entry: GoalType | None, values: dict[str, Any]) -> Goal:
    """Rebuild a pickled goal, registering its type first if this process does not know it."""
    if entry is not None and all(t.name != entry.name for t in goal_types()):
        register_goal_type(entry)
    return Goal(**values)


def _known_scenario(baseline: str, scenario_names: Set[str]) -> bool:
    """Whether a check's scenario is one of the network's, or a dated one."""
    return baseline in scenario_names or is_dated_scenario_name(baseline)


def _check_type(f: Fields, check: dict[str, Any]) -> GoalType | None:
    """Return the registry entry the check's ``type`` names, or record an unknown type (with suggestions)."""
    kind = check.get("type")
    names = [t.name for t in goal_types()]
    if isinstance(kind, str) and kind in names:
        return goal_type(kind)
    hint = vocabulary.did_you_mean(kind if isinstance(kind, str) else None, names)
    f.problem("check.type", f"unknown check type {kind!r}{hint}; allowed: {', '.join(names)}")
    return None


def _check_fields(f: Fields, check: dict[str, Any], ctx: KeyContext) -> None:
    """Record each problem of a check: its type, keys the type does not have, and each value by its key's rule."""
    kind = _check_type(f, check)
    if kind is None:
        return
    known = [k.name for k in kind.keys]
    for key in check:
        if key != "type" and key not in known:
            hint = vocabulary.did_you_mean(str(key), known)
            f.problem(f"check.{key}", f"unknown key for a {kind.name} check{hint}; allowed: {', '.join(known)}")
    for k in kind.keys:
        if k.name in check or k.required:
            for message in k.check(check.get(k.name), ctx):
                f.problem(f"check.{k.name}", message)


# Constants of 0.2 that the goal-type registry replaced: name → (what to use, its value now).
_MOVED_CONSTANTS: dict[str, tuple[str, Callable[[], Any]]] = {
    "CHECK_TYPES": ("pxnet.io.goal_types()", lambda: tuple(t.name for t in goal_types())),
    "TRIP_MODES": ("pxnet.vocabulary.TRIP_MODES", lambda: vocabulary.TRIP_MODES),
    "INDICATORS": (
        'pxnet.io.goal_type("accessibility").key("indicator").options',
        lambda: goal_type("accessibility").key("indicator").options,
    ),
    "COVERAGE_TARGETS": (
        'pxnet.io.goal_type("coverage").key("target").options',
        lambda: goal_type("coverage").key("target").options,
    ),
    "MILESTONE_TARGETS": (
        'pxnet.io.goal_type("milestone").key("event").options',
        lambda: goal_type("milestone").key("event").options,
    ),
}
