"""Plain records for projects, milestones and scenario definitions read from YAML."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .dates import PartialDate


@dataclass(frozen=True)
class Milestone:
    """An event in a project's life (``start``, ``open``, ``expected_open`` …) with its date and source."""

    event: str
    date: PartialDate
    source: str
    note: str = ""


@dataclass(frozen=True)
class Upgrade:
    """A change to an existing link that takes effect when its project opens."""

    link: str
    speed_kph: float | None = None
    time_min: float | None = None


@dataclass(frozen=True)
class Project:
    """An infrastructure project or service introduction, with the plan's targets and actual milestones.

    The links and services a project adds are those whose ``project`` column names it; see
    :meth:`pxnet.Network.project_links`.
    """

    id: str
    name_zh: str
    name_en: str
    category: str
    source: str
    plan_clause: str = ""
    plan_targets: dict[str, PartialDate] = field(default_factory=dict)
    milestones: tuple[Milestone, ...] = ()
    upgrades: tuple[Upgrade, ...] = ()
    closes: tuple[str, ...] = ()
    members: tuple[str, ...] = ()
    notes: str = ""

    def milestone(self, *events: str) -> Milestone | None:
        """The earliest milestone among ``events`` (in the order given as tie-break), or ``None``."""
        found = [m for m in self.milestones if m.event in events]
        return min(found, key=lambda m: m.date.end) if found else None

    def open_date(self, basis: str = "actual") -> dt.date | None:
        """The date the project counts as open under ``basis`` (``actual``, ``expected`` or ``plan``).

        Returns ``None`` when it is not (yet) open or scheduled under that basis.
        """
        if basis == "plan":
            target = self.plan_targets.get("open") or self.plan_targets.get("complete")
            if target is not None:
                return target.end
        actual = self.milestone("open", "complete")
        if actual is not None:
            return actual.date.end
        if basis == "expected":
            expected = self.milestone("expected_open", "expected_complete")
            if expected is not None:
                return expected.date.end
        return None


@dataclass(frozen=True)
class ScenarioSpec:
    """A scenario as written in ``scenarios.yaml`` (or built in code): date, basis, switches, overrides."""

    name: str
    date: dt.date
    basis: str = "actual"
    description: str = ""
    enable: frozenset[str] = frozenset()
    disable: frozenset[str] = frozenset()
    link_speed_kph: dict[str, float] = field(default_factory=dict)
    link_time_min: dict[str, float] = field(default_factory=dict)
    service_headway_min: dict[str, float] = field(default_factory=dict)
    closed_links: frozenset[str] = frozenset()
    parameters: dict[str, Any] = field(default_factory=dict)
