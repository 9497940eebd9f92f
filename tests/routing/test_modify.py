"""Timetable modifications on small hand-built trip tables, with the expected times worked out by hand.

Trip T1 calls at a (dep 08:00), b (arr 08:30, dep 08:32) and c (arr 09:00): runs 30 and 28 min, dwell 2.
Trip T2 runs a (dep 10:00) → c (arr 10:50) without stopping: one run of 50 min.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pxnet
from pxnet.routing.timetable._connections import router_from_arrays
from pxnet.routing.timetable._modify import (
    AddTrips,
    AdjustDwell,
    AdjustFrequency,
    RemoveTrips,
    Retime,
    ShiftRuns,
    TripTable,
    apply_all,
)

H = 3600.0
M = 60.0


def table() -> TripTable:
    trips = pd.DataFrame(
        {
            "trip_id": ["T1", "T2"],
            "route_id": ["r", "r"],
            "service_id": ["s", "s"],
            "train": ["G1", "G2"],
            "basis": ["scheduled", "scheduled"],
            "source": ["hand-made", "hand-made"],
            "modified_by": ["", ""],
        }
    )
    calls = pd.DataFrame(
        {
            "trip_id": ["T1", "T1", "T1", "T2", "T2"],
            "stop_sequence": [1, 2, 3, 1, 2],
            "stop_id": ["a", "b", "c", "a", "c"],
            "station": ["a", "b", "c", "a", "c"],
            "arrival_s": [8 * H, 8 * H + 30 * M, 9 * H, 10 * H, 10 * H + 50 * M],
            "departure_s": [8 * H, 8 * H + 32 * M, 9 * H, 10 * H, 10 * H + 50 * M],
        }
    )
    return TripTable(trips, calls)


def times(t: TripTable, trip: str) -> list[float]:
    own = t.calls[t.calls["trip_id"] == trip]
    return [x / M for pair in zip(own["arrival_s"], own["departure_s"], strict=True) for x in pair]


def test_retime_by_a_factor_changes_runs_not_dwell():
    """Half the running time: a 08:00, b 08:15 (dwell 2) 08:17, c 08:31."""
    out = Retime(id="speedup", between=("a", "c"), factor=0.5).apply(table())
    assert times(out, "T1") == pytest.approx([480, 480, 495, 497, 511, 511])
    t1 = out.trips.set_index("trip_id").loc["T1"]
    assert t1["basis"] == "re-timed" and t1["modified_by"] == "speedup"


def test_retime_to_a_published_fastest_time():
    """Fastest 40 min: the one factor f with min(2 + 58 f, 50 f) = 40 is f = 0.8 (T2 is the fastest);
    T1 then takes 2 + 58 × 0.8 = 48.4 min."""
    out = Retime(id="r", between=("a", "c"), fastest_min=40).apply(table())
    t1, t2 = times(out, "T1"), times(out, "T2")
    assert t2[-1] - t2[0] == pytest.approx(40)
    assert t1[-1] - t1[0] == pytest.approx(48.4)


def test_remove_and_suspend_trips():
    assert list(RemoveTrips(id="x", trains=("g1",)).apply(table()).trips["trip_id"]) == ["T2"]
    assert list(RemoveTrips(id="x", stations=("b",)).apply(table()).trips["trip_id"]) == ["T2"]
    with pytest.raises(pxnet.RoutingError, match="names trains"):
        RemoveTrips(id="x").apply(table())


def test_an_added_pattern():
    """Two trains a → b → c at 07:00 and 12:00: runs 20 and 25 min, dwell 3: b at 07:20–07:23, c at 07:48."""
    add = AddTrips(id="new", stops=("a", "b", "c"), departures=(7 * H, 12 * H), run_s=(20 * M, 25 * M), dwell_s=3 * M)
    out = add.apply(table())
    assert times(out, "new:1") == pytest.approx([420, 420, 440, 443, 468, 468])
    assert times(out, "new:2")[0] == pytest.approx(720)
    assert set(out.trips.loc[out.trips["trip_id"].str.startswith("new:"), "basis"]) == {"modelled"}


def test_a_dwell_change_shifts_the_rest_of_the_trip():
    """Dwell at b 5 min instead of 2: b 08:30–08:35, c 09:03."""
    out = AdjustDwell(id="d", station="b", dwell_s=5 * M).apply(table())
    assert times(out, "T1") == pytest.approx([480, 480, 510, 515, 543, 543])
    assert times(out, "T2") == times(table(), "T2")


def test_shift_runs_over_a_changed_link():
    """The run a → b three minutes longer: b 08:33–08:35, c 09:03."""
    out = ShiftRuns(id="slow", deltas=(("a", "b", 180.0),)).apply(table())
    assert times(out, "T1") == pytest.approx([480, 480, 513, 515, 543, 543])


def test_frequency_halved_and_doubled():
    assert len(AdjustFrequency(id="f", between=("a", "c"), factor=0.5).apply(table()).trips) == 1
    doubled = AdjustFrequency(id="f", between=("a", "c"), factor=2).apply(table())
    assert len(doubled.trips) == 4 and (doubled.trips["basis"] == "modelled").sum() == 2


# -- on the bundled network ---------------------------------------------------------------------------------


def test_a_closure_removes_the_trains_and_says_so():
    """Closing the 沪昆 link into 长沙南 leaves no train 萍乡北 → 长沙南 (the issue: 26 min with the line closed)."""
    open_ = pxnet.travel_time("萍乡北", "长沙南", mode="hsr", scenario=2026)
    sc = pxnet.get_scenario(2026).derive(closed_links=["hukun_hsr_pingxiang_north_liling_east"])
    closed = pxnet.travel_time("萍乡北", "长沙南", mode="hsr", scenario=sc)
    assert open_ < 40 and closed > 3 * open_  # only a long way round is left
    direct = pxnet.journeys("萍乡北", "长沙南", scenario=sc)
    assert direct.empty or (direct["changes"] > 0).all() or (direct["minutes"] > 3 * open_).all()
    st_ = pxnet.scenario_timetable(sc)
    assert st_.modifications["id"].str.startswith("closed:").any() and "closed:" in st_.basis


def test_a_suspension_between_two_dates():
    """The cross-border trains were suspended from 2020-01-30 to 2023-01-15 (timetable/changes.yaml)."""
    during = pxnet.journeys("深圳北", "香港西九龙", scenario=2021, mode="hsr")
    after = pxnet.journeys("深圳北", "香港西九龙", scenario=2024, mode="hsr")
    assert during.empty and not after.empty


def test_every_row_says_scheduled_or_re_timed_with_its_changes():
    j = pxnet.journeys("萍乡北", "广州南", scenario=2026)
    assert not j.empty and set(j["basis"]) <= {
        "scheduled",
        "re-timed",
        "modelled",
        "re-timed+scheduled",
        "modelled+scheduled",
        "modelled+re-timed",
        "modelled+re-timed+scheduled",
    }
    retimed = j[j["basis"].str.contains("re-timed")]
    assert len(retimed) and retimed["modified_by"].str.len().gt(0).all()


# -- properties ---------------------------------------------------------------------------------------------

_conns = st.lists(
    st.tuples(st.integers(0, 4), st.integers(0, 4), st.integers(0, 600), st.integers(1, 120)),
    min_size=1,
    max_size=25,
)


def _router(conns, scale=1.0, drop=frozenset()):
    keep = [(k, c) for k, c in enumerate(conns) if c[0] != c[1] and k not in drop]
    if not keep:
        return None
    dep_stop = np.array([c[0] for _, c in keep])
    arr_stop = np.array([c[1] for _, c in keep])
    dep = np.array([c[2] * 60 for _, c in keep])
    arr = dep + np.array([round(c[3] * 60 * scale) for _, c in keep])
    trip = np.arange(len(keep))
    return router_from_arrays(dep_stop, arr_stop, dep, arr, trip, np.full(5, 120))


@settings(max_examples=40, deadline=None)
@given(_conns, st.floats(0.3, 1.0), st.integers(0, 4), st.integers(0, 600))
def test_a_speed_up_never_slows_a_journey(conns, factor, origin, start):
    base, fast = _router(conns), _router(conns, scale=factor)
    if base is None:
        return
    a = base.earliest(np.array([origin]), np.array([start * 60]))[0]
    b = fast.earliest(np.array([origin]), np.array([start * 60]))[0]
    assert (b <= a).all()


@settings(max_examples=40, deadline=None)
@given(_conns, st.sets(st.integers(0, 24), max_size=5), st.integers(0, 4), st.integers(0, 600))
def test_a_closure_never_speeds_a_journey(conns, drop, origin, start):
    base, closed = _router(conns), _router(conns, drop=frozenset(drop))
    if base is None or closed is None:
        return
    a = base.earliest(np.array([origin]), np.array([start * 60]))[0]
    b = closed.earliest(np.array([origin]), np.array([start * 60]))[0]
    assert (b >= a).all()


@settings(max_examples=25, deadline=None)
@given(st.floats(0.5, 1.5), st.floats(0.0, 8.0), st.integers(1, 4))
def test_modifications_in_date_order_equal_one_table_built_for_the_date(factor, dwell_min, split):
    """Applying the changes up to an earlier date, then the rest, gives the table built at once."""
    mods = [
        Retime(id="r1", between=("a", "c"), factor=factor),
        AdjustDwell(id="d1", station="b", dwell_s=dwell_min * M),
        AddTrips(id="p", stops=("a", "b", "c"), departures=(6 * H,), run_s=(20 * M, 20 * M)),
        RemoveTrips(id="x", trains=("G2",)),
    ]
    at_once = apply_all(table(), mods)
    stepwise = apply_all(apply_all(table(), mods[:split]), mods[split:])
    pd.testing.assert_frame_equal(at_once.calls.reset_index(drop=True), stepwise.calls.reset_index(drop=True))
    assert list(at_once.trips["trip_id"]) == list(stepwise.trips["trip_id"])
