"""Analyses on scenarios.

Accessibility indicators, scenario comparison, project impacts, checks against observed times, sensitivity
to the model's parameters, the 3-hour corridor tables, and the inputs a report draws (computed once).
"""

from __future__ import annotations

from ._calibration import CALIBRATION_RANGE, calibration, calibration_markdown, check_times
from ._compare import Comparison, compare
from ._corridor import CORRIDOR_COLUMNS, corridor_times, train_names
from ._impacts import project_impacts
from ._indicators import accessibility, indicators_from_skim
from ._report_inputs import GBA_MODES, ISOCHRONE_BANDS, ReportInputs, report_inputs
from ._sensitivity import TIME_COLUMNS, parameter_ranges, parameter_variant, sensitivity

__all__ = [
    "CALIBRATION_RANGE",
    "CORRIDOR_COLUMNS",
    "GBA_MODES",
    "ISOCHRONE_BANDS",
    "TIME_COLUMNS",
    "Comparison",
    "ReportInputs",
    "accessibility",
    "calibration",
    "calibration_markdown",
    "check_times",
    "compare",
    "corridor_times",
    "indicators_from_skim",
    "parameter_ranges",
    "parameter_variant",
    "project_impacts",
    "report_inputs",
    "sensitivity",
    "train_names",
]
