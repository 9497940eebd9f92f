"""Plan assessment on a hand-made network; every expected number is worked out by hand below.

Stations a–b–c (high-speed line "hsr_line", opened 2015-06): a–b 100 km on line L1 (20 min at 300 km/h),
b–c 150 km on line L2 (30 min). Stop loss 3 min per segment, dwell 2, entry 15, exit 5; b has its own transfer
time of 8 min. The service day is pxnet's default, 06:00 + 17 h (1020 min). Services (none has a GTFS feed, so
each runs as modelled trips, both ways, the k-th of n leaving its first stop at 06:00 + (k + 1/2) × 1020 / n,
times rounded to the minute):

- ``through`` a–b–c, one slow train a day with sourced segment times 60 and 70 min: n = 1, it leaves a at
  06:00 + 510 min = 14:30, reaches b 15:30, leaves 15:32 (dwell 2) and reaches c 16:42 (132 min);
- ``s_ab`` a–b every 30 min: n = floor(1020 / 30) = 34, leaving a at 06:15, 06:45, … 22:45; 20 + 3 = 23 min;
- ``s_bc`` b–c every 20 min (project "shuttle_bc": plan target 2020, expected 2027, not open in reality):
  n = 51, leaving b at 06:10, 06:30, 06:50, …; 30 + 3 = 33 min.

Fastest a → c by hsr (no wait at the origin; a change at b needs 8 min):

- without the shuttle: the through train alone takes 132 min; ``s_ab`` 14:45 reaches b 15:08, ready 15:16 for
  the through train's 15:32, arriving c 16:42: 117 min (``s_ab`` 15:15 would be ready 15:46, too late). So 117.
- with the shuttle: ``s_ab`` at 06:15 + 60 j reaches b at :38, ready :46, ``s_bc`` :50 → c :23 next hour:
  23 + 8 + 4 + 33 = 68 min (the ``s_ab`` at :45 reaches b :08, ready :16, waits for :30: 78 min); any journey
  using the through train takes at least 60 + 8 + 33 = 101 min. So 68.
- Roads: pa –(access 5 km, 10 min)– ic –(expressway 300 km, 180 min)– ic2 –(access 6 km, 12 min)– pc; so
  pa → pc by road is 202 min. pa, pc are 10 km of access (20 min) from stations a, c.
- Door to door pa → pc with the hsr line (2016+, no shuttle): 20 + 15 + 117 + 5 + 20 = 177 min; with the
  shuttle as well (plan-2020): 20 + 15 + 68 + 5 + 20 = 128 min; before the line (2014): 202 min by road. WATT of
  pa to [pc] improves (202 − 177) / 202 = 12.4 % from 2014 to 2016.
"""

from __future__ import annotations

import math

import pytest

import pxnet
from pxnet.analysis import indicators_from_skim
from pxnet.goals import assess

SRC = "hand-made test network"
NODES = f"""id,name_zh,name_en,kind,lon,lat,place,population,transfer_min,source
pa,甲市,PA,city,113.0,27.05,,1000,,{SRC}
pc,丙市,PC,city,114.5,27.05,,2000,,{SRC}
a,甲站,A,hsr_station,113.0,27.0,pa,,,{SRC}
b,乙站,B,hsr_station,113.5,27.0,,,8,{SRC}
c,丙站,C,hsr_station,114.5,27.0,pc,,,{SRC}
ic,甲互通,IC,interchange,113.03,27.05,pa,,,{SRC}
ic2,丙互通,IC2,interchange,114.47,27.05,pc,,,{SRC}
"""
LINKS = f"""id,from,to,mode,length_km,speed_kph,line,project,status,source
ab,a,b,hsr,100,300,L1,hsr_line,existing,{SRC}
bc,b,c,hsr,150,300,L2,hsr_line,existing,{SRC}
acc_a,pa,a,access,10,30,,,existing,{SRC}
acc_c,pc,c,access,10,30,,,existing,{SRC}
acc_ic,pa,ic,access,5,30,,,existing,{SRC}
acc_ic2,pc,ic2,access,6,30,,,existing,{SRC}
expw,ic,ic2,expressway,300,100,E1,,existing,{SRC}
"""
SERVICES = f"""id,name,mode,stops,headway_min,trains_per_day,segment_min,project,status,source
through,直达,hsr,a;b;c,,1,60;70,hsr_line,existing,{SRC}
s_ab,甲乙,hsr,a;b,30,,,hsr_line,existing,{SRC}
s_bc,乙丙,hsr,b;c,20,,,shuttle_bc,planned,{SRC}
"""
PROJECTS = f"""- id: hsr_line
  name_zh: 甲丙高铁
  name_en: A–C HSR
  category: hsr
  milestones: [{{event: open, date: 2015-06, source: test}}]
  source: {SRC}
- id: shuttle_bc
  name_zh: 乙丙班车
  name_en: B–C shuttle
  category: service
  plan_targets: {{open: 2020}}
  milestones: [{{event: expected_open, date: 2027, source: test}}]
  source: {SRC}
- id: late_project
  name_zh: 迟到项目
  name_en: Late project
  category: road
  plan_targets: {{start: 2019}}
  milestones: [{{event: start, date: 2021-03, source: test}}]
  source: {SRC}
- id: unknown_project
  name_zh: 无记录项目
  name_en: Project without records
  category: port
  plan_targets: {{complete: 2025}}
  source: {SRC}
"""
SCENARIOS = """- {name: plan-2020, date: 2020, basis: plan}
- {name: expected-2030, date: 2030, basis: expected}
"""
PARAMETERS = """dwell_min: {value: 2, unit: min, source: test}
stop_loss_min: {value: 3, unit: min, source: test}
station_entry_min: {value: 15, unit: min, source: test}
station_exit_min: {value: 5, unit: min, source: test}
"""
GOALS = """- id: g_tt
  name_zh: 甲丙100分钟
  name_en: a to c within 100 min
  clause: 测试
  deadline: 2024
  check: {type: travel_time, from: [a], to: [c], mode: hsr, max_minutes: 100}
  source: test
- id: g_start
  name_zh: 2019年开工
  name_en: started by 2019
  clause: 测试
  deadline: 2019
  check: {type: milestone, project: late_project, event: start}
  source: test
- id: g_unknown
  name_zh: 无记录
  name_en: no record
  clause: 测试
  deadline: 2025
  check: {type: milestone, project: unknown_project, event: complete, if_missing: not_assessable}
  source: test
- id: g_hub
  name_zh: 乙站枢纽
  name_en: b a hub
  clause: 测试
  deadline: 2020
  check: {type: hub, station: b, min_lines: 2}
  source: test
- id: g_cov_ic
  name_zh: 15分钟上高速
  name_en: interchange within 15 min
  clause: 测试
  deadline: 2020
  check: {type: coverage, places: [pa, pc], target: interchange, max_minutes: 15}
  source: test
- id: g_cov_hsr
  name_zh: 30分钟到高铁站
  name_en: HSR station within 30 min
  clause: 测试
  deadline: 2020
  check: {type: coverage, places: [pa, pc], target: hsr_station, max_minutes: 30}
  source: test
- id: g_acc
  name_zh: 可达性提升10%
  name_en: WATT 10 % better
  clause: 测试
  deadline: 2020
  check: {type: accessibility, place: pa, indicator: watt, destinations: [pc], baseline: as-built-2014,
          min_improvement_pct: 10, mode: door_to_door}
  source: test
"""


@pytest.fixture
def net(network_folder):
    return pxnet.load_network(_folder(network_folder, GOALS))


def _folder(network_folder, goals):  # type: ignore[no-untyped-def]
    return network_folder(
        NODES, LINKS, SERVICES, projects=PROJECTS, scenarios=SCENARIOS, parameters=PARAMETERS, goals=goals
    )


def test_travel_time_goal_statuses_and_flips(net):
    a = assess(["g_tt"], ["as-built-2023", "as-built-2025", "plan-2020"], network=net)
    pending, missed, met = (a.result("g_tt", s) for s in ("as-built-2023", "as-built-2025", "plan-2020"))
    assert (pending.status, missed.status, met.status) == ("pending", "missed", "met")
    # without the shuttle 117 min (s_ab then the through train); with it 68 min (the two shuttles)
    assert missed.value == pytest.approx(117) and missed.margin == pytest.approx(-17) and missed.unit == "min"
    assert met.value == pytest.approx(68) and met.margin == pytest.approx(32)
    assert missed.flips == ["opening shuttle_bc → met"]
    # closing the shuttle leaves 117 min; closing the line leaves no train at all
    assert met.flips == ["closing hsr_line → not met", "closing shuttle_bc → not met"]
    slow, fast = missed.critical_path, met.critical_path
    assert slow[["leg", "via", "departure", "arrival"]].values.tolist() == [
        ["ride", "s_ab#f18", "14:45", "15:08"],
        ["transfer", "", "15:08", "15:32"],
        ["ride", "through#f1", "15:32", "16:42"],
    ]
    assert fast[["leg", "via", "departure", "arrival"]].values.tolist() == [
        ["ride", "s_ab#f1", "06:15", "06:38"],
        ["transfer", "", "06:38", "06:50"],
        ["ride", "s_bc#f3", "06:50", "07:23"],
    ]
    assert fast["minutes"].tolist() == pytest.approx([23, 12, 33])  # the change at b: 8 min + 4 min's wait


def test_milestone_goal(net):
    a = assess(["g_start", "g_unknown"], ["as-built-2019", "as-built-2026", "plan-2020"], network=net)
    assert a.result("g_start", "as-built-2019").status == "pending"
    late = a.result("g_start", "as-built-2026")
    assert late.status == "missed" and late.margin == -456 and late.unit == "days"  # 2019-12-31 → 2021-03-31
    assert "456 days late" in late.reason
    assert a.result("g_start", "plan-2020").status == "met"  # as promised
    assert a.result("g_unknown", "as-built-2026").status == "not_assessable"
    assert a.result("g_unknown", "as-built-2019").status == "pending"


def test_hub_goal(net):
    a = assess(["g_hub"], ["as-built-2014", "as-built-2020"], network=net)
    before, after = a.result("g_hub", "as-built-2014"), a.result("g_hub", "as-built-2020")
    assert (before.status, before.value) == ("pending", 0)
    assert (after.status, after.value, after.margin) == ("met", 2, 0)
    assert after.flips == ["closing hsr_line → not met"]


def test_coverage_goals(net):
    a = assess(["g_cov_ic", "g_cov_hsr"], ["as-built-2020"], network=net)
    ic = a.result("g_cov_ic", "as-built-2020")
    assert ic.status == "met" and ic.value == pytest.approx(12) and ic.margin == pytest.approx(3)
    assert ic.details.set_index("place").at["pa", "minutes"] == pytest.approx(10)
    hsr = a.result("g_cov_hsr", "as-built-2020")
    assert hsr.status == "met" and hsr.value == pytest.approx(20)
    assert hsr.flips == ["closing hsr_line → not met"]  # no served station left


def test_accessibility_goal(net):
    r = assess(["g_acc"], ["as-built-2016"], network=net).result("g_acc", "as-built-2016")
    assert r.value == pytest.approx((202 - 177) / 202 * 100)
    assert r.status == "met" and r.unit == "%"
    assert r.margin == pytest.approx((202 - 177) / 202 * 100 - 10)


def test_indicators_by_hand(net):
    acc = pxnet.accessibility(["pa"], ["pa", "pc"], scenario=2016, network=net).loc["pa"]
    assert acc["watt_min"] == pytest.approx(177)
    assert acc["daily_180"] == 2000 and acc["daily_240"] == 2000  # 177 min is inside both limits
    assert acc["potential"] == pytest.approx(2000 / 177)
    before = pxnet.accessibility(["pa"], ["pc"], scenario=2014, network=net).loc["pa"]
    assert before["watt_min"] == pytest.approx(202) and before["daily_180"] == 0
    t = pxnet.skim(["pa"], ["pc"], scenario=2014, network=net)
    assert math.isclose(indicators_from_skim(t, net.nodes["population"].astype(float)).iloc[0]["watt_min"], 202)


def test_compare(net):
    c = pxnet.compare(2014, 2016, network=net)
    row = c.od.set_index(["origin", "destination"]).loc[("pa", "pc")]
    assert row["minutes_a"] == pytest.approx(202) and row["minutes_b"] == pytest.approx(177)
    assert row["change_min"] == pytest.approx(-25) and row["change_pct"] == pytest.approx(-25 / 202 * 100)
    assert set(c.winners().index) == {"pa", "pc"} and c.losers().empty
    assert c.indicators.at["pa", "watt_change_min"] == pytest.approx(-25)


def test_json_is_stable(net):
    doc = assess(["g_tt", "g_start"], ["as-built-2025"], network=net).to_json()
    assert set(doc) == {"pxnet_version", "data_date", "scenarios", "goals", "results"}
    first = doc["results"][0]
    assert set(first) == {
        "goal",
        "type",
        "scenario",
        "scenario_date",
        "deadline",
        "status",
        "value",
        "target",
        "margin",
        "unit",
        "reason",
        "flips",
        "critical_path",
        "timetable",
    }
    assert (first["goal"], first["status"], first["margin"]) == ("g_tt", "missed", -17.0)
    # one row per direction asked (a → c only): the fastest journey and its trains, as worked out above
    (row,) = first["timetable"]
    assert (row["fastest"], row["trains"], row["via"]) == (117.0, "s_ab#f18 → through#f1", "乙站")
    # No journey a day is inside 100 min. Median over the 1021 departure minutes 06:00–23:00: leaving at minute
    # t ≤ 14:45 arrives with the through train at 16:42 (1002 − t min: 526 values, 117 … 642); later departures
    # wait for the next day's train (≥ 1062 min). The 511th smallest is 117 + 510 = 627.
    assert (row["within"], row["first"], row["last"], row["median"]) == (0, "", "", 627.0)


def test_goal_file_errors(network_folder):
    bad = GOALS.replace("project: late_project", "project: late_projekt").replace("place: pa,", "place: 甲城,")
    with pytest.raises(pxnet.DataValidationError) as info:
        pxnet.load_network(_folder(network_folder, bad))
    text = str(info.value)
    assert "goals.yaml, line 8, id 'g_start', column 'check.project'" in text
    assert "unknown place '甲城'" in text and "甲市" in text


def test_unknown_goal(net):
    with pytest.raises(pxnet.UnknownGoalError, match=r"did you mean 'g_tt'"):
        assess(["g_ttt"], network=net)


def test_travel_time_figure_draws_the_fastest_journey(net):
    """Both panels draw the answers worked out above for as-built-2023: 177 min door to door, 117 min by hsr.

    ``initial_wait_fraction`` no longer changes any rail answer (the timetable's fastest journey has no wait at
    the origin), so the default and ``0`` draw the same minutes.
    """
    from pxnet.plot import figure_gba_times

    a = assess(["g_tt"], ["as-built-2023"], network=net, flips=False)
    for fraction in (None, 0):
        fig = figure_gba_times(a, origin="pa", destinations=["pc"], initial_wait_fraction=fraction)
        assert fig.axes[0].lines[0].get_xdata()[0] == pytest.approx(177)
        fig = figure_gba_times(a, origin="a", destinations=["c"], initial_wait_fraction=fraction)
        assert fig.axes[1].lines[0].get_xdata()[0] == pytest.approx(117)
    assert any("fastest journey" in t.get_text() for t in fig.texts)


def test_travel_time_figure_footnote_says_what_it_draws(net):
    """By default the figure draws the fastest journey a → c, 117 min; its footnote must not claim a headway wait."""
    from pxnet.plot import figure_gba_times

    a = assess(["g_tt"], ["as-built-2023"], network=net, flips=False)
    fig = figure_gba_times(a, origin="a", destinations=["c"])
    assert fig.axes[1].lines[0].get_xdata()[0] == pytest.approx(117)
    words = " ".join(t.get_text() for t in fig.texts)
    assert "headway" not in words and "fastest" in words
