"""What a router is compiled from: a scenario's links as arrays, its services' stop sequences and run times.

These were once computed inside :class:`~pxnet.Scenario`; they belong to routing. Each is remembered under
pxnet's cache policy (:mod:`pxnet._cache`): per scenario for the arrays, per network under a fingerprint of
the inputs for the service paths, so a derived scenario whose rail links are unchanged reuses its parent's.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from .. import _cache
from .. import vocabulary as schema

if TYPE_CHECKING:
    from ..network import Network
    from ..scenario import Scenario

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
ObjectArray = npt.NDArray[Any]

SEGMENT_COLUMNS = ["service", "seq", "from", "to", "km", "run_min", "timetable_min", "links"]


@dataclass(frozen=True)
class LinkArrays:
    """A scenario's links as columns; ``u``/``v`` are positions in the network's node table."""

    id: ObjectArray
    mode: ObjectArray
    line: ObjectArray
    u: IntArray
    v: IntArray
    km: FloatArray
    minutes: FloatArray
    oneway: BoolArray

    def subset(self, modes: frozenset[str] | set[str]) -> LinkArrays:
        """Return the links of some modes."""
        keep = np.isin(self.mode, list(modes)) if modes else np.zeros(len(self.id), dtype=bool)
        return LinkArrays(*(getattr(self, f)[keep] for f in self.__dataclass_fields__))

    def fingerprint(self) -> bytes:
        """Return a digest of every column (the router and the service paths are keyed on it)."""
        return _cache.fingerprint(*(getattr(self, f) for f in self.__dataclass_fields__))


def positions(net: Network, ids: Any) -> IntArray:
    """Positions of node ids in the network's node table (a dict lookup: pandas' indexer is slow per call)."""
    lookup: dict[str, int] = _cache.memo(net, "node positions", maxsize=1).get(
        "positions", lambda: {n: i for i, n in enumerate(net.nodes.index)}
    )
    return np.fromiter((lookup[i] for i in ids), dtype=np.int64)


def place_positions(net: Network) -> IntArray:
    """Positions of the network's places (trip origins and destinations) in its node table."""
    return _cache.memo(net, "place positions", maxsize=1).get("places", lambda: positions(net, net.places.index))


def link_arrays(sc: Scenario) -> LinkArrays:
    """Return the scenario's links (:attr:`~pxnet.Scenario.links`) as arrays, made once per scenario."""
    return _cache.memo(sc, "routing inputs").get("links", lambda: _link_arrays(sc))


def _link_arrays(sc: Scenario) -> LinkArrays:
    links = sc.links
    return LinkArrays(
        id=links["id"].to_numpy(dtype=object),
        mode=links["mode"].to_numpy(dtype=object),
        line=links["line_name"].to_numpy(dtype=object),
        u=positions(sc.network, links["from"].tolist()),
        v=positions(sc.network, links["to"].tolist()),
        km=links["length_km"].to_numpy(dtype=np.float64),
        minutes=links["time_min"].to_numpy(dtype=np.float64),
        oneway=links["oneway"].to_numpy(dtype=bool),
    )


def service_segments(sc: Scenario) -> pd.DataFrame:
    """One row per pair of consecutive stops of each runnable service of a scenario.

    Columns: ``service``, ``seq``, ``from``, ``to``, ``km``, ``run_min`` (pure running time over the fastest
    path of the service's mode), ``timetable_min`` (the service's sourced ``segment_min`` for this pair, which
    replaces running time and stop loss; NaN where none is given), ``links`` (the link ids of that path).
    Services with a segment that cannot be run in this scenario are left out.

    The paths are found with one scipy Dijkstra per service mode and remembered per network under a
    fingerprint of the rail links and the services present, so scenarios that differ elsewhere share them.

    Examples
    --------
    >>> import pxnet
    >>> segs = service_segments(pxnet.get_scenario(2025))
    >>> bool((segs["run_min"] > 0).all())
    True
    """
    present = list(sc.present_services)
    rail = link_arrays(sc).subset({"hsr", "rail"})
    key = ("segments", rail.fingerprint(), tuple(present))
    return _cache.memo(sc.network, "service segments").get(key, lambda: _segments(sc, rail, present))


def _service_records(net: Network) -> dict[str, tuple[str, tuple[str, ...], tuple[Any, ...] | None]]:
    """Per service of the network: mode, stops and sourced segment minutes (read once per network)."""

    def make() -> dict[str, tuple[str, tuple[str, ...], tuple[Any, ...] | None]]:
        services = net.services
        given = services["segment_min"] if "segment_min" in services.columns else [None] * len(services)
        return {
            sid: (mode, tuple(stops), g if isinstance(g, tuple) else None)
            for sid, mode, stops, g in zip(services.index, services["mode"], services["stops"], given, strict=True)
        }

    return _cache.memo(net, "service records", maxsize=1).get("records", make)


def _segments(sc: Scenario, rail: LinkArrays, present: list[str]) -> pd.DataFrame:
    from scipy.sparse.csgraph import dijkstra

    from ._csr import csr_from_edges

    net = sc.network
    records = _service_records(net)
    n = len(net.nodes)
    searches: dict[str, tuple[Any, Any, dict[int, int], dict[tuple[int, int], int], LinkArrays]] = {}
    for mode in schema.SERVICE_MODES:
        chosen = [sid for sid in present if records[sid][0] == mode]
        if not chosen:
            continue
        links = rail.subset({"hsr"} if mode == "hsr" else {"hsr", "rail"})
        two = ~links.oneway
        u = np.concatenate([links.u, links.v[two]])
        v = np.concatenate([links.v, links.u[two]])
        which = np.concatenate([np.arange(len(links.u)), np.flatnonzero(two)])
        minutes = links.minutes[which]
        # The link each (u, v) pair uses: the fastest, the first listed among equals (as the matrix keeps).
        order = np.lexsort((minutes, v, u))
        first = np.ones(len(order), dtype=bool)
        first[1:] = (u[order][1:] != u[order][:-1]) | (v[order][1:] != v[order][:-1])
        pick = order[first]
        link_of = dict(zip(zip(u[pick].tolist(), v[pick].tolist(), strict=True), which[pick].tolist(), strict=True))
        starts = sorted({s for sid in chosen for s in records[sid][1][:-1]})
        sources = positions(net, starts).tolist()
        dist, pred = dijkstra(
            csr_from_edges(n, u, v, minutes), directed=True, indices=sources, return_predecessors=True
        )
        searches[mode] = (dist, pred, {s: r for r, s in enumerate(sources)}, link_of, links)
    rows: list[tuple[Any, ...]] = []
    for sid in present:
        mode, seq_stops, timed = records[sid]
        if mode not in searches:
            continue
        dist, pred, row_of, link_of, links = searches[mode]
        stop_pos = positions(net, seq_stops).tolist()
        segs: list[tuple[Any, ...]] = []
        for seq, (a, b) in enumerate(itertools.pairwise(stop_pos)):
            r = row_of[a]
            if not np.isfinite(dist[r, b]):
                segs = []
                break
            path: list[int] = []
            node = b
            while node != a:
                prev = int(pred[r, node])
                path.append(link_of[(prev, node)])
                node = prev
            path.reverse()
            t = None if timed is None else timed[seq]
            km = float(links.km[path].sum())
            ids = links.id[path].tolist()
            segs.append((sid, seq, seq_stops[seq], seq_stops[seq + 1], km, float(dist[r, b]), _nan(t), ids))
        rows.extend(segs)
    return pd.DataFrame(rows, columns=SEGMENT_COLUMNS)


def _nan(value: Any) -> float:
    return np.nan if value is None else float(value)
