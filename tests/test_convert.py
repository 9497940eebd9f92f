"""GeoPackage and GraphML exports, written atomically."""

from __future__ import annotations

import geopandas as gpd
import osmnx as ox
import pyogrio
import pytest

import pxnet
from pxnet import ExportError


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
    G = pxnet.get_scenario(2020, network=net).graph()
    out = pxnet.to_graphml(G, tmp_path / "g.graphml")
    H = ox.load_graphml(out)
    assert H.number_of_edges() == G.number_of_edges()
    edge = H.get_edge_data(net.key("pingxiang_north"), net.key("changsha_south"))[0]
    assert edge["travel_time"] == pytest.approx(1260) and edge["mode"] == "hsr"


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
