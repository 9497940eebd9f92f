"""GTFS ``transfers.txt`` and ``frequencies.txt``: minimum transfer times per station, frequency trips as timed.

``transfers.txt``: rows of ``transfer_type`` 2 (a minimum time) give ``min_transfer_s``; ``transfer_type`` 3
(no transfer possible) gives ``inf``; types 0 and 1 (recommended, timed) impose nothing and are kept only as rows.
Rows tied to trips or routes (``from_trip_id`` …) or in-seat transfers (types 4, 5) are not modelled: pxnet
routes per station, so they are reported by name in a ``DataWarning``.

``frequencies.txt``: each row runs its trip every ``headway_secs`` from ``start_time`` while the start is before
``end_time``; each run becomes a timed trip ``<trip_id>@<HH:MM:SS>`` whose calls keep the template trip's times
relative to its first departure. With ``exact_times`` 1 that is the schedule itself; with ``exact_times`` 0 (or
empty) the operator promises only the headway, and pxnet routes on the same evenly spaced departures.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ._gtfs_checks import Problems, by_distinct, integers, parse_times

#: Most stop times the frequency-based trips may expand to: a headway of one second all day is a broken feed,
#: not a service, and is refused before memory fills.
MAX_FREQUENCY_CALLS = 1_000_000

TRANSFER_COLUMNS = ["from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time"]
_PER_TRIP = ("from_trip_id", "to_trip_id", "from_route_id", "to_route_id")


def transfers_table(frame: pd.DataFrame, stops: pd.DataFrame, problems: Problems) -> tuple[pd.DataFrame, list[str]]:
    """``transfers.txt`` checked, with ``from_station``, ``to_station`` and ``min_transfer_s``.

    Returns the table and notes on the rows pxnet does not model.
    """
    if frame.empty:
        return pd.DataFrame(columns=[*TRANSFER_COLUMNS, "from_station", "to_station", "min_transfer_s"]), []
    out = frame.copy()
    for column in TRANSFER_COLUMNS:
        if column not in out:
            if column != "min_transfer_time":
                problems.add("transfers", 1, None, column, "required column is missing")
            out[column] = ""
    station = dict(zip(stops["stop_id"], stops["station"], strict=True))
    for column in ("from_stop_id", "to_stop_id"):
        problems.rows("transfers", out, ~out[column].isin(station), column, "unknown stop", column)
    kind = by_distinct(out["transfer_type"].where(out["transfer_type"] != "", "0"), integers)
    problems.rows("transfers", out, ~np.isin(kind, np.arange(6)), "transfer_type", "must be 0 to 5", "from_stop_id")
    minimum = by_distinct(out["min_transfer_time"], integers)
    need = kind == 2
    problems.rows(
        "transfers",
        out,
        need & np.isnan(minimum),
        "min_transfer_time",
        "transfer_type 2 needs a whole number of seconds",
        "from_stop_id",
    )
    out["from_station"] = out["from_stop_id"].map(station).fillna("")
    out["to_station"] = out["to_stop_id"].map(station).fillna("")
    out["min_transfer_s"] = np.where(need, minimum, np.where(kind == 3, math.inf, np.nan))
    notes = []
    specific = np.zeros(len(out), dtype=bool)
    for column in _PER_TRIP:
        if column in out:
            specific |= (out[column] != "").to_numpy()
    in_seat = np.isin(kind, [4, 5])
    if specific.any() or in_seat.any():
        lines = [str(i + 2) for i in np.flatnonzero(specific | in_seat)[:10]]
        notes.append(
            f"transfers.txt: {int((specific | in_seat).sum())} row(s) tied to trips or routes, or in-seat, are "
            f"not modelled (pxnet applies transfer times per station), lines {', '.join(lines)}"
        )
        out.loc[specific | in_seat, "min_transfer_s"] = np.nan
    return out, notes


def check_frequencies(frame: pd.DataFrame, trip_ids: set[str], problems: Problems) -> pd.DataFrame:
    """``frequencies.txt`` checked, with ``start_s``, ``end_s`` and ``headway_s``."""
    if frame.empty:
        return frame
    out = frame.copy()
    for column in ("trip_id", "start_time", "end_time", "headway_secs"):
        if column not in out:
            problems.add("frequencies", 1, None, column, "required column is missing")
            out[column] = ""
    problems.rows("frequencies", out, ~out["trip_id"].isin(trip_ids), "trip_id", "unknown trip", "trip_id")
    start, bad_start = parse_times(out["start_time"])
    end, bad_end = parse_times(out["end_time"])
    problems.rows("frequencies", out, bad_start | np.isnan(start), "start_time", "not a time H:MM:SS", "trip_id")
    problems.rows("frequencies", out, bad_end | np.isnan(end), "end_time", "not a time H:MM:SS", "trip_id")
    problems.rows("frequencies", out, end <= start, "end_time", "not after start_time", "trip_id")
    headway = by_distinct(out["headway_secs"], integers)
    problems.rows(
        "frequencies", out, ~(headway > 0), "headway_secs", "must be a whole number of seconds above 0", "trip_id"
    )
    if "exact_times" in out:
        problems.rows(
            "frequencies", out, ~out["exact_times"].isin(["", "0", "1"]), "exact_times", "must be 0 or 1", "trip_id"
        )
    out["start_s"], out["end_s"], out["headway_s"] = start, end, headway
    return out


def expand_frequencies(
    freq: pd.DataFrame, trips: pd.DataFrame, stop_times: pd.DataFrame, problems: Problems
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Replace each frequency-based trip by its timed runs (see the module docstring).

    ``stop_times`` must be sorted along trips (the template's first row is its first call).
    """
    if freq.empty:
        return trips, stop_times
    runs = np.ceil((freq["end_s"] - freq["start_s"]) / freq["headway_s"]).to_numpy(dtype=np.int64)
    calls = stop_times.groupby("trip_id", sort=False).size()
    total = int((runs * freq["trip_id"].map(calls).fillna(0).to_numpy(dtype=np.int64)).sum())
    if total > MAX_FREQUENCY_CALLS:
        problems.add(
            "frequencies",
            None,
            None,
            "headway_secs",
            f"the frequency-based trips would expand to {total:,} stop times (more than "
            f"MAX_FREQUENCY_CALLS = {MAX_FREQUENCY_CALLS:,}): check headway_secs",
        )
        return trips, stop_times
    rows_of = stop_times.groupby("trip_id", sort=False).indices
    trip_rows = trips.set_index("trip_id", drop=False)
    new_trips, new_times = [], []
    for row, count in zip(freq.itertuples(index=False), runs, strict=True):
        rows = rows_of[row.trip_id]
        template = stop_times.iloc[rows]
        zero = float(template["departure_s"].iloc[0])
        starts = row.start_s + row.headway_s * np.arange(count)
        ids = np.array([f"{row.trip_id}@{_clock(s)}" for s in starts], dtype=object)
        times = template.iloc[np.tile(np.arange(len(rows)), count)].copy()
        shift = np.repeat(starts - zero, len(rows))
        times["trip_id"] = np.repeat(ids, len(rows))
        times["arrival_s"] = times["arrival_s"].to_numpy() + shift
        times["departure_s"] = times["departure_s"].to_numpy() + shift
        times["arrival_time"] = _clock_texts(times["arrival_s"].to_numpy())
        times["departure_time"] = _clock_texts(times["departure_s"].to_numpy())
        new_times.append(times)
        base = trip_rows.loc[[row.trip_id] * len(ids)].reset_index(drop=True)
        new_trips.append(base.assign(trip_id=ids, frequency_of=row.trip_id))
    templates = set(freq["trip_id"])
    trips = pd.concat([trips[~trips["trip_id"].isin(templates)], *new_trips], ignore_index=True)
    stop_times = pd.concat([stop_times[~stop_times["trip_id"].isin(templates)], *new_times], ignore_index=True)
    trips["frequency_of"] = trips["frequency_of"].fillna("")
    return trips, stop_times


def _clock_texts(seconds: np.ndarray) -> np.ndarray:
    # HH:MM:SS for each value ("" where NaN), formatting each distinct value once.
    codes, uniques = pd.factorize(seconds)
    texts = np.array([_clock(s) for s in uniques] + [""], dtype=object)
    return np.asarray(texts[codes], dtype=object)


def _clock(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"
