"""The multimodal router: a scenario's roads and rail services as one time-expanded-free state graph.

Rail is routed over *services*, not track. Each station has a hall ``S`` (ready to board) and an arrival
platform ``A``; each service stop has a departure state ``D`` and an arrival state ``R``:

- board ``S → D``: wait = fraction × headway (``initial_wait_fraction`` before the first train,
  ``transfer_wait_fraction`` after), capped at ``max_wait_min``;
- ride ``D(i) → R(i+1)``: running time over the track plus ``stop_loss_min`` (braking and accelerating),
  or the service's sourced ``segment_min`` for that pair where the data give one;
- stay aboard ``R(i) → D(i)``: ``dwell_min``; riding through costs no transfer;
- alight ``R(i) → A``; change trains ``A → S``: the station's ``transfer_min``;
- door to door, enter ``P → S``: ``station_entry_min``; leave ``A → P``: ``station_exit_min``.

States before the first boarding (layer 0) and after it (layer 1) are kept apart, so the initial wait and
the transfer wait can differ without a trip "leaving and re-entering" to dodge a transfer.
"""

from __future__ import annotations

import math
import weakref
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .. import vocabulary as schema
from ..errors import RoutingError
from ..scenario import Scenario
from ._csr import CompiledGraph, csr_from_edges

#: The modes a travel-time question can ask for.
TRIP_MODES = schema.TRIP_MODES

Key = tuple[Any, ...]
Leg = tuple[str, dict[str, Any]]


@dataclass
class Router:
    """A scenario compiled for one trip mode: CSR graph, state keys and what each edge means."""

    scenario: Scenario
    mode: str
    initial_wait_fraction: float
    graph: CompiledGraph
    edge_legs: dict[tuple[int, int], Leg]
    stations: frozenset[str] = field(default_factory=frozenset)

    def sources(self, node_id: str) -> list[int]:
        """State indices a trip from ``node_id`` starts at (empty if the node cannot start one)."""
        if self.mode in ("hsr", "rail"):
            ids = [node_id] if node_id in self.stations else self._served_stations(node_id)
            return self._present([("S", 0, s) for s in ids])
        return self._present([("P", 0, node_id)])

    def targets(self, node_id: str) -> list[int]:
        """State indices a trip to ``node_id`` may end at."""
        if self.mode in ("hsr", "rail"):
            ids = [node_id] if node_id in self.stations else self._served_stations(node_id)
            # ("S", 0, s): a trip from a station to itself takes no time.
            return self._present([("A", s) for s in ids] + [("S", 0, s) for s in ids])
        return self._present([("P", 0, node_id), ("P", 1, node_id)])

    def _present(self, keys: list[Key]) -> list[int]:
        return [self.graph.index[k] for k in keys if k in self.graph.index]

    def _served_stations(self, place: str) -> list[str]:
        nodes = self.scenario.network.nodes
        return [s for s in nodes.index[nodes["place"] == place] if s in self.stations]


_CACHE: weakref.WeakKeyDictionary[Scenario, dict[tuple[str, float], Router]] = weakref.WeakKeyDictionary()

# The model parameters each trip mode's graph depends on directly (speeds act through the scenario's links).
_RAIL_PARAMETERS = (
    "dwell_min",
    "stop_loss_min",
    "transfer_min",
    "transfer_wait_fraction",
    "max_wait_min",
    "service_day_hours",
)
_MODE_PARAMETERS: dict[str, tuple[str, ...]] = {
    "road": (),
    "hsr": _RAIL_PARAMETERS,
    "rail": _RAIL_PARAMETERS,
    "door_to_door": (*_RAIL_PARAMETERS, "station_entry_min", "station_exit_min"),
}
# Routers shared between scenarios that differ only in parameters a mode does not use (parameter sweeps):
# key → (the inputs whose ids the key holds, kept alive so the ids stay unique, and the router).
_SHARED: OrderedDict[tuple[Any, ...], tuple[tuple[Any, ...], Router]] = OrderedDict()
_SHARED_SIZE = 64


def _shared_inputs(scenario: Scenario, mode: str) -> tuple[Any, ...]:
    """What ``_build`` reads from the scenario for a mode (shared objects between parameter variants)."""
    return (scenario.link_rows,) if mode == "road" else (scenario.link_rows, scenario.segment_runs)


def _shared_key(scenario: Scenario, mode: str, fraction: float, inputs: tuple[Any, ...]) -> tuple[Any, ...]:
    headways = sorted(scenario.spec.service_headway_min.items()) if mode != "road" else []
    values = tuple(scenario.parameters.value(name) for name in _MODE_PARAMETERS[mode])
    return (mode, fraction, *map(id, inputs), repr(headways), values)


def get_router(scenario: Scenario, mode: str, *, initial_wait_fraction: float | None = None) -> Router:
    """The compiled router for a scenario and trip mode, built once and cached.

    Parameters
    ----------
    scenario
        The scenario.
    mode
        ``"hsr"`` (high-speed services only, station to station), ``"rail"`` (all passenger rail services,
        station to station), ``"road"`` (roads only) or ``"door_to_door"`` (roads, access and all rail).
    initial_wait_fraction
        Override of ``parameters.initial_wait_fraction`` (0 for "the fastest train" questions).

    Examples
    --------
    >>> import pxnet
    >>> router = get_router(pxnet.get_scenario(2026), "hsr")
    >>> "pingxiang_north" in router.stations
    True
    """
    if mode not in TRIP_MODES:
        raise RoutingError(f"unknown trip mode {mode!r}; use one of {', '.join(TRIP_MODES)}")
    params = scenario.parameters
    fraction = params.initial_wait_fraction if initial_wait_fraction is None else float(initial_wait_fraction)
    if fraction < 0:
        raise RoutingError("initial_wait_fraction must be >= 0")
    per_scenario = _CACHE.setdefault(scenario, {})
    key = (mode, fraction)
    if key not in per_scenario:
        inputs = _shared_inputs(scenario, mode)
        shared = _shared_key(scenario, mode, fraction, inputs)
        hit = _SHARED.get(shared)
        if hit is not None:
            _SHARED.move_to_end(shared)
            per_scenario[key] = replace(hit[1], scenario=scenario)
        else:
            router = _build(scenario, mode, fraction)
            _SHARED[shared] = (inputs, router)
            if len(_SHARED) > _SHARED_SIZE:
                _SHARED.popitem(last=False)
            per_scenario[key] = router
    return per_scenario[key]


def _build(scenario: Scenario, mode: str, initial_fraction: float) -> Router:
    net = scenario.network
    params = scenario.parameters
    use_services = mode in ("hsr", "rail", "door_to_door")
    road_modes = schema.ROAD_MODES if mode in ("road", "door_to_door") else frozenset()
    service_modes = {"hsr"} if mode == "hsr" else {"hsr", "rail"}
    layers = (0, 1) if use_services else (0,)

    keys: dict[Key, int] = {}
    best: dict[tuple[int, int], tuple[float, Leg]] = {}

    def idx(key: Key) -> int:
        if key not in keys:
            keys[key] = len(keys)
        return keys[key]

    def edge(a: Key, b: Key, minutes: float, leg: Leg) -> None:
        i, j = idx(a), idx(b)
        old = best.get((i, j))
        if old is None or minutes < old[0]:
            best[(i, j)] = (minutes, leg)

    for link_id, u, v, link_mode, line, km, minutes, oneway in scenario.link_rows:
        if link_mode not in road_modes:
            continue
        info = {"link": link_id, "mode": link_mode, "line": line, "km": km}
        for layer in layers:
            edge(("P", layer, u), ("P", layer, v), minutes, ("road", info))
            if not oneway:
                edge(("P", layer, v), ("P", layer, u), minutes, ("road", info))
    if mode in ("road", "door_to_door"):
        for place in net.places.index:  # places without links still exist (unreachable, not unknown)
            for layer in layers:
                idx(("P", layer, place))

    stations: set[str] = set()
    if use_services:
        services = scenario.services[scenario.services["mode"].isin(service_modes)]
        runs = scenario.segment_runs
        wait_cap = params.max_wait_min
        for svc in services.itertuples(index=False):
            run_min, timetable_min, km = runs[svc.id]
            stops = list(svc.stops)
            # A sourced timetable time already holds the running time and the time lost at the stops passed.
            run = [
                t if math.isfinite(t) else r + params.stop_loss_min for r, t in zip(run_min, timetable_min, strict=True)
            ]
            directions = [(stops, run, km, "forward")]
            if svc.bidirectional:
                directions.append((stops[::-1], run[::-1], km[::-1], "reverse"))
            headway = float(svc.headway_min)
            first_wait = min(initial_fraction * headway, wait_cap)
            next_wait = min(params.transfer_wait_fraction * headway, wait_cap)
            for seq_stops, seq_run, seq_km, direction in directions:
                stations.update(seq_stops)
                for i, stop in enumerate(seq_stops):
                    dep, arr = ("D", svc.id, direction, i), ("R", svc.id, direction, i)
                    info = {"service": svc.id, "name": svc.name, "mode": svc.mode, "stop": stop, "headway": headway}
                    if i < len(seq_stops) - 1:
                        edge(("S", 0, stop), dep, first_wait, ("wait", info))
                        edge(("S", 1, stop), dep, next_wait, ("wait", info))
                        nxt = seq_stops[i + 1]
                        ride = {**info, "to": nxt, "km": seq_km[i]}
                        edge(dep, ("R", svc.id, direction, i + 1), seq_run[i], ("ride", ride))
                    if i > 0:
                        edge(arr, ("A", stop), 0.0, ("alight", info))
                        if i < len(seq_stops) - 1:
                            edge(arr, dep, params.dwell_min, ("dwell", info))
        transfer = net.nodes["transfer_min"].astype(float).fillna(params.transfer_min)
        for station in sorted(stations):
            edge(("A", station), ("S", 1, station), float(transfer[station]), ("transfer", {"station": station}))
            if mode == "door_to_door":
                for layer in layers:
                    edge(
                        ("P", layer, station),
                        ("S", layer, station),
                        params.station_entry_min,
                        ("entry", {"station": station}),
                    )
                edge(("A", station), ("P", 1, station), params.station_exit_min, ("exit", {"station": station}))
            else:
                idx(("S", 0, station))

    n = len(keys)
    pairs = np.array(list(best), dtype=np.int64).reshape(-1, 2)
    weights = np.array([w for w, _ in best.values()], dtype=np.float64)
    matrix = csr_from_edges(n, pairs[:, 0], pairs[:, 1], weights)
    nodes = [None] * n
    for key, i in keys.items():
        nodes[i] = key  # type: ignore[call-overload]
    graph = CompiledGraph(matrix, nodes)  # type: ignore[arg-type]
    legs = {pair: leg for pair, (_, leg) in best.items()}
    return Router(scenario, mode, initial_fraction, graph, legs, frozenset(stations))
