"""Routing: compiled graphs (CSR) and scipy's Dijkstra, the multimodal router, trips, skims and isochrones.

The public functions take a scenario (or a year, or a name) of the bundled network, or any osmnx-style graph:
:func:`travel_time`, :func:`route`, :func:`skim`, :func:`one_to_all` and :func:`isochrones`.
"""

from __future__ import annotations

from ..errors import RoutingError
from ._api import one_to_all, route, skim, travel_time
from ._csr import CompiledGraph, FloatArray, compile_graph
from ._isochrones import DEFAULT_LAST_MILE_KPH, isochrones, reach_times
from ._router import get_router

__all__ = [
    "DEFAULT_LAST_MILE_KPH",
    "CompiledGraph",
    "FloatArray",
    "RoutingError",
    "compile_graph",
    "get_router",
    "isochrones",
    "one_to_all",
    "reach_times",
    "route",
    "skim",
    "travel_time",
]
