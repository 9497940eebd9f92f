"""Isochrones on hand-made networks whose areas are worked out by hand below.

Places (WGS-84, near 27° N): O at (113.0, 27.0); P 0.3° east of it (29.8 km) joined to O by a two-way road of
30 min; Q 0.3° north of O (33.4 km) reached from O by a one-way road of 20 min (no way back); X at 115° E
with no link at all. Last mile 30 km/h = 0.5 km/min, so a node reached with m minutes left is a disc of
radius m/2 km. A disc of radius r drawn with 16 segments per quarter has area π r² × 0.99839.
"""

from __future__ import annotations

import itertools
import math

import geopandas as gpd
import networkx as nx
import pytest
import shapely

import pxnet
from pxnet import RoutingError, UnknownPlaceError
from pxnet.geo import METRIC_CRS
from pxnet.routing import DEFAULT_LAST_MILE_KPH, isochrones, reach_times

SRC = "hand-made test network"
NODES = f"""id,name_zh,name_en,kind,lon,lat,place,transfer_min,source
o,甲市,O,city,113.0,27.0,,,{SRC}
p,乙市,P,city,113.3,27.0,,,{SRC}
q,丙市,Q,city,113.0,27.3,,,{SRC}
x,孤岛,X,city,115.0,27.0,,,{SRC}
"""
LINKS = f"""id,from,to,mode,length_km,time_min,oneway,status,source
op,o,p,expressway,31,30,,existing,{SRC}
oq,o,q,expressway,35,20,true,existing,{SRC}
"""
SERVICES = "id,name,mode,stops,headway_min,status,source\n"
# 64-gon inscribed in a circle: area ratio (n / 2π) sin(2π / n).
POLY = 64 / (2 * math.pi) * math.sin(2 * math.pi / 64)


@pytest.fixture
def net(network_folder):
    folder = network_folder(NODES, LINKS, SERVICES)
    return pxnet.load_network(folder)


def iso(net, origins, **kw):
    kw.setdefault("mode", "road")
    kw.setdefault("last_mile_kph", 30)
    return isochrones(origins, scenario=2020, network=net, **kw)


def metric(gdf):
    return gpd.GeoSeries(gdf.geometry.to_numpy(), crs=gdf.crs).to_crs(METRIC_CRS)


def test_lone_node_is_a_disc_of_the_last_mile(net):
    gdf = iso(net, "x", bands=(60,))
    # 60 min at 30 km/h = 30 km radius.
    assert gdf["area_km2"].iloc[0] == pytest.approx(math.pi * 30**2 * POLY, rel=1e-3)
    assert gdf["area_km2"].iloc[0] == pytest.approx(math.pi * 30**2, rel=5e-3)
    assert gdf["nodes"].tolist() == [1]
    assert gdf.crs.to_string() == "EPSG:4326"
    assert gdf.geometry.iloc[0].geom_type == "MultiPolygon"


def test_radius_is_time_left_times_speed(net):
    # P is reached after 30 min: at band 40 it adds a disc of (40 − 30) / 2 = 5 km radius.
    near = reach_times("o", mode="road", scenario=2020, network=net)
    assert near["minutes"].to_dict() == pytest.approx({"o": 0.0, "q": 20.0, "p": 30.0})
    gdf = iso(net, "o", bands=(40,), last_mile_kph=30)
    geom = metric(gdf).iloc[0]
    p = near.loc["p"]
    # A point 4.9 km east of P is covered, 5.1 km is not (O's own disc of 20 km is far away).
    assert geom.contains(shapely.Point(p["x"] + 4900, p["y"]))
    assert not geom.contains(shapely.Point(p["x"] + 5100, p["y"]))


def test_bands_are_nested_and_sorted(net):
    gdf = iso(net, "o", bands=(90, 30, 60))
    assert gdf["minutes"].tolist() == [30.0, 60.0, 90.0]
    assert gdf["area_km2"].is_monotonic_increasing
    geoms = metric(gdf)
    for small, big in itertools.pairwise(geoms):
        assert small.difference(big).area <= 1e-9 * small.area


def test_unreachable_island_is_not_covered(net):
    gdf = iso(net, "o", bands=(60, 120))
    x = net.nodes.loc["x"]
    assert not gdf.geometry.iloc[-1].contains(shapely.Point(x["lon"], x["lat"]))
    assert "x" not in reach_times("o", mode="road", scenario=2020, network=net).index


def test_several_origins_merge(net):
    both = iso(net, ["o", "x"], bands=(60,))
    alone_o, alone_x = iso(net, "o", bands=(60,)), iso(net, "x", bands=(60,))
    # X is 200 km away from the rest: the union's area is the sum.
    assert both["area_km2"].iloc[0] == pytest.approx(alone_o["area_km2"].iloc[0] + alone_x["area_km2"].iloc[0])
    merged = metric(both).iloc[0]
    for part in (metric(alone_o).iloc[0], metric(alone_x).iloc[0]):
        assert part.difference(merged).area <= 1e-9 * part.area
    assert both.attrs["origins"] == ["o", "x"]
    assert len(both.attrs["origin_points"]) == 2


def test_not_a_convex_hull(net):
    # O's discs (27.5 km), P's (12.5 km, 29.8 km east) and Q's (17.5 km, 33.4 km north) leave out
    # part of their hull.
    gdf = iso(net, "o", bands=(55,))
    geom = gdf.geometry.iloc[0]
    assert geom.convex_hull.area > geom.area * 1.01


def test_holes_stay():
    # Eight origins on a 20 km circle, 15.3 km apart, with 10 km discs: a ring around an unreached centre.
    from pyproj import Transformer

    to_lonlat = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
    cx, cy = 800_000.0, 3_060_000.0
    G = nx.MultiDiGraph(crs="EPSG:4326")
    for k in range(8):
        a = 2 * math.pi * k / 8
        lon, lat = to_lonlat.transform(cx + 20_000 * math.cos(a), cy + 20_000 * math.sin(a))
        G.add_node(k, x=lon, y=lat)
    gdf = isochrones(list(range(8)), bands=(20,), network=G, last_mile_kph=30)
    ring = metric(gdf).iloc[0]
    assert len(ring.geoms) == 1 and len(ring.geoms[0].interiors) == 1
    assert not ring.contains(shapely.Point(cx, cy))


def test_to_isochrones_route_on_the_reversed_graph(net):
    # Q → O is impossible (one-way O → Q); P → O takes 30 min.
    towards = reach_times("o", mode="road", scenario=2020, network=net, to=True)
    assert towards["minutes"].to_dict() == pytest.approx({"o": 0.0, "p": 30.0})
    fwd, back = iso(net, "o", bands=(40,)), iso(net, "o", bands=(40,), to=True)
    q = net.nodes.loc["q"]
    assert fwd.geometry.iloc[0].contains(shapely.Point(q["lon"], q["lat"]))
    assert not back.geometry.iloc[0].contains(shapely.Point(q["lon"], q["lat"]))
    assert back.attrs["to"] is True


def test_to_times_match_travel_times_on_the_bundled_network():
    # With no first wait but half-headway transfer waits the router is not symmetric: to-times must be the
    # travel times from each place to the destination, not from it.
    kw = dict(mode="door_to_door", scenario="plan-2025", initial_wait_fraction=0)
    towards = reach_times("广州", to=True, **kw)
    for place in ["pingxiang", "changsha", "nanchang", "ganzhou", "luxi"]:
        assert towards.loc[place, "minutes"] == pytest.approx(pxnet.travel_time(place, "广州", **kw))


def test_station_modes_reach_only_stations():
    times = reach_times("萍乡", mode="hsr", scenario="plan-2025", cutoff=90)
    kinds = pxnet.load_network().nodes.loc[times.index, "kind"]
    assert set(kinds) == {"hsr_station"}
    assert times.loc["pingxiang_north", "minutes"] == 0


def test_last_mile_cap(net):
    gdf = iso(net, "x", bands=(60, 120), max_last_mile_min=10)
    # Both bands are the same 5 km disc.
    assert gdf["area_km2"].tolist() == pytest.approx([math.pi * 25 * POLY] * 2, rel=1e-3)


def test_default_last_mile_is_the_access_speed(net):
    gdf = isochrones("x", bands=(60,), mode="road", scenario=2020, network=net)
    assert gdf.attrs["last_mile_kph"] == net.parameters.speed_kph["access"]


def test_errors(net):
    with pytest.raises(RoutingError, match="bands"):
        iso(net, "o", bands=(0, 60))
    with pytest.raises(UnknownPlaceError):
        iso(net, "nowhere")
    with pytest.raises(RoutingError, match="last_mile_kph"):
        iso(net, "o", last_mile_kph=0)


def _osm_like(crs: str = "EPSG:4326") -> nx.MultiDiGraph:
    """Three nodes 0.1° apart on a line, 10 min per edge; one-way 1 → 2."""
    G = nx.MultiDiGraph(crs="EPSG:4326")
    for k, lon in enumerate((113.8, 113.9, 114.0)):
        G.add_node(k, x=lon, y=27.6)
    G.add_edge(0, 1, travel_time=600.0)
    G.add_edge(1, 0, travel_time=600.0)
    G.add_edge(1, 2, travel_time=600.0)
    if crs != "EPSG:4326":
        import osmnx as ox

        G = ox.projection.project_graph(G, to_crs=crs)
    return G


@pytest.mark.parametrize("crs", ["EPSG:4326", METRIC_CRS])
def test_osm_graph(crs):
    G = _osm_like(crs)
    gdf = isochrones(0, bands=(10, 30), network=G)
    # Band 10: only node 0 (a 5 km disc); band 30: three nodes with 15, 10 and 5 km discs, 9.9 km apart.
    assert gdf["area_km2"].iloc[0] == pytest.approx(math.pi * 25 * POLY, rel=1e-3)
    assert gdf["nodes"].tolist() == [1, 3]
    assert gdf.attrs["mode"] == "graph"
    assert gdf.attrs["last_mile_kph"] == DEFAULT_LAST_MILE_KPH


def test_osm_graph_to_and_several_origins():
    G = _osm_like()
    assert set(reach_times(2, network=G, to=True).index) == {0, 1, 2}
    assert set(reach_times(0, network=G, to=True).index) == {0, 1}  # 2 cannot come back
    both = isochrones([0, 2], bands=(10,), network=G)
    assert both["nodes"].tolist() == [2]
    with pytest.raises(RoutingError):
        isochrones(99, network=G)


def test_places_and_population_reached_per_band(network_folder):
    nodes = NODES.replace("place,transfer_min", "place,population,transfer_min")
    for row, people in (("o,甲市", 1000), ("p,乙市", 200), ("q,丙市", 30), ("x,孤岛", 4)):
        line = next(ln for ln in nodes.splitlines() if ln.startswith(row))
        parts = line.split(",")
        nodes = nodes.replace(line, ",".join([*parts[:7], str(people), *parts[7:]]))
    net = pxnet.load_network(network_folder(nodes, LINKS, SERVICES))
    gdf = iso(net, "o", bands=(10, 25, 40))
    # o at 0 min, q at 20, p at 30; x is never reached.
    assert gdf["places"].tolist() == [1, 2, 3]
    assert gdf["population"].tolist() == [1000, 1030, 1230]
    graph = pxnet.get_scenario(2020, network=net).graph(mode="road")
    on_graph = isochrones(net.key("o"), bands=(10,), network=graph)
    assert on_graph["places"].tolist() == [0] and math.isnan(on_graph["population"].iloc[0])
