"""Journeys and routes by the timetable, and the timetable answers of the public routing functions.

:func:`journeys` lists every usable departure; :func:`timed_route` gives the legs of the journey behind an
answer; :func:`dispatch` routes ``travel_time``, ``route``, ``skim`` and ``one_to_all`` here.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ...errors import RoutingError, warn
from ...network import Network
from ...scenario import Scenario
from ...vocabulary import DEFAULT_TRIP_MODE
from .._keywords import accept_keywords, spelled_out
from ..graph import is_graph
from ._answers import (
    DEFAULT_ANSWER,
    DEFAULT_STATISTIC,
    _check_mode,
    _Ends,
    _scenario,
    answer,
    answer_attrs,
    ends,
    od_times,
    pareto,
    parse_departure,
    parse_statistic,
    timed_one_to_all,
    timed_skim,
    timed_travel_time,
    window_of,
)
from ._connections import _INF, TimedRouter, get_timed_router
from ._gtfs import Timetable, format_time, read_timetable
from ._options import FeedKeywords, FeedOptions
from ._timetable import Departure

if TYPE_CHECKING:
    from typing import Unpack

__all__ = [
    "ROUTE_COLUMNS",
    "FeedKeywords",
    "FeedOptions",
    "dispatch",
    "journeys",
    "journeys_table",
    "timed_route",
]


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
    names = scenario.network.nodes["name_zh"].to_dict()  # a dict: one lookup per stop of every journey

    def name(key: str) -> str:
        if key in names:
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
        scenario_basis=scenario.basis,
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
    trips = np.unique(router.trip[boards])
    # The connections of those trips, grouped by trip and in order of departure (ties in file order), sorted once
    # instead of one scan of every connection per trip.
    picked = np.flatnonzero(np.isin(router.trip, trips))
    picked = picked[np.lexsort((router.dep_time[picked], router.trip[picked]))]
    grouped = router.trip[picked]
    lo = np.searchsorted(grouped, trips, side="left")
    hi = np.searchsorted(grouped, trips, side="right")
    for t, a, b in zip(trips.tolist(), lo.tolist(), hi.tolist(), strict=True):
        conns = picked[a:b]
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
    router = get_timed_router(scenario, mode, timetable=timetable)
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
    from .._api import route

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


def dispatch(kind: str, *args: Any, departure: Departure, statistic: str | None, **kwargs: Any) -> Any:
    """Return the timetable answer of a public routing function (every rail and door-to-door question).

    ``kind`` is ``travel_time``, ``route``, ``skim`` or ``one_to_all``; ``kwargs`` are that function's own
    (``mode``, ``scenario``, ``network`` …). Without ``departure`` the window is the service day and the
    statistic ``fastest``; with a window, ``median`` unless given. Returns ``NotImplemented`` for
    ``mode="road"`` (which no timetable changes: the graph router answers) and for networkx graphs.
    """
    mode = kwargs.get("mode", DEFAULT_TRIP_MODE)
    network = kwargs.get("network")
    if mode == "road" or is_graph(network):
        if (departure is not None or statistic is not None) and is_graph(network):
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


@spelled_out(FeedKeywords, FeedOptions)
def journeys(
    origin: str,
    destination: str,
    *,
    scenario: Any = None,
    mode: str = "hsr",
    departure: Departure = None,
    network: Network | None = None,
    window: Departure = None,
    **options: Unpack[FeedKeywords],
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

    Returns
    -------
    pandas.DataFrame
        One row per usable departure, by departure time: ``trains`` (train numbers, ``→`` between trains),
        ``from``, ``to`` (stations), ``departure``, ``arrival`` (``HH:MM``; past 24:00 is the next morning),
        ``minutes``, ``changes``, ``via`` (stations where the journey changes), ``basis`` (``scheduled``,
        ``modelled`` or ``modelled+scheduled``), ``departure_s``, ``arrival_s`` (seconds after midnight).
        ``attrs["timetable_basis"]`` says which vintage and what is modelled.

    Other Parameters
    ----------------
    timetable : Timetable, str, Path or None
        A feed to use instead of the network's bundled ``timetable/`` (:func:`read_timetable`).
    scheduled_only : bool
        Leave out the modelled trips (services with no timetable): the answer of the published trains alone.

    Examples
    --------
    >>> import pxnet
    >>> j = pxnet.journeys("萍乡北", "广州南", scenario=2020)
    >>> "G631" in set(j["trains"])
    True
    """
    accept_keywords(options, FeedKeywords, function="journeys")
    feed = FeedOptions.pick(options)
    timetable = feed.timetable
    _check_mode(mode)
    if window is not None:
        warn(
            "journeys(window=) is deprecated: give departure= as every routing function does",
            FutureWarning,
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
        scheduled_only=feed.scheduled_only,
    )
