"""GTFS in and out: read a timetable feed (folder or zip), validate every row, match its stops to the network.

pxnet reads GTFS with pandas and its own validation rather than a GTFS library (gtfs-kit, partridge): the checks a
planner needs are row-level (file, row, column, what is wrong, all at once, in one :class:`TimetableError`), extra
columns (``source``, ``time_basis``, ``vintage`` …) must survive a read and a write unchanged, and the feeds pxnet
reads (the bundled corridor feed, the MTR 广深港 feed, a national China Railway feed) need no shapes, fares or
frequencies. Reading every column as text and parsing times with one vectorised expression is fast enough for a
national feed (see ``benchmarks/bench_timetable.py``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .. import vocabulary as schema
from ..errors import Problem, TimetableError
from ..io import atomic_path
from ..network import Network, bundled_network

__all__ = ["Timetable", "format_time", "parse_times", "read_timetable", "to_gtfs"]

#: GTFS files pxnet reads, in the order it writes them.
FILES = ("agency", "stops", "routes", "trips", "stop_times", "calendar", "calendar_dates", "feed_info")
_REQUIRED_FILES = ("agency", "stops", "routes", "trips", "stop_times")
_REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "agency": ("agency_name", "agency_url", "agency_timezone"),
    "stops": ("stop_id",),
    "routes": ("route_id", "route_type"),
    "trips": ("route_id", "service_id", "trip_id"),
    "stop_times": ("trip_id", "stop_id", "stop_sequence", "arrival_time", "departure_time"),
    "calendar": (
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
    ),
    "calendar_dates": ("service_id", "date", "exception_type"),
    "feed_info": (),
}
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME = re.compile(r"^\s*(\d{1,3}):([0-5]\d):([0-5]\d)\s*$")
#: Marks the national China Railway feed's per-line pseudo-trips (a line's stations, not a train).
PSEUDO_TRIP_MARKS = ("(全线)", "（全线）")


@dataclass(frozen=True)
class Timetable:
    """A GTFS feed as tables, with times parsed and stops matched to network stations.

    Every table keeps all the columns of its file (as text), including extra ones such as ``source``.

    Attributes
    ----------
    agency, stops, routes, trips, stop_times, calendar, calendar_dates, feed_info
        The files' rows. ``stops`` gains ``station`` (the routing key: the matched network node id, or
        ``gtfs:<stop_id>`` of the stop or of its parent station) and ``matched_by`` (``table``, ``node_id``,
        ``name``, ``code``, ``id``, ``parent`` or empty). ``trips`` gains ``train`` (``train_number``, else
        ``trip_short_name``, else ``trip_id``) and ``basis`` (``scheduled`` unless the file says otherwise).
        ``stop_times`` gains ``arrival_s`` and ``departure_s`` (seconds after midnight of the service day,
        past 24 h allowed; NaN for an untimed intermediate call).
    skipped
        Rows left out on purpose, each with ``file``, ``line``, ``id`` and ``reason`` (the national feed's
        ``<line> (全线)`` pseudo-trips and their stop times).
    source
        Where the feed was read from.
    """

    agency: pd.DataFrame
    stops: pd.DataFrame
    routes: pd.DataFrame
    trips: pd.DataFrame
    stop_times: pd.DataFrame
    calendar: pd.DataFrame
    calendar_dates: pd.DataFrame
    feed_info: pd.DataFrame = field(default_factory=pd.DataFrame)
    skipped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["file", "line", "id", "reason"]))
    source: str = ""

    def __repr__(self) -> str:
        return (
            f"Timetable({self.source or 'in memory'}: {len(self.trips)} trips, {len(self.stop_times)} stop times, "
            f"{int((self.stops['station'].str.startswith('gtfs:') == False).sum())} stops on the network)"  # noqa: E712
        )

    def service_ids_on(self, date: dt.date) -> set[str]:
        """Return the service ids running on ``date`` (``calendar`` weekdays and range, then ``calendar_dates``)."""
        out: set[str] = set()
        day = _DAYS[date.weekday()]
        stamp = date.strftime("%Y%m%d")
        cal = self.calendar
        if len(cal):
            on = (cal[day] == "1") & (cal["start_date"] <= stamp) & (cal["end_date"] >= stamp)
            out.update(cal.loc[on, "service_id"])
        cd = self.calendar_dates
        if len(cd):
            today = cd[cd["date"] == stamp]
            out.update(today.loc[today["exception_type"] == "1", "service_id"])
            out.difference_update(today.loc[today["exception_type"] == "2", "service_id"])
        return out

    def service_periods(self) -> pd.DataFrame:
        """One row per service id: ``service_id``, ``start``, ``end`` (dates), ``trips``, ``agencies``, ``vintage``.

        ``vintage`` is the trips' ``vintage`` column where the feed has one, else the period.
        """
        rows = []
        dates: dict[str, list[str]] = {}
        for r in self.calendar.itertuples(index=False):
            dates.setdefault(str(r.service_id), []).extend([str(r.start_date), str(r.end_date)])
        for r in self.calendar_dates.itertuples(index=False):
            if str(r.exception_type) == "1":
                dates.setdefault(str(r.service_id), []).append(str(r.date))
        routes_agency = dict(zip(self.routes["route_id"], self.routes.get("agency_id", ""), strict=True))
        for sid, group in self.trips.groupby("service_id", sort=True):
            span = sorted(dates.get(str(sid), []))
            vintage = group["vintage"].iloc[0] if "vintage" in group and group["vintage"].iloc[0] else ""
            agencies = sorted({str(routes_agency.get(r, "")) for r in group["route_id"]})
            start = _date(span[0]) if span else None
            end = _date(span[-1]) if span else None
            rows.append(
                {
                    "service_id": str(sid),
                    "start": start,
                    "end": end,
                    "trips": len(group),
                    "agencies": ";".join(agencies),
                    "vintage": vintage or (f"{start}..{end}" if start else ""),
                }
            )
        return pd.DataFrame(rows, columns=["service_id", "start", "end", "trips", "agencies", "vintage"])


def _date(text: str) -> dt.date:
    return dt.date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def parse_times(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """GTFS ``H:MM:SS`` texts to seconds (hours past 24 allowed).

    Returns
    -------
    (seconds, bad)
        Float seconds (NaN where empty or bad) and a mask of the non-empty values that are not times.

    Examples
    --------
    >>> s, bad = parse_times(pd.Series(["07:05:00", "25:10:30", "", "7h"]))
    >>> s[:2].tolist(), bad.tolist()
    ([25500.0, 90630.0], [False, False, False, True])
    """
    # Feeds repeat few distinct clock times: parse each distinct text once.
    codes, uniques = pd.factorize(values.to_numpy(dtype=object))
    parsed = np.full(len(uniques) + 1, np.nan)
    bad_u = np.zeros(len(uniques) + 1, dtype=bool)
    for i, text in enumerate(uniques):
        m = _TIME.match(text)
        if m:
            parsed[i] = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3))
        elif text.strip():
            bad_u[i] = True
    return parsed[codes], bad_u[codes]


def format_time(seconds: float) -> str:
    """Seconds after midnight as GTFS ``HH:MM:SS`` (``25:10:00`` past midnight).

    Examples
    --------
    >>> format_time(90600)
    '25:10:00'
    """
    s = round(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


# -- reading ------------------------------------------------------------------------------------------------


def _open_feed(path: Path) -> tuple[Callable[[str], str | None], str]:
    """Return a function giving a file's text (or None when absent), and a label for messages."""
    if path.is_file() and zipfile.is_zipfile(path):
        archive = zipfile.ZipFile(path)
        names = {Path(n).name: n for n in archive.namelist() if not n.endswith("/")}

        def read_zip(name: str) -> str | None:
            member = names.get(name)
            return None if member is None else archive.read(member).decode("utf-8-sig")

        return read_zip, str(path)
    if path.is_dir():

        def read_dir(name: str) -> str | None:
            file = path / name
            return file.read_text(encoding="utf-8-sig") if file.is_file() else None

        return read_dir, str(path)
    from ..errors import DataFileNotFoundError

    raise DataFileNotFoundError(f"no GTFS feed at {str(path)!r}: give a folder of .txt files or a .zip")


def _frame(text: str) -> pd.DataFrame:
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skipinitialspace=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in frame.columns:
        codes, uniques = pd.factorize(frame[column].to_numpy(dtype=object))
        stripped = np.array([str(u).strip() for u in uniques] + [""], dtype=object)
        frame[column] = stripped[codes]
    return frame


class _Problems:
    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, file: str, line: int | None, record: str | None, column: str | None, message: str) -> None:
        self.items.append(Problem(f"{file}.txt", line, record, column, message))

    def rows(self, file: str, frame: pd.DataFrame, mask: Any, column: str | None, message: str, id_col: str) -> None:
        """One problem per row of ``frame`` where ``mask`` holds (line = index + 2: header is line 1)."""
        where = np.flatnonzero(np.asarray(mask, dtype=bool))
        ids = frame[id_col].to_numpy() if id_col in frame else None
        for i in where:
            record = str(ids[i]) if ids is not None else None
            value = f" ({frame[column].iat[i]!r})" if column and column in frame else ""
            self.add(file, int(frame.index[i]) + 2, record, column, message + value)


def read_timetable(
    path: str | Path | None = None,
    *,
    network: Network | None = None,
    stop_nodes: Mapping[str, str] | None = None,
) -> Timetable:
    """Read and validate a GTFS feed (a folder of ``.txt`` files or a ``.zip``).

    Reads ``agency``, ``stops``, ``routes``, ``trips``, ``stop_times``, ``calendar`` and ``calendar_dates``
    (at least one of the two calendars) and ``feed_info`` if present; extra columns are kept. Times past
    24:00 (``25:10:00``) are the next morning of the same service day. Intermediate calls may be untimed
    (both times empty); they are kept and routed over.

    Stops are matched to the network's stations, in this order: ``stop_nodes`` (a stop id → node id table),
    a ``node_id`` column of ``stops.txt``, the stop's name (and its ``translations.txt`` names, so that
    ``廣州南`` finds 广州南), its ``stop_code``, its ``stop_id``; a platform with a ``parent_station`` goes with its
    station. Unmatched stops are kept as stations of their own (``gtfs:<stop_id>``) so trips through them still
    connect.

    Trips of a national China Railway feed that list a line's stations rather than a train (``trip_id``,
    ``trip_short_name``, ``trip_headsign`` or the route's name containing ``(全线)``) are skipped, and listed in
    :attr:`Timetable.skipped`.

    Parameters
    ----------
    path
        The feed; ``None`` reads the bundled corridor timetable (``data/timetable/`` of the bundled network).
    network
        The network whose stations the stops are matched to (default: the bundled one).
    stop_nodes
        Stop id → network node id, taking precedence over every other match.

    Returns
    -------
    Timetable

    Raises
    ------
    TimetableError
        Listing every problem found (file, row, column, what is wrong): missing files or columns, duplicate
        ids, references to unknown routes, services, trips or stops, malformed times, dates or flags,
        departures before arrivals, times running backwards along a trip, trips with fewer than two calls.
    DataFileNotFoundError
        When ``path`` is neither a folder nor a zip file.

    Examples
    --------
    >>> tt = read_timetable()
    >>> int((tt.trips["train"] == "G631").sum())
    1
    >>> tt.stops.set_index("stop_id").at["pingxiang_north", "station"]
    'pingxiang_north'
    """
    net = network if network is not None else bundled_network()
    feed_path = Path(path) if path is not None else net.folder / "timetable"
    read, label = _open_feed(feed_path)
    problems = _Problems()
    frames: dict[str, pd.DataFrame] = {}
    for name in FILES:
        text = read(f"{name}.txt")
        if text is None:
            if name in _REQUIRED_FILES:
                problems.add(name, None, None, None, "required file is missing")
            frames[name] = pd.DataFrame(columns=list(_REQUIRED_COLUMNS[name]))
            continue
        try:
            frame = _frame(text)
        except (pd.errors.ParserError, UnicodeDecodeError) as exc:
            problems.add(name, None, None, None, f"cannot be read as CSV: {exc}")
            frame = pd.DataFrame(columns=list(_REQUIRED_COLUMNS[name]))
        missing = [c for c in _REQUIRED_COLUMNS[name] if c not in frame.columns]
        for column in missing:
            problems.add(name, 1, None, column, "required column is missing")
            frame[column] = ""
        frames[name] = frame
    if read("calendar.txt") is None and read("calendar_dates.txt") is None:
        problems.add("calendar", None, None, None, "neither calendar.txt nor calendar_dates.txt is present")
    translations_text = read("translations.txt")
    translations = _frame(translations_text) if translations_text else pd.DataFrame()

    trips, stop_times, skipped = _skip_pseudo_trips(frames["trips"], frames["stop_times"], frames["routes"])
    frames["trips"], frames["stop_times"] = trips, stop_times
    arrival_s, departure_s = _validate(frames, problems)
    if problems.items:
        raise TimetableError(problems.items, feed=label)

    stops = _match_stops(frames["stops"], translations, net, dict(stop_nodes or {}), problems)
    if problems.items:
        raise TimetableError(problems.items, feed=label)
    trips = frames["trips"].copy()
    train = trips["train_number"] if "train_number" in trips else pd.Series("", index=trips.index)
    short = trips["trip_short_name"] if "trip_short_name" in trips else pd.Series("", index=trips.index)
    trips["train"] = train.where(train != "", short).where(lambda s: s != "", trips["trip_id"])
    if "basis" not in trips:
        trips["basis"] = "scheduled"
    st = frames["stop_times"].copy()
    st["arrival_s"], st["departure_s"] = arrival_s, departure_s
    # GTFS: a call with only one of the two times uses it for both.
    st["arrival_s"] = st["arrival_s"].fillna(st["departure_s"])
    st["departure_s"] = st["departure_s"].fillna(st["arrival_s"])
    st["stop_sequence_n"] = st["stop_sequence"].astype(int)
    st = st.sort_values(["trip_id", "stop_sequence_n"], kind="stable").drop(columns="stop_sequence_n")
    return Timetable(
        agency=frames["agency"],
        stops=stops,
        routes=frames["routes"],
        trips=trips.reset_index(drop=True),
        stop_times=st.reset_index(drop=True),
        calendar=frames["calendar"],
        calendar_dates=frames["calendar_dates"],
        feed_info=frames["feed_info"],
        skipped=skipped,
        source=label,
    )


def _skip_pseudo_trips(
    trips: pd.DataFrame, stop_times: pd.DataFrame, routes: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Drop the ``<line> (全线)`` trips and their stop times, listing each dropped row."""
    names = dict(zip(routes["route_id"], routes.get("route_long_name", pd.Series("", index=routes.index)), strict=True))
    marked = pd.Series(False, index=trips.index)
    for column in ("trip_id", "trip_short_name", "trip_headsign"):
        if column in trips:
            for mark in PSEUDO_TRIP_MARKS:
                marked |= trips[column].str.contains(mark, regex=False)
    route_names = trips["route_id"].map(names).astype(object).fillna("").astype(str)
    for mark in PSEUDO_TRIP_MARKS:
        marked |= route_names.str.contains(mark, regex=False)
    pseudo = set(trips.loc[marked, "trip_id"])
    rows = [
        {"file": "trips.txt", "line": int(i) + 2, "id": t, "reason": "line pseudo-trip '(全线)': a line's stations"}
        for i, t in trips.loc[marked, "trip_id"].items()
    ]
    st_marked = stop_times["trip_id"].isin(pseudo)
    rows += [
        {"file": "stop_times.txt", "line": int(i) + 2, "id": t, "reason": "stop time of a line pseudo-trip"}
        for i, t in stop_times.loc[st_marked, "trip_id"].items()
    ]
    skipped = pd.DataFrame(rows, columns=["file", "line", "id", "reason"])
    return trips.loc[~marked], stop_times.loc[~st_marked], skipped


def _validate(frames: dict[str, pd.DataFrame], problems: _Problems) -> tuple[np.ndarray, np.ndarray]:
    """Check every file; returns the stop times' parsed arrival and departure seconds."""
    for name, key in (("stops", "stop_id"), ("routes", "route_id"), ("trips", "trip_id"), ("calendar", "service_id")):
        frame = frames[name]
        problems.rows(name, frame, frame[key] == "", key, "empty id", key)
        dup = frame[key].duplicated(keep="first") & (frame[key] != "")
        problems.rows(name, frame, dup, key, "duplicate id", key)
    stops, routes, trips, st = frames["stops"], frames["routes"], frames["trips"], frames["stop_times"]
    stop_ids, trip_ids = set(stops["stop_id"]), set(trips["trip_id"])
    if "parent_station" in stops:
        bad = (stops["parent_station"] != "") & ~stops["parent_station"].isin(stop_ids)
        problems.rows("stops", stops, bad, "parent_station", "unknown parent station", "stop_id")
    if "stop_name" in stops:
        kind = stops["location_type"] if "location_type" in stops else pd.Series("", index=stops.index)
        problems.rows(
            "stops", stops, (stops["stop_name"] == "") & kind.isin(["", "0", "1"]), "stop_name", "empty name", "stop_id"
        )
    problems.rows(
        "routes", routes, ~routes["route_type"].str.fullmatch(r"\d+"), "route_type", "not an integer", "route_id"
    )
    problems.rows(
        "trips", trips, ~trips["route_id"].isin(set(routes["route_id"])), "route_id", "unknown route", "trip_id"
    )
    services = set(frames["calendar"]["service_id"]) | set(frames["calendar_dates"]["service_id"])
    problems.rows(
        "trips", trips, ~trips["service_id"].isin(services), "service_id", "service in no calendar", "trip_id"
    )
    cal = frames["calendar"]
    for day in _DAYS:
        problems.rows("calendar", cal, ~cal[day].isin(["0", "1"]), day, "must be 0 or 1", "service_id")
    for column in ("start_date", "end_date"):
        problems.rows("calendar", cal, ~_valid_dates(cal[column]), column, "not a date YYYYMMDD", "service_id")
    problems.rows("calendar", cal, cal["end_date"] < cal["start_date"], "end_date", "before start_date", "service_id")
    cd = frames["calendar_dates"]
    problems.rows("calendar_dates", cd, ~_valid_dates(cd["date"]), "date", "not a date YYYYMMDD", "service_id")
    problems.rows(
        "calendar_dates", cd, ~cd["exception_type"].isin(["1", "2"]), "exception_type", "must be 1 or 2", "service_id"
    )

    problems.rows("stop_times", st, ~st["trip_id"].isin(trip_ids), "trip_id", "unknown trip", "trip_id")
    problems.rows("stop_times", st, ~st["stop_id"].isin(stop_ids), "stop_id", "unknown stop", "trip_id")
    seq_ok = st["stop_sequence"].str.fullmatch(r"\d+").fillna(False).to_numpy(dtype=bool)
    problems.rows("stop_times", st, ~seq_ok, "stop_sequence", "not a non-negative integer", "trip_id")
    arr, bad_arr = parse_times(st["arrival_time"])
    dep, bad_dep = parse_times(st["departure_time"])
    problems.rows("stop_times", st, bad_arr, "arrival_time", "not a time H:MM:SS", "trip_id")
    problems.rows("stop_times", st, bad_dep, "departure_time", "not a time H:MM:SS", "trip_id")
    problems.rows("stop_times", st, dep < arr, "departure_time", "before the arrival time", "trip_id")
    no_trip = sorted(trip_ids - set(st["trip_id"]))
    for i in trips.index[trips["trip_id"].isin(no_trip)]:
        problems.add("trips", int(i) + 2, trips.at[i, "trip_id"], None, "trip has no stop times")
    if not seq_ok.all() or len(st) == 0:
        return arr, dep
    order = pd.DataFrame(
        {
            "trip": st["trip_id"].to_numpy(),
            "seq": st["stop_sequence"].astype(int).to_numpy(),
            "arr": arr,
            "dep": dep,
            "row": np.arange(len(st)),
        }
    ).sort_values(["trip", "seq"], kind="stable")
    dup = order.duplicated(["trip", "seq"]).to_numpy()
    problems.rows(
        "stop_times",
        st,
        np.isin(np.arange(len(st)), order["row"].to_numpy()[dup]),
        "stop_sequence",
        "duplicate in its trip",
        "trip_id",
    )
    order["time_in"] = np.where(np.isnan(order["arr"]), order["dep"], order["arr"])
    order["time_out"] = np.where(np.isnan(order["dep"]), order["arr"], order["dep"])
    grouped = order.groupby("trip", sort=False)
    # The latest time seen so far in the trip; a call earlier than it runs backwards.
    filled = grouped["time_out"].ffill()
    previous = filled.groupby(order["trip"], sort=False).cummax().groupby(order["trip"], sort=False).shift()
    backwards = (order["time_in"] < previous).to_numpy()
    rows_back = np.zeros(len(st), dtype=bool)
    rows_back[order["row"].to_numpy()[backwards]] = True
    problems.rows("stop_times", st, rows_back, "arrival_time", "earlier than a previous call of its trip", "trip_id")
    size = grouped["row"].transform("size").to_numpy()
    first = ~order.duplicated("trip", keep="first").to_numpy()
    last = ~order.duplicated("trip", keep="last").to_numpy()
    untimed = np.isnan(order["time_in"].to_numpy())
    for mask, message in (
        (first & untimed, "first call of a trip has no time"),
        (last & untimed, "last call of a trip has no time"),
        (first & (size < 2), "trip has fewer than two calls"),
    ):
        flagged = np.zeros(len(st), dtype=bool)
        flagged[order["row"].to_numpy()[mask]] = True
        problems.rows("stop_times", st, flagged, None, message, "trip_id")
    return arr, dep


def _valid_dates(values: pd.Series) -> pd.Series:
    parsed = pd.to_datetime(values, format="%Y%m%d", errors="coerce")
    return parsed.notna() & values.str.fullmatch(r"\d{8}").fillna(False)


def _station_lookup(net: Network) -> dict[str, str]:
    nodes = net.nodes[net.nodes["kind"].isin(schema.STATION_KINDS)]
    table: dict[str, str] = {}
    for node_id, zh, en in zip(nodes.index, nodes["name_zh"], nodes["name_en"], strict=True):
        for key in (node_id, zh, en):
            if isinstance(key, str) and key:
                table.setdefault(key.strip().lower(), node_id)
        if isinstance(zh, str) and not zh.endswith("站"):
            table.setdefault(zh + "站", node_id)
    return table


def _check_stop_table(stops: pd.DataFrame, table: dict[str, str], valid: set[str], problems: _Problems) -> None:
    # Each entry of the stop-to-node table must name a stop of the feed and a node of the network.
    stop_ids = set(stops["stop_id"])
    for stop_id, node in table.items():
        if node not in valid:
            problems.add("stop_nodes", None, stop_id, None, f"unknown network node {node!r}")
        if stop_id not in stop_ids:
            problems.add("stop_nodes", None, stop_id, None, "no such stop in stops.txt")


def _translated_names(translations: pd.DataFrame) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    # Other names of the stops from translations.txt: by stop id, and by the translated stop name.
    other_names: dict[str, list[str]] = {}
    if len(translations) and {"table_name", "field_name", "translation"} <= set(translations.columns):
        names = translations[(translations["table_name"] == "stops") & (translations["field_name"] == "stop_name")]
        key = "record_id" if "record_id" in names else "field_value"
        for rec, value in zip(names.get(key, pd.Series(dtype=str)), names["translation"], strict=False):
            other_names.setdefault(str(rec), []).append(str(value))
    by_name_value: dict[str, list[str]] = {}
    if "field_value" in translations:
        for value, tr in zip(translations["field_value"], translations["translation"], strict=False):
            if value:
                by_name_value.setdefault(str(value), []).append(str(tr))
    return other_names, by_name_value


def _own_station(
    row: dict[str, str],
    table: dict[str, str],
    valid: set[str],
    lookup: dict[str, str],
    names: tuple[dict[str, list[str]], dict[str, list[str]]],
) -> tuple[str, str]:
    # A stop's own network node and how it was found (table, node_id, name, code, id), or ("", "").
    other_names, by_name_value = names
    stop_id = row["stop_id"]
    if stop_id in table:
        return table[stop_id], "table"
    node = row.get("node_id", "")
    if node in valid:
        return node, "node_id"
    name = row.get("stop_name", "")
    for candidate in [name, *other_names.get(stop_id, []), *by_name_value.get(name, [])]:
        hit = lookup.get(candidate.strip().lower())
        if hit:
            return hit, "name"
    code = row.get("stop_code", "")
    if code and code.lower() in lookup:
        return lookup[code.lower()], "code"
    if stop_id.lower() in lookup:
        return lookup[stop_id.lower()], "id"
    return "", ""


def _match_stops(
    stops: pd.DataFrame, translations: pd.DataFrame, net: Network, table: dict[str, str], problems: _Problems
) -> pd.DataFrame:
    lookup = _station_lookup(net)
    valid = set(net.nodes.index)
    _check_stop_table(stops, table, valid, problems)
    names = _translated_names(translations)
    records = stops.to_dict("records")
    matched = {r["stop_id"]: _own_station(r, table, valid, lookup, names) for r in records}
    station, how = [], []
    for r in records:
        node, by = matched[r["stop_id"]]
        parent = r.get("parent_station", "")
        if not node and parent:
            node, by = matched.get(parent, ("", ""))
            by = "parent" if node else ""
            key = node or f"gtfs:{parent}"
        else:
            key = node or f"gtfs:{r['stop_id']}"
        station.append(key)
        how.append(by)
    out = stops.copy()
    out["station"] = station
    out["matched_by"] = how
    return out


# -- writing ------------------------------------------------------------------------------------------------

_DERIVED = {"stops": ("station", "matched_by"), "trips": ("train",), "stop_times": ("arrival_s", "departure_s")}


def to_gtfs(timetable: Timetable, path: str | Path) -> Path:
    """Write a timetable as a GTFS feed: a folder of ``.txt`` files, or a ``.zip`` when ``path`` ends so.

    Every column is written, extra ones included (``basis``, ``source``, ``time_basis`` …), so the feed opens in
    other GTFS tools and reads back into pxnet unchanged. Each file is written atomically.

    Parameters
    ----------
    timetable
        A :class:`Timetable` (e.g. :func:`read_timetable` or :func:`pxnet.scenario_timetable`).
    path
        A folder (created if missing) or a ``.zip`` file.

    Returns
    -------
    pathlib.Path
        ``path``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = to_gtfs(read_timetable(), pathlib.Path(tempfile.mkdtemp()) / "feed.zip")
    >>> len(read_timetable(out).trips) == len(read_timetable().trips)
    True
    """
    target = Path(path)
    texts: dict[str, str] = {}
    for name in FILES:
        frame: pd.DataFrame = getattr(timetable, name)
        if name not in _REQUIRED_FILES and frame.empty and name != "calendar":
            continue
        frame = frame.drop(columns=[c for c in _DERIVED.get(name, ()) if c in frame.columns])
        if name == "trips" and "basis" in frame and (frame["basis"] == "scheduled").all():
            frame = frame.drop(columns="basis")
        texts[f"{name}.txt"] = frame.to_csv(index=False, lineterminator="\n")
    if target.suffix.lower() == ".zip":
        with atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, text in texts.items():
                archive.writestr(name, text)
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        with atomic_path(target / name) as tmp:
            tmp.write_text(text, encoding="utf-8")
    return target


def with_tables(timetable: Timetable, **tables: Any) -> Timetable:
    """Return a copy of ``timetable`` with some tables replaced (for building scenario timetables)."""
    return replace(timetable, **tables)
