"""Compiling an osmnx-style graph to CSR: pxnet against the edge-by-edge compile and networkx, in one process.

Run: ``.venv/bin/python benchmarks/bench_compile.py [--side 710] [--repeat 3]``

The graph is ``bench_routing.road_like_graph`` (a jittered two-way grid, side² nodes; 710 → 504,100 nodes,
2,013,560 edges). Cases, each the best of ``--repeat`` runs, in CPU seconds:

- pxnet: :func:`pxnet.routing.compile_graph` (networkx's adjacency dicts read with C-level iteration);
- edge by edge: the previous compile, kept as ``_compile_edges`` (a loop over ``G.edges(data=True)`` and a
  lexsort), the baseline;
- networkx: ``nx.to_scipy_sparse_array`` (sums parallel edges, so it is a reference for time only; the grid
  has none, so its matrix is checked equal too).

Target: under 1 s CPU for 504k nodes.
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
from bench_routing import road_like_graph

from pxnet.routing import compile_graph
from pxnet.routing.graph import _csr


def best_cpu(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Least CPU seconds of ``repeat`` calls, and the last result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.process_time()
        out = fn()
        best = min(best, time.process_time() - t0)
    return best, out


def same(a: Any, b: Any) -> bool:
    return all(np.array_equal(getattr(a, k), getattr(b, k)) for k in ("indptr", "indices", "data"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--side", type=int, default=710)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    t0 = time.process_time()
    G = road_like_graph(args.side)
    t_build = time.process_time() - t0
    print(
        f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
        f"numpy {np.__version__}, networkx {nx.__version__}"
    )
    print(f"graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges (built in {t_build:.1f} s CPU)")
    t_px, px = best_cpu(lambda: compile_graph(G), args.repeat)
    t_old, old = best_cpu(lambda: _csr._compile_edges(G, "travel_time")[0], args.repeat)
    t_nx, ref = best_cpu(lambda: nx.to_scipy_sparse_array(G, weight="travel_time", format="csr"), args.repeat)
    assert same(px.matrix, old.matrix), "the compiles disagree"
    ref.sort_indices()
    assert same(px.matrix, ref), "networkx disagrees"
    print("| case | CPU s | / pxnet |")
    print("|---|---|---|")
    for label, t in (
        ("pxnet compile_graph", t_px),
        ("edge by edge (previous)", t_old),
        ("nx.to_scipy_sparse_array", t_nx),
    ):
        print(f"| {label} | {t:.3f} | {t / t_px:.1f} |")


if __name__ == "__main__":
    main()
