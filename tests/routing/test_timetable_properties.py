"""Property tests of the Connection Scan router on small random feeds, against networkx on the time-expanded graph."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pxnet.routing.timetable._connections import router_from_arrays

sys.path.insert(0, str(Path(__file__).parent))
import itertools

from _timetable_reference import earliest_reference, time_expanded

INF = np.iinfo(np.int64).max // 4


@st.composite
def feeds(draw: st.DrawFn) -> dict[str, np.ndarray]:
    """A few stops, a few trips, each trip a random walk over the stops with rides of at least a minute."""
    n_stops = draw(st.integers(2, 6))
    n_trips = draw(st.integers(1, 7))
    rows: list[tuple[int, int, int, int, int]] = []
    for t in range(n_trips):
        length = draw(st.integers(2, 5))
        stops = [draw(st.integers(0, n_stops - 1))]
        for _ in range(length - 1):
            stops.append(draw(st.integers(0, n_stops - 1).filter(lambda s, last=stops[-1]: s != last)))
        clock = draw(st.integers(0, 120))
        for a, b in itertools.pairwise(stops):
            dep = clock + draw(st.integers(0, 10))
            arr = dep + draw(st.integers(1, 40))
            rows.append((a, b, dep, arr, t))
            clock = arr
    transfer = np.array([draw(st.integers(0, 15)) for _ in range(n_stops)], dtype=np.int64)
    cols = np.array(rows, dtype=np.int64).T
    return {
        "dep_stop": cols[0],
        "arr_stop": cols[1],
        "dep_time": cols[2],
        "arr_time": cols[3],
        "trip": cols[4],
        "transfer": transfer,
    }


def _ea(feed: dict[str, np.ndarray], source: int, t0: int) -> list[float]:
    r = router_from_arrays(
        feed["dep_stop"], feed["arr_stop"], feed["dep_time"], feed["arr_time"], feed["trip"], feed["transfer"]
    )
    ea = r.earliest(np.array([source]), np.array([t0]))[0]
    return [math.inf if x >= INF else float(x) for x in ea]


@settings(max_examples=80, deadline=None)
@given(feeds(), st.data())
def test_earliest_arrival_equals_time_expanded_dijkstra(feed: dict[str, np.ndarray], data: st.DataObject) -> None:
    n = len(feed["transfer"])
    source = data.draw(st.integers(0, n - 1))
    t0 = data.draw(st.integers(0, 150))
    graph, chains = time_expanded(
        feed["dep_stop"], feed["arr_stop"], feed["dep_time"], feed["arr_time"], feed["trip"], feed["transfer"]
    )
    expected = earliest_reference(graph, chains, feed["arr_stop"], feed["arr_time"], n, source, t0)
    assert _ea(feed, source, t0) == expected


@settings(max_examples=50, deadline=None)
@given(feeds(), st.data())
def test_leaving_later_never_arrives_earlier(feed: dict[str, np.ndarray], data: st.DataObject) -> None:
    n = len(feed["transfer"])
    source = data.draw(st.integers(0, n - 1))
    t0 = data.draw(st.integers(0, 150))
    t1 = t0 + data.draw(st.integers(0, 60))
    early, late = _ea(feed, source, t0), _ea(feed, source, t1)
    assert all(a <= b for a, b in zip(early, late, strict=True))


@settings(max_examples=50, deadline=None)
@given(feeds(), feeds(), st.data())
def test_adding_a_trip_never_slows_a_journey(
    feed: dict[str, np.ndarray], other: dict[str, np.ndarray], data: st.DataObject
) -> None:
    n = len(feed["transfer"])
    extra = other["trip"] == 0
    keep = (other["dep_stop"] < n) & (other["arr_stop"] < n) & extra
    bigger = {k: np.concatenate([feed[k], other[k][keep]]) for k in ("dep_stop", "arr_stop", "dep_time", "arr_time")}
    bigger["trip"] = np.concatenate([feed["trip"], np.full(int(keep.sum()), feed["trip"].max() + 1)])
    bigger["transfer"] = feed["transfer"]
    source = data.draw(st.integers(0, n - 1))
    t0 = data.draw(st.integers(0, 150))
    before, after = _ea(feed, source, t0), _ea(bigger, source, t0)
    assert all(b <= a for a, b in zip(before, after, strict=True))
