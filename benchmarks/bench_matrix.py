"""Skims on road-like graphs: pxnet against raw scipy on the same CSR matrix, in one process (CPU seconds).

Run: ``.venv/bin/python benchmarks/bench_matrix.py [--side 300] [--matrix-side 316] [--repeat 7]``

(a) 5 origins to every node of a ``side``² grid (300 → 90,000 nodes): ``pxnet.skim(origins, list(G.nodes),
    network=G)`` against ``scipy.sparse.csgraph.dijkstra(matrix, indices=origins)``. Target: within 1.2×.
    The pxnet figure is split into its parts (the search, looking up node keys, labelling the frame) so the
    overhead is visible.
(b) 100 × 100 origins and destinations spread over a ``matrix-side``² grid (316 → 99,856 nodes): pairs per
    second of ``pxnet.skim`` against one full scipy search per origin. pandana's figure for this case (about
    32,900 pairs/s after a 37 s contraction-hierarchy build, from the issue that set the target) is printed
    for reference; pandana is not installed here.

The graphs are ``bench_routing.road_like_graph`` (a jittered two-way grid, 30–80 km/h).
"""

from __future__ import annotations

import argparse
import os
import platform
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from bench_routing import road_like_graph
from scipy.sparse.csgraph import dijkstra

import pxnet
from pxnet.routing import cached_compile

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


def bench_spread_matrix(side: int) -> None:
    G = road_like_graph(side)
    nodes = list(G.nodes)
    rng = np.random.default_rng(7)
    origins = rng.choice(len(nodes), 100, replace=False).tolist()
    dests = rng.choice(len(nodes), 100, replace=False).tolist()
    pxnet.skim(origins[:1], dests[:1], network=G)  # compile once
    matrix = cached_compile(G).matrix
    t0 = time.process_time()
    frame = pxnet.skim(origins, dests, network=G)
    t_px = time.process_time() - t0
    t0 = time.process_time()
    ref = dijkstra(matrix, indices=origins)[:, dests] / 60.0
    t_sp = time.process_time() - t0
    assert np.allclose(frame.to_numpy(), ref, rtol=1e-12, atol=0), "pxnet and scipy disagree"
    pairs = len(origins) * len(dests)
    print(f"\n(b) 100 × 100 spread over {len(nodes):,} nodes, pairs per CPU second")
    print("| case | pairs/s | CPU s | / pxnet |")
    print("|---|---|---|---|")
    print(f"| pxnet.skim | {pairs / t_px:,.0f} | {t_px:.2f} | 1.00 |")
    print(f"| raw scipy, one full search per origin | {pairs / t_sp:,.0f} | {t_sp:.2f} | {t_sp / t_px:.2f} |")
    print(f"| pandana (published figure, not run here) | {PANDANA_PAIRS_PER_S:,} | — | — |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--side", type=int, default=300)
    parser.add_argument("--matrix-side", type=int, default=316)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}")
    bench_all_nodes(args.side, args.repeat)
    bench_spread_matrix(args.matrix_side)


if __name__ == "__main__":
    main()
