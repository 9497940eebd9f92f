"""Worst and best case together: every uncertain parameter at the end of its range that hurts, or helps, a goal.

:func:`pxnet.goal_sensitivity` moves one parameter at a time; a verdict that survives each swing alone may still
flip when several parameters sit at their ends together. :func:`joint_corners` finds, for each goal and scenario,
which end of each range widens the goal's margin (one-at-a-time, from the margins at both ends), then evaluates
the two joint corners: all parameters at their helping ends (best case) and all at their hurting ends (worst case).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from ..network import Network
from ..parameters import describe_overrides, override
from ..scenario import Scenario, ScenarioArg
from ._robustness import parameter_studies

#: Columns of :func:`joint_corners`.
CORNER_COLUMNS = [
    "goal",
    "scenario",
    "base_status",
    "worst_status",
    "best_status",
    "base_value",
    "worst_value",
    "best_value",
    "worst_margin",
    "best_margin",
    "unit",
    "robust",
    "worst_case",
    "best_case",
]


def _merge(parts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in parts:
        for key, value in part.items():
            if isinstance(value, dict):
                out.setdefault(key, {}).update(value)
            else:
                out[key] = value
    return out


def _margin(value: float | None) -> float:
    return float("-inf") if value is None else float(value)


def joint_corners(
    goals: Sequence[str] | None = None,
    scenarios: Sequence[ScenarioArg] | None = None,
    *,
    network: Network | None = None,
    parameters: Iterable[str] | Mapping[str, tuple[float, float]] | None = None,
) -> pd.DataFrame:
    """Each goal's verdict with all parameters together at the ends of their ranges that hurt and that help it.

    Parameters
    ----------
    goals
        Goal ids (default: every goal that is not a milestone).
    scenarios
        Scenarios (default: as :func:`pxnet.assess`).
    network
        The network (default: the bundled one).
    parameters
        As for :func:`pxnet.sensitivity` (default: every parameter with a range).

    Returns
    -------
    pandas.DataFrame
        One row per goal and scenario (columns :data:`CORNER_COLUMNS`): status, value and margin at the
        parameters' values, in the worst and in the best corner; ``robust`` (the three statuses agree);
        ``worst_case`` and ``best_case`` (the parameter settings, as text).

    Notes
    -----
    The helping end of each parameter is found one at a time (the end with the larger margin; a parameter that
    does not move the margin stays at its value). For the monotone checks of pxnet (more transfer time never
    shortens a trip) the corners so found are the joint extremes; a check that is not monotone in some
    parameter could have a more extreme point inside the box.

    Examples
    --------
    >>> import pxnet
    >>> c = pxnet.goals.joint_corners(["hsr3h_guangzhou_station"], ["as-built-2026"],
    ...                               parameters=["transfer_min", "dwell_min"])
    >>> row = c.iloc[0]
    >>> bool(row["best_value"] <= row["base_value"] <= row["worst_value"])
    True
    """
    chosen, studies = parameter_studies(goals, scenarios, network=network, parameters=parameters)
    rows: list[dict[str, Any]] = []
    for sc, ranges, evaluator in studies:
        memo: dict[str, Scenario] = {}

        def variant(values: dict[str, Any], sc: Scenario = sc, memo: dict[str, Scenario] = memo) -> Scenario:
            label = describe_overrides(values)
            if label not in memo:
                memo[label] = sc.derive(name=f"{sc.name} {label}", parameters=values) if values else sc
            return memo[label]

        for goal in chosen:
            base = evaluator.evaluate(goal, sc, trace=False)
            helps: list[dict[str, Any]] = []
            hurts: list[dict[str, Any]] = []
            for name, (low, high) in ranges.items():
                at_low = _margin(evaluator.evaluate(goal, variant(override(name, low)), trace=False).margin)
                at_high = _margin(evaluator.evaluate(goal, variant(override(name, high)), trace=False).margin)
                if at_low == at_high:
                    continue
                good, bad = (low, high) if at_low > at_high else (high, low)
                helps.append(override(name, good))
                hurts.append(override(name, bad))
            best_set, worst_set = _merge(helps), _merge(hurts)
            best = evaluator.evaluate(goal, variant(best_set), trace=False)
            worst = evaluator.evaluate(goal, variant(worst_set), trace=False)
            rows.append(
                {
                    "goal": goal.id,
                    "scenario": sc.name,
                    "base_status": base.status,
                    "worst_status": worst.status,
                    "best_status": best.status,
                    "base_value": base.value,
                    "worst_value": worst.value,
                    "best_value": best.value,
                    "worst_margin": worst.margin,
                    "best_margin": best.margin,
                    "unit": base.unit,
                    "robust": base.status == worst.status == best.status,
                    "worst_case": describe_overrides(worst_set) if worst_set else "(no parameter moves it)",
                    "best_case": describe_overrides(best_set) if best_set else "(no parameter moves it)",
                }
            )
    return pd.DataFrame(rows, columns=CORNER_COLUMNS)


__all__ = ["CORNER_COLUMNS", "joint_corners"]
