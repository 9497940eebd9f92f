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

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, overload

import numpy as np
import numpy.typing as npt

from .. import _cache
from .. import vocabulary as schema
from ..errors import RoutingError
from ..network import Network
from ..scenario import Scenario
from ._csr import CompiledGraph, csr_with_order
from ._inputs import LinkArrays, ServiceStops, link_arrays, place_positions, positions, service_stops
from ._states import ARRIVAL, DEPARTURE, HALL, PLACE, PLATFORM, Leg, State, StateTable

#: The modes a travel-time question can ask for.
TRIP_MODES = schema.TRIP_MODES

#: Leg kinds, by the code :attr:`CompiledRouter.leg_kind` stores.
LEG_KINDS = ("road", "wait", "ride", "dwell", "alight", "transfer", "entry", "exit")
ROAD, WAIT, RIDE, DWELL, ALIGHT, TRANSFER, ENTRY, EXIT = range(len(LEG_KINDS))

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
#: Compiled routers a network keeps (least recently used first out); one assessment uses about 120.
ROUTERS_PER_NETWORK = 256


@dataclass(frozen=True)
class Directions:
    """The service stop table expanded to both directions: one row per stop of each service direction."""

    service: npt.NDArray[Any]
    name: npt.NDArray[Any]
    mode: npt.NDArray[Any]
    stop: npt.NDArray[Any]
    direction: npt.NDArray[Any]
    position: npt.NDArray[np.int64]
    first: npt.NDArray[np.bool_]
    last: npt.NDArray[np.bool_]
    run: npt.NDArray[np.float64]
    km: npt.NDArray[np.float64]
    headway: npt.NDArray[np.float64]


class _Bases(NamedTuple):
    """Where each kind of state starts in a mode's state numbering (road states start at 0)."""

    hall: int
    platform: int
    departure: int
    arrival: int


@dataclass(frozen=True)
class CompiledRouter:
    """A trip mode's state graph, shared by every scenario whose inputs for that mode are identical.

    It refers to no scenario (the memo that holds it belongs to the network), so it frees with the network.
    """

    mode: str
    initial_wait_fraction: float
    graph: CompiledGraph
    states: StateTable
    leg_kind: npt.NDArray[np.int8]
    leg_ref: npt.NDArray[np.int64]
    roads: LinkArrays
    directions: Directions
    station_ids: npt.NDArray[Any]
    stations: frozenset[str]
    place: tuple[dict[str, int], dict[str, int]]
    hall: tuple[dict[str, int], dict[str, int]]
    platform: dict[str, int]


@dataclass(frozen=True)
class Router:
    """A scenario compiled for one trip mode: a view of a shared :class:`CompiledRouter` for that scenario.

    Parameters
    ----------
    scenario
        The scenario asked about.
    compiled
        The state graph (shared with other scenarios whose inputs for this mode are the same).
    """

    scenario: Scenario
    compiled: CompiledRouter

    @property
    def mode(self) -> str:
        """The trip mode."""
        return self.compiled.mode

    @property
    def initial_wait_fraction(self) -> float:
        """The boarding wait at the first station, as a fraction of the headway."""
        return self.compiled.initial_wait_fraction

    @property
    def graph(self) -> CompiledGraph:
        """The CSR state graph."""
        return self.compiled.graph

    @property
    def states(self) -> StateTable:
        """The states of :attr:`graph`, in matrix index order."""
        return self.compiled.states

    @property
    def stations(self) -> frozenset[str]:
        """Ids of the stations a service of this mode calls at."""
        return self.compiled.stations

    def sources(self, node_id: str) -> list[int]:
        """State indices a trip from ``node_id`` starts at (empty if the node cannot start one)."""
        c = self.compiled
        if self.mode in ("hsr", "rail"):
            return _present(c.hall[0], self._stations_for(node_id))
        return _present(c.place[0], [node_id])

    def targets(self, node_id: str) -> list[int]:
        """State indices a trip to ``node_id`` may end at."""
        c = self.compiled
        if self.mode in ("hsr", "rail"):
            ids = self._stations_for(node_id)
            # Hall(0, s): a trip from a station to itself takes no time.
            return _present(c.platform, ids) + _present(c.hall[0], ids)
        return _present(c.place[0], [node_id]) + _present(c.place[1], [node_id])

    def place_nodes(self) -> list[str]:
        """Road nodes a trip can start from (sorted); for the station-to-station modes, the stations."""
        if self.mode in ("hsr", "rail"):
            return sorted(self.stations)
        return sorted(self.compiled.place[0])

    def leg(self, a: int, b: int) -> Leg:
        """Describe what the edge from state ``a`` to state ``b`` means."""
        c = self.compiled
        matrix = c.graph.matrix
        lo, hi = int(matrix.indptr[a]), int(matrix.indptr[a + 1])
        hits = np.flatnonzero(matrix.indices[lo:hi] == b)
        if not len(hits):
            raise RoutingError(f"no edge between states {a} and {b}")
        pos = lo + int(hits[0])
        kind, ref = int(c.leg_kind[pos]), int(c.leg_ref[pos])
        if kind == ROAD:
            r = c.roads
            info: dict[str, Any] = {"link": r.id[ref], "mode": r.mode[ref], "line": r.line[ref], "km": float(r.km[ref])}
        elif kind in (TRANSFER, ENTRY, EXIT):
            info = {"station": str(c.station_ids[ref])}
        else:
            d = c.directions
            info = {
                "service": d.service[ref],
                "name": d.name[ref],
                "mode": d.mode[ref],
                "stop": d.stop[ref],
                "headway": float(d.headway[ref]),
            }
            if kind == RIDE:
                info.update(to=d.stop[ref + 1], km=float(d.km[ref]))
        return Leg(LEG_KINDS[kind], info)

    def _stations_for(self, node_id: str) -> list[str]:
        if node_id in self.stations:
            return [node_id]
        nodes = self.scenario.network.nodes
        return [s for s in nodes.index[nodes["place"] == node_id] if s in self.stations]


def _present(lookup: dict[str, int], ids: list[str]) -> list[int]:
    return [lookup[i] for i in ids if i in lookup]


def get_router(scenario: Scenario, mode: str, *, initial_wait_fraction: float | None = None) -> Router:
    """Return the compiled router for a scenario and trip mode, built once and shared.

    Routers are remembered per network under a fingerprint of what they are built from (the mode's links,
    services, run times and parameters), so scenarios that differ only in what a mode ignores share one,
    and a second analysis reuses the first one's (see :mod:`pxnet._cache`).

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
    key = _cache.memo(scenario, "router keys").get((mode, fraction), lambda: _content_key(scenario, mode, fraction))
    routers = _cache.memo(scenario.network, "routers", maxsize=ROUTERS_PER_NETWORK)
    return Router(scenario, routers.get(key, lambda: _build(scenario, mode, fraction)))


def _road_modes(mode: str) -> frozenset[str]:
    return schema.ROAD_MODES if mode in ("road", "door_to_door") else frozenset()


def _service_modes(mode: str) -> frozenset[str]:
    if mode == "road":
        return frozenset()
    return frozenset({"hsr"}) if mode == "hsr" else frozenset({"hsr", "rail"})


def _content_key(scenario: Scenario, mode: str, fraction: float) -> tuple[Any, ...]:
    """Everything :func:`_build` reads for a mode, as a fingerprint (the network's own tables are fixed)."""
    values = tuple(scenario.parameters.value(name) for name in _MODE_PARAMETERS[mode])
    roads = link_arrays(scenario).subset(_road_modes(mode)).fingerprint()
    modes = _service_modes(mode)
    stops = service_stops(scenario, modes).fingerprint() if modes else b""
    return (mode, fraction, values, roads, stops)


def _directions(stops: ServiceStops, stop_loss: float) -> Directions:
    """Forward rows, then the reverse rows of bidirectional services (a sourced time replaces run + loss)."""
    n = len(stops.service)
    run = np.where(np.isfinite(stops.timetable_min), stops.timetable_min, stops.run_min + stop_loss)
    group = np.cumsum(stops.first) - 1
    starts = np.flatnonzero(stops.first)
    position = np.arange(n) - starts[group] if n else np.zeros(0, dtype=np.int64)
    back = np.flatnonzero(stops.bidirectional)
    back = back[np.lexsort((-position[back], group[back]))]
    # Reverse leg j of a service is forward leg (k - 2 - j): the row before, in forward order.
    prev = np.maximum(back - 1, 0)
    rev_last = stops.first[back]
    rows = np.concatenate([np.arange(n), back])
    rev_position = np.zeros(0, dtype=np.int64)
    if len(back):  # position within the reversed sequence: 0 at each service's new first stop
        grp = group[back]
        starts_b = np.r_[0, np.flatnonzero(grp[1:] != grp[:-1]) + 1]
        rev_position = np.arange(len(back)) - np.repeat(starts_b, np.diff(np.r_[starts_b, len(back)]))
    return Directions(
        service=stops.service[rows],
        name=stops.name[rows],
        mode=stops.mode[rows],
        stop=stops.stop[rows],
        direction=np.array(["forward"] * n + ["reverse"] * len(back), dtype=object),
        position=np.concatenate([position, rev_position]).astype(np.int64),
        first=np.concatenate([stops.first, stops.last[back]]),
        last=np.concatenate([stops.last, rev_last]),
        run=np.concatenate([run, np.where(rev_last, np.nan, run[prev])]),
        km=np.concatenate([stops.km, np.where(rev_last, np.nan, stops.km[prev])]),
        headway=stops.headway[rows],
    )


#: One block of edges of a single kind: sources, targets, weights, the kind, and what each edge refers to.
_Block = tuple[Any, Any, Any, int, Any]


def _block(src: Any, dst: Any, weight: Any, kind: int, ref: Any) -> _Block:
    src = np.asarray(src, dtype=np.int64)
    return (src, dst, np.broadcast_to(np.asarray(weight, dtype=np.float64), src.shape), kind, ref)


def _p_state(pnodes: npt.NDArray[np.int64], layer: int, pos: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    # The road state of network node positions ``pos`` in a layer (0 before any ride, 1 after one).
    return layer * len(pnodes) + np.searchsorted(pnodes, pos)


def _road_state_nodes(
    net: Network, roads: LinkArrays, mode: str, station_ids: npt.NDArray[Any]
) -> npt.NDArray[np.int64]:
    # Road nodes: every link end, every place (unreachable rather than unknown), stations (door to door).
    if mode in ("hsr", "rail"):
        return np.zeros(0, dtype=np.int64)
    parts = [roads.u, roads.v]
    if mode in ("road", "door_to_door"):
        parts.append(place_positions(net))
    if mode == "door_to_door":
        parts.append(positions(net, station_ids).astype(np.int64))
    return np.unique(np.concatenate(parts))


def _road_blocks(roads: LinkArrays, pnodes: npt.NDArray[np.int64], layers: tuple[int, ...]) -> list[_Block]:
    # Each road link in each layer, both ways unless one-way.
    if not len(roads.u):
        return []
    both = ~roads.oneway
    ref = np.repeat(np.arange(len(roads.u)), 2).reshape(-1, 2)
    keep = np.column_stack([np.ones(len(roads.u), dtype=bool), both]).ravel()
    blocks = []
    for layer in layers:
        pu, pv = _p_state(pnodes, layer, roads.u), _p_state(pnodes, layer, roads.v)
        src = np.column_stack([pu, pv]).ravel()[keep]
        dst = np.column_stack([pv, pu]).ravel()[keep]
        blocks.append(_block(src, dst, np.repeat(roads.minutes, 2)[keep], ROAD, ref.ravel()[keep]))
    return blocks


def _service_blocks(
    base: _Bases,
    scenario: Scenario,
    mode: str,
    dirs: Directions,
    station_ids: npt.NDArray[Any],
    pnodes: npt.NDArray[np.int64],
    layers: tuple[int, ...],
    initial_fraction: float,
) -> list[_Block]:
    # Waits, rides, dwells, alighting and transfers at stations; entry and exit for door-to-door trips.
    net, params = scenario.network, scenario.parameters
    n_s, n_t = len(station_ids), len(dirs.stop)
    t = np.arange(n_t)
    s_of = np.searchsorted(station_ids, dirs.stop).astype(np.int64)
    wait_cap = params.max_wait_min
    go = ~dirs.last
    off = ~dirs.first
    first_wait = np.minimum(initial_fraction * dirs.headway, wait_cap)
    next_wait = np.minimum(params.transfer_wait_fraction * dirs.headway, wait_cap)
    mid = go & off
    s = np.arange(n_s)
    transfer = net.nodes["transfer_min"].to_numpy(dtype=np.float64, na_value=np.nan)[positions(net, station_ids)]
    transfer = np.where(np.isnan(transfer), params.transfer_min, transfer)
    blocks = [
        _block(base.hall + s_of[go], base.departure + t[go], first_wait[go], WAIT, t[go]),
        _block(base.hall + n_s + s_of[go], base.departure + t[go], next_wait[go], WAIT, t[go]),
        _block(base.departure + t[go], base.arrival + t[go] + 1, dirs.run[go], RIDE, t[go]),
        _block(base.arrival + t[off], base.platform + s_of[off], 0.0, ALIGHT, t[off]),
        _block(base.arrival + t[mid], base.departure + t[mid], params.dwell_min, DWELL, t[mid]),
        _block(base.platform + s, base.hall + n_s + s, transfer, TRANSFER, s),
    ]
    if mode == "door_to_door":
        st_pos = positions(net, station_ids).astype(np.int64)
        for layer in layers:
            blocks.append(
                _block(_p_state(pnodes, layer, st_pos), base.hall + layer * n_s + s, params.station_entry_min, ENTRY, s)
            )
        blocks.append(_block(base.platform + s, _p_state(pnodes, 1, st_pos), params.station_exit_min, EXIT, s))
    return blocks


def _stack_blocks(blocks: list[_Block]) -> tuple[Any, Any, Any, Any, Any]:
    # The edge blocks as single arrays: sources, targets, weights, kinds, refs.
    if not blocks:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0), np.zeros(0, dtype=np.int8), empty
    src = np.concatenate([b[0] for b in blocks])
    dst = np.concatenate([np.asarray(b[1], dtype=np.int64) for b in blocks])
    weights = np.concatenate([b[2] for b in blocks])
    kinds = np.concatenate([np.full(len(b[0]), b[3], dtype=np.int8) for b in blocks])
    refs = np.concatenate([np.asarray(b[4], dtype=np.int64) for b in blocks])
    return src, dst, weights, kinds, refs


def _build(scenario: Scenario, mode: str, initial_fraction: float) -> CompiledRouter:
    """Build the state graph of a mode from arrays: every edge kind is added as one block of numpy columns."""
    net = scenario.network
    params = scenario.parameters
    node_ids = net.nodes.index.to_numpy(dtype=object)
    service_modes = _service_modes(mode)
    use_services = bool(service_modes)
    layers = (0, 1) if use_services else (0,)
    roads = link_arrays(scenario).subset(_road_modes(mode))
    stops = service_stops(scenario, service_modes) if use_services else _no_stops()
    dirs = _directions(stops, params.stop_loss_min)
    station_ids = np.unique(dirs.stop) if len(dirs.stop) else np.zeros(0, dtype=object)

    pnodes = _road_state_nodes(net, roads, mode, station_ids)
    n_p, n_s, n_t = len(pnodes), len(station_ids), len(dirs.stop)
    base_s = len(layers) * n_p
    base_a = base_s + 2 * n_s
    base_d = base_a + n_s
    base_r = base_d + n_t
    n = base_r + n_t

    blocks = _road_blocks(roads, pnodes, layers)
    if use_services:
        blocks += _service_blocks(
            _Bases(base_s, base_a, base_d, base_r),
            scenario,
            mode,
            dirs,
            station_ids,
            pnodes,
            layers,
            initial_fraction,
        )
    src, dst, weights, kinds, refs = _stack_blocks(blocks)
    matrix, kept = csr_with_order(n, src, dst, weights)

    states = _state_table(node_ids[pnodes], station_ids, dirs, len(layers))
    graph = CompiledGraph(matrix, _StateList(states))  # type: ignore[arg-type]
    place_ids = node_ids[pnodes].tolist()
    place = tuple(dict(zip(place_ids, range(layer * n_p, (layer + 1) * n_p), strict=True)) for layer in (0, 1))
    if len(layers) == 1:
        place = (place[0], {})
    hall_ids = station_ids.tolist()
    hall = tuple(dict(zip(hall_ids, range(base_s + k * n_s, base_s + (k + 1) * n_s), strict=True)) for k in (0, 1))
    platform = dict(zip(hall_ids, range(base_a, base_a + n_s), strict=True))
    return CompiledRouter(
        mode=mode,
        initial_wait_fraction=initial_fraction,
        graph=graph,
        states=states,
        leg_kind=kinds[kept],
        leg_ref=refs[kept],
        roads=roads,
        directions=dirs,
        station_ids=station_ids,
        stations=frozenset(hall_ids),
        place=place,  # type: ignore[arg-type]
        hall=hall,  # type: ignore[arg-type]
        platform=platform,
    )


def _state_table(places: npt.NDArray[Any], stations: npt.NDArray[Any], dirs: Directions, layers: int) -> StateTable:
    n_p, n_s, n_t = len(places), len(stations), len(dirs.stop)
    blank = np.full(n_p * layers + 3 * n_s, "", dtype=object)
    none = np.full(n_p * layers + 3 * n_s, -1, dtype=np.int64)
    return StateTable(
        kind=np.concatenate(
            [
                np.full(n_p * layers, PLACE),
                np.full(2 * n_s, HALL),
                np.full(n_s, PLATFORM),
                np.full(n_t, DEPARTURE),
                np.full(n_t, ARRIVAL),
            ]
        ).astype(np.int8),
        layer=np.concatenate(
            [np.repeat(np.arange(layers), n_p), np.repeat([0, 1], n_s), np.full(n_s + 2 * n_t, -1)]
        ).astype(np.int8),
        node=np.concatenate([np.tile(places, layers), stations, stations, stations, dirs.stop, dirs.stop]).astype(
            object
        ),
        service=np.concatenate([blank, dirs.service, dirs.service]).astype(object),
        direction=np.concatenate([blank, dirs.direction, dirs.direction]).astype(object),
        stop=np.concatenate([none, dirs.position, dirs.position]).astype(np.int64),
    )


class _StateList(Sequence[State]):
    """The states of a router as a sequence, each made when first read (most never are)."""

    def __init__(self, table: StateTable) -> None:
        self._table = table

    def __len__(self) -> int:
        return len(self._table)

    @overload
    def __getitem__(self, i: int) -> State: ...
    @overload
    def __getitem__(self, i: slice) -> list[State]: ...
    def __getitem__(self, i: int | slice) -> State | list[State]:
        if isinstance(i, slice):
            return [self._table.state(k) for k in range(*i.indices(len(self)))]
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        return self._table.state(i % len(self))


def _no_stops() -> ServiceStops:
    empty = np.zeros(0, dtype=object)
    flags = np.zeros(0, dtype=bool)
    nums = np.zeros(0)
    return ServiceStops(empty, empty, empty, empty, flags, flags, nums, nums, nums, nums, flags)
