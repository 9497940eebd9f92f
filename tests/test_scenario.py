"""Scenarios decide which links and services exist, at what speed, and build osmnx-style graphs."""

from __future__ import annotations

import datetime as dt

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
        pxnet.get_scenario("plan-2021", network=net)
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
    pxn, css = net.key("pingxiang_north"), net.key("长沙南")
    assert isinstance(pxn, int) and G.nodes[pxn]["id"] == "pingxiang_north"
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
    assert net.key("pingxiang") not in G and net.key("pingxiang_north") in G
    with pytest.raises(ValueError, match="unknown mode"):
        pxnet.get_scenario(2020, network=net).graph(mode="boat")


def test_graph_round_trips_through_osmnx(net):
    G = pxnet.get_scenario(2020, network=net).graph()
    nodes, edges = ox.convert.graph_to_gdfs(G)
    assert nodes.crs.to_string() == "EPSG:4326" and set(edges.index.names) == {"u", "v", "key"}
    pxn, css = net.key("pingxiang_north"), net.key("changsha_south")
    assert edges.loc[(pxn, css, 0), "travel_time"] == pytest.approx(1260)
    assert edges.loc[(pxn, css, 0), "length"] == pytest.approx(105_000)
    H = ox.convert.graph_from_gdfs(nodes, edges)
    assert H.number_of_edges() == G.number_of_edges() and H.graph["crs"] == nodes.crs
    # osmnx tools work on it directly
    route = ox.routing.shortest_path(H, net.key("pingxiang"), net.key("changsha"), weight="travel_time")
    assert [H.nodes[n]["id"] for n in route] == ["pingxiang", "pingxiang_north", "changsha_south", "changsha"]
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
