"""Ensemble draws that change no rail input share their year's scenario timetable (no timing: counts and results).

A draw's scenario is built anew, but its rail supply key (``pxnet.routing.timetable._supply_key``) is that of
every other draw of the same year when the sampled inputs are road speeds and the change time, which no
timetable reads: the timetable is then built once per year, and the results are those of draws that each build
their own.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from unittest import mock

import pandas as pd
import pytest

import pxnet
from pxnet.goals import ensemble
from pxnet.routing.timetable import _timetable as scenario_timetables

pytestmark = pytest.mark.timeout(240)

GOALS = ["hsr3h_guangzhou_station", "hsr3h_guangzhou_door", "county_expressway_20min"]
YEARS = [2025, 2030]
#: Inputs no timetable reads: a road speed and the minimum change time.
ROAD_INPUTS = ["speed_kph.expressway", "transfer_min"]


@contextmanager
def counted_builds(*, share: bool) -> Iterator[list[int]]:
    """Count the scenario timetables built; ``share=False`` gives every scenario a key of its own."""
    builds = [0]
    build = scenario_timetables._scenario_timetable
    fresh = itertools.count()

    def counting(*args: object, **kwargs: object) -> object:
        builds[0] += 1
        return build(*args, **kwargs)  # type: ignore[arg-type]

    with mock.patch.object(scenario_timetables, "_scenario_timetable", counting):
        if share:
            yield builds
        else:
            with mock.patch.object(scenario_timetables, "rail_supply_key", lambda sc: ("own", next(fresh))):
                yield builds


def run(*, share: bool) -> tuple[pd.DataFrame, int]:
    net = pxnet.load_network()  # a network of its own: nothing remembered from other tests
    pxnet.routing.clear_cache(net)
    with counted_builds(share=share) as builds:
        e = ensemble(GOALS, YEARS, draws=5, seed=3, inputs=ROAD_INPUTS, network=net, workers=1, progress=False)
    return e.results, builds[0]


def test_draws_changing_no_rail_input_build_one_timetable_a_year_with_the_same_results() -> None:
    shared, shared_builds = run(share=True)
    alone, alone_builds = run(share=False)
    pd.testing.assert_frame_equal(shared, alone)
    # Door-to-door and station goals read the same timetable (all trips, modelled ones included): one a year.
    assert shared_builds == len(YEARS)
    # Without the key, every draw's scenario works its timetable out again (5 draws, each year).
    assert alone_builds >= 5 * len(YEARS)
