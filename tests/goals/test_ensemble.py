"""Ensembles over uncertain inputs, on a hand-made network whose answers have a closed form.

Stations a, b, c. a–b: a conventional rail link of 100 km with no speed of its own, so it runs at the default
``speed_kph.rail``, uniform on [80, 120] km/h; one rail service a–b. By the travel-time model (docs/methods.md)
a station-to-station trip with no initial wait over one segment takes 60·L/v + stop_loss_min, so the goal
"a → b within 70 min" holds when v ≥ 60·100 / (70 − stop_loss) and P(met) = (120 − v*) / (120 − 80).
a–c: a high-speed link of project ``newline`` whose opening is uniform over 2029-01-01 … 2030-12-31; the goal
"a → c by HSR within 60 min" (30 min at 300 km/h plus the stop loss) holds once it is open, so
P(met by the end of 2029) = 365 / 729 (days from the first to the last day) and P(met by 2030) = 1.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

import pxnet
from pxnet.errors import AnalysisError, DataValidationError, UnknownGoalError
from pxnet.goals import ensemble, joint_corners, wilson_interval

SRC = "hand-made test network"
NODES = f"""id,name_zh,name_en,kind,lon,lat,place,population,transfer_min,source
a,甲站,A,hsr_station,113.0,27.0,,,,{SRC}
b,乙站,B,hsr_station,113.9,27.0,,,,{SRC}
c,丙站,C,hsr_station,114.4,27.0,,,,{SRC}
"""
LINKS = f"""id,from,to,mode,length_km,speed_kph,line,project,status,source
ab,a,b,rail,100,,R1,,existing,{SRC}
ac,a,c,hsr,150,300,H1,newline,planned,{SRC}
"""
SERVICES = f"""id,name,mode,stops,headway_min,project,status,source
r_ab,甲乙普速,rail,a;b,60,,existing,{SRC}
g_ac,甲丙高铁,hsr,a;c,60,newline,planned,{SRC}
"""
PROJECTS = f"""- id: newline
  name_zh: 甲丙高铁
  name_en: A–C HSR
  category: hsr
  source: {SRC}
  opening:
    shape: uniform
    low: {{date: 2029, source: "estimate: test"}}
    high: {{date: 2030, source: "estimate: test"}}
"""
PARAMETERS = """speed_kph:
  value: {rail: 100}
  unit: km/h
  range: {rail: [80, 120]}
  distribution: {shape: uniform, source: "estimate: test"}
  source: "estimate: test"
stop_loss_min:
  value: 3
  unit: min
  range: [2, 6]
  source: "estimate: test"
"""
GOALS = """- id: g_rail
  name_zh: 甲乙70分钟
  name_en: a to b within 70 min
  clause: 测试
  deadline: 2030
  check: {type: travel_time, from: [a], to: [b], mode: rail, max_minutes: 70, initial_wait_fraction: 0}
  source: test
- id: g_new
  name_zh: 甲丙60分钟
  name_en: a to c within 60 min
  clause: 测试
  deadline: 2030
  check: {type: travel_time, from: [a], to: [c], mode: hsr, max_minutes: 60, initial_wait_fraction: 0}
  source: test
- id: g_open
  name_zh: 甲丙高铁通车
  name_en: newline open
  clause: 测试
  deadline: 2030
  check: {type: milestone, project: newline, event: open}
  source: test
"""
DRAWS = 100


def _net(network_folder, **changes):
    files = {"projects": PROJECTS, "parameters": PARAMETERS, "goals": GOALS} | changes
    return pxnet.load_network(network_folder(NODES, LINKS, SERVICES, **files))


@pytest.fixture(scope="module")
def net(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ensemble")
    texts = {
        "nodes.csv": NODES,
        "links.csv": LINKS,
        "services.csv": SERVICES,
        "projects.yaml": PROJECTS,
        "parameters.yaml": PARAMETERS,
        "goals.yaml": GOALS,
        "scenarios.yaml": "[]",
    }
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return pxnet.load_network(folder)


@pytest.fixture(scope="module")
def toy(net):
    # Only the rail speed and the opening vary here, so each is an exactly stratified 1-D Latin hypercube.
    return ensemble(
        ["g_rail", "g_new"],
        [2029, 2030],
        draws=DRAWS,
        seed=3,
        workers=1,
        network=net,
        inputs=["speed_kph.rail", "opening.newline"],
    )


def test_the_model_time_is_the_closed_form(net):
    stop = net.parameters.stop_loss_min
    for v in (80.0, 100.0, 120.0):
        sc = pxnet.get_scenario(2030, network=net).derive(parameters={"speed_kph": {"rail": v}})
        t = pxnet.travel_time("a", "b", mode="rail", scenario=sc, initial_wait_fraction=0)
        assert t == pytest.approx(60 * 100 / v + stop)


def test_p_met_of_a_uniform_speed_matches_the_closed_form(net, toy):
    critical = 60 * 100 / (70 - net.parameters.stop_loss_min)
    expected = (120 - critical) / (120 - 80)
    p = toy.p_met().set_index(["goal", "year"])
    for year in (2029, 2030):
        # A 1-D Latin hypercube puts one draw in each of N equal-probability strata: within 1/N of the answer.
        assert abs(p.at[("g_rail", year), "p_met"] - expected) <= 1 / DRAWS
        row = p.loc[("g_rail", year)]
        assert row["low"] <= expected <= row["high"]


def test_p_met_of_a_uniform_opening_date_matches_the_closed_form(toy):
    p = toy.p_met().set_index(["goal", "year"])["p_met"]
    first, last = dt.date(2029, 1, 1), dt.date(2030, 12, 31)
    expected_2029 = (dt.date(2030, 1, 1) - first).days / (last - first).days
    assert abs(p[("g_new", 2029)] - expected_2029) <= 1 / DRAWS
    assert p[("g_new", 2030)] == 1.0
    opened = pd.to_datetime(toy.inputs["opening.newline"])
    assert opened.min() >= pd.Timestamp(first) and opened.max() <= pd.Timestamp(last)


def test_results_are_tidy_and_margins_follow_the_inputs(net, toy):
    r = toy.results
    assert len(r) == DRAWS * 2 * 2 and set(r["goal"]) == {"g_rail", "g_new"}
    rail = r[(r["goal"] == "g_rail") & (r["year"] == 2030)].set_index("draw")
    v = toy.inputs["speed_kph.rail"]
    assert np.allclose(rail["margin"], 70 - (60 * 100 / v + net.parameters.stop_loss_min))
    assert (rail["met"] == (rail["margin"] >= 0)).all()
    new = r[(r["goal"] == "g_new") & (r["year"] == 2029)].set_index("draw")
    closed = pd.to_datetime(toy.inputs["opening.newline"]) > pd.Timestamp(2029, 12, 31)
    assert (new.loc[closed, "margin"] == -math.inf).all() and (
        new.loc[~closed, "margin"] == 60 - (60 * 150 / 300 + net.parameters.stop_loss_min)
    ).all()
    m = toy.margins().set_index(["goal", "year"])
    assert m.at[("g_new", 2029), "unreachable"] == pytest.approx(closed.mean())


def test_sensitivity_ranks_the_deciding_input_first(toy):
    s = toy.rank_correlations().set_index(["goal", "year", "factor"])
    # The rail margin rises strictly with the speed: a rank correlation of exactly 1.
    assert s.at[("g_rail", 2030, "speed_kph.rail"), "spearman"] == pytest.approx(1.0)
    assert s.at[("g_rail", 2030, "speed_kph.rail"), "rank"] == 1
    assert s.at[("g_new", 2029, "opening.newline"), "rank"] == 1
    assert s.at[("g_new", 2029, "opening.newline"), "spearman"] < -0.8  # later opening, smaller margin


def test_same_seed_same_results_for_one_and_two_local_workers(net):
    kw = {"draws": 12, "seed": 5, "network": net, "batch_size": 3}
    one = ensemble(["g_rail"], [2029, 2030], workers=1, **kw)
    two = ensemble(["g_rail"], [2029, 2030], workers=2, **kw)
    assert two.workers == 2
    pd.testing.assert_frame_equal(one.results, two.results)
    pd.testing.assert_frame_equal(one.inputs, two.inputs)
    other = ensemble(["g_rail"], [2029, 2030], workers=1, **{**kw, "seed": 6})
    assert not other.inputs.equals(one.inputs)


def test_dask_local_cluster_gives_the_local_results(net):
    distributed = pytest.importorskip("distributed")
    kw = {"draws": 8, "seed": 2, "network": net, "batch_size": 2}
    local = ensemble(["g_rail"], [2030], workers=1, **kw)
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = ensemble(["g_rail"], [2030], engine=client, **kw)
    assert remote.engine == "dask" and remote.workers == 2
    pd.testing.assert_frame_equal(local.results, remote.results)


def test_joint_corners_put_every_parameter_at_its_end(net):
    c = joint_corners(["g_rail"], [2030], network=net).iloc[0]
    # Fastest: rail at 120 km/h and the least stop loss; slowest: 80 km/h and the most (ranges in PARAMETERS).
    assert c["best_value"] == pytest.approx(60 * 100 / 120 + 2)
    assert c["worst_value"] == pytest.approx(60 * 100 / 80 + 6)
    assert (c["base_status"], c["best_status"], c["worst_status"]) == ("met", "met", "missed")
    assert not c["robust"]
    assert "stop_loss_min=2" in c["best_case"] and "speed_kph.rail=120" in c["best_case"]


def test_wilson_interval_matches_scipy():
    from scipy.stats import binomtest

    for k, n in ((0, 10), (3, 10), (10, 10), (57, 200)):
        ci = binomtest(k, n).proportion_ci(confidence_level=0.9, method="wilson")
        lo, hi = wilson_interval(k, n, confidence=0.9)
        assert (float(lo), float(hi)) == pytest.approx((ci.low, ci.high))


def test_bad_arguments_raise_pxnet_errors(net):
    with pytest.raises(UnknownGoalError, match="g_rail"):
        ensemble(["g_rial"], [2030], draws=2, network=net, workers=1)
    with pytest.raises(AnalysisError, match="milestone"):
        ensemble(["g_open"], [2030], draws=2, network=net, workers=1)
    with pytest.raises(AnalysisError, match="draws"):
        ensemble(["g_rail"], [2030], draws=0, network=net, workers=1)
    with pytest.raises(AnalysisError, match=r"speed_kph\.rail"):
        ensemble(["g_rail"], [2030], draws=2, network=net, workers=1, inputs=["speed_kph.rial"])
    with pytest.raises(AnalysisError, match="engine"):
        ensemble(["g_rail"], [2030], draws=2, network=net, engine="cluster")


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("parameters", "shape: uniform", "shape: uniformly", "did you mean 'uniform'"),
        ("parameters", "shape: uniform,", "shape: triangular, mode: 130,", "outside the range"),
        ("parameters", ', source: "estimate: test"}', "}", "distribution.source"),
        ("projects", 'high: {date: 2030, source: "estimate: test"}', "high: {date: 2030}", "opening.high.source"),
        ("projects", "low: {date: 2029,", "low: {date: 2031,", "low <= mode <= high"),
        ("projects", "shape: uniform", "shape: uniform\n    slip: 3", "opening.slip"),
    ],
)
def test_bad_distributions_name_the_file_and_key(network_folder, file, old, new, message):
    texts = {"projects": PROJECTS, "parameters": PARAMETERS}
    assert old in texts[file]
    texts[file] = texts[file].replace(old, new)
    with pytest.raises(DataValidationError, match=message) as info:
        _net(network_folder, **texts)
    assert any(p.file == f"{file}.yaml" for p in info.value.problems)


def test_bundled_distributions_are_sourced():
    net = pxnet.load_network()
    u = pxnet.io.load_uncertainty(net.folder, parameters=net.parameters, projects=net.projects)
    assert {f.name for f in u.factors if f.kind == "parameter"} == set(net.parameters.ranges)
    for f in u.factors:
        assert f.source and not f.source.startswith("no distribution"), f.name
    opening = next(f for f in u.factors if f.name == "opening.changgan")
    # Its likeliest date is the data's own expected opening (expected_open milestone of changgan).
    expected = net.projects["changgan"].milestone("expected_open")
    assert expected is not None
    assert dt.date.fromordinal(int(opening.distribution.low)) < expected.date.end
