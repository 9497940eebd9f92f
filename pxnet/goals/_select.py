"""Which goals and scenarios an assessment looks at: goals by id (with suggestions), the default scenarios."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..errors import UnknownGoalError
from ..io import Goal
from ..network import Network
from ..vocabulary import did_you_mean

__all__ = ["default_scenarios", "select_goals"]


def select_goals(net: Network, goals: Sequence[str] | None, *, measured_only: bool = False) -> list[Goal]:
    """Return the goals named by id, or every goal of ``net``; ``measured_only`` leaves out the milestones.

    Parameters
    ----------
    net
        The network whose ``goals.yaml`` is searched.
    goals
        Goal ids, or ``None`` for all.
    measured_only
        Without ids, skip milestone goals (they depend on dates, not on the model's parameters).

    Raises
    ------
    UnknownGoalError
        For an unknown id, with the closest known ids.
    """
    if goals is None:
        return [g for g in net.goals if not measured_only or g.goal_type.measured]
    by_id = {g.id: g for g in net.goals}
    unknown = [g for g in goals if g not in by_id]
    if unknown:
        text = ", ".join(f"{g!r}" + did_you_mean(g, by_id, n=1) for g in unknown)
        raise UnknownGoalError(f"unknown goal(s): {text}")
    return [by_id[g] for g in goals]


def default_scenarios(network: Network, *, today: dt.date | None = None) -> list[str]:
    """Return the scenarios assessed by default: ``defaults.scenarios`` of the network's ``dataset.yaml``.

    ``as-built-{this_year}`` there stands for today. The bundled data set names the plan's baseline, the plan's
    promises, today and 2030; a data set without the key gets today and every scenario of its
    ``scenarios.yaml``.

    Examples
    --------
    >>> import datetime, pxnet
    >>> default_scenarios(pxnet.load_network(), today=datetime.date(2026, 11, 26))
    ['as-built-2019', 'plan-2020', 'plan-2025', 'as-built-2026', 'expected-2030']
    """
    return list(dict.fromkeys(network.defaults.scenario_names(today=today)))
