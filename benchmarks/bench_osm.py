"""OSM roads benchmark: load and prepare a large synthetic extract, then a 60-minute one-to-all on it.

Run: ``.venv/bin/python benchmarks/bench_osm.py [--side 710] [--ego-origins 2]``

The synthetic extract is a jittered grid written as **OSM XML** (so the real loading path is timed: osmnx's
XML parser, pxnet's way filter and speeds, osmnx's simplification): side² nodes (504,100 by default), blocks of
~200 m, each grid line cut into ways of 10 blocks. Classes: every 50th line a ``trunk`` tagged
``maxspeed=80 km/h``, every 10th a ``primary`` tagged ``maxspeed=60``, every 5th a ``secondary`` tagged
``CN:urban``, the rest ``residential`` without ``maxspeed``; every 7th residential line one-way.

Timed in one process: writing the XML (not part of loading), ``pxnet.osm.load_roads`` broken down into
parsing and preparing, saving and re-loading the prepared GraphML, compiling (first ``pxnet.one_to_all``),
then from the centre node a 60-minute isochrone-style one-to-all:
``pxnet.one_to_all(node, network=G, cutoff=60)``, ``pxnet.osm.travel_times_from(node, roads=G, rail=False,
cutoff=60)``, networkx's ``single_source_dijkstra_path_length(cutoff=3600)`` and the osmnx-tutorial approach
``nx.ego_graph(G, node, radius=3600, distance="travel_time")``.
"""

from __future__ import annotations

import argparse
import platform
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import osmnx as ox
import scipy

import pxnet
from pxnet import osm
from pxnet.osm import add_speeds


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def best_of(fn: Callable[[], Any], repeat: int = 3) -> float:
    return min(timed(fn)[0] for _ in range(repeat))


def line_tags(i: int) -> dict[str, str]:
    if i % 50 == 0:
        return {"highway": "trunk", "maxspeed": "80 km/h"}
    if i % 10 == 0:
        return {"highway": "primary", "maxspeed": "60"}
    if i % 5 == 0:
        return {"highway": "secondary", "maxspeed": "CN:urban"}
    if i % 7 == 0:
        return {"highway": "residential", "oneway": "yes"}
    return {"highway": "residential"}


def write_grid(path: Path, side: int, seed: int = 1) -> tuple[int, int]:
    """Write a jittered side × side grid as OSM XML; return (nodes, ways)."""
    rng = np.random.default_rng(seed)
    n = side * side
    ids = np.arange(n)
    lon = (ids % side) * 0.002 + rng.uniform(-0.0004, 0.0004, n) + 113.0
    lat = (ids // side) * 0.0018 + rng.uniform(-0.0004, 0.0004, n) + 27.0
    nodes = {int(i) + 1: (float(lon[i]), float(lat[i])) for i in ids}
    ways: dict[int, tuple[list[int], dict[str, str]]] = {}
    for i in range(side):
        tags = line_tags(i)
        row = [i * side + j + 1 for j in range(side)]
        col = [j * side + i + 1 for j in range(side)]
        for line in (row, col):
            for start in range(0, side - 1, 10):
                ways[len(ways) + 1] = (line[start : start + 11], tags)
    osm.write_osm_xml(path, nodes, ways)
    return n, len(ways)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=710, help="grid side (side² nodes; 710 → 504,100)")
    parser.add_argument("--ego-origins", type=int, default=2, help="networkx ego_graph runs (each is slow)")
    parser.add_argument("--save", action="store_true", help="also time saving/re-loading GraphML and GeoPackage")
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, Python {platform.python_version()}, osmnx {ox.__version__}, "
        f"networkx {nx.__version__}, scipy {scipy.__version__}, numpy {np.__version__}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        xml = Path(tmp) / "grid.osm"
        t_write, (n_nodes, n_ways) = timed(lambda: write_grid(xml, args.side))
        print(f"wrote {n_nodes:,} nodes, {n_ways:,} ways, {xml.stat().st_size / 1e6:.0f} MB XML in {t_write:.1f} s")

        # Loading, broken down: osmnx's parse alone, then the whole of load_roads.
        t_parse, raw = timed(lambda: ox.graph_from_xml(xml, simplify=False, retain_all=True))
        t_speeds = timed(lambda: add_speeds(raw))[0]
        t_ox_speeds = timed(
            lambda: ox.routing.add_edge_travel_times(
                ox.routing.add_edge_speeds(raw, hwy_speeds=osm.DEFAULT_SPEEDS_KPH)  # type: ignore[arg-type]
            )
        )[0]
        raw = nx.MultiDiGraph()  # free it before loading again
        t_load, G = timed(lambda: osm.load_roads(xml))
        print(f"prepared graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges")
        saved: list[tuple[str, float]] = []
        for suffix in (".graphml", ".gpkg") if args.save else ():
            path = Path(tmp) / f"grid{suffix}"
            saved.append((f"save_roads {suffix}", timed(lambda p=path: osm.save_roads(G, p))[0]))
            saved.append((f"load_roads {suffix} (prepared)", timed(lambda p=path: osm.load_roads(p))[0]))

        centre = min(G.nodes, key=lambda k: abs(k - (n_nodes // 2 + args.side // 2)))
        t_first, _ = timed(lambda: pxnet.one_to_all(centre, network=G, cutoff=60))
        t_px = best_of(lambda: pxnet.one_to_all(centre, network=G, cutoff=60))
        reached = len(pxnet.one_to_all(centre, network=G, cutoff=60))
        osm.travel_times_from(centre, roads=G, rail=False, cutoff=60)  # builds the snapping index once
        t_osm = best_of(lambda: osm.travel_times_from(centre, roads=G, rail=False, cutoff=60))
        t_nx = best_of(
            lambda: nx.single_source_dijkstra_path_length(G, centre, cutoff=3600, weight="travel_time"),
            repeat=args.ego_origins,
        )
        t_ego = best_of(lambda: nx.ego_graph(G, centre, radius=3600, distance="travel_time"), repeat=args.ego_origins)
        check = nx.single_source_dijkstra_path_length(G, centre, cutoff=3600, weight="travel_time")
        assert len(check) == reached, (len(check), reached)

    print()
    print("| step | seconds |")
    print("|---|---|")
    print(f"| osmnx graph_from_xml (parse only, unsimplified) | {t_parse:.1f} |")
    print(f"| pxnet add_speeds on the parsed graph | {t_speeds:.1f} |")
    print(f"| (osmnx add_edge_speeds + add_edge_travel_times, same graph) | {t_ox_speeds:.1f} |")
    print(f"| pxnet.osm.load_roads (parse, filter, speeds, largest piece, simplify) | {t_load:.1f} |")
    for name, t in saved:
        print(f"| {name} | {t:.1f} |")
    print(f"| first pxnet.one_to_all (compiles the graph) | {t_first:.1f} |")
    print()
    print(f"60-minute one-to-all from node {centre}: {reached:,} nodes reached")
    print("| method | ms | × pxnet |")
    print("|---|---|---|")
    for name, t in [
        ("pxnet.one_to_all(cutoff=60)", t_px),
        ("pxnet.osm.travel_times_from(rail=False, cutoff=60)", t_osm),
        ("nx.single_source_dijkstra_path_length(cutoff=3600)", t_nx),
        ('nx.ego_graph(radius=3600, distance="travel_time")', t_ego),
    ]:
        print(f"| {name} | {t * 1000:,.1f} | {t / t_px:,.1f} |")


if __name__ == "__main__":
    main()
