"""Evaluating one goal in one scenario: the checks behind :func:`pxnet.assess`.

Each check measures something in the scenario (travel time, coverage, high-speed lines at a station,
accessibility change, or a project milestone) and compares it with the goal's target and deadline. Statuses:

- ``met`` — the check holds in the scenario (for milestones: the event happened by the deadline);
- ``missed`` — the scenario is at or past the deadline and the check fails (a milestone came late or not at all);
- ``pending`` — the check fails but the scenario's date is before the deadline;
- ``not_assessable`` — the data cannot answer (e.g. no record of a milestone, and the goal says so).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..analysis import indicators_from_skim
from ..io import Goal
from ..network import Network
from ..parameters import describe_overrides
from ..routing import get_router, route, skim
from ..scenario import Scenario, get_scenario
from ._timetable import timetable_note

STATUSES = ("met", "missed", "pending", "not_assessable")


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def path_text(legs: pd.DataFrame) -> str:
    """A one-line summary of a route: ``萍乡北 [wait 26] ─沪昆… 25 min→ 长沙南 [change 32] ─武广… 143 min→ 广州南``.

    Examples
    --------
    >>> import pxnet
    >>> "长沙南" in path_text(pxnet.route("萍乡北", "广州南", mode="hsr", scenario=2025))
    True
    """
    if legs is None or legs.empty:
        return "no route"
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
            parts.append(f"[{label} {waited:.0f}]")
        waited, kinds = 0.0, set()
        label = row.via if row.leg == "ride" else (row.via or row.mode)
        parts.append(f"─{_short(label)} {row.minutes:.0f} min→ {row[3]}")
    if waited >= 0.5:
        parts.append(f"[exit {waited:.0f}]")
    return " ".join(parts)


def _short(text: str, limit: int = 18) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _num(value: Any) -> float | None:
    if value is None:
        return None
    value = float(value)
    return round(value, 2) if math.isfinite(value) else None


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

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (the ``--json`` schema documented in ``docs/assessment.md``)."""
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
            "critical_path": []
            if self.critical_path is None
            else [
                {k: _num(v) if isinstance(v, float) else v for k, v in row.items()}
                for row in self.critical_path.to_dict(orient="records")
            ],
        }


class GoalEvaluator:
    """Evaluates goals; caches baselines and project-switched scenario variants."""

    def __init__(self, network: Network) -> None:
        self.net = network
        self.variants: dict[tuple[str, str], Scenario] = {}
        self.baselines: dict[tuple[str, str], float] = {}

    # -- dispatch ---------------------------------------------------------------------------------
    def evaluate(self, goal: Goal, sc: Scenario, *, trace: bool = True) -> GoalResult:
        """The result of one goal in one scenario (``trace=False``: without the critical path, faster)."""
        if goal.type == "milestone":
            return self._milestone(goal, sc)
        value, target, unit, ok, reason, path, details = self._measure(goal, sc, with_path=trace)
        margin = None
        if value is not None and target is not None and math.isfinite(value):
            margin = (value - target) if unit in ("lines", "%") else (target - value)
        elif value is not None and not math.isfinite(value):
            margin = -math.inf
        if ok:
            status = "met"
        elif sc.date >= goal.deadline.end:
            status = "missed"
        else:
            status = "pending"
            reason += f"; deadline {goal.deadline} not yet reached on {sc.date.isoformat()}"
        return GoalResult(
            goal, sc.name, sc.date, status, value, target, margin, unit, reason, path, details, satisfied=ok
        )

    def holds(self, goal: Goal, sc: Scenario) -> bool:
        """Whether a non-milestone check holds in a scenario (no critical path is traced)."""
        return bool(self._measure(goal, sc, with_path=False)[3])

    def _measure(self, goal: Goal, sc: Scenario, *, with_path: bool) -> tuple[Any, ...]:
        """(value, target, unit, holds, reason, critical path, details) of a non-milestone check."""
        if goal.type == "travel_time":
            return self._travel_time(goal.check, sc, with_path=with_path)
        if goal.type == "coverage":
            return self._coverage(goal.check, sc, with_path=with_path)
        if goal.type == "hub":
            return self._hub(goal.check, sc)
        return self._accessibility(goal.check, sc)

    # -- checks -----------------------------------------------------------------------------------
    def _travel_time(self, check: dict[str, Any], sc: Scenario, *, with_path: bool) -> tuple[Any, ...]:
        mode = check.get("mode", "door_to_door")
        wait = check.get("initial_wait_fraction")
        origins = _as_list(check["from"])
        dests = _as_list(check["to"])
        limit = float(check["max_minutes"])
        pairs = [(o, d) for o in origins for d in dests]
        if check.get("both_directions"):
            pairs += [(d, o) for o, d in pairs]
        times = {}
        for o in {p[0] for p in pairs}:
            row = skim(
                [o],
                sorted({d for oo, d in pairs if oo == o}),
                mode=mode,
                scenario=sc,
                network=self.net,
                initial_wait_fraction=wait,
            )
            for d in row.columns:
                times[(o, d)] = float(row.iloc[0][d])
        details = pd.DataFrame(
            [{"from": o, "to": d, "minutes": times[(o, d)], "inside": times[(o, d)] <= limit} for o, d in pairs]
        )
        worst_pair = max(pairs, key=lambda p: times[p])
        worst = times[worst_pair]
        ok = bool(details["inside"].all())
        path = (
            route(*worst_pair, mode=mode, scenario=sc, network=self.net, initial_wait_fraction=wait)
            if with_path
            else None
        )
        inside = details.loc[details["inside"], "to" if len(dests) > 1 else "from"].tolist()
        where = f"{worst_pair[0]} → {worst_pair[1]}"
        if math.isinf(worst):
            reason = f"{where} is unreachable by {mode}"
        else:
            via = f" ({path_text(path)})" if path is not None else ""
            reason = f"slowest {where}: {worst:.0f} min by {mode}{via}"
        if len(pairs) > 2:
            reason += f"; inside {limit:g} min: {len(inside)}/{len(pairs)} ({', '.join(inside) or 'none'})"
        if with_path:
            reason += timetable_note(check, sc, self.net)
        return worst, limit, "min", ok, reason, path, details

    def _coverage(self, check: dict[str, Any], sc: Scenario, *, with_path: bool) -> tuple[Any, ...]:
        places = _as_list(check["places"])
        limit = float(check["max_minutes"])
        targets = self._coverage_targets(check["target"], sc)
        if not targets:
            return math.inf, limit, "min", False, f"no {check['target']} in the scenario", None, None
        times = skim(places, targets, mode="road", scenario=sc, network=self.net)
        nearest = times.idxmin(axis=1)
        best = times.min(axis=1)
        names = self.net.nodes["name_zh"]
        details = pd.DataFrame(
            {
                "place": places,
                "nearest": [names.get(n, n) for n in nearest],
                "minutes": best.to_numpy(),
                "inside": (best <= limit).to_numpy(),
            }
        )
        worst_place = best.idxmax()
        worst = float(best.max())
        path = (
            route(worst_place, nearest[worst_place], mode="road", scenario=sc, network=self.net) if with_path else None
        )
        outside = details.loc[~details["inside"], "place"].tolist()
        reason = f"farthest: {worst_place} → {names.get(nearest[worst_place])} {worst:.0f} min by road" + (
            f"; outside {limit:g} min: {', '.join(outside)}" if outside else ""
        )
        return worst, limit, "min", not outside, reason, path, details

    def _coverage_targets(self, target: str, sc: Scenario) -> list[str]:
        nodes = self.net.nodes
        if target == "interchange":
            express = sc.links[sc.links["mode"] == "expressway"]
            on_expressway = set(express["from"]) | set(express["to"])
            return [n for n in nodes.index[nodes["kind"] == "interchange"] if n in on_expressway]
        served = get_router(sc, "hsr").stations
        return [n for n in nodes.index[nodes["kind"] == "hsr_station"] if n in served]

    def _hub(self, check: dict[str, Any], sc: Scenario) -> tuple[Any, ...]:
        station = self.net.resolve(_as_list(check["station"])[0])
        need = float(check["min_lines"])
        links = sc.links[(sc.links["mode"] == "hsr") & ((sc.links["from"] == station) | (sc.links["to"] == station))]
        lines = sorted({str(x) for x in links["line_name"] if x})
        name = self.net.nodes.at[station, "name_zh"]
        reason = f"{name} is on {len(lines)} high-speed line(s): {', '.join(lines) or 'none'}"
        return float(len(lines)), need, "lines", len(lines) >= need, reason, None, None

    def _accessibility(self, check: dict[str, Any], sc: Scenario) -> tuple[Any, ...]:
        place = self.net.resolve(_as_list(check["place"])[0])
        indicator = check["indicator"]
        base_name = check["baseline"]
        # The baseline is computed with the same model parameters as the scenario, so that a parameter
        # variation moves both ends of the comparison.
        overrides = sc.spec.parameters
        key = (base_name, repr(sorted(check.items())) + repr(sorted(overrides.items())))
        if key not in self.baselines:
            base = get_scenario(base_name, network=self.net)
            if overrides:
                base = base.derive(name=f"{base.name} {describe_overrides(overrides)}", parameters=overrides)
            self.baselines[key] = self._indicator(check, place, base)
        before = self.baselines[key]
        after = self._indicator(check, place, sc)
        if indicator == "watt":
            change = (before - after) / before * 100 if math.isfinite(before) and before > 0 else math.nan
        else:
            change = (after - before) / before * 100 if before > 0 else math.nan
        need = float(check["min_improvement_pct"])
        label = {"watt": "WATT", "daily": "daily accessibility", "potential": "potential accessibility"}[indicator]
        unit = " min" if indicator == "watt" else ""
        reason = (
            f"{label} of {self.net.nodes.at[place, 'name_zh']}: {before:,.1f}{unit} in {base_name} → "
            f"{after:,.1f}{unit}, {change:+.1f} % (better is positive; asked ≥ {need:g} %)"
        )
        ok = bool(math.isfinite(change) and change >= need)
        return change, need, "%", ok, reason, None, None

    def _indicator(self, check: dict[str, Any], place: str, sc: Scenario) -> float:
        dests = [self.net.resolve(d) for d in _as_list(check["destinations"])]
        times = skim([place], dests, mode=check.get("mode", "door_to_door"), scenario=sc, network=self.net)
        population = self.net.nodes["population"].astype("Float64").astype(float)
        threshold = float(check.get("threshold_minutes", 180))
        table = indicators_from_skim(times.rename(index={place: place}), population, thresholds=[threshold])
        column = {"watt": "watt_min", "daily": f"daily_{threshold:g}", "potential": "potential"}[check["indicator"]]
        return float(table.iloc[0][column])

    def _milestone(self, goal: Goal, sc: Scenario) -> GoalResult:
        check = goal.check
        project = self.net.projects[check["project"]]
        event = check["event"]
        happened = self._event_date(project.id, event, sc)
        deadline = goal.deadline.end
        recorded = happened is not None
        label = f"{project.name_zh} {event.replace('_', ' ')}"
        if happened is not None and happened <= sc.date:
            days = (deadline - happened).days
            ok = happened <= deadline
            status = "met" if ok else "missed"
            when = "on time" if ok else f"{-days} days late"
            reason = f"{label} on {happened.isoformat()} ({sc.basis}); deadline {goal.deadline}: {when}"
            return GoalResult(goal, sc.name, sc.date, status, None, None, float(days), "days", reason, satisfied=ok)
        later = happened or self._expected_date(project.id, event)
        expected = f"; expected {later.isoformat()}" if later is not None else ""
        if sc.date <= deadline:
            reason = f"{label} has not happened by {sc.date.isoformat()}{expected}; deadline {goal.deadline}"
            return GoalResult(
                goal,
                sc.name,
                sc.date,
                "pending",
                None,
                None,
                float((deadline - sc.date).days),
                "days",
                reason,
                satisfied=False,
            )
        if not recorded and check.get("if_missing", "missed") == "not_assessable":
            reason = f"no record of {label} in the data (as of {self.net.data_date}); cannot judge"
            return GoalResult(goal, sc.name, sc.date, "not_assessable", None, None, None, "days", reason)
        overdue = (sc.date - deadline).days
        none = f"not by {sc.date.isoformat()}{expected}" if later is not None else "no record of it in the data"
        reason = f"{label}: {none}; deadline {goal.deadline} passed {overdue} days before {sc.date.isoformat()}"
        return GoalResult(
            goal, sc.name, sc.date, "missed", None, None, float(-overdue), "days", reason, satisfied=False
        )

    def _event_date(self, project_id: str, event: str, sc: Scenario) -> dt.date | None:
        if project_id in sc.spec.disable:
            return None
        project = self.net.projects[project_id]
        if event in ("open", "complete"):
            date = sc.project_open_date(project_id)
        else:
            date = None
            if sc.basis == "plan" and event in project.plan_targets:
                date = project.plan_targets[event].end
            else:
                m = project.milestone(event)
                if m is None and sc.basis == "expected":
                    m = project.milestone(f"expected_{event}")
                date = m.date.end if m is not None else None
        if project_id in sc.spec.enable:
            date = min(date, sc.date) if date is not None else sc.date
        return date

    def _expected_date(self, project_id: str, event: str) -> dt.date | None:
        """The scheduled date of an event that has not happened, for messages."""
        project = self.net.projects[project_id]
        names = ("expected_open", "expected_complete") if event in ("open", "complete") else (f"expected_{event}",)
        m = project.milestone(*names)
        return m.date.end if m is not None else None

    # -- what flips a result ----------------------------------------------------------------------
    def flips(self, goal: Goal, sc: Scenario, satisfied: bool) -> list[str]:
        """The projects whose switch (open if closed, closed if open) changes whether the check holds."""
        out = []
        for pid in self.net.network_projects():
            is_open = pid in sc.open_projects
            variant = self._variant(sc, pid, not is_open)
            if self.holds(goal, variant) != satisfied:
                verb = "closing" if is_open else "opening"
                out.append(f"{verb} {pid} → {'met' if not satisfied else 'not met'}")
        return out

    def _variant(self, sc: Scenario, pid: str, open_it: bool) -> Scenario:
        key = (sc.name, f"{pid}:{open_it}")
        if key not in self.variants:
            change = {"enable": [pid]} if open_it else {"disable": [pid]}
            self.variants[key] = sc.derive(name=f"{sc.name} {'+' if open_it else '-'}{pid}", **change)
        return self.variants[key]
