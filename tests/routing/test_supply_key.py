"""A scenario variant that shares its parent's timetable (same rail supply key) answers as one built from scratch.

The rail supply key (``pxnet.routing.timetable._supply_key``) is read from a scenario's definition alone, so a
project flip or a parameter change that touches no rail input reuses the parent's scenario timetable, its
compiled connections and profiles. The reference here is the same variant with every memo forgotten: its
timetable is then built from its own links and services, and every answer must be the same.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import pxnet
from pxnet.routing import clear_cache, scenario_timetable
from pxnet.routing.timetable._supply_key import rail_inputs, rail_supply_key

pytestmark = pytest.mark.timeout(240)

#: Station pairs (and one door-to-door pair) whose answers are compared.
PAIRS = [("萍乡北", "广州南", "hsr"), ("萍乡北", "深圳北", "rail"), ("萍乡", "深圳", "door_to_door")]


def _answers(sc: pxnet.Scenario) -> list[float]:
    return [pxnet.travel_time(o, d, mode=m, scenario=sc) for o, d, m in PAIRS]


def _same_timetable(a: pxnet.routing.ScenarioTimetable, b: pxnet.routing.ScenarioTimetable) -> None:
    pd.testing.assert_frame_equal(a.timetable.trips, b.timetable.trips)
    pd.testing.assert_frame_equal(a.timetable.stop_times, b.timetable.stop_times)
    pd.testing.assert_frame_equal(a.vintages, b.vintages)
    pd.testing.assert_frame_equal(a.modelled, b.modelled)
    pd.testing.assert_frame_equal(a.modifications, b.modifications)
    assert a.basis == b.basis


def _variants(parent: pxnet.Scenario) -> list[pxnet.Scenario]:
    """Every project flip of the parent, a road speed and a change time varied (as assess and sensitivity do)."""
    out = []
    for pid in parent.network.network_projects():
        change = {"disable": [pid]} if pid in parent.open_projects else {"enable": [pid]}
        out.append(parent.derive(name=f"{parent.name} flip {pid}", **change))
    out.append(parent.derive(name=f"{parent.name} fast roads", parameters={"speed_kph": {"expressway": 110}}))
    out.append(parent.derive(name=f"{parent.name} slow changes", parameters={"transfer_min": 25}))
    return out


@pytest.mark.parametrize("name", ["as-built-2019", "expected-2030"])
def test_variant_sharing_its_parents_timetable_answers_as_one_built_from_scratch(name: str) -> None:
    net = pxnet.load_network()
    shared = 0
    for variant in _variants(pxnet.get_scenario(name, network=net)):
        clear_cache()
        alone = variant.derive(name=variant.name)  # a new object: no memo of its own either
        scratch_tt, scratch = scenario_timetable(alone), _answers(alone)
        clear_cache()
        parent = pxnet.get_scenario(name, network=net)
        parent_tt = scenario_timetable(parent)
        _answers(parent)  # the parent's connections and profiles are made first, as in an assessment
        twin = variant.derive(name=variant.name)
        if rail_supply_key(twin) == rail_supply_key(parent):
            assert scenario_timetable(twin) is parent_tt
            shared += 1
        _same_timetable(scenario_timetable(twin), scratch_tt)
        for got, want in zip(_answers(twin), scratch, strict=True):
            assert got == want or (math.isinf(got) and math.isinf(want))
    # The bundled network has road-only projects (an expressway, a ring road, a port, airports): their flips
    # and the two parameter changes share the parent's timetable.
    road_only = set(net.network_projects()) - rail_inputs(net).projects
    assert shared >= len(road_only) + 2


def test_key_follows_every_rail_input() -> None:
    """A rail project's flip, a train-timing parameter, a rail speed or a rail link override change the key."""
    sc = pxnet.get_scenario("expected-2030")
    key = rail_supply_key(sc)
    rail = sorted(rail_inputs(sc.network).projects & set(sc.network.network_projects()))
    assert rail, "the bundled network has rail projects"
    for pid in rail:
        change = {"disable": [pid]} if pid in sc.open_projects else {"enable": [pid]}
        if rail_supply_key(sc.derive(**change)) == key:
            # only when the switch leaves the open set as it was (a project already open by its date)
            assert (sc.derive(**change).open_projects ^ sc.open_projects).isdisjoint(rail_inputs(sc.network).projects)
    for params in (
        {"dwell_min": 3},
        {"stop_loss_min": 5},
        {"service_day_hours": 16},
        {"service_day_start_h": 7},
        {"speed_kph": {"rail": 80}},
    ):
        assert rail_supply_key(sc.derive(parameters=params)) != key, params
    link = next(iter(sorted(rail_inputs(sc.network).links)))
    assert rail_supply_key(sc.derive(link_time_min={link: 5.0})) != key
    assert rail_supply_key(sc.derive(date=2031)) != key
