"""The graph engine: graphs as compressed sparse rows searched with scipy's Dijkstra.

It answers road questions (the road router of a scenario, :func:`get_router`) and any osmnx-style networkx graph
(:func:`compile_graph`, :func:`cached_compile`). Small matrices on large graphs use a contraction hierarchy
(:func:`build_hierarchy`, :func:`hierarchy_matrix`), cached with the graph. It knows nothing of trains.
"""

from __future__ import annotations

from ._csr import (
    CompiledGraph,
    FloatArray,
    IntArray,
    cached_compile,
    compile_graph,
    csr_from_edges,
    csr_with_order,
    is_graph,
    key_index,
)
from ._hierarchy import Hierarchy, build_hierarchy, hierarchy_matrix
from ._router import TRIP_MODES, CompiledRouter, RoadLeg, Router, get_router

__all__ = [
    "TRIP_MODES",
    "CompiledGraph",
    "CompiledRouter",
    "FloatArray",
    "Hierarchy",
    "IntArray",
    "RoadLeg",
    "Router",
    "build_hierarchy",
    "cached_compile",
    "compile_graph",
    "csr_from_edges",
    "csr_with_order",
    "get_router",
    "hierarchy_matrix",
    "is_graph",
    "key_index",
]
