"""Timetable routing: each scenario's timed trips (scheduled or modelled) and a Connection Scan over them.

A scenario's timetable (:func:`scenario_timetable`) is the bundled GTFS feed's trips of the vintage valid on the
scenario's date (per agency; past the newest vintage, the newest), plus a *modelled* trip for every train of each
service the timetable does not represent (a planned line such as 长赣, a service opened after the vintage, any
scenario override): first train at the start of the service day, then one every headway, over the frequency
model's run times and dwells. Every trip carries ``basis`` ``scheduled`` or ``modelled``.

The router (:class:`TimedRouter`) compiles the trips into *connections* (one per ride between consecutive timed
calls) held in numpy arrays sorted by departure, and scans them once per query (the Connection Scan Algorithm):
a connection is usable if the traveller is already on its trip, or stands at its station by its departure —
after the station's minimum transfer time when they arrived by train. A profile (every departure in a window) is
one scan per departure of the origin, compiled with numba.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import re
import warnings
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, TypeAlias

import numpy as np
import pandas as pd

from .. import _cache
from ..errors import RoutingError
from ..network import Network
from ..scenario import Scenario
from ._gtfs import Timetable, format_time, read_timetable
from ._modify import TripTable, apply_all
from ._supply import scenario_supply

__all__ = [
    "DEFAULT_STATISTIC",
    "SERVICE_DAY_START",
    "Journey",
    "ScenarioTimetable",
    "TimedRouter",
    "dispatch",
    "get_timed_router",
    "journeys",
    "parse_departure",
    "parse_statistic",
    "scenario_timetable",
]

#: Start of the service day (06:00): modelled trips start here. ``service_day_hours`` (17 h in the bundled
#: parameters, "HSR service runs roughly 06:00–23:00") gives its length.
SERVICE_DAY_START = 6 * 3600
#: One day in seconds.
DAY_S = 24 * 3600
#: How long after a departure a profile scan looks for arrivals: a day and a half (a late train, the night, the
#: next day's trains).
PROFILE_HORIZON_S = 36 * 3600
#: Profiles a router keeps (each a departures × stations array of arrivals).
PROFILES_KEPT = 64
#: "Never", in seconds: far beyond any arrival and safe to add a day to (also used by the kernels in _csa).
_INF = np.iinfo(np.int64).max // 4
_HSR_CLASS = re.compile(r"^[GDC]\d")
_HSR_WORDS = ("高速", "动车", "動車", "城际", "城際", "high speed", "high-speed")
Departure: TypeAlias = "str | float | dt.time | tuple[Any, Any] | None"
#: The statistic when no departure is given: the fastest journey departing within the service day (what the
#: plan's goals judge). With a departure window and no statistic, :data:`DEFAULT_STATISTIC` (the median).
DEFAULT_ANSWER = "fastest"


# -- departures and statistics --------------------------------------------------------------------------------


def _clock(value: Any) -> int:
    """Parse a clock time as seconds: ``"07:30"``, ``"25:10"``, ``"07:30:15"``, a datetime.time or minutes."""
    if isinstance(value, dt.time):
        return value.hour * 3600 + value.minute * 60 + value.second
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) and value >= 0:
        return round(float(value) * 60)
    if isinstance(value, str):
        m = re.fullmatch(r"\s*(\d{1,2}):([0-5]\d)(?::([0-5]\d))?\s*", value)
        if m:
            return int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0)
    raise RoutingError(
        f"departure {value!r} is not a time: give 'HH:MM' (past 24:00 allowed), a datetime.time, minutes after "
        "midnight, or a window such as ('06:00', '22:00')"
    )


def parse_departure(departure: Departure) -> tuple[int, int]:
    """Parse a departure time or window as ``(first, last)`` seconds after midnight (equal for a single time).

    Examples
    --------
    >>> parse_departure("07:30")
    (27000, 27000)
    >>> parse_departure(("06:00", "22:00"))
    (21600, 79200)
    """
    if isinstance(departure, (tuple, list)):
        if len(departure) != 2:
            raise RoutingError(f"a departure window has two times, got {departure!r}")
        first, last = _clock(departure[0]), _clock(departure[1])
        if last < first:
            raise RoutingError(f"departure window {departure!r} ends before it starts")
        return first, last
    t = _clock(departure)
    return t, t


def parse_statistic(statistic: str) -> float | None:
    """``"fastest"`` → None; ``"median"`` → 50; ``"p80"`` → 80 (a percentile over departure minutes).

    Examples
    --------
    >>> parse_statistic("p80"), parse_statistic("median"), parse_statistic("fastest")
    (80.0, 50.0, None)
    """
    if statistic == "fastest":
        return None
    if statistic == "median":
        return 50.0
    m = re.fullmatch(r"p(\d{1,2}(?:\.\d+)?|100)", str(statistic))
    if m:
        return float(m.group(1))
    raise RoutingError(f"statistic {statistic!r}: use 'fastest', 'median' or a percentile such as 'p80'")


# -- the scenario's timetable ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8)
def _bundled(folder: str, stamp: float) -> Timetable | None:
    del stamp  # part of the cache key: a rewritten feed is read again
    from ..network import load_network

    path = Path(folder) / "timetable"
    if not (path / "trips.txt").is_file():
        return None
    return read_timetable(path, network=load_network(folder, warn=False))


def network_timetable(network: Network) -> Timetable | None:
    """Return a network's timetable vintages as one feed, or None without any.

    The data folder's (``timetable/``) and every feed registered with :func:`pxnet.add_timetable`.
    """
    from ._vintages import merged, registered_timetables

    trips = network.folder / "timetable" / "trips.txt"
    shipped = _bundled(str(network.folder), trips.stat().st_mtime) if trips.is_file() else None
    extra = registered_timetables(network)
    if not extra:
        return shipped
    key = ("merged timetable", id(shipped), tuple(id(t) for t in extra))
    return _cache.memo(network, "timetable vintages", maxsize=4).get(key, lambda: merged(shipped, extra))


@dataclass(frozen=True)
class ScenarioTimetable:
    """The timed trips a scenario runs, and how they were made.

    Attributes
    ----------
    timetable
        The trips as a :class:`~pxnet.routing.Timetable` (``trips.basis``: ``scheduled``, ``re-timed`` or
        ``modelled``; ``trips.modified_by``: the ids of the modifications that touched each trip);
        :func:`pxnet.to_gtfs` writes it.
    vintages
        One row per scheduled service id used: ``service_id``, ``start``, ``end``, ``vintage``, ``agencies``,
        ``how`` (``valid`` on the scenario's date, ``newest`` when the date is past it, ``back-cast`` when it is
        before the oldest).
    modelled
        The services turned into modelled trips, with ``why`` (no timetable for it, opened after the vintage).
    modifications
        The modifications applied, in order: ``id``, ``kind``, ``date``, ``title``, ``source``, ``trips`` (how
        many trips carry the id).
    basis
        One sentence for a verdict: which vintage, and which modifications.
    """

    timetable: Timetable
    vintages: pd.DataFrame
    modelled: pd.DataFrame
    basis: str
    modifications: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Identifies the trips (scenarios of other dates with the same trips share it, and their compiled arrays).
    trips_key: Any = field(default=None, compare=False, repr=False)


def _with_extra_stops(scenario: Scenario, stops: pd.DataFrame, all_times: pd.DataFrame) -> pd.DataFrame:
    # The feed's stops plus the network stations that only modelled trips call at.
    extra_stops = sorted(set(all_times["stop_id"]) - set(stops["stop_id"]))
    if not extra_stops:
        return stops
    names = scenario.network.nodes["name_zh"]
    add = pd.DataFrame(
        {
            "stop_id": extra_stops,
            "stop_name": [names.get(s, s) for s in extra_stops],
            "stop_lat": [f"{scenario.network.nodes.at[s, 'lat']:.6f}" for s in extra_stops],
            "stop_lon": [f"{scenario.network.nodes.at[s, 'lon']:.6f}" for s in extra_stops],
            "station": extra_stops,
            "matched_by": "node_id",
        }
    )
    if "node_id" in stops:
        add["node_id"] = extra_stops
    return pd.concat([stops, add], ignore_index=True).fillna("")


def _feed_tables(
    base: Timetable | None, ids: set[str], date: dt.date, *, modelled_trips: bool
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    # calendar, routes and agency: the feed's, plus pxnet's modelled service, route and agency when modelled
    # trips run.
    calendar = base.calendar[base.calendar["service_id"].isin(ids)] if base is not None else pd.DataFrame()
    routes = base.routes if base is not None else pd.DataFrame(columns=["route_id", "agency_id", "route_type"])
    agency = base.agency if base is not None else pd.DataFrame()
    if modelled_trips:
        stamp = date.strftime("%Y%m%d")
        row = {"service_id": "modelled", **{d: "1" for d in _DAY_NAMES}, "start_date": stamp, "end_date": stamp}
        calendar = pd.concat([calendar, pd.DataFrame([row])], ignore_index=True).fillna("")
        routes = pd.concat([routes, pd.DataFrame([_MODELLED_ROUTE])], ignore_index=True).fillna("")
        agency = pd.concat([agency, pd.DataFrame([_MODELLED_AGENCY])], ignore_index=True).fillna("")
    return calendar, routes, agency


def timetable_changes(network: Network) -> list[tuple[dt.date, Any]]:
    """Return the network's dated timetable changes as modifications (``timetable/changes.yaml``; none without it)."""
    from ._changes import logged_changes

    return logged_changes(network)


def _to_minutes(table: TripTable) -> TripTable:
    """Re-timed and modelled times rounded to the minute, as a published timetable gives them."""
    estimated = set(table.trips.loc[table.trips["basis"] != "scheduled", "trip_id"])
    if not estimated:
        return table
    calls = table.calls.copy()
    hit = calls["trip_id"].isin(estimated).to_numpy()
    for column in ("arrival_s", "departure_s"):
        values = calls[column].to_numpy(dtype=float).copy()
        values[hit] = np.round(values[hit] / 60.0) * 60.0
        calls[column] = values
    return TripTable(table.trips, calls)


def _modification_rows(mods: Sequence[Any], trips: pd.DataFrame) -> pd.DataFrame:
    counts: dict[str, int] = {}
    for text in trips["modified_by"].astype(str):
        for mod_id in filter(None, text.split(";")):
            counts[mod_id] = counts.get(mod_id, 0) + 1
    rows = [
        {
            "id": m.id,
            "kind": type(m).__name__,
            "date": m.date,
            "title": m.title,
            "source": m.source,
            "trips": counts.get(m.id, 0),
        }
        for m in mods
    ]
    return pd.DataFrame(rows, columns=["id", "kind", "date", "title", "source", "trips"])


def scenario_timetable(
    scenario: Any,
    *,
    timetable: Timetable | str | Path | None = None,
    modelled: bool = True,
    network: Network | None = None,
) -> ScenarioTimetable:
    """Return the timed trips of a scenario: a timetable vintage with the modifications of its date applied.

    Per agency of the feed, the service ids running on the scenario's date are used; past the newest period the
    newest, before the oldest the oldest (back-cast). The network's dated timetable changes between the vintage
    and the date are applied in date order (undone, where they can be, when back-casting), then what the
    scenario's network changed since the vintage: trips over links not open on the date are removed, runs over
    links with a new running time re-timed. Services the trips do not represent become modelled trips from
    their pattern. See :mod:`pxnet.routing._supply` and ``docs/methods.md``.

    Parameters
    ----------
    scenario
        A scenario, a scenario name or a year.
    timetable
        A feed (or its path) to use instead of the network's timetable vintages.
    modelled
        ``False``: the scheduled (and re-timed) trips alone (the services they do not represent are still listed).
    network
        The network of a scenario given by name or year (default: the bundled one).

    Examples
    --------
    >>> import pxnet
    >>> st = scenario_timetable(2020)
    >>> st.vintages[["service_id", "how"]].values.tolist()
    [['cr_boards_2020', 'valid'], ['xrl2026_normal', 'back-cast']]
    """
    from ..scenario import resolve

    scenario = resolve(scenario, network)
    if isinstance(timetable, (str, Path)):
        timetable = read_timetable(timetable, network=scenario.network)
    tt = timetable if timetable is not None else network_timetable(scenario.network)
    changes = timetable_changes(scenario.network) if timetable is None else []
    supply = scenario_supply(scenario, tt, changes=changes, start_s=SERVICE_DAY_START, modelled=modelled)
    whole = ("timetable", id(tt), scenario.date, tuple(supply.vintages["service_id"]), supply.modifications, modelled)
    return _cache.memo(scenario.network, "scenario timetables", maxsize=32).get(
        whole, lambda: _assemble(scenario, tt, supply, modelled=modelled)
    )


def _assemble(scenario: Scenario, tt: Timetable | None, supply: Any, *, modelled: bool) -> ScenarioTimetable:
    """Return the scenario's timetable from its vintage and modifications (see :func:`scenario_timetable`)."""
    # Scenarios that differ elsewhere (a road project, a parameter) share the trips: made once per network.
    key = ("trips", id(tt), tuple(supply.vintages["service_id"]), supply.modifications)
    memo = _cache.memo(scenario.network, "scenario trips", maxsize=32)
    rest = supply.modifications[supply.n_dated :]
    table = memo.get(key, lambda: _to_minutes(apply_all(supply.dated, rest)))
    if not modelled:  # the published trains alone: no trip generated from a pattern, logged or of a service
        table = TripTable(
            table.trips[table.trips["basis"] != "modelled"],
            table.calls[
                table.calls["trip_id"].isin(set(table.trips.loc[table.trips["basis"] != "modelled", "trip_id"]))
            ],
        )
    trips = table.trips.copy()
    calls = table.calls.drop(columns=["station"]).copy()
    calls["stop_sequence"] = calls["stop_sequence"].astype(int).astype(str)
    has_modelled = bool((trips["basis"] == "modelled").any()) if len(trips) else False
    stops = tt.stops if tt is not None else pd.DataFrame(columns=["stop_id", "stop_name", "station", "matched_by"])
    stops = _with_extra_stops(scenario, stops, calls)
    ids = set(supply.vintages["service_id"])
    calendar, routes, agency = _feed_tables(tt, ids, scenario.date, modelled_trips=has_modelled)
    mods = _modification_rows(supply.modifications, trips)
    feed = Timetable(
        agency=agency,
        stops=stops,
        routes=routes,
        trips=trips.fillna("").reset_index(drop=True),
        stop_times=_times_text(calls).reset_index(drop=True),
        calendar=calendar,
        calendar_dates=pd.DataFrame(columns=["service_id", "date", "exception_type"]),
        feed_info=tt.feed_info if tt is not None else pd.DataFrame(),
        source=f"scenario {scenario.name}",
        **({"transfers": tt.transfers} if tt is not None and hasattr(tt, "transfers") else {}),
    )
    basis = _basis_text(scenario, supply.vintages, supply.modelled if modelled else supply.modelled.iloc[:0], mods)
    return ScenarioTimetable(feed, supply.vintages, supply.modelled, basis, mods, key)


_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MODELLED_ROUTE = {
    "route_id": "modelled",
    "agency_id": "pxnet",
    "route_short_name": "modelled",
    "route_long_name": "modelled trains (pxnet service patterns)",
    "route_type": "2",
}
_MODELLED_AGENCY = {
    "agency_id": "pxnet",
    "agency_name": "pxnet modelled services",
    "agency_url": "https://github.com/pxnet/pxnet",
    "agency_timezone": "Asia/Shanghai",
}


def _times_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column, secs in (("arrival_time", "arrival_s"), ("departure_time", "departure_s")):
        text = [format_time(s) if isinstance(s, float) and math.isfinite(s) else "" for s in out[secs]]
        out[column] = text
    # An untimed call keeps NaN seconds (the router rides through it); text columns read empty.
    seconds = ["arrival_s", "departure_s"]
    text_columns = [c for c in out.columns if c not in seconds]
    out[text_columns] = out[text_columns].fillna("")
    return out


def _basis_text(scenario: Scenario, vintages: pd.DataFrame, modelled: pd.DataFrame, mods: pd.DataFrame) -> str:
    parts = []
    for (vintage, how), group in vintages.groupby(["vintage", "how"], sort=True):
        ids = ", ".join(group["service_id"])
        if how == "valid":
            parts.append(f"scheduled: {vintage} ({ids}), valid on {scenario.date.isoformat()}")
        elif how == "newest":
            parts.append(f"scheduled: newest timetable {vintage} ({ids}, to {max(group['end']).isoformat()})")
        else:
            parts.append(
                f"scheduled: oldest timetable {vintage} ({ids}, from {min(group['start']).isoformat()}), back-cast"
            )
    changed = mods[~mods["id"].str.startswith("modelled:")] if len(mods) else mods
    if len(changed):
        parts.append(
            "modified: "
            + ", ".join(
                f"{r.id} ({'removes trips' if r.kind == 'RemoveTrips' else f'{r.trips} trips'})"
                for r in changed.itertuples()
            )
        )
    if len(modelled):
        parts.append(f"modelled: {len(modelled)} service(s) with no timetable ({', '.join(modelled['service'])})")
    return "; ".join(parts) or "no trips"


# -- the compiled router -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Leg:
    """One train of a journey."""

    train: str
    trip_id: str
    basis: str
    from_station: str
    to_station: str
    departure: int
    arrival: int
    modified_by: str = ""


@dataclass(frozen=True)
class Journey:
    """A journey found by the timetable router (times in seconds after midnight of the service day)."""

    departure: int
    arrival: int
    legs: tuple[Leg, ...]

    @property
    def minutes(self) -> float:
        """Door (or platform) to door minutes."""
        return (self.arrival - self.departure) / 60.0

    @property
    def changes(self) -> int:
        """Changes of train."""
        return max(0, len(self.legs) - 1)


@dataclass
class TimedRouter:
    """A scenario's timed trips compiled to connection arrays, for one trip mode (``hsr`` or ``rail``).

    Parameters are built by :func:`get_timed_router`; the arrays are sorted by departure time.
    """

    scenario: Scenario
    mode: str
    info: ScenarioTimetable
    stations: list[str]
    index: dict[str, int]
    transfer_s: np.ndarray
    dep_stop: np.ndarray
    arr_stop: np.ndarray
    dep_time: np.ndarray
    arr_time: np.ndarray
    trip: np.ndarray
    trip_ids: np.ndarray
    trains: np.ndarray
    basis: np.ndarray
    modified_by: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    _road: dict[tuple[str, bool], Any] = field(default_factory=dict)
    _profiles: dict[Any, Any] = field(default_factory=dict)
    _answers: dict[Any, dict[tuple[str, str], Any]] = field(default_factory=dict)

    @property
    def n_trips(self) -> int:
        """Number of trips compiled (each counted three times: the day before, the day, the next day)."""
        return len(self.trip_ids)

    def stations_for(self, node: str) -> list[int]:
        """Station indices a trip from or to ``node`` uses: the station itself, or the stations of a place."""
        if node in self.index:
            return [self.index[node]]
        nodes = self.scenario.network.nodes
        return [self.index[s] for s in nodes.index[nodes["place"] == node] if s in self.index]

    # -- scans ----------------------------------------------------------------------------------------------
    def earliest(self, src: np.ndarray, src_time: np.ndarray, *, horizon: int | None = None) -> tuple[np.ndarray, ...]:
        """(arrival, parent, board) arrays of one scan from sources at their times."""
        n = len(self.stations)
        ea = np.empty(n, dtype=np.int64)
        parent = np.empty(n, dtype=np.int64)
        board = np.empty(n, dtype=np.int64)
        limit = int(src_time.min()) + 48 * 3600 if horizon is None else horizon
        from ._csa import scan

        scan(
            self.dep_stop,
            self.arr_stop,
            self.dep_time,
            self.arr_time,
            self.trip,
            self.transfer_s,
            self.n_trips,
            src.astype(np.int64),
            src_time.astype(np.int64),
            limit,
            ea,
            parent,
            board,
            np.empty(0, dtype=np.int64),
        )
        return ea, parent, board

    def profile(
        self,
        src: np.ndarray,
        offset: np.ndarray,
        first: int,
        last: int,
        *,
        horizon: int = PROFILE_HORIZON_S,
        targets: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Departure times (from the origin) in ``[first, last]`` and the earliest arrival at every station.

        The departures tried are the moments a train leaves a source station (less the source's offset): between
        two of them, waiting for the next gives the same arrival. With ``targets`` only their columns are exact.
        Profiles are remembered with the connections (scenarios sharing trips share them).
        """
        wanted = np.empty(0, dtype=np.int64) if targets is None else np.unique(np.asarray(targets, dtype=np.int64))
        key = (tuple(src.tolist()), tuple(offset.tolist()), first, last, horizon, tuple(wanted.tolist()))
        found = self._profiles.get(key)
        if found is None:
            found = self._profile(src, offset, first, last, horizon=horizon, targets=wanted)
            if len(self._profiles) >= PROFILES_KEPT:
                self._profiles.pop(next(iter(self._profiles)))
            self._profiles[key] = found
        return found

    def _profile(
        self, src: np.ndarray, offset: np.ndarray, first: int, last: int, *, horizon: int, targets: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        starts = self.departures(src, offset, first, last) if first < last else np.array([first], dtype=np.int64)
        if len(starts) == 0:
            return starts, np.empty((0, len(self.stations)), dtype=np.int64)
        from ._csa import profile

        out = profile(
            self.dep_stop,
            self.arr_stop,
            self.dep_time,
            self.arr_time,
            self.trip,
            self.transfer_s,
            self.n_trips,
            src.astype(np.int64),
            offset.astype(np.int64),
            starts,
            horizon,
            len(self.stations),
            targets,
        )
        return starts, out

    def departures(self, src: np.ndarray, offset: np.ndarray, first: int, last: int) -> np.ndarray:
        """Sorted distinct origin departure times in ``[first, last]`` that catch a train at a source."""
        pieces = []
        for s, off in zip(src, offset, strict=True):
            times = self.dep_time[self.dep_stop == s] - off
            pieces.append(times[(times >= first) & (times <= last)])
        if not pieces:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate(pieces)).astype(np.int64)

    def journey(self, ea: np.ndarray, parent: np.ndarray, board: np.ndarray, target: int, start: int) -> Journey:
        """Return the legs of the journey to ``target`` recorded by a scan."""
        legs: list[Leg] = []
        v = target
        while parent[v] >= 0:
            c, b = int(parent[v]), int(board[v])
            t = int(self.trip[c])
            legs.append(
                Leg(
                    str(self.trains[t]),
                    str(self.trip_ids[t]),
                    str(self.basis[t]),
                    self.stations[int(self.dep_stop[b])],
                    self.stations[v],
                    int(self.dep_time[b]),
                    int(self.arr_time[c]),
                    str(self.modified_by[t]) if len(self.modified_by) else "",
                )
            )
            v = int(self.dep_stop[b])
        legs.reverse()
        return Journey(start, int(ea[target]), tuple(legs))


_ROAD_TIMES: weakref.WeakKeyDictionary[Scenario, dict[Any, Any]] = weakref.WeakKeyDictionary()


def _is_hsr(trips: pd.DataFrame, routes: pd.DataFrame) -> np.ndarray:
    names = routes.set_index("route_id")
    text = pd.Series("", index=names.index)
    for column in ("route_short_name", "route_long_name", "route_desc"):
        if column in names:
            text = text + " " + names[column].astype(str)
    route_hsr = text.str.lower().map(lambda s: any(w in s for w in _HSR_WORDS))
    if "route_type" in names:
        route_hsr |= names["route_type"].astype(str).isin(["101", "102"])
    by_class = trips["train"].astype(str).str.match(_HSR_CLASS.pattern)
    by_route = trips["route_id"].map(route_hsr).fillna(False).astype(bool)
    # Trips a modification added say their mode (a pattern of an HSR line, a logged through train).
    own = trips["mode"].astype(str) if "mode" in trips else pd.Series("", index=trips.index)
    out = np.where(own.isin(["hsr", "rail"]), own == "hsr", by_class | by_route)
    return np.asarray(out, dtype=bool)


def compile_timetable(
    scenario: Scenario, info: ScenarioTimetable, *, mode: str = "rail", default_transfer_min: float | None = None
) -> TimedRouter:
    """Compile a scenario's timed trips into a :class:`TimedRouter` (``mode``: ``hsr`` or ``rail``)."""
    tt = info.timetable
    trips = tt.trips
    if mode == "hsr":
        trips = trips[_is_hsr(trips, tt.routes)]
    trip_pos = {t: i for i, t in enumerate(trips["trip_id"])}
    st = tt.stop_times
    st = st[st["trip_id"].isin(trip_pos) & np.isfinite(st["arrival_s"].astype(float))]
    station_of = dict(zip(tt.stops["stop_id"], tt.stops["station"], strict=True))
    station_keys = st["stop_id"].map(station_of).to_numpy(dtype=object)
    stations = sorted(set(station_keys))
    index = {s: i for i, s in enumerate(stations)}
    stop_idx = np.array([index[s] for s in station_keys], dtype=np.int64)
    trip_idx = st["trip_id"].map(trip_pos).to_numpy(dtype=np.int64)
    arr = st["arrival_s"].to_numpy(dtype=float).astype(np.int64)
    dep = st["departure_s"].to_numpy(dtype=float).astype(np.int64)
    # stop_times are sorted by trip and stop_sequence: consecutive timed calls of one trip make a connection.
    order = np.lexsort((st["stop_sequence"].astype(int).to_numpy(), trip_idx))
    stop_idx, trip_idx, arr, dep = stop_idx[order], trip_idx[order], arr[order], dep[order]
    same = trip_idx[1:] == trip_idx[:-1]
    a = np.flatnonzero(same)
    c_dep_stop, c_arr_stop = stop_idx[a], stop_idx[a + 1]
    c_dep, c_arr, c_trip = dep[a], arr[a + 1], trip_idx[a]
    keep = c_dep_stop != c_arr_stop
    c_dep_stop, c_arr_stop, c_dep, c_arr, c_trip = (x[keep] for x in (c_dep_stop, c_arr_stop, c_dep, c_arr, c_trip))
    c_dep_stop, c_arr_stop, c_dep, c_arr, c_trip = _over_midnight(
        c_dep_stop, c_arr_stop, c_dep, c_arr, c_trip, len(trips)
    )
    seq = np.arange(len(c_dep))
    sort = np.lexsort((seq, c_arr, c_dep))
    params = scenario.parameters
    default = params.transfer_min if default_transfer_min is None else default_transfer_min
    nodes = scenario.network.nodes
    transfer = nodes["transfer_min"].astype(float) if "transfer_min" in nodes else pd.Series(dtype=float)
    transfer_s = np.array(
        [
            round(float(transfer.get(s, math.nan)) * 60)
            if math.isfinite(transfer.get(s, math.nan))
            else round(default * 60)
            for s in stations
        ],
        dtype=np.int64,
    )
    _feed_transfers(transfer_s, index, getattr(tt, "transfers", None))
    return TimedRouter(
        scenario=scenario,
        mode=mode,
        info=info,
        stations=stations,
        index=index,
        transfer_s=transfer_s,
        dep_stop=np.ascontiguousarray(c_dep_stop[sort]),
        arr_stop=np.ascontiguousarray(c_arr_stop[sort]),
        dep_time=np.ascontiguousarray(c_dep[sort]),
        arr_time=np.ascontiguousarray(c_arr[sort]),
        trip=np.ascontiguousarray(c_trip[sort]),
        trip_ids=np.tile(trips["trip_id"].to_numpy(dtype=object), 3),
        trains=np.tile(trips["train"].to_numpy(dtype=object), 3),
        basis=np.tile(trips["basis"].to_numpy(dtype=object), 3),
        modified_by=np.tile(trips["modified_by"].astype(str).to_numpy(dtype=object), 3)
        if "modified_by" in trips
        else np.full(3 * len(trips), "", dtype=object),
    )


def _over_midnight(
    dep_stop: np.ndarray, arr_stop: np.ndarray, dep: np.ndarray, arr: np.ndarray, trip: np.ndarray, n_trips: int
) -> tuple[np.ndarray, ...]:
    """Return the day's connections, the next day's (every trip a day later) and the previous day's past midnight.

    A traveller at 23:30 catches the next morning's first train; one at 00:30 a train still running from the
    evening before. The copies are trips of their own (``trip + n_trips`` next day, ``+ 2 n_trips`` the day
    before), so nobody stays aboard from one day's trip into another's.
    """
    late = dep >= DAY_S
    parts = [
        (dep_stop, arr_stop, dep, arr, trip),
        (dep_stop, arr_stop, dep + DAY_S, arr + DAY_S, trip + n_trips),
        (dep_stop[late], arr_stop[late], dep[late] - DAY_S, arr[late] - DAY_S, trip[late] + 2 * n_trips),
    ]
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(5))


def _feed_transfers(transfer_s: np.ndarray, index: dict[str, int], transfers: pd.DataFrame | None) -> None:
    """Set a feed's own minimum change time at a station (``transfers.txt``, from and to the same station).

    ``inf`` (no change possible) becomes a change time longer than any journey.
    """
    if transfers is None or not len(transfers):
        return
    own = transfers[transfers["from_station"] == transfers["to_station"]]
    for station, seconds in zip(own["from_station"], own["min_transfer_s"], strict=True):
        if station in index and seconds == seconds:
            transfer_s[index[station]] = _INF // 4 if math.isinf(seconds) else round(float(seconds))


def get_timed_router(
    scenario: Scenario, mode: str = "rail", *, timetable: Timetable | None = None, scheduled_only: bool = False
) -> TimedRouter:
    """Return the timetable router of a scenario for ``hsr`` (G, D, C and high-speed trips) or ``rail`` (all trips).

    Built once per scenario and mode (and per ``timetable`` given), then cached.

    Examples
    --------
    >>> import pxnet
    >>> r = get_timed_router(pxnet.get_scenario(2020), "hsr")
    >>> "pingxiang_north" in r.index
    True
    """
    if mode not in ("hsr", "rail"):
        raise RoutingError(f"timetable routing answers mode 'hsr', 'rail' or 'door_to_door', not {mode!r}")
    key = (mode, id(timetable) if timetable is not None else 0, scheduled_only)

    def info() -> ScenarioTimetable:
        return scenario_timetable(scenario, timetable=timetable, modelled=not scheduled_only)

    # Per scenario only the key of its connections is kept (it refers to no scenario, so the scenario frees).
    core_key = _cache.memo(scenario, "timed router keys").get(
        key, lambda: (mode, info().trips_key or id(info()), _transfer_key(scenario))
    )
    memo = _cache.memo(scenario.network, "timed routers", maxsize=64)
    # Scenarios with the same trips and change times share the connection arrays; each keeps its own roads.
    core = memo.get(core_key, lambda: _shared(compile_timetable(scenario, info(), mode=mode)))
    return dataclasses.replace(core, scenario=scenario, _road=_ROAD_TIMES.setdefault(scenario, {}))


def _shared(router: TimedRouter) -> TimedRouter:
    """Return the router without its scenario, to be kept with the network (a memo never refers to its owner)."""
    return dataclasses.replace(router, scenario=None)  # type: ignore[arg-type]


def _transfer_key(scenario: Scenario) -> tuple[float, ...]:
    nodes = scenario.network.nodes
    own = tuple(nodes["transfer_min"].astype(float).fillna(-1.0)) if "transfer_min" in nodes else ()
    return (scenario.parameters.transfer_min, *own)


# -- questions: journeys, travel times, one-to-all -----------------------------------------------------------


@dataclass(frozen=True)
class _Ends:
    """The stations a trip can start or end at, with the seconds to reach them (door to door: road and entry)."""

    stations: np.ndarray
    offset: np.ndarray
    direct: float  # seconds by road alone, door to door (inf otherwise)


def _road_times(scenario: Scenario, node: str, *, to: bool) -> pd.Series:
    from ._api import skim

    net = scenario.network
    stations = [s for s in net.nodes.index[net.nodes["kind"].isin(["hsr_station", "rail_station"])]]
    if to:
        m = skim(stations, [node], mode="road", scenario=scenario)
        return m.iloc[:, 0]
    m = skim([node], stations, mode="road", scenario=scenario)
    return m.iloc[0]


def ends(router: TimedRouter, node: str, *, door: bool, to: bool) -> _Ends:
    """Where a trip starts (``to=False``) or ends at ``node``: station indices and seconds to or from them."""
    if not door:
        idx = router.stations_for(node)
        return _Ends(np.array(idx, dtype=np.int64), np.zeros(len(idx), dtype=np.int64), math.inf)
    params = router.scenario.parameters
    key = (node, to)
    if key not in router._road:
        router._road[key] = _road_times(router.scenario, node, to=to)
    road = router._road[key]
    extra = params.station_exit_min if to else params.station_entry_min
    idx, off = [], []
    for station, minutes in road.items():
        if station in router.index and math.isfinite(minutes):
            idx.append(router.index[station])
            off.append(round((minutes + extra) * 60))
    return _Ends(np.array(idx, dtype=np.int64), np.array(off, dtype=np.int64), math.inf)


def _drive_s(scenario: Scenario, origin: str, destination: str) -> float:
    from ._api import travel_time

    minutes = travel_time(origin, destination, mode="road", scenario=scenario)
    return minutes * 60.0 if math.isfinite(minutes) else math.inf


def _arrivals(profile: np.ndarray, dest: _Ends) -> np.ndarray:
    """Arrival at the destination per start (best over its stations, plus egress)."""
    if len(dest.stations) == 0:
        return np.full(profile.shape[0], _INF, dtype=np.int64)
    sub = profile[:, dest.stations]
    with np.errstate(over="ignore"):
        total = np.where(sub >= _INF, _INF, sub + dest.offset[np.newaxis, :])
    best: np.ndarray = total.min(axis=1)
    return best


def pareto(starts: np.ndarray, arrivals: np.ndarray) -> np.ndarray:
    """Return the indices of the usable departures: reachable, and no later departure arrives as early.

    Examples
    --------
    >>> pareto(np.array([0, 10, 20]), np.array([100, 100, 150])).tolist()
    [1, 2]
    """
    keep = []
    best = _INF
    for k in range(len(starts) - 1, -1, -1):
        if arrivals[k] < best:
            keep.append(k)
            best = int(arrivals[k])
    return np.array(sorted(keep), dtype=np.int64)


def per_minute(starts: np.ndarray, arrivals: np.ndarray, first: int, last: int) -> np.ndarray:
    """Travel minutes for a departure at every minute of ``[first, last]`` (waiting for the next train).

    Examples
    --------
    >>> per_minute(np.array([600]), np.array([1800]), 0, 600).tolist()
    [30.0, 29.0, 28.0, 27.0, 26.0, 25.0, 24.0, 23.0, 22.0, 21.0, 20.0]
    """
    minutes = np.arange(first, last + 1, 60, dtype=np.int64)
    if len(starts) == 0:
        return np.full(len(minutes), math.inf)
    # Earliest arrival leaving at or after t = min over starts >= t: a suffix minimum.
    suffix = np.minimum.accumulate(arrivals[::-1])[::-1]
    pos = np.searchsorted(starts, minutes, side="left")
    out = np.full(len(minutes), math.inf)
    ok = pos < len(starts)
    arr = suffix[np.minimum(pos, len(starts) - 1)]
    ok &= arr < _INF
    out[ok] = (arr[ok] - minutes[ok]) / 60.0
    return out


def summarise(values: np.ndarray, statistic: str) -> float:
    """Return the statistic of per-minute travel times (``inf`` counts as slower than any time)."""
    if len(values) == 0:
        return math.inf
    q = parse_statistic(statistic)
    if q is None:
        return float(np.min(values))
    return float(np.percentile(values, q, method="lower"))


def window_of(departure: Departure, scenario: Scenario) -> tuple[int, int]:
    """Return the departure window: the given time or window, or the whole service day when None."""
    if departure is None:
        day = int(scenario.parameters.service_day_hours * 3600)
        return SERVICE_DAY_START, SERVICE_DAY_START + day
    return parse_departure(departure)


def od_times(
    scenario: Scenario,
    origin: str,
    destination: str,
    *,
    mode: str,
    departure: Departure,
    timetable: Timetable | None = None,
    scheduled_only: bool = False,
) -> tuple[TimedRouter, np.ndarray, np.ndarray, float]:
    """(router, starts, arrivals, drive seconds) between two resolved nodes over the departure window."""
    door = mode == "door_to_door"
    router = get_timed_router(scenario, "rail" if door else mode, timetable=timetable, scheduled_only=scheduled_only)
    first, last = window_of(departure, scenario)
    o = ends(router, origin, door=door, to=False)
    d = ends(router, destination, door=door, to=True)
    starts, profile = router.profile(o.stations, o.offset, first, last, targets=d.stations)
    arrivals = _arrivals(profile, d)
    drive = _drive_s(scenario, origin, destination) if door else math.inf
    return router, starts, arrivals, drive


class Answer(NamedTuple):
    """One travel-time answer over a departure window: the minutes, and the departure minute that gives them."""

    minutes: float
    start: int | None
    by_road: bool


def answer(
    scenario: Scenario,
    origin: str,
    destination: str,
    *,
    mode: str,
    departure: Departure,
    statistic: str,
    timetable: Timetable | None = None,
) -> Answer:
    """Return the one answer to a travel-time question.

    The statistic of the travel time of a departure at every minute of the window (waiting for the next train
    included; door to door, driving all the way counts too); ``fastest`` is exact.

    :func:`pxnet.travel_time`, :func:`pxnet.route`, :func:`pxnet.skim` and the goals all read it.
    """
    if origin == destination:
        return Answer(0.0, window_of(departure, scenario)[0], False)
    door = mode == "door_to_door"
    router = get_timed_router(scenario, "rail" if door else mode, timetable=timetable)
    memo = _answer_memo(router, scenario, mode=mode, departure=departure, statistic=statistic)
    found = memo.get((origin, destination))
    if isinstance(found, Answer):
        return found
    got = _answer(
        scenario, origin, destination, mode=mode, departure=departure, statistic=statistic, timetable=timetable
    )
    memo[(origin, destination)] = got
    return got


_ROAD_KEYS: weakref.WeakKeyDictionary[Scenario, tuple[Any, ...]] = weakref.WeakKeyDictionary()


def _road_key(scenario: Scenario) -> tuple[Any, ...]:
    """Return what a door-to-door answer reads besides the trips: the road links and the station entry and exit."""
    key = _ROAD_KEYS.get(scenario)
    if key is None:
        from ..tracks import link_arrays
        from ..vocabulary import ROAD_MODES

        params = scenario.parameters
        roads = link_arrays(scenario).subset(ROAD_MODES).fingerprint()
        key = _ROAD_KEYS[scenario] = (roads, params.station_entry_min, params.station_exit_min)
    return key


def _answer_memo(
    router: TimedRouter, scenario: Scenario, *, mode: str, departure: Departure, statistic: str
) -> dict[tuple[str, str], Any]:
    """Answers remembered with the connections: scenarios with the same trips (and roads) share them."""
    first, last = window_of(departure, scenario)
    extra = _road_key(scenario) if mode == "door_to_door" else ()
    if len(router._answers) > 64:
        router._answers.pop(next(iter(router._answers)))
    return router._answers.setdefault((mode, first, last, statistic, extra), {})


def _answer(
    scenario: Scenario,
    origin: str,
    destination: str,
    *,
    mode: str,
    departure: Departure,
    statistic: str,
    timetable: Timetable | None = None,
) -> Answer:
    _, starts, arrivals, drive = od_times(
        scenario, origin, destination, mode=mode, departure=departure, timetable=timetable
    )
    first, last = window_of(departure, scenario)
    if first < last and parse_statistic(statistic) is None:
        # The fastest over a window is exact: it is reached at one of the departures (or by road all the way).
        rail = (arrivals - starts) / 60.0 if len(starts) else np.array([])
        rail = np.where(arrivals >= _INF, math.inf, rail) if len(starts) else rail
        best = int(np.argmin(rail)) if len(rail) else -1
        by_rail = float(rail[best]) if best >= 0 else math.inf
        if math.isfinite(drive) and drive / 60.0 <= by_rail:
            return Answer(drive / 60.0, first, True)
        return Answer(by_rail, int(starts[best]), False) if math.isfinite(by_rail) else Answer(math.inf, None, False)
    rail = per_minute(starts, arrivals, first, last)
    values = np.minimum(rail, drive / 60.0) if math.isfinite(drive) else rail
    value = float(values[0]) if first == last else summarise(values, statistic)
    if not math.isfinite(value):
        return Answer(math.inf, None, False)
    k = int(np.flatnonzero(values == value)[0])
    return Answer(value, first + 60 * k, bool(math.isfinite(drive) and drive / 60.0 <= rail[k]))


def timed_travel_time(
    scenario: Scenario,
    origin: str,
    destination: str,
    *,
    mode: str,
    departure: Departure,
    statistic: str,
    timetable: Timetable | None = None,
) -> float:
    """Minutes by the timetable: at one departure time, or a statistic over the window's departure minutes."""
    return answer(
        scenario, origin, destination, mode=mode, departure=departure, statistic=statistic, timetable=timetable
    ).minutes


def journeys_table(
    scenario: Scenario,
    origin: str,
    destination: str,
    *,
    mode: str,
    window: Departure,
    timetable: Timetable | None = None,
    scheduled_only: bool = False,
) -> pd.DataFrame:
    """One row per usable departure (see :func:`pxnet.journeys`)."""
    door = mode == "door_to_door"
    router, starts, arrivals, _ = od_times(
        scenario, origin, destination, mode=mode, departure=window, timetable=timetable, scheduled_only=scheduled_only
    )
    o = ends(router, origin, door=door, to=False)
    d = ends(router, destination, door=door, to=True)
    names = scenario.network.nodes["name_zh"]

    def name(key: str) -> str:
        if key in names.index:
            return str(names[key])
        return key.removeprefix("gtfs:")

    rows = _direct_rows(router, o, d, window_of(window, scenario), name, door=door)
    for k in pareto(starts, arrivals):
        start = int(starts[k])
        ea, parent, board = router.earliest(o.stations, o.offset + start)
        best_station, best_arr = -1, _INF
        for s, off in zip(d.stations, d.offset, strict=True):
            if ea[s] < _INF and ea[s] + off < best_arr:
                best_station, best_arr = int(s), int(ea[s] + off)
        if best_station < 0:
            continue
        j = router.journey(ea, parent, board, best_station, start)
        if not j.legs:
            continue
        lead = j.legs[0].departure - start
        bases = sorted({leg.basis for leg in j.legs})
        rows.append(
            {
                "trains": " → ".join(leg.train for leg in j.legs),
                "from": name(j.legs[0].from_station),
                "to": name(j.legs[-1].to_station),
                "departure": format_time(j.legs[0].departure)[:5] if not door else format_time(start)[:5],
                "arrival": format_time(best_arr)[:5],
                "minutes": (best_arr - (start if door else j.legs[0].departure)) / 60.0,
                "changes": j.changes,
                "via": ", ".join(name(leg.to_station) for leg in j.legs[:-1]),
                "basis": "+".join(bases),
                "modified_by": ";".join(dict.fromkeys(m for leg in j.legs for m in leg.modified_by.split(";") if m)),
                "departure_s": start + (0 if door else lead),
                "arrival_s": best_arr,
                "board_s": j.legs[0].departure,
            }
        )
    columns = ["trains", "from", "to", "departure", "arrival", "minutes", "changes", "via", "basis", "modified_by"]
    frame = pd.DataFrame(rows, columns=[*columns, "departure_s", "arrival_s", "board_s"])
    # A journey whose first train leaves after the window (the next morning's) belongs to another window.
    first, last = window_of(window, scenario)
    if first < last:
        frame = frame[frame["board_s"] <= last]
    frame = frame.drop(columns="board_s")
    frame = frame.drop_duplicates(["trains", "departure_s"])
    frame = frame.iloc[_pareto3(frame)].sort_values(["departure_s", "arrival_s"], kind="stable")
    frame = frame.reset_index(drop=True)
    frame.attrs.update(
        origin=origin,
        destination=destination,
        mode=mode,
        scenario=scenario.name,
        timetable_basis=router.info.basis,
    )
    return frame


def _pareto3(frame: pd.DataFrame) -> list[int]:
    """Rows no other row beats on all of: later departure, earlier arrival, fewer changes."""
    dep = frame["departure_s"].to_numpy()
    arr = frame["arrival_s"].to_numpy()
    chg = frame["changes"].to_numpy()
    keep = []
    for i in range(len(frame)):
        beaten = (
            (dep >= dep[i]) & (arr <= arr[i]) & (chg <= chg[i]) & ((dep > dep[i]) | (arr < arr[i]) | (chg < chg[i]))
        )
        if not beaten.any():
            keep.append(i)
    return keep


def _direct_rows(
    router: TimedRouter, o: _Ends, d: _Ends, window: tuple[int, int], name: Any, *, door: bool
) -> list[dict[str, Any]]:
    """Journeys without a change: every trip calling at an origin station and then a destination station."""
    first, last = window
    o_off = dict(zip(o.stations.tolist(), o.offset.tolist(), strict=True))
    d_off = dict(zip(d.stations.tolist(), d.offset.tolist(), strict=True))
    boards = np.isin(router.dep_stop, o.stations)
    alights = np.isin(router.arr_stop, d.stations)
    rows = []
    for t in np.unique(router.trip[boards]):
        conns = np.flatnonzero(router.trip == t)
        conns = conns[np.argsort(router.dep_time[conns], kind="stable")]
        for pos, c in enumerate(conns):
            s = int(router.dep_stop[c])
            if s not in o_off:
                continue
            start = int(router.dep_time[c]) - o_off[s]
            if not first <= start <= last:
                continue
            later = [x for x in conns[pos:] if alights[x]]
            if not later:
                continue
            end = min(later, key=lambda x: int(router.arr_time[x]) + d_off[int(router.arr_stop[x])])
            arrive = int(router.arr_time[end]) + d_off[int(router.arr_stop[end])]
            rows.append(
                {
                    "trains": str(router.trains[t]),
                    "from": name(router.stations[s]),
                    "to": name(router.stations[int(router.arr_stop[end])]),
                    "departure": format_time(start)[:5],
                    "arrival": format_time(arrive)[:5],
                    "minutes": (arrive - start) / 60.0,
                    "changes": 0,
                    "via": "",
                    "basis": str(router.basis[t]),
                    "modified_by": str(router.modified_by[t]) if len(router.modified_by) else "",
                    "departure_s": start,
                    "arrival_s": arrive,
                    "board_s": int(router.dep_time[c]),
                }
            )
            break
    return rows


ROUTE_COLUMNS = [
    "leg", "mode", "from", "to", "from_id", "to_id", "via", "km", "minutes", "departure", "arrival", "basis",
    "modified_by",
]  # fmt: skip


def timed_route(
    scenario: Scenario,
    origin: str,
    destination: str,
    *,
    mode: str,
    departure: Departure,
    statistic: str = DEFAULT_ANSWER,
    timetable: Timetable | None = None,
) -> pd.DataFrame:
    """Return the legs of the journey behind :func:`answer`: from the chosen departure minute, the earliest arrival."""
    door = mode == "door_to_door"
    router = get_timed_router(scenario, "rail" if door else mode, timetable=timetable)
    got = answer(
        scenario, origin, destination, mode=mode, departure=departure, statistic=statistic, timetable=timetable
    )
    attrs: dict[str, Any] = dict(
        origin=origin,
        destination=destination,
        **answer_attrs(scenario, mode=mode, departure=departure, statistic=statistic),
    )
    if got.start is None:
        frame = pd.DataFrame(columns=ROUTE_COLUMNS)
    elif got.by_road:
        frame = _road_route(scenario, origin, destination, got.start)
    else:
        frame = _rail_legs(router, origin, destination, got.start, door=door)
    frame.attrs.update(minutes=got.minutes, **attrs)
    return frame


def _road_route(scenario: Scenario, origin: str, destination: str, start: int) -> pd.DataFrame:
    from ._api import route

    legs = route(origin, destination, mode="road", scenario=scenario)
    t = float(start)
    deps, arrs = [], []
    for minutes in legs["minutes"]:
        deps.append(format_time(t)[:5])
        t += float(minutes) * 60.0
        arrs.append(format_time(t)[:5])
    out = legs.assign(departure=deps, arrival=arrs, basis="road", modified_by="")
    return out.reindex(columns=ROUTE_COLUMNS)


def _rail_legs(router: TimedRouter, origin: str, destination: str, start: int, *, door: bool) -> pd.DataFrame:
    names = router.scenario.network.nodes["name_zh"]
    o = ends(router, origin, door=door, to=False)
    d = ends(router, destination, door=door, to=True)
    ea, parent, board = router.earliest(o.stations, o.offset + start)
    arrive = {int(s): int(ea[s]) + int(off) for s, off in zip(d.stations, d.offset, strict=True) if ea[s] < _INF}
    target = min(arrive, key=lambda s: arrive[s])
    j = router.journey(ea, parent, board, target, start)
    rows: list[dict[str, Any]] = []

    def add(kind: str, at: str, to: str, via: str, t0: int, t1: int, basis: str = "", mods: str = "") -> None:
        rows.append(
            dict(
                leg=kind,
                mode=kind if kind != "ride" else router.mode,
                from_id=at,
                to_id=to,
                via=via,
                km=math.nan if kind == "ride" else 0.0,
                minutes=(t1 - t0) / 60.0,
                departure=format_time(t0)[:5],
                arrival=format_time(t1)[:5],
                basis=basis,
                modified_by=mods,
            )
        )

    t = start
    if door and j.legs:
        first_station = j.legs[0].from_station
        at_station = start + int(o.offset[list(o.stations).index(router.index[first_station])])
        add("access", origin, first_station, "road and station entry", t, at_station)
        t = at_station
    for i, leg in enumerate(j.legs):
        if leg.departure > t:
            add("wait" if i == 0 else "transfer", leg.from_station, leg.from_station, "", t, leg.departure)
        add("ride", leg.from_station, leg.to_station, leg.train, leg.departure, leg.arrival, leg.basis, leg.modified_by)
        t = leg.arrival
    if door and j.legs:
        add("egress", j.legs[-1].to_station, destination, "station exit and road", t, arrive[target])
    for row in rows:
        for end in ("from", "to"):
            key = row[f"{end}_id"]
            row[end] = str(names[key]) if key in names.index else key.removeprefix("gtfs:")
    return pd.DataFrame(rows, columns=ROUTE_COLUMNS)


def _window_values(
    starts: np.ndarray, arrivals: np.ndarray, first: int, last: int, statistic: str, drive_s: float = math.inf
) -> float:
    """Return the statistic of per-minute travel times (driving all the way counted where it is given).

    ``fastest`` over a window is exact: the best departure's own time, not the nearest whole minute's.
    """
    if first < last and parse_statistic(statistic) is None:
        rail = np.where(arrivals >= _INF, math.inf, (arrivals - starts) / 60.0) if len(starts) else np.array([math.inf])
        return float(min(float(np.min(rail)), drive_s / 60.0))
    values = per_minute(starts, arrivals, first, last)
    if math.isfinite(drive_s):
        values = np.minimum(values, drive_s / 60.0)
    return float(values[0]) if first == last else summarise(values, statistic)


def timed_one_to_all(
    scenario: Scenario,
    origin: str,
    *,
    mode: str,
    departure: Departure,
    statistic: str,
    timetable: Timetable | None = None,
) -> pd.Series:
    """Minutes from ``origin`` to every station reached; door to door, to every node (by rail and road, or road).

    Door to door, a node's time is the best of driving all the way and each station's time (exit included) plus
    the drive from it: exact for ``fastest``, a close bound for other statistics.
    """
    door = mode == "door_to_door"
    router = get_timed_router(scenario, "rail" if door else mode, timetable=timetable)
    first, last = window_of(departure, scenario)
    o = ends(router, origin, door=door, to=False)
    starts, profile = router.profile(o.stations, o.offset, first, last)
    sources = set(o.stations.tolist())
    out: dict[str, float] = {}
    for j, station in enumerate(router.stations):
        value = _window_values(starts, profile[:, j], first, last, statistic)
        if door:
            value += scenario.parameters.station_exit_min
        elif j in sources:
            value = 0.0
        if math.isfinite(value) and station in scenario.network.nodes.index:
            out[station] = value
    series = pd.Series(out, name="minutes", dtype=float)
    if door:
        series = _onward_by_road(scenario, origin, series)
    return series.sort_values()


def _onward_by_road(scenario: Scenario, origin: str, at_stations: pd.Series) -> pd.Series:
    """Every node's best of driving from the origin and driving on from a station reached by rail."""
    from ._api import one_to_all, skim

    nodes = list(scenario.network.nodes.index)
    best = one_to_all(origin, mode="road", scenario=scenario).reindex(nodes)
    if len(at_stations):
        road = skim(list(at_stations.index), nodes, mode="road", scenario=scenario).to_numpy()
        via = (road + at_stations.to_numpy()[:, np.newaxis]).min(axis=0)
        best = pd.Series(np.fmin(best.to_numpy(dtype=float), via), index=nodes)
    best = best[np.isfinite(best.to_numpy(dtype=float))]
    return best.rename("minutes").astype(float)


def timed_skim(
    scenario: Scenario,
    origins: Sequence[str],
    destinations: Sequence[str],
    *,
    mode: str,
    departure: Departure,
    statistic: str,
    timetable: Timetable | None = None,
) -> np.ndarray:
    """Return an origins × destinations array of minutes by the timetable: one profile scan per origin."""
    door = mode == "door_to_door"
    router = get_timed_router(scenario, "rail" if door else mode, timetable=timetable)
    first, last = window_of(departure, scenario)
    out = np.full((len(origins), len(destinations)), math.inf)
    memo = _answer_memo(router, scenario, mode=mode, departure=departure, statistic=statistic)
    cells = {(o, d): memo[(o, d)] for o in origins for d in destinations if (o, d) in memo}
    for r, o in enumerate(origins):
        for c, d in enumerate(destinations):
            if o == d:
                out[r, c] = 0.0
            elif (o, d) in cells:
                found = cells[(o, d)]
                out[r, c] = found.minutes if isinstance(found, Answer) else found
    todo = [r for r, o in enumerate(origins) if any((o, d) not in cells and o != d for d in destinations)]
    if not todo:
        return out
    dest_ends = [ends(router, d, door=door, to=True) for d in destinations]
    drive = _drive_matrix(scenario, origins, destinations) if door else None
    wanted = np.unique(np.concatenate([e.stations for e in dest_ends])) if dest_ends else None
    for r in todo:
        o = origins[r]
        oe = ends(router, o, door=door, to=False)
        starts, profile = router.profile(oe.stations, oe.offset, first, last, targets=wanted)
        for c, d in enumerate(destinations):
            if o == d:
                out[r, c] = 0.0
                continue
            drive_s = float(drive[r, c]) * 60.0 if drive is not None else math.inf
            out[r, c] = _window_values(starts, _arrivals(profile, dest_ends[c]), first, last, statistic, drive_s)
            memo.setdefault((o, d), float(out[r, c]))
    return out


def _drive_matrix(scenario: Scenario, origins: Sequence[str], destinations: Sequence[str]) -> np.ndarray:
    from ._api import skim

    matrix: np.ndarray = skim(list(origins), list(destinations), mode="road", scenario=scenario).to_numpy(dtype=float)
    return matrix


def trips_frame(router: TimedRouter) -> pd.DataFrame:
    """Return the compiled trips: ``trip_id``, ``train``, ``basis`` (for reports)."""
    return pd.DataFrame({"trip_id": router.trip_ids, "train": router.trains, "basis": router.basis})


# -- the public faces (pxnet.journeys, and the departure= dispatch of travel_time, route, skim, one_to_all) ------

#: Statistic over a window's departure minutes when ``statistic`` is not given (as r5py's default percentile 50).
DEFAULT_STATISTIC = "median"


def _scenario(scenario: Any, network: Any) -> Scenario:
    import networkx as nx

    from ..scenario import resolve

    if isinstance(network, nx.Graph):
        raise RoutingError("departure= routes over a scenario's timetable; it does not apply to a networkx graph")
    return resolve(scenario, network)


def _check_mode(mode: str) -> None:
    if mode not in ("hsr", "rail", "door_to_door"):
        raise RoutingError(f"timetable routing answers mode 'hsr', 'rail' or 'door_to_door', not {mode!r}")


def dispatch(kind: str, *args: Any, departure: Departure, statistic: str | None, **kwargs: Any) -> Any:
    """Return the timetable answer of a public routing function (every rail and door-to-door question).

    ``kind`` is ``travel_time``, ``route``, ``skim`` or ``one_to_all``; ``kwargs`` are that function's own
    (``mode``, ``scenario``, ``network`` …). Without ``departure`` the window is the service day and the
    statistic ``fastest``; with a window, ``median`` unless given. Returns ``NotImplemented`` for
    ``mode="road"`` (which no timetable changes: the graph router answers) and for networkx graphs.
    """
    mode = kwargs.get("mode", "door_to_door")
    network = kwargs.get("network")
    if mode == "road" or _is_graph(network):
        if (departure is not None or statistic is not None) and _is_graph(network):
            raise RoutingError("departure= routes over a scenario's timetable; it does not apply to a networkx graph")
        return NotImplemented
    _check_mode(mode)
    stat = statistic or (DEFAULT_ANSWER if departure is None else DEFAULT_STATISTIC)
    parse_statistic(stat)
    if departure is not None:
        parse_departure(departure)
    sc = _scenario(kwargs.get("scenario"), network)
    net = sc.network
    if kind == "travel_time":
        o, d = (net.resolve(str(x)) for x in args[:2])
        return timed_travel_time(sc, o, d, mode=mode, departure=departure, statistic=stat)
    if kind == "route":
        o, d = (net.resolve(str(x)) for x in args[:2])
        return timed_route(sc, o, d, mode=mode, departure=departure, statistic=stat)
    if kind == "skim":
        return _skim_frame(sc, args, kwargs, mode=mode, departure=departure, statistic=stat)
    if kind == "one_to_all":
        series = timed_one_to_all(sc, net.resolve(str(args[0])), mode=mode, departure=departure, statistic=stat)
        cutoff = kwargs.get("cutoff")
        return series[series <= cutoff] if cutoff is not None else series
    raise RoutingError(f"no timetable answer for {kind!r}")


def _is_graph(network: Any) -> bool:
    import sys

    nx = sys.modules.get("networkx")
    return nx is not None and isinstance(network, nx.Graph)


def _skim_frame(
    sc: Scenario, args: tuple[Any, ...], kwargs: dict[str, Any], *, mode: str, departure: Departure, statistic: str
) -> pd.DataFrame:
    net = sc.network
    origins = [args[0]] if isinstance(args[0], str) else list(args[0])
    dest_arg = args[1] if len(args) > 1 else kwargs.get("destinations")
    dests = origins if dest_arg is None else ([dest_arg] if isinstance(dest_arg, str) else list(dest_arg))
    values = timed_skim(
        sc,
        [net.resolve(str(x)) for x in origins],
        [net.resolve(str(x)) for x in dests],
        mode=mode,
        departure=departure,
        statistic=statistic,
    )
    cutoff = kwargs.get("cutoff")
    if cutoff is not None:
        values[values > cutoff] = math.inf
    frame = pd.DataFrame(values, index=pd.Index(origins, name="origin"), columns=pd.Index(dests, name="destination"))
    frame.attrs.update(answer_attrs(sc, mode=mode, departure=departure, statistic=statistic))
    return frame


def answer_attrs(sc: Scenario, *, mode: str, departure: Departure, statistic: str) -> dict[str, Any]:
    """Return what an answer rests on: mode, scenario, statistic, departure window and the timetable's basis."""
    first, last = window_of(departure, sc)
    return dict(
        mode=mode,
        scenario=sc.name,
        units="minutes",
        statistic=statistic,
        departure=departure,
        window=(format_time(first)[:5], format_time(last)[:5]),
        timetable_basis=get_timed_router(sc, "rail" if mode == "door_to_door" else mode).info.basis,
    )


def journeys(
    origin: str,
    destination: str,
    *,
    scenario: Any = None,
    mode: str = "hsr",
    departure: Departure = None,
    network: Network | None = None,
    timetable: Timetable | str | Path | None = None,
    scheduled_only: bool = False,
    window: Departure = None,
) -> pd.DataFrame:
    """Every usable departure between two places, from the scenario's timetable.

    A departure is usable when no other leaves later and arrives no later with no more changes: direct
    trains are always listed, and so are the connections that beat them.

    Parameters
    ----------
    origin, destination
        Places or stations (``"萍乡北"``, ``"广州南"``, ``"萍乡"``): a place stands for its stations, or door to
        door for the place itself.
    scenario
        A scenario, name or year (default: today). Its date picks the timetable vintage (see
        :func:`scenario_timetable`).
    mode
        ``"hsr"`` (G, D, C and other high-speed trips), ``"rail"`` (all trips) or ``"door_to_door"``
        (road access to and from any station, station entry and exit; departure is leaving the door).
    departure
        Departures from ``"HH:MM"`` to ``"HH:MM"`` (e.g. ``("06:00", "12:00")``), or one time; default the
        service day, 06:00 to 06:00 + ``service_day_hours`` (as every other routing function).
    window
        Deprecated name of ``departure`` (a ``FutureWarning``; removed in 0.4).
    network
        The network (default: the bundled one).
    timetable
        A feed to use instead of the network's bundled ``timetable/`` (:func:`read_timetable`).
    scheduled_only
        Leave out the modelled trips (services with no timetable): the answer of the published trains alone.

    Returns
    -------
    pandas.DataFrame
        One row per usable departure, by departure time: ``trains`` (train numbers, ``→`` between trains),
        ``from``, ``to`` (stations), ``departure``, ``arrival`` (``HH:MM``; past 24:00 is the next morning),
        ``minutes``, ``changes``, ``via`` (stations where the journey changes), ``basis`` (``scheduled``,
        ``modelled`` or ``modelled+scheduled``), ``departure_s``, ``arrival_s`` (seconds after midnight).
        ``attrs["timetable_basis"]`` says which vintage and what is modelled.

    Examples
    --------
    >>> import pxnet
    >>> j = pxnet.journeys("萍乡北", "广州南", scenario=2020)
    >>> "G631" in set(j["trains"])
    True
    """
    _check_mode(mode)
    if window is not None:
        warnings.warn(
            "journeys(window=) is deprecated: give departure= as every routing function does",
            FutureWarning,
            stacklevel=2,
        )
        if departure is not None:
            raise RoutingError("give departure= (window= is its old name), not both")
        departure = window
    window = departure
    sc = _scenario(scenario, network)
    net = sc.network
    if isinstance(timetable, (str, Path)):
        timetable = read_timetable(timetable, network=net)
    if window is not None:
        parse_departure(window)
    return journeys_table(
        sc,
        net.resolve(origin),
        net.resolve(destination),
        mode=mode,
        window=window,
        timetable=timetable,
        scheduled_only=scheduled_only,
    )


def reach(
    scenario: Scenario,
    origins: list[str],
    *,
    mode: str,
    to: bool,
    cutoff: float | None,
    departure: Departure,
    statistic: str | None,
    arrival: Departure = None,
) -> pd.Series:
    """Return the minutes from the nearest origin to every node reached, by the timetable.

    With ``to=True``, from every node to the nearest origin (for :func:`pxnet.isochrones`).

    With ``arrival`` (a clock time), ``to=True`` asks "who gets here by then": a node's minutes are the arrival
    time less the latest departure from it that arrives in time (one reversed scan per destination).
    """
    _check_mode(mode)
    if arrival is not None and departure is not None:
        raise RoutingError("give departure= or arrival=, not both")
    if arrival is not None and not to:
        raise RoutingError("arrival= asks where one can leave from to arrive in time: use it with to=True")
    stat = statistic or (DEFAULT_ANSWER if departure is None else DEFAULT_STATISTIC)
    parse_statistic(stat)
    best: pd.Series = pd.Series(dtype=float, name="minutes")
    for origin in origins:
        if to and arrival is not None:
            series = arrive_by_all(scenario, origin, mode=mode, arrival=arrival)
        elif to:
            series = timed_all_to_one(scenario, origin, mode=mode, departure=departure, statistic=stat)
        else:
            series = timed_one_to_all(scenario, origin, mode=mode, departure=departure, statistic=stat)
        best = series if best.empty else pd.concat([best, series]).groupby(level=0).min()
    if cutoff is not None:
        best = best[best <= cutoff]
    return best[[i for i in best.index if i in scenario.network.nodes.index]].rename("minutes")


def timed_all_to_one(
    scenario: Scenario, destination: str, *, mode: str, departure: Departure, statistic: str
) -> pd.Series:
    """Minutes from every station (door to door: every node) to ``destination`` over the departure window."""
    door = mode == "door_to_door"
    router = get_timed_router(scenario, "rail" if door else mode)
    first, last = window_of(departure, scenario)
    d = ends(router, destination, door=door, to=True)
    out: dict[str, float] = {}
    entry = scenario.parameters.station_entry_min * 60.0 if door else 0.0
    for j, station in enumerate(router.stations):
        if station not in scenario.network.nodes.index:
            continue
        src = np.array([j], dtype=np.int64)
        offset = np.array([round(entry)], dtype=np.int64)
        starts, profile = router.profile(src, offset, first, last)
        value = (
            0.0
            if j in set(d.stations.tolist()) and not door
            else _window_values(starts, _arrivals(profile, d), first, last, statistic)
        )
        if math.isfinite(value):
            out[station] = value
    series = pd.Series(out, name="minutes", dtype=float)
    if door:
        series = _back_by_road(scenario, destination, series)
    return series.sort_values()


def _back_by_road(scenario: Scenario, destination: str, from_stations: pd.Series) -> pd.Series:
    """Every node's best of driving to the destination and driving to a station, then on by rail."""
    from ._api import skim

    nodes = list(scenario.network.nodes.index)
    best = skim(nodes, [destination], mode="road", scenario=scenario).iloc[:, 0]
    if len(from_stations):
        road = skim(nodes, list(from_stations.index), mode="road", scenario=scenario).to_numpy()
        via = (road + from_stations.to_numpy()[np.newaxis, :]).min(axis=1)
        best = pd.Series(np.fmin(best.to_numpy(dtype=float), via), index=nodes)
    best = best[np.isfinite(best.to_numpy(dtype=float))]
    return best.rename("minutes").astype(float)


def reversed_router(router: TimedRouter) -> TimedRouter:
    """Return the router with time running backwards: an earliest-arrival scan on it finds latest departures.

    Each connection ``a → b`` leaving at ``t0`` and arriving at ``t1`` becomes ``b → a`` leaving at ``-t1`` and
    arriving at ``-t0``; staying aboard and the minimum change time keep their meaning.
    """
    cached = router._profiles.get(("reversed",))
    if isinstance(cached, TimedRouter):
        return cached
    dep, arr = -router.arr_time, -router.dep_time
    order = np.lexsort((np.arange(len(dep)), arr, dep))
    back = TimedRouter(
        scenario=None,  # type: ignore[arg-type]  # kept with the shared connections: no scenario
        mode=router.mode,
        info=router.info,
        stations=router.stations,
        index=router.index,
        transfer_s=router.transfer_s,
        dep_stop=np.ascontiguousarray(router.arr_stop[order]),
        arr_stop=np.ascontiguousarray(router.dep_stop[order]),
        dep_time=np.ascontiguousarray(dep[order]),
        arr_time=np.ascontiguousarray(arr[order]),
        trip=np.ascontiguousarray(router.trip[order]),
        trip_ids=router.trip_ids,
        trains=router.trains,
        basis=router.basis,
        modified_by=router.modified_by,
    )
    router._profiles[("reversed",)] = back
    return back


def latest_departures(router: TimedRouter, dest: _Ends, arrive_s: int) -> np.ndarray:
    """Per station, the latest departure (seconds) that reaches the destination by ``arrive_s`` (``-_INF``: none)."""
    back = reversed_router(router)
    ea, _, _ = back.earliest(dest.stations, dest.offset - arrive_s)
    return np.where(ea >= _INF, -_INF, -ea)


def arrive_by_all(scenario: Scenario, destination: str, *, mode: str, arrival: Departure) -> pd.Series:
    """Minutes each station (door to door: each node) needs to reach ``destination`` by ``arrival``."""
    door = mode == "door_to_door"
    router = get_timed_router(scenario, "rail" if door else mode)
    t, last = parse_departure(arrival)
    if t != last:
        raise RoutingError("arrival= is one clock time, such as '12:00'")
    d = ends(router, destination, door=door, to=True)
    latest = latest_departures(router, d, t)
    entry = scenario.parameters.station_entry_min if door else 0.0
    out = {
        s: (t - int(latest[j])) / 60.0 + entry
        for j, s in enumerate(router.stations)
        if latest[j] > -_INF and s in scenario.network.nodes.index
    }
    series = pd.Series(out, name="minutes", dtype=float)
    return _back_by_road(scenario, destination, series).sort_values() if door else series.sort_values()


def arrive_by(scenario: Scenario, origin: str, destination: str, *, mode: str, arrival: Departure) -> float:
    """Minutes before ``arrival`` one must leave ``origin`` to reach ``destination`` by then (``inf``: no way)."""
    series = arrive_by_all(scenario, destination, mode=mode, arrival=arrival)
    door = mode == "door_to_door"
    if door:
        return float(series.get(origin, math.inf))
    router = get_timed_router(scenario, mode)
    values = [float(series[s]) for s in (router.stations[i] for i in router.stations_for(origin)) if s in series]
    return min(values, default=math.inf)


def router_from_arrays(
    dep_stop: np.ndarray,
    arr_stop: np.ndarray,
    dep_time: np.ndarray,
    arr_time: np.ndarray,
    trip: np.ndarray,
    transfer_s: np.ndarray,
) -> TimedRouter:
    """Build a :class:`TimedRouter` over raw connections (stops ``0..n-1``, trips ``0..m-1``), for tests and benchmarks.

    Examples
    --------
    >>> r = router_from_arrays(*(np.array(x) for x in ([0], [1], [60], [120], [0], [0, 0])))
    >>> r.earliest(np.array([0]), np.array([0]))[0].tolist()
    [0, 120]
    """
    order = np.lexsort((np.arange(len(dep_time)), arr_time, dep_time))
    n_trips = int(trip.max()) + 1 if len(trip) else 0
    n_stops = len(transfer_s)
    stations = [str(i) for i in range(n_stops)]
    empty = pd.DataFrame()
    info = ScenarioTimetable(Timetable(empty, empty, empty, empty, empty, empty, empty), empty, empty, "arrays")
    return TimedRouter(
        scenario=None,  # type: ignore[arg-type]
        mode="rail",
        info=info,
        stations=stations,
        index={s: i for i, s in enumerate(stations)},
        transfer_s=np.asarray(transfer_s, dtype=np.int64),
        dep_stop=np.ascontiguousarray(dep_stop[order], dtype=np.int64),
        arr_stop=np.ascontiguousarray(arr_stop[order], dtype=np.int64),
        dep_time=np.ascontiguousarray(dep_time[order], dtype=np.int64),
        arr_time=np.ascontiguousarray(arr_time[order], dtype=np.int64),
        trip=np.ascontiguousarray(trip[order], dtype=np.int64),
        trip_ids=np.array([str(t) for t in range(n_trips)], dtype=object),
        trains=np.array([str(t) for t in range(n_trips)], dtype=object),
        basis=np.array(["scheduled"] * n_trips, dtype=object),
    )
