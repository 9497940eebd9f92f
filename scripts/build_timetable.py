#!/usr/bin/env python3
"""Build pxnet's bundled corridor timetable (GTFS text files) from the raw public sources.

Usage::

    python scripts/build_timetable.py /work/shared/timetables --out data/timetable

The source folder is the one described in its own README.md:

* ``boards-2020/<station>.csv`` -- station departure boards copied from cnrail.geogv.org between 2020-12-10 and
  2021-01-19 (GitHub thaddywu/RailwayVIS, Apache-2.0). No header; columns: train type, 始/过/终, train number,
  train origin, train terminus, arrival ``HH:MM`` (``-`` at the origin), departure ``HH:MM`` (``-`` at the terminus).
* ``stoplists-2021/train_{g,d,c}.txt`` -- stop sequences without times, one train a line (``g631:南昌西,高安,…``)
  (GitHub Sythens88/Chinese-Railway-Network, committed 2022-01-10).
* ``xrl-gtfs-2026-01/`` -- GTFS feed of the MTR-run trains on the 广深港 line, valid 2026-01-26 to 2026-02-01
  (GitHub qgmzmy/HighSpeedRail_GTFS).

The bundled network (``data/nodes.csv``, ``data/links.csv``) gives the station ids, coordinates and the track
kilometres used to interpolate times at stations without a board.

Method, in short (docs/_draft_timetable_section.md has the long form):

1. Every train on a 2020 board at a station of the corridor lines is a candidate.
2. Its stop order is the 2021 stop list of the same train number **if that list agrees with the boards** (every
   board station of the train is in the list, in time order, the list starts at the board's origin and ends at its
   terminus, and no station with a board is in the list without the train being on that board); otherwise the stop
   order is the board stations alone, in time order.
3. Board times are ``scheduled``. A call at a network station without a board, between two timed calls, gets an
   ``estimate: interpolated`` time: running time shared out in proportion to track kilometres of data/links.csv,
   after a dwell of DWELL_MIN at every intermediate call.
4. The trip is cut to the span between its first and last timed calls at corridor stations; trips with fewer than
   two such calls are left out (they give no ride inside the network).
5. The XRL feed's trips are copied with their own calendar (vintage 2026-01), platforms folded into stations.

Only the standard library, pandas and numpy are used; pxnet is not imported. Every file is written to a temporary
file in the output folder and moved into place with os.replace, rows sorted, so reruns give identical files.
"""

from __future__ import annotations

import argparse
import csv
import heapq
import io
import itertools
import math
import os
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent

# The corridor lines of the bundled network (links.csv `line`), mode hsr, status existing.
CORRIDOR_LINES = ("沪昆高铁", "京广高铁（武广段）", "广深港高铁", "昌赣高铁", "赣深高铁")

# Dwell assumed at every intermediate call when interpolating. 2 min is the median and the most common dwell
# (280 of 363 rows) of G/D/C trains that pass with a stop (过) at the boarded non-hub corridor stations
# 株洲西, 衡阳东, 吉安西 and 福田 on the 2020 boards; the builder recomputes it and stops if the data disagree.
DWELL_MIN = 2
NON_HUB_BOARDED = ("株洲西", "衡阳东", "吉安西", "赣州西", "福田")

# Refuse to interpolate along a network path more than this many times the straight-line distance (guards against a
# shortest path that leaves the train's real line).
MAX_DETOUR = 1.6

BOARD_CLASSES = {"高速动车": "G", "动车组": "D", "城际动车": "C"}
ROUTE_NAMES = {"G": "高速动车组列车 (G)", "D": "动车组列车 (D)", "C": "城际动车组列车 (C)"}

BOARDS_VINTAGE = "late 2020 (boards copied 2020-12-10 to 2021-01-19)"
STOPLIST_VINTAGE = "2021 or earlier (committed 2022-01-10)"
XRL_VINTAGE = "2026-01 (valid 2026-01-26 to 2026-02-01)"
BOARDS_SERVICE = "cr_boards_2020"
BOARDS_START, BOARDS_END = "20201210", "20210119"

SOURCES = [
    {
        "source_id": "boards-2020",
        "path": "boards-2020/",
        "what": "station departure boards, one CSV per station: train type, 始/过/终, train, origin, terminus, "
        "arrival, departure",
        "vintage": BOARDS_VINTAGE,
        "origin": "GitHub thaddywu/RailwayVIS, scripts/schedulers/*.csv, commit 6721846a (2021-01-19); "
        "boards copied from cnrail.geogv.org",
        "licence": "Apache-2.0 (LICENSE-boards-2020-Apache-2.0.txt; changes listed in NOTICE.md)",
    },
    {
        "source_id": "stoplists-2021",
        "path": "stoplists-2021/",
        "what": "stop sequences (no times) of G, D and C trains, one train a line",
        "vintage": STOPLIST_VINTAGE,
        "origin": "GitHub Sythens88/Chinese-Railway-Network, data/train_*.txt, commit 7ee94480",
        "licence": "no licence file: used as facts (which train stops where), origin cited",
    },
    {
        "source_id": "xrl-gtfs-2026-01",
        "path": "xrl-gtfs-2026-01/",
        "what": "GTFS feed of the MTR-run trains of the 广深港 line (Hong Kong section)",
        "vintage": XRL_VINTAGE,
        "origin": "GitHub qgmzmy/HighSpeedRail_GTFS, gtfs/, commit 9c81ecc5 (2026-01-26); credits MTR and 12306",
        "licence": "no licence file: used as facts, origin cited",
    },
    {
        "source_id": "pxnet-network",
        "path": "data/nodes.csv, data/links.csv",
        "what": "station ids, names and coordinates; link lengths (track km) used for interpolation",
        "vintage": "pxnet bundled network (see docs/data.md)",
        "origin": "this repository; each record cites its own source",
        "licence": "see the records' sources",
    },
]


class BuildError(RuntimeError):
    """The sources do not support the build (the message says which file and what)."""


# --------------------------------------------------------------------------------------------------------------
# reading the sources


def hhmm(value: str, where: str) -> int | None:
    """'08:05' -> 485 minutes after midnight; '-' -> None."""
    value = value.strip()
    if value == "-":
        return None
    try:
        h, m = value.split(":")
        hi, mi = int(h), int(m)
    except ValueError as exc:
        raise BuildError(f"{where}: time {value!r} is not HH:MM") from exc
    if not (0 <= hi < 24 and 0 <= mi < 60):
        raise BuildError(f"{where}: time {value!r} out of range")
    return hi * 60 + mi


@dataclass
class BoardRow:
    station: str
    cls: str
    role: str
    train: str
    origin: str
    terminus: str
    arr: int | None
    dep: int | None
    file: str
    line_no: int


def read_boards(src: Path) -> list[BoardRow]:
    rows: list[BoardRow] = []
    for path in sorted((src / "boards-2020").glob("*.csv")):
        station = path.stem
        with path.open(encoding="utf-8") as fh:
            for i, rec in enumerate(csv.reader(fh), start=1):
                if not rec:
                    continue
                where = f"boards-2020/{path.name}:{i}"
                if len(rec) != 7:
                    raise BuildError(f"{where}: {len(rec)} columns, 7 expected")
                cls, role, train, origin, terminus, arr, dep = (x.strip() for x in rec)
                rows.append(
                    BoardRow(
                        station,
                        cls,
                        role,
                        train,
                        origin,
                        terminus,
                        hhmm(arr, where),
                        hhmm(dep, where),
                        f"boards-2020/{path.name}",
                        i,
                    )
                )
    return rows


def read_stoplists(src: Path) -> dict[str, tuple[list[str], str, int]]:
    """Train number (upper case) -> (stations with consecutive repeats collapsed, file, line number)."""
    out: dict[str, tuple[list[str], str, int]] = {}
    for name in ("train_g.txt", "train_d.txt", "train_c.txt"):
        path = src / "stoplists-2021" / name
        with path.open(encoding="utf-8") as fh:
            for i, line in enumerate(fh, start=1):
                line = line.strip()
                if not line:
                    continue
                key, _, rest = line.partition(":")
                stations: list[str] = []
                for s in rest.split(","):
                    s = s.strip()
                    if s and (not stations or stations[-1] != s):
                        stations.append(s)
                out[key.strip().upper()] = (stations, f"stoplists-2021/{name}", i)
    return out


@dataclass
class Network:
    node_of_name: dict[str, str]
    name_of_node: dict[str, str]
    lonlat: dict[str, tuple[float, float]]
    corridor: set[str]
    adj: dict[str, list[tuple[str, float, str]]]  # node -> [(node, km, line)]


def read_network(data: Path) -> Network:
    nodes = pd.read_csv(data / "nodes.csv", dtype=str)
    links = pd.read_csv(data / "links.csv", dtype=str)
    st = nodes[nodes["kind"].isin(["hsr_station", "rail_station"])]
    node_of_name: dict[str, str] = {}
    for rec in st.itertuples():
        if rec.name_zh in node_of_name:
            raise BuildError(f"data/nodes.csv: station name {rec.name_zh} used twice")
        node_of_name[rec.name_zh] = rec.id
    cl = links[(links["mode"] == "hsr") & links["line"].isin(CORRIDOR_LINES) & (links["status"] == "existing")]
    adj: dict[str, list[tuple[str, float, str]]] = defaultdict(list)
    for a, b, km_txt, line in zip(cl["from"], cl["to"], cl["length_km"], cl["line"], strict=False):
        km = float(km_txt)
        adj[a].append((b, km, line))
        adj[b].append((a, km, line))
    corridor = set(adj)
    return Network(
        node_of_name=node_of_name,
        name_of_node={v: k for k, v in node_of_name.items()},
        lonlat={r.id: (float(r.lon), float(r.lat)) for r in st.itertuples()},
        corridor=corridor,
        adj=dict(adj),
    )


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def track_path(net: Network, a: str, b: str) -> tuple[float, list[str]] | None:
    """Shortest corridor path a -> b: (km, lines used), or None (no path, or a detour beyond MAX_DETOUR)."""
    if a not in net.adj or b not in net.adj:
        return None
    dist = {a: 0.0}
    prev: dict[str, tuple[str, str]] = {}
    heap = [(0.0, a)]
    while heap:
        d, u = heapq.heappop(heap)
        if u == b:
            break
        if d > dist[u]:
            continue
        for v, km, line in net.adj[u]:
            nd = d + km
            if nd < dist.get(v, math.inf):
                dist[v] = nd
                prev[v] = (u, line)
                heapq.heappush(heap, (nd, v))
    if b not in dist:
        return None
    crow = haversine_km(net.lonlat[a], net.lonlat[b])
    if crow > 0 and dist[b] > MAX_DETOUR * crow:
        return None
    lines: list[str] = []
    v = b
    while v != a:
        u, line = prev[v]
        if line not in lines:
            lines.append(line)
        v = u
    return round(dist[b], 3), sorted(lines)


# --------------------------------------------------------------------------------------------------------------
# building the 2020 trips


@dataclass
class Call:
    name: str
    node: str | None
    arr: int | None = None  # absolute minutes since 00:00 of the day the train leaves its origin (unknown day)
    dep: int | None = None
    basis: str = ""
    source: str = ""
    km: float | None = None  # from the trip's first emitted call


@dataclass
class Trip:
    train: str
    cls: str
    origin: str
    terminus: str
    calls: list[Call]
    boards_used: list[str]
    order_basis: str
    stoplist_ref: str
    untimed: list[str] = field(default_factory=list)
    part: int = 0
    lines: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def check_dwell(rows: list[BoardRow]) -> None:
    dws = sorted(
        (r.dep - r.arr) % 1440
        for r in rows
        if r.station in NON_HUB_BOARDED
        and r.role == "过"
        and r.arr is not None
        and r.dep is not None
        and r.cls in BOARD_CLASSES
    )
    if not dws:
        raise BuildError("no board dwell to check DWELL_MIN against")
    median = dws[len(dws) // 2]
    if median != DWELL_MIN:
        raise BuildError(f"median board dwell at {NON_HUB_BOARDED} is {median} min, DWELL_MIN is {DWELL_MIN}")


def order_by_board_times(rows: list[BoardRow]) -> list[BoardRow]:
    """Board stations of one train in running order, without a stop list.

    The origin (始) comes first and the terminus (终) last when boarded; otherwise the day cut is put in the largest
    gap of the 24-hour circle (a G/D/C train covers its boarded stations in well under 24 h)."""

    def t(r: BoardRow) -> int:
        return r.arr if r.arr is not None else r.dep  # type: ignore[return-value]

    start = next((r for r in rows if r.role == "始"), None)
    if start is None:
        ts = sorted(t(r) for r in rows)
        gaps = [((ts[(i + 1) % len(ts)] - ts[i]) % 1440 or 1440, i) for i in range(len(ts))]
        _, i = max(gaps)
        t0 = ts[(i + 1) % len(ts)]
    else:
        t0 = t(start)
    return sorted(rows, key=lambda r: ((t(r) - t0) % 1440, r.role == "终"))


def stoplist_agrees(
    seq: list[str], rows: list[BoardRow], boarded_stations: set[str], trains_at: dict[str, set[str]], train: str
) -> str | None:
    """None if the stop list agrees with the boards, else why not."""
    if len(set(seq)) != len(seq):
        return "stop list repeats a station"
    pos = {s: i for i, s in enumerate(seq)}
    missing = [r.station for r in rows if r.station not in pos]
    if missing:
        return f"board station(s) {','.join(sorted(missing))} not in the stop list"
    r0 = rows[0]
    if seq[0] != r0.origin or seq[-1] != r0.terminus:
        return f"stop list runs {seq[0]}–{seq[-1]}, boards say {r0.origin}–{r0.terminus}"
    absent = [s for s in seq if s in boarded_stations and train not in trains_at[s]]
    if absent:
        return f"stop list calls at {','.join(absent)}, whose board does not list the train"
    # time order: walking the list, the board times must advance by less than 24 h in total
    ordered = sorted(rows, key=lambda r: pos[r.station])
    total = 0
    last = None
    for r in ordered:
        for v in (r.arr, r.dep):
            if v is None:
                continue
            if last is not None:
                total += (v - last) % 1440
            last = v
    if total >= 1440:
        return "board times do not advance along the stop list"
    return None


def absolute_times(calls: list[Call]) -> None:
    """Turn clock times into minutes that never decrease along the trip (midnight crossings have no marker)."""
    last = None
    for c in calls:
        for attr in ("arr", "dep"):
            v = getattr(c, attr)
            if v is None:
                continue
            if last is not None:
                while v < last:
                    v += 1440
            setattr(c, attr, v)
            last = v


def leg(net: Network, calls: list[Call], u: int, v: int) -> tuple[float, list[str]] | None:
    """Track between network calls u < v of one trip: (km, lines), or None if it cannot be told.

    Calls outside the network between them (e.g. 庆盛 on 广深港) are allowed only when the corridor path stays on
    one line; otherwise the train may have left the corridor (e.g. 南昌西 – 抚州 … 厦门北 – 深圳北)."""
    a, b = calls[u].node, calls[v].node
    if a is None or b is None:
        return None
    p = track_path(net, a, b)
    if p is None:
        return None
    if any(calls[i].node is None for i in range(u + 1, v)) and len(p[1]) > 1:
        return None
    return p


def interpolate(trip: Trip, net: Network) -> None:
    """Give untimed network calls between two timed calls an estimated time (track km + dwell)."""
    calls = trip.calls
    timed = [i for i, c in enumerate(calls) if c.basis == "scheduled"]
    for a, b in itertools.pairwise(timed):
        if b - a < 2:
            continue
        inner = list(range(a + 1, b))
        if not any(calls[i].node is not None for i in inner):
            for i in inner:
                calls[i].basis = "untimed"
            continue
        net_idx = [a] + [i for i in inner if calls[i].node is not None] + [b]
        # km of each network call from anchor a along the corridor
        kms = [0.0]
        ok = True
        for u, v in itertools.pairwise(net_idx):
            p = leg(net, calls, u, v)
            if p is None:
                ok = False
                break
            kms.append(kms[-1] + p[0])
        ta, tb = calls[a].dep, calls[b].arr
        n_dwell = len(inner)
        run = (tb - ta) - n_dwell * DWELL_MIN if ta is not None and tb is not None else -1
        if not ok or ta is None or run <= 0 or kms[-1] <= 0:
            for i in inner:
                calls[i].basis = "untimed"
            trip.notes.append(f"no interpolation between {calls[a].name} and {calls[b].name}")
            continue
        total = kms[-1]
        km_of = dict(zip(net_idx, kms, strict=False))
        a_name, b_name = calls[a].name, calls[b].name
        for k, i in enumerate(inner):
            c = calls[i]
            if c.node is None:
                c.basis = "untimed"  # off-network call: its dwell is counted, its time is not estimated
                continue
            t = ta + run * km_of[i] / total + k * DWELL_MIN
            c.arr = math.floor(t + 0.5)
            c.dep = c.arr + DWELL_MIN
            c.basis = (
                f"estimate: interpolated by track km (data/links.csv) between {a_name} and {b_name}, "
                f"{DWELL_MIN} min dwell at each intermediate call"
            )
            c.source = f"{calls[i].source}; data/links.csv"


def build_board_trips(src: Path, net: Network, log: list[str]) -> list[Trip]:
    rows = read_boards(src)
    check_dwell(rows)
    stoplists = read_stoplists(src)
    boarded_stations = {r.station for r in rows}
    trains_at: dict[str, set[str]] = defaultdict(set)
    by_train: dict[str, list[BoardRow]] = defaultdict(list)
    for r in rows:
        trains_at[r.station].add(r.train)
        by_train[r.train].append(r)
    corridor_names = {net.name_of_node[n] for n in net.corridor}
    counts: dict[str, int] = defaultdict(int)
    trips: list[Trip] = []
    for train in sorted(by_train):
        trows = by_train[train]
        if not any(r.station in corridor_names for r in trows):
            continue
        counts["candidates"] += 1
        cls = {r.cls for r in trows}
        if len(cls) != 1 or next(iter(cls)) not in BOARD_CLASSES:
            counts["not G/D/C"] += 1
            continue
        if len({(r.origin, r.terminus) for r in trows}) != 1:
            counts["boards disagree on origin/terminus"] += 1
            log.append(f"{train}: boards disagree on origin/terminus, left out")
            continue
        dup = [s for s in {r.station for r in trows} if sum(r.station == s for r in trows) > 1]
        if dup:
            counts["train twice on one board"] += 1
            continue
        board_of = {r.station: r for r in trows}
        why = "no stop list of this train number"
        seq: list[str] | None = None
        ref = ""
        if train in stoplists:
            cand, file, line_no = stoplists[train]
            why = stoplist_agrees(cand, trows, boarded_stations, trains_at, train) or ""
            if not why:
                seq, ref = cand, f"{file}:{line_no}"
            else:
                why = f"stop list {file}:{line_no} not used: {why}"
        if seq is None:
            seq = [r.station for r in order_by_board_times(trows)]
            order_basis = f"boards only ({why})"
            counts["order from boards only"] += 1
        else:
            order_basis = "stoplists-2021 (checked against the boards)"
            counts["order from stop list"] += 1
        calls: list[Call] = []
        for s in seq:
            c = Call(name=s, node=net.node_of_name.get(s))
            br = board_of.get(s)
            if br is not None:
                c.arr = br.arr if br.arr is not None else br.dep
                c.dep = br.dep if br.dep is not None else br.arr
                c.basis = "scheduled"
                c.source = f"{br.file}:{br.line_no}"
            else:
                c.source = ref
            calls.append(c)
        absolute_times(calls)
        first = trows[0]
        trip = Trip(
            train=train,
            cls=BOARD_CLASSES[first.cls],
            origin=first.origin,
            terminus=first.terminus,
            calls=calls,
            boards_used=[],
            order_basis=order_basis,
            stoplist_ref=ref,
        )
        interpolate(trip, net)
        # cut to runs of timed corridor calls joined by corridor track
        idx = [i for i, c in enumerate(calls) if c.node in net.corridor and c.arr is not None]
        runs: list[list[int]] = []
        for i in idx:
            if runs and leg(net, calls, runs[-1][-1], i) is not None:
                runs[-1].append(i)
            else:
                runs.append([i])
        runs = [r for r in runs if len(r) >= 2]
        if not runs:
            counts["fewer than 2 timed corridor calls"] += 1
            continue
        if len(runs) > 1:
            counts["split into several trips"] += 1
        for n_run, run in enumerate(runs, start=1):
            [calls[i] for i in run]
            part = Trip(
                train=train,
                cls=trip.cls,
                origin=trip.origin,
                terminus=trip.terminus,
                calls=[],
                boards_used=[],
                order_basis=order_basis,
                stoplist_ref=ref,
                notes=list(trip.notes),
            )
            part.untimed = [calls[i].name for i in range(run[0], run[-1] + 1) if i not in run]
            if len(runs) > 1:
                part.part = n_run
                part.notes.append(f"part {n_run} of {len(runs)}: the train leaves the corridor between parts")
            km = 0.0
            lines: list[str] = []
            out_calls: list[Call] = []
            for j, i in enumerate(run):
                c = Call(**{**calls[i].__dict__})
                if j:
                    p = leg(net, calls, run[j - 1], i)
                    assert p is not None
                    km += p[0]
                    lines += [x for x in p[1] if x not in lines]
                c.km = round(km, 1)
                out_calls.append(c)
            part.calls = out_calls
            part.lines = sorted(lines)
            part.boards_used = [c.name for c in out_calls if c.basis == "scheduled"]
            trips.append(part)
            counts["trips kept"] += 1
    log.append("2020 boards: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    return trips


# --------------------------------------------------------------------------------------------------------------
# the XRL 2026 feed


def read_xrl(src: Path, net: Network, log: list[str]) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    base = src / "xrl-gtfs-2026-01"
    rd = lambda n: pd.read_csv(base / n, dtype=str, keep_default_na=False)  # noqa: E731
    stops, trips, st, cal = rd("stops.txt"), rd("trips.txt"), rd("stop_times.txt"), rd("calendar.txt")
    tr = rd("translations.txt")
    zh = {
        r.record_id: r.translation
        for r in tr.itertuples()
        if r.table_name == "stops" and r.field_name == "stop_name" and r.language == "zh-CN"
    }
    station_of: dict[str, str] = {}
    for r in stops.itertuples():
        station_of[r.stop_id] = r.parent_station or r.stop_id
    xstops: dict[str, dict] = {}
    node_of_xrl: dict[str, str] = {}
    for r in stops.itertuples():
        if r.location_type != "1":
            continue
        name = zh.get(r.stop_id, r.stop_name)
        node = net.node_of_name.get(name)
        if node is not None:
            node_of_xrl[r.stop_id] = node
        else:
            sid = f"xrl_{r.stop_id}"
            node_of_xrl[r.stop_id] = sid
            xstops[sid] = {
                "stop_id": sid,
                "stop_name": name,
                "stop_lat": r.stop_lat,
                "stop_lon": r.stop_lon,
                "node_id": "",
                "name_zh": name,
                "coord_source": "xrl-gtfs-2026-01/stops.txt",
                "note": f"not a station of the bundled network (XRL stop_id {r.stop_id}, stop_name {r.stop_name})",
            }
    out_trips, out_st = [], []
    for t in trips.itertuples():
        rows = st[st.trip_id == t.trip_id].copy()
        rows["seq"] = rows.stop_sequence.astype(int)
        rows = rows.sort_values("seq")
        tid = f"{t.trip_id}_xrl2026"
        lines: list[str] = []
        nodes_seq = [node_of_xrl[station_of[s]] for s in rows.stop_id]
        for u, v in itertools.pairwise(nodes_seq):
            if u in net.adj and v in net.adj:
                p = track_path(net, u, v)
                if p:
                    lines += [x for x in p[1] if x not in lines]
        names = [xstops[n]["name_zh"] if n in xstops else net.name_of_node[n] for n in nodes_seq]
        out_trips.append(
            {
                "route_id": "XRL",
                "service_id": f"xrl2026_{t.service_id}",
                "trip_id": tid,
                "trip_headsign": names[-1],
                "trip_short_name": t.trip_short_name,
                "direction_id": t.direction_id,
                "train_number": t.trip_short_name,
                "train_origin": names[0],
                "train_terminus": names[-1],
                "lines": ";".join(sorted(lines)),
                "stop_order_basis": "xrl-gtfs-2026-01",
                "untimed_calls": "",
                "source": f"xrl-gtfs-2026-01/trips.txt, stop_times.txt (trip_id {t.trip_id})",
                "vintage": XRL_VINTAGE,
                "note": "",
            }
        )
        for k, r in enumerate(rows.itertuples(), start=1):
            out_st.append(
                {
                    "trip_id": tid,
                    "arrival_time": r.arrival_time,
                    "departure_time": r.departure_time,
                    "stop_id": node_of_xrl[station_of[r.stop_id]],
                    "stop_sequence": k,
                    "shape_dist_traveled": "",
                    "timepoint": "1",
                    "time_basis": "scheduled",
                    "source": f"xrl-gtfs-2026-01/stop_times.txt (stop_id {r.stop_id})",
                }
            )
    services = [
        {
            "service_id": f"xrl2026_{r.service_id}",
            "monday": r.monday,
            "tuesday": r.tuesday,
            "wednesday": r.wednesday,
            "thursday": r.thursday,
            "friday": r.friday,
            "saturday": r.saturday,
            "sunday": r.sunday,
            "start_date": r.start_date,
            "end_date": r.end_date,
        }
        for r in cal.itertuples()
    ]
    log.append(f"XRL 2026: {len(out_trips)} trips, {len(out_st)} stop times")
    return out_trips, out_st, services, list(xstops.values())


# --------------------------------------------------------------------------------------------------------------
# writing


def gtfs_time(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def write_csv(path: Path, header: list[str], rows: list[dict]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=header, lineterminator="\n", extrasaction="raise")
    w.writeheader()
    for r in rows:
        w.writerow({k: r.get(k, "") for k in header})
    write_text(path, buf.getvalue())


def write_text(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def build(src: Path, out: Path, data: Path) -> list[str]:
    log: list[str] = []
    for sub in ("boards-2020", "stoplists-2021", "xrl-gtfs-2026-01"):
        if not (src / sub).is_dir():
            raise BuildError(f"{src}: no folder {sub}/ (pass the shared timetables folder)")
    net = read_network(data)
    trips = build_board_trips(src, net, log)
    x_trips, x_st, x_services, x_stops = read_xrl(src, net, log)

    trip_rows, st_rows = [], []
    used_nodes: set[str] = set()
    for t in trips:
        t0 = t.calls[0].dep
        assert t0 is not None
        shift = (t0 // 1440) * 1440  # service day = the day the trip leaves its first corridor call
        tid = f"{t.train}_2020" + (f"_{t.part}" if t.part else "")
        boards = ",".join(t.boards_used)
        src_txt = f"boards-2020: {boards}"
        if t.stoplist_ref:
            src_txt += f"; stop order {t.stoplist_ref}"
        if any(c.basis.startswith("estimate") for c in t.calls):
            src_txt += "; track km data/links.csv"
        vint = BOARDS_VINTAGE + (f"; stop order {STOPLIST_VINTAGE}" if t.stoplist_ref else "")
        trip_rows.append(
            {
                "route_id": t.cls,
                "service_id": BOARDS_SERVICE,
                "trip_id": tid,
                "trip_headsign": t.terminus,
                "trip_short_name": t.train,
                "direction_id": "",
                "train_number": t.train,
                "train_origin": t.origin,
                "train_terminus": t.terminus,
                "lines": ";".join(t.lines),
                "stop_order_basis": t.order_basis,
                "untimed_calls": ",".join(t.untimed),
                "source": src_txt,
                "vintage": vint,
                "note": "; ".join(t.notes),
            }
        )
        for k, c in enumerate(t.calls, start=1):
            assert c.node is not None and c.arr is not None and c.dep is not None
            used_nodes.add(c.node)
            st_rows.append(
                {
                    "trip_id": tid,
                    "arrival_time": gtfs_time(c.arr - shift),
                    "departure_time": gtfs_time(c.dep - shift),
                    "stop_id": c.node,
                    "stop_sequence": k,
                    "shape_dist_traveled": "" if c.km is None else f"{c.km:.1f}",
                    "timepoint": "1" if c.basis == "scheduled" else "0",
                    "time_basis": c.basis,
                    "source": c.source,
                }
            )
    trip_rows += x_trips
    st_rows += x_st
    used_nodes |= {r["stop_id"] for r in x_st if not r["stop_id"].startswith("xrl_")}

    stop_rows = []
    for n in sorted(used_nodes):
        lon, lat = net.lonlat[n]
        stop_rows.append(
            {
                "stop_id": n,
                "stop_name": net.name_of_node[n],
                "stop_lat": f"{lat:.6f}",
                "stop_lon": f"{lon:.6f}",
                "location_type": "0",
                "node_id": n,
                "name_zh": net.name_of_node[n],
                "coord_source": "data/nodes.csv",
                "note": "",
            }
        )
    stop_rows += [dict(r, location_type="0") for r in x_stops]
    stop_rows.sort(key=lambda r: r["stop_id"])
    trip_rows.sort(key=lambda r: r["trip_id"])
    st_rows.sort(key=lambda r: (r["trip_id"], r["stop_sequence"]))

    classes = sorted({t.cls for t in trips})
    route_rows = [
        {
            "route_id": c,
            "agency_id": "CR",
            "route_short_name": c,
            "route_long_name": ROUTE_NAMES[c],
            "route_type": "2",
            "source": "boards-2020 (train type column)",
        }
        for c in classes
    ]
    route_rows.append(
        {
            "route_id": "XRL",
            "agency_id": "highspeed",
            "route_short_name": "高速铁路",
            "route_long_name": "广深港高速铁路",
            "route_type": "2",
            "source": "xrl-gtfs-2026-01/routes.txt",
        }
    )
    agency_rows = [
        {
            "agency_id": "CR",
            "agency_name": "中国国家铁路集团有限公司",
            "agency_url": "https://www.12306.cn/",
            "agency_timezone": "Asia/Shanghai",
            "agency_lang": "zh",
            "source": "trains of the boards-2020 and stoplists-2021 sources (China Railway trains)",
        },
        {
            "agency_id": "highspeed",
            "agency_name": "高速鐵路",
            "agency_url": "https://www.highspeed.mtr.com.hk/",
            "agency_timezone": "Asia/Hong_Kong",
            "agency_lang": "zh-HK",
            "source": "xrl-gtfs-2026-01/agency.txt",
        },
    ]
    # GTFS wants one timezone for all agencies: both are UTC+8; use Asia/Shanghai for the feed's CR agency and
    # keep the XRL stops' times as published (Asia/Hong_Kong equals Asia/Shanghai, UTC+8, no DST since 1979).
    agency_rows[1]["agency_timezone"] = "Asia/Shanghai"
    agency_rows[1]["source"] += " (agency_timezone Asia/Hong_Kong in the source; same UTC+8 offset)"
    cal_rows = [
        {
            "service_id": BOARDS_SERVICE,
            "monday": "1",
            "tuesday": "1",
            "wednesday": "1",
            "thursday": "1",
            "friday": "1",
            "saturday": "1",
            "sunday": "1",
            "start_date": BOARDS_START,
            "end_date": BOARDS_END,
        },
        *x_services,
    ]
    cal_rows.sort(key=lambda r: r["service_id"])
    feed_info = [
        {
            "feed_publisher_name": "pxnet (scripts/build_timetable.py)",
            "feed_publisher_url": "https://github.com/pxnet/pxnet",
            "feed_lang": "zh-CN",
            "feed_start_date": BOARDS_START,
            "feed_end_date": max(r["end_date"] for r in cal_rows),
            "feed_version": "cr-boards-2020+stoplists-2021+xrl-2026-01",
        }
    ]

    out.mkdir(parents=True, exist_ok=True)
    write_csv(
        out / "agency.txt",
        ["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang", "source"],
        agency_rows,
    )
    write_csv(
        out / "stops.txt",
        ["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type", "node_id", "name_zh", "coord_source", "note"],
        stop_rows,
    )
    write_csv(
        out / "routes.txt",
        ["route_id", "agency_id", "route_short_name", "route_long_name", "route_type", "source"],
        route_rows,
    )
    write_csv(
        out / "trips.txt",
        [
            "route_id",
            "service_id",
            "trip_id",
            "trip_headsign",
            "trip_short_name",
            "direction_id",
            "train_number",
            "train_origin",
            "train_terminus",
            "lines",
            "stop_order_basis",
            "untimed_calls",
            "source",
            "vintage",
            "note",
        ],
        trip_rows,
    )
    write_csv(
        out / "stop_times.txt",
        [
            "trip_id",
            "arrival_time",
            "departure_time",
            "stop_id",
            "stop_sequence",
            "shape_dist_traveled",
            "timepoint",
            "time_basis",
            "source",
        ],
        st_rows,
    )
    write_csv(
        out / "calendar.txt",
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
        cal_rows,
    )
    write_csv(
        out / "feed_info.txt",
        ["feed_publisher_name", "feed_publisher_url", "feed_lang", "feed_start_date", "feed_end_date", "feed_version"],
        feed_info,
    )
    write_csv(out / "sources.txt", ["source_id", "path", "what", "vintage", "origin", "licence"], SOURCES)
    lic = src / "boards-2020" / "LICENSE-Apache-2.0.txt"
    if lic.is_file():
        write_text(out / "LICENSE-boards-2020-Apache-2.0.txt", lic.read_text(encoding="utf-8"))
    write_text(out / "NOTICE.md", NOTICE)
    log.append(f"wrote {len(trip_rows)} trips, {len(st_rows)} stop times, {len(stop_rows)} stops to {out}")
    return log


NOTICE = """\
# Notice

This folder is generated by `scripts/build_timetable.py`; do not edit it by hand.

Part of it is derived from the station departure boards in GitHub thaddywu/RailwayVIS (`scripts/schedulers/*.csv`,
commit 6721846a, 2021-01-19), licensed under the Apache License 2.0 (`LICENSE-boards-2020-Apache-2.0.txt`).
Changes made: rows of trains that call at the Pingxiang corridor were selected; the boards of different stations
were joined into one trip per train number; clock times were rewritten as GTFS times (past 24:00 after midnight);
stations between boarded stations were added from a 2021 stop list (GitHub Sythens88/Chinese-Railway-Network), and
their times estimated by interpolation (marked `estimate:` in `stop_times.txt`, column `time_basis`).

The Hong Kong section trips (`*_xrl2026`) come from GitHub qgmzmy/HighSpeedRail_GTFS (commit 9c81ecc5), which
credits MTR and 12306; platforms were folded into their stations.
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path, help="folder with boards-2020/, stoplists-2021/, xrl-gtfs-2026-01/")
    ap.add_argument("--out", type=Path, default=REPO / "data" / "timetable")
    ap.add_argument("--network", type=Path, default=REPO / "data", help="folder with nodes.csv and links.csv")
    args = ap.parse_args(argv)
    try:
        log = build(args.source, args.out, args.network)
    except BuildError as exc:
        print(f"build_timetable: {exc}", file=sys.stderr)
        return 1
    print("\n".join(log))
    return 0


if __name__ == "__main__":
    sys.exit(main())
