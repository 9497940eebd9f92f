"""A straightforward reference for timetable routing: networkx Dijkstra on the time-expanded graph.

Shared by the property tests and ``benchmarks/bench_timetable.py``; independent of pxnet's Connection Scan.
Events: each connection's departure and arrival; at each stop a chain of "ready to board" nodes, one per
departure time there. Staying aboard links an arrival to the same trip's next departure; leaving the train waits
the stop's transfer time before joining the chain.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections import defaultdict

import networkx as nx
import numpy as np


def time_expanded(
    dep_stop: np.ndarray,
    arr_stop: np.ndarray,
    dep_time: np.ndarray,
    arr_time: np.ndarray,
    trip: np.ndarray,
    transfer: np.ndarray,
) -> tuple[nx.DiGraph, dict[int, list[tuple[int, int]]]]:
    """The time-expanded graph and, per stop, its chain (sorted (time, connection))."""
    g = nx.DiGraph()
    chains: dict[int, list[tuple[int, int]]] = defaultdict(list)
    by_trip: dict[int, list[int]] = defaultdict(list)
    for c in range(len(dep_time)):
        g.add_edge(("d", c), ("a", c), weight=int(arr_time[c] - dep_time[c]))
        chains[int(dep_stop[c])].append((int(dep_time[c]), c))
        by_trip[int(trip[c])].append(c)
    for _stop, chain in chains.items():
        chain.sort()
        for (t0, c0), (t1, c1) in itertools.pairwise(chain):
            g.add_edge(("w", c0), ("w", c1), weight=t1 - t0)
        for _t, c in chain:
            g.add_edge(("w", c), ("d", c), weight=0)
    for conns in by_trip.values():
        conns.sort(key=lambda c: (dep_time[c], arr_time[c]))
        for c0, c1 in itertools.pairwise(conns):
            g.add_edge(("a", c0), ("d", c1), weight=int(dep_time[c1] - arr_time[c0]))
    for c in range(len(dep_time)):
        v = int(arr_stop[c])
        ready = int(arr_time[c] + transfer[v])
        chain = chains.get(v, [])
        k = bisect.bisect_left(chain, (ready, -1))
        if k < len(chain):
            g.add_edge(("a", c), ("w", chain[k][1]), weight=chain[k][0] - int(arr_time[c]))
    return g, chains


def earliest_reference(
    graph: nx.DiGraph,
    chains: dict[int, list[tuple[int, int]]],
    arr_stop: np.ndarray,
    arr_time: np.ndarray,
    n_stops: int,
    source: int,
    t0: int,
) -> list[float]:
    """Earliest arrival at every stop from ``source`` at ``t0`` (inf: unreachable; the source gets t0)."""
    out = [math.inf] * n_stops
    out[source] = t0
    chain = chains.get(source, [])
    k = bisect.bisect_left(chain, (t0, -1))
    if k == len(chain):
        return out
    start = ("w", chain[k][1])
    dist = nx.single_source_dijkstra_path_length(graph, start, weight="weight")
    base = chain[k][0]
    for node, d in dist.items():
        if node[0] == "a":
            v = int(arr_stop[node[1]])
            out[v] = min(out[v], base + d)
    return out
