"""Attaching a pxnet network to OpenStreetMap roads: the cached road index and :func:`snap`.

Part of :mod:`pxnet.osm`, which is the public face (import from there).
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

import networkx as nx
import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from .. import _cache, vocabulary
from ..errors import DataWarning, PxnetError, SnapError, SnapWarning, warn
from ..geo import METRIC_CRS, WGS84, local_metric_crs, transform
from ..network import Network, bundled_network
from ..routing import CompiledGraph, FloatArray, cached_compile
from ..scenario import Scenario

#: Node kinds :func:`snap` attaches by default: places, stations and expressway interchanges.
SNAP_KINDS: tuple[str, ...] = (*sorted(vocabulary.PLACE_KINDS), *sorted(vocabulary.STATION_KINDS), "interchange")
#: Kinds that may snap onto expressway (``motorway``) nodes; every other kind needs a node on an ordinary road.
MOTORWAY_KINDS = frozenset({"interchange", "junction"})
_MOTORWAY = frozenset({"motorway", "motorway_link"})


# -- road index (compiled graph, projected coordinates, snapping trees), cached per graph ------------
@dataclass
class _RoadIndex:
    graph_ref: weakref.ref[nx.MultiDiGraph]  # weak: the index is a memo owned by the graph (pxnet._cache)
    compiled: CompiledGraph
    xy: FloatArray
    ordinary: npt.NDArray[np.bool_]
    any_road: npt.NDArray[np.bool_]
    bounds: tuple[float, float, float, float]
    #: The metric CRS distances are measured in: the graph's own if true to scale there, else its UTM zone.
    metric_crs: str = METRIC_CRS
    _trees: dict[bool, Any] = field(default_factory=dict)
    _reverse: sp.csr_array | None = None

    def tree(self, ordinary: bool) -> tuple[Any, npt.NDArray[np.int64]]:
        from scipy.spatial import cKDTree

        if ordinary not in self._trees:
            mask = self.ordinary if ordinary else self.any_road
            where = np.flatnonzero(mask)
            self._trees[ordinary] = (cKDTree(self.xy[where]), where)
        tree, where = self._trees[ordinary]
        return tree, where

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The road graph this index was built from (alive while anyone uses the index through it)."""
        graph = self.graph_ref()
        if graph is None:
            raise PxnetError("the road graph of this index no longer exists")
        return graph

    @property
    def reverse(self) -> sp.csr_array:
        if self._reverse is None:
            self._reverse = sp.csr_array(self.compiled.matrix.T)
        return self._reverse


def _index(G: nx.MultiDiGraph) -> _RoadIndex:
    """Return the road index of ``G``: a memo owned by the graph, kept while its compiled graph is current.

    Under pxnet's cache policy (:mod:`pxnet._cache`): the compiled graph comes from
    :func:`pxnet.routing.cached_compile`, which compiles afresh after an in-place re-weighting it can see, and
    the index is rebuilt whenever that compiled graph is not the one it was built on.
    :func:`pxnet.routing.clear_cache` with the graph forgets both.
    """
    compiled = cached_compile(G, weight="travel_time")
    store = _cache.memo(G, "road_index", maxsize=1)
    hit: _RoadIndex | None = store.peek("travel_time")
    if hit is not None and hit.compiled is compiled:
        return hit
    road = _build_index(G, compiled)
    store.put("travel_time", road)
    return road


def _build_index(G: nx.MultiDiGraph, compiled: CompiledGraph) -> _RoadIndex:
    nodes = compiled.nodes
    n = len(nodes)
    try:
        lon = np.fromiter((G.nodes[k]["x"] for k in nodes), dtype=np.float64, count=n)
        lat = np.fromiter((G.nodes[k]["y"] for k in nodes), dtype=np.float64, count=n)
    except KeyError:
        raise PxnetError("every node of the road graph needs 'x' and 'y' coordinates") from None
    crs = str(G.graph.get("crs", "EPSG:4326"))
    if n:
        c_lon, c_lat = transform([float(np.median(lon))], [float(np.median(lat))], src=crs, dst=WGS84)
        metric = local_metric_crs(float(c_lon[0]), float(c_lat[0]), prefer=crs)
    else:
        metric = METRIC_CRS
    x, y = transform(lon, lat, src=crs, dst=metric)
    xy = np.column_stack([x, y])
    # Only the largest strongly connected component: a trip snapped elsewhere could not get back out.
    _, labels = connected_components(compiled.matrix, directed=True, connection="strong")
    main = labels == np.bincount(labels).argmax() if n else np.zeros(0, dtype=bool)
    ordinary = np.zeros(n, dtype=bool)
    index = compiled.index
    for u, v, hw in G.edges(data="highway"):
        values = hw if isinstance(hw, list) else [hw]
        if any(h not in _MOTORWAY for h in values):
            ordinary[index[u]] = ordinary[index[v]] = True
    bounds = (float(x.min()), float(y.min()), float(x.max()), float(y.max())) if n else (0.0, 0.0, 0.0, 0.0)
    return _RoadIndex(weakref.ref(G), compiled, xy, ordinary & main, main, bounds, metric)


def _project(lon: npt.ArrayLike, lat: npt.ArrayLike, road: _RoadIndex) -> FloatArray:
    """WGS-84 points in the metric CRS of ``road``."""
    return np.column_stack(transform(lon, lat, dst=road.metric_crs))


# -- snapping -------------------------------------------------------------------------------------
def _network_of(network_or_scenario: Network | Scenario | None) -> Network:
    if network_or_scenario is None:
        return bundled_network()
    if isinstance(network_or_scenario, Scenario):
        return network_or_scenario.network
    return network_or_scenario


def snap(
    network_or_scenario: Network | Scenario | None,
    G: nx.MultiDiGraph,
    *,
    kinds: Iterable[str] = SNAP_KINDS,
    nodes: Iterable[str] | None = None,
    max_distance_m: float = 2000.0,
    on_far: Literal["raise", "drop"] = "raise",
) -> pd.DataFrame:
    """Attach nodes of a pxnet network (places, stations, interchanges) to the nearest suitable OSM node.

    Distances are straight lines in the road graph's own CRS where it is metric and true to scale, else in its
    local UTM zone (:func:`pxnet.geo.local_metric_crs`; EPSG:32649 in the corridor). A suitable OSM node lies
    in the road graph's largest strongly connected component (so trips can leave and return) and, except
    for interchanges and junctions, on a road other than an expressway (``motorway``/``motorway_link``):
    a city or a station is not entered from the middle of an expressway.

    Parameters
    ----------
    network_or_scenario
        A :class:`~pxnet.Network`, a :class:`~pxnet.Scenario` (its network), or ``None`` for the bundled one.
    G
        A road graph from :func:`~pxnet.osm.load_roads`.
    kinds
        Node kinds to attach (default :data:`SNAP_KINDS`). Only nodes inside the road graph's extent (its
        bounding box grown by ``max_distance_m``) are attached; the others are listed in
        ``attrs["outside"]``: an extract of one city does not try to reach Guangzhou.
    nodes
        Attach exactly these nodes (ids or names) instead, wherever they are.
    max_distance_m
        Refuse a snap longer than this (m).
    on_far
        ``"raise"`` (default): a :class:`SnapError` naming every node beyond ``max_distance_m`` and its
        distance; ``"drop"``: leave those out with a :class:`SnapWarning` (listed in ``attrs["dropped"]``).

    Returns
    -------
    pandas.DataFrame
        Indexed by node ``id``: ``name_zh``, ``kind``, ``osm_node`` (the OSM node key), ``snap_m``.

    Warns
    -----
    DataWarning
        When nothing snaps (the table is empty): the network lies outside the road graph (a graph of another
        region), or every node in reach was dropped as too far.

    Examples
    --------
    >>> import pxnet, tempfile, pathlib
    >>> from pxnet.osm import load_roads, write_osm_xml
    >>> net = pxnet.load_network()
    >>> px, pxn = net.node("萍乡"), net.node("萍乡北")
    >>> path = write_osm_xml(pathlib.Path(tempfile.mkdtemp()) / "px.osm",
    ...     {1: (px.lon, px.lat), 2: (pxn.lon + 0.001, pxn.lat)}, {10: ([1, 2], {"highway": "primary"})})
    >>> table = snap(net, load_roads(path), nodes=["萍乡", "萍乡北"])
    >>> table["osm_node"].tolist(), table["snap_m"].round(-1).tolist()
    ([1, 2], [0.0, 100.0])
    """
    net = _network_of(network_or_scenario)
    road = _index(G)
    table = net.nodes
    if nodes is not None:
        ids = list(dict.fromkeys(net.resolve(str(n)) for n in nodes))
        outside: list[str] = []
    else:
        wanted = set(kinds)
        candidates = table[table["kind"].isin(wanted)]
        xy = _project(candidates["lon"].to_numpy(float), candidates["lat"].to_numpy(float), road)
        x0, y0, x1, y1 = road.bounds
        inside = (
            (xy[:, 0] >= x0 - max_distance_m)
            & (xy[:, 0] <= x1 + max_distance_m)
            & (xy[:, 1] >= y0 - max_distance_m)
            & (xy[:, 1] <= y1 + max_distance_m)
        )
        ids = list(candidates.index[inside])
        outside = list(candidates.index[~inside])
    rows = table.loc[ids]
    xy = _project(rows["lon"].to_numpy(float), rows["lat"].to_numpy(float), road)
    osm_col: list[Hashable | None] = [None] * len(ids)
    dists = np.full(len(ids), np.inf)
    for ordinary in (True, False):
        pick = np.array([(k not in MOTORWAY_KINDS) == ordinary for k in rows["kind"]], dtype=bool)
        if not pick.any():
            continue
        tree, where = road.tree(ordinary)
        if tree.n == 0:
            continue
        d, i = tree.query(xy[pick])
        dists[pick] = d
        for pos, j in zip(np.flatnonzero(pick), np.atleast_1d(i), strict=True):
            osm_col[pos] = road.compiled.nodes[where[j]]
    frame = pd.DataFrame(
        {
            "name_zh": rows["name_zh"].to_numpy(),
            "kind": rows["kind"].to_numpy(),
            "osm_node": osm_col,
            "snap_m": dists,
        },
        index=pd.Index(ids, name="id"),
    )
    far = frame[~(frame["snap_m"] <= max_distance_m)]
    if len(far):
        listed = "; ".join(f"{i} ({r.name_zh}) {_metres(r.snap_m)}" for i, r in far.iterrows())
        message = f"{len(far)} node(s) farther than max_distance_m={max_distance_m:g} m from a suitable road node: "
        if on_far == "raise":
            raise SnapError(message + listed + "; raise max_distance_m, pass nodes=..., or on_far='drop'")
        if on_far != "drop":
            raise PxnetError(f"on_far must be 'raise' or 'drop', not {on_far!r}")
        warn(message + listed + "; left out", SnapWarning)
        frame = frame.drop(index=far.index)
    frame.attrs.update(outside=outside, dropped=list(far.index), max_distance_m=max_distance_m)
    if frame.empty:
        _warn_nothing_snapped(outside, list(far.index), road)
    return frame


def _warn_nothing_snapped(outside: list[str], dropped: list[str], road: _RoadIndex) -> None:
    """Say why a snap attached nothing: the network lies outside the road graph, or every node was too far."""
    if dropped:
        why = f"all {len(dropped)} node(s) in reach were farther than max_distance_m"
    elif outside:
        listed = ", ".join(outside[:5]) + (" …" if len(outside) > 5 else "")
        why = f"none of the {len(outside)} candidate node(s) ({listed}) lies within the road graph's extent"
    else:
        why = "the network has no node of the kinds asked for"
    x0, y0, x1, y1 = road.bounds
    warn(
        f"nothing snapped onto the road graph: {why} (graph extent {x1 - x0:,.0f} × {y1 - y0:,.0f} m in "
        f"{road.metric_crs}); is it a graph of another region? Pass nodes=[...] to attach named nodes wherever "
        "they are",
        DataWarning,
    )


def _metres(value: float) -> str:
    return f"{value:,.0f} m away" if math.isfinite(value) else "with no suitable road node"
