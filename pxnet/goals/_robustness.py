"""Whether each goal's verdict survives the model's assumed parameters at the ends of their ranges.

One parameter at a time is set to each end of its ``range`` in ``parameters.yaml`` (the ranges and the variant
scenarios come from :mod:`pxnet.analysis`), every other held at its value, and each goal is evaluated again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import pandas as pd

from ..analysis import parameter_ranges, parameter_variant
from ..io import Goal
from ..network import Network
from ..scenario import Scenario, ScenarioArg, get_scenario, resolve_network
from ._checks import GoalEvaluator
from ._select import default_scenarios, select_goals

#: Columns of :func:`goal_sensitivity`.
GOAL_COLUMNS = [
    "goal",
    "scenario",
    "parameter",
    "value",
    "low",
    "high",
    "base_status",
    "low_status",
    "high_status",
    "base_value",
    "low_value",
    "high_value",
    "unit",
    "robust",
]


def parameter_studies(
    goals: Sequence[str] | None,
    scenarios: Sequence[ScenarioArg] | None,
    *,
    network: Network | None,
    parameters: Iterable[str] | Mapping[str, tuple[float, float]] | None,
) -> tuple[list[Goal], Iterator[Study]]:
    """Return the goals a parameter study evaluates, and each of its scenarios with its ranges and evaluator.

    The arguments are those of :func:`goal_sensitivity` and :func:`~pxnet.goals.joint_corners`; each scenario is
    made (and its evaluator, with its memos) only when the study reaches it.
    """
    net = network if network is not None else resolve_network(None)
    chosen = select_goals(net, goals, measured_only=True)
    names = list(scenarios) if scenarios is not None else default_scenarios(net)

    def studies() -> Iterator[Study]:
        for which in names:
            sc = get_scenario(which, network=net)
            yield Study(sc, parameter_ranges(parameters, sc.parameters), GoalEvaluator(net))

    return chosen, studies()


def goal_sensitivity(
    goals: Sequence[str] | None = None,
    scenarios: Sequence[ScenarioArg] | None = None,
    *,
    network: Network | None = None,
    parameters: Iterable[str] | Mapping[str, tuple[float, float]] | None = None,
) -> pd.DataFrame:
    """Whether each goal's verdict survives each parameter at the ends of its range.

    Parameters
    ----------
    goals
        Goal ids (default: every goal that is not a milestone; milestones do not depend on parameters).
    scenarios
        Scenarios (default: as :func:`pxnet.assess`).
    network
        The network (default: the bundled one).
    parameters
        As for :func:`sensitivity`.

    Returns
    -------
    pandas.DataFrame
        One row per goal, scenario and parameter (columns :data:`GOAL_COLUMNS`): the status and measured value
        at the parameter's value and at each end, and ``robust`` (the status is the same at both ends).

    Examples
    --------
    >>> import pxnet
    >>> g = pxnet.goal_sensitivity(["hsr3h_guangzhou_station"], ["as-built-2026"], parameters=["dwell_min"])
    >>> g[["base_status", "low_status", "high_status"]].iloc[0].tolist()
    ['met', 'met', 'met']
    """
    chosen, studies = parameter_studies(goals, scenarios, network=network, parameters=parameters)
    rows: list[dict[str, Any]] = []
    for sc, ranges, evaluator in studies:
        variants = {
            (n, end): parameter_variant(sc, n, v)
            for n, (lo, hi) in ranges.items()
            for end, v in (("low", lo), ("high", hi))
        }
        for goal in chosen:
            base = evaluator.evaluate(goal, sc, trace=False)
            for name, (low, high) in ranges.items():
                at_low = evaluator.evaluate(goal, variants[(name, "low")], trace=False)
                at_high = evaluator.evaluate(goal, variants[(name, "high")], trace=False)
                rows.append(
                    {
                        "goal": goal.id,
                        "scenario": sc.name,
                        "parameter": name,
                        "value": sc.parameters.value(name),
                        "low": low,
                        "high": high,
                        "base_status": base.status,
                        "low_status": at_low.status,
                        "high_status": at_high.status,
                        "base_value": base.value,
                        "low_value": at_low.value,
                        "high_value": at_high.value,
                        "unit": base.unit,
                        "robust": base.status == at_low.status == at_high.status,
                    }
                )
    return pd.DataFrame(rows, columns=GOAL_COLUMNS)


class Study(NamedTuple):
    """One scenario of a parameter study: the scenario, the ranges of the parameters varied, its evaluator."""

    scenario: Scenario
    ranges: dict[str, tuple[float, float]]
    evaluator: GoalEvaluator


__all__ = ["GOAL_COLUMNS", "Study", "goal_sensitivity", "parameter_studies"]
