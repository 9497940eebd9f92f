"""The contraction hierarchy for small matrices: the same distances as scipy's Dijkstra, cached with the graph.

The reference is scipy's ``dijkstra`` on the same CSR matrix: an independent implementation (a priority queue over
the original edges). The hierarchy adds the same weights in another order, so answers agree to rounding.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import dijkstra

import pxnet
from pxnet import _cache, osm
from pxnet.routing.graph import Hierarchy, build_hierarchy, cached_compile, csr_from_edges, hierarchy_matrix
from pxnet.routing.graph._hierarchy import BUILD_COST_SEARCHES

pytestmark = pytest.mark.timeout(240)

RTOL = 1e-12


def _assert_same(got: np.ndarray, expected: np.ndarray) -> None:
    """Same unreachable pairs; finite distances equal to a relative 1e-12 (rounding of another summation order)."""
    assert got.shape == expected.shape
    assert np.array_equal(np.isinf(got), np.isinf(expected))
    finite = np.isfinite(expected)
    np.testing.assert_allclose(got[finite], expected[finite], rtol=RTOL, atol=1e-12)


def _grid(side: int, *, seed: int, one_way: float = 0.0) -> nx.MultiDiGraph:
    """A jittered street grid with travel times; ``one_way`` is the share of streets open in one direction only."""
    rng = np.random.default_rng(seed)
    G = nx.MultiDiGraph(crs="EPSG:4326")
    G.add_nodes_from(range(side * side))
    for node in range(side * side):
        for nbr in (node + 1 if (node + 1) % side else None, node + side if node + side < side * side else None):
            if nbr is None:
                continue
            t = float(rng.uniform(5, 60))
            G.add_edge(node, nbr, travel_time=t)
            if rng.random() >= one_way:
                G.add_edge(nbr, node, travel_time=t)
    return G


arcs = st.lists(
    st.tuples(
        st.integers(0, 39),
        st.integers(0, 39),
        st.one_of(st.floats(0, 1000, allow_nan=False), st.sampled_from([0.0, 1.0, 0.1, 0.2, 0.3])),
    ),
    max_size=160,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arcs, st.integers(1, 40))
def test_random_graphs_match_scipy(edges: list[tuple[int, int, float]], n: int) -> None:
    """Random directed graphs with one-way arcs, parallel arcs, loops, zero weights and unreachable pairs."""
    edges = [(u % n, v % n, w) for u, v, w in edges]
    rows = np.array([u for u, _, _ in edges], dtype=np.int64)
    cols = np.array([v for _, v, _ in edges], dtype=np.int64)
    weights = np.array([w for _, _, w in edges], dtype=np.float64)
    matrix = csr_from_edges(n, rows, cols, weights)
    got = build_hierarchy(matrix).matrix(np.arange(n), np.arange(n))
    _assert_same(got, dijkstra(matrix, directed=True))


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.floats(0, 1))
def test_grids_with_one_way_streets_match_scipy(seed: int, one_way: float) -> None:
    """Road-like graphs (where the nested dissection has real separators), some streets one way."""
    matrix = cached_compile(_grid(15, seed=seed, one_way=one_way)).matrix
    rng = np.random.default_rng(seed)
    sources, targets = rng.choice(225, 30, replace=False), rng.choice(225, 40, replace=False)
    got = build_hierarchy(matrix).matrix(sources, targets)
    _assert_same(got, dijkstra(matrix, directed=True, indices=sources)[:, targets])


def test_disconnected_pieces_are_unreachable() -> None:
    """Two grids side by side with no edge between them: every pair across them is ``inf``."""
    G = nx.disjoint_union(_grid(6, seed=1), _grid(5, seed=2, one_way=0.5))
    matrix = cached_compile(G).matrix
    got = build_hierarchy(matrix).matrix(np.arange(61), np.arange(61))
    assert np.isinf(got[:36, 36:]).all() and np.isinf(got[36:, :36]).all()
    _assert_same(got, dijkstra(matrix, directed=True))


def test_osmnx_graph_matches_scipy(tmp_path: Path) -> None:
    """An OpenStreetMap street grid loaded by osmnx, some streets one way (``oneway=yes`` and ``-1``)."""
    rng = np.random.default_rng(5)
    side = 12
    nodes = {
        1 + r * side + c: (113.80 + 0.002 * c + rng.uniform(-3e-4, 3e-4), 27.60 + 0.0018 * r)
        for r in range(side)
        for c in range(side)
    }
    ways: dict[int, tuple[list[int], dict[str, str]]] = {}
    for r in range(side):
        ways[1000 + r] = ([1 + r * side + c for c in range(side)], {"highway": "residential", "oneway": "yes"})
    for c in range(side):
        tags = {"highway": "tertiary"} if c % 3 else {"highway": "primary", "oneway": "-1"}
        ways[2000 + c] = ([1 + r * side + c for r in range(side)], tags)
    G = osm.load_roads(osm.write_osm_xml(tmp_path / "grid.osm", nodes, ways), simplify=False)
    compiled = cached_compile(G)
    matrix = compiled.matrix
    n = matrix.shape[0]
    expected = dijkstra(matrix, directed=True)
    assert np.isinf(expected).any(), "one-way rows leave some pairs unreachable"
    _assert_same(build_hierarchy(matrix).matrix(np.arange(n), np.arange(n)), expected)


def _store(G: nx.Graph) -> list[Hierarchy | None]:
    """The hierarchies the graph's memo holds (``None`` for content still counting its searches)."""
    memo = _cache.memo(G, "hierarchy")
    return [memo.peek(key).hierarchy for key in memo.keys()]  # noqa: SIM118 (a Memo, not a dict)


def test_skim_builds_once_the_searches_pay_and_keeps_it_with_the_graph() -> None:
    """``skim`` on a graph: one-to-all searches until they outweigh a build, then the cached hierarchy."""
    side = 40
    G = _grid(side, seed=3, one_way=0.2)
    n = side * side
    rng = np.random.default_rng(3)
    few = rng.choice(n, BUILD_COST_SEARCHES // 2, replace=False).tolist()
    dests = rng.choice(n, 90, replace=False).tolist()
    matrix = cached_compile(G).matrix

    first = pxnet.skim(few, dests, network=G)
    assert _store(G) == [None]  # half the build's worth of searches: not built yet
    second = pxnet.skim(few[::-1], dests, network=G)  # the count reaches the build's cost: built
    (hierarchy,) = _store(G)
    assert isinstance(hierarchy, Hierarchy)
    for origins, frame in ((few, first), (few[::-1], second)):
        _assert_same(frame.to_numpy() * 60, dijkstra(matrix, directed=True, indices=origins)[:, dests])

    # a cut-off is applied to the hierarchy's exact distances, as a bounded search leaves them
    cut = pxnet.skim(few, dests, network=G, cutoff=3.0)
    expected = dijkstra(matrix, directed=True, indices=few)[:, dests] / 60
    expected[expected > 3.0] = np.inf
    _assert_same(cut.to_numpy(), expected)
    assert _store(G) == [hierarchy]  # the same hierarchy answered

    # re-weighted in place: the compiled content changes, so does the key; the old hierarchy never answers
    nx.set_edge_attributes(
        G, {(u, v, k): d["travel_time"] * 2 for u, v, k, d in G.edges(keys=True, data=True)}, "travel_time"
    )
    doubled = pxnet.skim(few, dests, network=G)
    np.testing.assert_allclose(doubled.to_numpy(), first.to_numpy() * 2, rtol=RTOL)


def test_large_matrices_and_cut_offs_search_one_to_all() -> None:
    """A matrix beyond a sixteenth of the graph, or a first call with a cut-off, builds nothing."""
    G = _grid(12, seed=4)
    compiled = cached_compile(G)
    assert hierarchy_matrix(G, compiled, list(range(20)), [0, 1]) is None
    assert hierarchy_matrix(G, compiled, [0], [1], limit=100.0, build=None) is None
    assert _store(G) == [None]
    got = hierarchy_matrix(G, compiled, [0, 5], [1, 143], build=True)
    assert got is not None
    _assert_same(got, dijkstra(compiled.matrix, indices=[0, 5])[:, [1, 143]])


def test_hierarchy_is_small_on_a_grid() -> None:
    """Nested dissection keeps the shortcuts of a 60 × 60 grid few: fewer than 30 arcs a node.

    A contraction in arbitrary order can approach n² / 2 arcs; George's nested dissection of a grid gives
    O(n log n) fill, about 20 arcs a node at this size with breadth-first separators.
    """
    matrix = cached_compile(_grid(60, seed=6)).matrix
    hierarchy = build_hierarchy(matrix)
    assert hierarchy.arcs < 30 * matrix.shape[0]
    assert sorted(hierarchy.rank.tolist()) == list(range(matrix.shape[0]))


def test_empty_and_single_node_graphs() -> None:
    """Degenerate graphs: no node, and one node with a loop."""
    empty = build_hierarchy(sp.csr_array((0, 0)))
    assert empty.matrix(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)).shape == (0, 0)
    loop = build_hierarchy(sp.csr_array(np.array([[2.0]])))
    assert loop.matrix(np.array([0]), np.array([0])).tolist() == [[0.0]]
