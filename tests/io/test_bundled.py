"""The bundled Pingxiang – Greater Bay Area network: coverage, provenance and hand-checked trips."""

from __future__ import annotations

import math
import warnings

import pytest

import pxnet
from pxnet.geo import haversine_km

# The plan's infrastructure items (萍府办发〔2019〕5号, 二(一)1–2 and 二(四)8) and their project ids.
PLAN_PROJECTS = {
    "changgan": "厦渝高铁长赣段",
    "pingxiang_hsr_hub": "萍乡高铁枢纽",
    "pinglian_expressway": "萍莲高速",
    "sanheng_yizong": "三横一纵",
    "g60_changjin_widening": "沪昆高速复线赣西段",
    "g320_g319_upgrade": "G320、G319",
    "s310_shangwan_link": "S310",
    "xiangdong_platform_road": "湘东园区工业平台通道",
    "g320_bypass": "G320城区段北移绕城",
    "luxi_ga_airport": "芦溪(武功山)通用机场",
    "xiangdong_ga_airport": "湘东通用机场",
    "ganxi_port": "赣西港",
    "ganyue_hsr_special": "赣粤高铁专列",
}
# Items for which the plan sets a date (the others: preparatory work, "推进", "争取" without a year).
DATED = {"changgan", "pingxiang_hsr_hub", "pinglian_expressway", "sanheng_yizong", "luxi_ga_airport", "ganxi_port"}
GBA = ["广州", "深圳", "珠海", "佛山", "惠州", "东莞", "中山", "江门", "肇庆", "香港", "澳门"]
PINGXIANG = ["萍乡", "湘东", "芦溪", "上栗", "莲花"]
CORRIDOR = ["长沙", "株洲", "醴陵", "宜春", "新余", "南昌", "吉安", "赣州", "井冈山"]


@pytest.fixture(scope="module")
def net() -> pxnet.Network:
    return pxnet.load_network()


def test_loads_without_errors_or_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error", pxnet.DataWarning)
        net = pxnet.load_network()
    assert net.warnings == []
    assert net.data_date.startswith("2026")


def test_every_record_is_sourced(net):
    for table in (net.nodes, net.links, net.services):
        assert table["source"].str.strip().str.len().gt(0).all()
    for project in net.projects.values():
        assert project.source.strip()
        assert all(m.source.strip() for m in project.milestones)
    assert set(net.parameters.sources) >= {
        "speed_kph",
        "dwell_min",
        "stop_loss_min",
        "transfer_min",
        "station_entry_min",
        "station_exit_min",
    }


def test_estimates_say_how(net):
    estimates = net.links["source"][net.links["source"].str.startswith("estimate")]
    assert len(estimates) > 0
    assert (estimates.str.len() > len("estimate: ") + 10).all()


def test_every_plan_item_is_a_project_with_targets(net):
    for project_id, words in PLAN_PROJECTS.items():
        project = net.projects[project_id]
        assert project.plan_clause, project_id
        if project_id in DATED:
            assert project.plan_targets, project_id
        key = words.replace("(", "（").replace(")", "）")
        assert words in project.plan_clause or key in project.plan_clause or words in project.name_zh, project_id
    assert str(net.projects["changgan"].plan_targets["open"]) == "2025"
    assert str(net.projects["pinglian_expressway"].plan_targets["open"]) == "2021"
    assert str(net.projects["sanheng_yizong"].plan_targets["complete"]) == "2025"


def test_places_exist(net):
    for name in [*PINGXIANG, *GBA, "武功山", "安源", "杨岐山", *CORRIDOR]:
        assert net.node(name)["kind"] in {"city", "county_seat", "scenic"}, name


def test_cities_and_county_seats_have_census_populations(net):
    places = net.nodes[net.nodes["kind"].isin(["city", "county_seat"])]
    assert places["population"].notna().all(), list(places.index[places["population"].isna()])
    sources = places["source"].str.lower()
    assert (sources.str.contains("census") | sources.str.contains("普查")).all()
    # The Pingxiang units add up to the prefecture's census total, so no one is counted twice.
    pingxiang = places.loc[["pingxiang", "xiangdong", "luxi", "shangli", "lianhua"], "population"]
    assert int(pingxiang.sum()) == 1_804_805


def test_every_place_is_connected_by_road(net):
    times = pxnet.skim(["萍乡"], list(net.places.index), mode="road", scenario=2026, network=net)
    unreachable = [p for p in net.places.index if not math.isfinite(times.loc["萍乡", p])]
    assert unreachable == []


def test_every_station_is_connected_to_its_place(net):
    stations = net.nodes[net.nodes["kind"].isin(["hsr_station", "rail_station"]) & net.nodes["place"].notna()]
    sc = pxnet.get_scenario("expected-2030", network=net)
    G = sc.graph(mode="road")
    missing = [s for s, place in stations["place"].items() if s not in G or place not in G]
    assert missing == []
    for station, place in stations["place"].items():
        assert math.isfinite(pxnet.travel_time(place, station, mode="road", scenario=sc, network=net)), station


def test_link_lengths_are_plausible(net):
    nodes = net.nodes
    for link in net.links.itertuples(index=False):
        a, b = nodes.loc[link[1]], nodes.loc[link[2]]
        crow = haversine_km(a["lon"], a["lat"], b["lon"], b["lat"])
        assert link.length_km >= crow * 0.98 - 0.5, link.id
        assert crow <= 1.0 or link.length_km <= 2.5 * crow, link.id


def test_through_train_versus_change_at_changsha_south(net):
    today = pxnet.get_scenario(2026, network=net)
    change = pxnet.route("萍乡北", "深圳北", mode="hsr", scenario=today, network=net)
    assert change["leg"].tolist() == ["ride", "transfer", "ride"]
    assert change.iloc[1]["from"] == "长沙南"
    # The proposed 专列 runs one modelled train a day with no change: it is the fastest journey.
    special = today.derive(name="专列", enable=["ganyue_hsr_special"])
    through = pxnet.route("萍乡北", "深圳北", mode="hsr", scenario=special, network=net)
    assert through["leg"].tolist() == ["ride"]
    assert through.iloc[0]["via"].startswith("ganyue_special#") and through.iloc[0]["basis"] == "modelled"
    assert through.attrs["minutes"] < change.attrs["minutes"]


def test_trip_that_must_use_access_roads(net):
    legs = pxnet.route("莲花", "广州", mode="door_to_door", scenario=2026, network=net)
    assert legs.iloc[0]["leg"] == "access" and legs.iloc[-1]["leg"] == "egress"
    assert "ride" in set(legs["leg"]) and legs.iloc[-1]["to"] == "广州市"


def test_unreachable_and_unknown(net):
    assert math.isinf(pxnet.travel_time("萍乡", "广州", mode="hsr", scenario=2013, network=net))  # before 沪昆高铁
    assert math.isinf(pxnet.travel_time("莲花", "广州", mode="hsr", scenario=2026, network=net))  # no station yet
    with pytest.raises(pxnet.UnknownPlaceError, match="萍乡北"):
        pxnet.travel_time("萍乡东", "广州", network=net)


def test_airports_are_reached_by_road_from_their_cities(net):
    airports = net.nodes[net.nodes["kind"] == "airport"]
    codes = airports["name_en"].str.extract(r"\((\w{3})\)$")[0]
    assert set(codes) == {"CSX", "YIC", "JGS", "CAN", "SZX", "HKG"}
    assert all(net.resolve(code) == airport for airport, code in codes.items())
    for airport, city in airports["place"].items():
        minutes = pxnet.travel_time(city, airport, mode="road", scenario=2026, network=net)
        assert 0 < minutes < 120, (airport, minutes)
    assert set(net.nodes.index[net.nodes["kind"] == "ga_airport"]) == {"luxi_ga_airport", "xiangdong_ga_airport"}


def test_ganxi_port_reaches_nansha_by_freight_rail_once_built(net):
    import networkx as nx

    port, nansha = net.resolve("赣西港"), "nansha_port"
    for name, connected in (("as-built-2026", False), ("plan-2025", True)):
        G = pxnet.get_scenario(name, network=net).graph(mode="freight_rail")
        assert (port in G and nansha in G and nx.has_path(G, port, nansha)) is connected, name
