"""Timetable routing benchmark: pxnet's Connection Scan vs networkx Dijkstra on the time-expanded graph.

Run: ``.venv/bin/python benchmarks/bench_timetable.py [--stations 3000] [--trips 10000] [--ref-departures 4]``

A synthetic national-scale GTFS feed (stations on a grid, each trip a 21-call walk between neighbours, first
departures spread over 05:00–22:00, 5–30 min rides, 2 min dwell: about 200,000 timed connections) is written to a
temporary folder, read with :func:`pxnet.read_timetable` and compiled. Timed here:

- reading the feed, and building the router (connection arrays);
- a one-to-all profile over a whole day from one station: the earliest arrival at every station for each of
  the station's departures;
- the reference: networkx's Dijkstra on the time-expanded graph (one search per departure). It is run for the
  first ``--ref-departures`` departures (checking it agrees with pxnet) and its mean time per departure is
  multiplied by the number of departures in the profile.

Targets: the profile under 0.2 s and at least 50× the reference; peak memory under 2 GB.
"""

from __future__ import annotations

import argparse
import csv
import math
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import pxnet
from pxnet.routing.timetable._connections import PROFILE_HORIZON_S, compile_timetable
from pxnet.routing.timetable._timetable import ScenarioTimetable

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "routing"))
from _timetable_reference import earliest_reference, time_expanded


def write_feed(folder: Path, *, stations: int, trips: int, calls: int = 21, seed: int = 7) -> int:
    """Write the synthetic feed; returns the number of connections."""
    rng = np.random.default_rng(seed)
    side = math.ceil(math.sqrt(stations))
    neighbours = []
    for s in range(stations):
        r, c = divmod(s, side)
        near = [(r + dr) * side + (c + dc) for dr, dc in ((0, 1), (1, 0), (0, -1), (-1, 0))]
        neighbours.append([n for n in near if 0 <= n < stations and abs((n % side) - c) <= 1])
    rows = []
    for t in range(trips):
        stop = int(rng.integers(stations))
        clock = int(rng.integers(5 * 3600, 22 * 3600))
        previous = -1
        for k in range(calls):
            arrival = clock
            departure = clock + (120 if 0 < k < calls - 1 else 0)
            rows.append((f"T{t}", arrival, departure, f"S{stop}", k + 1))
            options = [n for n in neighbours[stop] if n != previous] or neighbours[stop]
            previous, stop = stop, int(options[rng.integers(len(options))])
            clock = departure + int(rng.integers(5, 31)) * 60

    def hms(s: int) -> str:
        return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"

    def table(name: str, header: list[str], body: list[list[str]]) -> None:
        with (folder / f"{name}.txt").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(header)
            w.writerows(body)

    table(
        "agency",
        ["agency_id", "agency_name", "agency_url", "agency_timezone"],
        [["A", "synthetic", "https://example.org", "Asia/Shanghai"]],
    )
    table(
        "stops",
        ["stop_id", "stop_name", "stop_lat", "stop_lon"],
        [[f"S{s}", f"synthetic {s}", "0", "0"] for s in range(stations)],
    )
    table("routes", ["route_id", "agency_id", "route_short_name", "route_type"], [["G", "A", "高速", "2"]])
    table("trips", ["route_id", "service_id", "trip_id"], [["G", "daily", f"T{t}"] for t in range(trips)])
    days = ["1"] * 7
    table(
        "calendar",
        [
            "service_id",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "start_date",
            "end_date",
        ],
        [["daily", *days, "20260101", "20261231"]],
    )
    table(
        "stop_times",
        ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"],
        [[t, hms(a), hms(d), s, str(q)] for t, a, d, s, q in rows],
    )
    return trips * (calls - 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stations", type=int, default=3000)
    parser.add_argument("--trips", type=int, default=10000)
    parser.add_argument("--ref-departures", type=int, default=4)
    args = parser.parse_args()
    print(f"python {platform.python_version()}, numpy {np.__version__}, {platform.machine()}")
    net = pxnet.load_network()
    sc = pxnet.get_scenario(2026, network=net)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        n_conn = write_feed(folder, stations=args.stations, trips=args.trips)
        t0 = time.perf_counter()
        tt = pxnet.read_timetable(folder, network=net)
        read_s = time.perf_counter() - t0
    print(
        f"feed: {args.stations} stations, {args.trips} trips, {n_conn:,} connections, {len(tt.stop_times):,} stop times"
    )
    print(f"read_timetable: {read_s:.2f} s")
    import pandas as pd

    empty = pd.DataFrame()
    info = ScenarioTimetable(tt, empty, pd.DataFrame(columns=["service", "mode"]), "synthetic")
    t0 = time.perf_counter()
    router = compile_timetable(sc, info, mode="rail", default_transfer_min=10)
    build_s = time.perf_counter() - t0
    print(f"router build: {build_s:.2f} s ({len(router.dep_time):,} connections)")
    origin = np.array([router.index.get("gtfs:S1500", 0)])
    offset = np.zeros(1, dtype=np.int64)
    every = np.empty(0, dtype=np.int64)  # no target: every station's earliest arrival
    horizon = PROFILE_HORIZON_S
    router._profile(origin, offset, 0, 30 * 3600, horizon=horizon, targets=every)  # load the numba kernels
    runs = []
    for _ in range(5):  # the uncached scan (router.profile would answer repeats from its memo)
        t0 = time.perf_counter()
        starts, profile = router._profile(origin, offset, 0, 30 * 3600, horizon=horizon, targets=every)
        runs.append(time.perf_counter() - t0)
    csa_s = min(runs)
    reached = int((profile.min(axis=0) < np.iinfo(np.int64).max // 4).sum())
    print(
        f"pxnet one-to-all profile over the day: {csa_s * 1000:.1f} ms for {len(starts)} departures, "
        f"{reached} stations reached"
    )
    t0 = time.perf_counter()
    graph, chains = time_expanded(
        router.dep_stop, router.arr_stop, router.dep_time, router.arr_time, router.trip, router.transfer_s
    )
    te_s = time.perf_counter() - t0
    print(
        f"reference time-expanded graph: {graph.number_of_nodes():,} nodes, {graph.number_of_edges():,} edges, "
        f"built in {te_s:.1f} s"
    )
    k = min(args.ref_departures, len(starts))
    # The reference searches without a horizon: compare with a scan that looks as far (the next day's trips too).
    _, unbounded = router._profile(origin, offset, 0, 30 * 3600, horizon=10 * 24 * 3600, targets=every)
    t0 = time.perf_counter()
    for i in range(k):
        ref = earliest_reference(
            graph, chains, router.arr_stop, router.arr_time, len(router.stations), int(origin[0]), int(starts[i])
        )
        got = [math.inf if x >= np.iinfo(np.int64).max // 4 else float(x) for x in unbounded[i]]
        assert got == ref, "pxnet and the reference disagree"
    per = (time.perf_counter() - t0) / max(k, 1)
    ref_profile = per * len(starts)
    print(
        f"networkx Dijkstra: {per:.2f} s per departure (agrees on {k}); "
        f"× {len(starts)} departures = {ref_profile:.1f} s"
    )
    rss_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"ratio: {ref_profile / csa_s:,.0f}× (target ≥ 50×); profile {'under' if csa_s < 0.2 else 'OVER'} 0.2 s")
    print(f"peak memory: {rss_gb:.2f} GB (target < 2 GB)")


if __name__ == "__main__":
    main()
