"""The road router: a scenario's road and access links as one sparse graph, searched with scipy's Dijkstra.

It answers ``mode="road"`` and the road legs of door-to-door trips (station access and egress, driving all the
way). Rail is answered by the timetable engine (:mod:`pxnet.routing.timetable._timetable`): this module knows nothing of
trains.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from ... import _cache, vocabulary
from ...errors import RoutingError
from ...scenario import Scenario
from ...tracks import LinkArrays, link_arrays, place_positions, road_links_key
from ._csr import CompiledGraph, csr_with_order

#: The modes a travel-time question can ask for.
TRIP_MODES = vocabulary.TRIP_MODES

#: Compiled road graphs a network keeps (least recently used first out).
ROUTERS_PER_NETWORK = 64


class RoadLeg(dict[str, Any]):
    """What one road edge is: ``link``, ``mode``, ``line`` and ``km`` of the link it runs over."""


@dataclass(frozen=True)
class CompiledRouter:
    """The road graph of some road links, shared by every scenario whose road links are identical.

    It refers to no scenario (the memo that holds it belongs to the network), so it frees with the network.
    """

    graph: CompiledGraph
    node_ids: npt.NDArray[Any]
    index: dict[str, int]
    link_ref: npt.NDArray[np.int64]
    roads: LinkArrays


@dataclass(frozen=True)
class Router:
    """A scenario's road graph: a view of a shared :class:`CompiledRouter` for that scenario."""

    scenario: Scenario
    compiled: CompiledRouter

    @property
    def mode(self) -> str:
        """The trip mode (always ``road``)."""
        return "road"

    @property
    def graph(self) -> CompiledGraph:
        """The CSR road graph, one state per road node."""
        return self.compiled.graph

    @property
    def nodes(self) -> npt.NDArray[Any]:
        """The node id of each state, in matrix index order."""
        return self.compiled.node_ids

    def sources(self, node_id: str) -> list[int]:
        """State indices a trip from ``node_id`` starts at (empty if the node has no road)."""
        found = self.compiled.index.get(node_id)
        return [] if found is None else [found]

    def targets(self, node_id: str) -> list[int]:
        """State indices a trip to ``node_id`` may end at."""
        return self.sources(node_id)

    def place_nodes(self) -> list[str]:
        """Road nodes a trip can start from (sorted)."""
        return sorted(self.compiled.index)

    def leg(self, a: int, b: int) -> RoadLeg:
        """Describe the road link the edge from state ``a`` to state ``b`` runs over."""
        c = self.compiled
        matrix = c.graph.matrix
        lo, hi = int(matrix.indptr[a]), int(matrix.indptr[a + 1])
        hits = np.flatnonzero(matrix.indices[lo:hi] == b)
        if not len(hits):
            raise RoutingError(f"no edge between states {a} and {b}")
        ref = int(c.link_ref[lo + int(hits[0])])
        r = c.roads
        return RoadLeg(link=r.id[ref], mode=r.mode[ref], line=r.line[ref], km=float(r.km[ref]))


def get_router(scenario: Scenario, mode: str = "road", *, initial_wait_fraction: float | None = None) -> Router:
    """Return the road router of a scenario, built once and shared by scenarios with the same road links.

    Parameters
    ----------
    scenario
        The scenario.
    mode
        ``"road"``: rail and door-to-door questions are answered by the timetable engine
        (:func:`pxnet.routing.get_timed_router`).
    initial_wait_fraction
        Deprecated, no effect.

    Examples
    --------
    >>> import pxnet
    >>> router = get_router(pxnet.get_scenario(2026))
    >>> router.sources("pingxiang") != []
    True
    """
    del initial_wait_fraction
    if mode != "road":
        raise RoutingError(
            f"the graph router answers mode 'road' only; {mode!r} questions are answered by the scenario's "
            "timetable (pxnet.routing.get_timed_router, pxnet.journeys)"
        )
    routers = _cache.memo(scenario.network, "road routers", maxsize=ROUTERS_PER_NETWORK)
    return Router(
        scenario,
        routers.get(
            road_links_key(scenario),
            lambda: _build(scenario, link_arrays(scenario).subset(vocabulary.ROAD_MODES)),
        ),
    )


def _build(scenario: Scenario, roads: LinkArrays) -> CompiledRouter:
    """Return the road graph from arrays: every link end and every place a node, each link both ways unless one-way."""
    net = scenario.network
    node_ids = net.nodes.index.to_numpy(dtype=object)
    pnodes = np.unique(np.concatenate([roads.u, roads.v, place_positions(net)]))
    state = np.searchsorted(pnodes, np.arange(len(node_ids)))
    both = ~roads.oneway
    ref = np.arange(len(roads.u))
    src = np.concatenate([state[roads.u], state[roads.v][both]])
    dst = np.concatenate([state[roads.v], state[roads.u][both]])
    weights = np.concatenate([roads.minutes, roads.minutes[both]])
    refs = np.concatenate([ref, ref[both]])
    matrix, kept = csr_with_order(len(pnodes), src, dst, weights)
    ids = node_ids[pnodes]
    graph = CompiledGraph(matrix, list(ids))
    return CompiledRouter(graph, ids, {str(n): i for i, n in enumerate(ids)}, refs[kept], roads)
