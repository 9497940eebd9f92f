"""Old flat module paths (``pxnet.router``, ``pxnet.plot_base`` …), kept for one release with a DeprecationWarning.

pxnet 0.1 had one folder of modules; 0.2 groups them in packages (``docs/architecture.md``). Each old path is
registered in :data:`sys.modules` as a small proxy module: importing it costs nothing, and the first attribute
taken from it warns once and loads the new module. Registering the proxy up front, instead of a path finder,
keeps ``import pxnet.isochrones`` from rebinding the package attribute ``pxnet.isochrones`` (the function) to a
module.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import Any

from .errors import warn

#: Old module path → the module that now holds its names.
MOVED: dict[str, str] = {
    "pxnet._errors": "pxnet.errors",
    "pxnet.schema": "pxnet.vocabulary",
    "pxnet.settings": "pxnet.parameters",
    "pxnet.readers": "pxnet.io._readers",
    "pxnet.csvfiles": "pxnet.io._csv",
    "pxnet.yamlfiles": "pxnet.io._yaml",
    "pxnet.datafiles": "pxnet.io._folder",
    "pxnet.atomic": "pxnet.io._atomic",
    "pxnet.goalfile": "pxnet.io._goalfile",
    "pxnet.export": "pxnet.convert",
    "pxnet.compiled": "pxnet.routing.graph._csr",
    "pxnet.router": "pxnet.routing.graph._router",
    "pxnet.isochrones": "pxnet.routing._isochrones",
    "pxnet.osm_load": "pxnet.osm._load",
    "pxnet.osm_snap": "pxnet.osm._snap",
    "pxnet.osm_speeds": "pxnet.osm._speeds",
    "pxnet.osm_trips": "pxnet.osm._trips",
    "pxnet.indicators": "pxnet.analysis._indicators",
    "pxnet.compare": "pxnet.analysis._compare",
    "pxnet.impacts": "pxnet.analysis._impacts",
    "pxnet.calibration": "pxnet.analysis._calibration",
    "pxnet.sensitivity": "pxnet.analysis._sensitivity",
    "pxnet.goalchecks": "pxnet.goals._checks",
    "pxnet.assess": "pxnet.goals._assess",
    "pxnet.plot_base": "pxnet.plot._base",
    "pxnet.plot_furniture": "pxnet.plot._furniture",
    "pxnet.plot_layers": "pxnet.plot._layers",
    "pxnet.plot_networkmap": "pxnet.plot._networkmap",
    "pxnet.plot_isomaps": "pxnet.plot._isomaps",
    "pxnet.plot_timemaps": "pxnet.plot._timemaps",
    "pxnet.charts": "pxnet.plot._charts",
    "pxnet.interactive": "pxnet.plot._web",
    "pxnet.fonts": "pxnet.plot._fonts",
    "pxnet.boundaries": "pxnet.plot._boundaries",
    "pxnet.cli_args": "pxnet.cli._args",
    "pxnet.cli_impacts": "pxnet.cli._impacts",
    "pxnet.cli_isochrone": "pxnet.cli._isochrone",
    "pxnet.cli_sensitivity": "pxnet.cli._sensitivity",
}


class _MovedModule(types.ModuleType):
    """A stand-in for a moved module: warns on first use, then forwards every attribute."""

    def __init__(self, old: str, new: str) -> None:
        super().__init__(old, f"Moved to {new}; this path is deprecated and will be removed in pxnet 0.3.")
        self.__moved_to__ = new

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        warn(
            f"{self.__name__} is deprecated: import from {self.__moved_to__.split('._')[0]} instead "
            "(the old path goes in pxnet 0.3)",
            DeprecationWarning,
        )
        return getattr(importlib.import_module(self.__moved_to__), name)

    def __dir__(self) -> list[str]:
        return dir(importlib.import_module(self.__moved_to__))


def install() -> None:
    """Register a proxy for every old path that is not already a real module."""
    for old, new in MOVED.items():
        sys.modules.setdefault(old, _MovedModule(old, new))
