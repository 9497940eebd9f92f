"""OSM roads: loading small hand-written extracts, speeds, snapping, door-to-door composition.

Every test writes its own OSM XML in tmp_path and never touches the network; download attempts are
made to fail by replacing requests' transport.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import osmnx as ox
import pandas as pd
import pytest
import requests

import pxnet
from pxnet import osm
from pxnet.osm import DEFAULT_SPEEDS_KPH, SpeedError, parse_maxspeed, speed_table

MakeFolder = Callable[..., Path]  # conftest's make_folder fixture

LAT = 27.60
# A row of nodes 0.01° of longitude apart (≈ 986 m at this latitude) plus a few branches.
NODES = {
    1: (113.80, LAT),
    2: (113.81, LAT),
    3: (113.82, LAT),
    4: (113.83, LAT),
    5: (113.84, LAT),
    6: (113.85, LAT),
    7: (113.86, LAT),
    8: (113.87, LAT),
    9: (113.80, LAT + 0.01),  # footway branch
    20: (113.90, LAT + 0.05),  # disconnected piece
    21: (113.91, LAT + 0.05),
}
WAYS = {
    100: ([1, 2], {"highway": "motorway", "oneway": "yes", "maxspeed": "120"}),
    101: ([2, 3], {"highway": "primary", "maxspeed": "80 km/h"}),
    102: ([3, 4], {"highway": "secondary", "maxspeed": "50 mph"}),
    103: ([4, 5], {"highway": "residential", "oneway": "-1"}),
    104: ([5, 6], {"highway": "tertiary", "maxspeed": "60;80"}),
    105: ([6, 7], {"highway": "unclassified", "maxspeed": "CN:urban"}),
    106: ([7, 8], {"highway": "living_street", "maxspeed": "signals"}),
    107: ([1, 9], {"highway": "footway"}),
    108: ([20, 21], {"highway": "residential"}),
    109: ([2, 1], {"highway": "motorway", "oneway": "yes", "maxspeed": "120"}),
}
# Expected speed of each way's edges (km/h).
EXPECTED_KPH = {
    100: 120.0,
    101: 80.0,
    102: 50 * 1.609344,
    103: DEFAULT_SPEEDS_KPH["residential"],
    104: 60.0,
    105: 50.0,
    106: DEFAULT_SPEEDS_KPH["living_street"],
    108: DEFAULT_SPEEDS_KPH["residential"],
    109: 120.0,
}


def gc(a: int, b: int) -> float:
    """Great-circle metres between two test nodes, as osmnx measures edge lengths."""
    (lon1, lat1), (lon2, lat2) = NODES[a], NODES[b]
    return float(ox.distance.great_circle(lat1, lon1, lat2, lon2))


@pytest.fixture
def osm_file(tmp_path: Path) -> Path:
    return osm.write_osm_xml(tmp_path / "test.osm", NODES, WAYS)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every HTTP request fails as if offline (and is recorded); nothing reaches the network."""
    calls: list[str] = []

    def offline(self: requests.Session, method: str, url: str, *args: object, **kwargs: object) -> None:
        calls.append(f"{method} {url}")
        raise requests.ConnectionError(f"offline (test): {url}")

    monkeypatch.setattr(requests.sessions.Session, "request", offline)
    monkeypatch.setattr(ox._http, "_config_dns", lambda url: None)  # no DNS look-up either
    return calls


# -- maxspeed parsing and the speed table ----------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        ("80", {}, 80.0),
        ("80 km/h", {}, 80.0),
        ("80km/h", {}, 80.0),
        ("80 kph", {}, 80.0),
        ("50 mph", {}, 50 * 1.609344),
        ("10 knots", {}, 18.52),
        ("60;80", {}, 60.0),
        ("80|60", {}, 60.0),
        (["100", "120"], {}, 100.0),
        (["none", "70"], {}, 70.0),
        (90, {}, 90.0),
        ("CN:urban", {}, 50.0),
        ("CN:rural", {}, 70.0),
        ("cn:urban", {"lanes": "1"}, 30.0),
        ("CN:rural", {"lanes": "1"}, 40.0),
        ("CN:urban", {"lanes": "1", "oneway": True}, 50.0),
        ("CN:motorway", {}, 120.0),
        ("CN:living_street", {}, None),
        ("DE:urban", {}, None),
        ("none", {}, None),
        ("signals", {}, None),
        ("walk", {}, None),
        ("", {}, None),
        (None, {}, None),
        (float("nan"), {}, None),
        ("0", {}, None),
        ("999", {}, None),
    ],
)
def test_parse_maxspeed(value: object, kwargs: dict[str, object], expected: float | None) -> None:
    got = parse_maxspeed(value, **kwargs)  # type: ignore[arg-type]
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected)


def test_speed_table_overrides_and_rejects_bad_values() -> None:
    table = speed_table({"residential": 25, "my_class": 12})
    assert table["residential"] == 25.0 and table["my_class"] == 12.0 and table["motorway"] == 100.0
    assert DEFAULT_SPEEDS_KPH["residential"] == 30.0  # the defaults are not mutated
    for bad in (0, -5, float("nan"), "fast"):
        with pytest.raises(SpeedError, match="residential"):
            speed_table({"residential": bad})  # type: ignore[dict-item]


# -- loading ---------------------------------------------------------------------------------------
def test_travel_times_by_hand(osm_file: Path) -> None:
    G = osm.load_roads(osm_file, simplify=False, retain_all=True)
    seen = set()
    for u, v, d in G.edges(data=True):
        way = d["osmid"]
        seen.add(way)
        assert d["length"] == pytest.approx(gc(u, v), rel=1e-6)
        assert d["speed_kph"] == pytest.approx(EXPECTED_KPH[way])
        assert d["travel_time"] == pytest.approx(gc(u, v) / (EXPECTED_KPH[way] / 3.6), rel=1e-6)
        assert d["speed_source"] == ("default" if way in (103, 106, 108) else "maxspeed")
    assert seen == set(EXPECTED_KPH)  # the footway is not in a drive network
    # e.g. 2→3: 80 km/h over ≈ 986 m ≈ 44.4 s
    assert G.edges[2, 3, 0]["travel_time"] == pytest.approx(gc(2, 3) * 3.6 / 80)
    assert "pxnet_speeds" in G.graph


def test_oneway_directions(osm_file: Path) -> None:
    G = osm.load_roads(osm_file, simplify=False)
    assert G.has_edge(1, 2) and G.has_edge(2, 1)  # two one-way carriageways
    assert G.number_of_edges(1, 2) == 1
    assert G.has_edge(2, 3) and G.has_edge(3, 2)  # two-way
    assert G.has_edge(5, 4) and not G.has_edge(4, 5)  # oneway=-1: against the node order


def test_network_type_filters_local_files(osm_file: Path) -> None:
    drive = osm.load_roads(osm_file, simplify=False)
    assert 9 not in drive
    walk = osm.load_roads(osm_file, simplify=False, network_type="walk", retain_all=True)
    assert walk.has_edge(1, 9) and walk.has_edge(9, 1)
    assert not walk.has_edge(1, 2)  # motorways are not walkable
    assert walk.has_edge(5, 4) and walk.has_edge(4, 5)  # walking ignores oneway
    with pytest.raises(pxnet.PxnetError, match="network_type"):
        osm.load_roads(osm_file, network_type="boat")


def test_disconnected_piece(osm_file: Path) -> None:
    assert 20 not in osm.load_roads(osm_file)
    kept = osm.load_roads(osm_file, retain_all=True, simplify=False)
    assert kept.has_edge(20, 21)


def test_speed_overrides_only_fill_gaps(osm_file: Path) -> None:
    G = osm.load_roads(osm_file, simplify=False, speeds={"residential": 20, "primary": 10})
    assert G.edges[5, 4, 0]["speed_kph"] == 20.0  # residential without maxspeed
    assert G.edges[2, 3, 0]["speed_kph"] == 80.0  # primary with maxspeed keeps it


def test_simplify_sums_segment_times(tmp_path: Path) -> None:
    nodes = {1: (113.80, LAT), 2: (113.81, LAT), 3: (113.82, LAT)}
    ways = {
        1: ([1, 2], {"highway": "primary", "maxspeed": "60", "oneway": "yes"}),
        2: ([2, 3], {"highway": "primary", "maxspeed": "30", "oneway": "yes"}),
    }
    G = osm.load_roads(osm.write_osm_xml(tmp_path / "s.osm", nodes, ways))
    assert list(G.edges()) == [(1, 3)]
    d = G.edges[1, 3, 0]
    expected = gc(1, 2) * 3.6 / 60 + gc(2, 3) * 3.6 / 30
    assert d["travel_time"] == pytest.approx(expected)
    assert d["speed_kph"] == pytest.approx(d["length"] / expected * 3.6)  # ≈ 40, not the mean 45
    assert d["speed_source"] == "maxspeed"


def test_empty_and_broken_files(tmp_path: Path) -> None:
    only_paths = osm.write_osm_xml(tmp_path / "f.osm", NODES, {1: ([1, 9], {"highway": "footway"})})
    with pytest.raises(pxnet.PxnetError, match="no ways usable"):
        osm.load_roads(only_paths)
    broken = tmp_path / "broken.osm"
    broken.write_text("<osm><node id=", encoding="utf-8")
    with pytest.raises(pxnet.PxnetError, match="cannot read"):
        osm.load_roads(broken)


def test_save_and_load_prepared_graph(osm_file: Path, tmp_path: Path) -> None:
    G = osm.load_roads(osm_file)
    for suffix in (".graphml", ".gpkg"):
        path = osm.save_roads(G, tmp_path / f"roads{suffix}")
        H = osm.load_roads(path)
        assert H.number_of_nodes() == G.number_of_nodes()
        assert H.number_of_edges() == G.number_of_edges()
        for u, v, k, d in G.edges(keys=True, data=True):
            assert H.edges[u, v, k]["travel_time"] == pytest.approx(d["travel_time"])
            assert H.edges[u, v, k]["speed_kph"] == pytest.approx(d["speed_kph"])
    assert not list(tmp_path.glob(".roads*"))  # no temporary files left behind
    with pytest.raises(pxnet.PxnetError, match=r"\.graphml or \.gpkg"):
        osm.save_roads(G, tmp_path / "roads.json")


def test_save_is_atomic(osm_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    G = osm.load_roads(osm_file)
    target = osm.save_roads(G, tmp_path / "roads.graphml")
    before = target.read_bytes()

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(ox.io, "save_graphml", boom)
    with pytest.raises(pxnet.ExportError, match="disk full"):
        osm.save_roads(G, target)
    assert target.read_bytes() == before


# -- never download unless asked; fail fast when offline -----------------------------------------------
def test_nothing_downloads_unless_asked(no_network: list[str], tmp_path: Path) -> None:
    with pytest.raises(pxnet.DataFileNotFoundError, match="download=True"):
        osm.load_roads("萍乡市, 江西省, 中国")
    with pytest.raises(pxnet.DataFileNotFoundError, match="download=True"):
        osm.load_roads((113.8, 27.5, 113.9, 27.7))
    with pytest.raises(pxnet.DataFileNotFoundError, match=r"missing\.osm"):
        osm.load_roads(tmp_path / "missing.osm", download=True)  # a missing file is never a place name
    assert no_network == []


@pytest.mark.parametrize("source", ["萍乡市, 江西省, 中国", (113.8, 27.5, 113.9, 27.7)])
def test_offline_download_fails_fast(no_network: list[str], tmp_path: Path, source: object) -> None:
    start = time.perf_counter()
    with pytest.raises(osm.OsmDownloadError, match="failed") as info:
        osm.load_roads(source, download=True, cache_folder=tmp_path)  # type: ignore[arg-type]
    assert time.perf_counter() - start < 5
    assert isinstance(info.value, ConnectionError) and isinstance(info.value, pxnet.PxnetError)
    assert no_network and "status" in no_network[0]  # the quick probe went first
    assert ox.settings.overpass_rate_limit is True  # settings restored


def test_offline_error_inside_osmnx_is_caught(
    no_network: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(osm, "_probe", lambda url, timeout: None)  # as if the probe had passed
    timeout = ox.settings.requests_timeout
    start = time.perf_counter()
    with pytest.raises(osm.OsmDownloadError, match="ConnectionError"):
        osm.load_roads((113.8, 27.5, 113.9, 27.7), download=True, cache_folder=tmp_path, timeout_s=7)
    assert time.perf_counter() - start < 5  # no Overpass status wait
    assert any("interpreter" in c for c in no_network)
    assert ox.settings.requests_timeout == timeout


# -- snapping ---------------------------------------------------------------------------------------
# conftest's network: pingxiang (113.846865, 27.626344), pingxiang_north (113.842596, 27.686607),
# yichun_station (114.431329, 27.792414); changsha and changsha_south lie far outside these roads.
PX, PXN, YC = (113.846865, 27.626344), (113.842596, 27.686607), (114.431329, 27.792414)
DEST = (114.441329, 27.792414)


def corridor(tmp_path: Path, *, shift: float = 0.0, extra: bool = False) -> nx.MultiDiGraph:
    nodes = {1: PX, 2: (PXN[0] + shift, PXN[1]), 3: YC, 4: DEST}
    ways: dict[int, tuple[list[int], dict[str, str]]] = {
        1: ([1, 2], {"highway": "tertiary", "maxspeed": "30"}),
        2: ([2, 3], {"highway": "tertiary", "maxspeed": "30"}),
        3: ([3, 4], {"highway": "residential"}),
    }
    if extra:  # an expressway passing right by 萍乡北
        nodes.update({5: (PXN[0] + 0.0005, PXN[1]), 6: (PXN[0] + 0.0005, PXN[1] + 0.02)})
        ways[4] = ([2, 5, 6], {"highway": "motorway"})
    return osm.load_roads(osm.write_osm_xml(tmp_path / "corridor.osm", nodes, ways), simplify=False)


def gc_pts(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(ox.distance.great_circle(a[1], a[0], b[1], b[0]))


def test_snap_distances_and_extent(make_folder: MakeFolder, tmp_path: Path) -> None:
    net = pxnet.load_network(make_folder())
    G = corridor(tmp_path, shift=-0.005)
    table = osm.snap(net, G)
    assert set(table.index) == {"pingxiang", "pingxiang_north", "yichun_station"}
    assert set(table.attrs["outside"]) == {"changsha", "changsha_south"}
    assert table.at["pingxiang", "osm_node"] == 1 and table.at["pingxiang", "snap_m"] == pytest.approx(0, abs=1e-6)
    # UTM 49N distances agree with great-circle ones to well under 0.5 % here.
    expected = gc_pts(PXN, (PXN[0] - 0.005, PXN[1]))
    assert table.at["pingxiang_north", "osm_node"] == 2
    assert table.at["pingxiang_north", "snap_m"] == pytest.approx(expected, rel=5e-3)
    assert list(table.columns) == ["name_zh", "kind", "osm_node", "snap_m"]


def test_snap_refuses_far_nodes(make_folder: MakeFolder, tmp_path: Path) -> None:
    net = pxnet.load_network(make_folder())
    G = corridor(tmp_path, shift=-0.005)  # 萍乡北 ≈ 493 m from its road node
    with pytest.raises(osm.SnapError, match=r"pingxiang_north \(萍乡北\) 49\d m away") as info:
        osm.snap(net, G, max_distance_m=100)
    assert "pingxiang (" not in str(info.value)
    with pytest.warns(osm.SnapWarning, match="pingxiang_north"):
        table = osm.snap(net, G, max_distance_m=100, on_far="drop")
    assert "pingxiang_north" not in table.index and table.attrs["dropped"] == ["pingxiang_north"]
    with pytest.raises(osm.SnapError, match="changsha"):  # explicitly asked for, however far
        osm.snap(net, G, nodes=["changsha"])


def test_snap_avoids_expressways_except_for_interchanges(make_folder: MakeFolder, tmp_path: Path) -> None:
    net = pxnet.load_network(make_folder())
    G = corridor(tmp_path, shift=-0.002, extra=True)  # motorway node 5 is nearer to 萍乡北 than node 2
    table = osm.snap(net, G, nodes=["pingxiang_north"])
    assert table.at["pingxiang_north", "osm_node"] == 2


# -- door to door -----------------------------------------------------------------------------------
def hand_times(net: pxnet.Network) -> dict[str, float]:
    p = net.parameters
    s12, s23, s34 = gc_pts(PX, PXN) * 3.6 / 30, gc_pts(PXN, YC) * 3.6 / 30, gc_pts(YC, DEST) * 3.6 / 30
    rail = float(pxnet.skim("pingxiang_north", "yichun_station", mode="rail", network=net).iloc[0, 0])
    return {
        "drive": (s12 + s23 + s34) / 60,
        "rail": s12 / 60 + p.station_entry_min + rail + p.station_exit_min + s34 / 60,
        "rail_min": rail,
    }


def test_door_to_door_composition(make_folder: MakeFolder, tmp_path: Path) -> None:
    net = pxnet.load_network(make_folder())
    G = corridor(tmp_path)
    expected = hand_times(net)
    options = osm.door_to_door_options("萍乡", 4, roads=G, network=net)
    assert options["option"].tolist()[:2] == ["rail", "drive"]
    best = options.iloc[0]
    assert (best["from_station"], best["to_station"]) == ("pingxiang_north", "yichun_station")
    assert best["rail_min"] == pytest.approx(expected["rail_min"])
    assert best["minutes"] == pytest.approx(expected["rail"])
    assert options.loc[options["option"] == "drive", "minutes"].item() == pytest.approx(expected["drive"])
    assert options.attrs["minutes"] == pytest.approx(min(expected["rail"], expected["drive"]))
    assert osm.door_to_door("萍乡", 4, roads=G, network=net) == pytest.approx(expected["rail"])
    assert osm.door_to_door("萍乡", 4, roads=G, network=net, rail=False) == pytest.approx(expected["drive"])
    # the rail skim is already the fastest train of the day: the retired first-wait fraction changes nothing
    with pytest.warns(FutureWarning, match="initial_wait_fraction"):
        same = osm.door_to_door("萍乡", 4, roads=G, network=net, initial_wait_fraction=0)
    assert same == pytest.approx(expected["rail"])


def test_door_to_door_ends_as_points_and_nodes(make_folder: MakeFolder, tmp_path: Path) -> None:
    net = pxnet.load_network(make_folder())
    G = corridor(tmp_path)
    expected = hand_times(net)
    west = (PX[0] - 0.005, PX[1])  # ≈ 493 m west of node 1, covered at the access speed (30 km/h)
    gap_min = gc_pts(west, PX) * 3.6 / 30 / 60
    t = osm.door_to_door(west, DEST, roads=G, network=net, rail=False)
    assert t == pytest.approx(expected["drive"] + gap_min, rel=1e-3)
    t = osm.door_to_door(west, DEST, roads=G, network=net, rail=False, connector_kph=5)
    assert t == pytest.approx(expected["drive"] + gap_min * 6, rel=1e-3)
    with pytest.raises(osm.SnapError, match="point"):
        osm.door_to_door((PX[0] - 0.1, PX[1]), 4, roads=G, network=net)
    with pytest.raises(osm.SnapError, match="not in the road graph"):
        osm.door_to_door(1, 999, roads=G, network=net)
    with pytest.raises(pxnet.UnknownPlaceError):
        osm.door_to_door("nowhere", 4, roads=G, network=net)
    with pytest.raises(osm.SnapError, match="changsha"):
        osm.door_to_door("长沙", 4, roads=G, network=net)


def test_travel_times_from_matches_door_to_door(make_folder: MakeFolder, tmp_path: Path) -> None:
    net = pxnet.load_network(make_folder())
    G = corridor(tmp_path)
    expected = hand_times(net)
    times = osm.travel_times_from("萍乡", roads=G, network=net)
    assert isinstance(times, pd.Series) and times.name == "minutes"
    assert times[1] == 0
    assert times[4] == pytest.approx(expected["rail"])
    # yichun_station's road node: reached by train (exit) or by road, whichever is first
    assert times[3] == pytest.approx(min(expected["rail"] - gc_pts(YC, DEST) * 3.6 / 30 / 60, expected["drive"]))
    for node in times.index:
        assert times[node] == pytest.approx(osm.door_to_door("萍乡", node, roads=G, network=net))
    road_only = osm.travel_times_from("萍乡", roads=G, network=net, rail=False)
    assert road_only[4] == pytest.approx(expected["drive"])
    cut = osm.travel_times_from("萍乡", roads=G, network=net, cutoff=expected["rail"] - 1)
    assert 4 not in cut.index and cut.max() <= expected["rail"] - 1
    assert set(cut.index) < set(times.index)


def test_stations_too_far_from_roads_are_left_out(make_folder: MakeFolder, tmp_path: Path) -> None:
    net = pxnet.load_network(make_folder())
    G = corridor(tmp_path, shift=-0.05)  # 萍乡北 ≈ 5 km from the roads: no rail access
    with pytest.warns(osm.SnapWarning, match="pingxiang_north"):
        options = osm.door_to_door_options("萍乡", 4, roads=G, network=net)
    assert options["option"].tolist() == ["drive"]
    assert math.isfinite(options.attrs["minutes"])


def test_same_results_on_a_reloaded_graph(make_folder: MakeFolder, tmp_path: Path) -> None:
    net = pxnet.load_network(make_folder())
    G = corridor(tmp_path)
    H = osm.load_roads(osm.save_roads(G, tmp_path / "c.graphml"))
    a = osm.travel_times_from("萍乡", roads=G, network=net)
    b = osm.travel_times_from("萍乡", roads=H, network=net)
    pd.testing.assert_series_equal(a.sort_index(), b.sort_index())


def test_snap_distances_are_true_outside_the_corridor():
    """Far from UTM 49N (here Oakland), straight-line snap distances are measured in the graph's local zone."""
    import networkx as nx

    from pxnet.geo import haversine_km
    from pxnet.osm._snap import _index, _project

    G = nx.MultiDiGraph(crs="EPSG:4326")
    G.add_node(1, x=-122.2700, y=37.8000)
    G.add_node(2, x=-122.2600, y=37.8000)
    G.add_edge(1, 2, travel_time=60.0, highway="primary", length=880.0)
    G.add_edge(2, 1, travel_time=60.0, highway="primary", length=880.0)
    road = _index(G)
    assert road.metric_crs == "EPSG:32610"
    point = (-122.2700, 37.8090)  # about 1 km north of node 1
    tree, _ = road.tree(True)
    d, _ = tree.query(_project([point[0]], [point[1]], road)[0])
    expected_m = haversine_km(-122.2700, 37.8000, *point) * 1000
    assert d == pytest.approx(expected_m, rel=0.01)


def _oakland_graph() -> nx.MultiDiGraph:
    """Two road nodes about 880 m apart in Oakland, California: a graph of a region the network does not reach."""
    G = nx.MultiDiGraph(crs="EPSG:4326")
    G.add_node(1, x=-122.2700, y=37.8000)
    G.add_node(2, x=-122.2600, y=37.8000)
    for a, b in ((1, 2), (2, 1)):
        G.add_edge(a, b, travel_time=60.0, highway="primary", length=880.0)
    return G


def test_snap_onto_an_unrelated_graph_warns_that_nothing_snapped(make_folder: MakeFolder) -> None:
    """Every node of the test network lies in Jiangxi/Hunan, outside the Oakland graph: an empty table, said so."""
    net = pxnet.load_network(make_folder())
    with pytest.warns(pxnet.DataWarning, match=r"nothing snapped .* within the road graph's extent .* nodes=") as rec:
        table = osm.snap(net, _oakland_graph())
    assert table.empty and set(table.attrs["outside"]) >= {"pingxiang", "changsha"}
    assert "graph of another region" in str(rec[0].message)


def test_snap_warns_when_every_node_in_reach_was_dropped(make_folder: MakeFolder, tmp_path: Path) -> None:
    """With on_far='drop', dropping the only node asked for leaves nothing: the drop and the empty result are said."""
    net = pxnet.load_network(make_folder())
    G = corridor(tmp_path, shift=-0.005)  # 萍乡北 ≈ 493 m from its road node
    with pytest.warns(osm.SnapWarning), pytest.warns(pxnet.DataWarning, match="farther than max_distance_m"):
        table = osm.snap(net, G, nodes=["pingxiang_north"], max_distance_m=100.0, on_far="drop")
    assert table.empty


def test_road_index_is_a_memo_owned_by_the_graph_and_follows_reweighting() -> None:
    """The index is reused while the graph's compiled form is current, rebuilt after an in-place re-weighting,
    forgotten by clear_cache, and freed with its graph (pxnet._cache policy: owned, keyed, bounded).
    """
    import gc
    import weakref

    from pxnet.osm._snap import _index

    G = _oakland_graph()
    road = _index(G)
    assert _index(G) is road and road.graph is G
    nx.set_edge_attributes(G, 120.0, "travel_time")  # every edge re-weighted in place
    rebuilt = _index(G)
    assert rebuilt is not road and float(rebuilt.compiled.matrix[0, 1]) == 120.0
    pxnet.routing.clear_cache(G)
    assert _index(G) is not rebuilt
    ref = weakref.ref(G)
    del G, road, rebuilt
    gc.collect()
    assert ref() is None  # nothing the memo holds keeps the graph alive
