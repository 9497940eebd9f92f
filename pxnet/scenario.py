"""Scenarios: a date plus a basis (actual / expected / plan), project switches and overrides.

A :class:`Scenario` is bound to a :class:`~pxnet.network.Network`; it decides which links and services
exist at its date, at what speed and frequency, and builds osmnx-convention graphs of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import pandas as pd

from . import vocabulary
from .cards import Card, as_cards, extend_network, sketch_card
from .dates import PartialDate
from .errors import DateError, ScenarioError, ScenarioWarning, UnknownScenarioError, warn
from .io import override_problems_in
from .model import ScenarioSpec
from .parameters import Parameters, override_problems
from .tracks import ModeArg, links_graph, service_segments

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

    import networkx as nx

    from .network import Network


class Scenario:
    """The network as it is (or was planned to be) at one date.

    Use :func:`get_scenario` to get one by name or year, then :meth:`derive` variants in code::

        sc = pxnet.get_scenario("plan-2025").derive(name="长赣 at 250", link_speed_kph={...})

    Parameters
    ----------
    network
        The network the scenario applies to.
    spec
        What the scenario is: name, date, basis, switches and overrides.
    """

    def __init__(self, network: Network, spec: ScenarioSpec) -> None:
        unknown = (spec.enable | spec.disable) - set(network.projects)
        if unknown:
            raise ScenarioError(f"scenario {spec.name!r} names unknown project(s): {', '.join(sorted(unknown))}")
        if spec.basis not in vocabulary.BASES:
            raise ScenarioError(f"scenario {spec.name!r}: basis must be one of {', '.join(vocabulary.BASES)}")
        bad_links = (set(spec.link_speed_kph) | set(spec.link_time_min) | spec.closed_links) - set(network.links.index)
        if bad_links:
            raise ScenarioError(f"scenario {spec.name!r} names unknown link(s): {', '.join(sorted(bad_links))}")
        bad_services = set(spec.service_headway_min) - set(network.services.index)
        if bad_services:
            raise ScenarioError(f"scenario {spec.name!r} names unknown service(s): {', '.join(sorted(bad_services))}")
        bad_parameters = override_problems(spec.parameters)
        if bad_parameters:
            raise ScenarioError(f"scenario {spec.name!r}: {'; '.join(bad_parameters)}")
        # The values follow the rules of the data file columns they replace (links.csv speed_kph, time_min;
        # services.csv headway_min): a zero or negative time would stall the routers.
        overrides = {k: getattr(spec, k) for k in ("link_speed_kph", "link_time_min", "service_headway_min")}
        bad_values = override_problems_in(
            overrides, links=network.links.index, services=network.services.index, label=f"scenario {spec.name!r}"
        )
        if bad_values:
            raise ScenarioError("; ".join(str(p) for p in bad_values))
        self.network = network
        self.spec = spec

    # -- identity -----------------------------------------------------------------------------
    @property
    def name(self) -> str:
        """Scenario name."""
        return self.spec.name

    @property
    def date(self) -> dt.date:
        """The date the scenario describes."""
        return self.spec.date

    @property
    def basis(self) -> str:
        """``actual``, ``expected`` or ``plan``: which dates decide whether a project is open."""
        return self.spec.basis

    def __repr__(self) -> str:
        """Return the scenario's name, date and basis."""
        return f"Scenario({self.name!r}, date={self.date.isoformat()}, basis={self.basis!r})"

    @cached_property
    def parameters(self) -> Parameters:
        """The network's model parameters with this scenario's ``parameters`` overrides applied.

        Examples
        --------
        >>> import pxnet
        >>> pxnet.get_scenario(2026).derive(parameters={"transfer_min": 10}).parameters.transfer_min
        10.0
        """
        values: dict[str, Any] = {}
        for name, value in self.spec.parameters.items():
            if name == "speed_kph":
                values[name] = {m: float(v) for m, v in value.items() if m != "__line__"}
            elif name != "__line__":
                values[name] = float(value)
        return self.network.parameters.with_overrides(**values)

    def derive(self, *, name: str | None = None, add: Any = None, **changes: Any) -> Scenario:
        """Return a new scenario made from this one with some fields changed.

        Parameters
        ----------
        name
            Name of the new scenario (default: this name plus ``"*"``).
        add
            New records: ``{"nodes": [...], "links": [...], "services": [...]}`` with the columns of
            ``nodes.csv``, ``links.csv`` and ``services.csv`` (``stops`` may be a list), each with a ``source``
            (``estimate: …`` for a guess). They are checked by the rules of the data files, held by one project
            (``id``: default ``sketch``) that is open in the new scenario, and the new scenario belongs to an
            extended network (:meth:`apply`). A :class:`~pxnet.cards.Card` works too.
        **changes
            Any :class:`~pxnet.model.ScenarioSpec` field: ``date`` (date, year or string), ``basis``,
            ``enable``, ``disable`` (project ids, added to this scenario's), ``link_speed_kph``,
            ``link_time_min``, ``service_headway_min``, ``parameters`` (merged; ``speed_kph`` inside
            ``parameters`` merges by mode), ``closed_links`` (added).

        Raises
        ------
        ScenarioError
            For an unknown field, id or project, or a value the data files would refuse (a speed, time or
            headway that is not a positive number).
        AdditionError
            For an addition the data files would refuse; the message names the addition and its field.

        Examples
        --------
        >>> import pxnet
        >>> sc = pxnet.get_scenario(2019).derive(name="test", date=2030)
        >>> sc.date.year
        2030
        """
        spec = self.spec
        fields: dict[str, Any] = {"name": name or f"{spec.name}*"}
        for key, value in changes.items():
            fields[key] = _changed_field(spec, key, value)
        if "enable" in changes:
            fields["disable"] = fields.get("disable", spec.disable) - _ids("enable", changes["enable"])
        if "disable" in changes:
            fields["enable"] = fields.get("enable", spec.enable) - _ids("disable", changes["disable"])
        if add is not None:
            card = add if isinstance(add, Card) else sketch_card(add, network=self.network, name=fields["name"])
            network = extend_network(self.network, [card])
            new = replace(spec, **fields)
            return Scenario(network, replace(new, enable=new.enable | {card.id}, disable=new.disable - {card.id}))
        derived = Scenario(self.network, replace(spec, **fields))
        # A change of model parameters other than speeds leaves the links and the services' paths as they are;
        # sharing them makes parameter sweeps (pxnet.sensitivity) cheap.
        if set(changes) <= {"parameters", "description"} and "speed_kph" not in changes.get("parameters", {}):
            for cached in ("open_projects", "present_services", "links", "service_segments"):
                derived.__dict__[cached] = getattr(self, cached)
        return derived

    def apply(
        self,
        cards: Card | Mapping[str, Any] | str | Path | Iterable[Any],
        *,
        name: str | None = None,
        enable: bool = True,
    ) -> Scenario:
        """Return this scenario with project cards added: their nodes, links, services, closures and upgrades.

        Parameters
        ----------
        cards
            A :class:`~pxnet.cards.Card`, a card mapping, a card file (YAML/JSON), a folder of cards, or a list.
        name
            Name of the new scenario (default: this name plus ``+<card id>`` for each card).
        enable
            Open the cards' projects in the new scenario whatever their milestones say (default). With
            ``False`` their milestones decide under this scenario's basis and date, as for any project.

        Returns
        -------
        Scenario
            On an extended network (``.network.extends`` is this scenario's network). This scenario and the
            other scenarios of its network still work with it: pass them by name, or as they are, to
            :func:`pxnet.compare` and :func:`pxnet.assess` together with the new one.

        Raises
        ------
        CardError
            If a card breaks the card schema.
        AdditionError
            If a record breaks the rules of the data files; the message names the card, the addition
            (``links[0]``) and its field.
        """
        found = as_cards(cards)
        network = extend_network(self.network, found)
        ids = frozenset(c.id for c in found)
        label = name or "".join([self.name, *(f"+{c.id}" for c in found)])
        enabled = self.spec.enable | ids if enable else self.spec.enable
        return Scenario(network, replace(self.spec, name=label, enable=enabled))

    # -- projects -----------------------------------------------------------------------------
    def project_open_date(self, project_id: str) -> dt.date | None:
        """When a project counts as open under this scenario's basis (``None``: not scheduled).

        A project with ``members`` (a network such as 三横一纵) opens when its last member opens.
        """
        project = self.network.projects[project_id]
        if project.members and not (
            self.basis == "plan" and ("open" in project.plan_targets or "complete" in project.plan_targets)
        ):
            dates = [self.project_open_date(m) for m in project.members]
            if any(d is None for d in dates):
                return None
            return max(d for d in dates if d is not None)
        return project.open_date(self.basis)

    @cached_property
    def open_projects(self) -> frozenset[str]:
        """Ids of the projects open in this scenario (after ``enable``/``disable``)."""
        out = set()
        for pid in self.network.projects:
            if pid in self.spec.disable:
                continue
            opened = self.project_open_date(pid)
            if pid in self.spec.enable or (opened is not None and opened <= self.date):
                out.add(pid)
        return frozenset(out)

    def _present(self, project: object, open_date: object, status: str) -> bool:
        project = project if isinstance(project, str) and project else None
        open_date = open_date if isinstance(open_date, PartialDate) else None
        if project:
            if project not in self.open_projects:
                return False
            own_later = open_date is not None and open_date.end > self.date
            return not (own_later and self.basis == "actual" and project not in self.spec.enable)
        if open_date is not None:
            return open_date.end <= self.date
        return status == "existing"

    # -- links and services -------------------------------------------------------------------
    @cached_property
    def links(self) -> pd.DataFrame:
        """The links in this scenario with ``speed_kph`` and ``time_min`` as they apply here."""
        links = self.network.links
        closed = set(self.spec.closed_links)
        speed = links["speed_kph"].copy()
        time = links["time_min"].copy()
        for pid in sorted(self.open_projects):
            project = self.network.projects[pid]
            closed |= set(project.closes)
            for upgrade in project.upgrades:
                if upgrade.speed_kph is not None:
                    speed[upgrade.link] = upgrade.speed_kph
                    time[upgrade.link] = np.nan
                if upgrade.time_min is not None:
                    time[upgrade.link] = upgrade.time_min
        for link_id, value in self.spec.link_speed_kph.items():
            speed[link_id] = value
            time[link_id] = np.nan
        for link_id, value in self.spec.link_time_min.items():
            time[link_id] = value
        defaults = links["mode"].map(self.parameters.speed_kph).astype(float)
        speed = speed.astype(float).fillna(defaults)
        derived = links["length_km"] / speed * 60.0
        time = time.astype(float).fillna(derived)
        present = [
            link_id not in closed and self._present(p, d, s)
            for link_id, p, d, s in zip(links.index, links["project"], links["open_date"], links["status"], strict=True)
        ]
        out = links.loc[present].copy()
        out["speed_kph"] = speed[present]
        out["time_min"] = time[present]
        return out

    @cached_property
    def services(self) -> pd.DataFrame:
        """The services running in this scenario, with the ``headway_min`` that applies here.

        A service runs when its project (or date, or status) says so and every segment between its
        consecutive stops can be run over this scenario's links of its mode.
        """
        services = self.network.services
        params = self.parameters
        # service_segments holds exactly the services that are present and runnable.
        out = services.loc[services.index.isin(self.service_segments["service"].unique())].copy()
        headway = out["headway_min"].astype(float)
        from_per_day = params.service_day_hours * 60.0 / out["trains_per_day"].astype(float)
        headway = headway.fillna(from_per_day)
        for service_id, value in self.spec.service_headway_min.items():
            if service_id in headway.index:
                headway[service_id] = value
        out["headway_min"] = headway
        return out

    @cached_property
    def present_services(self) -> tuple[str, ...]:
        """Ids of the services whose project, date or status puts them in this scenario (runnable or not)."""
        services = self.network.services
        return tuple(
            sid
            for sid, p, d, s in zip(
                services.index, services["project"], services["open_date"], services["status"], strict=True
            )
            if self._present(p, d, s)
        )

    @cached_property
    def service_segments(self) -> pd.DataFrame:
        """One row per pair of consecutive stops of each runnable service.

        Columns: ``service``, ``seq``, ``from``, ``to``, ``km``, ``run_min`` (pure running time over the
        fastest path of the service's mode), ``timetable_min`` (the service's sourced ``segment_min`` for
        this pair, which replaces running time and stop loss; NaN where none is given), ``links`` (the link
        ids of that path). Services with a segment that cannot be run in this scenario are left out.
        Computed by :func:`pxnet.tracks.service_segments` (once per network for identical rail links).
        """
        return service_segments(self)

    # -- graphs -------------------------------------------------------------------------------
    def graph(self, *, mode: ModeArg = None, node_keys: str = "id") -> nx.MultiDiGraph:
        """Return the physical network of this scenario as an osmnx-convention ``MultiDiGraph``.

        Built by :func:`pxnet.tracks.links_graph`, which documents the graph.

        .. warning::
           Node keys are the text ids (``G.nodes["pingxiang_north"]``; ``Network.resolve("萍乡北")`` gives the
           id of a name). An edge's ``travel_time`` is the running time over the track or road,
           **not a journey time**: it has no wait, dwell, change or access. Use :func:`pxnet.travel_time`
           or :func:`pxnet.route` for journeys.

        Parameters
        ----------
        mode
            Which links to include: ``None``/``"all"``, a group (``"hsr"``, ``"rail"``, ``"road"``,
            ``"door_to_door"``, ``"freight"``), a link mode, or several link modes.
        node_keys
            ``"id"`` (default) or ``"hash"``: the integer keys of earlier releases, with a ``FutureWarning`` (they go
            in pxnet 0.4).

        Examples
        --------
        >>> import pxnet
        >>> G = pxnet.get_scenario(2025).graph(mode="hsr")
        >>> G.graph["crs"]
        'EPSG:4326'
        >>> G.nodes["pingxiang_north"]["name_en"]
        'Pingxiang North'
        """
        return links_graph(self, mode=mode, node_keys=node_keys)


def _ids(key: str, value: Any) -> frozenset[str]:
    """Ids given to ``enable``, ``disable`` or ``closed_links``: one id, or a collection of ids."""
    if isinstance(value, str):
        return frozenset({value})
    try:
        ids = frozenset(value)
    except TypeError:
        raise ScenarioError(f"{key} takes ids (a string or a list of strings), not {value!r}") from None
    bad = [v for v in ids if not isinstance(v, str)]
    if bad:
        raise ScenarioError(f"{key} takes ids (strings), not {bad[0]!r}")
    return ids


# What a generated dated scenario describes, in English and Chinese, for each basis.
_DESCRIPTIONS = {
    "actual": ("what actually exists on {date}", "{date} 实际存在的网络"),
    "expected": (
        "the network expected on {date} from actual milestones and current schedules",
        "按实际节点和现行工期预计的 {date} 网络",
    ),
    "plan": (
        "what the plan promised for {date}; projects without plan targets follow their actual dates",
        "方案对 {date} 的承诺；方案未定目标的项目按实际日期",
    ),
}
ScenarioArg = str | int | dt.date | Scenario | None


def _changed_field(spec: ScenarioSpec, key: str, value: Any) -> Any:
    # A ScenarioSpec field as Scenario.derive changes it: ids are added, mappings merged, the rest replaced.
    if key == "date":
        return PartialDate.parse(value).end
    if key in ("enable", "disable", "closed_links"):
        return getattr(spec, key) | _ids(key, value)
    if key in ("link_speed_kph", "link_time_min", "service_headway_min"):
        if not isinstance(value, dict):
            raise ScenarioError(f"{key} must be a mapping of id to number, not {type(value).__name__}")
        return {**getattr(spec, key), **value}
    if key == "parameters":
        merged = {**spec.parameters, **value}
        if "speed_kph" in spec.parameters and "speed_kph" in value:
            merged["speed_kph"] = {**spec.parameters["speed_kph"], **value["speed_kph"]}
        return merged
    if key in ("basis", "description"):
        return value
    known = ["add", "date", "basis", "description", "enable", "disable", "closed_links", "parameters"]
    known += ["link_speed_kph", "link_time_min", "service_headway_min"]
    hint = vocabulary.did_you_mean(key, known, n=1)
    raise ScenarioError(f"unknown scenario field {key!r}{hint}; known: {', '.join(known)}")


class _Key(NamedTuple):
    """The scenario name an argument stands for, and whether a bare year or date changed meaning for it."""

    name: str
    now_expected: bool = False


def _date_text(which: Any) -> str | None:
    # A year or date argument as text (2030, "2030", "2030-06", datetime.date), or None for a name.
    if isinstance(which, dt.datetime):
        which = which.date()
    if isinstance(which, dt.date):
        return which.isoformat()
    if isinstance(which, int) and not isinstance(which, bool):
        return str(which)
    if isinstance(which, str) and vocabulary.YEAR_OR_DATE.match(which.strip()):
        return which.strip()
    return None


def _after_data_date(text: str, network: Network) -> bool:
    # A year, month or day wholly after the data date: the data year itself is the network of today.
    _, end = data_coverage(network)
    try:
        return end is not None and PartialDate.parse(text).start > end
    except DateError:  # an impossible date: the dated name reports it
        return False


def _scenario_key(which: Any, today: dt.date, network: Network, basis: str | None) -> _Key:
    # The name a scenario argument stands for: a year or date becomes a dated name under ``basis``; without one,
    # ``as-built-…`` up to the data date and ``expected-…`` after it.
    if which is None:
        if basis in (None, "actual"):
            return _Key(vocabulary.dated_name("actual", str(today.year)))
        return _Key(vocabulary.dated_name(str(basis), today.isoformat()))
    text = _date_text(which)
    if text is None:
        if not isinstance(which, str):
            raise UnknownScenarioError(f"a scenario is a name, a year or a date, not {which!r}")
        return _Key(which.strip())
    if basis is not None:
        return _Key(vocabulary.dated_name(basis, text))
    if _after_data_date(text, network):
        return _Key(vocabulary.dated_name("expected", text), now_expected=True)
    return _Key(vocabulary.dated_name("actual", text))


def _new_scenario(network: Network, which: str, today: dt.date) -> Scenario:
    # A scenario not yet cached: a named one of the network, or the network on a date under a basis.
    if which in network.scenario_specs:
        return Scenario(network, network.scenario_specs[which])
    m = vocabulary.DATED_NAME.match(which)
    if m is None:
        hint = vocabulary.did_you_mean(which, network.scenario_names)
        known = ", ".join([*network.scenario_names, "as-built-<year>", "expected-<year>", "plan-<year>"])
        raise UnknownScenarioError(
            f"unknown scenario {which!r}{hint}; known: {known} (a dated name may end in YYYY, YYYY-MM or YYYY-MM-DD)"
        )
    prefix, text = m.groups()
    try:
        date = PartialDate.parse(text).end
    except DateError as exc:
        raise UnknownScenarioError(f"scenario {which!r}: {exc}") from None
    if prefix == "as-built" and len(text) == 4 and date.year == today.year:
        date = today
    basis = vocabulary.DATED_BASES[prefix]
    english, chinese = _DESCRIPTIONS[basis]
    spec = ScenarioSpec(
        name=which,
        date=date,
        basis=basis,
        description=english.format(date=date.isoformat()),
        description_zh=chinese.format(date=date.isoformat()),
    )
    return Scenario(network, spec)


def get_scenario(which: ScenarioArg = None, *, network: Network | None = None, basis: str | None = None) -> Scenario:
    """Return a scenario by name, year or date.

    Parameters
    ----------
    which
        A name from the network's ``scenarios.yaml`` (e.g. ``"plan-2025"``), which always wins; a dated name:
        ``"as-built-<date>"`` (what actually exists on that date; the current year means today),
        ``"expected-<date>"`` (actual milestones, then current schedules) or ``"plan-<date>"`` (the plan's
        targets, else actual dates), where ``<date>`` is ``YYYY`` (31 December), ``YYYY-MM`` (the month's last
        day) or ``YYYY-MM-DD``; a year (``2025`` or ``"2025"``) or a date (``"2025-06-01"``, a
        ``datetime.date``); a :class:`Scenario` (returned as is, or carried over to ``network`` if that network
        extends the scenario's own by project cards); ``None`` for the network as built today.

        A year or date means the network as built (``as-built-…``) up to the data date
        (``dataset.yaml: data_date``) and the expected one after it (``expected-…``): the data know only what
        had opened by the data date, and a planner asking for 2030 means the works as now scheduled.
        In the bundled data ``as-built-2019`` (and so the year ``2019``) is a named scenario: the network on
        the day of the plan, 2019-02-20, before 昌赣 opened (2019-12-26). Ask for ``"as-built-2019-12-31"``
        for the end of that year.
    network
        The network; ``None`` for the bundled one.
    basis
        ``"actual"``, ``"expected"`` or ``"plan"``: the basis of a year or date (``get_scenario(2030,
        basis="actual")`` is ``as-built-2030``), or of today for ``None``. With a name or a
        :class:`Scenario` it must be the scenario's own.

    Returns
    -------
    Scenario
        Its :attr:`~Scenario.basis` and name say which dates decide what is open.

    Raises
    ------
    UnknownScenarioError
        For an unknown name; the message lists the known names.
    ScenarioError
        For an unknown ``basis``, or one that contradicts the named scenario's.

    Warns
    -----
    FutureWarning
        For a year or date after the data date given without ``basis``: it meant the network as built by the
        data date in earlier releases and means the expected network now. The warning names the old meaning's
        name (``as-built-2030``); each call site warns once for each year.
    ScenarioWarning
        For an as-built (``actual``) scenario after the year of the data date: the data know only what had opened
        by then, so the answer is the network as built at the data date; the warning names the expected
        scenario of that date. Also for a date before the earliest dated record, where links recorded as existing
        without an open date are counted as open.

    Examples
    --------
    >>> import pxnet
    >>> pxnet.get_scenario(2019).name, str(pxnet.get_scenario(2019).date)
    ('as-built-2019', '2019-02-20')
    >>> import datetime
    >>> pxnet.get_scenario("as-built-2026-06-01").name == pxnet.get_scenario(datetime.date(2026, 6, 1)).name
    True
    >>> sc = pxnet.get_scenario("expected-2035")
    >>> sc.basis, str(sc.date)
    ('expected', '2035-12-31')
    >>> pxnet.get_scenario(2030, basis="expected") is pxnet.get_scenario("expected-2030")
    True
    """
    if basis is not None and basis not in vocabulary.BASES:
        raise ScenarioError(
            f"basis must be one of {', '.join(vocabulary.BASES)}, not {basis!r}"
            f"{vocabulary.did_you_mean(str(basis), vocabulary.BASES)}"
        )
    if isinstance(which, Scenario):
        scenario = which if network is None else carry_over(which, network)
        return _checked_basis(scenario, basis)
    if network is None:
        from .network import bundled_network

        network = bundled_network()
    today = dt.date.today()
    key = _scenario_key(which, today, network, basis)
    cache: dict[str, Scenario] = network.cache.setdefault("scenarios", {})
    scenario = cache[key.name] if key.name in cache else _new_scenario(network, key.name, today)
    cache[key.name] = scenario
    if key.now_expected:
        _warn_now_expected(which, scenario)
    if key.name not in network.scenario_specs:
        _warn_coverage(scenario)
    return _checked_basis(scenario, basis)


def _checked_basis(scenario: Scenario, basis: str | None) -> Scenario:
    if basis is None or scenario.basis == basis:
        return scenario
    dated = vocabulary.dated_name(basis, scenario.date.isoformat())
    raise ScenarioError(
        f"scenario {scenario.name!r} has basis {scenario.basis!r}, not {basis!r}: basis= chooses the basis of a "
        f"year or date; for its date under {basis!r} ask for {dated!r}"
    )


def _warn_now_expected(which: Any, scenario: Scenario) -> None:
    text = _date_text(which)
    warn(
        f"a year or date after the data date ({scenario.network.data_date}) means the expected network now: "
        f"{which!r} is {scenario.name!r} (actual milestones, then current schedules), not the network as built by "
        f"the data date as in earlier releases. For that one ask for get_scenario({which!r}, basis='actual') or "
        f"{vocabulary.dated_name('actual', str(text))!r}",
        FutureWarning,
    )


def data_coverage(network: Network) -> tuple[dt.date | None, dt.date | None]:
    """Return the dates the network's data can answer for: the earliest dated record and the end of the data date.

    ``None`` where unknown (no dated record; no ``data_date`` in ``dataset.yaml``).

    Examples
    --------
    >>> import pxnet
    >>> [str(d) for d in data_coverage(pxnet.load_network())]
    ['2009-12-26', '2026-11-30']
    """
    dated = [d.end for table in (network.links, network.services) for d in table["open_date"] if d is not None]
    dated += [m.date.end for p in network.projects.values() for m in p.milestones if not m.event.startswith("expected")]
    try:
        end: dt.date | None = PartialDate.parse(network.data_date).end
    except DateError:
        end = None
    return (min(dated) if dated else None), end


def _warn_coverage(scenario: Scenario) -> None:
    start, end = data_coverage(scenario.network)
    if end is not None and scenario.date.year > end.year and scenario.basis == "actual":
        expected = "expected-" + scenario.name.removeprefix("as-built-")  # only dated names come here
        warn(
            f"scenario {scenario.name!r} ({scenario.date.isoformat()}) lies after the data date "
            f"{scenario.network.data_date}: it holds only what had actually opened by then, not what is scheduled "
            f"to open later. For current schedules ask for {expected!r} (a bare year or date after the data date "
            "means it)",
            ScenarioWarning,
        )
    elif start is not None and scenario.date < start:
        warn(
            f"scenario {scenario.name!r} ({scenario.date.isoformat()}) lies before the earliest dated record of the "
            f"data ({start.isoformat()}): links recorded as existing without an open date count as open, whether or "
            "not they were built then",
            ScenarioWarning,
        )


def carry_over(scenario: Scenario, network: Network) -> Scenario:
    """``scenario`` on ``network``, when ``network`` extends the scenario's own by project cards.

    The extended network holds every record of the original, and the cards' projects stay closed in the
    carried-over scenario (unless it enables them), so it is the same network as before: comparing it with a
    sketch shows what the cards change. (A scenario *named* on the extended network, such as
    ``get_scenario("expected-2030", network=sketch.network)``, follows the cards' milestones instead.) A
    scenario of an unrelated network is returned as it is (:func:`resolve` reports the mismatch).
    """
    if scenario.network is network or not _extends(network, scenario.network):
        return scenario
    memo: dict[int, tuple[Scenario, Scenario]] = network.cache.setdefault("carried_over", {})
    hit = memo.get(id(scenario))
    if hit is None or hit[0] is not scenario:
        added = frozenset(network.projects) - frozenset(scenario.network.projects) - scenario.spec.enable
        hit = (scenario, Scenario(network, replace(scenario.spec, disable=scenario.spec.disable | added)))
        memo[id(scenario)] = hit
    return hit[1]


def _extends(child: Network, parent: Network) -> bool:
    net = child.extends
    while net is not None:
        if net is parent:
            return True
        net = net.extends
    return False


def common_network(*scenarios: ScenarioArg, network: Network | None = None) -> Network:
    """Return the network several scenarios can all be evaluated on.

    ``network`` if given; else the network of the given :class:`Scenario` objects that extends (by project
    cards) all the others, e.g. the base scenario's and a sketch's; else the first one's, else the bundled one.

    Examples
    --------
    >>> import pxnet
    >>> common_network("plan-2025", 2026) is pxnet.network.bundled_network()
    True
    """
    if network is not None:
        return network
    nets = [s.network for s in scenarios if isinstance(s, Scenario)]
    for candidate in nets:
        if all(n is candidate or _extends(candidate, n) for n in nets):
            return candidate
    return nets[0] if nets else resolve_network(None)


def resolve(scenario: ScenarioArg = None, network: Network | None = None) -> Scenario:
    """Resolve "which scenario, on which network" by the one rule every pxnet function follows.

    Parameters
    ----------
    scenario
        Anything :func:`get_scenario` takes: a :class:`Scenario`, a name, a year, a date, or ``None``.
    network
        The network the scenario must belong to. ``None``: the scenario's own network if ``scenario`` is a
        :class:`Scenario`, else the bundled one.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        If ``scenario`` is a :class:`Scenario` of another network than ``network``.

    Examples
    --------
    >>> import pxnet
    >>> resolve(2019).network is resolve_network(None)
    True
    """
    if isinstance(scenario, Scenario):
        if network is not None:
            scenario = carry_over(scenario, network)
        if network is not None and scenario.network is not network:
            raise ScenarioError(
                f"scenario {scenario.name!r} belongs to the network of {str(scenario.network.folder)!r}, "
                f"not to the one given ({str(network.folder)!r}); pass one of them only"
                + (
                    " (both come from that folder: scenarios with different project cards applied cannot be mixed;"
                    " apply the same cards to each)"
                    if scenario.network.folder == network.folder
                    else ""
                )
            )
        return scenario
    return get_scenario(scenario, network=resolve_network(None, network))


def resolve_network(scenario: ScenarioArg = None, network: Network | None = None) -> Network:
    """Return the network given, else the scenario's own, else the bundled one (see :func:`resolve`).

    Examples
    --------
    >>> import pxnet
    >>> resolve_network(None) is pxnet.network.bundled_network()
    True
    """
    if isinstance(scenario, Scenario):
        return resolve(scenario, network).network
    if network is not None:
        return network
    from .network import bundled_network

    return bundled_network()
