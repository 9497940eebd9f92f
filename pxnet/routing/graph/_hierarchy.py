"""Contraction hierarchies for small matrices on large graphs.

A 100 × 100 matrix spread over a 100k-node road graph costs 100 full Dijkstra searches (each settles most of the
graph). A contraction hierarchy answers it with 200 searches that each visit about a thousand nodes. The
hierarchy here follows customisable contraction hierarchies:

- **Order.** Nested dissection with breadth-first level separators (:func:`_hierarchy_kernels.nested_dissection`):
  road graphs are nearly planar and cut by small separators, the order that keeps shortcuts few.
- **Contraction.** Every node is contracted in that order without witness searches: its higher neighbours are
  joined to each other, a chordal completion, computed through the elimination tree in time proportional to
  the shortcuts.
- **Weights.** Each shortcut takes the minimum over its lower triangles, in rank order, so every arc holds the
  exact shortest-path weight between its ends through lower nodes.

A query walks a node's chain of ancestors in the elimination tree (no priority queue); a matrix keeps each
target's backward chain and reads it against each source's forward one. Distances are sums of the same edge
weights scipy's Dijkstra adds, in another order, so they agree to rounding (a relative 1e-12), not bit for bit.

A hierarchy belongs to the networkx graph it was built for (:mod:`pxnet._cache`), keyed by the compiled matrix's
content, and is built only when its cost is earned: when the one-to-all searches a small matrix would run on the
graph, counted over calls, outweigh the build.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from ... import _cache
from ._csr import CompiledGraph, FloatArray, IntArray

if TYPE_CHECKING:
    import scipy.sparse as sp

#: A hierarchy costs about this many one-to-all searches to build (measured on road-like grids of 40k–250k
#: nodes, ``benchmarks/bench_matrix.py``); the matrix path builds one once that many have been asked for.
BUILD_COST_SEARCHES = 60

#: The hierarchy answers a matrix when both sides are at most this share of the graph's nodes; beyond it the
#: pairs themselves dominate and one-to-all searches are as quick.
MAX_SHARE = 1 / 16

#: Hierarchies kept per graph (one per weight and content).
MEMO_SIZE = 2


def build_hierarchy(matrix: sp.csr_array) -> Hierarchy:
    """Build the contraction hierarchy of a CSR matrix of non-negative edge weights.

    Examples
    --------
    >>> import numpy as np, scipy.sparse as sp
    >>> m = sp.csr_array((np.array([1.0, 2.0, 4.0]), (np.array([0, 1, 0]), np.array([1, 2, 2]))), shape=(3, 3))
    >>> build_hierarchy(m).matrix(np.array([0, 2]), np.array([2, 0])).tolist()
    [[3.0, 0.0], [0.0, inf]]
    """
    from . import _hierarchy_kernels as kernels

    t0 = time.process_time()
    n = matrix.shape[0]
    coo = matrix.tocoo()
    keep = coo.row != coo.col
    rows = coo.row[keep].astype(np.int64)
    cols = coo.col[keep].astype(np.int64)
    weights = np.asarray(coo.data[keep], dtype=np.float64)
    indptr, indices = _symmetric(n, rows, cols)
    rank = kernels.nested_dissection(indptr, indices)
    r_rows, r_cols = rank[rows], rank[cols]
    indptr_r, indices_r = _symmetric(n, r_rows, r_cols)
    up_ptr, up_nbr, parent = kernels.chordal_completion(indptr_r, indices_r)
    w_up, w_down = kernels.customise(up_ptr, up_nbr, r_rows, r_cols, weights)
    return Hierarchy(rank, up_ptr, up_nbr, w_up, w_down, parent, time.process_time() - t0)


def _symmetric(n: int, rows: IntArray, cols: IntArray) -> tuple[IntArray, IntArray]:
    """CSR adjacency (``indptr``, ``indices``) with each arc both ways; repeats are harmless to the kernels."""
    both_rows = np.concatenate([rows, cols])
    both_cols = np.concatenate([cols, rows])
    order = np.argsort(both_rows, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(both_rows, minlength=n), out=indptr[1:])
    return indptr, both_cols[order]


class _Use(NamedTuple):
    """What a graph's hierarchy memo holds: searches asked for so far, and the hierarchy once built."""

    searches: int
    hierarchy: Hierarchy | None


def hierarchy_matrix(
    owner: Any,
    compiled: CompiledGraph,
    origins: list[int],
    destinations: list[int],
    *,
    limit: float | None = None,
    build: bool | None = None,
) -> FloatArray | None:
    """Origins × destinations (matrix indices) from the graph's hierarchy, or ``None`` where searches are better.

    Parameters
    ----------
    owner
        What the hierarchy is remembered with (the networkx graph ``compiled`` came from).
    compiled
        The compiled graph.
    origins, destinations
        Matrix indices.
    limit
        Distances above it are ``inf``, as a bounded search would leave them.
    build
        ``None``: build when the searches asked for on this graph (this call's included) outweigh the build
        (:data:`BUILD_COST_SEARCHES`); ``True``: build now; ``False``: only use a hierarchy already built.

    Returns
    -------
    numpy.ndarray or None
        ``None`` when the matrix is large for the graph (:data:`MAX_SHARE`) or no hierarchy is worth building
        yet; the caller then searches one-to-all.
    """
    n = compiled.matrix.shape[0]
    if not origins or not destinations or max(len(origins), len(destinations)) > n * MAX_SHARE:
        return None
    store = _cache.memo(owner, "hierarchy", maxsize=MEMO_SIZE)
    key = compiled.content_key
    use: _Use = store.peek(key) or _Use(0, None)
    hierarchy = use.hierarchy
    if hierarchy is None:
        # With a cut-off the searches are bounded and cheap: a hierarchy is only worth it already built.
        searches = use.searches + (0 if limit is not None else len(origins))
        wanted = searches >= BUILD_COST_SEARCHES if build is None else build
        if not wanted:
            store.put(key, _Use(searches, None))
            return None
        hierarchy = build_hierarchy(compiled.matrix)
        store.put(key, _Use(searches, hierarchy))
    out = hierarchy.matrix(np.asarray(origins, dtype=np.int64), np.asarray(destinations, dtype=np.int64))
    if limit is not None:
        out[out > limit] = np.inf
    return out


@dataclass(frozen=True, eq=False)
class Hierarchy:
    """A customised contraction hierarchy of one graph (arrays in rank numbering, see the kernels module).

    Parameters
    ----------
    rank
        Rank of each matrix index (0 contracted first).
    up_ptr, up_nbr
        Each rank's higher neighbours in the chordal completion, ascending.
    w_up, w_down
        Weight of the arc up (``x → y``, ``x < y``) and down (``y → x``) of each listed pair.
    parent
        Each rank's parent in the elimination tree (-1 at a root).
    build_seconds
        CPU seconds the build took.
    """

    rank: IntArray
    up_ptr: IntArray
    up_nbr: Any
    w_up: FloatArray
    w_down: FloatArray
    parent: IntArray
    build_seconds: float

    @property
    def arcs(self) -> int:
        """Edges of the hierarchy (original edges and shortcuts, each pair once)."""
        return int(self.up_nbr.shape[0])

    def matrix(self, sources: IntArray, targets: IntArray) -> FloatArray:
        """Shortest distances from each of ``sources`` to each of ``targets`` (matrix indices; ``inf``: none)."""
        from . import _hierarchy_kernels as kernels

        out: FloatArray = kernels.many_to_many(
            self.up_ptr,
            self.up_nbr,
            self.w_up,
            self.w_down,
            self.parent,
            self.rank[sources],
            self.rank[targets],
        )
        return out
