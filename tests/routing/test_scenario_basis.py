"""Every answer names the basis of its scenario (actual, expected or plan), through every door."""

from __future__ import annotations

import warnings

import pytest

import pxnet

pytestmark = pytest.mark.timeout(300)


@pytest.mark.parametrize(("scenario", "basis"), [("as-built-2025", "actual"), ("expected-2030", "expected")])
def test_route_skim_journeys_and_reach_say_the_scenario_basis(scenario, basis):
    """The basis is the scenario's own (the prefix of a dated name), for rail, road and reach answers alike."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        answers = {
            "route": pxnet.route("萍乡北", "长沙南", mode="hsr", scenario=scenario),
            "road route": pxnet.route("萍乡", "长沙", mode="road", scenario=scenario),
            "skim": pxnet.skim(["萍乡北"], ["长沙南"], mode="hsr", scenario=scenario),
            "road skim": pxnet.skim(["萍乡"], ["长沙"], mode="road", scenario=scenario),
            "journeys": pxnet.journeys("萍乡北", "长沙南", scenario=scenario),
            "reach": pxnet.routing.reach_times("萍乡北", mode="hsr", scenario=scenario, cutoff=60),
        }
    expected = pxnet.get_scenario(scenario).basis
    assert expected == basis
    for door, frame in answers.items():
        assert frame.attrs["scenario"] == scenario, door
        assert frame.attrs["scenario_basis"] == basis, door
