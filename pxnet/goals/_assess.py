"""Assess the plan's goals in scenarios: status, margin, critical path, and the projects that flip a result.

Statuses:

- ``met`` — the check holds in the scenario (for milestones: the event happened by the deadline);
- ``missed`` — the scenario is at or past the deadline and the check fails (a milestone came late or not at all);
- ``pending`` — the check fails but the scenario's date is before the deadline;
- ``not_assessable`` — the data cannot answer (e.g. no record of a milestone, and the goal says so).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .._version import __version__
from ..errors import AnalysisError, UnknownGoalError, UnknownScenarioError
from ..io import Goal
from ..network import Network
from ..scenario import Scenario, ScenarioArg, common_network, get_scenario
from ._checks import STATUSES, GoalEvaluator, GoalResult, path_text
from ._robustness import goal_sensitivity
from ._select import default_scenarios, select_goals


@dataclass
class Assessment:
    """All goal × scenario results of one run."""

    network: Network
    scenarios: list[Scenario]
    results: list[GoalResult]
    #: One row per goal, scenario and varied parameter (:func:`pxnet.goal_sensitivity`), when asked for.
    sensitivity: pd.DataFrame | None = None

    def __repr__(self) -> str:
        counts = self.table()["status"].value_counts() if self.results else pd.Series(dtype=int)
        tally = ", ".join(f"{int(counts[s])} {s}" for s in STATUSES if s in counts) or "no results"
        return (
            f"<pxnet.Assessment: {len(self.goals)} goals × {len(self.scenarios)} scenarios "
            f"({', '.join(s.name for s in self.scenarios)}); {tally}; data {self.network.data_date}>"
        )

    def _repr_html_(self) -> str:
        """Render the status matrix as an HTML table (Jupyter); every name from the data is escaped."""
        import html

        esc = html.escape
        names = {g.id: g.name_zh for g in self.goals}
        head = "".join(f"<th>{esc(s.name)}</th>" for s in self.scenarios)
        rows = []
        for goal, row in self.matrix().iterrows():
            cells = "".join(f"<td>{esc(str(v))}</td>" for v in row)
            rows.append(f"<tr><td>{esc(names[str(goal)])} <code>{esc(str(goal))}</code></td>{cells}</tr>")
        return (
            f"<p><b>pxnet.Assessment</b> — {len(self.goals)} goals × {len(self.scenarios)} scenarios, data "
            f"{esc(self.network.data_date)}</p><table><tr><th>goal</th>{head}</tr>{''.join(rows)}</table>"
        )

    def fragile(self) -> pd.DataFrame:
        """Return the verdicts that change when one parameter moves to an end of its range (empty if all hold).

        Columns: ``goal``, ``scenario``, ``parameter``, ``at`` (the parameter's value there), ``status``
        (the verdict there), ``base_status``, ``base_value``, ``value``, ``unit``. Needs an assessment run
        with ``sensitivity=True``.
        """
        columns = ["goal", "scenario", "parameter", "at", "status", "base_status", "base_value", "value", "unit"]
        if self.sensitivity is None:
            raise AnalysisError("this assessment was run without sensitivity=True")
        rows = []
        for r in self.sensitivity.itertuples(index=False):
            for at, status, value in ((r.low, r.low_status, r.low_value), (r.high, r.high_status, r.high_value)):
                if status != r.base_status:
                    rows.append(
                        [r.goal, r.scenario, r.parameter, at, status, r.base_status, r.base_value, value, r.unit]
                    )
        return pd.DataFrame(rows, columns=columns)

    @property
    def goals(self) -> list[Goal]:
        """The goals assessed, in order."""
        return _unique_goals(self.results)

    def table(self) -> pd.DataFrame:
        """One row per goal × scenario: goal, names, scenario, status, value, target, margin, unit, flips, reason."""
        rows = [
            {
                "goal": r.goal.id,
                "name_zh": r.goal.name_zh,
                "scenario": r.scenario,
                "status": r.status,
                "value": r.value,
                "target": r.target,
                "margin": r.margin,
                "unit": r.unit,
                "flips": ", ".join(r.flips),
                "reason": r.reason,
            }
            for r in self.results
        ]
        return pd.DataFrame(rows)

    def matrix(self) -> pd.DataFrame:
        """Status of each goal (rows) in each scenario (columns)."""
        table = self.table()
        out = table.pivot(index="goal", columns="scenario", values="status")
        return out.loc[[g.id for g in self.goals], [s.name for s in self.scenarios]]

    def result(self, goal: str, scenario: str) -> GoalResult:
        """Return the result of one goal in one scenario."""
        for r in self.results:
            if r.goal.id == goal and r.scenario == scenario:
                return r
        if all(r.goal.id != goal for r in self.results):
            raise UnknownGoalError(f"goal {goal!r} was not assessed; assessed: {', '.join(g.id for g in self.goals)}")
        names = ", ".join(s.name for s in self.scenarios)
        raise UnknownScenarioError(f"scenario {scenario!r} was not assessed; assessed: {names}")

    def to_json(self) -> dict[str, Any]:
        """Return the stable JSON document of ``pxnet assess --json``."""
        return {
            "pxnet_version": __version__,
            "data_date": self.network.data_date,
            "scenarios": [
                {"name": s.name, "date": s.date.isoformat(), "basis": s.basis, "description": s.spec.description}
                for s in self.scenarios
            ],
            "goals": [
                {
                    "id": g.id,
                    "name_zh": g.name_zh,
                    "name_en": g.name_en,
                    "clause": g.clause,
                    "section": g.section,
                    "deadline": str(g.deadline),
                    "type": g.type,
                    "threshold_source": g.threshold_source,
                }
                for g in self.goals
            ],
            "results": [r.to_dict() for r in self.results],
            **({"fragile": _records(self.fragile())} if self.sensitivity is not None else {}),
        }


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (NaN and infinities become ``None``)."""
    out = []
    for row in table.to_dict(orient="records"):
        out.append({k: None if isinstance(v, float) and not math.isfinite(v) else v for k, v in row.items()})
    return out


def _unique_goals(results: Iterable[GoalResult]) -> list[Goal]:
    seen: dict[str, Goal] = {}
    for r in results:
        seen.setdefault(r.goal.id, r.goal)
    return list(seen.values())


def assess(
    goals: Sequence[str] | None = None,
    scenarios: Sequence[ScenarioArg] | None = None,
    *,
    network: Network | None = None,
    flips: bool = True,
    sensitivity: bool = False,
) -> Assessment:
    """Assess the plan's goals in scenarios.

    Parameters
    ----------
    goals
        Goal ids (default: every goal in the network's ``goals.yaml``).
    scenarios
        Scenarios, names or years (default: :func:`default_scenarios`, for the bundled data ``as-built-2019``,
        ``plan-2020``, ``plan-2025``, ``as-built-<this year>``, ``expected-2030``).
    network
        The network (default: the bundled one).
    flips
        Find, for each measured goal (every type but milestones: :attr:`pxnet.io.GoalType.measured`), the
        projects whose opening (or absence) changes whether the check holds. Costs one routing run per project
        and scenario.
    sensitivity
        Also vary each model parameter with a range in ``parameters.yaml`` to both ends of it, one at a time,
        and record which verdicts change (:attr:`Assessment.sensitivity`, :meth:`Assessment.fragile`). Costs
        two evaluations per parameter, goal and scenario.

    Returns
    -------
    Assessment

    Examples
    --------
    >>> import pxnet
    >>> a = pxnet.assess(["pinglian_open_2021"], ["as-built-2019", "as-built-2022"], flips=False)
    >>> a.matrix().loc["pinglian_open_2021"].tolist()
    ['pending', 'met']
    """
    net = common_network(*(scenarios or ()), network=network)  # sketches carry their network
    chosen = select_goals(net, goals)
    names = list(scenarios) if scenarios is not None else default_scenarios(net)
    scs = [get_scenario(s, network=net) for s in names]
    evaluator = GoalEvaluator(net)
    results = []
    for sc in scs:
        for goal in chosen:
            result = evaluator.evaluate(goal, sc)
            if flips and goal.goal_type.measured and result.satisfied is not None:
                result.flip_records = evaluator.flip_records(goal, sc, result.satisfied)
                result.flips = [f.text() for f in result.flip_records]
            results.append(result)
    table = None
    if sensitivity:
        table = goal_sensitivity([g.id for g in chosen if g.goal_type.measured], scs, network=net)
    return Assessment(net, scs, results, sensitivity=table)


__all__ = ["STATUSES", "Assessment", "GoalResult", "assess", "default_scenarios", "path_text"]
