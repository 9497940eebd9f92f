"""A contraction hierarchy for many-to-many matrices on large graphs, compiled with numba.

Nodes are contracted one by one, least important first (edge difference plus contracted neighbours, updated
lazily); a shortcut ``u → x`` with the weight of ``u → v → x`` is added when contracting ``v`` unless a
witness search (a Dijkstra from ``u`` avoiding ``v``, bounded in length and in settled nodes) finds a path at
most as long. A bounded witness search only ever adds shortcuts that were not needed, never drops one that
was, so distances stay exact. Queries are the bucket algorithm for many-to-many: an upward search backwards
from every destination leaves ``(destination, distance)`` in a bucket at each node it settles, and an upward
search from every origin scans the buckets of the nodes it settles.

Distances are the same sums of the same edge weights as a plain Dijkstra's, added in another order: they can
differ from it in the last bits (relative 1e-15), so :func:`pxnet.routing.skim` does not use this silently.

A module of its own so that numba loads with the first hierarchy, not with ``import pxnet``. Kernels are cached
in ``__pycache__`` after their first compilation.
"""

from __future__ import annotations

import numba
import numpy as np

_INF = np.inf


@numba.njit(cache=True)
def _push(hk: np.ndarray, hv: np.ndarray, size: int, key: float, val: int) -> int:
    i = size
    hk[i] = key
    hv[i] = val
    size += 1
    while i > 0:
        p = (i - 1) >> 1
        if hk[p] <= hk[i]:
            break
        hk[p], hk[i] = hk[i], hk[p]
        hv[p], hv[i] = hv[i], hv[p]
        i = p
    return size


@numba.njit(cache=True)
def _pop(hk: np.ndarray, hv: np.ndarray, size: int) -> tuple[float, int, int]:
    key, val = hk[0], hv[0]
    size -= 1
    hk[0], hv[0] = hk[size], hv[size]
    i = 0
    while True:
        left = 2 * i + 1
        if left >= size:
            break
        c = left
        if left + 1 < size and hk[left + 1] < hk[left]:
            c = left + 1
        if hk[i] <= hk[c]:
            break
        hk[c], hk[i] = hk[i], hk[c]
        hv[c], hv[i] = hv[i], hv[c]
        i = c
    return key, val, size


@numba.njit(cache=True)
def _witness(
    u: int,
    skip: int,
    limit: float,
    max_settle: int,
    out_head: np.ndarray,
    out_next: np.ndarray,
    dst: np.ndarray,
    w: np.ndarray,
    contracted: np.ndarray,
    dist: np.ndarray,
    touched: np.ndarray,
    hk: np.ndarray,
    hv: np.ndarray,
) -> int:
    """Dijkstra from ``u`` over uncontracted nodes other than ``skip``, to ``limit``; returns nodes touched."""
    nt = 0
    dist[u] = 0.0
    touched[nt] = u
    nt += 1
    size = _push(hk, hv, 0, 0.0, u)
    settled = 0
    while size > 0:
        d, x, size = _pop(hk, hv, size)
        if d > dist[x]:
            continue
        if d > limit or settled >= max_settle:
            break
        settled += 1
        e = out_head[x]
        while e != -1:
            y = dst[e]
            if not contracted[y] and y != skip:
                nd = d + w[e]
                if nd < dist[y]:
                    if dist[y] == _INF:
                        touched[nt] = y
                        nt += 1
                    dist[y] = nd
                    size = _push(hk, hv, size, nd, y)
            e = out_next[e]
    return nt


@numba.njit(cache=True)
def _neighbours(
    v: int, head: np.ndarray, nxt: np.ndarray, other: np.ndarray, w: np.ndarray, contracted: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Uncontracted neighbours of ``v`` along one edge list, with their weights.

    Edges to contracted nodes are unlinked from the list on the way (they stay in the edge arrays, which the
    hierarchy keeps): late in the contraction the lists would otherwise be mostly dead. Each (v, x) pair has
    one edge: :func:`_add_or_lower` lowers an existing edge rather than adding a parallel one.
    """
    count = 0
    e = head[v]
    prev = -1
    while e != -1:
        following = nxt[e]
        if contracted[other[e]]:
            if prev == -1:
                head[v] = following
            else:
                nxt[prev] = following
        else:
            count += 1
            prev = e
        e = following
    nodes = np.empty(count, dtype=np.int64)
    weights = np.empty(count, dtype=np.float64)
    k = 0
    e = head[v]
    while e != -1:
        nodes[k] = other[e]
        weights[k] = w[e]
        k += 1
        e = nxt[e]
    return nodes, weights


@numba.njit(cache=True)
def _add_or_lower(
    u: int,
    x: int,
    weight: float,
    ne: int,
    src: np.ndarray,
    dst: np.ndarray,
    w: np.ndarray,
    out_head: np.ndarray,
    out_next: np.ndarray,
    in_head: np.ndarray,
    in_next: np.ndarray,
) -> int:
    """Add the edge ``u → x`` (or lower an existing one to ``weight``); returns the edge count."""
    e = out_head[u]
    while e != -1:
        if dst[e] == x:
            if weight < w[e]:
                w[e] = weight
            return ne
        e = out_next[e]
    src[ne] = u
    dst[ne] = x
    w[ne] = weight
    out_next[ne] = out_head[u]
    out_head[u] = ne
    in_next[ne] = in_head[x]
    in_head[x] = ne
    return ne + 1


@numba.njit(cache=True)
def _contract_node(
    v: int,
    apply: bool,
    max_settle: int,
    ne: int,
    src: np.ndarray,
    dst: np.ndarray,
    w: np.ndarray,
    out_head: np.ndarray,
    out_next: np.ndarray,
    in_head: np.ndarray,
    in_next: np.ndarray,
    contracted: np.ndarray,
    dist: np.ndarray,
    touched: np.ndarray,
    hk: np.ndarray,
    hv: np.ndarray,
) -> tuple[int, int, int]:
    """Shortcuts that contracting ``v`` needs (added when ``apply``); returns (shortcuts, degree, edge count)."""
    ins, w_in = _neighbours(v, in_head, in_next, src, w, contracted)
    outs, w_out = _neighbours(v, out_head, out_next, dst, w, contracted)
    shortcuts = 0
    if len(outs) == 0:
        return 0, len(ins), ne
    top = w_out.max()
    for i in range(len(ins)):
        u = ins[i]
        nt = _witness(
            u, v, w_in[i] + top, max_settle, out_head, out_next, dst, w, contracted, dist, touched, hk, hv
        )
        for j in range(len(outs)):
            x = outs[j]
            via = w_in[i] + w_out[j]
            if x != u and dist[x] > via:
                shortcuts += 1
                if apply:
                    ne = _add_or_lower(u, x, via, ne, src, dst, w, out_head, out_next, in_head, in_next)
        for k in range(nt):
            dist[touched[k]] = _INF
    return shortcuts, len(ins) + len(outs), ne


@numba.njit(cache=True)
def _grown(a: np.ndarray, size: int) -> np.ndarray:
    out = np.empty(size, dtype=a.dtype)
    out[: a.shape[0]] = a
    return out


@numba.njit(cache=True)
def contract(
    n: int,
    indptr: np.ndarray,
    indices: np.ndarray,
    weights: np.ndarray,
    max_settle: int,
    edge_weight: float,
    deleted_weight: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Contract every node of a CSR graph; returns (rank of each node, edge sources, targets, weights)."""
    m = indices.shape[0]
    cap = 2 * m + 1024
    src = np.empty(cap, dtype=np.int64)
    dst = np.empty(cap, dtype=np.int64)
    w = np.empty(cap, dtype=np.float64)
    out_next = np.empty(cap, dtype=np.int64)
    in_next = np.empty(cap, dtype=np.int64)
    out_head = np.full(n, -1, dtype=np.int64)
    in_head = np.full(n, -1, dtype=np.int64)
    ne = 0
    for u in range(n):
        for k in range(indptr[u], indptr[u + 1]):
            x = indices[k]
            if x != u:
                ne = _add_or_lower(u, x, weights[k], ne, src, dst, w, out_head, out_next, in_head, in_next)
    contracted = np.zeros(n, dtype=np.bool_)
    deleted = np.zeros(n, dtype=np.int64)
    dist = np.full(n, _INF)
    touched = np.empty(n, dtype=np.int64)
    hk = np.empty(cap + n, dtype=np.float64)
    hv = np.empty(cap + n, dtype=np.int64)
    pk = np.empty(4 * n + 16, dtype=np.float64)
    pv = np.empty(4 * n + 16, dtype=np.int64)
    psize = 0
    for v in range(n):
        s, deg, _ = _contract_node(
            v, False, max_settle, ne, src, dst, w, out_head, out_next, in_head, in_next, contracted, dist,
            touched, hk, hv,
        )
        psize = _push(pk, pv, psize, edge_weight * (s - deg), v)
    rank = np.full(n, -1, dtype=np.int64)
    order = 0
    while psize > 0:
        _, v, psize = _pop(pk, pv, psize)
        if contracted[v]:
            continue
        s, deg, _ = _contract_node(
            v, False, max_settle, ne, src, dst, w, out_head, out_next, in_head, in_next, contracted, dist,
            touched, hk, hv,
        )
        prio = edge_weight * (s - deg) + deleted_weight * deleted[v]
        if psize > 0 and prio > pk[0]:
            if psize >= pk.shape[0]:
                pk = _grown(pk, 2 * pk.shape[0])
                pv = _grown(pv, 2 * pv.shape[0])
            psize = _push(pk, pv, psize, prio, v)
            continue
        if ne + s + 1 > src.shape[0]:  # room for this node's shortcuts
            cap = 2 * (ne + s + 1)
            src, dst, w = _grown(src, cap), _grown(dst, cap), _grown(w, cap)
            out_next, in_next = _grown(out_next, cap), _grown(in_next, cap)
            hk, hv = _grown(hk, cap + n), _grown(hv, cap + n)
        _, _, ne = _contract_node(
            v, True, max_settle, ne, src, dst, w, out_head, out_next, in_head, in_next, contracted, dist,
            touched, hk, hv,
        )
        contracted[v] = True
        rank[v] = order
        order += 1
        e = in_head[v]
        while e != -1:
            deleted[src[e]] += 1
            e = in_next[e]
        e = out_head[v]
        while e != -1:
            deleted[dst[e]] += 1
            e = out_next[e]
    return rank, src[:ne].copy(), dst[:ne].copy(), w[:ne].copy()


@numba.njit(cache=True)
def _upward(
    s: int,
    ptr: np.ndarray,
    idx: np.ndarray,
    wt: np.ndarray,
    dist: np.ndarray,
    settled_nodes: np.ndarray,
    settled_dist: np.ndarray,
    hk: np.ndarray,
    hv: np.ndarray,
) -> int:
    """Full Dijkstra from ``s`` on an upward graph; fills the settled nodes and distances, returns their count."""
    dist[s] = 0.0
    settled_nodes[0] = s
    size = _push(hk, hv, 0, 0.0, s)
    count = 0
    while size > 0:
        d, x, size = _pop(hk, hv, size)
        if d > dist[x]:
            continue
        settled_nodes[count] = x
        settled_dist[count] = d
        count += 1
        for k in range(ptr[x], ptr[x + 1]):
            y = idx[k]
            nd = d + wt[k]
            if nd < dist[y]:
                dist[y] = nd
                size = _push(hk, hv, size, nd, y)
    # The search runs to exhaustion, so every node it reached was settled: resetting those resets all.
    for k in range(count):
        dist[settled_nodes[k]] = _INF
    return count


@numba.njit(cache=True)
def many_to_many(
    up_ptr: np.ndarray,
    up_idx: np.ndarray,
    up_w: np.ndarray,
    down_ptr: np.ndarray,
    down_idx: np.ndarray,
    down_w: np.ndarray,
    sources: np.ndarray,
    targets: np.ndarray,
) -> np.ndarray:
    """Distances from every source to every target through the hierarchy (``inf`` where unreachable)."""
    n = up_ptr.shape[0] - 1
    dist = np.full(n, _INF)
    nodes = np.empty(n, dtype=np.int64)
    nd = np.empty(n, dtype=np.float64)
    heap = max(up_idx.shape[0], down_idx.shape[0]) + n
    hk = np.empty(heap, dtype=np.float64)
    hv = np.empty(heap, dtype=np.int64)
    # Buckets: for each node, the targets whose backward upward search settled it, and at what distance.
    cap = 1024
    b_node = np.empty(cap, dtype=np.int64)
    b_target = np.empty(cap, dtype=np.int64)
    b_dist = np.empty(cap, dtype=np.float64)
    nb = 0
    for t in range(targets.shape[0]):
        count = _upward(targets[t], down_ptr, down_idx, down_w, dist, nodes, nd, hk, hv)
        if nb + count > cap:
            cap = 2 * (nb + count)
            b_node, b_target, b_dist = _grown(b_node, cap), _grown(b_target, cap), _grown(b_dist, cap)
        for k in range(count):
            b_node[nb] = nodes[k]
            b_target[nb] = t
            b_dist[nb] = nd[k]
            nb += 1
    order = np.argsort(b_node[:nb], kind="mergesort")
    bucket_ptr = np.zeros(n + 1, dtype=np.int64)
    for k in range(nb):
        bucket_ptr[b_node[k] + 1] += 1
    for i in range(n):
        bucket_ptr[i + 1] += bucket_ptr[i]
    out = np.full((sources.shape[0], targets.shape[0]), _INF)
    for s in range(sources.shape[0]):
        count = _upward(sources[s], up_ptr, up_idx, up_w, dist, nodes, nd, hk, hv)
        for k in range(count):
            v = nodes[k]
            for j in range(bucket_ptr[v], bucket_ptr[v + 1]):
                entry = order[j]
                total = nd[k] + b_dist[entry]
                t = b_target[entry]
                if total < out[s, t]:
                    out[s, t] = total
    return out
