"""GTFS validation, vectorised: whole columns at a time, every bad row named by file, line and column.

Times, integers and dates are checked and parsed on the distinct texts of a column (a feed repeats few of them),
with numpy character arithmetic rather than a Python loop over strings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ...errors import Problem

#: Rows listed per check; past it, one more problem gives the count (a broken feed can repeat one fault a
#: million times, and listing each would take longer than reading the feed).
MAX_ROWS_PER_CHECK = 10_000

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

#: route_type values: the GTFS reference's (0–7, 11, 12) and the extended route types (rail 100–117, coach
#: 200–209, urban rail 400–405, bus 700–716, trolleybus 800, tram 900–906, water 1000, air 1100, ferry 1200,
#: aerial lift 1300–1307, funicular 1400, taxi 1500–1507, miscellaneous 1700, horse-drawn carriage 1702).
ROUTE_TYPES = frozenset(
    [
        *range(8),
        11,
        12,
        *range(100, 118),
        *range(200, 210),
        *range(400, 406),
        *range(700, 717),
        800,
        *range(900, 907),
        1000,
        1100,
        1200,
        *range(1300, 1308),
        1400,
        *range(1500, 1508),
        1700,
        1702,
    ]
)


class Problems:
    """The problems found so far, each naming file, line, record and column."""

    def __init__(self, items: list[Problem] | None = None) -> None:
        self.items: list[Problem] = list(items or [])

    def add(self, file: str, line: int | None, record: str | None, column: str | None, message: str) -> None:
        """Add one problem (``file`` without ``.txt``)."""
        self.items.append(Problem(f"{file}.txt", line, record, column, message))

    def rows(self, file: str, frame: pd.DataFrame, mask: Any, column: str | None, message: str, id_col: str) -> None:
        """One problem per row of ``frame`` where ``mask`` holds (line = index + 2: the header is line 1)."""
        where = np.flatnonzero(np.asarray(mask, dtype=bool))
        if not len(where):
            return
        ids = frame[id_col].to_numpy() if id_col in frame else None
        values = frame[column].to_numpy() if column and column in frame else None
        lines = frame.index.to_numpy()
        for i in where[:MAX_ROWS_PER_CHECK]:
            record = str(ids[i]) if ids is not None else None
            value = f" ({values[i]!r})" if values is not None else ""
            self.add(file, int(lines[i]) + 2, record, column, message + value)
        if len(where) > MAX_ROWS_PER_CHECK:
            self.add(file, None, None, column, f"{message}: {len(where) - MAX_ROWS_PER_CHECK:,} more rows like these")


def distinct(values: Any, *, sort: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Codes and distinct values (object array) of ``values``; free for a categorical column."""
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        uniques = np.asarray(values.cat.categories, dtype=object)
        codes = values.cat.codes.to_numpy().astype(np.intp)
        if sort and len(uniques):
            order = np.argsort(uniques.astype(str), kind="stable")
            rank = np.empty(len(order), dtype=np.intp)
            rank[order] = np.arange(len(order))
            return rank[codes], uniques[order]
        return codes, uniques
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), sort=sort)
    return codes, np.asarray(uniques, dtype=object)


def by_distinct(values: Any, test: Any) -> np.ndarray:
    """Apply ``test`` (on a numpy unicode array) to the distinct values of ``values``; its result row by row."""
    codes, uniques = distinct(values)
    result = np.asarray(test(np.asarray(uniques, dtype=object).astype(str)))
    if not len(uniques):
        return np.zeros(len(codes), dtype=result.dtype if result.dtype != object else float)
    return np.asarray(result[codes])


def _codepoints(text: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    # Each text right-aligned into ``width`` code points (padded with "0"), and its length.
    lengths = np.char.str_len(text) if len(text) else np.zeros(0, dtype=int)
    fixed = np.char.rjust(text.astype(f"U{width}"), width, "0").astype(f"U{width}")
    return fixed.view(np.uint32).reshape(len(text), width).astype(np.int64), lengths


def digits_ok(text: np.ndarray) -> np.ndarray:
    """Whether each text is 1–18 ASCII digits."""
    if not len(text):
        return np.zeros(0, dtype=bool)
    cp, lengths = _codepoints(text, 18)
    return np.asarray(((lengths >= 1) & (lengths <= 18)) & np.all((cp >= 48) & (cp <= 57), axis=1), dtype=bool)


def integers(text: np.ndarray) -> np.ndarray:
    """Texts of ASCII digits as float values (NaN where not such a text)."""
    ok = digits_ok(text)
    out = np.full(len(text), np.nan)
    if ok.any():
        out[ok] = text[ok].astype(np.int64)
    return out


def _times(text: np.ndarray) -> np.ndarray:
    # ``H:MM:SS``, ``HH:MM:SS`` or ``HHH:MM:SS`` to seconds; NaN for empty, -1 for a text that is not a time.
    out = np.full(len(text), -1.0)
    if not len(text):
        return out
    cp, lengths = _codepoints(text, 9)
    d = cp - 48
    digit = (d >= 0) & (d <= 9)
    colons = (cp[:, 3] == 58) & (cp[:, 6] == 58)
    hours_ok = digit[:, 0] & digit[:, 1] & digit[:, 2]
    rest_ok = digit[:, 4] & digit[:, 5] & digit[:, 7] & digit[:, 8] & (d[:, 4] <= 5) & (d[:, 7] <= 5)
    ok = (lengths >= 7) & (lengths <= 9) & colons & hours_ok & rest_ok
    hours = d[:, 0] * 100 + d[:, 1] * 10 + d[:, 2]
    seconds = hours * 3600 + (d[:, 4] * 10 + d[:, 5]) * 60 + d[:, 7] * 10 + d[:, 8]
    out[ok] = seconds[ok]
    out[lengths == 0] = np.nan
    return out


def _ascii_times(values: np.ndarray) -> np.ndarray | None:
    # The fast path for ASCII texts, the whole column at once: each right-aligned into 9 bytes ("0"-padded),
    # checked and parsed with integer arithmetic on fixed byte positions. None when a text is not ASCII (the
    # distinct-value path then handles it).
    try:
        raw = values.astype("S10")
    except UnicodeEncodeError:
        return None
    n = np.char.str_len(raw)
    widths = np.flatnonzero(np.bincount(n, minlength=11)[1:]) + 1
    if len(widths) == 1 and 7 <= widths[0] <= 9:
        # One width (the usual HH:MM:SS): no padding needed, positions shift by the missing hour digits.
        shift = int(widths[0]) - 9
        b = raw.view(np.uint8).reshape(len(values), 10)
    else:
        shift = 0
        b = np.char.rjust(raw, 9, b"0").astype("S10").view(np.uint8).reshape(len(values), 10)

    def col(p: int) -> np.ndarray:
        return b[:, p + shift].astype(np.int32) - 48 if p + shift >= 0 else np.zeros(len(values), np.int32)

    d = {p: col(p) for p in (0, 1, 2, 3, 4, 5, 6, 7, 8)}
    ok = (n >= 7) & (n <= 9) & (d[3] == 10) & (d[6] == 10) & (d[4] <= 5) & (d[7] <= 5)
    for p in (0, 1, 2, 4, 5, 7, 8):
        ok &= (d[p] >= 0) & (d[p] <= 9)
    seconds = (d[0] * 100 + d[1] * 10 + d[2]) * 3600 + (d[4] * 10 + d[5]) * 60 + d[7] * 10 + d[8]
    out = np.where(ok, seconds, -1).astype(float)
    out[n == 0] = np.nan
    return out


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
    coded = isinstance(getattr(values, "dtype", None), pd.CategoricalDtype)
    parsed = None if coded else _ascii_times(np.asarray(values, dtype=object))
    if parsed is None:
        parsed = by_distinct(values, _times)
    bad = parsed < 0
    return np.where(bad, np.nan, parsed).astype(float), bad


def valid_dates(values: pd.Series) -> np.ndarray:
    """Whether each text is a real date written ``YYYYMMDD``."""

    def test(text: np.ndarray) -> np.ndarray:
        shaped = (np.char.str_len(text) == 8) & digits_ok(text) if len(text) else np.zeros(0, dtype=bool)
        parsed = pd.to_datetime(pd.Series(text, dtype=object), format="%Y%m%d", errors="coerce")
        return np.asarray(shaped & parsed.notna().to_numpy(), dtype=bool)

    return by_distinct(values, test).astype(bool)


def _ids(frames: dict[str, pd.DataFrame], problems: Problems) -> None:
    for name, key in (("stops", "stop_id"), ("routes", "route_id"), ("trips", "trip_id"), ("calendar", "service_id")):
        frame = frames[name]
        problems.rows(name, frame, frame[key] == "", key, "empty id", key)
        dup = frame[key].duplicated(keep="first") & (frame[key] != "")
        problems.rows(name, frame, dup, key, "duplicate id", key)


def check_trip_ids(trips: pd.DataFrame, problems: Problems) -> bool:
    """Check trip ids before ``stop_times.txt`` is read; False when they are not unique (reading stops there)."""
    dup = trips["trip_id"].duplicated(keep="first") & (trips["trip_id"] != "")
    problems.rows("trips", trips, dup, "trip_id", "duplicate id", "trip_id")
    return not bool(dup.any())


def _coordinates(stops: pd.DataFrame, problems: Problems) -> None:
    for column, limit in (("stop_lat", 90.0), ("stop_lon", 180.0)):
        if column not in stops:
            continue
        text = stops[column]
        value = pd.to_numeric(text.where(text != "", "nan"), errors="coerce").to_numpy(dtype=float)
        bad = (text != "").to_numpy() & ~(np.abs(value) <= limit)
        problems.rows("stops", stops, bad, column, f"not a WGS-84 coordinate in [-{limit:g}, {limit:g}]", "stop_id")


def _stops(stops: pd.DataFrame, problems: Problems) -> None:
    stop_ids = set(stops["stop_id"])
    if "parent_station" in stops:
        bad = (stops["parent_station"] != "") & ~stops["parent_station"].isin(stop_ids)
        problems.rows("stops", stops, bad, "parent_station", "unknown parent station", "stop_id")
    if "stop_name" in stops:
        kind = stops["location_type"] if "location_type" in stops else pd.Series("", index=stops.index)
        problems.rows(
            "stops", stops, (stops["stop_name"] == "") & kind.isin(["", "0", "1"]), "stop_name", "empty name", "stop_id"
        )
    _coordinates(stops, problems)


def _routes_and_trips(frames: dict[str, pd.DataFrame], problems: Problems) -> None:
    routes, trips = frames["routes"], frames["trips"]
    kind = by_distinct(routes["route_type"], integers)
    known = np.isin(np.nan_to_num(kind, nan=-1), np.fromiter(ROUTE_TYPES, dtype=float))
    problems.rows(
        "routes", routes, ~known, "route_type", "not a GTFS route type (0–7, 11, 12, or an extended type)", "route_id"
    )
    problems.rows(
        "trips", trips, ~trips["route_id"].isin(set(routes["route_id"])), "route_id", "unknown route", "trip_id"
    )
    services = set(frames["calendar"]["service_id"]) | set(frames["calendar_dates"]["service_id"])
    problems.rows(
        "trips", trips, ~trips["service_id"].isin(services), "service_id", "service in no calendar", "trip_id"
    )


def _calendars(frames: dict[str, pd.DataFrame], problems: Problems) -> None:
    cal, cd = frames["calendar"], frames["calendar_dates"]
    for day in DAYS:
        problems.rows("calendar", cal, ~cal[day].isin(["0", "1"]), day, "must be 0 or 1", "service_id")
    for column in ("start_date", "end_date"):
        problems.rows("calendar", cal, ~valid_dates(cal[column]), column, "not a date YYYYMMDD", "service_id")
    problems.rows("calendar", cal, cal["end_date"] < cal["start_date"], "end_date", "before start_date", "service_id")
    added = set(cd.loc[cd["exception_type"] == "1", "service_id"])
    idle = (cal[list(DAYS)] != "1").all(axis=1) & ~cal["service_id"].isin(added)
    problems.rows(
        "calendar",
        cal,
        idle,
        None,
        "service runs on no weekday and calendar_dates.txt adds no date: it never runs",
        "service_id",
    )
    problems.rows("calendar_dates", cd, ~valid_dates(cd["date"]), "date", "not a date YYYYMMDD", "service_id")
    problems.rows(
        "calendar_dates", cd, ~cd["exception_type"].isin(["1", "2"]), "exception_type", "must be 1 or 2", "service_id"
    )


def validate(frames: dict[str, pd.DataFrame], problems: Problems) -> StopTimes:
    """Check every file; returns the stop times' parsed times and their order along trips."""
    _ids(frames, problems)
    _stops(frames["stops"], problems)
    _routes_and_trips(frames, problems)
    _calendars(frames, problems)
    return check_stop_times(frames["stop_times"], frames["trips"], frames["stops"]["stop_id"], problems)


@dataclass(frozen=True)
class StopTimes:
    """Parsed stop times: arrival and departure seconds (NaN where empty), and the row order along trips.

    ``order`` sorts the rows by trip id, then stop sequence (None when a sequence is not an integer).
    """

    arrival_s: np.ndarray
    departure_s: np.ndarray
    order: np.ndarray | None


def _known(values: pd.Series, known: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # Sorted codes of ``values``, its distinct values, and whether each row's value is among ``known`` (tested
    # once per distinct value).
    codes, uniques = distinct(values, sort=True)
    ok = pd.Index(uniques, dtype=object).isin(np.asarray(known, dtype=object))
    return codes, np.asarray(uniques), ok[codes] if len(uniques) else np.ones(len(codes), dtype=bool)


def check_stop_times(st: pd.DataFrame, trips: pd.DataFrame, stop_ids: Any, problems: Problems) -> StopTimes:
    """Check ``stop_times.txt``: references, sequences, times, order along each trip, first and last calls."""
    trip, trips_called, trip_ok = _known(st["trip_id"], trips["trip_id"])
    problems.rows("stop_times", st, ~trip_ok, "trip_id", "unknown trip", "trip_id")
    _, _, stop_ok = _known(st["stop_id"], stop_ids)
    problems.rows("stop_times", st, ~stop_ok, "stop_id", "unknown stop", "trip_id")
    seq = by_distinct(st["stop_sequence"], integers)
    seq_ok = ~np.isnan(seq)
    problems.rows("stop_times", st, ~seq_ok, "stop_sequence", "not a non-negative integer", "trip_id")
    arr, bad_arr = parse_times(st["arrival_time"])
    dep, bad_dep = parse_times(st["departure_time"])
    problems.rows("stop_times", st, bad_arr, "arrival_time", "not a time H:MM:SS", "trip_id")
    problems.rows("stop_times", st, bad_dep, "departure_time", "not a time H:MM:SS", "trip_id")
    problems.rows("stop_times", st, dep < arr, "departure_time", "before the arrival time", "trip_id")
    no_times = ~trips["trip_id"].isin(trips_called)
    problems.rows("trips", trips, no_times, None, "trip has no stop times", "trip_id")
    if not (seq_ok.all() and len(st)):
        return StopTimes(arr, dep, None)
    order = _trip_order(trip, seq)
    _along_trips(st, order, trip, seq, arr, dep, problems)
    return StopTimes(arr, dep, order)


def _trip_order(trip: np.ndarray, seq: np.ndarray) -> np.ndarray:
    """Row order by trip code, then stop sequence (``np.lexsort((seq, trip))``), stable.

    With one integer key per row the sort is one stable ``argsort``, which finds the runs a feed already has (the
    calls of a trip are usually listed together and in order) instead of sorting two keys from scratch.
    """
    top = float(seq.max()) + 1 if len(seq) else 1.0
    if (int(trip.max()) + 1 if len(trip) else 1) * top >= 2.0**62:
        return np.lexsort((seq, trip))
    key = trip.astype(np.int64) * int(top) + seq.astype(np.int64)
    return np.argsort(key, kind="stable")


def _latest_so_far(time_out: np.ndarray, first: np.ndarray) -> np.ndarray:
    """Return the latest time seen so far in each trip: a running maximum that restarts at each trip's first call.

    When every call is timed and no trip's times go back (a valid feed), that is each call's own time.
    """
    if len(time_out) and not np.isnan(time_out).any() and not (np.diff(time_out) < 0)[~first[1:]].any():
        return time_out
    filled = np.where(np.isnan(time_out), -np.inf, time_out)
    offset = np.cumsum(first) * 1e7  # trips are ordered: lift each one above all earlier trips
    return np.asarray(np.maximum.accumulate(filled + offset) - offset, dtype=float)


def _along_trips(
    st: pd.DataFrame,
    order: np.ndarray,
    trip: np.ndarray,
    seq: np.ndarray,
    arr: np.ndarray,
    dep: np.ndarray,
    problems: Problems,
) -> None:
    # Along each trip (sorted by stop_sequence): duplicate sequences, times running backwards, untimed ends,
    # trips of one call. All on integer trip codes and numpy arrays.
    t, s = trip[order], seq[order]
    time_in = np.where(np.isnan(arr), dep, arr)[order]
    time_out = np.where(np.isnan(dep), arr, dep)[order]
    first = np.ones(len(t), dtype=bool)
    first[1:] = t[1:] != t[:-1]
    last = np.ones(len(t), dtype=bool)
    last[:-1] = t[1:] != t[:-1]

    def flag(mask: np.ndarray, column: str | None, message: str) -> None:
        if not mask.any():  # the usual case: no row to map back to the file's order
            return
        rows = np.zeros(len(st), dtype=bool)
        rows[order[mask]] = True
        problems.rows("stop_times", st, rows, column, message, "trip_id")

    dup = np.zeros(len(t), dtype=bool)
    dup[1:] = ~first[1:] & (s[1:] == s[:-1])
    flag(dup, "stop_sequence", "duplicate in its trip")
    previous = np.full(len(t), -np.inf)
    previous[1:] = np.where(first[1:], -np.inf, _latest_so_far(time_out, first)[:-1])
    flag(time_in < previous, "arrival_time", "earlier than a previous call of its trip")
    untimed = np.isnan(time_in)
    flag(first & untimed, None, "first call of a trip has no time")
    flag(last & untimed, None, "last call of a trip has no time")
    flag(first & last, None, "trip has fewer than two calls")
