"""pxnet: Pingxiang's transport network and its links to the Greater Bay Area, as a model planners can audit.

Load the bundled network, pick a scenario, and ask for graphs, travel times and plan assessments::

    import pxnet
    net = pxnet.load_network()
    sc = pxnet.get_scenario("plan-2025", network=net)
    G = sc.graph(mode="hsr")            # networkx MultiDiGraph, osmnx conventions
"""

from __future__ import annotations

from . import _compat
from .analysis import Comparison, accessibility, check_times, compare, project_impacts, sensitivity
from .convert import to_geopackage, to_graphml
from .dates import PartialDate
from .errors import (
    AnalysisError,
    DataFileNotFoundError,
    DataValidationError,
    DataWarning,
    DateError,
    ExportError,
    PxnetError,
    ScenarioError,
    UnknownGoalError,
    UnknownPlaceError,
    UnknownScenarioError,
)
from .goals import Assessment, Ensemble, assess, ensemble, goal_sensitivity
from .network import Network, bundled_data_path, load_network
from .parameters import Parameters
from .routing import RoutingError, isochrones, one_to_all, route, skim, travel_time
from .scenario import Scenario, get_scenario

__version__ = "0.1.0"

_compat.install()

__all__ = [
    "AnalysisError",
    "Assessment",
    "Comparison",
    "DataFileNotFoundError",
    "DataValidationError",
    "DataWarning",
    "DateError",
    "Ensemble",
    "ExportError",
    "Network",
    "Parameters",
    "PartialDate",
    "PxnetError",
    "RoutingError",
    "Scenario",
    "ScenarioError",
    "UnknownGoalError",
    "UnknownPlaceError",
    "UnknownScenarioError",
    "__version__",
    "accessibility",
    "assess",
    "bundled_data_path",
    "check_times",
    "compare",
    "ensemble",
    "get_scenario",
    "goal_sensitivity",
    "isochrones",
    "load_network",
    "one_to_all",
    "project_impacts",
    "route",
    "sensitivity",
    "skim",
    "to_geopackage",
    "to_graphml",
    "travel_time",
]
