"""Travel times, routes with their legs, and skims — on the bundled network or any osmnx-style graph.

All times are minutes. On a networkx graph (e.g. an OSM road graph) the weight is an edge attribute:
``travel_time`` (seconds, osmnx convention) is reported in minutes, any other weight in its own units.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Hashable, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pandas as pd

from .. import _cache
from ..errors import RoutingError, warn
from ..network import Network
from ..scenario import ScenarioArg, resolve
from ..vocabulary import ARGUMENT_LIMITS, DEFAULT_TRIP_MODE, check_argument, trip_mode
from ._request import DepartureKeywords, TimingKeywords, TimingOptions, accept_keywords, spelled_out
from .graph import (
    TRIP_MODES,
    CompiledGraph,
    FloatArray,
    Router,
    cached_compile,
    get_router,
    hierarchy_matrix,
    is_graph,
    key_index,
)
from .timetable import ROUTE_COLUMNS, Departure, arrive_by, dispatch

if TYPE_CHECKING:
    from typing import Unpack

    import networkx as nx

__all__ = ["TRIP_MODES", "RoutingError", "clear_cache", "one_to_all", "route", "skim", "travel_time"]

NetworkArg: TypeAlias = "Network | nx.Graph | None"

#: Distances a skim holds at once (origins of a chunk × nodes): 2²⁴ float64 are 128 MiB.
SKIM_CHUNK_CELLS = 2**24


def clear_cache(owner: Any = None) -> None:
    """Forget what pxnet has compiled and remembered for ``owner`` (a networkx graph, a network or a scenario).

    pxnet notices a graph re-weighted in place (osmnx ``add_edge_speeds``/``add_edge_travel_times``,
    :func:`pxnet.osm.prepare_roads`) on its own, by a fingerprint of the node count and a sample of edge
    weights; call this after editing a few edges by hand. ``None`` forgets everything, for every owner.

    Examples
    --------
    >>> import networkx as nx, pxnet
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge(1, 2, travel_time=60.0)
    >>> float(pxnet.skim([1], [2], network=G).iloc[0, 0])
    1.0
    >>> G.add_edge(1, 2, travel_time=30.0)  # a faster parallel edge: the sampled weights are unchanged
    1
    >>> clear_cache(G)
    >>> float(pxnet.skim([1], [2], network=G).iloc[0, 0])
    0.5
    """
    _cache.clear(owner)


def _checked(*, mode: str, network: object, cutoff: object = None, initial_wait_fraction: object = None) -> str:
    """Validate the common arguments of the public functions; the trip mode, case and aliases folded."""
    if network is not None and not (isinstance(network, Network) or is_graph(network)):
        raise RoutingError(f"network must be a pxnet Network or a networkx graph, not {type(network).__name__}")
    limit = ARGUMENT_LIMITS["cutoff_graph" if is_graph(network) else "cutoff"]
    if cutoff is not None:
        check_argument("cutoff", cutoff, limit)
    if initial_wait_fraction is not None:
        check_argument("initial_wait_fraction", initial_wait_fraction, ARGUMENT_LIMITS["initial_wait_fraction"])
        warn_wait_fraction()
    return mode if is_graph(network) else trip_mode(mode)


def warn_wait_fraction() -> None:
    """``initial_wait_fraction`` belonged to the frequency router; the timetable answers without it."""
    warn(
        "initial_wait_fraction has no effect since 0.3: every rail answer comes from the scenario's timetable "
        "(the default is the fastest journey of the service day; ask for statistic='median' or a departure= "
        "window to count waiting). It will be removed in 0.4.",
        FutureWarning,
    )


def _router(mode: str, scenario: ScenarioArg, network: Network | None, initial_wait_fraction: float | None) -> Router:
    del initial_wait_fraction
    return get_router(resolve(scenario, network), mode)


def _best(router: Router, origin: str, destination: str, *, predecessors: bool = False) -> tuple[float, Any]:
    sources = router.sources(origin)
    targets = router.targets(destination)
    if not sources or not targets:
        return math.inf, None
    dist, pred = router.graph.distances(sources, min_only=True, predecessors=predecessors)
    values = dist[targets]
    k = int(np.argmin(values))
    return float(values[k]), (pred, targets[k]) if predecessors else None


@spelled_out(TimingKeywords, TimingOptions)
def travel_time(
    origin: str,
    destination: str,
    *,
    mode: str = DEFAULT_TRIP_MODE,
    scenario: ScenarioArg = None,
    network: NetworkArg = None,
    initial_wait_fraction: float | None = None,
    **options: Unpack[TimingKeywords],
) -> float:
    """Travel time in minutes between two places (``math.inf`` when unreachable).

    By default the fastest journey departing within the service day (06:00 to 23:00 in the bundled
    parameters), from the scenario's timetable: the quantity the plan's goals judge. Every rail and
    door-to-door answer comes from the timetable; ``mode="road"`` from the road graph.

    Parameters
    ----------
    origin, destination
        Place or node: id, Chinese or English name (``"萍乡"``, ``"广州南"``, ``"Shenzhen"``).
    mode
        ``"hsr"`` (high-speed rail services only, station to station), ``"rail"`` (any passenger rail,
        station to station), ``"road"`` (driving), ``"door_to_door"`` (any of these plus access roads,
        station entry and exit). For the station-to-station modes a place stands for its stations.
    scenario
        A :class:`~pxnet.Scenario`, a scenario name (``"plan-2025"``) or a year; ``None`` is the network as
        built today.
    network
        The network (default: the bundled Pingxiang network).
    initial_wait_fraction
        Deprecated, no effect (the frequency router that used it is gone): a ``FutureWarning``.

    Returns
    -------
    float
        Minutes.

    Other Parameters
    ----------------
    departure : str, datetime.time, tuple or None
        A time (``"07:30"``: the earliest arrival leaving then, waiting included) or a window
        (``("06:00", "22:00")``). Without ``departure``: the service day, ``"fastest"``.
    statistic : str or None
        Over a window, ``"median"`` (the default with a window), ``"fastest"`` or a percentile such as ``"p80"``
        summarises the travel time of a departure at every minute, waiting included.
    arrival : str, datetime.time or None
        Arrive by this clock time (``"12:00"``): the minutes before it one must leave (the latest departure
        that arrives in time). Not with ``departure``.

    Raises
    ------
    UnknownPlaceError
        For an unknown place, with suggestions.

    Examples
    --------
    >>> import pxnet
    >>> t = pxnet.travel_time("萍乡北", "长沙南", mode="hsr", scenario=2025)
    >>> 20 < t < 90
    True
    """
    accept_keywords(options, TimingKeywords, function="travel_time")
    timing = TimingOptions.pick(options)
    mode = _checked(mode=mode, network=network, initial_wait_fraction=initial_wait_fraction)
    kw = dict(mode=mode, scenario=scenario, network=network)
    if timing.arrival is not None:
        return _arrive_by(origin, destination, mode=mode, scenario=scenario, network=network, arrival=timing.arrival)
    departure, statistic = timing.departure, timing.statistic
    if (
        timed := dispatch("travel_time", origin, destination, departure=departure, statistic=statistic, **kw)
    ) is not NotImplemented:
        return float(timed)
    if is_graph(network):  # an osmnx-style graph: routed on its travel_time (seconds)
        return float(skim([origin], [destination], network=network).iloc[0, 0])
    router = _router(mode, scenario, network, initial_wait_fraction)
    net = router.scenario.network
    return _best(router, net.resolve(origin), net.resolve(destination))[0]


def _arrive_by(
    origin: str,
    destination: str,
    *,
    mode: str,
    scenario: ScenarioArg,
    network: NetworkArg,
    arrival: Departure,
) -> float:
    if is_graph(network) or mode == "road":
        raise RoutingError("arrival= asks the timetable: use mode 'hsr', 'rail' or 'door_to_door' on a pxnet network")
    sc = resolve(scenario, network if isinstance(network, Network) else None)
    o, d = sc.network.resolve(origin), sc.network.resolve(destination)
    return arrive_by(sc, o, d, mode=mode, arrival=arrival)


def route(
    origin: str,
    destination: str,
    *,
    mode: str = DEFAULT_TRIP_MODE,
    scenario: ScenarioArg = None,
    network: NetworkArg = None,
    initial_wait_fraction: float | None = None,
    departure: Departure = None,
    statistic: str | None = None,
) -> pd.DataFrame:
    """Return the fastest route as a table of legs, so a planner sees why a trip takes what it takes.

    Parameters are those of :func:`travel_time`; whichever engine answers, the columns are the same. The legs
    are those of the journey behind :func:`travel_time`'s answer: the fastest journey of the service day by
    default, the earliest arrival after a ``departure`` time, or the journey of a window's statistic (waiting at
    the origin included); ``via`` of a ride is the train number.

    Returns
    -------
    pandas.DataFrame
        One row per leg: ``leg`` (``ride``, ``wait``, ``transfer``, ``road``, ``access``, ``egress``), ``mode``
        (e.g. ``hsr``, ``rail``, ``expressway``), ``from``, ``to`` (Chinese names), ``from_id``, ``to_id``,
        ``via`` (train number or road/line), ``km`` (road legs), ``minutes``, ``departure``, ``arrival``
        (``HH:MM``; past 24:00 is the next day), ``basis`` (``scheduled``, ``re-timed``, ``modelled`` or
        ``road``), ``modified_by`` (the timetable modifications behind a train's times). ``attrs`` holds
        ``minutes`` (the total), ``origin``, ``destination``, ``mode``, ``scenario``, and for timetable answers
        ``statistic``, ``window`` and ``timetable_basis``. An unreachable trip gives an empty table with
        ``attrs["minutes"] == inf``.

    Examples
    --------
    >>> import pxnet
    >>> legs = pxnet.route("萍乡北", "长沙南", mode="hsr", scenario=2025)
    >>> legs["leg"].tolist()
    ['ride']
    >>> bool(abs(legs["minutes"].sum() - legs.attrs["minutes"]) < 1e-6)
    True
    """
    TimingOptions(departure=departure, statistic=statistic)
    mode = _checked(mode=mode, network=network, initial_wait_fraction=initial_wait_fraction)
    kw = dict(mode=mode, scenario=scenario, network=network)
    if (
        timed := dispatch("route", origin, destination, departure=departure, statistic=statistic, **kw)
    ) is not NotImplemented:
        return timed
    if is_graph(network):
        raise RoutingError(
            "route() needs a pxnet Network; on a networkx graph use pxnet.travel_time or pxnet.skim (times), "
            "osmnx.shortest_path (the path), or pxnet.osm.door_to_door (trips through the pxnet network)"
        )
    router = _router(mode, scenario, network, initial_wait_fraction)
    net = router.scenario.network
    o, d = net.resolve(origin), net.resolve(destination)
    minutes, found = _best(router, o, d, predecessors=True)
    rows: list[dict[str, Any]] = []
    if found is not None and math.isfinite(minutes):
        pred, target = found
        path = [target]
        while pred[path[-1]] >= 0:
            path.append(int(pred[path[-1]]))
        path.reverse()
        rows = _legs(router, path)
    frame = pd.DataFrame(rows, columns=["leg", "mode", "from", "to", "from_id", "to_id", "via", "km", "minutes"])
    frame = frame.assign(departure="", arrival="", basis="road", modified_by="").reindex(columns=ROUTE_COLUMNS)
    frame.attrs.update(
        minutes=minutes,
        origin=o,
        destination=d,
        mode=mode,
        scenario=router.scenario.name,
        scenario_basis=router.scenario.basis,
    )
    return frame


def _legs(router: Router, path: list[int]) -> list[dict[str, Any]]:
    """Road legs along a path of road states, consecutive links of one road joined."""
    names = router.scenario.network.nodes["name_zh"]
    matrix = router.graph.matrix
    nodes = router.nodes
    rows: list[dict[str, Any]] = []
    for a, b in itertools.pairwise(path):
        info = router.leg(a, b)
        minutes = float(matrix[a, b])
        via = info["line"] or info["mode"]
        last = rows[-1] if rows else None
        if last and last["mode"] == info["mode"] and last["via"] == via:
            last.update(to_id=nodes[b], minutes=last["minutes"] + minutes, km=last["km"] + info["km"])
        else:
            rows.append(
                dict(
                    leg="road",
                    mode=info["mode"],
                    from_id=nodes[a],
                    to_id=nodes[b],
                    via=via,
                    km=info["km"],
                    minutes=minutes,
                )
            )
    for row in rows:
        row["from"], row["to"] = names[row["from_id"]], names[row["to_id"]]
    return rows


def _graph_skim(
    compiled: CompiledGraph, origins: list[int], destinations: list[int], limit: float | None
) -> FloatArray:
    """Origins × destinations on a compiled graph, in chunks of origins so memory grows with the matrix.

    With many origins and no cut-off, each search stops at a radius sure to settle its destinations:
    from one reference origin ``r``, ``t(o, d) <= t(o, r) + max_d t(r, d)`` (two searches, from ``r`` and
    backwards to it), so searching to that bound changes no answer and spares the graph beyond it.
    """
    n = compiled.matrix.shape[0]
    out = np.empty((len(origins), len(destinations)))
    if not len(origins):
        return out
    cols = np.asarray(destinations, dtype=np.int64)
    bounds = np.full(len(origins), np.inf if limit is None else float(limit))
    if limit is None and len(origins) >= 8 and len(cols):
        ref = origins[0]
        to_dests = compiled.distances([ref])[0][0][cols].max()
        to_ref = compiled.reversed().distances([ref], min_only=True)[0][np.asarray(origins)]
        bounds = np.minimum(bounds, to_ref + to_dests)  # inf where either is unreachable: a full search
        # The bound is a sum of the same edge weights the search adds up; a hair of slack absorbs rounding.
        bounds = bounds * (1 + 1e-9) + 1e-9
    # Origins in order of their radius, searched in groups that share the group's largest radius.
    order = np.argsort(bounds, kind="stable")
    every = len(cols) == n and bool(np.array_equal(cols, np.arange(n)))
    uniform = bool(np.all(bounds == bounds[0]))
    group = max(1, min(SKIM_CHUNK_CELLS // max(n, 1), len(origins) if uniform else 32))
    src = np.asarray(origins, dtype=np.int64)
    for start in range(0, len(origins), group):
        rows = order[start : start + group]
        radius = float(bounds[rows].max())
        dist = compiled.distances(src[rows].tolist(), cutoff=None if math.isinf(radius) else radius)[0]
        if every and len(rows) == len(origins) and bool(np.all(rows == np.arange(len(rows)))):
            return np.asarray(dist, dtype=np.float64)  # one search of every origin to every node: no copy
        out[rows] = dist if every else dist[:, cols]
    return out


def _scale(weight: str) -> float:
    return 60.0 if weight == "travel_time" else 1.0


@spelled_out(DepartureKeywords, TimingOptions)
def skim(
    origins: str | Sequence[Hashable],
    destinations: str | Sequence[Hashable] | None = None,
    *,
    mode: str = DEFAULT_TRIP_MODE,
    scenario: ScenarioArg = None,
    network: NetworkArg = None,
    weight: str = "travel_time",
    cutoff: float | None = None,
    initial_wait_fraction: float | None = None,
    **options: Unpack[DepartureKeywords],
) -> pd.DataFrame:
    """Return an origin × destination matrix of travel times in minutes.

    Parameters
    ----------
    origins, destinations
        Place names or ids (for a pxnet network) or node keys (for a networkx graph). ``destinations=None``
        means the same as the origins.
    mode, scenario, initial_wait_fraction
        As in :func:`travel_time` (ignored for a networkx graph).
    network
        A :class:`~pxnet.Network` (default: the bundled one), or any networkx graph following osmnx
        conventions, routed on ``weight``.
    weight
        Edge attribute for networkx graphs; ``travel_time`` (seconds) is reported in minutes.
    cutoff
        Times above this (minutes, or the weight's units) are reported as ``inf``.

    Returns
    -------
    pandas.DataFrame
        Rows are origins, columns destinations (labelled as given), values minutes (``inf``: unreachable).

    Other Parameters
    ----------------
    departure : str, datetime.time, tuple or None
        As in :func:`travel_time` (pxnet networks only).
    statistic : str or None
        As in :func:`travel_time` (pxnet networks only).

    Examples
    --------
    >>> import pxnet
    >>> m = pxnet.skim(["萍乡", "长沙"], ["广州", "深圳"], mode="door_to_door", scenario=2025)
    >>> m.shape
    (2, 2)
    """
    accept_keywords(options, DepartureKeywords, function="skim")
    timing = TimingOptions.pick(options)
    mode = _checked(mode=mode, network=network, cutoff=cutoff, initial_wait_fraction=initial_wait_fraction)
    kw = dict(mode=mode, scenario=scenario, network=network, cutoff=cutoff)
    if (
        timed := dispatch("skim", origins, destinations, departure=timing.departure, statistic=timing.statistic, **kw)
    ) is not NotImplemented:
        return timed
    origin_list = [origins] if isinstance(origins, str) else list(origins)
    dest_list = (
        origin_list
        if destinations is None
        else ([destinations] if isinstance(destinations, str) else list(destinations))
    )
    if is_graph(network):
        compiled = cached_compile(network, weight=weight)
        scale = _scale(weight)
        limit = None if cutoff is None else cutoff * scale
        o_idx, d_idx = compiled.indices(origin_list), compiled.indices(dest_list)
        # A small matrix on a large graph: the graph's contraction hierarchy, once it pays for its build.
        values = hierarchy_matrix(network, compiled, o_idx, d_idx, limit=limit)
        values = _graph_skim(compiled, o_idx, d_idx, limit) if values is None else values
        values /= scale  # in place: a skim to every node of a large graph is big
        return pd.DataFrame(
            values, index=key_index(origin_list, name="origin"), columns=key_index(dest_list, name="destination")
        )
    router = _router(mode, scenario, network, initial_wait_fraction)
    net = router.scenario.network
    o_ids = [net.resolve(str(o)) for o in origin_list]
    d_ids = [net.resolve(str(d)) for d in dest_list]
    target_sets = [router.targets(d) for d in d_ids]
    source_sets = [router.sources(o) for o in o_ids]
    out = np.full((len(o_ids), len(d_ids)), np.inf)
    rows = [r for r, sources in enumerate(source_sets) if sources]
    one_source = [r for r in rows if len(source_sets[r]) == 1]
    # One scipy call for all single-source origins; origins with several stations need min_only each.
    blocks: list[tuple[list[int], np.ndarray]] = []
    if one_source:
        dist, _ = router.graph.distances([source_sets[r][0] for r in one_source], cutoff=cutoff)
        blocks.append((one_source, dist))
    for r in rows:
        if len(source_sets[r]) > 1:
            dist, _ = router.graph.distances(source_sets[r], min_only=True, cutoff=cutoff)
            blocks.append(([r], dist[np.newaxis, :]))
    for block_rows, dist in blocks:
        for c, targets in enumerate(target_sets):
            if targets:
                out[block_rows, c] = dist[:, targets].min(axis=1)
    if cutoff is not None:
        out[out > cutoff] = np.inf
    frame = pd.DataFrame(
        out, index=pd.Index(origin_list, name="origin"), columns=pd.Index(dest_list, name="destination")
    )
    frame.attrs.update(mode=mode, scenario=router.scenario.name, scenario_basis=router.scenario.basis, units="minutes")
    return frame


@spelled_out(DepartureKeywords, TimingOptions)
def one_to_all(
    origin: Hashable | list[Hashable],
    *,
    mode: str = DEFAULT_TRIP_MODE,
    scenario: ScenarioArg = None,
    network: NetworkArg = None,
    weight: str = "travel_time",
    cutoff: float | None = None,
    initial_wait_fraction: float | None = None,
    **options: Unpack[DepartureKeywords],
) -> pd.Series:
    """Travel times from one origin to every node reached (within ``cutoff``).

    Parameters
    ----------
    origin
        A place name/id (pxnet network) or a node key, or a list of node keys (networkx graph; the nearest
        of them counts).
    mode, scenario, network, weight, cutoff, initial_wait_fraction
        As in :func:`skim`.

    Returns
    -------
    pandas.Series
        Minutes (or weight units) indexed by node id (pxnet network: every node reached by the trip mode,
        station nodes at their arrival) or node key (networkx graph); unreached nodes are left out.

    Other Parameters
    ----------------
    departure : str, datetime.time, tuple or None
        As in :func:`travel_time`; with ``departure=``, the stations the timetable reaches.
    statistic : str or None
        As in :func:`travel_time`.

    Examples
    --------
    >>> import pxnet
    >>> times = pxnet.one_to_all("萍乡", mode="road", scenario=2025, cutoff=120)
    >>> bool(times["pingxiang"] == 0)
    True
    """
    accept_keywords(options, DepartureKeywords, function="one_to_all")
    timing = TimingOptions.pick(options)
    mode = _checked(mode=mode, network=network, cutoff=cutoff, initial_wait_fraction=initial_wait_fraction)
    kw = dict(mode=mode, scenario=scenario, network=network, cutoff=cutoff)
    departure, statistic = timing.departure, timing.statistic
    if (timed := dispatch("one_to_all", origin, departure=departure, statistic=statistic, **kw)) is not NotImplemented:
        return timed
    if is_graph(network):
        scale = _scale(weight)
        keys = origin if isinstance(origin, list) else [origin]
        limit = None if cutoff is None else cutoff * scale
        return cached_compile(network, weight=weight).series_from(keys, cutoff=limit, scale=scale)
    router = _router(mode, scenario, network, initial_wait_fraction)
    net = router.scenario.network
    sources = router.sources(net.resolve(str(origin)))
    if not sources:
        return pd.Series(dtype=float, name="minutes")
    dist, _ = router.graph.distances(sources, min_only=True, cutoff=cutoff)
    keep = np.isfinite(dist)
    return pd.Series(dist[keep], index=pd.Index(router.nodes[keep]), dtype=float, name="minutes").sort_values()
