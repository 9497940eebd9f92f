"""Data folders in and out: read and validate every file of a folder, and write files atomically.

:func:`read_folder` checks each file of a data folder (``docs/data-model.md``), collects every problem and
raises one :class:`~pxnet.errors.DataValidationError` listing them all. :func:`atomic_path` is the one way pxnet
writes a file: to a temporary sibling, renamed over the target only when complete; :func:`atomic_folder` does the
same for a folder holding a set of outputs. :func:`check_additions` and
:func:`override_problems_in` apply the same rules to records and overrides given in code. The goal-type registry
(:func:`goal_type`, :func:`register_goal_type`) says which checks a ``goals.yaml`` may hold.
"""

from __future__ import annotations

from ._atomic import MAX_CARRIED_FILES, atomic_folder, atomic_path, check_writable
from ._dataset import DatasetDefaults, PlanInfo, read_defaults
from ._folder import NetworkData, read_folder
from ._goal_registry import (
    GoalType,
    Key,
    KeyContext,
    Margin,
    Measure,
    goal_type,
    goal_types,
    register_goal_type,
    remove_goal_type,
)
from ._goalfile import Goal
from ._readers import read_yaml, utf8_problem
from ._rows import ADDITION_KEYS, Additions, cell, check_additions, override_problems_in
from ._uncertainty import Distribution, Factor, Uncertainty, load_uncertainty, read_uncertainty
from ._yaml import PROJECT_FILE_KEYS, projects_from_items

__all__ = [
    "ADDITION_KEYS",
    "MAX_CARRIED_FILES",
    "PROJECT_FILE_KEYS",
    "Additions",
    "DatasetDefaults",
    "Distribution",
    "Factor",
    "Goal",
    "GoalType",
    "Key",
    "KeyContext",
    "Margin",
    "Measure",
    "NetworkData",
    "PlanInfo",
    "Uncertainty",
    "atomic_folder",
    "atomic_path",
    "cell",
    "check_additions",
    "check_writable",
    "goal_type",
    "goal_types",
    "load_uncertainty",
    "override_problems_in",
    "projects_from_items",
    "read_defaults",
    "read_folder",
    "read_uncertainty",
    "read_yaml",
    "register_goal_type",
    "remove_goal_type",
    "utf8_problem",
]
