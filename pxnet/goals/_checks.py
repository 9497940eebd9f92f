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
from typing import Any, NamedTuple

import pandas as pd

from ..analysis import indicators_from_skim
from ..errors import AnalysisError
from ..io import Goal
from ..network import Network
from ..parameters import describe_overrides
from ..routing import get_timed_router, route, skim
from ..scenario import Scenario, get_scenario
from ._timetable import timetable_note, timetable_table

STATUSES = ("met", "missed", "pending", "not_assessable")


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


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
_BASIS_ZH = {"actual": "实际", "expected": "预期", "plan": "规划"}
_EVENT_ZH = {"start": "开工", "full_start": "全面开工", "open": "建成通车", "complete": "建成"}
_INDICATOR = {
    "watt": ("WATT", "加权平均出行时间"),
    "daily": ("daily accessibility", "日可达性"),
    "potential": ("potential accessibility", "潜力可达性"),
}


class Measurement(NamedTuple):
    """What a travel-time, coverage, hub or accessibility check measured in one scenario."""

    value: float | None
    target: float | None
    unit: str
    holds: bool
    reason: str
    reason_zh: str
    critical_path: pd.DataFrame | None = None
    details: pd.DataFrame | None = None
    timetable: pd.DataFrame | None = None


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
            "timetable": []
            if self.timetable is None
            else [
                {k: _num(v) if isinstance(v, float) else v for k, v in row.items()}
                for row in self.timetable.to_dict(orient="records")
            ],
            "critical_path": []
            if self.critical_path is None
            else [
                {k: _num(v) if isinstance(v, float) else v for k, v in row.items()}
                for row in self.critical_path.to_dict(orient="records")
            ],
        }


def _unsourced(project: Any, event: str) -> str | None:
    """Return the project's record of the event when the data say it is not sourced (its first clause), or None."""
    own = project.milestone(event)
    if own is None or not str(own.source).startswith("not sourced"):
        return None
    return str(own.source).split(";")[0]


class GoalEvaluator:
    """Evaluates goals; caches baselines and project-switched scenario variants.

    The date rules of milestones are the projects' own (:meth:`pxnet.model.Project.event_date`); this class
    only compares them with the goal's deadline and the scenario's date.
    """

    def __init__(self, network: Network) -> None:
        self.net = network
        self.variants: dict[tuple[str, str], Scenario] = {}
        self.baselines: dict[tuple[str, str], float] = {}

    # -- dispatch ---------------------------------------------------------------------------------
    def evaluate(self, goal: Goal, sc: Scenario, *, trace: bool = True) -> GoalResult:
        """Return the result of one goal in one scenario (``trace=False``: without the critical path, faster)."""
        if goal.type == "milestone":
            return self._milestone(goal, sc)
        m = self.measure(goal, sc, with_path=trace)
        margin = None
        if m.value is not None and m.target is not None and math.isfinite(m.value):
            margin = (m.value - m.target) if m.unit in ("lines", "%") else (m.target - m.value)
        elif m.value is not None and not math.isfinite(m.value):
            margin = -math.inf
        reason, reason_zh = m.reason, m.reason_zh
        if m.holds:
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
            m.unit,
            reason,
            m.critical_path,
            m.details,
            satisfied=m.holds,
            reason_zh=reason_zh,
            timetable=m.timetable,
        )

    def holds(self, goal: Goal, sc: Scenario) -> bool:
        """Whether a non-milestone check holds in a scenario (no critical path is traced)."""
        return self.measure(goal, sc, with_path=False).holds

    def measure(self, goal: Goal, sc: Scenario, *, with_path: bool = True) -> Measurement:
        """Measure a travel-time, coverage, hub or accessibility check in a scenario."""
        if goal.type == "travel_time":
            return self._travel_time(goal.check, sc, with_path=with_path)
        if goal.type == "coverage":
            return self._coverage(goal.check, sc, with_path=with_path)
        if goal.type == "hub":
            return self._hub(goal.check, sc)
        if goal.type == "accessibility":
            return self._accessibility(goal.check, sc)
        raise AnalysisError(f"goal {goal.id!r}: a {goal.type} goal is judged by its dates, not measured")

    # -- checks -----------------------------------------------------------------------------------
    def _travel_time(self, check: dict[str, Any], sc: Scenario, *, with_path: bool) -> Measurement:
        mode = check.get("mode", "door_to_door")
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
            )
            for d in row.columns:
                times[(o, d)] = float(row.iloc[0][d])
        details = pd.DataFrame(
            [{"from": o, "to": d, "minutes": times[(o, d)], "inside": times[(o, d)] <= limit} for o, d in pairs]
        )
        worst_pair = max(pairs, key=lambda p: times[p])
        worst = times[worst_pair]
        ok = bool(details["inside"].all())
        path = route(*worst_pair, mode=mode, scenario=sc, network=self.net) if with_path else None
        inside = details.loc[details["inside"], "to" if len(dests) > 1 else "from"].tolist()
        where = f"{worst_pair[0]} → {worst_pair[1]}"
        mode_zh = MODE_ZH.get(mode, mode)
        if math.isinf(worst):
            reason = f"{where} is unreachable by {mode}"
            reason_zh = f"{where} {mode_zh}不可达"
        else:
            via = f" ({path_text(path)})" if path is not None else ""
            reason = f"slowest {where}: {worst:.0f} min by {mode}{via}"
            reason_zh = f"最慢 {where}：{mode_zh} {worst:.0f} 分钟" + (
                f"（{path_text(path, lang='zh')}）" if via else ""
            )
        if len(pairs) > 2:
            reason += f"; inside {limit:g} min: {len(inside)}/{len(pairs)} ({', '.join(inside) or 'none'})"
            reason_zh += f"；{limit:g} 分钟以内：{len(inside)}/{len(pairs)}（{'、'.join(inside) or '无'}）"
        table = timetable_table(check, sc, self.net) if with_path else None
        if with_path:
            reason += timetable_note(check, sc, self.net, table)
        return Measurement(worst, limit, "min", ok, reason, reason_zh, path, details, table)

    def _coverage(self, check: dict[str, Any], sc: Scenario, *, with_path: bool) -> Measurement:
        places = _as_list(check["places"])
        limit = float(check["max_minutes"])
        targets = self._coverage_targets(check["target"], sc)
        if not targets:
            target_zh = {"interchange": "高速公路互通", "hsr_station": "高铁站"}.get(check["target"], check["target"])
            return Measurement(
                math.inf, limit, "min", False, f"no {check['target']} in the scenario", f"情景中没有{target_zh}"
            )
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
        nearest_name = names.get(nearest[worst_place])
        reason = f"farthest: {worst_place} → {nearest_name} {worst:.0f} min by road" + (
            f"; outside {limit:g} min: {', '.join(outside)}" if outside else ""
        )
        reason_zh = f"最远：{worst_place} → {nearest_name} 公路 {worst:.0f} 分钟" + (
            f"；{limit:g} 分钟以外：{'、'.join(outside)}" if outside else ""
        )
        return Measurement(worst, limit, "min", not outside, reason, reason_zh, path, details)

    def _coverage_targets(self, target: str, sc: Scenario) -> list[str]:
        nodes = self.net.nodes
        if target == "interchange":
            express = sc.links[sc.links["mode"] == "expressway"]
            on_expressway = set(express["from"]) | set(express["to"])
            return [n for n in nodes.index[nodes["kind"] == "interchange"] if n in on_expressway]
        served = set(get_timed_router(sc, "hsr").stations)
        return [n for n in nodes.index[nodes["kind"] == "hsr_station"] if n in served]

    def _hub(self, check: dict[str, Any], sc: Scenario) -> Measurement:
        station = self.net.resolve(_as_list(check["station"])[0])
        need = float(check["min_lines"])
        links = sc.links[(sc.links["mode"] == "hsr") & ((sc.links["from"] == station) | (sc.links["to"] == station))]
        lines = sorted({str(x) for x in links["line_name"] if x})
        name = self.net.nodes.at[station, "name_zh"]
        reason = f"{name} is on {len(lines)} high-speed line(s): {', '.join(lines) or 'none'}"
        reason_zh = f"{name}接入 {len(lines)} 条高铁线路：{'、'.join(lines) or '无'}"
        return Measurement(float(len(lines)), need, "lines", len(lines) >= need, reason, reason_zh)

    def _accessibility(self, check: dict[str, Any], sc: Scenario) -> Measurement:
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
        label, label_zh = _INDICATOR[indicator]
        unit, unit_zh = (" min", " 分钟") if indicator == "watt" else ("", "")
        name = self.net.nodes.at[place, "name_zh"]
        reason = (
            f"{label} of {name}: {before:,.1f}{unit} in {base_name} → "
            f"{after:,.1f}{unit}, {change:+.1f} % (better is positive; asked ≥ {need:g} %)"
        )
        reason_zh = (
            f"{name}{label_zh}：{base_name} {before:,.1f}{unit_zh} → {after:,.1f}{unit_zh}，"
            f"{change:+.1f} %（正值为改善；要求 ≥ {need:g} %）"
        )
        ok = bool(math.isfinite(change) and change >= need)
        return Measurement(change, need, "%", ok, reason, reason_zh)

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
        label = f"{project.name_zh} {event.replace('_', ' ')}"
        label_zh = f"{project.name_zh}{_EVENT_ZH.get(event, event)}"

        def result(status: str, margin: float | None, reason: str, reason_zh: str, ok: bool | None) -> GoalResult:
            return GoalResult(
                goal, sc.name, sc.date, status, None, None, margin, "days", reason, satisfied=ok, reason_zh=reason_zh
            )

        basis_zh = _BASIS_ZH.get(sc.basis, sc.basis)
        unsourced = _unsourced(project, event)
        if unsourced is not None:
            return result(
                "not_assessable",
                None,
                f"{label}: the data hold no source for it ({unsourced}); cannot judge",
                f"{label_zh}：数据中没有可引用的来源，无法判断",
                None,
            )
        if happened is not None and happened <= sc.date:
            days = (deadline - happened).days
            ok = happened <= deadline
            when, when_zh = ("on time", "按期") if ok else (f"{-days} days late", f"晚 {-days} 天")
            return result(
                "met" if ok else "missed",
                float(days),
                f"{label} on {happened.isoformat()} ({sc.basis}); deadline {goal.deadline}: {when}",
                f"{label_zh}于 {happened.isoformat()}（{basis_zh}）；截止 {goal.deadline}：{when_zh}",
                ok,
            )
        later = happened or project.scheduled_date(event)
        expected = f"; expected {later.isoformat()}" if later is not None else ""
        expected_zh = f"；预计 {later.isoformat()}" if later is not None else ""
        if sc.date <= deadline:
            return result(
                "pending",
                float((deadline - sc.date).days),
                f"{label} has not happened by {sc.date.isoformat()}{expected}; deadline {goal.deadline}",
                f"截至 {sc.date.isoformat()} {label_zh}尚未实现{expected_zh}；截止 {goal.deadline}",
                False,
            )
        if happened is None and check.get("if_missing", "missed") == "not_assessable":
            return result(
                "not_assessable",
                None,
                f"no record of {label} in the data (as of {self.net.data_date}); cannot judge",
                f"数据中没有{label_zh}的记录（截至 {self.net.data_date}），无法判断",
                None,
            )
        overdue = (sc.date - deadline).days
        none = f"not by {sc.date.isoformat()}{expected}" if later is not None else "no record of it in the data"
        none_zh = f"截至 {sc.date.isoformat()} 未实现{expected_zh}" if later is not None else "数据中没有记录"
        return result(
            "missed",
            float(-overdue),
            f"{label}: {none}; deadline {goal.deadline} passed {overdue} days before {sc.date.isoformat()}",
            f"{label_zh}：{none_zh}；截止 {goal.deadline} 已过 {overdue} 天（至 {sc.date.isoformat()}）",
            False,
        )

    def _event_date(self, project_id: str, event: str, sc: Scenario) -> dt.date | None:
        """Return the event's date in this scenario: the project's rule for the basis, after the scenario's switches."""
        if project_id in sc.spec.disable:
            return None
        if event in ("open", "complete"):
            date = sc.project_open_date(project_id)  # a project of members opens with its last member
        else:
            date = self.net.projects[project_id].event_date(event, sc.basis)
        if project_id in sc.spec.enable:
            date = min(date, sc.date) if date is not None else sc.date
        return date

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
        key = (sc.name, f"{pid}:{open_it}")
        if key not in self.variants:
            change = {"enable": [pid]} if open_it else {"disable": [pid]}
            self.variants[key] = sc.derive(name=f"{sc.name} {'+' if open_it else '-'}{pid}", **change)
        return self.variants[key]
