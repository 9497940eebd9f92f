"""The plan's goals: one check per goal type, evaluated in scenarios, and the assessment that collects them."""

from __future__ import annotations

from ._assess import STATUSES, Assessment, assess, default_scenarios
from ._checks import GoalEvaluator, GoalResult, path_text
from ._robustness import GOAL_COLUMNS, goal_sensitivity

__all__ = [
    "GOAL_COLUMNS",
    "STATUSES",
    "Assessment",
    "GoalEvaluator",
    "GoalResult",
    "assess",
    "default_scenarios",
    "goal_sensitivity",
    "path_text",
]
