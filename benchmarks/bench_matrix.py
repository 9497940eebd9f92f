"""Skims on road-like graphs: pxnet against raw scipy on the same CSR matrix, in one process (CPU seconds).

Run: ``.venv/bin/python benchmarks/bench_matrix.py [--side 300] [--matrix-side 316] [--repeat 7]``

(a) 5 origins to every node of a ``side``² grid (300 → 90,000 nodes): ``pxnet.skim(origins, list(G.nodes),
    network=G)`` against ``scipy.sparse.csgraph.dijkstra(matrix, indices=origins)``. Target: within 1.2×.
    The pxnet figure is split into its parts (the search, looking up node keys, labelling the frame) so the
    overhead is visible.
(b) 100 × 100 origins and destinations spread over a ``matrix-side``² grid (316 → 99,856 nodes): pairs per
    second of ``pxnet.skim`` against one full scipy search per origin. The first matrix on the graph builds its
    contraction hierarchy (timed with it); later matrices on the same graph use it. pandana is timed when it is
    importable; otherwise its figure for this case (about 32,900 pairs/s after a 37 s contraction-hierarchy
    build, from the issue that set the target) is printed and marked as published.
``--osm FILE`` also checks every pair of an OpenStreetMap extract against scipy (hierarchy distances, one-way
streets and unreachable pairs included).

The graphs are ``bench_routing.road_like_graph`` (a jittered two-way grid, 30–80 km/h).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np
import pandas as pd
from bench_routing import road_like_graph
from scipy.sparse.csgraph import dijkstra

import pxnet
import pxnet.osm
from pxnet.routing import cached_compile
from pxnet.routing.graph import build_hierarchy

PANDANA_PAIRS_PER_S = 32_900


def best_cpu(fn: Callable[[], Any], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        best = min(best, time.process_time() - t0)
    return best


def bench_all_nodes(side: int, repeat: int) -> None:
    G = road_like_graph(side)
    nodes = list(G.nodes)
    origins = np.random.default_rng(3).choice(len(nodes), 5, replace=False).tolist()
    pxnet.skim(origins, nodes, network=G)  # compile once (cached with the graph)
    compiled = cached_compile(G)
    matrix = compiled.matrix
    frame = pxnet.skim(origins, nodes, network=G)
    assert np.array_equal(frame.to_numpy(), dijkstra(matrix, indices=origins) / 60.0), "pxnet and scipy disagree"
    t_px = best_cpu(lambda: pxnet.skim(origins, nodes, network=G), repeat)
    t_sp = best_cpu(lambda: dijkstra(matrix, indices=origins), repeat)
    t_keys = best_cpu(lambda: compiled.indices(nodes), repeat)
    t_labels = best_cpu(lambda: pd.Index(nodes, name="destination"), repeat)
    print(f"\n(a) 5 origins × all {len(nodes):,} nodes ({matrix.nnz:,} edges), best of {repeat}, CPU ms")
    print("| case | CPU ms | / scipy |")
    print("|---|---|---|")
    for label, t in (
        ("pxnet.skim", t_px),
        ("raw scipy dijkstra", t_sp),
        ("  part of pxnet: node keys to indices", t_keys),
        ("  part of pxnet: column labels, pd.Index(list)", t_labels),
    ):
        print(f"| {label} | {t * 1000:.1f} | {t / t_sp:.2f} |")


def _pandana_pairs_per_s(G: Any, origins: list[int], dests: list[int]) -> str:
    """pandana's pairs per CPU second on the same graph and pairs, or why it was not run."""
    try:
        import pandana
    except ImportError:
        return f"{PANDANA_PAIRS_PER_S:,} (published figure; pandana is not installed here)"
    nodes = pd.DataFrame({"x": [d["x"] for _, d in G.nodes(data=True)], "y": [d["y"] for _, d in G.nodes(data=True)]})
    nodes.index = list(G.nodes)
    edges = nx.to_pandas_edgelist(G)
    t0 = time.process_time()
    net = pandana.Network(nodes["x"], nodes["y"], edges["source"], edges["target"], edges[["travel_time"]], False)
    build = time.process_time() - t0
    o = [o for o in origins for _ in dests]
    d = [d for _ in origins for d in dests]
    t0 = time.process_time()
    net.shortest_path_lengths(o, d, imp_name="travel_time")
    query = time.process_time() - t0
    return f"{len(o) / query:,.0f} (measured here; build {build:.1f} CPU s)"


def bench_spread_matrix(side: int, repeat: int) -> None:
    G = road_like_graph(side)
    nodes = list(G.nodes)
    rng = np.random.default_rng(7)
    origins = rng.choice(len(nodes), 100, replace=False).tolist()
    dests = rng.choice(len(nodes), 100, replace=False).tolist()
    warm = road_like_graph(12)  # numba compiles (or loads) the hierarchy's kernels on a small graph first
    build_hierarchy(cached_compile(warm).matrix).matrix(np.arange(3), np.arange(3))
    pxnet.skim(origins[:1], dests[:1], network=G)  # compile once
    matrix = cached_compile(G).matrix
    t0 = time.process_time()
    frame = pxnet.skim(origins, dests, network=G)  # 100 searches' worth: the hierarchy is built and used
    t_first = time.process_time() - t0
    t0 = time.process_time()
    ref = dijkstra(matrix, indices=origins)[:, dests] / 60.0
    t_sp = time.process_time() - t0
    assert np.allclose(frame.to_numpy(), ref, rtol=1e-12, atol=0), "pxnet and scipy disagree"
    assert np.array_equal(np.isinf(frame.to_numpy()), np.isinf(ref))
    hierarchy = build_hierarchy(matrix)
    # later matrices on the same graph: other pairs, the cached hierarchy
    pairs_sets = [
        (rng.choice(len(nodes), 100, replace=False).tolist(), rng.choice(len(nodes), 100, replace=False).tolist())
        for _ in range(repeat)
    ]
    times = []
    for o, d in pairs_sets:
        t0 = time.process_time()
        later = pxnet.skim(o, d, network=G)
        times.append(time.process_time() - t0)
        check = dijkstra(matrix, indices=o[:5])[:, d] / 60.0
        assert np.allclose(later.to_numpy()[:5], check, rtol=1e-12, atol=0), "pxnet and scipy disagree"
    t_px = min(times)
    pairs = len(origins) * len(dests)
    print(f"\n(b) 100 × 100 spread over {len(nodes):,} nodes ({matrix.nnz:,} edges), pairs per CPU second")
    print(
        f"hierarchy: {hierarchy.arcs:,} arcs ({hierarchy.arcs / len(nodes):.1f} a node), "
        f"built in {hierarchy.build_seconds:.2f} CPU s"
    )
    print("| case | pairs/s | CPU s | / pxnet |")
    print("|---|---|---|---|")
    print(
        f"| pxnet.skim, hierarchy cached (best of {repeat} other 100 × 100) | {pairs / t_px:,.0f} | {t_px:.3f} | 1.00 |"
    )
    print(
        f"| pxnet.skim, first matrix on the graph (build included) | {pairs / t_first:,.0f} | {t_first:.2f} "
        f"| {t_first / t_px:.1f} |"
    )
    print(f"| raw scipy, one full search per origin | {pairs / t_sp:,.0f} | {t_sp:.2f} | {t_sp / t_px:.1f} |")
    print(f"| pandana | {_pandana_pairs_per_s(G, origins, dests)} | — | — |")


def check_osm(path: str) -> None:
    """Every pair of an OpenStreetMap extract (e.g. OSMnx's West Oakland test file): hierarchy against scipy."""
    G = pxnet.osm.load_roads(path, simplify=False, retain_all=True)
    matrix = cached_compile(G).matrix
    n = matrix.shape[0]
    got = build_hierarchy(matrix).matrix(np.arange(n), np.arange(n))
    ref = dijkstra(matrix, directed=True)
    finite = np.isfinite(ref)
    same_inf = np.array_equal(np.isinf(got), ~finite)
    worst = float(np.max(np.abs(got[finite] - ref[finite]) / np.maximum(ref[finite], 1e-300)))
    one_way = sum(1 for *_, d in G.edges(data=True) if d.get("oneway"))
    print(f"\n{path}: {n} nodes, {matrix.nnz} edges ({one_way} one way), {int((~finite).sum()):,} unreachable pairs")
    print(
        f"hierarchy vs scipy, all {n * n:,} pairs: same unreachable pairs {same_inf}, "
        f"largest relative difference {worst:.1e}"
    )
    assert same_inf and worst < 1e-12


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--side", type=int, default=300)
    parser.add_argument("--matrix-side", type=int, default=316)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--osm", help="also check every pair of this OpenStreetMap file against scipy")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}")
    bench_all_nodes(args.side, args.repeat)
    bench_spread_matrix(args.matrix_side, args.repeat)
    if args.osm:
        check_osm(args.osm)


if __name__ == "__main__":
    main()
