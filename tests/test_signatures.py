"""Maps and ensembles take their look and run options as grouped keywords: the signatures a user reads stay as
released (every keyword by name, with its released default), and a misspelt keyword fails with the nearest one."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest

import pxnet
import pxnet.plot as pp
from pxnet.errors import ArgumentError

pytestmark = pytest.mark.timeout(60)

# The keyword-only parameters and their defaults as released in 0.2 (before the options were grouped), read from
# those signatures: grouping must leave each exactly so.
RELEASED: dict[str, tuple[Callable[..., Any], list[str], dict[str, Any]]] = {
    "plot_isochrones": (
        pp.plot_isochrones,
        ["gdf"],
        {
            "ax": None,
            "network_underlay": True,
            "network": None,
            "labels": True,
            "boundaries": True,
            "cmap": "YlGnBu",
            "title": None,
            "figsize": (8.0, 8.5),
        },
    ),
    "plot_scenario_difference": (
        pp.plot_scenario_difference,
        ["a", "b"],
        {
            "origins": None,
            "band": 180.0,
            "mode": "door_to_door",
            "to": False,
            "layout": "overlay",
            "network": None,
            "labels": True,
            "boundaries": True,
            "figsize": None,
        },
    ),
    "plot_travel_times": (
        pp.plot_travel_times,
        ["times"],
        {
            "ax": None,
            "scenario": None,
            "network": None,
            "destination": None,
            "network_underlay": True,
            "cmap": "viridis_r",
            "boundaries": True,
            "title": None,
            "figsize": (8.0, 10.0),
        },
    ),
    "plot_network": (
        pp.plot_network,
        ["scenario_or_network"],
        {
            "ax": None,
            "extent": None,
            "labels": True,
            "boundaries": True,
            "title": None,
            "figsize": (8.0, 10.0),
            "inset": None,
        },
    ),
    "plot_corridor": (
        pp.plot_corridor,
        ["times"],
        {"reach": None, "network": None, "lang": "en", "ax": None, "boundaries": True, "figsize": (8.0, 10.0)},
    ),
    "explore_network": (
        pp.explore_network,
        ["scenario_or_network"],
        {"m": None, "tiles": None, "tianditu_key": None, "base_layer": True},
    ),
    "explore_isochrones": (
        pp.explore_isochrones,
        ["gdf"],
        {
            "m": None,
            "network_underlay": True,
            "network": None,
            "cmap": "YlGnBu",
            "tiles": None,
            "tianditu_key": None,
            "base_layer": True,
        },
    ),
    "explore_scenario_difference": (
        pp.explore_scenario_difference,
        ["a", "b"],
        {
            "origins": None,
            "band": 180.0,
            "mode": "door_to_door",
            "to": False,
            "network": None,
            "m": None,
            "network_underlay": True,
            "tiles": None,
            "tianditu_key": None,
            "base_layer": True,
        },
    ),
    "ensemble": (
        pxnet.ensemble,
        ["goals", "years"],
        {
            "draws": 200,
            "seed": 0,
            "engine": "local",
            "workers": None,
            "network": None,
            "basis": "expected",
            "sampler": "lhs",
            "inputs": None,
            "sobol": False,
            "batch_size": None,
            "progress": None,
        },
    ),
}


@pytest.mark.parametrize("name", sorted(RELEASED))
def test_the_signature_is_the_released_one(name: str) -> None:
    function, positional, keywords = RELEASED[name]
    parameters = inspect.signature(function).parameters
    kinds = inspect.Parameter
    assert [n for n, p in parameters.items() if p.kind is not kinds.KEYWORD_ONLY] == positional
    assert {n: p.default for n, p in parameters.items() if p.kind is kinds.KEYWORD_ONLY} == keywords
    assert not any(p.kind is kinds.VAR_KEYWORD for p in parameters.values())  # no bare **style shown


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: pp.plot_network(label=False), r"plot_network\(\) got an unexpected keyword 'label' .*'labels'"),
        (lambda: pp.plot_corridor(None, figsise=(4, 4)), r"plot_corridor\(\).*'figsise' .*'figsize'"),
        (lambda: pp.explore_network(tile="OpenStreetMap"), r"explore_network\(\).*'tile' .*'tiles'"),
        (lambda: pp.explore_network(network_underlay=False), r"explore_network\(\).*'network_underlay'"),
        (lambda: pxnet.ensemble(sampeler="lhs"), r"ensemble\(\).*'sampeler' .*'sampler'"),
    ],
)
def test_a_misspelt_keyword_fails_before_any_work_naming_the_nearest(call: Callable[[], Any], message: str) -> None:
    with pytest.raises(ArgumentError, match=message):
        call()
