"""Compile graphs into compressed sparse-row matrices and run scipy's Dijkstra on them.

networkx stays the model users see; this is the fast path underneath. Parallel edges are reduced to
their minimum weight (``nx.to_scipy_sparse_array`` would add them up, which is wrong for routing).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain
from operator import itemgetter
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from ... import _cache
from ...errors import RoutingError

if TYPE_CHECKING:  # scipy and networkx load on first use: `import pxnet` stays fast
    import networkx as nx
    import scipy.sparse as sp

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def is_graph(obj: object) -> bool:
    """Whether ``obj`` is a networkx graph (without importing networkx when no graph can exist yet).

    Examples
    --------
    >>> import networkx as nx
    >>> is_graph(nx.Graph()), is_graph(None)
    (True, False)
    """
    import sys

    nx = sys.modules.get("networkx")
    return nx is not None and isinstance(obj, nx.Graph)


def csr_from_edges(n: int, rows: IntArray, cols: IntArray, weights: FloatArray) -> sp.csr_array:
    """Build an ``n × n`` CSR matrix keeping the minimum weight of parallel edges.

    Explicit zero weights stay edges (scipy's csgraph treats stored zeros in sparse input as edges).

    Examples
    --------
    >>> import numpy as np
    >>> m = csr_from_edges(2, np.array([0, 0]), np.array([1, 1]), np.array([5.0, 3.0]))
    >>> float(m[0, 1]), m.nnz
    (3.0, 1)
    """
    return csr_with_order(n, rows, cols, weights)[0]


def csr_with_order(n: int, rows: IntArray, cols: IntArray, weights: FloatArray) -> tuple[sp.csr_array, IntArray]:
    """:func:`csr_from_edges`, and for each stored entry the position of the input edge it keeps.

    Among parallel edges of equal weight the first given is kept.
    """
    import scipy.sparse as sp

    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    weights = np.asarray(weights, dtype=np.float64)
    if len(weights) and (not np.all(np.isfinite(weights)) or weights.min() < 0):
        raise RoutingError("edge weights must be finite and non-negative")
    order = np.lexsort((weights, cols, rows))
    rows, cols, weights = rows[order], cols[order], weights[order]
    keep = np.ones(len(rows), dtype=bool)
    keep[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    rows, cols, weights, order = rows[keep], cols[keep], weights[keep], order[keep]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, rows + 1, 1)
    np.cumsum(indptr, out=indptr)
    # int32 indices are what csgraph works on natively; they avoid a copy per call.
    index_dtype = np.int32 if n < 2**31 - 1 and len(cols) < 2**31 - 1 else np.int64
    matrix = sp.csr_array((weights, cols.astype(index_dtype), indptr.astype(index_dtype)), shape=(n, n))
    return matrix, order


def key_index(keys: Sequence[Hashable], *, name: str | None = None) -> pd.Index:
    """``pd.Index(keys, name=name)``, built from an int64 array when every key is a Python int.

    pandas infers an index's type element by element (about 0.1 µs a key); osmnx node keys are ints, and a
    skim to every node of a 90k-node graph spent more on its column labels than on assembling the matrix.
    The result equals ``pd.Index(keys, name=name)`` in values and dtype.

    Examples
    --------
    >>> key_index([3, 1, 2], name="node").equals(pd.Index([3, 1, 2]))
    True
    >>> key_index(["a", 1]).dtype
    dtype('O')
    """
    if len(keys) > 1000 and set(map(type, keys)) == {int}:
        try:
            return pd.Index(np.fromiter(keys, dtype=np.int64, count=len(keys)), name=name)
        except OverflowError:  # beyond int64: let pandas choose
            pass
    return pd.Index(keys, name=name)


@dataclass
class CompiledGraph:
    """A graph as a CSR matrix plus the mapping between node keys and matrix indices.

    Parameters
    ----------
    matrix
        ``n × n`` CSR matrix of edge weights (minimum over parallel edges).
    nodes
        Node key of each matrix index.
    """

    matrix: sp.csr_array
    nodes: list[Hashable]
    _reversed: CompiledGraph | None = field(default=None, repr=False, compare=False)

    @cached_property
    def content_key(self) -> bytes:
        """Fingerprint of the matrix's structure and weights, hashed once (about 8 ms at 100k nodes).

        What results computed from the matrix alone (a contraction hierarchy) are remembered under.
        """
        m = self.matrix
        return _cache.fingerprint(np.asarray(m.indptr), np.asarray(m.indices), np.asarray(m.data))

    @cached_property
    def index(self) -> dict[Hashable, int]:
        """Matrix index of each node key."""
        return {node: i for i, node in enumerate(self.nodes)}

    @cached_property
    def node_array(self) -> npt.NDArray[Any]:
        """Node keys as an array, so results for many nodes are labelled by fancy indexing, not a loop."""
        keys = np.fromiter(self.nodes, dtype=object, count=len(self.nodes))
        if len(keys) and all(type(k) is int for k in self.nodes):
            keys = keys.astype(np.int64)
        return keys

    def reversed(self) -> CompiledGraph:
        """Return the graph with every edge turned round (made once, kept with this graph)."""
        if self._reversed is None:
            import scipy.sparse as sp

            self._reversed = CompiledGraph(sp.csr_array(self.matrix.T), self.nodes)
        return self._reversed

    def indices(self, keys: Iterable[Hashable]) -> list[int]:
        """Matrix indices of node keys; raises :class:`RoutingError` naming the first unknown key.

        The lookups run in C (``map`` over the dict's ``__getitem__``), with the dict's own key equality.
        """
        keys = keys if isinstance(keys, list | tuple) else list(keys)
        try:
            return list(map(self.index.__getitem__, keys))
        except (KeyError, TypeError):
            for key in keys:
                try:
                    self.index[key]
                except (KeyError, TypeError):
                    raise RoutingError(f"node {key!r} is not in the graph") from None
            raise

    def series_from(self, keys: Sequence[Hashable], *, cutoff: float | None = None, scale: float = 1.0) -> pd.Series:
        """Distance from the nearest of ``keys`` to every node reached within ``cutoff``, divided by ``scale``.

        ``cutoff`` is in the weight's units; the result is labelled by node key and named ``minutes``.
        """
        dist, _ = self.distances(self.indices(keys), cutoff=cutoff, min_only=True)
        reached = np.flatnonzero(np.isfinite(dist))
        return pd.Series(dist[reached] / scale, index=pd.Index(self.node_array[reached]), name="minutes")

    def distances(
        self,
        sources: Sequence[int],
        *,
        cutoff: float | None = None,
        min_only: bool = False,
        predecessors: bool = False,
    ) -> tuple[FloatArray, IntArray | None]:
        """Shortest distances from matrix indices ``sources`` (``inf`` where unreachable or beyond cutoff).

        Returns a ``len(sources) × n`` array (or ``n`` with ``min_only``) and, optionally, predecessors.
        """
        from scipy.sparse.csgraph import dijkstra

        limit = np.inf if cutoff is None else float(cutoff)
        if predecessors:
            result = dijkstra(
                self.matrix,
                directed=True,
                indices=list(sources),
                limit=limit,
                min_only=min_only,
                return_predecessors=True,
            )
            return np.asarray(result[0]), np.asarray(result[1])
        dist = dijkstra(self.matrix, directed=True, indices=list(sources), limit=limit, min_only=min_only)
        return np.asarray(dist), None


#: Edges whose weights a graph's fingerprint samples (evenly spaced, so a whole-graph re-weighting shows).
FINGERPRINT_EDGES = 512


@dataclass(frozen=True)
class GraphFingerprint:
    """What :func:`cached_compile` checks before reusing a compiled graph: the node count and a sample of edges.

    The sample holds each sampled edge's attribute dict (by identity) and its weight then. An in-place edit
    that re-weights the graph (osmnx ``add_edge_speeds``/``add_edge_travel_times``, :func:`pxnet.osm.prepare_roads`),
    adds or removes nodes, or replaces the sampled edges is seen; after editing a few edges by hand call
    :func:`pxnet.routing.clear_cache` with the graph.
    """

    nodes: int
    edges: tuple[tuple[dict[str, Any], Any], ...]

    def holds(self, graph: nx.Graph, weight: str) -> bool:
        """Whether the graph still looks as it did when compiled."""
        if graph.number_of_nodes() != self.nodes:
            return False
        return all(data.get(weight) == value for data, value in self.edges)


def cached_compile(graph: nx.Graph, *, weight: str = "travel_time") -> CompiledGraph:
    """:func:`compile_graph`, remembered with the graph (see :mod:`pxnet._cache`) while its fingerprint holds.

    The memo belongs to the graph (freed with it) and is checked against a :class:`GraphFingerprint` on every
    use, so re-weighting a graph in place is answered afresh.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(3, create_using=nx.MultiDiGraph)
    >>> nx.set_edge_attributes(G, 1.0, "travel_time")
    >>> cached_compile(G) is cached_compile(G)
    True
    >>> nx.set_edge_attributes(G, 2.0, "travel_time")  # edited in place: compiled afresh
    >>> float(cached_compile(G).matrix[0, 1])
    2.0
    """
    store = _cache.memo(graph, "compiled", maxsize=4)
    hit = store.peek(weight)
    if hit is not None and hit[0].holds(graph, weight):
        cached: CompiledGraph = hit[1]
        return cached
    compiled, fp = _compile(graph, weight)
    store.put(weight, (fp, compiled))
    return compiled


def compile_graph(graph: nx.MultiDiGraph | nx.DiGraph | nx.Graph, *, weight: str = "travel_time") -> CompiledGraph:
    """Compile a networkx graph (e.g. an osmnx road graph) into a :class:`CompiledGraph`.

    Parameters
    ----------
    graph
        Any networkx graph; undirected graphs are traversed both ways.
    weight
        Edge attribute to minimise (``travel_time`` in seconds for osmnx graphs).

    Raises
    ------
    RoutingError
        If an edge lacks the weight or has a negative one.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("a", "b", travel_time=5.0)
    0
    >>> G.add_edge("a", "b", travel_time=3.0)
    1
    >>> float(compile_graph(G).matrix[0, 1])
    3.0
    """
    return _compile(graph, weight)[0]


def _compile(graph: nx.Graph, weight: str) -> tuple[CompiledGraph, GraphFingerprint]:
    fast = _compile_adjacency(graph, weight)
    return fast if fast is not None else _compile_edges(graph, weight)


def _compile_adjacency(graph: nx.Graph, weight: str) -> tuple[CompiledGraph, GraphFingerprint] | None:
    """Compile from networkx's adjacency dicts with C-level iteration: no Python loop over edges.

    networkx keeps ``graph._adj[u][v]`` as the edge's attribute dict (``[u][v][key]`` in multigraphs), in
    insertion order, the order of ``graph.edges``; an undirected graph holds each edge under both ends. Each
    (u, v) pair appears once per ``u``, so parallel edges are neighbours in the flat list and their minimum is
    one ``reduceat``, with no sort. Returns ``None`` (use :func:`_compile_edges`) for graph views, whose
    adjacency is not plain dicts, and for an edge without a numeric weight, which that path names.
    """
    adj = getattr(graph, "_adj", None)
    node_data = getattr(graph, "_node", None)
    if type(adj) is not dict or type(node_data) is not dict:
        return None
    nodes = list(node_data)
    n = len(nodes)
    index = dict(zip(nodes, range(n), strict=True))
    multi = graph.is_multigraph()
    try:
        neighbours: list[dict[Hashable, Any]] = list(adj.values())
        per_node = np.fromiter(map(len, neighbours), dtype=np.int64, count=n)
        cols = np.fromiter(map(index.__getitem__, chain.from_iterable(neighbours)), dtype=np.int64)
        values = chain.from_iterable(map(dict.values, neighbours))
        data = chain.from_iterable(map(dict.values, values)) if multi else values
        weights = np.fromiter(map(itemgetter(weight), data), dtype=np.float64)
    except (TypeError, KeyError, ValueError):  # non-dict mappings, a stray neighbour, or an edge without a weight
        return None  # the edge-by-edge path handles the first two and names the edge in the last
    if len(weights) and (not np.all(np.isfinite(weights)) or weights.min() < 0):
        raise RoutingError("edge weights must be finite and non-negative")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(per_node, out=indptr[1:])
    edge_starts = None
    if len(weights) != len(cols):  # parallel edges (key dicts are never empty): the minimum of each pair's run
        per_pair = np.fromiter(map(len, chain.from_iterable(map(dict.values, neighbours))), dtype=np.int64)
        edge_starts = np.zeros(len(per_pair), dtype=np.int64)
        np.cumsum(per_pair[:-1], out=edge_starts[1:])
        weights_kept = np.minimum.reduceat(weights, edge_starts)
    else:
        weights_kept = weights
    compiled = CompiledGraph(_csr_matrix(n, weights_kept, cols, indptr), nodes)
    compiled.index = index  # already built: spare the cached property the work
    sample = _sample_positions(len(weights))
    fp = GraphFingerprint(
        n, tuple((d, d.get(weight)) for d in _edges_at(neighbours, indptr, edge_starts, sample, multi=multi))
    )
    return compiled, fp


def _edges_at(
    neighbours: list[dict[Hashable, Any]],
    indptr: IntArray,
    edge_starts: IntArray | None,
    positions: IntArray,
    *,
    multi: bool,
) -> list[dict[str, Any]]:
    """Return the attribute dicts of the edges at ``positions`` of the flat adjacency order (the fingerprint's).

    ``edge_starts`` is the first edge position of each (u, v) pair of a multigraph with parallel edges; ``None``
    when pairs and edges correspond one to one. ``multi``: the values are key dicts. Each sampled row's values
    are listed once.
    """
    if edge_starts is None:
        pairs, within = positions, np.zeros(len(positions), dtype=np.int64)
    else:
        pairs = np.searchsorted(edge_starts, positions, side="right") - 1
        within = positions - edge_starts[pairs]
    rows = np.searchsorted(indptr, pairs, side="right") - 1
    listed: dict[int, list[Any]] = {}
    out = []
    for row, pair, k in zip(rows.tolist(), pairs.tolist(), within.tolist(), strict=True):
        if row not in listed:
            listed[row] = list(neighbours[row].values())
        value = listed[row][pair - int(indptr[row])]
        out.append(list(value.values())[k] if multi else value)
    return out


def _sample_positions(m: int) -> IntArray:
    """Evenly spaced edge positions for :class:`GraphFingerprint`."""
    if not m:
        return np.zeros(0, dtype=np.int64)
    return np.unique(np.linspace(0, m - 1, min(m, FINGERPRINT_EDGES)).astype(np.int64))


def _csr_matrix(n: int, weights: FloatArray, cols: IntArray, indptr: IntArray) -> sp.csr_array:
    """Build a CSR matrix in canonical form (sorted columns in each row), as :func:`csr_from_edges` does."""
    import scipy.sparse as sp

    index_dtype = np.int32 if n < 2**31 - 1 and len(cols) < 2**31 - 1 else np.int64
    matrix = sp.csr_array((weights, cols.astype(index_dtype), indptr.astype(index_dtype)), shape=(n, n))
    matrix.sort_indices()
    return matrix


def _compile_edges(graph: nx.Graph, weight: str) -> tuple[CompiledGraph, GraphFingerprint]:
    """Compile edge by edge through ``graph.edges``: any graph or view, and the error naming a bad edge."""
    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    edges = list(graph.edges(data=True))
    m = len(edges)
    weights = np.fromiter((d.get(weight, np.nan) for _, _, d in edges), dtype=np.float64, count=m)
    missing = np.flatnonzero(np.isnan(weights))
    if len(missing) and edges[missing[0]][2].get(weight) is None:
        u, v, _ = edges[missing[0]]
        raise RoutingError(f"edge {u!r} -> {v!r} has no {weight!r} attribute")
    rows = np.fromiter((index[u] for u, _, _ in edges), dtype=np.int64, count=m)
    cols = np.fromiter((index[v] for _, v, _ in edges), dtype=np.int64, count=m)
    if not graph.is_directed():
        rows, cols = np.concatenate([rows, cols]), np.concatenate([cols, rows])
        weights = np.concatenate([weights, weights])
    compiled = CompiledGraph(csr_from_edges(len(nodes), rows, cols, weights), nodes)
    compiled.index = index
    sample = [edges[i][2] for i in _sample_positions(m).tolist()]
    return compiled, GraphFingerprint(len(nodes), tuple((d, d.get(weight)) for d in sample))
