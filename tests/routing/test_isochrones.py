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


@pytest.mark.parametrize("method", ["exact", "raster"])
def test_holes_stay(method):
    # Eight origins on a 20 km circle, 15.3 km apart, with 10 km discs: a ring around an unreached centre.
    from pyproj import Transformer

    to_lonlat = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
    cx, cy = 800_000.0, 3_060_000.0
    G = nx.MultiDiGraph(crs="EPSG:4326")
    for k in range(8):
        a = 2 * math.pi * k / 8
        lon, lat = to_lonlat.transform(cx + 20_000 * math.cos(a), cy + 20_000 * math.sin(a))
        G.add_node(k, x=lon, y=lat)
    gdf = isochrones(list(range(8)), bands=(20,), network=G, last_mile_kph=30, method=method)
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
    on_graph = isochrones("o", bands=(10,), network=graph)
    assert on_graph["places"].tolist() == [0] and math.isnan(on_graph["population"].iloc[0])


# -- Raster method: the area agrees with the exact union of discs -------------------------------------------


def _grid_graph(side: int, *, lon0: float = 113.0, lat0: float = 27.0, seed: int = 3) -> nx.MultiDiGraph:
    """A jittered grid of two-way streets, ~200 m blocks at 30–80 km/h (osmnx conventions, EPSG:4326)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    G = nx.MultiDiGraph(crs="EPSG:4326")
    ids = np.arange(side * side)
    x = lon0 + (ids % side) * 0.002 + rng.uniform(-0.0004, 0.0004, len(ids))
    y = lat0 + (ids // side) * 0.0018 + rng.uniform(-0.0004, 0.0004, len(ids))
    G.add_nodes_from((int(i), {"x": float(x[i]), "y": float(y[i])}) for i in ids)
    for u in ids.tolist():
        for v in (u + 1 if (u + 1) % side else None, u + side if u + side < side * side else None):
            if v is None:
                continue
            metres = math.hypot((x[u] - x[v]) * 98_500, (y[u] - y[v]) * 111_000)
            seconds = metres / (float(rng.choice([30.0, 40.0, 50.0, 60.0, 80.0])) / 3.6)
            G.add_edge(u, v, travel_time=seconds)
            G.add_edge(v, u, travel_time=seconds)
    return G


def _assert_close_to_exact(raster, exact, *, rel=0.02):
    assert raster.attrs["method"] == "raster" and exact.attrs["method"] == "exact"
    assert raster["nodes"].tolist() == exact["nodes"].tolist()
    for r, e in zip(metric(raster), metric(exact), strict=True):
        assert r.is_valid
        assert r.area == pytest.approx(e.area, rel=rel)
        # Not only the same area: the same place (the two shapes differ by less than 2 % of the band).
        assert shapely.symmetric_difference(r, e).area < rel * e.area
    assert raster["area_km2"].is_monotonic_increasing
    geoms = metric(raster).tolist()
    for small, large in itertools.pairwise(geoms):
        assert shapely.difference(small, large).area < 1e-6 * small.area


@pytest.mark.parametrize("mode", ["door_to_door", "hsr"])
def test_raster_area_within_2_percent_of_the_exact_union_on_the_bundled_network(mode):
    kw = {"bands": (60, 120, 180), "mode": mode, "scenario": 2025}
    origin = "萍乡" if mode == "door_to_door" else "萍乡北"
    _assert_close_to_exact(isochrones(origin, method="raster", **kw), isochrones(origin, method="exact", **kw))


def test_raster_area_within_2_percent_of_the_exact_union_on_a_grid():
    G = _grid_graph(45)
    centre = 22 * 45 + 22
    # 4.5 km across: the bands end inside the grid (15 min) and well beyond it (30 min).
    kw = {"bands": (6, 15, 30), "network": G, "last_mile_kph": 10}
    raster = isochrones(centre, **kw)  # over 2,000 nodes: the default is the raster
    _assert_close_to_exact(raster, isochrones(centre, method="exact", **kw))
    capped = {**kw, "max_last_mile_min": 3}
    _assert_close_to_exact(isochrones(centre, method="raster", **capped), isochrones(centre, method="exact", **capped))


def test_raster_keeps_islands(net):
    # Band 30 from O and X: O's 15 km disc, X's 15 km disc (2° away) and Q's 5 km disc (reached after
    # 20 min, 33.4 km north of O): three islands; P, reached after 30 min, adds nothing.
    three = iso(net, ["o", "x"], bands=(30,), method="raster")
    assert len(three.geometry.iloc[0].geoms) == 3
    assert three["area_km2"].iloc[0] == pytest.approx(math.pi * (2 * 15**2 + 5**2), rel=0.01)


def test_auto_method_switches_on_the_number_of_discs(net):
    assert iso(net, "o", bands=(60,)).attrs["method"] == "exact"
    with pytest.raises(RoutingError, match="method"):
        iso(net, "o", method="fast")


def test_implausible_arguments_are_refused(net):
    with pytest.raises(RoutingError, match="bands"):
        iso(net, "o", bands=(60, 1e12))
    with pytest.raises(RoutingError, match="last_mile_kph"):
        iso(net, "o", last_mile_kph=1e9)
    with pytest.raises(RoutingError, match="last_mile_kph"):
        iso(net, "o", last_mile_kph=math.nan)
    with pytest.raises(RoutingError, match="max_last_mile_min"):
        iso(net, "o", max_last_mile_min=math.inf)


# -- Places reached through their stations, each counted once ------------------------------------------------


def test_hsr_isochrones_count_the_places_their_stations_serve():
    """The expected places come from pxnet.travel_time in hsr mode and the census column of nodes.csv."""
    import pandas as pd

    net = pxnet.load_network()
    bands = (60, 120, 180)
    gdf = isochrones("萍乡北", bands=bands, mode="hsr", scenario=2025)
    nodes = net.nodes
    places = nodes[nodes["kind"].isin(["city", "county_seat"])]
    served = set(nodes.loc[nodes["kind"].isin(["hsr_station", "rail_station"]), "place"].dropna())
    minutes = {}
    for place in places.index:
        if place in served:
            value = pxnet.travel_time("pingxiang_north", place, mode="hsr", scenario=2025)
            if math.isfinite(value):
                minutes[place] = value
    first = pd.Series(minutes)
    for band, count, people in zip(bands, gdf["places"], gdf["population"], strict=True):
        reached = first.index[first <= band]
        assert count == len(reached)
        assert people == pytest.approx(float(places.loc[reached, "population"].astype(float).sum()))
    reached_180 = set(first.index[first <= 180])
    assert {"changsha", "nanchang", "yichun"} <= reached_180
    assert gdf["places"].iloc[-1] > 0 and gdf["population"].iloc[-1] > 0


def test_a_place_reached_by_several_stations_counts_once(network_folder):
    nodes = f"""id,name_zh,name_en,kind,lon,lat,place,population,transfer_min,source
a,甲市,A,city,113.0,27.0,,1000,,{SRC}
a1,甲站,A1,hsr_station,113.01,27.0,a,,5,{SRC}
b,乙市,B,city,113.6,27.0,,70,,{SRC}
b1,乙东站,B1,hsr_station,113.6,27.01,b,,5,{SRC}
b2,乙西站,B2,hsr_station,113.58,27.0,b,,5,{SRC}
"""
    links = f"""id,from,to,mode,length_km,speed_kph,time_min,oneway,status,source
h1,a1,b1,hsr,60,300,,,existing,{SRC}
h2,b1,b2,hsr,3,300,,,existing,{SRC}
"""
    services = f"""id,name,mode,stops,headway_min,status,source
s1,测试,hsr,a1;b1;b2,30,existing,{SRC}
"""
    net = pxnet.load_network(network_folder(nodes, links, services))
    gdf = isochrones("a", bands=(5, 120), mode="hsr", scenario=2020, network=net, last_mile_kph=30)
    # Band 120: both stations of B are reached, and B's 70 people count once beside A's 1000.
    assert gdf["places"].tolist() == [1, 2]
    assert gdf["population"].tolist() == [1000, 1070]


# -- The metric CRS of a graph: its own if true to scale, else the local UTM zone ------------------------------


def _lone_node_graph(lon: float, lat: float, crs: str = "EPSG:4326") -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(crs="EPSG:4326")
    G.add_node(0, x=lon, y=lat)
    G.add_node(1, x=lon + 0.01, y=lat)
    G.add_edge(1, 0, travel_time=60.0)  # one way towards 0: from 0 nothing else is reached
    if crs != "EPSG:4326":
        import osmnx as ox

        G = ox.projection.project_graph(G, to_crs=crs)
    return G


@pytest.mark.parametrize(
    ("crs", "expected"),
    [
        ("EPSG:4326", "EPSG:32610"),
        ("EPSG:32610", "EPSG:32610"),
        ("EPSG:26910", "EPSG:26910"),
        ("EPSG:3857", "EPSG:32610"),
    ],
)
def test_graph_outside_the_corridor_is_measured_in_a_true_scale_crs(crs, expected):
    from pyproj import Geod

    G = _lone_node_graph(-122.29, 37.81, crs)  # West Oakland
    gdf = isochrones(0, bands=(10,), network=G, last_mile_kph=6)  # 10 min at 6 km/h: a 1 km disc
    assert gdf.attrs["metric_crs"] == expected
    assert gdf["area_km2"].iloc[0] == pytest.approx(math.pi * POLY, rel=1e-3)
    # The polygon returned in WGS-84 has the disc's area on the ellipsoid too (within UTM's scale, 0.1 %).
    ellipsoid_m2 = abs(Geod(ellps="WGS84").geometry_area_perimeter(gdf.geometry.iloc[0])[0])
    assert ellipsoid_m2 / 1e6 == pytest.approx(math.pi * POLY, rel=2e-3)
    times = reach_times(0, network=G)
    assert times.attrs["metric_crs"] == expected


def test_utm_crs():
    from pxnet.geo import CoordinateError, local_metric_crs, utm_crs

    assert utm_crs(113.85, 27.63) == "EPSG:32649" == METRIC_CRS
    assert utm_crs(-122.29, 37.81) == "EPSG:32610"
    assert utm_crs(151.2, -33.9) == "EPSG:32756"
    assert utm_crs(180.0, 0.0) == "EPSG:32660"
    assert utm_crs(10.0, 89.0) == "EPSG:32661"
    with pytest.raises(CoordinateError):
        utm_crs(200.0, 0.0)
    with pytest.raises(ValueError, match="WGS-84"):
        utm_crs(math.nan, 0.0)
    assert local_metric_crs(113.85, 27.63, prefer="EPSG:4326") == METRIC_CRS
