"""Evaluating one goal in one scenario: the checks behind :func:`pxnet.assess`.

Each goal's type (an entry of the goal-type registry, :func:`pxnet.io.goal_type`; the built-in ones are in
``_goal_types``) measures something in the scenario (travel time, coverage, high-speed lines at a station,
accessibility change, or a project milestone); :class:`GoalEvaluator` compares it with the goal's target and
deadline. Statuses:

- ``met`` — the check holds in the scenario (for milestones: the event happened by the deadline);
- ``missed`` — the scenario is at or past the deadline and the check fails (a milestone came late or not at all);
- ``pending`` — the check fails but the scenario's date is before the deadline;
- ``not_assessable`` — the data cannot answer (e.g. no record of a milestone, and the goal says so).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import pandas as pd

from .. import _cache
from ..errors import AnalysisError
from ..io import Goal
from ..network import Network
from ..scenario import Scenario

STATUSES = ("met", "missed", "pending", "not_assessable")


def path_text(legs: pd.DataFrame, *, lang: str = "en") -> str:
    """Summarise a route in one line: ``萍乡北 [wait 26] ─沪昆… 25 min→ 长沙南 [change 32] ─武广… 143 min→ 广州南``.

    ``lang="zh"`` writes the waits and minutes in Chinese (``[换乘 32]``, ``25 分钟→``). Long service names are
    shortened at a word boundary, never inside a word.

    Examples
    --------
    >>> import pxnet
    >>> "长沙南" in path_text(pxnet.route("萍乡北", "广州南", mode="hsr", scenario=2025))
    True
    """
    words = _PATH_ZH if lang == "zh" else _PATH_EN
    if legs is None or legs.empty:
        return words["none"]
    parts: list[str] = []
    waited = 0.0
    kinds: set[str] = set()
    for row in legs.itertuples(index=False):
        if row.leg in ("wait", "transfer", "entry", "exit"):
            waited += row.minutes
            kinds.add(row.leg)
            continue
        if not parts:
            parts.append(str(row[2]))
        if waited >= 0.5:
            label = "change" if "transfer" in kinds else "exit" if kinds == {"exit"} else "wait"
            parts.append(f"[{words[label]} {waited:.0f}]")
        waited, kinds = 0.0, set()
        label = row.via if row.leg == "ride" else (row.via or row.mode)
        parts.append(f"─{_short(label)} {row.minutes:.0f} {words['min']}→ {row[3]}")
    if waited >= 0.5:
        parts.append(f"[{words['exit']} {waited:.0f}]")
    return " ".join(parts)


_PATH_EN = {"none": "no route", "change": "change", "exit": "exit", "wait": "wait", "min": "min"}
_PATH_ZH = {"none": "无路线", "change": "换乘", "exit": "出站", "wait": "候车", "min": "分钟"}


def _short(text: str, limit: int = 24) -> str:
    """``text`` cut at the last word boundary before ``limit`` (never inside a word), with "…" if cut."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text if cut <= 0 else text[:cut].rstrip(" –-+,(") + " …"


#: Trip modes in Chinese, for the Chinese reasons.
MODE_ZH = {"hsr": "高铁", "rail": "铁路", "road": "公路", "door_to_door": "门到门"}


class Measurement(NamedTuple):
    """What a goal type's function found for one goal in one scenario (:attr:`pxnet.io.GoalType.measure`).

    ``value`` and ``target`` are in the type's unit; ``holds`` says whether the check holds (``None``: the data
    cannot judge). A type judged by its dates (a milestone) also gives its own ``status`` and ``margin``; for the
    others the evaluator derives them from ``holds``, the deadline and the type's :class:`~pxnet.io.Margin`.
    """

    value: float | None
    target: float | None
    holds: bool | None
    reason: str
    reason_zh: str
    critical_path: pd.DataFrame | None = None
    details: pd.DataFrame | None = None
    timetable: pd.DataFrame | None = None
    status: str | None = None
    margin: float | None = None


class Flip(NamedTuple):
    """A project whose switch changes whether a check holds: ``opening`` it (else closing it) gives ``met``."""

    project: str
    opening: bool
    met: bool

    def text(self) -> str:
        """Describe the switch in words: ``"opening changgan → met"``."""
        return f"{'opening' if self.opening else 'closing'} {self.project} → {'met' if self.met else 'not met'}"


def _num(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return round(value, 2) if math.isfinite(value) else None


def _records(table: pd.DataFrame | None) -> list[dict[str, Any]]:
    # A table as JSON-ready records, its floats rounded as _num rounds them; none for no table.
    if table is None:
        return []
    return [
        {k: _num(v) if isinstance(v, float) else v for k, v in row.items()} for row in table.to_dict(orient="records")
    ]


@dataclass
class GoalResult:
    """The outcome of one goal in one scenario.

    ``margin`` is how far the result is inside (positive) or outside (negative) the target, in ``unit``
    (``min``, ``days``, ``lines`` or ``%``); ``value`` is what was measured and ``target`` what was asked.
    """

    goal: Goal
    scenario: str
    scenario_date: dt.date
    status: str
    value: float | None
    target: float | None
    margin: float | None
    unit: str
    reason: str
    critical_path: pd.DataFrame | None = None
    details: pd.DataFrame | None = None
    flips: list[str] = field(default_factory=list)
    satisfied: bool | None = None
    #: The reason in Chinese (``pxnet assess --lang zh``).
    reason_zh: str = ""
    #: The flips as records (project id, opening or closing, met or not).
    flip_records: list[Flip] = field(default_factory=list)
    #: A travel-time goal's timetable figures, one row per direction (``TIMETABLE_COLUMNS``): the fastest
    #: journey, its trains and change stations, the departures a day within the limit, the first and last of
    #: them, the median over the service day, and the timetable's basis; None for other goals.
    timetable: pd.DataFrame | None = None

    def __repr__(self) -> str:
        return f"<GoalResult {self.goal.id} in {self.scenario}: {self.status}>"

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (the ``--json`` schema documented in ``docs/assessment.md``)."""
        return {
            "goal": self.goal.id,
            "type": self.goal.type,
            "scenario": self.scenario,
            "scenario_date": self.scenario_date.isoformat(),
            "deadline": str(self.goal.deadline),
            "status": self.status,
            "value": _num(self.value),
            "target": _num(self.target),
            "margin": _num(self.margin),
            "unit": self.unit,
            "reason": self.reason,
            "flips": self.flips,
            "timetable": _records(self.timetable),
            "critical_path": _records(self.critical_path),
        }


class GoalEvaluator:
    """Evaluates goals; caches baselines and project-switched scenario variants.

    The date rules of milestones are the projects' own (:meth:`pxnet.model.Project.event_date`); this class
    only compares them with the goal's deadline and the scenario's date.
    """

    def __init__(self, network: Network) -> None:
        self.net = network
        self.baselines: dict[tuple[str, str], float] = {}

    # -- dispatch through the goal-type registry ---------------------------------------------------------------
    def evaluate(self, goal: Goal, sc: Scenario, *, trace: bool = True) -> GoalResult:
        """Return the result of one goal in one scenario (``trace=False``: without the critical path, faster)."""
        kind = goal.goal_type
        m = kind.measure(self, goal, sc, with_path=trace)
        margin = kind.margin.of(m.value, m.target, m.margin)
        reason, reason_zh = m.reason, m.reason_zh
        if m.status is not None:
            status = m.status
        elif m.holds is None:
            status = "not_assessable"
        elif m.holds:
            status = "met"
        elif sc.date >= goal.deadline.end:
            status = "missed"
        else:
            status = "pending"
            reason += f"; deadline {goal.deadline} not yet reached on {sc.date.isoformat()}"
            reason_zh += f"；截止 {goal.deadline}，{sc.date.isoformat()} 尚未到期"
        return GoalResult(
            goal,
            sc.name,
            sc.date,
            status,
            m.value,
            m.target,
            margin,
            kind.unit,
            reason,
            m.critical_path,
            m.details,
            satisfied=m.holds,
            reason_zh=reason_zh,
            timetable=m.timetable,
        )

    def holds(self, goal: Goal, sc: Scenario) -> bool:
        """Whether a measured check holds in a scenario (no critical path is traced)."""
        return bool(self.measure(goal, sc, with_path=False).holds)

    def measure(self, goal: Goal, sc: Scenario, *, with_path: bool = True) -> Measurement:
        """Measure a goal of a measured type (:attr:`pxnet.io.GoalType.measured`) in a scenario."""
        kind = goal.goal_type
        if not kind.measured:
            raise AnalysisError(f"goal {goal.id!r}: a {goal.type} goal is judged by its dates, not measured")
        return kind.measure(self, goal, sc, with_path=with_path)

    # -- what flips a result ----------------------------------------------------------------------
    def flip_records(self, goal: Goal, sc: Scenario, satisfied: bool) -> list[Flip]:
        """Return the projects whose switch (open if closed, closed if open) changes whether the check holds."""
        out = []
        for pid in self.net.network_projects():
            is_open = pid in sc.open_projects
            variant = self._variant(sc, pid, not is_open)
            if self.holds(goal, variant) != satisfied:
                out.append(Flip(pid, not is_open, not satisfied))
        return out

    def flips(self, goal: Goal, sc: Scenario, satisfied: bool) -> list[str]:
        """:meth:`flip_records` as text: ``"opening shuttle_bc → met"``."""
        return [f.text() for f in self.flip_records(goal, sc, satisfied)]

    def _variant(self, sc: Scenario, pid: str, open_it: bool) -> Scenario:
        change = {"enable": [pid]} if open_it else {"disable": [pid]}
        name = f"{sc.name} {'+' if open_it else '-'}{pid}"
        # Kept with the parent scenario, so a repeated assessment finds the variant's links, routers and road times
        # instead of deriving it again; room for every project switched either way.
        flips = _cache.memo(sc, "project flips", maxsize=max(64, 2 * len(self.net.projects)))
        return flips.get((pid, open_it), lambda: sc.derive(name=name, **change))
