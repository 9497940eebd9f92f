"""Timetable modifications: the dated edits that turn a timetable vintage into a scenario's timetable.

The vocabulary follows Conveyal's modification types and the editing functions of R's gtfstools:

- :class:`Retime` (adjust speed): trips running between two stations run faster or slower there; running
  times change, dwell stays;
- :class:`AddTrips` (add trip pattern): new trips from a stop pattern, departures and run times;
- :class:`RemoveTrips` (remove trips): trips of some trains, or through a closed station or link, removed
  (between two dates for a suspension);
- :class:`AdjustDwell` (adjust dwell time): the dwell at a station set;
- :class:`AdjustFrequency` (scale a route's trips): trips between two stations thinned or multiplied.

A modification works on a :class:`TripTable` (trips and their calls, times in seconds after midnight) and
returns a new one. Every trip a modification touches records the modification's id in ``modified_by``; a
re-timed scheduled trip's basis becomes ``re-timed``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from ...errors import RoutingError

__all__ = [
    "BASES",
    "AddTrips",
    "AdjustDwell",
    "AdjustFrequency",
    "Modification",
    "RemoveTrips",
    "Retime",
    "ShiftRuns",
    "TripTable",
    "apply_all",
]

#: What a trip's times rest on.
BASES = ("scheduled", "re-timed", "modelled")

TRIP_COLUMNS = ["trip_id", "route_id", "service_id", "train", "basis", "source", "modified_by"]
CALL_COLUMNS = ["trip_id", "stop_sequence", "stop_id", "station", "arrival_s", "departure_s"]


@dataclass(frozen=True)
class TripTable:
    """Trips and their calls, the material modifications work on.

    Attributes
    ----------
    trips
        One row per trip: ``trip_id``, ``route_id``, ``service_id``, ``train``, ``basis`` (``scheduled``,
        ``re-timed`` or ``modelled``), ``source``, ``modified_by`` (ids of the modifications that touched it,
        ``;``-separated) and any other column of the feed.
    calls
        One row per call, sorted by trip and ``stop_sequence`` (int): ``trip_id``, ``stop_sequence``,
        ``stop_id``, ``station`` (the routing key), ``arrival_s``, ``departure_s`` (float seconds; NaN for an
        untimed call) and any other column.
    """

    trips: pd.DataFrame
    calls: pd.DataFrame

    @staticmethod
    def empty() -> TripTable:
        """Return a table with no trips."""
        return TripTable(pd.DataFrame(columns=TRIP_COLUMNS), pd.DataFrame(columns=CALL_COLUMNS))

    def stations_of(self) -> pd.Series:
        """Return the ordered stations of each trip (timed calls only), by trip id."""
        timed = self.calls[np.isfinite(self.calls["arrival_s"].astype(float))]
        return timed.groupby("trip_id", sort=False)["station"].agg(tuple)

    def touched(self, trip_ids: set[str], mod_id: str, *, basis: str | None = None) -> TripTable:
        """Return the table with ``mod_id`` recorded on some trips (and their basis changed, if given)."""
        trips = self.trips.copy()
        hit = trips["trip_id"].isin(trip_ids)
        trips.loc[hit, "modified_by"] = [_add_id(v, mod_id) for v in trips.loc[hit, "modified_by"]]
        if basis is not None:
            # A modelled trip stays modelled: re-timing an estimate leaves an estimate.
            trips.loc[hit & (trips["basis"] == "scheduled"), "basis"] = basis
        return TripTable(trips, self.calls)


def _add_id(current: object, mod_id: str) -> str:
    text = "" if current is None or (isinstance(current, float) and math.isnan(current)) else str(current)
    ids = [x for x in text.split(";") if x]
    return ";".join([*ids, mod_id]) if mod_id not in ids else text


@dataclass(frozen=True)
class Modification:
    """What every modification has: an id, the date it takes effect, a source and a one-line description."""

    id: str
    date: object = None
    source: str = ""
    title: str = ""

    def apply(self, table: TripTable) -> TripTable:  # pragma: no cover - every subclass overrides it
        """Return the table with this modification applied."""
        raise NotImplementedError


def _spans(table: TripTable, a: str, b: str, *, both: bool) -> pd.DataFrame:
    """Per trip calling at ``a`` then ``b`` (or ``b`` then ``a`` when ``both``): the call positions of the span.

    Columns: ``trip_id``, ``start``, ``end`` (row positions in ``table.calls``, inclusive). A trip calling at a
    station twice uses its first call there.
    """
    calls = table.calls
    station = calls["station"].astype(str).to_numpy()
    trip = calls["trip_id"].astype(str).to_numpy()
    pos = np.arange(len(calls))
    first: dict[str, pd.Series] = {}
    for name in (a, b):
        hit = station == name
        first[name] = pd.Series(pos[hit], index=trip[hit]).groupby(level=0, sort=False).min()
    frames = []
    for x, y in ((a, b), (b, a)) if both else ((a, b),):
        joined = pd.concat([first[x].rename("start"), first[y].rename("end")], axis=1, join="inner")
        joined = joined[joined["start"] < joined["end"]]
        frames.append(joined.rename_axis("trip_id").reset_index())
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["trip_id", "start", "end"])
    return out.astype({"start": np.int64, "end": np.int64})[["trip_id", "start", "end"]]


def _span_parts(calls: pd.DataFrame, start: int, end: int) -> tuple[float, float]:
    """Return the running and dwell seconds of one span (timed calls only)."""
    arr = calls["arrival_s"].to_numpy(dtype=float)[start : end + 1]
    dep = calls["departure_s"].to_numpy(dtype=float)[start : end + 1]
    timed = np.isfinite(arr) & np.isfinite(dep)
    arr, dep = arr[timed], dep[timed]
    run = float(np.sum(arr[1:] - dep[:-1]))
    dwell = float(np.sum(dep[1:-1] - arr[1:-1])) if len(arr) > 2 else 0.0
    return run, dwell


def _scale_span(arr: np.ndarray, dep: np.ndarray, start: int, end: int, factor: float, stop: int) -> None:
    """Scale the running times of calls ``start..end`` by ``factor`` in place; shift later calls to ``stop``."""
    shift = 0.0
    last_dep = dep[start]
    new_last_dep = dep[start]
    for k in range(start + 1, stop + 1):
        if not math.isfinite(arr[k]):
            continue
        if k <= end:
            run = arr[k] - last_dep
            last_dep = dep[k]
            new_arr = new_last_dep + run * factor
            shift = new_arr - arr[k]
            arr[k] = new_arr
            dep[k] += shift
            new_last_dep = dep[k]
        else:
            arr[k] += shift
            dep[k] += shift


def _trip_ends(calls: pd.DataFrame) -> dict[str, int]:
    """Last row position of each trip in the calls."""
    last = pd.Series(np.arange(len(calls)), index=calls.index).groupby(calls["trip_id"].to_numpy(), sort=False).max()
    return {str(k): int(v) for k, v in last.items()}


@dataclass(frozen=True)
class Retime(Modification):
    """Trips between two stations run at new speeds there: running times change, dwell stays.

    Give ``factor`` (running time multiplied by it) or ``fastest_min`` (the published fastest time between the
    two stations: every affected trip's running time is scaled by the one factor that makes the fastest of
    them take that long, dwell included). ``both`` applies it in both directions.
    """

    between: tuple[str, str] = ("", "")
    factor: float | None = None
    fastest_min: float | None = None
    both: bool = True

    def factor_for(self, table: TripTable, spans: pd.DataFrame | None = None) -> float:
        """Return the running-time factor this re-time applies to ``table`` (1.0 when no trip is affected).

        ``spans`` are the affected spans (:func:`_spans`) when the caller has them already.
        """
        if self.factor is not None:
            return float(self.factor)
        if spans is None:
            spans = _spans(table, *self.between, both=self.both)
        if spans.empty or self.fastest_min is None:
            return 1.0
        parts = [_span_parts(table.calls, s, e) for s, e in zip(spans["start"], spans["end"], strict=True)]
        run = np.array([p[0] for p in parts])
        dwell = np.array([p[1] for p in parts])
        target = float(self.fastest_min) * 60.0
        ok = run > 0
        if not ok.any() or target <= float(np.min(dwell[ok])):
            raise RoutingError(
                f"timetable change {self.id!r}: a fastest time of {self.fastest_min} min between "
                f"{self.between[0]} and {self.between[1]} leaves no running time after the dwell"
            )
        # min_i(dwell_i + f * run_i) grows with f: solve min(...) == target by bisection.
        lo, hi = 0.0, 10.0
        for _ in range(60):
            mid = (lo + hi) / 2
            if float(np.min(dwell[ok] + mid * run[ok])) < target:
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2

    def apply(self, table: TripTable) -> TripTable:
        """Return the table with the trips between the two stations re-timed."""
        spans = _spans(table, *self.between, both=self.both)
        factor = self.factor_for(table, spans)
        if not math.isfinite(factor) or factor <= 0:
            raise RoutingError(f"timetable change {self.id!r}: the running-time factor must be positive")
        if spans.empty or factor == 1.0:
            return table
        calls = table.calls.copy()
        arr = calls["arrival_s"].to_numpy(dtype=float).copy()
        dep = calls["departure_s"].to_numpy(dtype=float).copy()
        ends = _trip_ends(calls)
        for trip_id, start, end in spans.itertuples(index=False):
            _scale_span(arr, dep, int(start), int(end), factor, ends[str(trip_id)])
        calls["arrival_s"], calls["departure_s"] = arr, dep
        return TripTable(table.trips, calls).touched(set(spans["trip_id"]), self.id, basis="re-timed")


@dataclass(frozen=True)
class AddTrips(Modification):
    """New trips from a stop pattern.

    Attributes
    ----------
    stops
        Stations in calling order.
    departures
        Departure seconds from the first stop, one per trip.
    run_s
        Running seconds between consecutive stops (one fewer than ``stops``).
    dwell_s
        Dwell seconds at each intermediate stop.
    trains
        Train names, one per departure (default ``<id>#<n>``).
    basis
        ``modelled`` for trips generated from a pattern, ``scheduled`` for published departures and run times.
    service
        The network service the trips stand for, if any.
    mode
        ``hsr`` or ``rail``: which trip mode's questions the trips answer.
    """

    stops: tuple[str, ...] = ()
    departures: tuple[float, ...] = ()
    run_s: tuple[float, ...] = ()
    dwell_s: float = 0.0
    trains: tuple[str, ...] = ()
    basis: str = "modelled"
    service: str = ""
    route_id: str = "modelled"
    mode: str = "hsr"

    def apply(self, table: TripTable) -> TripTable:
        """Return the table with the pattern's trips added."""
        trips, calls = self.rows()
        if not trips:
            return table
        new_trips = pd.concat([table.trips, pd.DataFrame(trips)], ignore_index=True)
        new_calls = pd.concat([table.calls, pd.DataFrame(calls)], ignore_index=True)
        return TripTable(new_trips, new_calls)

    def rows(self) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
        """Return the new trips and their calls, as records."""
        if len(self.stops) < 2 or len(self.run_s) != len(self.stops) - 1:
            raise RoutingError(f"timetable change {self.id!r}: a pattern needs 2+ stops and a run time between each")
        if any(not math.isfinite(r) or r <= 0 for r in self.run_s):
            raise RoutingError(f"timetable change {self.id!r}: run times must be positive")
        trips: list[dict[str, object]] = []
        calls: list[dict[str, object]] = []
        for k, start in enumerate(self.departures):
            train = self.trains[k] if k < len(self.trains) else f"{self.id}#{k + 1}"
            trip_id = f"{self.id}:{k + 1}"
            trips.append(
                {
                    "trip_id": trip_id,
                    "route_id": self.route_id,
                    "service_id": "modelled" if self.basis == "modelled" else self.id,
                    "train": train,
                    "trip_short_name": train,
                    "basis": self.basis,
                    "source": self.source,
                    "modified_by": self.id,
                    "service": self.service,
                    "mode": self.mode,
                }
            )
            t = float(start)
            for i, stop in enumerate(self.stops):
                dwell = self.dwell_s if 0 < i < len(self.stops) - 1 else 0.0
                calls.append(
                    {
                        "trip_id": trip_id,
                        "stop_sequence": i + 1,
                        "stop_id": stop,
                        "station": stop,
                        "arrival_s": t,
                        "departure_s": t + dwell,
                        "time_basis": "estimate: modelled" if self.basis == "modelled" else "scheduled",
                    }
                )
                if i < len(self.run_s):
                    t += dwell + self.run_s[i]
        return trips, calls


def trips_over(table: TripTable, pairs: set[tuple[str, str]]) -> set[str]:
    """Return the trip ids with two consecutive timed calls forming one of ``pairs`` (ordered)."""
    timed = table.calls[np.isfinite(table.calls["arrival_s"].astype(float))]
    st = timed["station"].astype(str).to_numpy()
    tr = timed["trip_id"].to_numpy()
    return {str(t) for a, b, t, t2 in zip(st[:-1], st[1:], tr[:-1], tr[1:], strict=True) if t == t2 and (a, b) in pairs}


def _select(
    table: TripTable, *, trains: Sequence[str], between: tuple[str, str] | None, stations: Sequence[str]
) -> set[str]:
    """Trip ids matching every given selector: train numbers, a station pair run between, stations called at."""
    chosen = set(table.trips["trip_id"])
    if trains:
        wanted = {str(t).upper() for t in trains}
        chosen &= set(table.trips.loc[table.trips["train"].astype(str).str.upper().isin(wanted), "trip_id"])
    if between is not None:
        chosen &= set(_spans(table, *between, both=True)["trip_id"])
    if stations:
        at = table.calls[table.calls["station"].isin(set(stations))]["trip_id"]
        chosen &= set(at)
    return chosen


@dataclass(frozen=True)
class RemoveTrips(Modification):
    """Trips removed: those of some trains, running between two stations, or calling at some stations.

    The selectors combine (a trip must match each one given); ``trip_ids`` names trips directly, ``over`` the
    station pairs of a closed link (trips running between two consecutive calls over it). A suspension is a
    removal with an ``until`` date, after which the trips run again (the scenario decides which apply).
    """

    trains: tuple[str, ...] = ()
    between: tuple[str, str] | None = None
    stations: tuple[str, ...] = ()
    trip_ids: frozenset[str] = frozenset()
    until: object = None
    over: frozenset[tuple[str, str]] = frozenset()

    def selected(self, table: TripTable) -> set[str]:
        """Return the trip ids this removal takes away."""
        if self.trip_ids:
            return set(self.trip_ids) & set(table.trips["trip_id"])
        if self.over:  # a closed link: every trip running between two consecutive calls over it
            return trips_over(table, set(self.over))
        if not (self.trains or self.between or self.stations):
            raise RoutingError(f"timetable change {self.id!r}: a removal names trains, a station pair or stations")
        return _select(table, trains=self.trains, between=self.between, stations=self.stations)

    def apply(self, table: TripTable) -> TripTable:
        """Return the table without the selected trips."""
        gone = self.selected(table)
        if not gone:
            return table
        return TripTable(
            table.trips[~table.trips["trip_id"].isin(gone)].reset_index(drop=True),
            table.calls[~table.calls["trip_id"].isin(gone)].reset_index(drop=True),
        )


@dataclass(frozen=True)
class AdjustDwell(Modification):
    """The dwell at a station set to ``dwell_s`` for the trips that call there (not at their ends)."""

    station: str = ""
    dwell_s: float = 0.0
    trains: tuple[str, ...] = ()

    def apply(self, table: TripTable) -> TripTable:
        """Return the table with the dwell changed and every later call of each trip shifted."""
        if not math.isfinite(self.dwell_s) or self.dwell_s < 0:
            raise RoutingError(f"timetable change {self.id!r}: dwell must be zero or more seconds")
        calls = table.calls.copy()
        arr = calls["arrival_s"].to_numpy(dtype=float).copy()
        dep = calls["departure_s"].to_numpy(dtype=float).copy()
        trips = calls["trip_id"].to_numpy()
        station = calls["station"].to_numpy()
        chosen = _select(table, trains=self.trains, between=None, stations=(self.station,))
        ends = _trip_ends(calls)
        firsts = {t: i for i, t in reversed(list(enumerate(trips)))}
        touched: set[str] = set()
        for k in np.flatnonzero(station == self.station):
            trip = str(trips[k])
            if trip not in chosen or k == firsts[trip] or k == ends[trip] or not math.isfinite(arr[k]):
                continue
            shift = self.dwell_s - (dep[k] - arr[k])
            dep[k] += shift
            arr[k + 1 : ends[trip] + 1] += shift
            dep[k + 1 : ends[trip] + 1] += shift
            touched.add(trip)
        calls["arrival_s"], calls["departure_s"] = arr, dep
        return TripTable(table.trips, calls).touched(touched, self.id, basis="re-timed")


@dataclass(frozen=True)
class AdjustFrequency(Modification):
    """The trips running between two stations scaled by ``factor``.

    Below 1, trips are kept evenly through the day (every ``1/factor``-th by departure); above 1, each trip is
    joined by copies departing between it and the next one (modelled trips).
    """

    between: tuple[str, str] = ("", "")
    factor: float = 1.0
    trains: tuple[str, ...] = ()
    per_day: float | None = None

    def apply(self, table: TripTable) -> TripTable:
        """Return the table with the trips thinned or multiplied (to ``per_day`` each way, when given)."""
        chosen = _select(table, trains=self.trains, between=self.between, stations=())
        factor = self.factor
        if self.per_day is not None and chosen:
            one_way = len(_spans(table, *self.between, both=False)) or len(chosen)
            factor = float(self.per_day) / one_way
        if not math.isfinite(factor) or factor <= 0:
            raise RoutingError(f"timetable change {self.id!r}: a frequency factor must be positive")
        if not chosen or factor == 1.0:
            return table
        if factor != self.factor:
            return replace(self, factor=factor, per_day=None).apply(table)
        first = table.calls[table.calls["trip_id"].isin(chosen)].groupby("trip_id", sort=False)["departure_s"].min()
        order = first.sort_values(kind="stable")
        if self.factor < 1:
            n_keep = max(1, round(len(order) * self.factor))
            keep_pos = np.unique(np.floor(np.arange(n_keep) * len(order) / n_keep).astype(int))
            gone = set(order.index) - set(order.index[keep_pos])
            return RemoveTrips(id=self.id, trip_ids=frozenset(gone)).apply(table)
        return _multiply(table, order, self)


def _multiply(table: TripTable, order: pd.Series, mod: AdjustFrequency) -> TripTable:
    """Make copies of trips departing evenly between each trip and the next (modelled)."""
    copies = math.ceil(mod.factor) - 1
    extra = round(len(order) * (mod.factor - 1))
    starts = order.to_numpy(dtype=float)
    gaps = np.diff(np.append(starts, starts[-1] + (starts[-1] - starts[0]) / max(len(starts) - 1, 1)))
    picks: list[tuple[str, int, float]] = []
    for i, trip_id in enumerate(order.index):
        for c in range(min(copies, extra - len(picks))):
            picks.append((str(trip_id), c + 1, float(gaps[i] * (c + 1) / (copies + 1))))
    if not picks:
        return table
    source_ids = [p[0] for p in picks]
    new_ids = [f"{t}@{mod.id}{c}" for t, c, _ in picks]
    trips = table.trips.set_index("trip_id", drop=False).loc[source_ids].reset_index(drop=True)
    trips["train"] = [f"{train}+{c}" for train, (_, c, _) in zip(trips["train"], picks, strict=True)]
    trips["trip_id"], trips["basis"], trips["modified_by"] = new_ids, "modelled", mod.id
    groups = table.calls.groupby("trip_id", sort=False).indices
    rows = [groups[t] for t in source_ids]
    calls = table.calls.iloc[np.concatenate(rows)].copy()
    sizes = [len(r) for r in rows]
    calls["trip_id"] = np.repeat(new_ids, sizes)
    shift = np.repeat([p[2] for p in picks], sizes)
    calls["arrival_s"] = calls["arrival_s"].astype(float).to_numpy() + shift
    calls["departure_s"] = calls["departure_s"].astype(float).to_numpy() + shift
    return TripTable(
        pd.concat([table.trips, trips], ignore_index=True),
        pd.concat([table.calls, calls], ignore_index=True),
    )


def apply_all(table: TripTable, modifications: Sequence[Modification]) -> TripTable:
    """Apply modifications in the order given (callers sort them by date).

    Examples
    --------
    >>> t = TripTable.empty()
    >>> add = AddTrips(id="p", stops=("a", "b"), departures=(3600.0,), run_s=(600.0,))
    >>> out = apply_all(t, [add, Retime(id="r", between=("a", "b"), factor=0.5)])
    >>> out.calls["arrival_s"].tolist()
    [3600.0, 3900.0]
    """
    pending: tuple[list[dict[str, object]], list[dict[str, object]]] = ([], [])
    for mod in modifications:
        if isinstance(mod, AddTrips):  # runs of added patterns join the table at once
            trips, calls = mod.rows()
            pending[0].extend(trips)
            pending[1].extend(calls)
            continue
        table = _flush(table, pending)
        pending = ([], [])
        table = mod.apply(table)
    return _flush(table, pending)


def _flush(table: TripTable, pending: tuple[list[dict[str, object]], list[dict[str, object]]]) -> TripTable:
    if not pending[0]:
        return table
    return TripTable(
        pd.concat([table.trips, pd.DataFrame(pending[0])], ignore_index=True),
        pd.concat([table.calls, pd.DataFrame(pending[1])], ignore_index=True),
    )


@dataclass(frozen=True)
class ShiftRuns(Modification):
    """Running times between consecutive calls changed by a number of seconds per station pair.

    ``deltas`` maps an ordered pair ``(a, b)`` to the seconds added to a run from ``a`` to ``b`` (a link's
    speed changed: its new running time less its old one, over the links of the run); every later call of the
    trip shifts by the same amount. Dwell stays.
    """

    deltas: tuple[tuple[str, str, float], ...] = ()

    def apply(self, table: TripTable) -> TripTable:
        """Return the table with the runs over the changed pairs re-timed."""
        delta = {(a, b): float(s) for a, b, s in self.deltas if s}
        if not delta:
            return table
        calls = table.calls.copy()
        arr = calls["arrival_s"].to_numpy(dtype=float).copy()
        dep = calls["departure_s"].to_numpy(dtype=float).copy()
        station = calls["station"].to_numpy()
        trip = calls["trip_id"].to_numpy()
        touched: set[str] = set()
        shift, last = 0.0, -1
        for k in range(len(calls)):
            if k == 0 or trip[k] != trip[k - 1]:
                shift, last = 0.0, -1
            if not math.isfinite(arr[k]):
                continue
            if last >= 0:
                step = delta.get((str(station[last]), str(station[k])), 0.0)
                if step:
                    # Never shorter than a minute: a faster link cannot make a run vanish.
                    run = arr[k] + shift - dep[last]
                    step = max(step, 60.0 - run) if run + step < 60.0 else step
                    shift += step
                    touched.add(str(trip[k]))
            arr[k] += shift
            dep[k] += shift
            last = k
        calls["arrival_s"], calls["departure_s"] = arr, dep
        return TripTable(table.trips, calls).touched(touched, self.id, basis="re-timed")
