"""The built-in goal types: one measuring function and one registry entry each.

Each entry (:class:`pxnet.io.GoalType`) names the keys of its checks, its function, the direction of its margin
and its wording, and is registered when :mod:`pxnet.goals` is imported. A new goal type is one more function and
one more entry, here or in the user's own code (``docs/assessment.md``, "Adding a goal type").
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd

from .. import vocabulary
from ..analysis import indicators_from_skim
from ..io import Goal, GoalType, Key, Margin, register_goal_type
from ..parameters import describe_overrides
from ..routing import get_timed_router, route, skim
from ..scenario import Scenario, get_scenario
from ._checks import MODE_ZH, GoalEvaluator, Measurement, path_text
from ._timetable import timetable_note, timetable_table

#: The node kinds a coverage goal reaches, and the accessibility indicators.
COVERAGE_TARGETS = ("interchange", "hsr_station")
INDICATORS = ("watt", "daily", "potential")
#: The travel time of a daily-accessibility goal without ``threshold_minutes``.
DEFAULT_THRESHOLD_MINUTES = 180.0

_EVENT_ZH = {"start": "开工", "full_start": "全面开工", "open": "建成通车", "complete": "建成"}
_INDICATOR = {
    "watt": ("WATT", "加权平均出行时间"),
    "daily": ("daily accessibility", "日可达性"),
    "potential": ("potential accessibility", "潜力可达性"),
}


def _as_list(value: Any) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _unsourced(project: Any, event: str) -> str | None:
    """Return the project's record of the event when the data say it is not sourced (its first clause), or None."""
    own = project.milestone(event)
    if own is None or not str(own.source).startswith("not sourced"):
        return None
    return str(own.source).split(";")[0]


def measure_travel_time(evaluator: GoalEvaluator, goal: Goal, sc: Scenario, /, *, with_path: bool) -> Measurement:
    """Time the trips between the place sets by the mode: the slowest pair, against ``max_minutes``."""
    check = goal.check
    mode = goal.value("mode")
    origins = _as_list(check["from"])
    dests = _as_list(check["to"])
    limit = float(check["max_minutes"])
    pairs = [(o, d) for o in origins for d in dests]
    if goal.value("both_directions"):
        pairs += [(d, o) for o, d in pairs]
    times = {}
    for o in {p[0] for p in pairs}:
        row = skim(
            [o],
            sorted({d for oo, d in pairs if oo == o}),
            mode=mode,
            scenario=sc,
            network=evaluator.net,
        )
        for d in row.columns:
            times[(o, d)] = float(row.iloc[0][d])
    details = pd.DataFrame(
        [{"from": o, "to": d, "minutes": times[(o, d)], "inside": times[(o, d)] <= limit} for o, d in pairs]
    )
    worst_pair = max(pairs, key=lambda p: times[p])
    worst = times[worst_pair]
    ok = bool(details["inside"].all())
    path = route(*worst_pair, mode=mode, scenario=sc, network=evaluator.net) if with_path else None
    inside = details.loc[details["inside"], "to" if len(dests) > 1 else "from"].tolist()
    where = f"{worst_pair[0]} → {worst_pair[1]}"
    mode_zh = MODE_ZH.get(mode, mode)
    if math.isinf(worst):
        reason = f"{where} is unreachable by {mode}"
        reason_zh = f"{where} {mode_zh}不可达"
    else:
        via = f" ({path_text(path)})" if path is not None else ""
        reason = f"slowest {where}: {worst:.0f} min by {mode}{via}"
        reason_zh = f"最慢 {where}：{mode_zh} {worst:.0f} 分钟" + (f"（{path_text(path, lang='zh')}）" if via else "")
    if len(pairs) > 2:
        reason += f"; inside {limit:g} min: {len(inside)}/{len(pairs)} ({', '.join(inside) or 'none'})"
        reason_zh += f"；{limit:g} 分钟以内：{len(inside)}/{len(pairs)}（{'、'.join(inside) or '无'}）"
    table = None
    if with_path:
        table = timetable_table(pairs, mode=mode, limit=limit, scenario=sc, network=evaluator.net)
        reason += timetable_note(table, limit=limit, scenario=sc)
    return Measurement(worst, limit, ok, reason, reason_zh, path, details, table)


def measure_coverage(evaluator: GoalEvaluator, goal: Goal, sc: Scenario, /, *, with_path: bool) -> Measurement:
    """Time each place by road to its nearest target node: the farthest, against ``max_minutes``."""
    check = goal.check
    places = _as_list(check["places"])
    limit = float(check["max_minutes"])
    targets = _coverage_targets(evaluator, check["target"], sc)
    if not targets:
        target_zh = {"interchange": "高速公路互通", "hsr_station": "高铁站"}.get(check["target"], check["target"])
        return Measurement(math.inf, limit, False, f"no {check['target']} in the scenario", f"情景中没有{target_zh}")
    times = skim(places, targets, mode="road", scenario=sc, network=evaluator.net)
    nearest = times.idxmin(axis=1)
    best = times.min(axis=1)
    names = evaluator.net.nodes["name_zh"]
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
        route(worst_place, nearest[worst_place], mode="road", scenario=sc, network=evaluator.net) if with_path else None
    )
    outside = details.loc[~details["inside"], "place"].tolist()
    nearest_name = names.get(nearest[worst_place])
    reason = f"farthest: {worst_place} → {nearest_name} {worst:.0f} min by road" + (
        f"; outside {limit:g} min: {', '.join(outside)}" if outside else ""
    )
    reason_zh = f"最远：{worst_place} → {nearest_name} 公路 {worst:.0f} 分钟" + (
        f"；{limit:g} 分钟以外：{'、'.join(outside)}" if outside else ""
    )
    return Measurement(worst, limit, not outside, reason, reason_zh, path, details)


def _coverage_targets(evaluator: GoalEvaluator, target: str, sc: Scenario) -> list[str]:
    nodes = evaluator.net.nodes
    if target == "interchange":
        express = sc.links[sc.links["mode"] == "expressway"]
        on_expressway = set(express["from"]) | set(express["to"])
        return [n for n in nodes.index[nodes["kind"] == "interchange"] if n in on_expressway]
    served = set(get_timed_router(sc, "hsr").stations)
    return [n for n in nodes.index[nodes["kind"] == "hsr_station"] if n in served]


def measure_hub(evaluator: GoalEvaluator, goal: Goal, sc: Scenario, /, *, with_path: bool) -> Measurement:
    """Count the high-speed lines at the station, against ``min_lines``."""
    check = goal.check
    station = evaluator.net.resolve(_as_list(check["station"])[0])
    need = float(check["min_lines"])
    links = sc.links[(sc.links["mode"] == "hsr") & ((sc.links["from"] == station) | (sc.links["to"] == station))]
    lines = sorted({str(x) for x in links["line_name"] if x})
    name = evaluator.net.nodes.at[station, "name_zh"]
    reason = f"{name} is on {len(lines)} high-speed line(s): {', '.join(lines) or 'none'}"
    reason_zh = f"{name}接入 {len(lines)} 条高铁线路：{'、'.join(lines) or '无'}"
    return Measurement(float(len(lines)), need, len(lines) >= need, reason, reason_zh)


def measure_accessibility(evaluator: GoalEvaluator, goal: Goal, sc: Scenario, /, *, with_path: bool) -> Measurement:
    """Measure the change of the place's indicator on the baseline in percent (better is positive)."""
    check = goal.check
    place = evaluator.net.resolve(_as_list(check["place"])[0])
    indicator = check["indicator"]
    base_name = check["baseline"]
    # The baseline is computed with the same model parameters as the scenario, so that a parameter
    # variation moves both ends of the comparison.
    overrides = sc.spec.parameters
    key = (base_name, repr(sorted(check.items())) + repr(sorted(overrides.items())))
    if key not in evaluator.baselines:
        base = get_scenario(base_name, network=evaluator.net)
        if overrides:
            base = base.derive(name=f"{base.name} {describe_overrides(overrides)}", parameters=overrides)
        evaluator.baselines[key] = _indicator(evaluator, goal, place, base)
    before = evaluator.baselines[key]
    after = _indicator(evaluator, goal, place, sc)
    if indicator == "watt":
        change = (before - after) / before * 100 if math.isfinite(before) and before > 0 else math.nan
    else:
        change = (after - before) / before * 100 if before > 0 else math.nan
    need = float(check["min_improvement_pct"])
    label, label_zh = _INDICATOR[indicator]
    unit, unit_zh = (" min", " 分钟") if indicator == "watt" else ("", "")
    name = evaluator.net.nodes.at[place, "name_zh"]
    reason = (
        f"{label} of {name}: {before:,.1f}{unit} in {base_name} → "
        f"{after:,.1f}{unit}, {change:+.1f} % (better is positive; asked ≥ {need:g} %)"
    )
    reason_zh = (
        f"{name}{label_zh}：{base_name} {before:,.1f}{unit_zh} → {after:,.1f}{unit_zh}，"
        f"{change:+.1f} %（正值为改善；要求 ≥ {need:g} %）"
    )
    ok = bool(math.isfinite(change) and change >= need)
    return Measurement(change, need, ok, reason, reason_zh)


def _indicator(evaluator: GoalEvaluator, goal: Goal, place: str, sc: Scenario) -> float:
    dests = [evaluator.net.resolve(d) for d in _as_list(goal.check["destinations"])]
    times = skim([place], dests, mode=goal.value("mode"), scenario=sc, network=evaluator.net)
    population = evaluator.net.nodes["population"].astype("Float64").astype(float)
    threshold = float(goal.value("threshold_minutes"))
    table = indicators_from_skim(times.rename(index={place: place}), population, thresholds=[threshold])
    column = {"watt": "watt_min", "daily": f"daily_{threshold:g}", "potential": "potential"}[goal.check["indicator"]]
    return float(table.iloc[0][column])


def judge_milestone(evaluator: GoalEvaluator, goal: Goal, sc: Scenario, /, *, with_path: bool) -> Measurement:
    """Judge the project's event in the scenario against the deadline: a status and a margin in days."""
    check = goal.check
    project = evaluator.net.projects[check["project"]]
    event = check["event"]
    happened = _event_date(evaluator, project.id, event, sc)
    deadline = goal.deadline.end
    label = f"{project.name_zh} {event.replace('_', ' ')}"
    label_zh = f"{project.name_zh}{_EVENT_ZH.get(event, event)}"

    def result(status: str, margin: float | None, reason: str, reason_zh: str, ok: bool | None) -> Measurement:
        return Measurement(None, None, ok, reason, reason_zh, status=status, margin=margin)

    basis_zh = vocabulary.BASIS_ZH.get(sc.basis, sc.basis)
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
    if happened is None and goal.value("if_missing") == "not_assessable":
        return result(
            "not_assessable",
            None,
            f"no record of {label} in the data (as of {evaluator.net.data_date}); cannot judge",
            f"数据中没有{label_zh}的记录（截至 {evaluator.net.data_date}），无法判断",
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


def _event_date(evaluator: GoalEvaluator, project_id: str, event: str, sc: Scenario) -> dt.date | None:
    """Return the event's date in this scenario: the project's rule for the basis, after the scenario's switches."""
    if project_id in sc.spec.disable:
        return None
    if event in ("open", "complete"):
        date = sc.project_open_date(project_id)  # a project of members opens with its last member
    else:
        date = evaluator.net.projects[project_id].event_date(event, sc.basis)
    if project_id in sc.spec.enable:
        date = min(date, sc.date) if date is not None else sc.date
    return date


TRAVEL_TIME = GoalType(
    name="travel_time",
    keys=(
        Key.places("from"),
        Key.places("to"),
        Key.number("max_minutes", positive=True),
        Key.number("initial_wait_fraction", required=False, at_most=1.0),
        Key.choice("mode", vocabulary.TRIP_MODES, required=False, default=vocabulary.DEFAULT_TRIP_MODE),
        Key.flag("both_directions"),
    ),
    measure=measure_travel_time,
    margin=Margin.AT_MOST,
    unit="min",
    measured=True,
    title_en="travel time",
    title_zh="出行时间",
    about_en="trips between the place sets within max_minutes by the mode",
    about_zh="两组地点之间按出行方式在 max_minutes 分钟以内到达",
)
MILESTONE = GoalType(
    name="milestone",
    keys=(
        Key.project("project"),
        Key.choice("event", vocabulary.TARGET_EVENTS),
        Key.choice("if_missing", ("missed", "not_assessable"), required=False, default="missed"),
    ),
    measure=judge_milestone,
    margin=Margin.DEADLINE,
    unit="days",
    measured=False,
    title_en="milestone",
    title_zh="里程碑",
    about_en="a project reaches an event (start, full start, opening, completion) by the deadline",
    about_zh="项目在截止日期前实现某一节点（开工、全面开工、建成通车、建成）",
)
HUB = GoalType(
    name="hub",
    keys=(Key.places("station"), Key.number("min_lines", positive=True, integer=True)),
    measure=measure_hub,
    margin=Margin.AT_LEAST,
    unit="lines",
    measured=True,
    title_en="hub",
    title_zh="枢纽",
    about_en="a station on at least min_lines high-speed lines",
    about_zh="车站接入至少 min_lines 条高铁线路",
)
COVERAGE = GoalType(
    name="coverage",
    keys=(
        Key.places("places"),
        Key.choice("target", COVERAGE_TARGETS),
        Key.number("max_minutes", positive=True),
    ),
    measure=measure_coverage,
    margin=Margin.AT_MOST,
    unit="min",
    measured=True,
    title_en="coverage",
    title_zh="覆盖",
    about_en="each place within max_minutes by road of an expressway interchange or a high-speed station",
    about_zh="每个地点经公路在 max_minutes 分钟以内到达高速公路互通或高铁站",
)
ACCESSIBILITY = GoalType(
    name="accessibility",
    keys=(
        Key.places("place"),
        Key.choice("indicator", INDICATORS),
        Key.places("destinations"),
        Key.scenario("baseline"),
        Key.number("min_improvement_pct"),
        Key.choice("mode", vocabulary.TRIP_MODES, required=False, default=vocabulary.DEFAULT_TRIP_MODE),
        Key.number("threshold_minutes", required=False, default=DEFAULT_THRESHOLD_MINUTES, positive=True),
    ),
    measure=measure_accessibility,
    margin=Margin.AT_LEAST,
    unit="%",
    measured=True,
    title_en="accessibility",
    title_zh="可达性",
    about_en="an accessibility indicator of a place improves on a baseline by min_improvement_pct percent",
    about_zh="某地的可达性指标相对基准情景改善至少 min_improvement_pct %",
)

#: The goal types pxnet ships, in the order the goal-file reader lists them.
BUILT_IN: tuple[GoalType, ...] = (TRAVEL_TIME, MILESTONE, HUB, COVERAGE, ACCESSIBILITY)

for _entry in BUILT_IN:
    register_goal_type(_entry)
