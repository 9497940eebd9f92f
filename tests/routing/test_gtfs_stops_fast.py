"""Stop matching over whole columns, and suggestions scored only for names that can reach the cutoff.

The corridor report's suggestions must be what :func:`pxnet.vocabulary.close_matches` gives over every network
station name (the reference); the matching rules keep their order of precedence.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import pxnet
from pxnet import vocabulary
from pxnet.routing.timetable import _gtfs_checks, _gtfs_stops

pytestmark = pytest.mark.timeout(60)


def _station_names() -> list[str]:
    net = pxnet.load_network()
    nodes = net.nodes[net.nodes["kind"].isin(vocabulary.STATION_KINDS)]
    return [str(x) for x in nodes["name_zh"] if isinstance(x, str)]


def test_suggestions_equal_close_matches_over_every_name() -> None:
    """Near names (a character dropped or changed, traditional forms, 站, Latin names, empty) rank as the reference."""
    names = _station_names()
    values = ["", "站", "synthetic 12", "Pingxiang North", "萍乡", "萍鄉北", "醴陵東", "长沙", "株洲西站", "南昌", "X"]
    values += [name[:-1] for name in names] + [name + "东" for name in names[:10]]
    near = _gtfs_stops._Names(names + names[:3])  # a repeated name is ranked once, as the reference does
    for value in values:
        for cutoff in (0.5, 0.6, 0.8):
            expected = vocabulary.close_matches(value, names, n=3, cutoff=cutoff)
            assert near.close(value, n=3, cutoff=cutoff) == expected, (value, cutoff)


def test_rules_keep_their_precedence() -> None:
    """By hand, from the bundled network (萍乡北 is ``pingxiang_north``, 醴陵东 is ``liling_east``):

    - ``A`` is in the stop table (to ``gaoan``) and names 萍乡北: the table wins;
    - ``B`` has a ``node_id`` (``liling_east``) and names 萍乡北: the node id wins;
    - ``C`` names 萍乡北 and has ``stop_code`` ``changsha_south``: the name wins;
    - ``D`` has no known name and ``stop_code`` ``changsha_south``: matched by code;
    - ``zhuzhou_west`` matches only through its own id;
    - ``E`` matches nothing and is its own station; its platform ``E1`` goes with it (``gtfs:E``);
    - ``F1``, a platform of ``C``, matches nothing itself and goes with its parent (``parent``).
    """
    stops = pd.DataFrame(
        {
            "stop_id": ["A", "B", "C", "D", "zhuzhou_west", "E", "E1", "F1"],
            "stop_name": ["萍乡北", "萍乡北", "萍乡北", "nowhere", "", "nowhere", "", ""],
            "stop_code": ["", "", "changsha_south", "changsha_south", "", "", "", ""],
            "node_id": ["", "liling_east", "", "", "", "", "", ""],
            "parent_station": ["", "", "", "", "", "", "E", "C"],
        },
        dtype=object,
    )
    problems = _gtfs_checks.Problems([])
    out = _gtfs_stops.match_stops(stops, pd.DataFrame(), pxnet.load_network(), {"A": "gaoan"}, {}, problems)
    assert problems.items == []
    assert out["station"].tolist() == [
        "gaoan",
        "liling_east",
        "pingxiang_north",
        "changsha_south",
        "zhuzhou_west",
        "gtfs:E",
        "gtfs:E",
        "pingxiang_north",
    ]
    assert out["matched_by"].tolist() == ["table", "node_id", "name", "code", "id", "", "", "parent"]


def test_corridor_band_keeps_every_stop_within_reach() -> None:
    """Stops 19.9 km north and south of the stations' extreme latitudes stay in the band; 20.5 km out do not.

    One degree of latitude is 6371.0088 km × π / 180 = 111.195 km on pxnet's sphere, so 19.9 km is 0.17896°
    and 20.5 km is 0.18436°. A stop at either distance due north of the northernmost station (or south of the
    southernmost) is that far from it along the meridian, its shortest way.
    """
    stations = np.array([27.0, 28.5, np.nan])
    km = 6371.0088 * np.pi / 180
    lat = np.array([28.5 + 19.9 / km, 27.0 - 19.9 / km, 28.5 + 20.5 / km, 27.0 - 20.5 / km, np.nan, 27.7])
    assert _gtfs_stops._in_corridor_band(lat, stations).tolist() == [True, True, False, False, False, True]
    assert _gtfs_stops._in_corridor_band(lat, np.array([np.nan])).tolist() == [False] * 6


def _earlier_by_hand(trip: np.ndarray, seq: np.ndarray, arr: np.ndarray, dep: np.ndarray) -> list[int]:
    # Reference: walk each trip's calls in sequence, keeping the latest departure (else arrival) seen so far.
    lines = []
    for t in sorted(set(trip.tolist())):
        rows = sorted(np.flatnonzero(trip == t).tolist(), key=lambda i: seq[i])
        latest = -np.inf
        for i in rows:
            time_in = dep[i] if np.isnan(arr[i]) else arr[i]
            time_out = arr[i] if np.isnan(dep[i]) else dep[i]
            if time_in < latest:
                lines.append(i + 2)
            if not np.isnan(time_out):
                latest = max(latest, time_out)
    return sorted(lines)


@pytest.mark.parametrize("case", ["valid", "backwards", "untimed", "arrival before the last departure"])
def test_times_running_backwards_are_found_as_by_hand(case: str) -> None:
    """Calls earlier than a previous call of their trip, against a walk along each trip (the reference)."""
    rng = np.random.default_rng(3)
    trips, calls = 12, 6
    trip = np.repeat(np.arange(trips), calls)
    seq = np.tile(np.arange(1, calls + 1), trips).astype(float)
    dep = (np.tile(np.arange(calls), trips) * 600 + 8 * 3600 + trip * 60).astype(float)
    arr = dep - 60
    if case == "backwards":
        arr[[9, 40]] -= 2000
        dep[[9, 40]] -= 2000
    elif case == "untimed":
        arr[[8, 20]] = dep[[8, 20]] = np.nan
        arr[21] -= 1300  # earlier than the last timed call before the untimed one
    elif case == "arrival before the last departure":
        arr[[15, 50]] -= 600  # departures still go forward: only the arrivals are early
    shuffle = rng.permutation(len(trip))
    trip, seq, arr, dep = trip[shuffle], seq[shuffle], arr[shuffle], dep[shuffle]
    st = pd.DataFrame({"trip_id": [f"T{t}" for t in trip]}, dtype=object)
    problems = _gtfs_checks.Problems([])
    order = np.lexsort((seq, trip))
    _gtfs_checks._along_trips(st, order, trip, seq, arr, dep, problems)
    found = sorted(p.line for p in problems.items if p.message.startswith("earlier than a previous call"))
    expected = _earlier_by_hand(trip, seq, arr, dep)
    assert found == expected
    assert (len(expected) > 0) == (case != "valid")
