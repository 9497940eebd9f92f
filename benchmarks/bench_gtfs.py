"""GTFS reading benchmark: :func:`pxnet.read_timetable` against gtfs-kit's ``read_feed`` on the same feed.

Run: ``.venv/bin/python benchmarks/bench_gtfs.py [--stations 3000] [--trips 10000] [--calls 42] [--repeat 5]``

A synthetic national-scale feed is written to a temporary folder: ``--stations`` stations with names and
coordinates in China, ``--trips`` trips of ``--calls`` calls each (about 420,000 stop times by default) with
minute-resolution times (HH:MM:SS, past 24:00 for late trains), one route per train class as in the national
China Railway feed, one daily service. Both readers run in this process, in turn, each ``--repeat`` times; the best CPU
time of each is printed, with the ratio.

What each reader does: pxnet reads every file, checks every row (references, ids, times, order along trips,
calendars, route types, coordinates), parses the times to seconds and matches the stops to the bundled network.
gtfs-kit (``pip install gtfs-kit``, the ``bench`` extra) reads the files into typed frames without checks. With
gtfs-kit not installed the reference is skipped, and the script says so. With pyarrow installed (the ``fast``
extra) pxnet parses ``stop_times.txt`` with it; the script then also times pandas' C parser, the fallback, and
checks that both give the same tables.

``--broken-rows N`` also times the failure on a broken feed whose ``trips.txt`` repeats one trip id ``N`` times
(with as many stop times): pxnet must stop at the duplicate ids, before reading ``stop_times.txt``.
"""

from __future__ import annotations

import argparse
import csv
import platform
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import pxnet
from pxnet.routing.timetable import _gtfs_files

_CALENDAR = ["service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def _table(folder: Path, name: str, header: list[str], rows: Any) -> None:
    with (folder / f"{name}.txt").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def _common(folder: Path, stations: int, rng: np.random.Generator) -> None:
    _table(
        folder,
        "agency",
        ["agency_id", "agency_name", "agency_url", "agency_timezone"],
        [["CR", "synthetic railway", "https://example.org", "Asia/Shanghai"]],
    )
    lat = rng.uniform(20.0, 45.0, stations)
    lon = rng.uniform(100.0, 125.0, stations)
    _table(
        folder,
        "stops",
        ["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type"],
        ([f"S{s:04d}", f"synthetic {s}", f"{lat[s]:.6f}", f"{lon[s]:.6f}", "0"] for s in range(stations)),
    )
    _table(
        folder,
        "routes",
        ["route_id", "agency_id", "route_short_name", "route_type"],
        [["高速", "CR", "高速", "2"], ["动车", "CR", "动车", "2"], ["普快", "CR", "普快", "2"]],
    )
    _table(
        folder,
        "calendar",
        [*_CALENDAR, "start_date", "end_date"],
        [["daily", "1", "1", "1", "1", "1", "1", "1", "20260101", "20261231"]],
    )


def _hms(s: int) -> str:
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def write_feed(folder: Path, *, stations: int, trips: int, calls: int, seed: int = 7) -> int:
    """Write the synthetic feed; returns the number of stop times."""
    rng = np.random.default_rng(seed)
    _common(folder, stations, rng)
    classes = ("高速", "动车", "普快")
    _table(
        folder,
        "trips",
        ["route_id", "service_id", "trip_id", "trip_short_name"],
        ([classes[t % 3], "daily", f"T{t}", f"G{t}"] for t in range(trips)),
    )

    def stop_times() -> Any:
        for t in range(trips):
            clock = int(rng.integers(5 * 60, 22 * 60)) * 60
            stops = rng.choice(stations, size=calls, replace=False)
            for k in range(calls):
                dwell = 120 if 0 < k < calls - 1 else 0
                yield [f"T{t}", _hms(clock), _hms(clock + dwell), f"S{stops[k]:04d}", str(k + 1)]
                clock += dwell + int(rng.integers(5, 31)) * 60

    _table(
        folder, "stop_times", ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"], stop_times()
    )
    return trips * calls


def write_broken(folder: Path, *, rows: int) -> None:
    """A feed whose trips.txt repeats one trip id ``rows`` times, with as many stop times."""
    rng = np.random.default_rng(1)
    _common(folder, 100, rng)
    _table(folder, "trips", ["route_id", "service_id", "trip_id"], (["高速", "daily", "T"] for _ in range(rows)))
    _table(
        folder,
        "stop_times",
        ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"],
        (["T", "08:00:00", "08:00:00", f"S{i % 100:04d}", str(i)] for i in range(rows)),
    )


def _engine() -> str:
    """The CSV engine pxnet uses for stop_times.txt here: pyarrow (the ``fast`` extra) or pandas' C parser."""
    return "c" if _gtfs_files._pyarrow_csv() is None else "pyarrow"


def best_cpu(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def best_cpu_alternating(fns: list[Callable[[], object]], repeat: int) -> list[float]:
    """Best CPU time of each function, run in turn ``repeat`` times: a shared machine's load falls on all alike."""
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            start = time.process_time()
            fn()
            best[k] = min(best[k], time.process_time() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", type=int, default=3000)
    ap.add_argument("--trips", type=int, default=10_000)
    ap.add_argument("--calls", type=int, default=42)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--broken-rows", type=int, default=0)
    args = ap.parse_args()
    # Synthetic stations near the corridor are reported as unmatched: the report is timed, its warning not shown.
    warnings.simplefilter("ignore", pxnet.DataWarning)
    print(f"machine: {platform.machine()}, {platform.processor() or 'cpu'}; Python {sys.version.split()[0]}")
    net = pxnet.load_network()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "feed"
        folder.mkdir()
        n = write_feed(folder, stations=args.stations, trips=args.trips, calls=args.calls)
        size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        print(f"feed: {args.stations} stations, {args.trips} trips, {n:,} stop times, {size:.1f} MB")
        tt = pxnet.read_timetable(folder, network=net)  # warm: imports and the network's station table
        assert len(tt.stop_times) == n
        engine = _engine()
        if engine == "pyarrow":  # the fallback parser gives identical tables
            _gtfs_files.CSV_ENGINE = "c"
            plain = pxnet.read_timetable(folder, network=net)
            _gtfs_files.CSV_ENGINE = None
            for name in ("stops", "trips", "stop_times", "calendar"):
                assert getattr(plain, name).equals(getattr(tt, name)), f"{name}: the two CSV engines differ"
        try:
            import gtfs_kit
        except ImportError:
            gtfs_kit = None
            print("gtfs-kit is not installed (pip install 'pxnet[bench]'): reference skipped")
        else:
            gtfs_kit.read_feed(folder, dist_units="km")
        # pxnet and gtfs-kit take turns, so that a shared machine's load falls on both alike.
        runs: list[Callable[[], object]] = [lambda: pxnet.read_timetable(folder, network=net)]
        if gtfs_kit is not None:
            runs.append(lambda: gtfs_kit.read_feed(folder, dist_units="km"))
        ours, *ref = best_cpu_alternating(runs, args.repeat)
        print(f"pxnet.read_timetable: {ours:.3f} s CPU (best of {args.repeat}; CSV engine: {engine})")
        if ref:
            print(f"gtfs_kit.read_feed:   {ref[0]:.3f} s CPU (best of {args.repeat}, in turn with pxnet)")
            print(f"ratio pxnet / gtfs-kit: {ours / ref[0]:.2f} (target: at most 1.00)")
        if engine == "pyarrow":
            _gtfs_files.CSV_ENGINE = "c"
            fallback = best_cpu(lambda: pxnet.read_timetable(folder, network=net), args.repeat)
            _gtfs_files.CSV_ENGINE = None
            print(f"pxnet.read_timetable, pandas' C parser: {fallback:.3f} s CPU (best of {args.repeat})")
        if args.broken_rows:
            broken = Path(tmp) / "broken"
            broken.mkdir()
            write_broken(broken, rows=args.broken_rows)
            size = sum(p.stat().st_size for p in broken.iterdir()) / 1e6
            start = time.process_time()
            try:
                pxnet.read_timetable(broken, network=net)
            except pxnet.TimetableError as exc:
                spent = time.process_time() - start
                print(
                    f"broken feed ({size:.0f} MB, one trip id {args.broken_rows:,} times): TimetableError with "
                    f"{len(exc.problems):,} problems after {spent:.2f} s CPU"
                )


if __name__ == "__main__":
    main()
