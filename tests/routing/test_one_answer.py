"""One question, one answer: 萍乡北 → 广州南 by high-speed rail in as-built-2026 through every door.

The answer (the fastest journey departing within the service day on the scenario's timetable) is computed once by
`pxnet.travel_time`; every other door must give the same minutes, and say what they rest on.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

import pxnet
from pxnet.cli import main


@pytest.fixture(scope="module")
def answer() -> float:
    minutes = pxnet.travel_time("萍乡北", "广州南", mode="hsr", scenario=2026)
    assert 100 < minutes < 300
    return minutes


def test_route_skim_and_journeys_agree(answer: float) -> None:
    legs = pxnet.route("萍乡北", "广州南", mode="hsr", scenario=2026)
    assert legs.attrs["minutes"] == answer == pytest.approx(legs["minutes"].sum())
    assert legs.attrs["statistic"] == "fastest" and legs.attrs["window"] == ("06:00", "23:00")
    assert "scheduled" in legs.attrs["timetable_basis"]
    assert pxnet.skim(["萍乡北"], ["广州南"], mode="hsr", scenario=2026).iloc[0, 0] == answer
    trips = pxnet.journeys("萍乡北", "广州南", scenario=2026)
    assert trips["minutes"].min() == answer
    best = trips.loc[trips["minutes"].idxmin()]
    assert best["trains"] == " → ".join(legs.loc[legs["leg"] == "ride", "via"])


def test_the_cli_gives_the_same_minutes(answer: float, capsys: pytest.CaptureFixture[str]) -> None:
    main(["times", "--from", "萍乡北", "--to", "广州南", "--mode", "hsr", "--scenario", "2026", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert out[0]["minutes"] == pytest.approx(answer, abs=0.005) and out[0]["statistic"] == "fastest"


def test_the_assessment_and_the_report_chart_give_the_same_minutes(answer: float) -> None:
    a = pxnet.assess(["hsr3h_guangzhou_station"], [pxnet.get_scenario(2026)], flips=False)
    result = a.results[0]
    row = result.timetable.set_index(["from", "to"]).loc[("萍乡北", "广州南")]
    assert row["fastest"] == answer
    assert result.value == pytest.approx(max(result.timetable["fastest"]))
    from pxnet.analysis import report_inputs

    sc = pxnet.get_scenario(2026)
    inputs = report_inputs([sc], network=sc.network, maps=False, origin="萍乡北")
    chart = inputs.skims[("as-built-2026", "hsr")]
    # The chart's destinations are places: 广州 stands for its stations, so its value is the best of them.
    assert chart.loc["萍乡北", "广州"] == pxnet.travel_time("萍乡北", "广州", mode="hsr", scenario=2026) <= answer


def test_a_late_departure_catches_the_next_morning_train() -> None:
    """At 23:30 no train leaves 萍乡北 until the morning: the answer is the next day's first journey, not inf."""
    late = pxnet.travel_time("萍乡北", "长沙南", mode="hsr", scenario=2026, departure="23:30")
    first = pxnet.journeys("萍乡北", "长沙南", scenario=2026).sort_values("departure_s").iloc[0]
    assert math.isfinite(late)
    assert late == pytest.approx((first["arrival_s"] + 24 * 3600 - (23 * 3600 + 30 * 60)) / 60)


def test_arrive_by_is_the_latest_departure_that_arrives_in_time() -> None:
    """Arrive at 广州南 by 18:00: the latest listed departure arriving by then sets the minutes."""
    minutes = pxnet.travel_time("萍乡北", "广州南", mode="hsr", scenario=2026, arrival="18:00")
    trips = pxnet.journeys("萍乡北", "广州南", scenario=2026)
    ok = trips[trips["arrival_s"] <= 18 * 3600]
    assert minutes == pytest.approx((18 * 3600 - ok["departure_s"].max()) / 60)
    bands = pxnet.isochrones("广州南", bands=(180, 240), mode="hsr", scenario=2026, to=True, arrival="18:00")
    assert len(bands) == 2


def test_a_skim_with_a_departure_runs_one_profile_per_origin(monkeypatch: pytest.MonkeyPatch) -> None:
    from pxnet.routing.timetable import _connections as _timetable

    calls = []
    original = _timetable.TimedRouter._profile

    def counting(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(_timetable.TimedRouter, "_profile", counting)
    dests = ["长沙南", "广州南", "深圳北", "衡阳东", "郴州西", "韶关", "株洲西", "南昌西", "宜春", "新余北", "醴陵东"]
    m = pxnet.skim(["萍乡北"], dests, mode="hsr", scenario=2026, departure=("07:00", "07:59"), statistic="p50")
    assert m.shape == (1, 11) and np.isfinite(m.to_numpy()).any()
    assert len(calls) == 1


def test_bad_departure_and_arrival_arguments_are_clear_errors() -> None:
    with pytest.raises(pxnet.RoutingError, match="not a time"):
        pxnet.travel_time("萍乡北", "广州南", mode="hsr", arrival="noon")
    with pytest.raises(pxnet.RoutingError, match="not both"):
        pxnet.travel_time("萍乡北", "广州南", mode="hsr", departure="07:00", arrival="12:00")
    with pytest.raises(pxnet.RoutingError, match="timetable"):
        pxnet.travel_time("萍乡", "广州", mode="road", arrival="12:00")
    with pytest.raises(pxnet.RoutingError, match="one clock time"):
        pxnet.travel_time("萍乡北", "广州南", mode="hsr", arrival=("11:00", "12:00"))
    with pytest.raises(pxnet.RoutingError, match="statistic"):
        pxnet.skim(["萍乡北"], ["广州南"], mode="hsr", statistic="p200")
    with pytest.warns(FutureWarning, match="window"), pytest.raises(pxnet.RoutingError, match="not both"):
        pxnet.journeys("萍乡北", "广州南", departure="07:00", window="08:00")


def test_the_service_day_start_is_a_parameter() -> None:
    """The default window is [service_day_start_h, + service_day_hours]: starting at 10:00 drops earlier trains."""
    later = pxnet.get_scenario(2026).derive(parameters={"service_day_start_h": 10})
    legs = pxnet.route("萍乡北", "广州南", mode="hsr", scenario=later)
    assert legs.attrs["window"] == ("10:00", "27:00")
    trips = pxnet.journeys("萍乡北", "广州南", scenario=later)
    assert trips["departure_s"].min() >= 10 * 3600
    with pytest.raises(pxnet.ScenarioError, match="service_day_start_h"):
        pxnet.get_scenario(2026).derive(parameters={"service_day_start_h": 25})
