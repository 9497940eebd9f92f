"""Dated scenario names (as-built-, expected-, plan-) are accepted wherever a data file names a scenario."""

from __future__ import annotations

import re

import pytest

import pxnet
from pxnet.io._dataset import is_dated_scenario_name
from pxnet.vocabulary import is_dated_name

pytestmark = pytest.mark.timeout(120)

NAMES = [
    "as-built-2026",
    "as-built-2026-06",
    "expected-2035",
    "expected-2035-06-30",
    "plan-2030",
    "plan-2030-01",
    "plan-b",
    "expected",
    "expected-35",
    "as-built-2026-6",
    "2030",
]


@pytest.mark.parametrize("name", NAMES)
def test_the_data_files_and_the_resolver_agree_on_dated_names(name):
    assert is_dated_scenario_name(name) == is_dated_name(name)


def test_a_dated_name_of_every_basis_resolves():
    net = pxnet.load_network()
    for name in NAMES:
        if is_dated_name(name):
            assert pxnet.get_scenario(name, network=net).name == name
        elif not re.fullmatch(r"\d{4}", name):
            with pytest.raises(pxnet.UnknownScenarioError):
                pxnet.get_scenario(name, network=net)


def _with_defaults(make_folder, scenarios: str):  # type: ignore[no-untyped-def]
    folder = make_folder()
    dataset = folder / "dataset.yaml"
    text = dataset.read_text(encoding="utf-8") if dataset.is_file() else ""
    dataset.write_text(text + f"defaults: {{scenarios: [{scenarios}]}}\n", encoding="utf-8")
    return folder


def test_dataset_defaults_take_dated_names_of_every_basis(make_folder):
    names = ["base-2019", "as-built-{this_year}", "expected-2035", "plan-2030-06"]
    net = pxnet.load_network(_with_defaults(make_folder, ", ".join(f"'{n}'" for n in names)))
    assert list(net.defaults.scenarios) == names
    with pytest.raises(pxnet.DataValidationError, match=r"defaults\.scenarios.*'expected-soon'.*expected-YYYY"):
        pxnet.load_network(_with_defaults(make_folder, "expected-soon"))


def test_a_goal_baseline_may_be_an_expected_or_plan_date(make_folder):
    goal = """- id: g_acc
  name_zh: 可达性提升
  name_en: WATT better
  clause: 测试
  deadline: 2020
  check: {{type: accessibility, place: pingxiang, indicator: watt, destinations: [changsha], baseline: {baseline},
          min_improvement_pct: 10, mode: door_to_door}}
  source: test
"""
    for baseline in ("expected-2013", "plan-2013-06", "as-built-2013"):
        net = pxnet.load_network(make_folder(texts={"goals.yaml": goal.format(baseline=baseline)}))
        assert net.goals[0].check["baseline"] == baseline
    with pytest.raises(pxnet.DataValidationError, match=r"check\.baseline.*'expected-later'"):
        pxnet.load_network(make_folder(texts={"goals.yaml": goal.format(baseline="expected-later")}))
