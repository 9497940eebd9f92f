"""Compile graphs into compressed sparse-row matrices and run scipy's Dijkstra on them.

networkx stays the model users see; this is the fast path underneath. Parallel edges are reduced to
their minimum weight (``nx.to_scipy_sparse_array`` would add them up, which is wrong for routing).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from ..errors import RoutingError

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


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
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    weights = np.asarray(weights, dtype=np.float64)
    if len(weights) and (not np.all(np.isfinite(weights)) or weights.min() < 0):
        raise RoutingError("edge weights must be finite and non-negative")
    order = np.lexsort((weights, cols, rows))
    rows, cols, weights = rows[order], cols[order], weights[order]
    keep = np.ones(len(rows), dtype=bool)
    keep[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    rows, cols, weights = rows[keep], cols[keep], weights[keep]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(indptr, rows + 1, 1)
    np.cumsum(indptr, out=indptr)
    # int32 indices are what csgraph works on natively; they avoid a copy per call.
    index_dtype = np.int32 if n < 2**31 - 1 and len(cols) < 2**31 - 1 else np.int64
    return sp.csr_array((weights, cols.astype(index_dtype), indptr.astype(index_dtype)), shape=(n, n))


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

    def __post_init__(self) -> None:
        self.index = {node: i for i, node in enumerate(self.nodes)}
        # Keys as an array, so results for many nodes are labelled by fancy indexing, not a Python loop.
        keys = np.fromiter(self.nodes, dtype=object, count=len(self.nodes))
        if len(keys) and all(type(k) is int for k in self.nodes):
            keys = keys.astype(np.int64)
        self.node_array: npt.NDArray[Any] = keys

    def indices(self, keys: Iterable[Hashable]) -> list[int]:
        """Matrix indices of node keys; raises :class:`RoutingError` naming the first unknown key."""
        out = []
        for key in keys:
            try:
                out.append(self.index[key])
            except (KeyError, TypeError):
                raise RoutingError(f"node {key!r} is not in the graph") from None
        return out

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


_CACHE: dict[tuple[int, str], tuple[nx.Graph, CompiledGraph]] = {}


def cached_compile(graph: nx.Graph, *, weight: str = "travel_time") -> CompiledGraph:
    """:func:`compile_graph`, remembered for the last few graphs (by identity, while their size is unchanged).

    A graph changed in place without changing its number of nodes must be compiled afresh with
    :func:`compile_graph`.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.path_graph(3, create_using=nx.MultiDiGraph)
    >>> nx.set_edge_attributes(G, 1.0, "travel_time")
    >>> cached_compile(G) is cached_compile(G)
    True
    """
    key = (id(graph), weight)
    hit = _CACHE.get(key)
    # The graph itself is held in the cache so that its id cannot be reused while cached.
    if hit is not None and hit[0] is graph and hit[1].matrix.shape[0] == graph.number_of_nodes():
        return hit[1]
    compiled = compile_graph(graph, weight=weight)
    if len(_CACHE) >= 8:
        _CACHE.clear()
    _CACHE[key] = (graph, compiled)
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
    nodes = list(graph.nodes)
    index = {node: i for i, node in enumerate(nodes)}
    m = graph.number_of_edges()
    rows = np.empty(m, dtype=np.int64)
    cols = np.empty(m, dtype=np.int64)
    weights = np.empty(m, dtype=np.float64)
    for i, (u, v, w) in enumerate(graph.edges(data=weight)):
        if w is None:
            raise RoutingError(f"edge {u!r} -> {v!r} has no {weight!r} attribute")
        rows[i], cols[i], weights[i] = index[u], index[v], w
    if not graph.is_directed():
        rows, cols = np.concatenate([rows, cols]), np.concatenate([cols, rows])
        weights = np.concatenate([weights, weights])
    return CompiledGraph(csr_from_edges(len(nodes), rows, cols, weights), nodes)
