"""Travel times by the timetable: the one answer to a travel-time question, skims, reach and arrive-by.

Without a departure the answer is the fastest journey departing within the service day; over a window, a
statistic of the travel time of a departure at every minute (waiting included), as r5py does.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from ... import _cache
from ...errors import RoutingError
from ...scenario import Scenario
from ..graph import is_graph
from ._connections import _INF, TimedRouter, get_timed_router, reversed_router
from ._gtfs import Timetable, format_time
from ._timetable import Departure

__all__ = [
    "DEFAULT_ANSWER",
    "DEFAULT_STATISTIC",
    "Answer",
    "answer",
    "answer_attrs",
    "arrive_by",
    "arrive_by_all",
    "ends",
    "latest_departures",
    "od_times",
    "pareto",
    "parse_departure",
    "parse_statistic",
    "per_minute",
    "reach",
    "summarise",
    "timed_all_to_one",
    "timed_one_to_all",
    "timed_skim",
    "timed_travel_time",
    "window_of",
]


#: The statistic when no departure is given: the fastest journey departing within the service day (what the
#: plan's goals judge). With a departure window and no statistic, :data:`DEFAULT_STATISTIC` (the median).
DEFAULT_ANSWER = "fastest"


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


@dataclass(frozen=True)
class _Ends:
    """The stations a trip can start or end at, with the seconds to reach them (door to door: road and entry)."""

    stations: np.ndarray
    offset: np.ndarray
    direct: float  # seconds by road alone, door to door (inf otherwise)


def _road_times(scenario: Scenario, node: str, *, to: bool) -> pd.Series:
    from .._api import skim

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
    road = router.road_times(node, to=to, make=lambda: _road_times(router.scenario, node, to=to))
    extra = params.station_exit_min if to else params.station_entry_min
    idx, off = [], []
    for station, minutes in road.items():
        if station in router.index and math.isfinite(minutes):
            idx.append(router.index[station])
            off.append(round((minutes + extra) * 60))
    return _Ends(np.array(idx, dtype=np.int64), np.array(off, dtype=np.int64), math.inf)


def _drive_s(scenario: Scenario, origin: str, destination: str) -> float:
    from .._api import travel_time

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
        start = round(scenario.parameters.service_day_start_h * 3600)
        return start, start + day
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
    router = get_timed_router(scenario, mode, timetable=timetable, scheduled_only=scheduled_only)
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
    router = get_timed_router(scenario, mode, timetable=timetable)
    memo = _answer_memo(router, scenario, mode=mode, departure=departure, statistic=statistic)
    found = memo.get((origin, destination))
    if isinstance(found, Answer):
        return found
    got = _answer(
        scenario, origin, destination, mode=mode, departure=departure, statistic=statistic, timetable=timetable
    )
    memo[(origin, destination)] = got
    return got


def _road_key(scenario: Scenario) -> tuple[Any, ...]:
    """Return what a door-to-door answer reads besides the trips: the road links and the station entry and exit."""

    def make() -> tuple[Any, ...]:
        from ...tracks import road_links_key

        params = scenario.parameters
        return (road_links_key(scenario), params.station_entry_min, params.station_exit_min)

    key: tuple[Any, ...] = _cache.memo(scenario, "road key").get("key", make)
    return key


def _answer_memo(
    router: TimedRouter, scenario: Scenario, *, mode: str, departure: Departure, statistic: str
) -> dict[tuple[str, str], Any]:
    """Answers remembered with the connections: scenarios with the same trips (and roads) share them."""
    first, last = window_of(departure, scenario)
    extra = _road_key(scenario) if mode == "door_to_door" else ()
    return router.answer_memo((mode, first, last, statistic, extra))


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
        rail = _journey_minutes(starts, arrivals)
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


def _journey_minutes(starts: np.ndarray, arrivals: np.ndarray) -> np.ndarray:
    """Return each departure's own travel minutes (``inf`` where it arrives nowhere)."""
    if not len(starts):
        return np.array([])
    return np.where(arrivals >= _INF, math.inf, (arrivals - starts) / 60.0)


def _window_values(
    starts: np.ndarray, arrivals: np.ndarray, first: int, last: int, statistic: str, drive_s: float = math.inf
) -> float:
    """Return the statistic of per-minute travel times (driving all the way counted where it is given).

    ``fastest`` over a window is exact: the best departure's own time, not the nearest whole minute's.
    """
    if first < last and parse_statistic(statistic) is None:
        rail = _journey_minutes(starts, arrivals)
        return float(min(float(rail.min(initial=math.inf)), drive_s / 60.0))
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
    router = get_timed_router(scenario, mode, timetable=timetable)
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
    return _stations_or_nodes(scenario, origin, out, door=door, to=False)


def _stations_or_nodes(
    scenario: Scenario, place: str, at_stations: dict[str, float], *, door: bool, to: bool
) -> pd.Series:
    """Return the stations' minutes, fastest first; door to door, every node's best with the roads (as below)."""
    series = pd.Series(at_stations, name="minutes", dtype=float)
    return (_with_roads(scenario, place, series, to=to) if door else series).sort_values()


def _with_roads(scenario: Scenario, place: str, stations: pd.Series, *, to: bool) -> pd.Series:
    """Return every node's best of driving all the way and combining the stations' rail times with a drive.

    ``to=False``: from ``place``, each station's time plus the drive on from it; ``to=True``: towards ``place``,
    the drive to each station plus its time from there.
    """
    from .._api import skim

    nodes = list(scenario.network.nodes.index)
    if to:
        best = skim(nodes, [place], mode="road", scenario=scenario).iloc[:, 0]
    else:
        best = skim([place], nodes, mode="road", scenario=scenario).iloc[0]
    if len(stations):
        if to:
            road = skim(nodes, list(stations.index), mode="road", scenario=scenario).to_numpy()
            via = (road + stations.to_numpy()[np.newaxis, :]).min(axis=1)
        else:
            road = skim(list(stations.index), nodes, mode="road", scenario=scenario).to_numpy()
            via = (road + stations.to_numpy()[:, np.newaxis]).min(axis=0)
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
    router = get_timed_router(scenario, mode, timetable=timetable)
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
    from .._api import skim

    matrix: np.ndarray = skim(list(origins), list(destinations), mode="road", scenario=scenario).to_numpy(dtype=float)
    return matrix


#: Statistic over a window's departure minutes when ``statistic`` is not given (as r5py's default percentile 50).
DEFAULT_STATISTIC = "median"


def _scenario(scenario: Any, network: Any) -> Scenario:
    from ...scenario import resolve

    if is_graph(network):
        raise RoutingError("departure= routes over a scenario's timetable; it does not apply to a networkx graph")
    return resolve(scenario, network)


def _check_mode(mode: str) -> None:
    if mode not in ("hsr", "rail", "door_to_door"):
        raise RoutingError(f"timetable routing answers mode 'hsr', 'rail' or 'door_to_door', not {mode!r}")


def answer_attrs(sc: Scenario, *, mode: str, departure: Departure, statistic: str) -> dict[str, Any]:
    """Return what an answer rests on: mode, scenario and its basis, statistic, departure window, timetable basis."""
    first, last = window_of(departure, sc)
    return dict(
        mode=mode,
        scenario=sc.name,
        scenario_basis=sc.basis,
        units="minutes",
        statistic=statistic,
        departure=departure,
        window=(format_time(first)[:5], format_time(last)[:5]),
        timetable_basis=get_timed_router(sc, mode).info.basis,
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
    router = get_timed_router(scenario, mode)
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
    return _stations_or_nodes(scenario, destination, out, door=door, to=True)


def latest_departures(router: TimedRouter, dest: _Ends, arrive_s: int) -> np.ndarray:
    """Per station, the latest departure (seconds) that reaches the destination by ``arrive_s`` (``-_INF``: none)."""
    back = reversed_router(router)
    ea, _, _ = back.earliest(dest.stations, dest.offset - arrive_s)
    return np.where(ea >= _INF, -_INF, -ea)


def arrive_by_all(scenario: Scenario, destination: str, *, mode: str, arrival: Departure) -> pd.Series:
    """Minutes each station (door to door: each node) needs to reach ``destination`` by ``arrival``."""
    door = mode == "door_to_door"
    router = get_timed_router(scenario, mode)
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
    return _stations_or_nodes(scenario, destination, out, door=door, to=True)


def arrive_by(scenario: Scenario, origin: str, destination: str, *, mode: str, arrival: Departure) -> float:
    """Minutes before ``arrival`` one must leave ``origin`` to reach ``destination`` by then (``inf``: no way)."""
    series = arrive_by_all(scenario, destination, mode=mode, arrival=arrival)
    door = mode == "door_to_door"
    if door:
        return float(series.get(origin, math.inf))
    router = get_timed_router(scenario, mode)
    values = [float(series[s]) for s in (router.stations[i] for i in router.stations_for(origin)) if s in series]
    return min(values, default=math.inf)
