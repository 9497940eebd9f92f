"""Ensembles over uncertain inputs, on a hand-made network whose answers have a closed form.

Stations a, b, c. a–b: a conventional rail link of 100 km with no speed of its own, so it runs at the default
``speed_kph.rail``, uniform on [80, 120] km/h; one rail service a–b every 60 min. By the travel-time model
(docs/methods.md) its modelled trains leave a on the half hour and take 60·L/v + stop_loss_min over one segment,
their times rounded to the minute: the fastest a → b is round(6000/v + stop_loss). The goal "a → b within
70 min" holds when 6000/v + stop_loss < 70.5, i.e. v > 6000 / (70.5 − stop_loss), and
P(met) = (120 − v*) / (120 − 80).
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
    critical = 60 * 100 / (70.5 - net.parameters.stop_loss_min)
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
    assert np.allclose(rail["margin"], 70 - np.round(60 * 100 / v + net.parameters.stop_loss_min))
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
    # The rail margin rises with the speed in whole-minute steps: a rank correlation of 1 but for the ties.
    assert s.at[("g_rail", 2030, "speed_kph.rail"), "spearman"] > 0.99
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


# -- arguments --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argument", "value", "message"),
    [
        ("draws", 10**9, r"draws must be a whole number from 1 to 100,000, got 1000000000"),
        ("draws", 2.5, r"draws must be .* \(a float\)"),
        ("draws", True, r"draws must be .* \(a bool\)"),
        ("seed", "abc", r"seed must be a non-negative whole number .* got 'abc' \(a str\)"),
        ("seed", -1, r"seed must be a non-negative whole number from 0 .* got -1"),
        ("workers", "2", r"workers must be a whole number from 1 to 256, None or 'auto', got '2'"),
        ("workers", -1, r"workers must be None, 'auto' or a whole number from 1 to 256, got -1"),
        ("workers", 0, r"workers must be"),
        ("years", [1800], r"years must be whole years from 2000 to 2100, got 1800 in position 0"),
        ("years", [2030, 2200], r"got 2200 in position 1"),
        ("years", [2030.7], r"got 2030.7 \(a float\)"),
        ("years", [99999], r"got 99999"),
        ("years", [], r"years is empty"),
        ("years", "2030", r"years must be a list of whole years"),
        ("years", [2030, 2030], r"lists 2030 twice"),
        ("basis", "expectd", r"basis must be one of 'expected', 'actual', 'plan'"),
        ("sampler", "halton", r"sampler must be one of 'lhs', 'sobol'"),
        ("batch_size", 0, r"batch_size must be a whole number from 1"),
        ("goals", 42, r"goals must be a name or a list of names, got 42"),
        ("goals", [], r"goals is empty"),
        ("inputs", [], r"inputs is empty"),
        ("sobol", "yes", r"sobol must be True or False, got 'yes'"),
        ("years", {2030: 1}, r"years must be a list of whole years"),
    ],
)
def test_each_argument_is_checked_with_its_name_and_range(net, argument, value, message):
    kw = {"goals": ["g_rail"], "years": [2030], "draws": 2, "network": net, "workers": 1, argument: value}
    with pytest.raises(AnalysisError, match=message) as info:
        ensemble(**kw)
    assert isinstance(info.value, ValueError)  # PxnetErrors also inherit their builtin


def test_a_huge_draw_count_fails_before_sampling(net, monkeypatch):
    from pxnet.goals import _ensemble

    def no_sampling(*args, **kwargs):
        raise AssertionError("sampled before checking draws")

    monkeypatch.setattr(_ensemble, "sample_inputs", no_sampling)
    with pytest.raises(AnalysisError, match="draws"):
        ensemble(["g_rail"], [2030], draws=10**9, network=net, workers=1)
    # With sobol=True the bound applies to the draws × (inputs + 2) input sets: 2 inputs, 4 sets a draw.
    with pytest.raises(AnalysisError, match=r"100,004 input sets .* at most 25,000 draws"):
        ensemble(
            ["g_rail"], [2030], draws=25_001, sobol=True, network=net, inputs=["speed_kph.rail", "opening.newline"]
        )


def test_one_year_alone_is_a_list_of_one(net):
    kw = {"draws": 3, "seed": 1, "network": net, "workers": 1, "inputs": ["speed_kph.rail"]}
    listed = ensemble(["g_rail"], [2029, 2030], **kw)
    pd.testing.assert_frame_equal(ensemble("g_rail", range(2029, 2031), **kw).results, listed.results)
    pd.testing.assert_frame_equal(ensemble(["g_rail"], np.array([2029, 2030]), **kw).results, listed.results)
    one = ensemble(["g_rail"], 2030, **{**kw, "inputs": "speed_kph.rail"})
    pd.testing.assert_frame_equal(one.results, ensemble(["g_rail"], [2030], **kw).results)


def test_p_met_bounds_are_clean_at_zero_and_one(toy):
    p = toy.p_met().set_index(["goal", "year"])
    # g_new is met in every draw of 2030 (the line is open by its last possible day): upper bound exactly 1.
    assert p.at[("g_new", 2030), "high"] == 1.0
    lo, hi = wilson_interval(0, 7)
    assert float(lo) == 0.0 and 0 < float(hi) < 1  # never 3.5e-18
    assert (p["low"] >= 0).all() and (p["high"] <= 1).all()
    assert (p["low"] == p["low"].round(4)).all()
    text = p.to_string()
    assert "e-" not in text


# -- measurements shared between identical network states -------------------------------------------------


def test_shared_measurements_give_the_rows_of_fresh_ones(net, monkeypatch):
    """2028 and 2029 have the same network when the line opens in 2030, as do 2030 and 2031 once it is open;
    the deadline is 2030, so their statuses differ (pending, missed) while the measurement is the same."""
    from pxnet.goals import GoalEvaluator
    from pxnet.goals._ensemble import sample_inputs
    from pxnet.goals._ensemble_draws import Batch, Job, evaluate_batch

    factors = pxnet.io.load_uncertainty(net.folder, parameters=net.parameters, projects=net.projects)
    factors = factors.select(["speed_kph.rail", "opening.newline"]).factors
    values = sample_inputs(factors, 6, seed=4, sobol=True)  # 6 base draws × 4 input sets
    job = Job(("g_rail", "g_new"), (2028, 2029, 2030, 2031), "expected", factors)
    batch = Batch(0, np.arange(len(values)), values)
    calls = []
    evaluate = GoalEvaluator.evaluate
    monkeypatch.setattr(GoalEvaluator, "evaluate", lambda self, *a, **k: calls.append(1) or evaluate(self, *a, **k))
    fresh = evaluate_batch(net, job, batch, reuse=False)
    n_fresh = len(calls)
    shared = evaluate_batch(net, job, batch, reuse=True)
    assert shared == fresh
    assert n_fresh == 24 * 4 * 2
    # Every input set has at most 2 network states over the 4 years, and the AB row of the opening repeats A's
    # rail speed and, in the years on the same side of its opening, A's network: at most half is measured again.
    assert len(calls) - n_fresh <= n_fresh // 2
    statuses = {r[3] for r in shared if r[2] == "g_rail" and r[1] in (2028, 2029) and not r[4]}
    assert statuses <= {"pending"}


# -- Sobol indices ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def toy_sobol(net):
    return ensemble(
        ["g_rail", "g_new"],
        [2029, 2030],
        draws=64,
        seed=3,
        workers=1,
        network=net,
        inputs=["speed_kph.rail", "opening.newline"],
        sobol=True,
    )


def test_sobol_indices_find_the_one_input_each_goal_depends_on(toy_sobol):
    """g_rail's verdict depends on the rail speed only, g_new's (in 2029) on the opening date only. An input the
    goal does not depend on leaves f(AB_i) = f(A) in every row: its total index is exactly 0. The one input it
    depends on carries all the variance: S1 = ST = 1 up to sampling noise."""
    assert toy_sobol.draws == 64 and len(toy_sobol.inputs) == 64 * 4
    s = toy_sobol.sensitivity().set_index(["goal", "year", "factor"])
    assert list(s.columns) == [c for c in pxnet.goals.SOBOL_COLUMNS if c not in ("goal", "year", "factor")]
    for goal, year, deciding, idle in (
        ("g_rail", 2030, "speed_kph.rail", "opening.newline"),
        ("g_new", 2029, "opening.newline", "speed_kph.rail"),
    ):
        assert s.at[(goal, year, idle), "ST"] == 0.0 and s.at[(goal, year, idle), "S1"] == 0.0
        assert s.at[(goal, year, deciding), "rank"] == 1
        assert s.at[(goal, year, deciding), "ST"] == pytest.approx(1.0, abs=0.3)
        assert s.at[(goal, year, deciding), "ST_low"] <= 1.0 <= s.at[(goal, year, deciding), "ST_high"] + 0.05
    # In 2030 g_new is met in every draw: no variance, nothing to apportion.
    assert s.loc[("g_new", 2030)]["ST"].isna().all() and (s.loc[("g_new", 2030)]["variance"] == 0).all()


def test_sobol_p_met_counts_the_independent_blocks(toy_sobol):
    p = toy_sobol.p_met()
    assert (p["draws"] == 2 * 64).all()
    frame = toy_sobol.frame()
    assert frame.groupby("block")["draw"].nunique().to_dict() == {
        "A": 64,
        "B": 64,
        "speed_kph.rail": 64,
        "opening.newline": 64,
    }
    # The swapped set of an input takes that input from B and the others from A.
    inputs, blocks = toy_sobol.inputs, toy_sobol.blocks
    a, b, swapped = (inputs[blocks == k].reset_index(drop=True) for k in ("A", "B", "speed_kph.rail"))
    assert swapped["speed_kph.rail"].equals(b["speed_kph.rail"])
    assert swapped["opening.newline"].equals(a["opening.newline"])


def test_sensitivity_needs_the_sobol_design(toy):
    with pytest.raises(AnalysisError, match="sobol=True"):
        toy.sensitivity()
    with pytest.raises(AnalysisError, match="output must be one of"):
        toy.sensitivity(output="value")


def test_sobol_estimator_on_the_ishigami_function():
    """Reference values: the Ishigami function f = sin x1 + a sin² x2 + b x3⁴ sin x1 on [−π, π]³ has closed-form
    variances V1 = (1 + bπ⁴/5)²/2, V2 = a²/8, V13 = b²π⁸(1/18 − 1/50), V = V1 + V2 + V13 (Ishigami & Homma 1990;
    Sobol' & Levitan 1999), so S1 = (V1, V2, 0)/V and ST = (V1 + V13, V2, V13)/V."""
    from scipy.stats import qmc

    from pxnet.goals._ensemble_sobol import pick_freeze, sobol_indices

    a, b, n = 7.0, 0.1, 4096
    v1, v2, v13 = (1 + b * math.pi**4 / 5) ** 2 / 2, a * a / 8, b * b * math.pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    u = qmc.Sobol(d=6, seed=np.random.default_rng(1)).random(n)
    x = pick_freeze(u[:, :3], u[:, 3:]) * 2 * math.pi - math.pi
    y = np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])
    r = sobol_indices(y.reshape(n, 5), resamples=200)
    assert r.s1 == pytest.approx([v1 / v, v2 / v, 0.0], abs=0.03)
    assert r.st == pytest.approx([(v1 + v13) / v, v2 / v, v13 / v], abs=0.03)
    assert (r.st_low <= [(v1 + v13) / v, v2 / v, v13 / v]).all() and (
        r.st_high >= [(v1 + v13) / v, v2 / v, v13 / v]
    ).all()


def test_an_ensemble_over_an_opening_date_measures_each_network_state_once(network_folder, monkeypatch):
    """Varying only the opening of `newline` (uniform over 2029–2030) gives two network states: the line closed
    (2029, opening in 2030) and open (2029 opening in 2029, and every 2030). The folder has no timetable, so 2029
    and 2030 with the line open are the same state. Each goal is measured once in each, whatever the number of
    draws or batches; every other row reuses a measurement."""
    from pxnet.goals import GoalEvaluator

    net = _net(network_folder)
    calls = []
    evaluate = GoalEvaluator.evaluate
    monkeypatch.setattr(GoalEvaluator, "evaluate", lambda self, *a, **k: calls.append(1) or evaluate(self, *a, **k))
    e = ensemble(
        ["g_rail", "g_new"],
        [2029, 2030],
        draws=40,
        seed=1,
        network=net,
        workers=1,
        batch_size=7,
        inputs=["opening.newline"],
    )
    assert len(calls) == 2 * 2 and len(e.results) == 40 * 2 * 2
    p = e.p_met().set_index(["goal", "year"])["p_met"]
    assert p[("g_new", 2030)] == 1.0 and 0 < p[("g_new", 2029)] < 1
