"""The plan's goals: one check per goal type, evaluated in scenarios, and the assessment that collects them.

Importing the package registers the built-in goal types (:mod:`pxnet.io`'s goal-type registry) with their
measuring functions (``_goal_types``).
"""

from __future__ import annotations

from ._assess import STATUSES, Assessment, assess
from ._checks import GoalEvaluator, GoalResult, Measurement, path_text
from ._corners import CORNER_COLUMNS, joint_corners
from ._ensemble import MAX_DRAWS, SOBOL_COLUMNS, Ensemble, ensemble, wilson_interval
from ._goal_types import BUILT_IN
from ._robustness import GOAL_COLUMNS, goal_sensitivity
from ._select import default_scenarios

__all__ = [
    "BUILT_IN",
    "CORNER_COLUMNS",
    "GOAL_COLUMNS",
    "MAX_DRAWS",
    "SOBOL_COLUMNS",
    "STATUSES",
    "Assessment",
    "Ensemble",
    "GoalEvaluator",
    "GoalResult",
    "Measurement",
    "assess",
    "default_scenarios",
    "ensemble",
    "goal_sensitivity",
    "joint_corners",
    "path_text",
    "wilson_interval",
]
