"""Reports: one model laid out three ways, Chinese reports, escaping of hostile names, dataset defaults, maps.

The hand-made network of ``test_assess`` is used, so every status and reason below follows from its numbers
(see that module's docstring); the hostile names are written into its data files.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "goals"))  # the goals tests' hand-made network
from test_assess import GOALS, LINKS, NODES, PARAMETERS, PROJECTS, SCENARIOS, SERVICES

import pxnet
from pxnet.goals import assess, path_text
from pxnet.report import (
    assessment_html,
    assessment_markdown,
    assessment_report,
    format_assessment,
    write_assessment,
)

HOSTILE = "X</script><img src=x onerror=alert(1)>|*[a](b)"


def _folder(network_folder, goals=GOALS, nodes=NODES, dataset=None):  # type: ignore[no-untyped-def]
    folder = network_folder(
        nodes, LINKS, SERVICES, projects=PROJECTS, scenarios=SCENARIOS, parameters=PARAMETERS, goals=goals
    )
    if dataset is not None:
        (folder / "dataset.yaml").write_text(dataset, encoding="utf-8")
    return folder


@pytest.fixture
def net(network_folder):
    return pxnet.load_network(_folder(network_folder))


def test_one_model_three_layouts(net):
    a = assess(["g_tt", "g_start"], ["plan-2020", "as-built-2023"], network=net, flips=False)
    report = assessment_report(a)
    # every goal and scenario of the model reaches the Markdown and the HTML; the terminal keeps the matrix
    md = assessment_markdown(a, {})
    page = assessment_html(a, {}, embed_font=False)
    term = format_assessment(a)
    for goal in a.goals:
        assert goal.name_zh in md and goal.name_zh in page and goal.id in term
    headings = [s.title for s in report.sections if s.where != "terminal"]
    assert [line[3:] for line in md.splitlines() if line.startswith("## ")] == [h for h in headings if h != "Maps"]
    assert re.findall(r"<h2>(.*?)</h2>", page) == [h for h in headings if h != "Maps"]
    # the statuses in the three outputs are the assessment's
    g_start = a.result("g_start", "as-built-2023")
    assert g_start.status == "missed" and "456 days late" in g_start.reason
    assert "✘ missed" in term and "456 days late" in md and "456 days late" in page


def test_report_in_chinese(net):
    a = assess(["g_tt", "g_start", "g_unknown"], ["plan-2020", "as-built-2023"], network=net, flips=False)
    term = format_assessment(a, lang="zh")
    md = assessment_markdown(a, {}, lang="zh")
    page = assessment_html(a, {}, lang="zh")
    # the late start: 2021-03 against a 2019 deadline is 456 days (see test_assess)
    assert "晚 456 天" in md and "晚 456 天" in page and "✘ 未达成" in term
    assert "无法评估" in md  # g_unknown has no record and says so
    for english in ("missed", "pending", "Goals in detail", "Scenarios", "days late"):
        assert english not in md and english not in term
    assert page.startswith("<!DOCTYPE html><html lang='zh-CN'>")
    with pytest.raises(pxnet.PxnetError, match="lang='fr'"):
        format_assessment(a, lang="fr")


def test_embedded_font_covers_the_page(net):
    import base64
    import io

    from fontTools.ttLib import TTFont

    a = assess(["g_start"], ["as-built-2023"], network=net, flips=False)
    page = assessment_html(a, {}, lang="zh")
    data = re.search(r"base64,([A-Za-z0-9+/=]+)\)", page)
    assert data is not None
    font = TTFont(io.BytesIO(base64.b64decode(data.group(1))))
    cmap = font.getBestCmap()
    body = html.unescape(re.sub(r"<[^>]+>", "", page.split("</style>", 1)[1]))
    cjk = {ch for ch in body if "\u4e00" <= ch <= "\u9fff"}
    assert cjk and all(ord(ch) in cmap for ch in cjk)
    assert len(data.group(1)) < 1_000_000  # a subset, not the 19 MB collection


def test_hostile_names_are_escaped(network_folder):
    nodes = NODES.replace("甲市", HOSTILE)
    goals = GOALS.replace("name_zh: 甲丙100分钟", f"name_zh: '{HOSTILE}'").replace(
        "clause: 测试", f"clause: '{HOSTILE}'", 1
    )
    net = pxnet.load_network(_folder(network_folder, goals=goals, nodes=nodes))
    a = assess(["g_tt", "g_acc"], ["plan-2020"], network=net, flips=False)
    page = assessment_html(a, {}, embed_font=False)
    assert "<img src=x" not in page and "</script><img" not in page
    assert html.escape(HOSTILE, quote=True) in page
    md = assessment_markdown(a, {})
    assert "<img" not in md and "</script>" not in md and "[a](b)" not in md
    assert "X&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;\\|\\*\\[a\\](b)" in md  # in the matrix cell
    assert "<img" not in a._repr_html_()


def test_assessment_repr_is_short(net):
    a = assess(["g_tt", "g_start"], ["plan-2020", "as-built-2023"], network=net, flips=False)
    statuses = a.table()["status"].value_counts()
    text = repr(a)
    assert len(text) < 300 and "2 goals × 2 scenarios" in text
    assert all(f"{n} {s}" in text for s, n in statuses.items())
    assert a._repr_html_().count("<tr>") == 1 + len(a.goals)
    assert len(repr(a.results[0])) < 100


def test_service_names_are_not_cut_inside_a_word():
    legs = pxnet.route("萍乡北", "广州南", mode="hsr", scenario=2025)
    text = path_text(legs)
    for via in legs.loc[legs["leg"] == "ride", "via"]:
        shown = text.split("─")[1:]
        assert any(via.startswith(s.split(" ", 1)[0]) for s in shown)
    # each shown name is the service's name or a prefix of it that ends at a space
    rides = legs.loc[legs["leg"] == "ride", "via"].tolist()
    for part, via in zip(re.findall(r"─(.*?) \d+ min→", text), rides, strict=True):
        name = part.removesuffix(" …")
        assert name == via or (via.startswith(name) and via[len(name)] == " ")


def test_dataset_defaults_fallbacks_and_validation(network_folder):
    plain = pxnet.load_network(_folder(network_folder))
    d = plain.defaults
    # no dataset.yaml: the most populous place, the others as the region, today and every named scenario
    assert d.origin == "丙市" and d.region == ("甲市",) and d.plan.document == ""
    assert d.scenarios == ("as-built-{this_year}", "expected-2030", "plan-2020")
    md = assessment_markdown(assess(["g_start"], ["plan-2020"], network=plain, flips=False), {})
    assert md.splitlines()[0] == "# 规划目标评估 · Plan goal assessment" and "Plan:" not in md

    own = _folder(
        network_folder,
        dataset="defaults: {origin: 甲市, region: {name_zh: 丙区, places: [丙市]}, scenarios: [plan-2020]}\n"
        "plan: {document: 测试〔2020〕1号}\nreport: {title_zh: 测试评估}\n",
    )
    net = pxnet.load_network(own)
    assert net.defaults.origin == "甲市" and net.defaults.region == ("丙市",)
    assert pxnet.goals.default_scenarios(net) == ["plan-2020"]
    md = assessment_markdown(assess(["g_start"], ["plan-2020"], network=net, flips=False), {})
    assert md.startswith("# 测试评估 · Plan goal assessment") and "测试〔2020〕1号" in md

    bad = _folder(
        network_folder,
        dataset="defaults: {origin: 甲巿, region: {places: []}, scenarios: [plan-202l], colour: red}\nplan: [x]\n",
    )
    with pytest.raises(pxnet.DataValidationError) as info:
        pxnet.load_network(bad)
    text = str(info.value)
    for key in ("defaults.origin", "defaults.region.places", "defaults.scenarios", "defaults.colour", "plan"):
        assert "dataset.yaml" in text and key in text
    assert "甲市" in text and "plan-2020" in text  # did you mean


def test_bundled_defaults_match_the_goals():
    net = pxnet.load_network()
    gba_goal = next(g for g in net.goals if g.id == "hsr3h_gba_from_pingxiang")
    assert list(net.defaults.region) == gba_goal.check["to"] and gba_goal.check["from"] == [net.defaults.origin]
    assert net.defaults.plan.document in gba_goal.source


def test_written_report_has_maps_in_chinese(net, tmp_path: Path):
    a = assess(["g_tt", "g_start"], ["plan-2020", "as-built-2023"], network=net, flips=False)
    labels: list[str] = []
    paths = write_assessment(a, tmp_path / "zh", lang="zh", progress=labels.append)
    keys = {"network", "isochrones_0", "isochrones_1", "difference", "status", "gba"}
    assert keys <= set(paths) and len(labels) >= len(keys)
    for key in keys:
        assert paths[key].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "## 地图" in md and "figures/isochrones_1.png" in md and "figures/difference.png" in md
    page = paths["html"].read_text(encoding="utf-8")
    assert "<img src='figures/network.png'" in page and "等时圈" in page
    with pytest.raises(pxnet.PxnetError, match="not a folder"):
        write_assessment(a, paths["markdown"], figures=False)


_ROUTING = {
    "travel_time",
    "route",
    "skim",
    "journeys",
    "isochrones",
    "one_to_all",
    "reach_times",
    "check_times",
    "report_inputs",
    "corridor_times",
    "timetable_summary",
}


def _forbid_routing(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Make every routing entry point, wherever a pxnet module imported it, raise."""
    import sys

    def fail(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a report or figure computed a trip")

    for name, module in list(sys.modules.items()):
        if name.startswith("pxnet") and module is not None:
            for attr in _ROUTING & set(vars(module)):
                monkeypatch.setattr(module, attr, fail)


def test_a_report_is_drawn_from_saved_results_and_computes_nothing(net, tmp_path: Path, monkeypatch):
    """Compute the inputs once, save and reload them with the assessment, then write the report with every
    routing function patched to fail: the report, figures and maps only draw what they are given."""
    import pickle

    from pxnet.analysis import report_inputs

    a = assess(["g_tt", "g_start"], ["plan-2020", "as-built-2023"], network=net, flips=False)
    inputs = report_inputs(a.scenarios, network=net)
    saved = tmp_path / "results.pickle"
    saved.write_bytes(pickle.dumps((a, inputs)))
    a2, inputs2 = pickle.loads(saved.read_bytes())
    _forbid_routing(monkeypatch)
    # the base layer is drawn and tested in tests/plot; here it would only cost time
    monkeypatch.setattr(pxnet.plot._furniture, "_projected_base", lambda level, crs: None)
    with pytest.raises(AssertionError, match="computed a trip"):  # the guard works: without inputs it fails
        write_assessment(a2, tmp_path / "unfed")
    paths = write_assessment(a2, tmp_path / "out", inputs=inputs2)
    for key in ("status", "gba", "network", "isochrones_0", "isochrones_1", "difference"):
        assert paths[key].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    for key in ("corridor_0_en", "corridor_0_zh", "corridor_1_en", "corridor_1_zh"):
        assert paths[key].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = paths["markdown"].read_text(encoding="utf-8")
    assert "figures/corridor_1_en.png" in md and "hour question" in md
    assert ("Model checks" in md) == (inputs.checks is not None and not inputs.checks.empty)


def test_the_corridor_section_lists_every_city_with_its_minutes(net):
    from pxnet.analysis import ReportInputs, corridor_times

    a = assess(["g_tt"], ["as-built-2023"], network=net, flips=False)
    table = corridor_times("as-built-2023", network=net)
    inputs = ReportInputs(origin=net.defaults.origin, corridor={"as-built-2023": table})
    for lang in ("en", "zh"):
        md = assessment_markdown(a, {}, lang=lang, inputs=inputs)
        for row in table.itertuples(index=False):
            minutes = f"{row.minutes:,.1f}" if row.minutes != float("inf") else "∞"
            assert row.name_zh in md and minutes in md
    assert "小时之问" in assessment_markdown(a, {}, lang="zh", inputs=inputs)


def test_the_bundled_chinese_report_is_chinese_throughout():
    """Scenario descriptions, route names, legs and the timetable clause of the findings, on the bundled data."""
    from pxnet.report._model import _reason

    net = pxnet.load_network()
    a = assess(["hsr3h_guangzhou_station", "hsr3h_guangzhou_door"], ["as-built-2019", "plan-2025"], flips=False)
    md = assessment_markdown(a, {}, lang="zh")
    assert net.scenario_specs["plan-2025"].description_zh in md
    assert "The network" not in md and "What the plan" not in md
    for english in ("G trains", "G train via", "─access", "| ride |", "| wait |"):
        assert english not in md, english
    r = a.result("hsr3h_guangzhou_station", "plan-2025")
    assert "by the timetable" in r.reason  # the English reason has the clause ...
    zh = _reason(r, "zh", net)
    fastest = r.timetable.iloc[0]["trains"]  # the trains of the fastest journey, as the goal measured them
    assert "按时刻表" in zh and fastest in zh and "by the timetable" not in zh  # ... and so has the Chinese
    assert "按时刻表" in format_assessment(a, lang="zh")


def test_the_comparison_report_in_chinese():
    from pxnet.report import comparison_report, format_comparison

    c = pxnet.compare(2019, "expected-2030", origins=["莲花"], destinations=["深圳"])
    report = comparison_report(c, lang="zh")
    assert report.title == "expected-2030 对比 as-built-2019（门到门）"
    text = format_comparison(c, lang="zh")
    for english in ("Winners", "Losers", "Largest OD", "watt_change_min", "minutes_a"):
        assert english not in text, english
    assert "受益最多" in text
