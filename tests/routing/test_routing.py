"""Routing on a hand-made network whose answers are worked out by hand below.

Stations A, B (the hub, minimum transfer 8 min) and C on one HSR line at 300 km/h (5 km/min):
A–B 100 km = 20 min, B–C 150 km = 30 min. Parameters: dwell 2, stop loss 3 per segment, station entry 15,
exit 5, a 17-hour service day from 06:00. Services (no timetable: every trip is modelled from its pattern, the
k-th of n trains leaving at 06:00 + (k + 1/2) × 17 h / n, times rounded to the minute):

- a through train A–B–C every 120 min: n = 8, first at 06:00 + 63.75 min → 07:04 from A, 07:27 at B, 07:29 off
  again, 08:02 at C: 23 + 2 + 33 = 58 min;
- a shuttle A–B every 30 min: n = 34, from A at 06:15, 06:45, … (23 min);
- a shuttle B–C every 20 min: n = 51, from B at 06:10, 06:30, … (33 min).

By hand, A → C station to station:
- the fastest journey of the day is a through train: 58 min (a change at B takes at least 23 + 8 + 33 = 64);
- leaving A at 07:05, just after the through train: shuttle 07:15 → B 07:38, ready 07:46, next B–C 07:50 →
  C 08:23: 78 min (wait 10, ride 23, change 12, ride 33).
Door to door PA → PC: road 20 + entry 15 + 58 + exit 5 + road 20 = 118 (driving: 180).
Places PA and PC sit 10 km of access road (30 km/h = 20 min) from A and C; a 300 km expressway (100 km/h =
180 min) joins PA and PC; PX has no link at all.
"""

from __future__ import annotations

import math

import pytest

import pxnet
from pxnet import UnknownPlaceError

SRC = "hand-made test network"
NODES = f"""id,name_zh,name_en,kind,lon,lat,place,transfer_min,source
pa,甲市,PA,city,113.0,27.05,,,{SRC}
pc,丙市,PC,city,114.5,27.05,,,{SRC}
px,孤岛,PX,city,116.0,27.0,,,{SRC}
a,甲站,A,hsr_station,113.0,27.0,pa,,{SRC}
b,乙站,B,hsr_station,113.5,27.0,,8,{SRC}
c,丙站,C,hsr_station,114.5,27.0,pc,,{SRC}
"""
LINKS = f"""id,from,to,mode,length_km,speed_kph,status,source
ab,a,b,hsr,100,300,existing,{SRC}
bc,b,c,hsr,150,300,existing,{SRC}
acc_a,pa,a,access,10,30,existing,{SRC}
acc_c,pc,c,access,10,30,existing,{SRC}
road,pa,pc,expressway,300,100,existing,{SRC}
"""
SERVICES = f"""id,name,mode,stops,headway_min,status,source
through,直达,hsr,a;b;c,120,existing,{SRC}
s_ab,甲乙,hsr,a;b,30,existing,{SRC}
s_bc,乙丙,hsr,b;c,20,existing,{SRC}
"""
PARAMETERS = """dwell_min: {value: 2, unit: min, source: test}
stop_loss_min: {value: 3, unit: min, source: test}
station_entry_min: {value: 15, unit: min, source: test}
station_exit_min: {value: 5, unit: min, source: test}
"""


@pytest.fixture
def net(network_folder):
    folder = network_folder(NODES, LINKS, SERVICES, parameters=PARAMETERS)
    return pxnet.load_network(folder)


def tt(net, o, d, mode="hsr", **kw):
    return pxnet.travel_time(o, d, mode=mode, scenario=2020, network=net, **kw)


def test_the_default_answer_is_the_fastest_journey_of_the_day(net):
    assert tt(net, "a", "c") == pytest.approx(58)
    legs = pxnet.route("甲站", "丙站", mode="hsr", scenario=2020, network=net)
    assert legs["leg"].tolist() == ["ride"]
    assert legs.iloc[0]["via"] == "through#f1" and legs.iloc[0]["minutes"] == pytest.approx(58)
    assert legs.iloc[0]["departure"] == "07:04" and legs.iloc[0]["basis"] == "modelled"
    assert legs.attrs["minutes"] == pytest.approx(58) and legs.attrs["statistic"] == "fastest"


def test_a_change_beats_waiting_for_the_through_train(net):
    assert tt(net, "a", "c", departure="07:05") == pytest.approx(78)
    legs = pxnet.route("a", "c", mode="hsr", scenario=2020, network=net, departure="07:05")
    assert legs["leg"].tolist() == ["wait", "ride", "transfer", "ride"]
    assert legs["minutes"].tolist() == pytest.approx([10, 23, 12, 33])
    assert legs.attrs["minutes"] == pytest.approx(78)


def test_initial_wait_fraction_is_deprecated(net):
    with pytest.warns(FutureWarning, match="initial_wait_fraction has no effect"):
        assert tt(net, "a", "c", initial_wait_fraction=0) == pytest.approx(58)


def test_door_to_door_uses_access_roads(net):
    assert tt(net, "PA", "PC", mode="door_to_door") == pytest.approx(118)
    legs = pxnet.route("pa", "pc", mode="door_to_door", scenario=2020, network=net)
    assert legs["leg"].tolist() == ["access", "ride", "egress"]
    assert legs["minutes"].tolist() == pytest.approx([35, 58, 25])
    assert legs.iloc[-1]["to"] == "丙市"
    assert tt(net, "PA", "PC", mode="road") == pytest.approx(180)


def test_station_modes_take_a_place_as_its_stations(net):
    assert tt(net, "pa", "pc", mode="hsr") == pytest.approx(58)
    assert tt(net, "a", "a") == 0


def test_hsr_never_uses_a_road(net):
    closed = pxnet.get_scenario(2020, network=net).derive(closed_links=["bc"])
    assert math.isinf(pxnet.travel_time("a", "c", mode="hsr", scenario=closed, network=net))
    # door to door still drives
    assert pxnet.travel_time("pa", "pc", scenario=closed, network=net) == pytest.approx(180)


def test_unreachable_and_unknown(net):
    assert math.isinf(tt(net, "pa", "px", mode="door_to_door"))
    legs = pxnet.route("pa", "px", mode="door_to_door", scenario=2020, network=net)
    assert legs.empty and math.isinf(legs.attrs["minutes"])
    with pytest.raises(UnknownPlaceError, match="did you mean"):
        tt(net, "甲站站站", "丙")
    with pytest.raises(pxnet.RoutingError, match="unknown trip mode"):
        tt(net, "a", "c", mode="boat")


def test_skim_and_one_to_all(net):
    m = pxnet.skim(["pa", "pc", "px"], mode="door_to_door", scenario=2020, network=net)
    assert m.loc["pa", "pc"] == pytest.approx(118) and m.loc["pc", "pa"] == pytest.approx(118)
    assert m.loc["pa", "pa"] == 0 and math.isinf(m.loc["pa", "px"])
    cut = pxnet.skim(["pa"], ["pc"], mode="door_to_door", scenario=2020, network=net, cutoff=100)
    assert math.isinf(cut.iloc[0, 0])
    times = pxnet.one_to_all("a", mode="hsr", scenario=2020, network=net)
    assert times.to_dict() == pytest.approx({"a": 0, "b": 23, "c": 58})


def test_headway_override_changes_the_answer(net):
    frequent = pxnet.get_scenario(2020, network=net).derive(service_headway_min={"through": 10})
    # through every 10 min: 102 trains from 06:05; at 07:05 one leaves at once: 58 (78 without the override)
    assert pxnet.travel_time("a", "c", mode="hsr", scenario=frequent, network=net, departure="07:05") == 58


def test_routing_on_plain_osmnx_style_graph():
    import networkx as nx

    G = nx.MultiDiGraph(crs="EPSG:4326")
    G.add_edge(1, 2, travel_time=60.0)
    G.add_edge(1, 2, travel_time=30.0)  # parallel edge: the minimum counts
    G.add_edge(2, 3, travel_time=120.0)
    m = pxnet.skim([1], [2, 3], network=G)
    assert m.loc[1, 2] == pytest.approx(0.5) and m.loc[1, 3] == pytest.approx(2.5)
    times = pxnet.one_to_all(1, network=G, cutoff=1)
    assert times.to_dict() == {1: 0.0, 2: 0.5}
    with pytest.raises(pxnet.RoutingError, match="not in the graph"):
        pxnet.skim([9], network=G)


def test_a_scenario_carries_its_network(net):
    sc = pxnet.get_scenario(2020, network=net)
    assert pxnet.travel_time("a", "c", mode="hsr", scenario=sc) == pytest.approx(58)
    assert pxnet.skim(["pa"], ["pc"], scenario=sc).iloc[0, 0] == pytest.approx(118)
    assert pxnet.compare(sc, sc.derive(closed_links=["bc"]), origins=["pa"], destinations=["pc"]).od.shape[0] == 1
    assert pxnet.accessibility(["pa"], ["pc"], scenario=sc).shape[0] == 1


def test_sourced_segment_minutes_replace_the_modelled_run(make_folder):
    folder = make_folder(
        replace={
            "services.csv": [
                ("trains_per_day,bidirectional", "trains_per_day,segment_min,bidirectional"),
                (",,17,,", ",,17,30;,,"),
            ]
        }
    )
    net = pxnet.load_network(folder)
    p = net.parameters
    kw = {"mode": "hsr", "scenario": 2020, "network": net}
    # 宜春 → 萍乡北 is the sourced 30 min; 萍乡北 → 长沙南 is still 105 km at 300 km/h plus the stop loss.
    assert pxnet.travel_time("yichun_station", "pingxiang_north", **kw) == pytest.approx(30)
    modelled = 105 / 300 * 60 + p.stop_loss_min
    assert pxnet.travel_time("pingxiang_north", "changsha_south", **kw) == pytest.approx(modelled)
    assert pxnet.travel_time("yichun_station", "changsha_south", **kw) == pytest.approx(30 + p.dwell_min + modelled)
    # The service runs both ways, and the sourced time holds in the reverse direction too.
    assert pxnet.travel_time("pingxiang_north", "yichun_station", **kw) == pytest.approx(30)
