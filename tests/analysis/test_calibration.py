"""Model times against observed run times: a hand-made case, the bundled checks, and file validation."""

from __future__ import annotations

import pytest

import pxnet
from pxnet.analysis import check_times
from tests.fixtures.networks import NODES

OBSERVED = """id,from,to,mode,minutes,date,note,source
pxn_css,pingxiang_north,changsha_south,hsr,30,2020,fastest train,test timetable
yc_css,yichun_station,changsha_south,hsr,40,,,test timetable
"""


def test_hand_made(make_folder):
    net = pxnet.load_network(make_folder(texts={"observed_times.csv": OBSERVED}))
    table = check_times(network=net).set_index("id")
    # 105 km at 300 km/h = 21 min, + 3 min stop loss (the test folder's parameters leave the default); the
    # fastest train of the day, with no wait at the origin
    assert table.at["pxn_css", "model_min"] == pytest.approx(21 + 3)
    assert table.at["pxn_css", "ratio"] == pytest.approx(24 / 30)
    assert table.at["pxn_css", "scenario"] == "as-built-2020-12-31"
    # Through 萍乡北 on the one service: (12.2 + 3) + dwell 2 + (21 + 3) = 41.2 min, but modelled times are
    # rounded to the minute. 17 trains a day over the 1020 min service day leave 宜春 at 06:00 + (k + 1/2) × 60,
    # i.e. on the half hour: 06:30 → 萍乡北 06:45:12 → 06:45 (leaves 06:47:12 → 06:47) → 长沙南 07:11:12 → 07:11,
    # so 41 min. 萍乡北 → 长沙南 above is 06:47 → 07:11 = 24 min, unchanged by the rounding.
    assert table.at["yc_css", "model_min"] == pytest.approx(41)
    assert table.at["yc_css", "source"] == "test timetable"


def test_bundled_checks_are_close_on_the_whole():
    table = check_times()
    assert len(table) == len(pxnet.load_network().observed) > 0
    assert table["model_min"].notna().all()
    assert 0.9 <= table["ratio"].median() <= 1.1


def test_bad_observation(make_folder):
    bad = OBSERVED.replace("changsha_south,hsr,30", "changsha_sout,hsr,-30")
    with pytest.raises(pxnet.DataValidationError) as info:
        pxnet.load_network(make_folder(texts={"observed_times.csv": bad, "nodes.csv": NODES}))
    text = str(info.value)
    assert "observed_times.csv, line 2, id 'pxn_css', column 'to': unknown node 'changsha_sout'" in text
    assert "column 'minutes'" in text
