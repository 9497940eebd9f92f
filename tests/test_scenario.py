"""Scenarios decide which links and services exist, at what speed, and build osmnx-style graphs."""

from __future__ import annotations

import datetime as dt
import warnings

import networkx as nx
import osmnx as ox
import pytest

import pxnet
from pxnet import ScenarioError, UnknownScenarioError


@pytest.fixture
def net(folder):
    return pxnet.load_network(folder)


def test_project_links_follow_project_dates(net):
    before = pxnet.get_scenario(2013, network=net)
    after = pxnet.get_scenario(2015, network=net)
    assert "hk_pxn_css" not in before.links.index and "hk_pxn_css" in after.links.index
    assert "hukun" in after.open_projects and "hukun" not in before.open_projects
    # a link without project but with a date follows its date; without date, its status
    assert "acc_cs_css" in before.links.index and "acc_px_pxn" in before.links.index
    assert "acc_cs_css" not in pxnet.get_scenario(2009, network=net).links.index


def test_partial_dates_count_from_period_end(net):
    on_day = pxnet.get_scenario(dt.date(2014, 9, 16), network=net)
    day_before = pxnet.get_scenario(dt.date(2014, 9, 15), network=net)
    assert "hk_pxn_css" in on_day.links.index and "hk_pxn_css" not in day_before.links.index
    assert "acc_cs_css" not in pxnet.get_scenario(dt.date(2010, 12, 30), network=net).links.index


def test_bases_and_upgrades(net):
    actual = pxnet.get_scenario("as-built-2025", network=net)
    plan = pxnet.get_scenario("plan-2020", network=net)
    expected = actual.derive(name="expected-2030", basis="expected", date=2030)
    assert actual.links.at["hk_pxn_css", "speed_kph"] == 300
    assert plan.links.at["hk_pxn_css", "speed_kph"] == 350  # plan target 2020
    assert expected.links.at["hk_pxn_css", "speed_kph"] == 350  # expected 2028
    assert actual.derive(basis="expected", date=2027).links.at["hk_pxn_css", "speed_kph"] == 300
    assert plan.links.at["hk_pxn_css", "time_min"] == pytest.approx(105 / 350 * 60)


def test_switches_and_overrides(net):
    base = pxnet.get_scenario(2025, network=net)
    off = base.derive(disable=["hukun"])
    assert "hk_pxn_css" not in off.links.index and off.services.empty
    on = pxnet.get_scenario(2013, network=net).derive(enable=["hukun"])
    assert "hk_pxn_css" in on.links.index
    slow = base.derive(
        link_speed_kph={"hk_pxn_css": 200}, service_headway_min={"g_hukun": 30}, closed_links=["road_px_cs"]
    )
    assert slow.links.at["hk_pxn_css", "time_min"] == pytest.approx(105 / 200 * 60)
    assert slow.services.at["g_hukun", "headway_min"] == 30
    assert "road_px_cs" not in slow.links.index
    assert base.services.at["g_hukun", "headway_min"] == pytest.approx(17 * 60 / 17)


def test_scenario_errors(net):
    with pytest.raises(UnknownScenarioError, match="plan-2020") as info:
        pxnet.get_scenario("plan-202l", network=net)
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)
    with pytest.raises(ScenarioError, match="unknown project"):
        pxnet.get_scenario(2020, network=net).derive(enable=["nope"])
    with pytest.raises(ScenarioError, match="unknown link"):
        pxnet.get_scenario(2020, network=net).derive(closed_links=["nope"])


def test_service_segments(net):
    segs = pxnet.get_scenario(2020, network=net).service_segments
    assert list(segs["from"]) == ["yichun_station", "pingxiang_north"]
    assert segs["run_min"].tolist() == pytest.approx([61 / 300 * 60, 105 / 300 * 60])
    assert segs["links"].tolist() == [["hk_yc_pxn"], ["hk_pxn_css"]]
    # a service whose track is closed does not run
    assert pxnet.get_scenario(2020, network=net).derive(closed_links=["hk_yc_pxn"]).services.empty


def test_graph_conventions(net):
    G = pxnet.get_scenario(2020, network=net).graph()
    assert G.graph["crs"] == "EPSG:4326" and G.graph["scenario"] == "as-built-2020"
    pxn, css = "pingxiang_north", net.resolve("长沙南")
    assert G.nodes[pxn]["id"] == "pingxiang_north" and css == "changsha_south"
    assert G.nodes[pxn]["x"] == pytest.approx(113.842596)
    assert G.nodes[pxn]["y"] == pytest.approx(27.686607)
    data = G.get_edge_data(pxn, css)[0]
    assert data["length"] == pytest.approx(105_000)  # metres
    assert data["speed_kph"] == 300
    assert data["travel_time"] == pytest.approx(105 / 300 * 3600)  # seconds
    assert (data["mode"], data["status"], data["project"], data["id"]) == ("hsr", "existing", "hukun", "hk_pxn_css")
    assert G.number_of_edges() == 10  # five two-way links


def test_graph_mode_filter(net):
    G = pxnet.get_scenario(2020, network=net).graph(mode="hsr")
    assert {d["mode"] for *_, d in G.edges(data=True)} == {"hsr"}
    assert "pingxiang" not in G and "pingxiang_north" in G
    with pytest.raises(ValueError, match="unknown mode"):
        pxnet.get_scenario(2020, network=net).graph(mode="boat")


def test_graph_round_trips_through_osmnx(net):
    G = pxnet.get_scenario(2020, network=net).graph()
    nodes, edges = ox.convert.graph_to_gdfs(G)
    assert nodes.crs.to_string() == "EPSG:4326" and set(edges.index.names) == {"u", "v", "key"}
    pxn, css = "pingxiang_north", "changsha_south"
    assert nodes.index.name == "osmid" and nodes.loc[pxn, "name_zh"] == "萍乡北"
    assert edges.loc[(pxn, css, 0), "travel_time"] == pytest.approx(1260)
    assert edges.loc[(pxn, css, 0), "length"] == pytest.approx(105_000)
    H = ox.convert.graph_from_gdfs(nodes, edges)
    assert H.number_of_edges() == G.number_of_edges() and H.graph["crs"] == nodes.crs
    # osmnx tools work on it directly
    # osmnx takes text as a list of origins: one origin and one destination are one-element lists
    (route,) = ox.routing.shortest_path(H, ["pingxiang"], ["changsha"], weight="travel_time")
    assert route == ["pingxiang", "pingxiang_north", "changsha_south", "changsha"]
    assert route == nx.shortest_path(H, "pingxiang", "changsha", weight="travel_time")
    projected = ox.projection.project_graph(G, to_crs="EPSG:32649")
    assert projected.graph["crs"] == "EPSG:32649"


def test_one_resolver_rejects_a_scenario_of_another_network(tmp_path):
    import shutil

    from pxnet.scenario import resolve, resolve_network

    shutil.copytree(pxnet.bundled_data_path(), tmp_path / "data")
    other = pxnet.load_network(tmp_path / "data", warn=False)
    sc = pxnet.get_scenario(2019)
    assert resolve(sc) is sc and resolve_network(sc) is sc.network
    assert resolve(2019, other).network is other
    with pytest.raises(ScenarioError, match="belongs to the network"):
        resolve(sc, other)
    with pytest.raises(ScenarioError, match="belongs to the network"):
        pxnet.travel_time("萍乡北", "广州南", scenario=sc, network=other)
    with pytest.raises(ScenarioError, match="belongs to the network"):
        pxnet.skim(["萍乡北"], ["广州南"], scenario=sc, network=other)


# -- derive validates what it is given, as the data files are validated (issue: trustworthy at the edges) ----------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("link_speed_kph", -250),
        ("link_speed_kph", 0),
        ("link_time_min", -5),
        ("link_speed_kph", float("nan")),
        ("link_time_min", float("inf")),
        ("link_speed_kph", "fast"),
        ("service_headway_min", -10),
        ("service_headway_min", 0),
    ],
)
def test_derive_refuses_what_the_data_files_refuse(field, value):
    import time

    net = pxnet.load_network()
    rail = net.links.index[net.links["mode"] == "hsr"][0]
    target = net.services.index[0] if field.startswith("service") else rail
    start = time.perf_counter()
    with pytest.raises(pxnet.ScenarioError) as info:
        sc = pxnet.get_scenario("plan-2025", network=net).derive(**{field: {target: value}})
        pxnet.travel_time("萍乡北", "广州南", mode="hsr", scenario=sc)  # before: a negative time looped forever
    assert time.perf_counter() - start < 10
    assert target in str(info.value) and field in str(info.value)


def test_derive_refuses_unknown_ids_and_malformed_switches():
    sc = pxnet.get_scenario("plan-2025")
    with pytest.raises(pxnet.ScenarioError, match=r"unknown link.*nope"):
        sc.derive(link_speed_kph={"nope": 200})
    with pytest.raises(pxnet.ScenarioError, match="did you mean 'link_speed_kph'"):
        sc.derive(link_speed={"x": 1})
    assert sc.derive(enable="ganyue_hsr_special").spec.enable == frozenset({"ganyue_hsr_special"})
    with pytest.raises(pxnet.ScenarioError, match="takes ids"):
        sc.derive(disable=[3])


def test_as_built_after_the_data_date_warns_and_names_the_expected_scenario():
    net = pxnet.load_network()
    end = pxnet.PartialDate.parse(net.data_date).end
    for year in (end.year + 4, end.year + 14):
        with pytest.warns(pxnet.ScenarioWarning, match=f"expected-{year}") as record:
            sc = pxnet.get_scenario(f"as-built-{year}", network=net)
        assert net.data_date in str(record[0].message)
        assert sc.date == dt.date(year, 12, 31) and sc.basis == "actual"
    with pytest.warns(pxnet.ScenarioWarning, match="expected-"):
        pxnet.get_scenario(dt.date(end.year + 1, 1, 1), network=net, basis="actual")


def test_a_year_after_the_data_date_is_the_expected_network_with_a_future_warning():
    net = pxnet.load_network()
    end = pxnet.PartialDate.parse(net.data_date).end
    later = end.year + 4
    with pytest.warns(FutureWarning, match=rf"expected network now.*basis='actual'.*'as-built-{later}'") as record:
        sc = pxnet.get_scenario(later, network=net)
    assert record[0].filename == __file__  # the caller's line, for the once-per-call-site filter
    assert not [w for w in record if issubclass(w.category, pxnet.ScenarioWarning)]
    assert (sc.name, sc.basis, sc.date) == (f"expected-{later}", "expected", dt.date(later, 12, 31))
    with pytest.warns(FutureWarning):
        assert pxnet.get_scenario(str(later), network=net) is sc
    # the old meaning, asked for by name or basis (with the as-built warning of a date after the data date)
    with pytest.warns(pxnet.ScenarioWarning):
        old = pxnet.get_scenario(later, network=net, basis="actual")
    with pytest.warns(pxnet.ScenarioWarning):
        assert old is pxnet.get_scenario(f"as-built-{later}", network=net) and old.basis == "actual"
    # what changes: the expected network opens what is scheduled after the data date
    scheduled = {p for p in sc.open_projects if (d := net.projects[p].open_date("actual")) is None or d > end}
    assert scheduled and scheduled.isdisjoint(old.open_projects)
    # a month or day wholly after the data date too; the data year itself stays as built
    day_after = end + dt.timedelta(days=1)
    with pytest.warns(FutureWarning):
        assert pxnet.get_scenario(day_after, network=net).name == f"expected-{day_after.isoformat()}"
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        assert pxnet.get_scenario(end, network=net).basis == "actual"
        assert pxnet.get_scenario(end.year, network=net).basis == "actual"


def test_the_bundled_2030_has_changgan_open():
    """A planner's 2030 is the expected one: 长赣 (expected 2030-08 in projects.yaml) is open in it."""
    net = pxnet.load_network()
    with pytest.warns(FutureWarning):
        sc = pxnet.get_scenario(2030, network=net)
    assert sc.spec is net.scenario_specs["expected-2030"]
    expected_open = net.projects["changgan"].open_date("expected")
    assert expected_open is not None and expected_open <= dt.date(2030, 12, 31)
    assert "changgan" in sc.open_projects


def test_the_future_warning_comes_once_per_call_site_and_year():
    net = pxnet.load_network()
    later = pxnet.PartialDate.parse(net.data_date).end.year + 4
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("default")
        for year in (later, later, later + 1, later):
            pxnet.get_scenario(year, network=net)
    years = [str(w.message).split(" is ")[0].rsplit(" ", 1)[-1] for w in caught if w.category is FutureWarning]
    assert years == [str(later), str(later + 1)]


def test_dated_names_of_every_basis():
    net = pxnet.load_network()
    for prefix, basis in (("as-built", "actual"), ("expected", "expected"), ("plan", "plan")):
        for text, date in (("2024", dt.date(2024, 12, 31)), ("2024-06", dt.date(2024, 6, 30)), ("2024-06-01", None)):
            sc = pxnet.get_scenario(f"{prefix}-{text}", network=net)
            assert sc.basis == basis and sc.date == (date or dt.date(2024, 6, 1)), sc
            assert sc.spec.description and sc.spec.description_zh
            assert pxnet.get_scenario(text, network=net, basis=basis).name == f"{prefix}-{text}"
    assert pxnet.get_scenario("plan-2025", network=net).spec is net.scenario_specs["plan-2025"]  # a name wins
    # plan-YYYY opens what the plan promised by then, whether or not it had opened
    plan, built = pxnet.get_scenario("plan-2022", network=net), pxnet.get_scenario("as-built-2022", network=net)
    only_plan = plan.open_projects - built.open_projects
    assert only_plan and all(plan.project_open_date(p) <= plan.date for p in only_plan)
    assert all(built.project_open_date(p) is None or built.project_open_date(p) > built.date for p in only_plan)
    with pytest.raises(pxnet.ScenarioError, match="did you mean 'expected'"):
        pxnet.get_scenario(2030, network=net, basis="expect")
    with pytest.raises(pxnet.ScenarioError, match=r"basis 'plan', not 'actual'.*as-built-2025-12-31"):
        pxnet.get_scenario("plan-2025", network=net, basis="actual")
    assert pxnet.get_scenario("plan-2025", network=net, basis="plan").basis == "plan"
    today = dt.date.today()
    assert pxnet.get_scenario(network=net, basis="expected").name == f"expected-{today.isoformat()}"
    assert pxnet.get_scenario(network=net, basis="actual") is pxnet.get_scenario(network=net)
    with pytest.raises(pxnet.UnknownScenarioError, match="month"):
        pxnet.get_scenario("expected-2030-13", network=net)


def test_a_year_before_the_earliest_dated_record_says_so():
    net = pxnet.load_network()
    from pxnet.scenario import data_coverage

    start, _ = data_coverage(net)
    assert start == min(d.end for d in net.links["open_date"].dropna())  # the earliest dated link
    with pytest.warns(pxnet.ScenarioWarning, match="before the earliest dated record"):
        pxnet.get_scenario(start.year - 1, network=net)


def test_years_as_text_and_dated_names_round_trip():
    net = pxnet.load_network()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        assert pxnet.get_scenario("2030", network=net) is pxnet.get_scenario(2030, network=net)
    dated = pxnet.get_scenario(dt.date(2026, 6, 1), network=net)
    again = pxnet.get_scenario(dated.name, network=net)
    assert dated.name == "as-built-2026-06-01" and again.date == dt.date(2026, 6, 1)
    assert pxnet.get_scenario(" 2024 ", network=net).name == "as-built-2024"
    with pytest.raises(pxnet.UnknownScenarioError, match="month"):
        pxnet.get_scenario("as-built-2026-13-01", network=net)


def test_2019_is_the_plan_day_without_changchang_and_the_end_of_2019_is_asked_by_date():
    """scenarios.yaml defines as-built-2019 as the plan's day; a year resolves to that name."""
    net = pxnet.load_network()
    plan_day = pxnet.get_scenario(2019, network=net)
    assert plan_day.spec is net.scenario_specs["as-built-2019"]
    assert plan_day.date == net.scenario_specs["as-built-2019"].date == dt.date(2019, 2, 20)
    opened = net.projects["nanchang_ganzhou_hsr"].milestone("open").date.end
    assert plan_day.date < opened <= dt.date(2019, 12, 31)
    assert "nanchang_ganzhou_hsr" not in plan_day.open_projects
    end_of_year = pxnet.get_scenario("as-built-2019-12-31", network=net)
    assert "nanchang_ganzhou_hsr" in end_of_year.open_projects
