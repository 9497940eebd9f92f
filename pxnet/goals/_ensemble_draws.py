"""Evaluating an ensemble's draws: each draw's scenario in each year, and every goal in it.

The work unit is a batch of draws; a worker needs only the network and the :class:`Job`. Within a batch, goals
are measured once per distinct network state (:func:`state_key`): two draws of a Sobol design that differ only in
an opening date on the same side of a year's end share their measurements, and so do a draw's scenarios of two
years with the same open projects, links, services and parameters (2030 and 2035 once every project has opened)
when the data folder has no timetable, whose vintage the date would choose. The memo lives with the network, so
later batches and ensembles in the same process (or pool worker) reuse it: an ensemble over opening dates alone
measures each goal once per distinct set of open projects and year. Only the status is recomputed for each
year, since it compares the year with the goal's deadline.
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from ..io import Factor, Goal
from ..model import ScenarioSpec
from ..network import Network
from ..scenario import Scenario
from ._checks import GoalEvaluator, GoalResult

#: One result row: draw, year, goal, status, met, value, margin, unit.
Row = tuple[Any, ...]
#: Network states whose measurements a process keeps between batches (a few MB at most).
MAX_STATES = 2000


@dataclass(frozen=True)
class Job:
    """What a worker needs besides the network: goals, years, basis and the factors' meaning."""

    goals: tuple[str, ...]
    years: tuple[int, ...]
    basis: str
    factors: tuple[Factor, ...]


class Batch(NamedTuple):
    """Draws evaluated together: their numbers and their input values (one row each)."""

    number: int
    draws: np.ndarray
    values: np.ndarray


class _Measured(NamedTuple):
    holds: bool
    value: float | None
    margin: float | None
    unit: str


def year_scenario(network: Network, year: int, basis: str = "expected") -> Scenario:
    """Build the network at the end of ``year`` under ``basis`` (``expected``: actual dates, then current schedules)."""
    cache: dict[tuple[int, str], Scenario] = network.cache.setdefault("ensemble_years", {})
    if (year, basis) not in cache:
        spec = ScenarioSpec(
            name=f"{basis}-{year}",
            date=dt.date(year, 12, 31),
            basis=basis,
            description=f"the network at the end of {year} ({basis} dates), base of an ensemble",
        )
        cache[(year, basis)] = Scenario(network, spec)
    return cache[(year, basis)]


def draw_changes(factors: Sequence[Factor], values: Sequence[float], date: dt.date) -> dict[str, Any]:
    """Return the :meth:`~pxnet.Scenario.derive` changes of one draw for a scenario at ``date``.

    Parameters go into ``parameters`` (default speeds as ``speed_kph``); a project whose sampled opening is
    on or before ``date`` is enabled, one opening later is disabled.
    """
    parameters: dict[str, Any] = {}
    enable: list[str] = []
    disable: list[str] = []
    for factor, value in zip(factors, values, strict=True):
        if factor.kind == "opening":
            opened = dt.date.fromordinal(int(value))
            (enable if opened <= date else disable).append(factor.target)
        elif factor.target.startswith("speed_kph."):
            parameters.setdefault("speed_kph", {})[factor.target.removeprefix("speed_kph.")] = float(value)
        else:
            parameters[factor.target] = float(value)
    changes: dict[str, Any] = {}
    if parameters:
        changes["parameters"] = parameters
    if enable:
        changes["enable"] = enable
    if disable:
        changes["disable"] = disable
    return changes


def _has_timetable(network: Network) -> bool:
    """Whether the data folder ships a timetable (``timetable/trips.txt``, docs/data-model.md)."""
    cache: dict[str, bool] = network.cache.setdefault("ensemble_timetable", {})
    if "has" not in cache:
        cache["has"] = (network.folder / "timetable" / "trips.txt").is_file()
    return cache["has"]


def state_key(sc: Scenario) -> tuple[Any, ...]:
    """Return what a goal's measurement depends on: open projects, present links and services, and the parameters.

    Without a timetable the scenario's date enters only through which links and services are present, so two
    years with the same network share measurements; the deadline comparison is redone per year (:func:`status`).
    With a timetable in the data folder the date also chooses the timetable's vintage and weekday, so the date is
    part of the key: years never share, while draws of one year with the same network still do.
    """
    return (
        sc.open_projects,
        tuple(sc.links.index),
        sc.present_services,
        repr(sorted(sc.spec.parameters.items())),
        sc.date if _has_timetable(sc.network) else None,
    )


def status(goal: Goal, holds: bool, date: dt.date) -> str:
    """Return the status :meth:`pxnet.goals.GoalEvaluator.evaluate` gives a measured check on ``date``."""
    if holds:
        return "met"
    return "missed" if date >= goal.deadline.end else "pending"


def _measured(result: GoalResult) -> _Measured:
    return _Measured(bool(result.satisfied), result.value, result.margin, result.unit)


def _states(net: Network) -> OrderedDict[tuple[Any, ...], dict[str, _Measured]]:
    """Return the network's memo of measurements by network state, most recently used last."""
    memo: OrderedDict[tuple[Any, ...], dict[str, _Measured]] = net.cache.setdefault("ensemble_states", OrderedDict())
    return memo


def evaluate_batch(net: Network, job: Job, batch: Batch, *, reuse: bool = True) -> list[Row]:
    """Evaluate every goal in every year for each draw of ``batch``: one row per draw, year and goal.

    With ``reuse`` (default), measurements are shared between scenarios of the same network state (module notes),
    within the batch and with earlier batches on the same network in this process (the :data:`MAX_STATES` most
    recent states are kept: an ensemble over opening dates alone has a handful, one over parameters one per draw).
    """
    by_id = {g.id: g for g in net.goals}
    goals = [by_id[g] for g in job.goals]
    # A fresh evaluator per batch: its baseline memo is keyed by the draw's parameters and would otherwise grow.
    evaluator = GoalEvaluator(net)
    states = _states(net)
    rows: list[Row] = []
    for draw, values in zip(batch.draws, batch.values, strict=True):
        for year in job.years:
            base = year_scenario(net, year, job.basis)
            changes = draw_changes(job.factors, values, base.date)
            sc = base.derive(name=f"{base.name} draw {int(draw)}", **changes) if changes else base
            measured: dict[str, _Measured] = {}
            if reuse:
                key = state_key(sc)
                measured = states.setdefault(key, measured)
                states.move_to_end(key)
                while len(states) > MAX_STATES:
                    states.popitem(last=False)
            for goal in goals:
                m = measured.get(goal.id)
                if m is None:
                    m = measured[goal.id] = _measured(evaluator.evaluate(goal, sc, trace=False))
                rows.append(
                    (int(draw), year, goal.id, status(goal, m.holds, sc.date), m.holds, m.value, m.margin, m.unit)
                )
    return rows


__all__ = [
    "MAX_STATES",
    "Batch",
    "Job",
    "Row",
    "draw_changes",
    "evaluate_batch",
    "state_key",
    "status",
    "year_scenario",
]
