"""Track under a scenario: its links as arrays, and each service's path and running time between its stops.

A layer of its own between the network and the scenario: :class:`~pxnet.Scenario` asks it which services can
run (:attr:`~pxnet.Scenario.service_segments`), and the routing engines read the same arrays. Each is remembered
under pxnet's cache policy (:mod:`pxnet._cache`): per scenario for the arrays, per network under a fingerprint
of the inputs for the service paths, so a derived scenario whose rail links are unchanged reuses its parent's.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import _cache, vocabulary
from .errors import ScenarioError, warn
from .network import hashed_key

if TYPE_CHECKING:  # annotations only: the scenario layer calls this one
    import networkx as nx

    from .network import Network
    from .scenario import Scenario

#: Which links a graph holds: None/"all", a mode group ("hsr", "rail", "road", "door_to_door", "freight"), a link
#: mode, or several link modes.
ModeArg = str | frozenset[str] | set[str] | list[str] | tuple[str, ...] | None

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


def road_links_key(sc: Scenario) -> bytes:
    """Return a fingerprint of the scenario's road links, made once per scenario: what every road answer reads.

    Scenarios with the same key share the road router and the road times to and from stations.
    """
    key: bytes = _cache.memo(sc, "routing inputs").get(
        "road key", lambda: link_arrays(sc).subset(vocabulary.ROAD_MODES).fingerprint()
    )
    return key


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
    import scipy.sparse as sp
    from scipy.sparse.csgraph import dijkstra

    net = sc.network
    records = _service_records(net)
    n = len(net.nodes)
    searches: dict[str, tuple[Any, Any, dict[int, int], dict[tuple[int, int], int], LinkArrays]] = {}
    for mode in vocabulary.SERVICE_MODES:
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
        # One edge per (u, v), the fastest: no parallel edges for the matrix to add up.
        matrix = sp.csr_array((minutes[pick], (u[pick], v[pick])), shape=(n, n))
        dist, pred = dijkstra(matrix, directed=True, indices=sources, return_predecessors=True)
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


#: What a graph's ``node_ids`` attribute says of its node keys, for each ``node_keys`` choice.
_NODE_IDS = {
    "id": "node keys are the text ids of nodes.csv; Network.resolve(name) gives the id of a place or station",
    "hash": "integer keys hash the text ids (node_keys='hash', deprecated); node attribute 'id' holds the text id",
}


def _node_key_function(node_keys: str) -> Callable[[str], Hashable]:
    # The key of a node id in a graph: the id itself, or (deprecated, one release) the integer of earlier releases.
    if node_keys == "id":
        return str
    if node_keys == "hash":
        warn(
            "node_keys='hash' (integer node keys) is deprecated and goes in pxnet 0.4: graphs are keyed by node id "
            "by default (G.nodes['pingxiang_north']); Network.resolve(name) gives the id of a place or station",
            FutureWarning,
        )
        return hashed_key
    raise ScenarioError(
        f"node_keys must be 'id' or 'hash', not {node_keys!r}{vocabulary.did_you_mean(str(node_keys), _NODE_IDS)}"
    )


def links_graph(scenario: Scenario, *, mode: ModeArg = None, node_keys: str = "id") -> nx.MultiDiGraph:
    """Return the physical network of a scenario as an osmnx-convention ``MultiDiGraph`` keyed by node id.

    :meth:`pxnet.Scenario.graph` and :func:`pxnet.convert.to_networkx` return it.

    Parameters
    ----------
    scenario
        The scenario whose links (with their speeds and times in it) make the graph.
    mode
        Which links to include: ``None``/``"all"``, a group (``"hsr"``, ``"rail"``, ``"road"``,
        ``"door_to_door"``, ``"freight"``), a link mode, or several link modes.
    node_keys
        ``"id"`` (default): nodes are keyed by their text ids (``G.nodes["pingxiang_north"]``). ``"hash"``:
        the integer keys of earlier releases (:func:`pxnet.network.hashed_key` of each id), with a ``FutureWarning``;
        they go in pxnet 0.4.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes carry ``x``, ``y`` (WGS-84 degrees) and the node table's fields; edges carry ``id``,
        ``length`` (m), ``speed_kph``, ``travel_time`` (s), ``mode``, ``status``, ``project``, ``line``,
        ``reversed``. Two-way links appear once in each direction. Only nodes touched by an included link are
        in the graph. Graph attributes: ``crs`` (EPSG:4326), ``name``, ``scenario``, ``date``, ``basis``,
        ``modes``, ``node_ids`` (how to read the node keys).

    Raises
    ------
    ScenarioError
        For a ``node_keys`` other than ``"id"`` and ``"hash"``.

    Warns
    -----
    FutureWarning
        For ``node_keys="hash"``: integer keys go in pxnet 0.4.

    Notes
    -----
    **Node keys are the text ids of** ``nodes.csv`` (``"pingxiang_north"``); :meth:`pxnet.Network.resolve` turns a
    Chinese or English name into one. The node attribute ``id`` holds the id too. osmnx works on the graph as it
    is (``ox.graph_to_gdfs`` names the node index ``osmid``; ``ox.project_graph``), except that
    ``ox.routing.shortest_path`` takes a text key for a list of origins: give it one-element lists
    (``ox.routing.shortest_path(G, ["pingxiang"], ["changsha"])[0]``) or use ``nx.shortest_path``.
    osmnx reads OpenStreetMap node keys back from GraphML as integers: read a pxnet graph with
    ``ox.load_graphml(path, node_dtypes={"osmid": str})`` (see :func:`pxnet.convert.to_graphml`).

    **An edge's ``travel_time`` is the running time over the track or road, not a journey time.** A rail edge
    has no boarding wait, dwell, stop loss, change of trains or station access; a shortest path over this graph
    is not what a traveller takes. For journeys use :func:`pxnet.travel_time`, :func:`pxnet.route` or
    :func:`pxnet.skim`.

    Examples
    --------
    >>> import pxnet
    >>> net = pxnet.load_network()
    >>> G = links_graph(pxnet.get_scenario(2025, network=net), mode="hsr")
    >>> G.nodes["pingxiang_north"]["name_zh"], G.nodes[net.resolve("萍乡北")]["id"]
    ('萍乡北', 'pingxiang_north')
    """
    import networkx as nx

    key_of = _node_key_function(node_keys)
    modes = vocabulary.link_modes(mode)
    links = scenario.links[scenario.links["mode"].isin(modes)]
    G = nx.MultiDiGraph(
        crs="EPSG:4326",
        name=f"pxnet {scenario.name}",
        scenario=scenario.name,
        date=scenario.date.isoformat(),
        basis=scenario.basis,
        modes=",".join(sorted(modes)),
        node_ids=_NODE_IDS[node_keys],
    )
    network = scenario.network
    used = pd.unique(pd.concat([links["from"], links["to"]]))
    nodes = network.nodes.loc[used] if len(used) else network.nodes.iloc[:0]
    for node in nodes.itertuples(index=False):
        attrs = {
            "id": node.id,
            "x": float(node.lon),
            "y": float(node.lat),
            "name": node.name_zh,
            "name_zh": node.name_zh,
            "name_en": node.name_en,
            "kind": node.kind,
        }
        if isinstance(node.place, str):
            attrs["place"] = node.place
        if not pd.isna(node.population):
            attrs["population"] = int(node.population)
        G.add_node(key_of(node.id), **attrs)
    for link in links.itertuples(index=False):
        attrs = {
            "id": link.id,
            "length": float(link.length_km) * 1000.0,
            "speed_kph": float(link.speed_kph),
            "travel_time": float(link.time_min) * 60.0,
            "mode": link.mode,
            "status": link.status,
            "project": link.project if isinstance(link.project, str) else "",
            "line": link.line_name,
            "oneway": bool(link.oneway),
        }
        u, v = key_of(link[1]), key_of(link[2])
        G.add_edge(u, v, reversed=False, **attrs)
        if not link.oneway:
            G.add_edge(v, u, reversed=True, **attrs)
    return G
