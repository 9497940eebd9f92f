"""A national GTFS feed registered as a vintage (`pxnet.add_timetable`), on the synthetic feed of that shape."""

from __future__ import annotations

import runpy
import warnings
from pathlib import Path

import pytest

import pxnet

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def feed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    make = runpy.run_path(str(ROOT / "scripts" / "make_national_feed.py"))["write_feed"]
    return Path(make(tmp_path_factory.mktemp("national") / "cr"))


def test_scenarios_from_its_date_use_the_registered_feed(feed: Path) -> None:
    net = pxnet.load_network()
    with pytest.warns(pxnet.DataWarning):  # the feed's corridor stations the network lacks are reported
        tt = pxnet.add_timetable(feed, valid_from="2025-10-11", network=net)
    assert len(tt.unmatched) > 0 and tt.unmatched["stop_name"].str.len().gt(0).all()
    later = pxnet.scenario_timetable(2026, network=net)
    assert "registered feed1" in later.basis
    used = set(later.vintages["service_id"])
    assert any(s.startswith("feed1:") for s in used) and "cr_boards_2020" not in used  # it supersedes the boards
    earlier = pxnet.scenario_timetable(2024, network=net)
    assert "cr_boards_2020" in set(earlier.vintages["service_id"])
    assert not any(s.startswith("feed1:") for s in set(earlier.vintages["service_id"]))
    # Its trains answer the rail questions of its scenarios.
    j = pxnet.journeys("萍乡北", "长沙南", scenario=2026, network=net)
    assert not j.empty and j["basis"].str.contains("scheduled").any()


def test_a_bad_valid_from_is_refused(feed: Path) -> None:
    net = pxnet.load_network()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pxnet.DataWarning)
        with pytest.raises(pxnet.RoutingError, match="valid_from"):
            pxnet.add_timetable(feed, valid_from="2030-13-01", network=net)
        with pytest.raises(pxnet.RoutingError, match="after the feed's last day"):
            pxnet.add_timetable(feed, valid_from="2031-01-01", network=net)
