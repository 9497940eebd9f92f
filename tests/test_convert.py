"""GeoPackage and GraphML exports, written atomically."""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import osmnx as ox
import pyogrio
import pytest

import pxnet
from pxnet import ExportError
from pxnet.convert import to_networkx


@pytest.fixture
def net(folder):
    return pxnet.load_network(folder)


def test_geopackage_layers(net, tmp_path):
    out = pxnet.to_geopackage(net, tmp_path / "net.gpkg")
    assert sorted(name for name, _ in pyogrio.list_layers(out)) == ["links", "nodes"]
    links = gpd.read_file(out, layer="links")
    assert len(links) == 5 and links.crs.to_epsg() == 4326
    assert set(links["source"]) >= {"estimate: straight line 6.7 km x 1.2"}
    nodes = gpd.read_file(out, layer="nodes")
    assert nodes.set_index("id").at["pingxiang_north", "name_zh"] == "萍乡北"


def test_scenario_geopackage_has_scenario_links_only(net, tmp_path):
    sc = pxnet.get_scenario(2013, network=net)
    links = gpd.read_file(pxnet.to_geopackage(sc, tmp_path / "sc.gpkg"), layer="links")
    assert "hk_pxn_css" not in set(links["id"]) and "time_min" in links.columns


def test_graphml_round_trip(net, tmp_path):
    """osmnx reads a pxnet graph back keyed by the node ids, every attribute with its type (but the edge ``id``,
    which osmnx's reader drops: networkx's keeps it)."""
    G = pxnet.get_scenario(2020, network=net).graph()
    out = pxnet.to_graphml(G, tmp_path / "g.graphml")
    H = ox.load_graphml(out, node_dtypes={"osmid": str, "population": int})
    assert set(H.nodes) == set(G.nodes) and set(H.edges(keys=True)) == set(G.edges(keys=True))
    assert all(H.nodes[n] == data for n, data in G.nodes(data=True))
    assert all(H.edges[e] == {k: v for k, v in G.edges[e].items() if k != "id"} for e in G.edges(keys=True))
    assert H.graph == G.graph
    ids = nx.read_graphml(out, force_multigraph=True)
    assert sorted(d["id"] for *_, d in ids.edges(data=True)) == sorted(d["id"] for *_, d in G.edges(data=True))
    edge = H.get_edge_data("pingxiang_north", "changsha_south")[0]
    assert edge["travel_time"] == pytest.approx(105 / 300 * 3600) and edge["mode"] == "hsr"  # 105 km at 300 km/h
    nodes = ox.convert.graph_to_gdfs(H, edges=False)
    assert nodes.index.name == "osmid" and "pingxiang_north" in nodes.index


def test_graph_nodes_are_keyed_by_id(net):
    G = to_networkx(pxnet.get_scenario(2020, network=net))
    assert G.nodes["pingxiang_north"]["name_zh"] == "萍乡北"
    assert all(key == data["id"] for key, data in G.nodes(data=True))
    assert set(G.nodes) <= set(net.nodes.index)
    with pytest.raises(pxnet.ScenarioError, match="did you mean 'hash'"):
        to_networkx(pxnet.get_scenario(2020, network=net), node_keys="hsah")


def test_integer_keys_stay_reachable_for_one_release_with_a_warning(net):
    sc = pxnet.get_scenario(2020, network=net)
    with pytest.warns(FutureWarning, match="node_keys='hash'") as record:
        old = to_networkx(sc, node_keys="hash")
    assert record[0].filename == __file__  # attributed to the caller's line
    new = sc.graph()
    relabel = {key: data["id"] for key, data in old.nodes(data=True)}
    assert all(isinstance(k, int) for k in old.nodes) and len(set(relabel.values())) == len(relabel)
    relabelled = nx.relabel_nodes(old, relabel)
    assert dict(relabelled.nodes(data=True)) == dict(new.nodes(data=True))
    assert dict(relabelled.edges.items()) == dict(new.edges.items())
    assert "integer keys" in old.graph["node_ids"] and "text ids" in new.graph["node_ids"]
    with pytest.warns(DeprecationWarning, match=r"Network\.key\(name\) is deprecated.*resolve") as record:
        key = net.key("萍乡北")
    assert record[0].filename == __file__
    assert old.nodes[key]["id"] == "pingxiang_north"
    with pytest.warns(DeprecationWarning, match="node_keys is deprecated"):
        keys = net.node_keys
    assert keys["pingxiang_north"] == key


def test_routing_on_the_graph_gives_the_same_times_with_either_keys(net):
    """Times over the id-keyed graph equal those over the old integer-keyed one (both computed by pxnet)."""
    sc = pxnet.get_scenario(2020, network=net)
    new = sc.graph()
    with pytest.warns(FutureWarning):
        old = sc.graph(node_keys="hash")
    key = {data["id"]: k for k, data in old.nodes(data=True)}
    places = ["pingxiang", "pingxiang_north", "changsha_south", "changsha", "yichun_station"]
    places = [p for p in places if p in new]
    assert len(places) >= 4
    by_id = pxnet.skim(places, places, network=new)
    by_int = pxnet.skim([key[p] for p in places], [key[p] for p in places], network=old)
    assert by_id.to_numpy().tolist() == by_int.to_numpy().tolist()
    assert pxnet.travel_time("pingxiang", "changsha", network=new) == by_int.iloc[0, 3]
    reach = pxnet.isochrones("pingxiang", bands=(30,), network=new)
    assert len(reach) == 1


def test_failed_write_keeps_previous_file(net, tmp_path, monkeypatch):
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "net.gpkg"
    pxnet.to_geopackage(net, target)
    before = target.read_bytes()

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(gpd.GeoDataFrame, "to_file", boom)
    with pytest.raises(ExportError, match="disk full") as info:
        pxnet.to_geopackage(net, target)
    assert isinstance(info.value, OSError)
    assert target.read_bytes() == before
    assert [p.name for p in target.parent.iterdir()] == ["net.gpkg"]  # no temporary file left


def test_write_into_missing_folder(net, tmp_path):
    with pytest.raises(ExportError, match="does not exist"):
        pxnet.to_geopackage(net, tmp_path / "nope" / "net.gpkg")


def test_geopackage_layers_have_no_stray_index_column(tmp_path):
    import pyogrio

    out = pxnet.to_geopackage(pxnet.load_network(), tmp_path / "net.gpkg")
    for layer in ("nodes", "links"):
        fields = list(pyogrio.read_info(out, layer=layer)["fields"])
        assert "index" not in fields and fields[0] == "id", (layer, fields)


def test_a_killed_write_leaves_no_debris_for_long(tmp_path):
    import subprocess
    import sys

    # A writer killed mid-write: its temporary GeoPackage and SQLite journal stay behind, named with its pid.
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    for name in (f".net.gpkg.pxnet-tmp-{pid}-abc.gpkg", f".net.gpkg.pxnet-tmp-{pid}-abc.gpkg-journal"):
        (tmp_path / name).write_text("partial")
    (tmp_path / "other.txt").write_text("kept")
    pxnet.to_geopackage(pxnet.load_network(), tmp_path / "net.gpkg")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.gpkg", "other.txt"]
