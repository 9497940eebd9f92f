#!/usr/bin/env python3
"""Write a small synthetic GTFS feed of the national China Railway feed's shape, for tests and the notebook.

Usage::

    python scripts/make_national_feed.py OUT_FOLDER [--zip] [--start 2026-01-05] [--days 7]

The national feed (published weekly in the GitHub releases of wensimehrp/chinese-railway-gtfs) has this shape,
which this script copies; its **times are synthetic** (see below), its stations real:

* ``stop_id`` is the station's 12306 telecode (``PBG`` for 萍乡北), ``stop_name`` its Chinese name;
* ``route_id`` is the train class (``高速``, ``动车``, ``城际``), one route per class;
* besides the trains, each line has a pseudo-trip ``<line> (全线)`` listing its stations in order, without
  times: it is not a train, and pxnet's reader skips it (listed in ``Timetable.skipped``);
* run days are in ``calendar_dates.txt`` only (``exception_type`` 1, no ``calendar.txt``);
* ``shapes.txt`` holds the trains' geometry (pxnet does not read it, and says so).

Stations: those of the bundled network's corridor (names and coordinates from ``data/nodes.csv``), plus four
real stations the network does not hold (深圳, 广州, 惠州南, 湘潭北; coordinates from AMap station geocodes in a
public 2020 station list, converted to WGS-84), and one with its name in traditional characters (醴陵東, telecode
UKQ) that matches the network only by telecode. Telecodes are from the 12306 station list (January 2026);
stations without a published telecode in that list get a ``X…`` id, marked in ``stops.txt``'s ``note``.

Times: each train leaves its origin at a fixed clock time and runs between calls at 250 km/h over 1.2 × the
straight-line distance, with a 2-minute stop at each intermediate call, rounded to the minute; one call of one
train is left untimed (both times empty), as GTFS allows. Every trip's ``source`` column says so. Nothing here
is a real timetable.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: 12306 telecode → station name, for the stations used (12306 station list, January 2026).
#: ``read_timetable(..., telecodes=TELECODES)`` matches stops by it.
TELECODES = {
    "NXG": "南昌西",
    "XBG": "新余北",
    "YEG": "宜春",
    "PBG": "萍乡北",
    "UKQ": "醴陵东",
    "CWQ": "长沙南",
    "ZAQ": "株洲西",
    "IZQ": "广州南",
    "IMQ": "光明城",
    "IOQ": "深圳北",
    "NZQ": "福田",
    "XJA": "香港西九龙",
    "KNA": "惠州南",
}

_CODE_OF = {name: code for code, name in TELECODES.items()}
_GEOCODE = "AMap station geocode from a public 2020 station list (converted to WGS-84)"


@dataclass(frozen=True)
class Station:
    """A station of the feed: name, telecode (or ``X…``), WGS-84 coordinates, and where they come from."""

    name: str
    code: str
    lat: float
    lon: float
    note: str


#: Real stations the bundled network does not hold (coordinates: ``_GEOCODE``).
OFF_NETWORK = (
    Station("深圳", "X01", 22.535521, 114.11266, f"{_GEOCODE}; no telecode in the 12306 list used"),
    Station("广州", "X02", 23.151869, 113.251969, f"{_GEOCODE}; no telecode in the 12306 list used"),
    Station("惠州南", "KNA", 22.787551, 114.487386, _GEOCODE),
    Station("湘潭北", "X03", 27.968409, 112.936757, f"{_GEOCODE}; no telecode in the 12306 list used"),
)

#: The name in traditional characters under which 醴陵东 appears (matched by its telecode only).
TRADITIONAL = {"醴陵东": "醴陵東"}

#: Lines and their stations in order (the bundled network's corridor lines), written as ``(全线)`` pseudo-trips.
LINES = {
    "沪昆高铁": ("南昌西", "新余北", "宜春", "萍乡北", "醴陵东", "长沙南"),
    "广深港高铁": ("广州南", "光明城", "深圳北", "福田", "香港西九龙"),
}


@dataclass(frozen=True)
class Train:
    """A synthetic train: number, class (the route), first departure (minutes after midnight), calls."""

    number: str
    route: str
    start_min: int
    calls: tuple[str, ...]


TRAINS = (
    Train("G1001", "高速", 7 * 60, ("南昌西", "新余北", "宜春", "萍乡北", "醴陵东", "长沙南", "株洲西", "广州南")),
    Train("G1002", "高速", 9 * 60 + 30, ("广州南", "株洲西", "长沙南", "萍乡北", "宜春", "南昌西")),
    Train("G1003", "高速", 22 * 60 + 40, ("南昌西", "萍乡北", "长沙南", "广州南", "深圳北", "福田")),
    Train("G1005", "高速", 8 * 60 + 10, ("萍乡北", "长沙南", "广州南", "光明城", "深圳北", "香港西九龙")),
    Train("D2001", "动车", 10 * 60, ("深圳北", "惠州南")),
    Train("D2003", "动车", 12 * 60, ("长沙南", "湘潭北")),
    Train("C3001", "城际", 6 * 60 + 30, ("广州", "深圳")),
)
#: (train, call) left untimed.
UNTIMED = ("G1001", "宜春")


def _haversine_km(a: Station, b: Station) -> float:
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dphi, dlmb = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def stations(nodes_csv: Path = ROOT / "data" / "nodes.csv") -> dict[str, Station]:
    """Return the feed's stations by Chinese name: the network's (from ``nodes_csv``) and :data:`OFF_NETWORK`."""
    wanted = {name for t in TRAINS for name in t.calls} | {name for line in LINES.values() for name in line}
    out: dict[str, Station] = {}
    with nodes_csv.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = row["name_zh"]
            if name in wanted and row["kind"] in ("hsr_station", "rail_station") and name not in out:
                code = _CODE_OF.get(name, f"X{len(out) + 10:02d}")
                note = "data/nodes.csv" + ("" if name in _CODE_OF else "; no telecode in the 12306 list used")
                out[name] = Station(TRADITIONAL.get(name, name), code, float(row["lat"]), float(row["lon"]), note)
    for s in OFF_NETWORK:
        out[s.name] = s
    missing = wanted - set(out)
    if missing:
        raise SystemExit(f"stations missing from {nodes_csv}: {', '.join(sorted(missing))}")
    return out


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}:00"


def _stop_times(train: Train, where: dict[str, Station]) -> list[list[str]]:
    rows = []
    clock = train.start_min
    for k, name in enumerate(train.calls):
        if k:
            km = 1.2 * _haversine_km(where[train.calls[k - 1]], where[name])
            clock += max(1, round(km / 250 * 60))
        dwell = 2 if 0 < k < len(train.calls) - 1 else 0
        untimed = (train.number, name) == UNTIMED
        arrival = "" if untimed else _clock(clock)
        departure = "" if untimed else _clock(clock + dwell)
        rows.append([train.number, arrival, departure, where[name].code, str(k + 1)])
        clock += dwell
    return rows


def tables(start: dt.date, days: int, nodes_csv: Path = ROOT / "data" / "nodes.csv") -> dict[str, list[list[str]]]:
    """Return the feed's files as rows (header first), by file name without ``.txt``."""
    where = stations(nodes_csv)
    source = "synthetic: 250 km/h over 1.2 x the straight line, 2 min stops (scripts/make_national_feed.py)"
    trips = [["route_id", "service_id", "trip_id", "trip_short_name", "trip_headsign", "shape_id", "source"]]
    trips += [[t.route, "daily", t.number, t.number, t.calls[-1], f"shape-{t.number}", source] for t in TRAINS]
    trips += [["高速", "daily", f"{line} (全线)", f"{line} (全线)", "", "", "line stations"] for line in LINES]
    stop_times = [["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"]]
    for t in TRAINS:
        stop_times += _stop_times(t, where)
    for line, names in LINES.items():
        stop_times += [[f"{line} (全线)", "", "", where[n].code, str(k + 1)] for k, n in enumerate(names)]
    shapes = [["shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence"]]
    for t in TRAINS:
        shapes += [
            [f"shape-{t.number}", f"{where[n].lat:.6f}", f"{where[n].lon:.6f}", str(k + 1)]
            for k, n in enumerate(t.calls)
        ]
    used = sorted({where[n].code: where[n] for n in where}.values(), key=lambda s: s.code)
    return {
        "agency": [
            ["agency_id", "agency_name", "agency_url", "agency_timezone"],
            ["CR", "中国国家铁路集团有限公司", "https://www.12306.cn", "Asia/Shanghai"],
        ],
        "stops": [["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type", "note"]]
        + [[s.code, s.name, f"{s.lat:.6f}", f"{s.lon:.6f}", "0", s.note] for s in used],
        "routes": [["route_id", "agency_id", "route_short_name", "route_type"]]
        + [[r, "CR", r, "2"] for r in sorted({t.route for t in TRAINS})],
        "trips": trips,
        "stop_times": stop_times,
        "calendar_dates": [["service_id", "date", "exception_type"]]
        + [["daily", (start + dt.timedelta(days=i)).strftime("%Y%m%d"), "1"] for i in range(days)],
        "shapes": shapes,
        "feed_info": [
            ["feed_publisher_name", "feed_publisher_url", "feed_lang", "feed_version"],
            ["pxnet (scripts/make_national_feed.py)", "https://github.com/pxnet/pxnet", "zh", "synthetic"],
        ],
    }


def write_feed(out: Path, *, start: dt.date = dt.date(2026, 1, 5), days: int = 7, as_zip: bool = False) -> Path:
    """Write the feed to the folder ``out`` (or to ``out`` as a zip); returns the path written."""
    files = tables(start, days)
    if as_zip:
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, rows in files.items():
                archive.writestr(name + ".txt", _csv_text(rows))
        return out
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        (out / f"{name}.txt").write_text(_csv_text(rows), encoding="utf-8")
    return out


def _csv_text(rows: list[list[str]]) -> str:
    import io

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def main() -> None:
    """Command line: write the feed."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="folder to write (or a .zip path with --zip)")
    ap.add_argument("--zip", action="store_true", help="write one zip file")
    ap.add_argument("--start", type=dt.date.fromisoformat, default=dt.date(2026, 1, 5), help="first run day")
    ap.add_argument("--days", type=int, default=7, help="number of run days")
    args = ap.parse_args()
    path = write_feed(args.out, start=args.start, days=args.days, as_zip=args.zip)
    print(f"wrote {path}: {len(TRAINS)} trains, {len(LINES)} line pseudo-trips")


if __name__ == "__main__":
    main()
