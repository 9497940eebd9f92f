"""Data folders in and out: read and validate every file of a folder, and write files atomically.

:func:`read_folder` checks each file of a data folder (``docs/data-model.md``), collects every problem and
raises one :class:`~pxnet.errors.DataValidationError` listing them all. :func:`atomic_path` is the one way pxnet
writes a file: to a temporary sibling, renamed over the target only when complete.
"""

from __future__ import annotations

from ._atomic import atomic_path
from ._folder import NetworkData, read_folder
from ._goalfile import Goal
from ._uncertainty import Distribution, Factor, Uncertainty, load_uncertainty, read_uncertainty

__all__ = [
    "Distribution",
    "Factor",
    "Goal",
    "NetworkData",
    "Uncertainty",
    "atomic_path",
    "load_uncertainty",
    "read_folder",
    "read_uncertainty",
]
