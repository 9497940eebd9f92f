"""Routing: compiled graphs (CSR) and scipy's Dijkstra, the multimodal router, trips, skims and isochrones.

The public functions take a scenario (or a year, or a name) of the bundled network, or any osmnx-style graph:
:func:`travel_time`, :func:`route`, :func:`skim`, :func:`one_to_all` and :func:`isochrones`; with ``departure=``
they answer from the scenario's timetable (:func:`journeys`, :func:`read_timetable`, :func:`scenario_timetable`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import RoutingError
from ._api import clear_cache, one_to_all, route, skim, travel_time
from ._csr import CompiledGraph, FloatArray, cached_compile, compile_graph
from ._gtfs import Timetable, read_timetable, to_gtfs
from ._inputs import service_segments
from ._router import Router, get_router
from ._states import Arrival, Departure, Hall, Leg, Place, Platform, State
from ._timetable import ScenarioTimetable, TimedRouter, get_timed_router, journeys, scenario_timetable

if TYPE_CHECKING:
    from ._isochrones import DEFAULT_LAST_MILE_KPH, isochrones, reach_times

# Isochrones need networkx and shapely: they load when first asked for, so `import pxnet` stays light.
_LAZY = {"DEFAULT_LAST_MILE_KPH", "isochrones", "reach_times"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import _isochrones

        value = getattr(_isochrones, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_LAST_MILE_KPH",
    "Arrival",
    "CompiledGraph",
    "Departure",
    "FloatArray",
    "Hall",
    "Leg",
    "Place",
    "Platform",
    "Router",
    "RoutingError",
    "ScenarioTimetable",
    "State",
    "TimedRouter",
    "Timetable",
    "cached_compile",
    "clear_cache",
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
    "service_segments",
    "skim",
    "to_gtfs",
    "travel_time",
]
