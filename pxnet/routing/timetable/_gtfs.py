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
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ...errors import DataWarning, NotATimetableError, TimetableError, warn
from ...network import Network, bundled_network
from ._gtfs_checks import DAYS as _DAYS
from ._gtfs_checks import Problems, StopTimes, check_trip_ids, parse_times, validate
from ._gtfs_extras import TRANSFER_COLUMNS, check_frequencies, expand_frequencies, transfers_table
from ._gtfs_files import UNREAD_GTFS_FILES, Feed, as_text, is_utf8, iter_unread, open_feed, parse_csv
from ._gtfs_stops import (
    UNMATCHED_COLUMNS,
    Telecodes,
    match_stops,
    read_telecodes,
    unmatched_message,
    unmatched_on_corridor,
)
from ._gtfs_write import write_folder, write_zip

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
#: Further files pxnet reads when present (stop names, minimum transfer times, frequency-based trips).
OPTIONAL_FILES = ("translations", "transfers", "frequencies")
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
        ``name``, ``telecode``, ``code``, ``id``, ``parent`` or empty). ``trips`` gains ``train``
        (``train_number``, else ``trip_short_name``, else ``trip_id``) and ``basis`` (``scheduled`` unless the
        file says otherwise).
        ``stop_times`` gains ``arrival_s`` and ``departure_s`` (seconds after midnight of the service day,
        past 24 h allowed; NaN for an untimed intermediate call).
    skipped
        Rows left out on purpose, each with ``file``, ``line``, ``id`` and ``reason`` (the national feed's
        ``<line> (全线)`` pseudo-trips and their stop times).
    source
        Where the feed was read from.
    transfers
        ``transfers.txt`` rows with ``from_station``, ``to_station`` (routing keys, as ``stops.station``) and
        ``min_transfer_s``: the minimum time to change trains between them (``transfer_type`` 2), ``inf`` where
        no transfer is possible (type 3), NaN where the row imposes nothing. A row with ``from_station ==
        to_station`` is that station's own minimum transfer time. Empty when the feed has no transfers.
    unmatched
        The feed's stations that match no network station although they lie on the corridor (within
        ``CORRIDOR_KM`` of a network station): ``stop_id``, ``stop_name``, ``stop_code``, ``nearest`` (node
        id), ``nearest_name``, ``distance_km``, ``suggestions`` (close network station names) and ``declared``
        (True where a ``node_id`` column of ``stops.txt`` leaves the stop's empty: not a network station on
        purpose, listed but not warned about). They are kept as stations of their own
        (``gtfs:<stop_id>``), never dropped.
    ignored
        Files of the feed that pxnet does not read: ``file`` and ``reason`` (GTFS files such as ``shapes.txt``
        are also reported in a ``DataWarning``; other files, e.g. a licence, are only listed).
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
    transfers: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(
            columns=[*TRANSFER_COLUMNS, "from_station", "to_station", "min_transfer_s"]
        )
    )
    unmatched: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=UNMATCHED_COLUMNS))
    ignored: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["file", "reason"]))

    def __repr__(self) -> str:
        return (
            f"Timetable({self.source or 'in memory'}: {len(self.trips)} trips, {len(self.stop_times)} stop times, "
            f"{int((self.stops['station'].str.startswith('gtfs:') == False).sum())} stops on the network)"  # noqa: E712
        )

    @cached_property
    def content_key(self) -> tuple[object, ...]:
        """Return what identifies the feed's content in pxnet's memos (computed once per feed).

        Its source, sizes and a hash of its stop times and calendar; never the object's ``id``, which a new feed may
        reuse.
        """
        times = self.stop_times
        columns = [c for c in ("trip_id", "stop_id", "arrival_s", "departure_s") if c in times]
        digest = int(pd.util.hash_pandas_object(times[columns], index=False).sum()) if len(times) else 0
        calendar = int(pd.util.hash_pandas_object(self.calendar, index=False).sum()) if len(self.calendar) else 0
        return (self.source, len(self.trips), len(times), digest, calendar)

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


def _read_frame(feed: Feed, name: str, problems: Problems) -> pd.DataFrame | None:
    """One file as a frame of text columns (None when absent or unreadable: the problem is recorded)."""
    file = f"{name}.txt"
    raw = feed.read_bytes(file)
    problems.items.extend(feed.problems)
    feed.problems.clear()
    if raw is None:
        return None
    if not is_utf8(raw, file, problems.items):
        return None
    return parse_csv(raw, file, problems.items, coded=name == "stop_times")


def _read_files(feed: Feed, names: tuple[str, ...], problems: Problems) -> dict[str, pd.DataFrame]:
    frames: dict[str, pd.DataFrame] = {}
    for name in names:
        frame = _read_frame(feed, name, problems)
        if frame is None:
            if name in _REQUIRED_FILES and not feed.has(f"{name}.txt"):
                problems.add(name, None, None, None, "required file is missing")
            frames[name] = pd.DataFrame(columns=list(_REQUIRED_COLUMNS.get(name, ())))
            continue
        for column in _REQUIRED_COLUMNS.get(name, ()):
            if column not in frame.columns:
                problems.add(name, 1, None, column, "required column is missing")
                frame[column] = ""
        frames[name] = frame
    return frames


def _ignored(feed: Feed) -> pd.DataFrame:
    read = {f"{n}.txt" for n in (*FILES, *OPTIONAL_FILES)}
    unread = set(iter_unread(feed, read))
    rows = [
        {"file": name, "reason": "GTFS file pxnet does not read" if name in unread else "not a GTFS file"}
        for name in sorted(feed.members)
        if name not in read
    ]
    return pd.DataFrame(rows, columns=["file", "reason"])


def read_timetable(
    path: str | Path | None = None,
    *,
    network: Network | None = None,
    stop_nodes: Mapping[str, str] | None = None,
    telecodes: Telecodes = None,
) -> Timetable:
    """Read and validate a GTFS feed (a folder of ``.txt`` files or a ``.zip``).

    Reads ``agency``, ``stops``, ``routes``, ``trips``, ``stop_times``, ``calendar`` and ``calendar_dates``
    (at least one of the two calendars), and ``feed_info``, ``translations``, ``transfers`` and ``frequencies``
    when present; extra columns are kept. Any other GTFS file (``shapes.txt``, fares, ``pathways.txt`` …) is
    reported by name in a :class:`~pxnet.errors.DataWarning` and listed in :attr:`Timetable.ignored`. Times past
    24:00 (``25:10:00``) are the next morning of the same service day. Intermediate calls may be untimed
    (both times empty); they are kept, with NaN ``arrival_s`` and ``departure_s``, and routed over.
    Frequency-based trips become timed trips (``<trip_id>@<HH:MM:SS>``, with ``frequency_of``); minimum
    transfer times go to :attr:`Timetable.transfers`.

    Stops are matched to the network's stations, in this order: ``stop_nodes`` (a stop id → node id table),
    a ``node_id`` column of ``stops.txt``, the stop's name (and its ``translations.txt`` names, so that
    ``廣州南`` finds 广州南), its ``stop_code`` and then its ``stop_id`` as a telecode (through ``telecodes``
    and a ``telecode`` column of the network's nodes) or as a node id; a platform with a ``parent_station``
    goes with its station. Unmatched stops are kept as stations of their own (``gtfs:<stop_id>``) so trips
    through them still connect; those on the corridor are listed in :attr:`Timetable.unmatched` and reported
    in a :class:`~pxnet.errors.DataWarning`.

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
    telecodes
        Telecode → station name (or node id): a mapping, or a CSV with ``telecode`` and ``name`` columns (the
        12306 station list's shape), for feeds whose ``stop_id`` or ``stop_code`` is a 12306 telecode.

    Returns
    -------
    Timetable

    Raises
    ------
    TimetableError
        Listing every problem found (file, row, column, what is wrong): missing, empty, non-UTF-8 or
        unparseable files (a quote left open), a zip holding two copies of a file, a file larger than
        ``MAX_FILE_BYTES``, missing columns, duplicate ids, references to unknown routes, services, trips or
        stops, route types outside GTFS, coordinates out of range, malformed times, dates or flags, services
        that never run, departures before arrivals, times running backwards along a trip, trips with fewer
        than two calls, bad transfers or frequencies. Duplicate trip ids stop the reading before
        ``stop_times.txt``.
    DataFileNotFoundError
        When ``path`` is neither a folder nor a zip file, or ``telecodes`` names no file.
    DataValidationError
        When the ``telecodes`` file has no ``telecode`` and ``name`` columns.

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
    feed = open_feed(feed_path)
    try:
        frames, problems = _read_feed(feed)
    finally:
        if feed.archive is not None:
            feed.archive.close()
    ignored = _ignored(feed)
    unread = ignored[ignored["reason"] != "not a GTFS file"]["file"].tolist()
    if unread:
        warn(
            f"{feed.label}: pxnet does not read {', '.join(unread)} (listed in Timetable.ignored)",
            DataWarning,
        )
    table = _build(frames, problems, net, stop_nodes, read_telecodes(telecodes))
    if problems.items:
        raise TimetableError(problems.items, feed=feed.label)
    message = unmatched_message(table["unmatched"])
    if message:
        warn(f"{feed.label}: {message}", DataWarning)
    notes = table.pop("notes")
    for note in notes:
        warn(f"{feed.label}: {note}", DataWarning)
    return Timetable(**table, ignored=ignored, source=feed.label)


def _read_feed(feed: Feed) -> tuple[dict[str, pd.DataFrame], Problems]:
    """Return the files pxnet reads as frames; raises when a file cannot be read or trip ids repeat."""
    problems = Problems(feed.problems)
    feed.problems = []
    small = tuple(n for n in (*FILES, *OPTIONAL_FILES) if n not in ("stop_times", "frequencies"))
    frames = _read_files(feed, small, problems)
    if not feed.has("calendar.txt") and not feed.has("calendar_dates.txt"):
        problems.add("calendar", None, None, None, "neither calendar.txt nor calendar_dates.txt is present")
    if not check_trip_ids(frames["trips"], problems):
        # Stop times cannot be told apart by trip: checking them would list the same fault many times over.
        raise TimetableError(problems.items, feed=feed.label)
    frames.update(_read_files(feed, ("stop_times", "frequencies"), problems))
    if problems.items:
        # Files that cannot be read (or lack columns): checking references into them would only add noise.
        raise TimetableError(problems.items, feed=feed.label)
    return frames, problems


def _build(
    frames: dict[str, pd.DataFrame],
    problems: Problems,
    net: Network,
    stop_nodes: Mapping[str, str] | None,
    telecodes: dict[str, str],
) -> dict[str, Any]:
    """Validate the frames and build the timetable's tables (empty when there are problems)."""
    all_trip_ids = set(frames["trips"]["trip_id"])
    trips, stop_times, skipped = _skip_pseudo_trips(frames["trips"], frames["stop_times"], frames["routes"])
    frames["trips"], frames["stop_times"] = trips, stop_times
    parsed = validate(frames, problems)
    freq = check_frequencies(frames["frequencies"], all_trip_ids, problems)
    if problems.items:
        return {}
    stops = match_stops(frames["stops"], frames["translations"], net, dict(stop_nodes or {}), telecodes, problems)
    transfers, notes = transfers_table(frames["transfers"], stops, problems)
    if problems.items:
        return {}
    trips = frames["trips"].copy()
    train = trips["train_number"] if "train_number" in trips else pd.Series("", index=trips.index)
    short = trips["trip_short_name"] if "trip_short_name" in trips else pd.Series("", index=trips.index)
    trips["train"] = train.where(train != "", short).where(lambda s: s != "", trips["trip_id"])
    if "basis" not in trips:
        trips["basis"] = "scheduled"
    st = _timed(frames["stop_times"], parsed)
    if len(freq):
        freq = freq[freq["trip_id"].isin(set(trips["trip_id"]))]
        trips, st = expand_frequencies(freq, trips, st, problems)
    return {
        "agency": frames["agency"],
        "stops": stops,
        "routes": frames["routes"],
        "trips": trips.reset_index(drop=True),
        "stop_times": st.reset_index(drop=True),
        "calendar": frames["calendar"],
        "calendar_dates": frames["calendar_dates"],
        "feed_info": frames["feed_info"],
        "skipped": skipped,
        "transfers": transfers,
        "unmatched": unmatched_on_corridor(stops, net),
        "notes": notes,
    }


def _timed(stop_times: pd.DataFrame, parsed: StopTimes) -> pd.DataFrame:
    """Stop times with float ``arrival_s`` and ``departure_s`` (NaN for an untimed call), sorted along trips."""
    arr, dep = parsed.arrival_s, parsed.departure_s
    # GTFS: a call with only one of the two times uses it for both.
    arrival, departure = np.where(np.isnan(arr), dep, arr), np.where(np.isnan(dep), arr, dep)
    if parsed.order is not None:
        # Sorted while still categorical codes: moving integers is cheaper than moving Python strings.
        arrival, departure = arrival[parsed.order], departure[parsed.order]
    return as_text(stop_times, parsed.order).assign(arrival_s=arrival, departure_s=departure)


def _may_hold_mark(values: list[Any]) -> bool:
    # Whether any of the texts can hold a pseudo-trip mark: one search of their joined text, so that a feed
    # without pseudo-trips (most feeds) is not searched value by value. A mark holds no line break.
    joined = "\n".join(map(str, values))
    return any(mark in joined for mark in PSEUDO_TRIP_MARKS)


def _skip_pseudo_trips(
    trips: pd.DataFrame, stop_times: pd.DataFrame, routes: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Drop the ``<line> (全线)`` trips and their stop times, listing each dropped row."""
    names = dict(zip(routes["route_id"], routes.get("route_long_name", pd.Series("", index=routes.index)), strict=True))
    marked = pd.Series(False, index=trips.index)
    for column in ("trip_id", "trip_short_name", "trip_headsign"):
        if column in trips and _may_hold_mark(trips[column].tolist()):
            for mark in PSEUDO_TRIP_MARKS:
                marked |= trips[column].str.contains(mark, regex=False)
    if _may_hold_mark([str(name) for name in names.values()]):
        route_names = trips["route_id"].map(names).astype(object).fillna("").astype(str)
        for mark in PSEUDO_TRIP_MARKS:
            marked |= route_names.str.contains(mark, regex=False)
    if not marked.any():
        return trips, stop_times, pd.DataFrame(columns=["file", "line", "id", "reason"])
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


# -- writing ------------------------------------------------------------------------------------------------

_DERIVED = {
    "stops": ("station", "matched_by"),
    "trips": ("train",),
    "stop_times": ("arrival_s", "departure_s"),
    "transfers": ("from_station", "to_station", "min_transfer_s"),
}
_FEED_FILES = frozenset({f"{n}.txt" for n in (*FILES, *OPTIONAL_FILES)} | UNREAD_GTFS_FILES)


def _as_timetable(timetable: Any) -> Timetable:
    # A Timetable, or anything holding one as ``.timetable`` (a scenario's timetable).
    inner = getattr(timetable, "timetable", None)
    if isinstance(timetable, Timetable):
        return timetable
    if isinstance(inner, Timetable):
        return inner
    raise NotATimetableError(
        f"to_gtfs writes a Timetable (read_timetable) or a scenario's timetable (scenario_timetable), "
        f"not {type(timetable).__name__}"
    )


def _texts(tt: Timetable) -> dict[str, str]:
    texts: dict[str, str] = {}
    for name in (*FILES, "transfers"):
        frame: pd.DataFrame = getattr(tt, name)
        if name not in _REQUIRED_FILES and frame.empty and name != "calendar":
            continue
        frame = frame.drop(columns=[c for c in _DERIVED.get(name, ()) if c in frame.columns])
        if name == "trips" and "basis" in frame and (frame["basis"] == "scheduled").all():
            frame = frame.drop(columns="basis")
        texts[f"{name}.txt"] = frame.to_csv(index=False, lineterminator="\n")
    return texts


def to_gtfs(timetable: Timetable | Any, path: str | Path) -> Path:
    """Write a timetable as a GTFS feed: a folder of ``.txt`` files, or a ``.zip`` when ``path`` ends so.

    Every column is written, extra ones included (``basis``, ``source``, ``time_basis`` …), so the feed opens in
    other GTFS tools and reads back into pxnet unchanged; frequency-based trips are written as the timed trips
    they were expanded to, and ``transfers.txt`` when the timetable has transfers.

    A folder is written to a temporary sibling and swapped in whole: a failure part-way leaves the previous
    folder as it was (files in it that are not GTFS files are carried over). A zip is written atomically and
    is byte-reproducible: members in a fixed order, with a fixed timestamp.

    Parameters
    ----------
    timetable
        A :class:`Timetable` (e.g. :func:`read_timetable`), or a scenario's timetable (any object holding one
        as ``.timetable``, e.g. :func:`pxnet.scenario_timetable`).
    path
        A folder (created if missing) or a ``.zip`` file.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ExportError
        When ``path`` cannot be written (a read-only folder, a file where a folder is wanted …) or the write
        fails; the previous feed, if any, is intact.
    NotATimetableError
        When ``timetable`` is not a timetable (also a ``TypeError``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = to_gtfs(read_timetable(), pathlib.Path(tempfile.mkdtemp()) / "feed.zip")
    >>> len(read_timetable(out).trips) == len(read_timetable().trips)
    True
    """
    tt = _as_timetable(timetable)
    target = Path(path)
    texts = _texts(tt)
    if target.suffix.lower() == ".zip":
        write_zip(target, texts)
    else:
        write_folder(target, texts, feed_files=_FEED_FILES)
    return target
