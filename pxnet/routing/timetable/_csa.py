"""The connection-scan kernels of the timetable router, compiled with numba.

A module of their own so that numba (about half a second to import) loads with the first scan, not with
``import pxnet``. Kernels are cached in ``__pycache__`` after their first compilation.
"""

from __future__ import annotations

import numba
import numpy as np

from ._connections import _INF as INF
from ._connections import Connections, Labels


@numba.njit(cache=True)
def _latest(ea: np.ndarray, targets: np.ndarray) -> int:
    """Return the latest earliest-arrival among the targets (INF while one is unreached)."""
    worst = 0
    for k in range(targets.shape[0]):
        worst = max(worst, ea[targets[k]])
    return worst


@numba.njit(cache=True)
def scan(
    connections: Connections, src: np.ndarray, src_time: np.ndarray, horizon: int, labels: Labels, targets: np.ndarray
) -> None:
    """One earliest-arrival Connection Scan; fills the ``labels``: ``ea`` (arrival), ``parent`` and ``board``.

    With ``targets`` (stop indices; empty for all stops), the scan stops once no later connection can reach a
    target sooner: every target reached, and the next connection leaves after the latest of their arrivals.
    """
    dep_stop, arr_stop, dep_time, arr_time, trip, transfer, n_trips = connections
    ea, parent, board = labels
    n = dep_stop.shape[0]
    ready = np.full(ea.shape[0], INF, dtype=np.int64)
    ea[:] = INF
    parent[:] = -1
    board[:] = -1
    t0 = INF
    for k in range(src.shape[0]):
        s = src[k]
        if src_time[k] < ea[s]:
            ea[s] = src_time[k]
            ready[s] = src_time[k]
        t0 = min(t0, src_time[k])
    boarded = np.full(n_trips, -1, dtype=np.int64)
    lo, hi = 0, n
    while lo < hi:  # first connection leaving at or after t0
        mid = (lo + hi) // 2
        if dep_time[mid] < t0:
            lo = mid + 1
        else:
            hi = mid
    bound = INF if targets.shape[0] > 0 else -1
    for c in range(lo, n):
        if dep_time[c] > horizon:
            break
        if 0 <= bound < INF and dep_time[c] > bound:
            break
        tr = trip[c]
        if boarded[tr] < 0:
            if ready[dep_stop[c]] > dep_time[c]:
                continue
            boarded[tr] = c
        v = arr_stop[c]
        if arr_time[c] < ea[v]:
            ea[v] = arr_time[c]
            ready[v] = arr_time[c] + transfer[v]
            parent[v] = c
            board[v] = boarded[tr]
            if bound >= 0:
                bound = _latest(ea, targets)


@numba.njit(cache=True, parallel=True)
def profile(
    connections: Connections,
    src: np.ndarray,
    src_offset: np.ndarray,
    starts: np.ndarray,
    horizon: int,
    n_stops: int,
    targets: np.ndarray,
) -> np.ndarray:
    """Earliest arrival at every stop for each start time (one scan each): a (starts × stops) array.

    With ``targets``, only their columns are exact (each scan stops once they are settled).
    """
    out = np.empty((starts.shape[0], n_stops), dtype=np.int64)
    for k in numba.prange(starts.shape[0]):  # independent scans: one per thread
        labels = Labels(out[k], np.empty(n_stops, dtype=np.int64), np.empty(n_stops, dtype=np.int64))
        scan(connections, src, src_offset + starts[k], starts[k] + horizon, labels, targets)
    return out
