"""pxnet: Pingxiang's transport network and its links to the Greater Bay Area, as a model planners can audit.

Load the bundled network, pick a scenario, and ask for graphs, travel times and plan assessments::

    import pxnet
    net = pxnet.load_network()
    sc = pxnet.get_scenario("plan-2025", network=net)
    G = sc.graph(mode="hsr")            # networkx MultiDiGraph, osmnx conventions
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import _compat
from .analysis import Comparison, accessibility, check_times, compare, project_impacts, sensitivity
from .cards import Card, CardError, card_schema, project_card, project_cards, read_card, read_cards
from .convert import to_geopackage, to_graphml
from .dates import PartialDate
from .errors import (
    AdditionError,
    AnalysisError,
    ArgumentError,
    DataFileNotFoundError,
    DataValidationError,
    DataWarning,
    DateError,
    ExportError,
    PxnetError,
    ScenarioError,
    ScenarioWarning,
    TimetableError,
    UnknownGoalError,
    UnknownPlaceError,
    UnknownScenarioError,
)
from .goals import Assessment, Ensemble, assess, ensemble, goal_sensitivity
from .network import Network, bundled_data_path, load_network
from .parameters import Parameters
from .routing import (
    RoutingError,
    Timetable,
    add_timetable,
    journeys,
    one_to_all,
    read_timetable,
    route,
    scenario_timetable,
    skim,
    to_gtfs,
    travel_time,
)
from .scenario import Scenario, get_scenario

if TYPE_CHECKING:
    from .routing import isochrones

from ._version import __version__

#: Subpackages loaded on first attribute access (``pxnet.plot.plot_network`` after ``import pxnet``): each pulls
#: in heavy libraries (matplotlib, geopandas, osmnx), which ``import pxnet`` does not.
_LAZY_PACKAGES = frozenset({"cli", "osm", "plot", "report"})


def __getattr__(name: str) -> Any:
    # networkx and shapely load with the first isochrone, not with `import pxnet`.
    if name == "isochrones":
        from . import routing

        globals()[name] = routing.isochrones
        return routing.isochrones
    if name in _LAZY_PACKAGES:
        import importlib

        return importlib.import_module(f"{__name__}.{name}")  # the import binds it as an attribute
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY_PACKAGES, "isochrones"})


_compat.install()

__all__ = [
    "AdditionError",
    "AnalysisError",
    "ArgumentError",
    "Assessment",
    "Card",
    "CardError",
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
    "ScenarioWarning",
    "Timetable",
    "TimetableError",
    "UnknownGoalError",
    "UnknownPlaceError",
    "UnknownScenarioError",
    "__version__",
    "accessibility",
    "add_timetable",
    "assess",
    "bundled_data_path",
    "card_schema",
    "check_times",
    "compare",
    "ensemble",
    "get_scenario",
    "goal_sensitivity",
    "isochrones",
    "journeys",
    "load_network",
    "one_to_all",
    "project_card",
    "project_cards",
    "project_impacts",
    "read_card",
    "read_cards",
    "read_timetable",
    "route",
    "scenario_timetable",
    "sensitivity",
    "skim",
    "to_geopackage",
    "to_graphml",
    "to_gtfs",
    "travel_time",
]
