"""Routing: compiled graphs (CSR) and scipy's Dijkstra, the multimodal router, trips, skims and isochrones.

The public functions take a scenario (or a year, or a name) of the bundled network, or any osmnx-style graph:
:func:`travel_time`, :func:`route`, :func:`skim`, :func:`one_to_all` and :func:`isochrones`; with ``departure=``
they answer from the scenario's timetable (:func:`journeys`, :func:`read_timetable`, :func:`scenario_timetable`).
"""

from __future__ import annotations

from ..errors import RoutingError
from ._api import one_to_all, route, skim, travel_time
from ._csr import CompiledGraph, FloatArray, compile_graph
from ._gtfs import Timetable, read_timetable, to_gtfs
from ._isochrones import DEFAULT_LAST_MILE_KPH, isochrones, reach_times
from ._router import get_router
from ._timetable import ScenarioTimetable, TimedRouter, get_timed_router, journeys, scenario_timetable

__all__ = [
    "DEFAULT_LAST_MILE_KPH",
    "CompiledGraph",
    "FloatArray",
    "RoutingError",
    "ScenarioTimetable",
    "TimedRouter",
    "Timetable",
    "compile_graph",
    "get_router",
    "get_timed_router",
    "isochrones",
    "journeys",
    "one_to_all",
    "reach_times",
    "read_timetable",
    "route",
    "scenario_timetable",
    "skim",
    "to_gtfs",
    "travel_time",
]
