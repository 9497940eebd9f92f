"""The timetable engine: every rail and door-to-door question, answered on the scenario's timetable.

- GTFS in and out: :func:`read_timetable`, :func:`to_gtfs` (``_gtfs`` and its ``_gtfs_*`` helpers);
- vintages: the feed a data folder ships and the feeds registered with :func:`add_timetable` (``_vintages``);
- modifications: :class:`Retime`, :class:`ShiftRuns`, :class:`AddTrips`, :class:`RemoveTrips`,
  :class:`AdjustDwell`, :class:`AdjustFrequency` (``_modify``), the dated change log (``_changes``) and the
  vintage and modifications of a scenario (``_supply``);
- the scenario's timetable: :func:`scenario_timetable` (``_timetable``);
- the connection scan: connections and the router (``_connections``, numba kernels in ``_csa``);
- answers: travel times, skims, reach and arrive-by (``_answers``); journeys, routes and the timetable answers of
  the public routing functions (``_journeys``).
"""

from __future__ import annotations

from ._answers import DEFAULT_ANSWER, DEFAULT_STATISTIC, arrive_by, parse_departure, parse_statistic, reach
from ._connections import Journey, Leg, TimedRouter, compile_timetable, get_timed_router, router_from_arrays
from ._gtfs import Timetable, format_time, read_timetable, to_gtfs
from ._journeys import ROUTE_COLUMNS, dispatch, journeys
from ._modify import (
    AddTrips,
    AdjustDwell,
    AdjustFrequency,
    Modification,
    RemoveTrips,
    Retime,
    ShiftRuns,
    TripTable,
)
from ._timetable import SERVICE_DAY_START, Departure, ScenarioTimetable, network_timetable, scenario_timetable
from ._vintages import add_timetable

__all__ = [
    "DEFAULT_ANSWER",
    "DEFAULT_STATISTIC",
    "ROUTE_COLUMNS",
    "SERVICE_DAY_START",
    "AddTrips",
    "AdjustDwell",
    "AdjustFrequency",
    "Departure",
    "Journey",
    "Leg",
    "Modification",
    "RemoveTrips",
    "Retime",
    "ScenarioTimetable",
    "ShiftRuns",
    "TimedRouter",
    "Timetable",
    "TripTable",
    "add_timetable",
    "arrive_by",
    "compile_timetable",
    "dispatch",
    "format_time",
    "get_timed_router",
    "journeys",
    "network_timetable",
    "parse_departure",
    "parse_statistic",
    "reach",
    "read_timetable",
    "router_from_arrays",
    "scenario_timetable",
    "to_gtfs",
]
