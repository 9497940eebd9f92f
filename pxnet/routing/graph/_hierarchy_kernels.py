"""The contraction-hierarchy kernels of the graph engine, compiled with numba.

A module of their own so that numba (about half a second to import) loads with the first hierarchy, not with
``import pxnet``. Kernels are cached in ``__pycache__`` after their first compilation.

Nodes are numbered by rank here (0 is contracted first). The hierarchy is the graph's chordal completion under
that order: ``up_ptr``/``up_nbr`` list each node's higher neighbours, ascending, and every arc ``x → y`` and
``y → x`` of an edge ``{x, y}`` with ``x < y`` carries its weight in ``w_up`` and ``w_down``.
"""

from __future__ import annotations

from typing import NamedTuple

import numba
import numpy as np

#: Segments of the dissection at most this large are ordered as they come.
LEAF_SIZE = 2


@numba.njit(cache=True)
def _bfs(
    indptr: np.ndarray,
    indices: np.ndarray,
    seg_of: np.ndarray,
    seg: int,
    start: int,
    level: np.ndarray,
    queue: np.ndarray,
) -> int:
    """Breadth-first levels inside segment ``seg`` from ``start``; returns the nodes reached (in ``queue``)."""
    level[start] = 0
    queue[0] = start
    head, tail = 0, 1
    while head < tail:
        v = queue[head]
        head += 1
        for k in range(indptr[v], indptr[v + 1]):
            u = indices[k]
            if seg_of[u] == seg and level[u] < 0:
                level[u] = level[v] + 1
                queue[tail] = u
                tail += 1
    return tail


@numba.njit(cache=True)
def _separator_level(counts: np.ndarray, top: int, size: int) -> int:
    """Choose the BFS level to cut at: the thinnest level whose nodes before it hold 30–70 % of the segment.

    Never the last level (``top - 1``), so that nodes lie beyond the cut.
    """
    best, best_count = -1, size + 1
    before = 0
    for lv in range(1, top - 1):
        before += counts[lv - 1]
        if 0.3 * size <= before <= 0.7 * size and counts[lv] < best_count:
            best, best_count = lv, counts[lv]
    if best < 0:  # no level in the band: the first one past half
        before = 0
        for lv in range(1, top - 1):
            before += counts[lv - 1]
            if before + counts[lv] >= size // 2:
                return lv
        return top - 2
    return best


@numba.njit(cache=True)
def _prune(
    indptr: np.ndarray,
    indices: np.ndarray,
    seg_of: np.ndarray,
    seg: int,
    queue: np.ndarray,
    reached: int,
    side: np.ndarray,
) -> None:
    """Move separator nodes with no neighbour beyond the cut to the near side."""
    for k in range(reached):
        v = queue[k]
        if side[v] == 2:
            beyond = False
            for j in range(indptr[v], indptr[v + 1]):
                u = indices[j]
                if seg_of[u] == seg and side[u] == 1:
                    beyond = True
                    break
            if not beyond:
                side[v] = 0


class Scratch(NamedTuple):
    """Work arrays of nested dissection, one slot a node, reused by every segment (numba takes NamedTuples)."""

    level: np.ndarray  # breadth-first level, -1 when unreached
    queue: np.ndarray  # the breadth-first queue
    counts: np.ndarray  # nodes a level
    side: np.ndarray  # 0 near the cut, 1 beyond it, 2 on the separator


@numba.njit(cache=True)
def _sides(
    indptr: np.ndarray, indices: np.ndarray, seg_of: np.ndarray, seg: int, members: np.ndarray, work: Scratch
) -> None:
    """Split a segment's ``members``: ``work.side`` 0 near the cut, 1 beyond it, 2 on the separator."""
    level, queue, counts, side = work.level, work.queue, work.counts, work.side
    size = members.shape[0]
    reached = _bfs(indptr, indices, seg_of, seg, members[0], level, queue)
    far = queue[reached - 1]  # a pseudo-peripheral start: the farthest node from the first
    for k in range(reached):
        level[queue[k]] = -1
    reached = _bfs(indptr, indices, seg_of, seg, far, level, queue)
    top = level[queue[reached - 1]] + 1
    if reached < size:  # several components: what the search reached, and the rest
        for k in range(size):
            side[members[k]] = 1
        for k in range(reached):
            side[queue[k]] = 0
    else:
        for lv in range(top):
            counts[lv] = 0
        for k in range(reached):
            counts[level[queue[k]]] += 1
        cut = 1 if top <= 2 else _separator_level(counts, top, size)
        for k in range(reached):
            lv = level[queue[k]]
            side[queue[k]] = 0 if lv < cut else (2 if lv == cut else 1)
        if top > 2:
            _prune(indptr, indices, seg_of, seg, queue, reached, side)
    for k in range(reached):
        level[queue[k]] = -1


@numba.njit(cache=True)
def _regroup(members: np.ndarray, side: np.ndarray, buf: np.ndarray) -> tuple[int, int]:
    """Reorder ``members`` in place as near | beyond | separator; returns the sizes of the first two."""
    size = members.shape[0]
    na = nb = 0
    for k in range(size):
        if side[members[k]] == 0:
            na += 1
        elif side[members[k]] == 1:
            nb += 1
    at = np.array([0, na, na + nb])
    for k in range(size):
        v = members[k]
        buf[at[side[v]]] = v
        at[side[v]] += 1
    members[:] = buf[:size]
    return na, nb


@numba.njit(cache=True)
def nested_dissection(indptr: np.ndarray, indices: np.ndarray) -> np.ndarray:
    """Rank of each node (0 contracted first) by nested dissection with breadth-first level separators.

    ``indptr``/``indices``: the symmetric adjacency (each edge both ways). A segment of the graph is cut at the
    thinnest breadth-first level near its middle (from a pseudo-peripheral node); the separator's nodes take the
    segment's highest ranks, and both sides are cut in turn. Separator nodes with no neighbour beyond the cut
    join the near side. A segment the search does not cover (several components) splits into what it reached
    and the rest, with no separator.
    """
    n = indptr.shape[0] - 1
    rank = np.empty(n, dtype=np.int64)
    order = np.arange(n)
    seg_of = np.zeros(n, dtype=np.int64)
    work = Scratch(
        np.full(n, -1, dtype=np.int64),
        np.empty(n, dtype=np.int64),
        np.zeros(n + 1, dtype=np.int64),
        np.zeros(n, dtype=np.int64),
    )
    buf = np.empty(n, dtype=np.int64)
    # segments to cut: start, end, highest rank + 1, id
    stack = np.empty((2 * n + 2, 4), dtype=np.int64)
    stack[0, 0], stack[0, 1], stack[0, 2], stack[0, 3] = 0, n, n, 0
    sp, next_id = 1, 1
    while sp > 0:
        sp -= 1
        s, e, hi, seg = stack[sp, 0], stack[sp, 1], stack[sp, 2], stack[sp, 3]
        size = e - s
        if size <= LEAF_SIZE:
            for k in range(size):
                rank[order[s + k]] = hi - size + k
            continue
        members = order[s:e]
        _sides(indptr, indices, seg_of, seg, members, work)
        na, nb = _regroup(members, work.side, buf)
        ns = size - na - nb
        for k in range(ns):
            rank[members[na + nb + k]] = hi - ns + k
        for part_start, part_end, part_hi in ((s, s + na, hi - ns - nb), (s + na, s + na + nb, hi - ns)):
            if part_end > part_start:
                seg_of[order[part_start:part_end]] = next_id
                stack[sp, 0], stack[sp, 1], stack[sp, 2], stack[sp, 3] = part_start, part_end, part_hi, next_id
                sp += 1
                next_id += 1
    return rank


@numba.njit(cache=True)
def chordal_completion(indptr: np.ndarray, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each node's higher neighbours once every node is contracted in rank order (no witness search).

    ``indptr``/``indices``: the symmetric adjacency in rank numbering. Contracting ``x`` joins all its higher
    neighbours to each other, so ``x``'s neighbours pass to its lowest higher neighbour, its parent in the
    elimination tree. Returns ``(up_ptr, up_nbr, parent)``; each node's list is ascending.
    """
    n = indptr.shape[0] - 1
    up_ptr = np.zeros(n + 1, dtype=np.int64)
    cap = max(16, 2 * indices.shape[0])
    up_nbr = np.empty(cap, dtype=np.int32)
    parent = np.full(n, -1, dtype=np.int64)
    child_head = np.full(n, -1, dtype=np.int64)
    child_next = np.full(n, -1, dtype=np.int64)
    mark = np.full(n, -1, dtype=np.int64)
    used = 0
    for x in range(n):
        start = used
        mark[x] = x
        # Room for every candidate first, so that the appends below need no check.
        need = used + indptr[x + 1] - indptr[x]
        c = child_head[x]
        while c >= 0:
            need += up_ptr[c + 1] - up_ptr[c]
            c = child_next[c]
        while need > up_nbr.shape[0]:
            up_nbr = _grown(up_nbr, used)
        used = _add_new(indices, indptr[x], indptr[x + 1], x, mark, up_nbr, used)
        c = child_head[x]
        while c >= 0:  # a child's higher neighbours pass to its parent
            used = _add_new(up_nbr, up_ptr[c], up_ptr[c + 1], x, mark, up_nbr, used)
            c = child_next[c]
        up_nbr[start:used] = np.sort(up_nbr[start:used])
        up_ptr[x + 1] = used
        if used > start:
            p = up_nbr[start]
            parent[x] = p
            child_next[x] = child_head[p]
            child_head[p] = x
    return up_ptr, up_nbr[:used].copy(), parent


@numba.njit(cache=True)
def _add_new(src: np.ndarray, lo: int, hi: int, x: int, mark: np.ndarray, up_nbr: np.ndarray, used: int) -> int:
    """Append ``src[lo:hi]``'s nodes above ``x`` not yet listed for it (``mark``) to ``up_nbr``; return its length."""
    for k in range(lo, hi):
        y = src[k]
        if y > x and mark[y] != x:
            mark[y] = x
            up_nbr[used] = y
            used += 1
    return used


@numba.njit(cache=True)
def _grown(a: np.ndarray, used: int) -> np.ndarray:
    bigger = np.empty(2 * a.shape[0], dtype=a.dtype)
    bigger[:used] = a[:used]
    return bigger


@numba.njit(cache=True)
def _arc(up_ptr: np.ndarray, up_nbr: np.ndarray, x: int, y: int) -> int:
    """Position of ``y`` in ``x``'s ascending list of higher neighbours (it must be there)."""
    lo, hi = up_ptr[x], up_ptr[x + 1]
    while lo < hi:
        mid = (lo + hi) // 2
        if up_nbr[mid] < y:
            lo = mid + 1
        else:
            hi = mid
    return int(lo)


@numba.njit(cache=True)
def customise(
    up_ptr: np.ndarray,
    up_nbr: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    weights: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Weights of the hierarchy's arcs: the graph's arcs, then every shortcut through a lower node.

    ``rows``/``cols``/``weights``: the directed arcs in rank numbering. Nodes are taken in rank order; for a node
    ``x`` with higher neighbours ``u < v``, the paths ``u → x → v`` and ``v → x → u`` bound the arcs between ``u``
    and ``v``. When ``x`` is taken, its own arcs are final: every lower triangle under them has a lower node.
    Returns ``(w_up, w_down)``: the weight of ``x → y`` and of ``y → x`` for each listed pair ``x < y``.
    """
    m = up_nbr.shape[0]
    w_up = np.full(m, np.inf)
    w_down = np.full(m, np.inf)
    for k in range(rows.shape[0]):
        a, b, w = rows[k], cols[k], weights[k]
        if a < b:
            e = _arc(up_ptr, up_nbr, a, b)
            w_up[e] = min(w_up[e], w)
        elif b < a:
            e = _arc(up_ptr, up_nbr, b, a)
            w_down[e] = min(w_down[e], w)
    n = up_ptr.shape[0] - 1
    for x in range(n):
        end = up_ptr[x + 1]
        for i in range(up_ptr[x], end):
            u = up_nbr[i]
            to_x = w_down[i]  # u → x
            from_x = w_up[i]  # x → u
            if to_x == np.inf and from_x == np.inf:
                continue
            # u's higher neighbours contain x's neighbours above u: walk both ascending lists
            e = up_ptr[u]
            for j in range(i + 1, end):
                v = up_nbr[j]
                while up_nbr[e] < v:
                    e += 1
                via = to_x + w_up[j]
                if via < w_up[e]:
                    w_up[e] = via
                via = w_down[j] + from_x
                if via < w_down[e]:
                    w_down[e] = via
    return w_up, w_down


@numba.njit(cache=True)
def _upward(
    up_ptr: np.ndarray, up_nbr: np.ndarray, weight: np.ndarray, parent: np.ndarray, s: int, dist: np.ndarray
) -> None:
    """Distances from ``s`` to its ancestors along arcs going up (``dist`` is inf there on entry)."""
    dist[s] = 0.0
    v = s
    while v >= 0:
        dv = dist[v]
        if dv < np.inf:
            for e in range(up_ptr[v], up_ptr[v + 1]):
                y = up_nbr[e]
                d = dv + weight[e]
                if d < dist[y]:
                    dist[y] = d
        v = parent[v]


@numba.njit(cache=True)
def _clear(parent: np.ndarray, s: int, dist: np.ndarray) -> None:
    v = s
    while v >= 0:
        dist[v] = np.inf
        v = parent[v]


@numba.njit(cache=True)
def many_to_many(
    up_ptr: np.ndarray,
    up_nbr: np.ndarray,
    w_up: np.ndarray,
    w_down: np.ndarray,
    parent: np.ndarray,
    sources: np.ndarray,
    targets: np.ndarray,
) -> np.ndarray:
    """Shortest distances from each source to each target (rank numbering; ``inf`` where unreachable).

    Every shortest path climbs to its highest node and descends, and the nodes a search going up can reach are
    the node's ancestors in the elimination tree, so each search walks its chain of ancestors without a queue.
    Each target's backward search is kept as (ancestor, distance) pairs; each source's forward search is
    a dense array read at those ancestors.
    """
    n = up_ptr.shape[0] - 1
    dist = np.full(n, np.inf)
    # backward searches: one flat list of (node, distance) per target
    starts = np.zeros(targets.shape[0] + 1, dtype=np.int64)
    cap = 1024
    nodes = np.empty(cap, dtype=np.int64)
    dists = np.empty(cap)
    used = 0
    for t in range(targets.shape[0]):
        _upward(up_ptr, up_nbr, w_down, parent, targets[t], dist)
        v = targets[t]
        while v >= 0:
            if dist[v] < np.inf:
                if used == cap:
                    nodes = _grown(nodes, used)
                    dists = _grown(dists, used)
                    cap = nodes.shape[0]
                nodes[used] = v
                dists[used] = dist[v]
                used += 1
            v = parent[v]
        _clear(parent, targets[t], dist)
        starts[t + 1] = used
    out = np.full((sources.shape[0], targets.shape[0]), np.inf)
    for i in range(sources.shape[0]):
        _upward(up_ptr, up_nbr, w_up, parent, sources[i], dist)
        for t in range(targets.shape[0]):
            best = np.inf
            for k in range(starts[t], starts[t + 1]):
                d = dist[nodes[k]] + dists[k]
                if d < best:
                    best = d
            out[i, t] = best
        _clear(parent, sources[i], dist)
    return out
