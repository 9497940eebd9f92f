"""pxnet: Pingxiang's transport network and its links to the Greater Bay Area, as a model planners can audit.

Load the bundled network, pick a scenario, and ask for graphs, travel times and plan assessments::

    import pxnet
    net = pxnet.load_network()
    sc = pxnet.get_scenario("plan-2025", network=net)
    G = sc.graph(mode="hsr")            # networkx MultiDiGraph, osmnx conventions
"""

from __future__ import annotations

from ._errors import (
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
from .assess import Assessment, assess
from .calibration import check_times
from .compare import Comparison, compare
from .dates import PartialDate
from .export import to_geopackage, to_graphml
from .impacts import project_impacts
from .indicators import accessibility
from .isochrones import isochrones
from .network import Network, bundled_data_path, load_network
from .routing import RoutingError, one_to_all, route, skim, travel_time
from .scenario import Scenario, get_scenario
from .sensitivity import goal_sensitivity, sensitivity
from .settings import Parameters

__version__ = "0.1.0"

__all__ = [
    "AnalysisError",
    "Assessment",
    "Comparison",
    "DataFileNotFoundError",
    "DataValidationError",
    "DataWarning",
    "DateError",
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
