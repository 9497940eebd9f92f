#!/usr/bin/env python3
"""Fastest scheduled times between stations, read straight from the raw timetable sources.

This is the reference a test compares a timetable router against. It reads only the raw files in the shared
timetables folder (``boards-2020/``, ``stoplists-2021/``, ``xrl-gtfs-2026-01/``), with its own parsing, and shares no
code with ``scripts/build_timetable.py``. It never interpolates: where a station has no board (萍乡北, 宜春, …) it gives
bounds, not a time.

    python scripts/check_timetable.py /work/shared/timetables            # the corridor hub pairs
    python scripts/check_timetable.py /work/shared/timetables 南昌西 长沙南

Importable::

    from check_timetable import fastest_from_sources, fastest_bounds_from_sources
    fastest_from_sources(src, "长沙南", "广州南")                    # minutes (2020 boards), or None
    fastest_from_sources(src, "深圳北", "香港西九龙", vintage="xrl-2026-01")
    fastest_bounds_from_sources(src, "萍乡北", "广州南")             # Bounds(low, high, ...)
"""

from __future__ import annotations

import argparse
import csv
import functools
import sys
from dataclasses import dataclass
from pathlib import Path

HUB_PAIRS = [
    ("南昌西", "长沙南"),
    ("长沙南", "南昌西"),
    ("长沙南", "广州南"),
    ("广州南", "长沙南"),
    ("南昌西", "广州南"),
    ("南昌西", "深圳北"),
    ("广州南", "深圳北"),
    ("深圳北", "广州南"),
    ("南昌西", "赣州西"),
    ("赣州西", "深圳北"),
    ("萍乡北", "长沙南"),
    ("萍乡北", "广州南"),
    ("萍乡北", "深圳北"),
    ("广州南", "萍乡北"),
]


def _clock(text: str) -> int | None:
    text = text.strip()
    if text == "-":
        return None
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


@functools.lru_cache(maxsize=4)
def _boards(source_dir: str) -> dict[str, dict[str, tuple[str, int | None, int | None, str, str]]]:
    """station -> train -> (role, arrival, departure, origin, terminus), clock minutes."""
    out: dict[str, dict[str, tuple[str, int | None, int | None, str, str]]] = {}
    for path in sorted(Path(source_dir, "boards-2020").glob("*.csv")):
        table: dict[str, tuple[str, int | None, int | None, str, str]] = {}
        with path.open(encoding="utf-8", newline="") as fh:
            for rec in csv.reader(fh):
                if len(rec) == 7:
                    table[rec[2]] = (rec[1], _clock(rec[5]), _clock(rec[6]), rec[3], rec[4])
        out[path.stem] = table
    return out


@functools.lru_cache(maxsize=4)
def _stoplists(source_dir: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in sorted(Path(source_dir, "stoplists-2021").glob("train_*.txt")):
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                if ":" not in line:
                    continue
                key, rest = line.strip().split(":", 1)
                seq: list[str] = []
                for s in rest.split(","):
                    if s and (not seq or seq[-1] != s):
                        seq.append(s)
                out[key.upper()] = seq
    return out


def _xrl_trips(source_dir: str) -> list[list[tuple[str, int, int]]]:
    base = Path(source_dir, "xrl-gtfs-2026-01")

    def rows(name: str) -> list[dict[str, str]]:
        with (base / name).open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))

    simplified = {
        r["record_id"]: r["translation"]
        for r in rows("translations.txt")
        if r["table_name"] == "stops" and r["field_name"] == "stop_name" and r["language"] == "zh-CN"
    }
    name = {r["stop_id"]: simplified.get(r["stop_id"], r["stop_name"]) for r in rows("stops.txt")}

    def sec(t: str) -> int:
        h, m, s = t.split(":")
        return int(h) * 60 + int(m) + int(s) // 60

    trips: dict[str, list[tuple[int, str, int, int]]] = {}
    for r in rows("stop_times.txt"):
        trips.setdefault(r["trip_id"], []).append(
            (int(r["stop_sequence"]), name[r["stop_id"]], sec(r["arrival_time"]), sec(r["departure_time"]))
        )
    return [[(s, a, d) for _, s, a, d in sorted(v)] for _, v in sorted(trips.items())]


def fastest_from_sources(
    source_dir: str | Path, from_name: str, to_name: str, *, vintage: str = "boards-2020"
) -> float | None:
    """Fastest scheduled minutes from departure at `from_name` to arrival at `to_name`, or None if no train.

    vintage "boards-2020": both stations need a 2020 board; a train counts if it is on both boards and runs
    from -> to (known from 始/终, else the clock difference modulo 24 h is under 12 h, which holds for any G/D/C
    train between two corridor stations). vintage "xrl-2026-01": the MTR feed's trips."""
    src = str(source_dir)
    if vintage == "xrl-2026-01":
        best = None
        for trip in _xrl_trips(src):
            names = [s for s, _, _ in trip]
            if from_name in names and to_name in names and names.index(from_name) < names.index(to_name):
                run = trip[names.index(to_name)][1] - trip[names.index(from_name)][2]
                best = run if best is None else min(best, run)
        return None if best is None else float(best)
    if vintage != "boards-2020":
        raise ValueError(f"unknown vintage {vintage!r}")
    boards = _boards(src)
    for s in (from_name, to_name):
        if s not in boards:
            raise ValueError(f"{s} has no 2020 board; use fastest_bounds_from_sources")
    best = None
    for train, (role_a, _, dep_a, _, _) in boards[from_name].items():
        other = boards[to_name].get(train)
        if other is None or dep_a is None:
            continue
        role_b, arr_b = other[0], other[1]
        if arr_b is None or role_a == "终" or role_b == "始":
            continue
        run = (arr_b - dep_a) % 1440
        if run >= 720 and not (role_a == "始" or role_b == "终"):
            continue
        best = run if best is None else min(best, run)
    return None if best is None else float(best)


@dataclass(frozen=True)
class Bounds:
    """The fastest scheduled time lies in [low, high] minutes (low from train_low, high from train_high)."""

    low: float
    high: float
    train_low: str
    train_high: str
    trains: int


def _window(
    seq: list[str], i: int, times: dict[str, tuple[int | None, int | None]], leaving: bool
) -> tuple[int, int] | None:
    """Clock window (unwrapped later) for the call at seq[i]: (earliest, latest)."""
    s = seq[i]
    if s in times:
        t = times[s][1] if leaving else times[s][0]
        return (t, t) if t is not None else None
    before = next((times[x][1] for x in reversed(seq[:i]) if x in times and times[x][1] is not None), None)
    after = next((times[x][0] for x in seq[i + 1 :] if x in times and times[x][0] is not None), None)
    if before is None or after is None:
        return None
    return before, after


def fastest_bounds_from_sources(source_dir: str | Path, from_name: str, to_name: str) -> Bounds | None:
    """Bounds on the fastest scheduled from -> to time when a station has no board (e.g. 萍乡北).

    A train counts when the 2021 stop list has it call at from then to, it is on the 2020 board of every stop-list
    station that has a board, and those boards give the same origin and terminus as the stop list. Its departure at
    an unboarded station lies between the departure at the boarded station before it and the arrival at the boarded
    station after it; so does an unboarded arrival. low/high are the fastest train's shortest/longest possible time.
    """
    src = str(source_dir)
    boards = _boards(src)
    lows: list[tuple[int, str]] = []
    highs: list[tuple[int, str]] = []
    for train, seq in sorted(_stoplists(src).items()):
        if from_name not in seq or to_name not in seq:
            continue
        i, j = seq.index(from_name), seq.index(to_name)
        if i >= j:
            continue
        times: dict[str, tuple[int | None, int | None]] = {}
        ok = True
        for s in seq:
            if s in boards:
                rec = boards[s].get(train)
                if rec is None or rec[3] != seq[0] or rec[4] != seq[-1]:
                    ok = False
                    break
                times[s] = (rec[1] if rec[1] is not None else rec[2], rec[2] if rec[2] is not None else rec[1])
        if not ok:
            continue
        w_dep = _window(seq, i, times, leaving=True)
        w_arr = _window(seq, j, times, leaving=False)
        if w_dep is None or w_arr is None:
            continue
        # unwrap clock times along the journey: every later time is at or after the previous one
        base = w_dep[0]
        dep_lo, dep_hi = 0, (w_dep[1] - base) % 1440
        arr_lo = (w_arr[0] - base) % 1440
        arr_hi = arr_lo + (w_arr[1] - w_arr[0]) % 1440
        low, high = max(0, arr_lo - dep_hi), arr_hi - dep_lo
        lows.append((low, train))
        highs.append((high, train))
    if not lows:
        return None
    lo, hi = min(lows), min(highs)
    return Bounds(float(lo[0]), float(hi[0]), lo[1], hi[1], len(lows))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="fastest scheduled times from the raw timetable sources")
    ap.add_argument("source", type=Path)
    ap.add_argument("pair", nargs="*", help="FROM TO (station names as in the sources)")
    args = ap.parse_args(argv)
    pairs = [tuple(args.pair[:2])] if len(args.pair) >= 2 else HUB_PAIRS
    boards = _boards(str(args.source))
    for a, b in pairs:
        if a in boards and b in boards:
            v = fastest_from_sources(args.source, a, b)
            print(f"{a} → {b}: {'no train' if v is None else f'{v:.0f} min'} (boards-2020, scheduled)")
        else:
            bd = fastest_bounds_from_sources(args.source, a, b)
            if bd is None:
                print(f"{a} → {b}: no train with times in the sources")
            else:
                print(
                    f"{a} → {b}: between {bd.low:.0f} ({bd.train_low}) and {bd.high:.0f} min ({bd.train_high}); "
                    f"{bd.trains} trains (no board at an end: bounds, not a time)"
                )
        v = fastest_from_sources(args.source, a, b, vintage="xrl-2026-01")
        if v is not None:
            print(f"{a} → {b}: {v:.0f} min (xrl-gtfs-2026-01, MTR trains only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
