"""Project impacts on the hand-worked network of ``test_assess.py``.

Door to door pa → pc (the fastest journey of the service day, see that module's docstring): with the HSR line and
the b–c shuttle (plan-2020) 20 + 15 + 68 (``s_ab`` 06:15 → b 06:38, change 8 min, ``s_bc`` 06:50 → c 07:23) + 5 +
20 = 128 min; without the shuttle 20 + 15 + 117 (``s_ab`` 14:45 → b 15:08, the one through train 15:32 → c
16:42) + 5 + 20 = 177 min; without the line (and so without any train) 202 min by road.

So in plan-2020 the line saves 202 − 128 = 74 min and the shuttle 177 − 128 = 49 min; in 2016 (shuttle not yet
open) the line saves 202 − 177 = 25 min and opening the shuttle would save 49 min.
"""

from __future__ import annotations

import math

import pytest

import pxnet
from pxnet.cli import main
from tests.goals.test_assess import GOALS, _folder


@pytest.fixture
def net(network_folder):
    return pxnet.load_network(_folder(network_folder, GOALS))


def test_impacts_by_hand(net):
    t = pxnet.project_impacts("plan-2020", origins=["pa"], destinations=["pc"], network=net).set_index("project")
    assert t.loc["hsr_line", ["watt_with_min", "watt_without_min", "saved_min"]].tolist() == pytest.approx(
        [128, 202, 74]
    )
    assert t.loc["shuttle_bc", "saved_min"] == pytest.approx(49) and bool(t.loc["shuttle_bc", "open"])
    assert t.loc["hsr_line", "improved"] == 1 and t.loc["hsr_line", "best_destination"] == "丙市"
    assert list(t.index[:2]) == ["hsr_line", "shuttle_bc"]  # largest saving first
    # In 2016 the shuttle is not open: its impact is measured by opening it.
    t16 = pxnet.project_impacts(2016, origins=["pa"], destinations=["pc"], network=net).set_index("project")
    assert not t16.loc["shuttle_bc", "open"] and t16.loc["shuttle_bc", "saved_min"] == pytest.approx(49)
    assert t16.loc["hsr_line", "saved_min"] == pytest.approx(25)


def test_a_project_that_makes_a_trip_possible(net):
    t = pxnet.project_impacts(2016, origins=["pa"], destinations=["pc"], mode="hsr", network=net)
    row = t.set_index("project").loc["hsr_line"]
    assert math.isinf(row["saved_min"]) and math.isnan(row["saved_pct"])  # no train at all without the line


def test_unknown_project(net):
    with pytest.raises(pxnet.ScenarioError, match="unknown project"):
        pxnet.project_impacts(2016, origins=["pa"], projects=["nope"], network=net)


def test_cli_impacts(tmp_path, capsys):
    csv, png = tmp_path / "i.csv", tmp_path / "i.png"
    args = ["impacts", "--scenario", "expected-2030", "--from", "莲花", "--to", "深圳", "广州"]
    assert main([*args, "--csv", str(csv), "--png", str(png)]) == 0
    out = capsys.readouterr().out
    assert "changgan" in out and "saves" in out and "no effect:" in out
    assert csv.read_text(encoding="utf-8").startswith("project,name_zh,open,origin")
    assert png.stat().st_size > 10_000
