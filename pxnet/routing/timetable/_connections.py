"""A scenario's timetable compiled into connections for the scan (the timetable engine's router).

Consecutive timed calls of a trip make a connection; the day's connections are joined by the next day's and by
the previous day's past midnight. Routers of scenarios with the same trips share their arrays, profiles and
answers; the numba kernels (``_csa``) load with the first scan.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple, TypeVar

import numpy as np
import pandas as pd

from ... import _cache
from ...errors import RoutingError
from ...scenario import Scenario
from ...tracks import road_links_key
from ._gtfs import Timetable
from ._supply import feed_key
from ._timetable import ScenarioTimetable, scenario_timetable

__all__ = [
    "DAY_S",
    "PROFILES_KEPT",
    "PROFILE_HORIZON_S",
    "Journey",
    "Leg",
    "TimedRouter",
    "compile_timetable",
    "get_timed_router",
    "reversed_router",
    "router_from_arrays",
]


#: One day in seconds.
DAY_S = 24 * 3600


#: How long after a departure a profile scan looks for arrivals: a day and a half (a late train, the night, the
#: next day's trains).
PROFILE_HORIZON_S = 36 * 3600


#: Profiles a router keeps (each a departures × stations array of arrivals).
PROFILES_KEPT = 64
#: Question kinds (mode, window, statistic, roads) whose answers a router keeps.
ANSWER_KINDS_KEPT = 64


#: "Never", in seconds: far beyond any arrival and safe to add a day to (also used by the kernels in _csa).
_INF = np.iinfo(np.int64).max // 4

T = TypeVar("T")


class Connections(NamedTuple):
    """A router's connections sorted by departure, one array each, as the numba kernels take them (in ``_csa``)."""

    dep_stop: np.ndarray
    arr_stop: np.ndarray
    dep_time: np.ndarray
    arr_time: np.ndarray
    trip: np.ndarray
    #: Minimum change time at each stop (seconds).
    transfer: np.ndarray
    n_trips: int


class Labels(NamedTuple):
    """What one scan writes for each stop: earliest arrival, the connection reaching it and where it boarded."""

    ea: np.ndarray
    parent: np.ndarray
    board: np.ndarray


_HSR_CLASS = re.compile(r"^[GDC]\d")


_HSR_WORDS = ("高速", "动车", "動車", "城际", "城際", "high speed", "high-speed")


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
    _profiles: _cache.Memo = field(default_factory=lambda: _cache.Memo(PROFILES_KEPT))
    _answers: _cache.Memo = field(default_factory=lambda: _cache.Memo(ANSWER_KINDS_KEPT))

    @property
    def connections(self) -> Connections:
        """The connection arrays as the scan kernels take them."""
        return Connections(
            self.dep_stop, self.arr_stop, self.dep_time, self.arr_time, self.trip, self.transfer_s, self.n_trips
        )

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

    # -- memos kept with the connections ------------------------------------------------------------------
    def road_times(self, node: str, *, to: bool, make: Callable[[], Any]) -> Any:
        """Road minutes between ``node`` and the stations (``to``: towards it), computed once per scenario."""
        key = (node, to)
        if key not in self._road:
            self._road[key] = make()
        return self._road[key]

    def answer_memo(self, key: tuple[Any, ...]) -> dict[tuple[str, str], Any]:
        """Return the answers of one question kind (mode, window, statistic …), shared by scenarios with these trips."""
        found: dict[tuple[str, str], Any] = self._answers.get(key, dict)
        return found

    def kept(self, key: tuple[Any, ...], make: Callable[[], T]) -> T:
        """Return something derived from the connections alone, made once and kept with the profiles."""
        return self._profiles.get(key, make)

    # -- scans ----------------------------------------------------------------------------------------------
    def earliest(self, src: np.ndarray, src_time: np.ndarray, *, horizon: int | None = None) -> tuple[np.ndarray, ...]:
        """(arrival, parent, board) arrays of one scan from sources at their times."""
        n = len(self.stations)
        ea = np.empty(n, dtype=np.int64)
        parent = np.empty(n, dtype=np.int64)
        board = np.empty(n, dtype=np.int64)
        limit = int(src_time.min()) + 48 * 3600 if horizon is None else horizon
        from ._csa import scan

        labels = Labels(ea, parent, board)
        scan(
            self.connections,
            src.astype(np.int64),
            src_time.astype(np.int64),
            limit,
            labels,
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
        found: tuple[np.ndarray, np.ndarray] = self._profiles.get(
            key, lambda: self._profile(src, offset, first, last, horizon=horizon, targets=wanted)
        )
        return found

    def _profile(
        self, src: np.ndarray, offset: np.ndarray, first: int, last: int, *, horizon: int, targets: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        starts = self.departures(src, offset, first, last) if first < last else np.array([first], dtype=np.int64)
        if len(starts) == 0:
            return starts, np.empty((0, len(self.stations)), dtype=np.int64)
        from ._csa import profile

        out = profile(
            self.connections,
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

    A ``door_to_door`` trip rides the ``rail`` router. Built once per scenario and mode (and per ``timetable``
    given), then cached.

    Examples
    --------
    >>> import pxnet
    >>> r = get_timed_router(pxnet.get_scenario(2020), "hsr")
    >>> "pingxiang_north" in r.index
    True
    """
    if mode == "door_to_door":
        mode = "rail"
    if mode not in ("hsr", "rail"):
        raise RoutingError(f"timetable routing answers mode 'hsr', 'rail' or 'door_to_door', not {mode!r}")
    key = (mode, feed_key(timetable) if timetable is not None else 0, scheduled_only)

    def info() -> ScenarioTimetable:
        return scenario_timetable(scenario, timetable=timetable, modelled=not scheduled_only)

    # Per scenario only the key of its connections is kept (it refers to no scenario, so the scenario frees).
    core_key = _cache.memo(scenario, "timed router keys").get(
        key, lambda: (mode, info().trips_key, _transfer_key(scenario))
    )
    memo = _cache.memo(scenario.network, "timed routers", maxsize=64)
    # Scenarios with the same trips and change times share the connection arrays; each keeps its own roads.
    core = memo.get(core_key, lambda: _shared(compile_timetable(scenario, info(), mode=mode)))
    # The road times to and from stations depend on the road links alone, as the road router does, so scenarios
    # with the same roads share them: a rail or parameter variant finds its parent's.
    road: dict[Any, Any] = _cache.memo(scenario.network, "station road times", maxsize=64).get(
        road_links_key(scenario), dict
    )
    return dataclasses.replace(core, scenario=scenario, _road=road)


def _shared(router: TimedRouter) -> TimedRouter:
    """Return the router without its scenario, to be kept with the network (a memo never refers to its owner)."""
    return dataclasses.replace(router, scenario=None)  # type: ignore[arg-type]


def _transfer_key(scenario: Scenario) -> tuple[float, ...]:
    nodes = scenario.network.nodes
    own = tuple(nodes["transfer_min"].astype(float).fillna(-1.0)) if "transfer_min" in nodes else ()
    return (scenario.parameters.transfer_min, *own)


def reversed_router(router: TimedRouter) -> TimedRouter:
    """Return the router with time running backwards: an earliest-arrival scan on it finds latest departures.

    Each connection ``a → b`` leaving at ``t0`` and arriving at ``t1`` becomes ``b → a`` leaving at ``-t1`` and
    arriving at ``-t0``; staying aboard and the minimum change time keep their meaning.
    """
    return router.kept(("reversed",), lambda: _reversed(router))


def _reversed(router: TimedRouter) -> TimedRouter:
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
    return back


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
