"""What a scenario's rail supply depends on, read from its definition alone (no timetable is built).

:func:`rail_supply_key` lists every input of :func:`pxnet.routing.timetable._supply.scenario_supply` that can
differ between scenarios of one network: the date and basis; which projects that touch the rail network are
open (and which are forced open); overrides of rail links and services; the parameters that time trains. Two
scenarios with equal keys have the same vintage, modifications and modelled trips, so they share one
:class:`~pxnet.routing.timetable.ScenarioTimetable` (and its compiled connections and profiles). A project
flip that touches only roads, or a road speed varied for sensitivity, keeps the key of its parent.

A project touches the rail network when it owns a link or a service of a rail mode, or closes or upgrades a
link of one. The rail modes are those trains run on (``hsr``, ``rail``) and every mode a service has.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from ... import _cache, vocabulary
from ...network import Network
from ...scenario import Scenario

__all__ = ["RailInputs", "rail_inputs", "rail_supply_key"]

#: Link modes the scenario's supply reads (``_supply``'s reference paths and network changes use these two).
_TRAIN_MODES = frozenset({"hsr", "rail"})


@dataclass(frozen=True)
class RailInputs:
    """The parts of a network the rail supply reads, found once per network.

    Attributes
    ----------
    modes
        Link modes trains run on.
    links
        Ids of the links of those modes.
    projects
        Ids of the projects that own, close or upgrade such a link, or own a service.
    """

    modes: frozenset[str]
    links: frozenset[str]
    projects: frozenset[str]


def rail_inputs(network: Network) -> RailInputs:
    """Return the rail modes, rail links and rail projects of a network (remembered with the network)."""
    return _cache.memo(network, "rail supply inputs", maxsize=1).get("inputs", lambda: _rail_inputs(network))


def _rail_inputs(network: Network) -> RailInputs:
    services = network.services
    modes = _TRAIN_MODES | vocabulary.SERVICE_MODES | {str(m) for m in services["mode"]}
    links = network.links
    rail = links[links["mode"].isin(sorted(modes))]
    rail_ids = frozenset(str(i) for i in rail.index)
    owners = {p for p in rail["project"] if isinstance(p, str) and p}
    owners |= {p for p in services["project"] if isinstance(p, str) and p}
    for pid, project in network.projects.items():
        if set(project.closes) & rail_ids or any(u.link in rail_ids for u in project.upgrades):
            owners.add(pid)
    return RailInputs(frozenset(modes), rail_ids, frozenset(owners))


def rail_supply_key(scenario: Scenario) -> Hashable:
    """Return a key equal for two scenarios of one network exactly when their rail supply inputs are equal.

    It holds the date, the basis, the open rail projects, the rail projects the scenario opens itself, the
    scenario's overrides of rail links and services, the default speeds of the rail modes and the parameters
    that time and spread trains. The scenario's name is part of it only when the supply's modifications name
    the scenario: an override of a rail link or a service, or a rail speed other than the network's.

    Examples
    --------
    >>> import pxnet
    >>> sc = pxnet.get_scenario("plan-2025")
    >>> road = sc.derive(name="faster roads", parameters={"speed_kph": {"expressway": 110}})
    >>> rail_supply_key(road) == rail_supply_key(sc)
    True
    >>> rail_supply_key(sc.derive(parameters={"dwell_min": 3})) == rail_supply_key(sc)
    False
    """
    inputs = rail_inputs(scenario.network)
    spec = scenario.spec
    params = scenario.parameters
    speeds = _speeds(params.speed_kph, inputs.modes)
    overrides = (
        _restricted(spec.link_speed_kph, inputs.links),
        _restricted(spec.link_time_min, inputs.links),
        tuple(sorted(spec.closed_links & inputs.links)),
        tuple(sorted((k, float(v)) for k, v in spec.service_headway_min.items())),
    )
    named = (
        any(overrides[:2])
        or bool(overrides[3])
        or speeds != _speeds(scenario.network.parameters.speed_kph, inputs.modes)
    )
    return (
        "rail supply",
        spec.date,
        spec.basis,
        scenario.open_projects & inputs.projects,
        spec.enable & inputs.projects,
        overrides,
        speeds,
        float(params.dwell_min),
        float(params.stop_loss_min),
        float(params.service_day_hours),
        float(params.service_day_start_h),
        spec.name if named else "",
    )


def _speeds(speed_kph: Any, modes: frozenset[str]) -> tuple[tuple[str, float], ...]:
    return tuple(sorted((str(m), float(v)) for m, v in speed_kph.items() if m in modes))


def _restricted(values: dict[str, float], ids: frozenset[str]) -> tuple[tuple[str, float], ...]:
    return tuple(sorted((k, float(v)) for k, v in values.items() if k in ids))
