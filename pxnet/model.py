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
        """Return the earliest milestone among ``events`` (in the order given as tie-break), or ``None``."""
        found = [m for m in self.milestones if m.event in events]
        return min(found, key=lambda m: m.date.end) if found else None

    def open_date(self, basis: str = "actual") -> dt.date | None:
        """Return the date the project counts as open under ``basis`` (``actual``, ``expected`` or ``plan``).

        Returns ``None`` when it is not (yet) open or scheduled under that basis.
        """
        return self.event_date("open", basis)

    def event_date(self, event: str, basis: str = "actual") -> dt.date | None:
        """When an event (``start``, ``full_start``, ``open``, ``complete``) happens under ``basis``.

        ``plan``: the plan's target, else the actual milestone; ``actual``: the recorded milestone;
        ``expected``: the recorded milestone, else the scheduled ``expected_<event>``. ``open`` and
        ``complete`` count as one event (the earlier of the two). Partial dates count from their last day.

        Examples
        --------
        >>> import pxnet
        >>> p = pxnet.load_network().projects["pinglian_expressway"]
        >>> str(p.event_date("open", "plan"))
        '2021-12-31'
        """
        events = ("open", "complete") if event in ("open", "complete") else (event,)
        if basis == "plan":
            target = next((self.plan_targets[e] for e in events if e in self.plan_targets), None)
            if target is not None:
                return target.end
        actual = self.milestone(*events)
        if actual is not None:
            return actual.date.end
        if basis == "expected":
            return self.scheduled_date(event)
        return None

    def scheduled_date(self, event: str) -> dt.date | None:
        """Return an event's scheduled (``expected_<event>``) date, or ``None``; ``open`` also takes ``complete``."""
        events = ("open", "complete") if event in ("open", "complete") else (event,)
        expected = self.milestone(*(f"expected_{e}" for e in events))
        return expected.date.end if expected is not None else None


@dataclass(frozen=True)
class ScenarioSpec:
    """A scenario as written in ``scenarios.yaml`` (or built in code): date, basis, switches, overrides."""

    name: str
    date: dt.date
    basis: str = "actual"
    description: str = ""
    description_zh: str = ""
    enable: frozenset[str] = frozenset()
    disable: frozenset[str] = frozenset()
    link_speed_kph: dict[str, float] = field(default_factory=dict)
    link_time_min: dict[str, float] = field(default_factory=dict)
    service_headway_min: dict[str, float] = field(default_factory=dict)
    closed_links: frozenset[str] = frozenset()
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TimetableChange:
    """One dated change of a network's rail supply (``timetable/changes.yaml``), with its source.

    ``kind`` is one of :data:`pxnet.vocabulary.CHANGE_KINDS`; the fields a kind uses are documented in
    ``docs/data-model.md``. Station fields hold network node ids.
    """

    id: str
    date: PartialDate
    kind: str
    title: str
    source: dict[str, str]
    confidence: str
    figure: str = ""
    note: str = ""
    between: tuple[str, str] | None = None
    direction: str = "both"
    stations: tuple[str, ...] = ()
    station: str = ""
    trains: tuple[str, ...] = ()
    stops: tuple[str, ...] = ()
    service: str = ""
    fastest_min: float | None = None
    factor: float | None = None
    trains_per_day: float | None = None
    departures: tuple[str, ...] = ()
    first: str = ""
    last: str = ""
    run_min: float | None = None
    dwell_min: float | None = None
    bidirectional: bool = True
    until: PartialDate | None = None

    @property
    def source_text(self) -> str:
        """The source as one line: title, publisher, date, address."""
        keys = ("title", "publisher", "date", "url")
        return "; ".join(str(self.source[k]) for k in keys if self.source.get(k))
