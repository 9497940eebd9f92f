"""Routing: two engines behind one set of questions.

- the **timetable engine** answers every rail and door-to-door question: a scenario's timetable is a vintage plus
  dated modifications (:func:`scenario_timetable`, :class:`Retime`, :class:`AddTrips`, :class:`RemoveTrips` …),
  scanned with the Connection Scan Algorithm (:func:`journeys`, :func:`get_timed_router`);
- the **graph engine** (CSR graphs and scipy's Dijkstra) answers road questions and any osmnx-style graph.

The public functions :func:`travel_time`, :func:`route`, :func:`skim`, :func:`one_to_all` and :func:`isochrones`
take a scenario (or a year, or a name) of the bundled network, or a networkx graph.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import RoutingError
from ..tracks import service_segments
from ._api import clear_cache, one_to_all, route, skim, travel_time
from ._keywords import Options, accept_keywords, spelled_out
from ._population import (
    AREAL_WEIGHTING,
    RASTER,
    PopulationGrid,
    band_population,
    raster_population,
    read_population_raster,
)
from ._request import DepartureKeywords, IsochroneKeywords, ReachKeywords, TimingKeywords
from .graph import CompiledGraph, FloatArray, Router, cached_compile, compile_graph, get_router
from .timetable import (
    AddTrips,
    AdjustDwell,
    AdjustFrequency,
    Journey,
    Leg,
    Modification,
    RemoveTrips,
    Retime,
    ScenarioTimetable,
    ShiftRuns,
    TimedRouter,
    Timetable,
    TripTable,
    add_timetable,
    get_timed_router,
    journeys,
    read_timetable,
    scenario_timetable,
    to_gtfs,
)

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
    "AREAL_WEIGHTING",
    "DEFAULT_LAST_MILE_KPH",
    "RASTER",
    "AddTrips",
    "AdjustDwell",
    "AdjustFrequency",
    "CompiledGraph",
    "DepartureKeywords",
    "FloatArray",
    "IsochroneKeywords",
    "Journey",
    "Leg",
    "Modification",
    "Options",
    "PopulationGrid",
    "ReachKeywords",
    "RemoveTrips",
    "Retime",
    "Router",
    "RoutingError",
    "ScenarioTimetable",
    "ShiftRuns",
    "TimedRouter",
    "Timetable",
    "TimingKeywords",
    "TripTable",
    "accept_keywords",
    "add_timetable",
    "band_population",
    "cached_compile",
    "clear_cache",
    "compile_graph",
    "get_router",
    "get_timed_router",
    "isochrones",
    "journeys",
    "one_to_all",
    "raster_population",
    "reach_times",
    "read_population_raster",
    "read_timetable",
    "route",
    "scenario_timetable",
    "service_segments",
    "skim",
    "spelled_out",
    "to_gtfs",
    "travel_time",
]
