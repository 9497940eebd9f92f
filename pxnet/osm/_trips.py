"""Door to door on OpenStreetMap roads and the network's rail: one trip, or one origin to every road node.

Part of :mod:`pxnet.osm`, which is the public face (import from there). The composition rule is in
``docs/osm.md``.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from .. import vocabulary
from ..errors import PxnetError, SnapError
from ..network import Network, bundled_network
from ..routing import FloatArray, accept_keywords, get_timed_router, skim, spelled_out
from ..scenario import Scenario, ScenarioArg, resolve
from ._load import Point
from ._options import AttachKeywords, AttachOptions, positive_kph
from ._snap import _index, _metres, _project, _RoadIndex, snap

if TYPE_CHECKING:
    from typing import Unpack

Endpoint: TypeAlias = "str | int | Point"


# -- door to door ---------------------------------------------------------------------------------
@dataclass
class _Context:
    road: _RoadIndex
    scenario: Scenario | None
    connector_kph: float
    entry_s: float
    exit_s: float
    fraction: float | None
    stations: pd.DataFrame  # snapped stations served by rail in the scenario


def _context(
    roads: nx.MultiDiGraph,
    scenario: ScenarioArg,
    network: Network | None,
    *,
    rail: bool,
    attach: AttachOptions,
    initial_wait_fraction: float | None,
) -> _Context:
    road = _index(roads)
    sc: Scenario | None = None
    if rail or network is not None or scenario is not None:
        sc = resolve(scenario, network)
        if network is not None and sc.network is not network:
            raise PxnetError("the scenario belongs to another network than the one given")
    params = sc.parameters if sc is not None else None
    kph = attach.connector_kph
    if kph is None:
        kph = positive_kph(params.speed_kph.get("access", 30.0) if params else 30.0)
    snapped, max_distance_m = attach.snapped, attach.max_distance_m
    stations = pd.DataFrame(columns=["name_zh", "kind", "osm_node", "snap_m"])
    if rail and sc is not None:
        served = set(get_timed_router(sc, "rail").stations)
        if snapped is None:
            snapped = snap(
                sc, roads, kinds=sorted(vocabulary.STATION_KINDS), max_distance_m=max_distance_m, on_far="drop"
            )
        stations = snapped[snapped.index.isin(served) & snapped["osm_node"].notna()]
    return _Context(
        road,
        sc,
        float(kph),
        60.0 * params.station_entry_min if params else 0.0,
        60.0 * params.station_exit_min if params else 0.0,
        initial_wait_fraction,
        stations,
    )


def _endpoint(end: Endpoint, ctx: _Context, attach: AttachOptions) -> tuple[int, float]:
    """Matrix index of the OSM node a trip end is attached to, and the connector time to it (s)."""
    road, snapped, max_distance_m = ctx.road, attach.snapped, attach.max_distance_m
    if isinstance(end, numbers.Integral) and not isinstance(end, bool):
        if end not in road.compiled.index:
            raise SnapError(f"OSM node {end!r} is not in the road graph")
        return road.compiled.index[end], 0.0
    if isinstance(end, tuple) and len(end) == 2:
        lon, lat = float(end[0]), float(end[1])
        tree, where = road.tree(True)
        if tree.n == 0:
            raise SnapError("the road graph has no suitable node to attach a point to")
        d, i = tree.query(_project([lon], [lat], road)[0])
        if not d <= max_distance_m:
            raise SnapError(f"point ({lon}, {lat}) is {_metres(float(d))} from the roads (> {max_distance_m:g} m)")
        return int(where[int(i)]), float(d) / (ctx.connector_kph / 3.6)
    if isinstance(end, str):
        net = ctx.scenario.network if ctx.scenario is not None else bundled_network()
        node_id = net.resolve(end)
        if snapped is not None and node_id in snapped.index and pd.notna(snapped.at[node_id, "osm_node"]):
            row = snapped.loc[node_id]
        else:
            row = snap(net, road.graph, nodes=[node_id], max_distance_m=max_distance_m).iloc[0]
        return road.compiled.index[row["osm_node"]], float(row["snap_m"]) / (ctx.connector_kph / 3.6)
    raise SnapError(f"a trip end is a place name or id, an OSM node key or a (lon, lat) pair, not {end!r}")


def _station_connectors(ctx: _Context) -> tuple[list[str], list[int], FloatArray]:
    st = ctx.stations
    ids = list(st.index)
    idx = [ctx.road.compiled.index[n] for n in st["osm_node"]]
    conn = st["snap_m"].to_numpy(float) / (ctx.connector_kph / 3.6)
    return ids, idx, conn


def _rail_minutes(ctx: _Context, origins: list[str], destinations: list[str]) -> FloatArray:
    assert ctx.scenario is not None
    m = skim(
        origins,
        destinations,
        mode="rail",
        scenario=ctx.scenario,
        network=ctx.scenario.network,
        initial_wait_fraction=ctx.fraction,
    )
    values: FloatArray = m.to_numpy(dtype=float).copy()
    for r, o in enumerate(origins):  # a "rail trip" from a station to itself is no rail trip
        for c, d in enumerate(destinations):
            if o == d:
                values[r, c] = np.inf
    return values


@spelled_out(AttachKeywords, AttachOptions)
def door_to_door_options(
    origin: Endpoint,
    destination: Endpoint,
    *,
    roads: nx.MultiDiGraph,
    scenario: ScenarioArg = None,
    network: Network | None = None,
    rail: bool = True,
    initial_wait_fraction: float | None = None,
    **options: Unpack[AttachKeywords],
) -> pd.DataFrame:
    """Every way from door to door on the OSM roads: driving, and each pair of stations by rail.

    Parameters
    ----------
    origin, destination
        A place or node of the network (id or name, attached with :func:`~pxnet.osm.snap`), an OSM node key of
        ``roads``, or a ``(lon, lat)`` point (attached to the nearest ordinary road node).
    roads
        A road graph from :func:`~pxnet.osm.load_roads`.
    scenario, network
        The pxnet scenario whose rail services run (default: the bundled network as built today).
    rail
        Consider rail at all.
    initial_wait_fraction
        As in :func:`pxnet.travel_time`.

    Returns
    -------
    pandas.DataFrame
        One row per option, fastest first: ``option`` (``drive``/``rail``), ``from_station``,
        ``to_station``, ``access_min`` (origin to the first station's door, or the whole drive), ``entry_min``,
        ``rail_min`` (``pxnet.skim(mode="rail")``: initial wait, rides, transfers), ``exit_min``, ``egress_min``
        and ``minutes``. Unreachable options are left out. ``attrs["minutes"]`` is the best (``inf`` if none).

    Other Parameters
    ----------------
    snapped : pandas.DataFrame or None
        A :func:`~pxnet.osm.snap` table to use for places and stations (default: snap as needed; stations too far
        from the roads are left out with a :class:`~pxnet.osm.SnapWarning`).
    max_distance_m : float
        Longest attachment of a trip end or station to the roads (m).
    connector_kph : float or None
        Speed over the straight-line gap between a place, station or point and its OSM node (default: the
        network's ``access`` speed, 30 km/h).

    Examples
    --------
    >>> import pxnet, tempfile, pathlib
    >>> from pxnet.osm import load_roads, write_osm_xml
    >>> net = pxnet.load_network()
    >>> ends = ["pingxiang", "pingxiang_north", "yichun_station", "yichun"]
    >>> points = {k + 1: (net.node(n).lon, net.node(n).lat) for k, n in enumerate(ends)}
    >>> path = write_osm_xml(pathlib.Path(tempfile.mkdtemp()) / "line.osm", points,
    ...                      {10: ([1, 2, 3, 4], {"highway": "tertiary", "maxspeed": "30"})})
    >>> G = load_roads(path, simplify=False)
    >>> options = door_to_door_options("萍乡", 4, roads=G, scenario=2025, network=net, snapped=snap(net, G, nodes=ends))
    >>> options.loc[0, ["option", "from_station", "to_station"]].tolist()
    ['rail', 'pingxiang_north', 'yichun_station']
    """
    accept_keywords(options, AttachKeywords, function="door_to_door_options")
    attach = AttachOptions.pick(options)
    ctx = _context(roads, scenario, network, rail=rail, attach=attach, initial_wait_fraction=initial_wait_fraction)
    o, o_conn = _endpoint(origin, ctx, attach)
    d, d_conn = _endpoint(destination, ctx, attach)
    fwd = dijkstra(ctx.road.compiled.matrix, directed=True, indices=o)
    bwd = dijkstra(ctx.road.reverse, directed=True, indices=d)
    rows: list[dict[str, Any]] = []
    drive = o_conn + fwd[d] + d_conn
    if math.isfinite(drive):
        rows.append(dict(option="drive", from_station="", to_station="", access_min=drive / 60, minutes=drive / 60))
    ids, idx, conn = _station_connectors(ctx)
    if rail and len(ids) >= 2:
        access = o_conn + fwd[idx] + conn
        egress = conn + bwd[idx] + d_conn
        usable_from = [i for i in range(len(ids)) if math.isfinite(access[i])]
        usable_to = [j for j in range(len(ids)) if math.isfinite(egress[j])]
        if usable_from and usable_to:
            minutes = _rail_minutes(ctx, [ids[i] for i in usable_from], [ids[j] for j in usable_to])
            for r, i in enumerate(usable_from):
                for c, j in enumerate(usable_to):
                    if not math.isfinite(minutes[r, c]):
                        continue
                    parts = (access[i] / 60, ctx.entry_s / 60, minutes[r, c], ctx.exit_s / 60, egress[j] / 60)
                    rows.append(
                        dict(
                            option="rail",
                            from_station=ids[i],
                            to_station=ids[j],
                            access_min=parts[0],
                            entry_min=parts[1],
                            rail_min=parts[2],
                            exit_min=parts[3],
                            egress_min=parts[4],
                            minutes=sum(parts),
                        )
                    )
    columns = ["option", "from_station", "to_station", "access_min", "entry_min", "rail_min", "exit_min"]
    frame = pd.DataFrame(rows, columns=[*columns, "egress_min", "minutes"]).fillna(
        {"entry_min": 0.0, "rail_min": 0.0, "exit_min": 0.0, "egress_min": 0.0}
    )
    frame = frame.sort_values("minutes", kind="stable").reset_index(drop=True)
    frame.attrs.update(
        minutes=float(frame["minutes"].min()) if len(frame) else math.inf,
        origin=origin,
        destination=destination,
        origin_osm_node=ctx.road.compiled.nodes[o],
        destination_osm_node=ctx.road.compiled.nodes[d],
        scenario=ctx.scenario.name if ctx.scenario is not None else None,
    )
    return frame


@spelled_out(AttachKeywords, AttachOptions)
def door_to_door(
    origin: Endpoint,
    destination: Endpoint,
    *,
    roads: nx.MultiDiGraph,
    scenario: ScenarioArg = None,
    network: Network | None = None,
    rail: bool = True,
    initial_wait_fraction: float | None = None,
    **options: Unpack[AttachKeywords],
) -> float:
    """Fastest door-to-door time in minutes on real roads: driving, or driving to a station, rail, driving on.

    The best of (a) driving on ``roads`` and (b) for every pair of snapped stations served by rail in the
    scenario: OSM access + ``station_entry_min`` + the rail trip (``pxnet.skim(mode="rail")``, with its initial
    wait) + ``station_exit_min`` + OSM egress. Parameters and the per-option breakdown:
    :func:`door_to_door_options`.

    Returns
    -------
    float
        Minutes (``math.inf`` when unreachable).

    Examples
    --------
    A road from 萍乡 past 萍乡北 to 宜春 at 30 km/h: the train beats driving.

    >>> import pxnet, tempfile, pathlib
    >>> from pxnet.osm import load_roads, write_osm_xml
    >>> net = pxnet.load_network()
    >>> ends = ["pingxiang", "pingxiang_north", "yichun_station", "yichun"]
    >>> points = {k + 1: (net.node(n).lon, net.node(n).lat) for k, n in enumerate(ends)}
    >>> path = write_osm_xml(pathlib.Path(tempfile.mkdtemp()) / "line.osm", points,
    ...                      {10: ([1, 2, 3, 4], {"highway": "tertiary", "maxspeed": "30"})})
    >>> G = load_roads(path, simplify=False)  # keep the nodes at the stations
    >>> snapped = snap(net, G, nodes=ends)
    >>> t = door_to_door("萍乡", "宜春", roads=G, scenario=2025, network=net, snapped=snapped)
    >>> drive = door_to_door("萍乡", "宜春", roads=G, rail=False, network=net, snapped=snapped)
    >>> bool(t < drive)
    True
    """
    accept_keywords(options, AttachKeywords, function="door_to_door")
    return float(
        door_to_door_options(
            origin,
            destination,
            roads=roads,
            scenario=scenario,
            network=network,
            rail=rail,
            initial_wait_fraction=initial_wait_fraction,
            **options,
        ).attrs["minutes"]
    )


# -- one origin to every road node -------------------------------------------------------------------
def _with_super_source(matrix: sp.csr_array, targets: Sequence[int], offsets: Sequence[float]) -> sp.csr_array:
    """Return the matrix with one extra node (the last) and edges to ``targets`` weighted ``offsets``.

    A multi-source Dijkstra with initial offsets is a one-source Dijkstra from that node.
    """
    n = matrix.shape[0]
    dtype = matrix.indices.dtype
    data = np.concatenate([matrix.data, np.asarray(offsets, dtype=np.float64)])
    indices = np.concatenate([matrix.indices, np.asarray(targets, dtype=dtype)])
    indptr = np.concatenate([matrix.indptr, np.asarray([matrix.nnz + len(targets)], dtype=matrix.indptr.dtype)])
    return sp.csr_array((data, indices, indptr), shape=(n + 1, n + 1))


@spelled_out(AttachKeywords, AttachOptions)
def travel_times_from(
    origin: Endpoint,
    *,
    roads: nx.MultiDiGraph,
    scenario: ScenarioArg = None,
    network: Network | None = None,
    rail: bool = True,
    cutoff: float | None = None,
    initial_wait_fraction: float | None = None,
    **options: Unpack[AttachKeywords],
) -> pd.Series:
    """Door-to-door minutes from one origin to every OSM node reached, by road and rail (for isochrones).

    Drive from the origin; at every snapped station reached, add ``station_entry_min`` and the rail trip to
    every other station (``pxnet.skim(mode="rail")``); from each station left, ``station_exit_min`` later,
    drive on. The roads are searched once from all these starts with their arrival times as initial
    offsets (a multi-source Dijkstra through a temporary super-source). Same rule as :func:`door_to_door`:
    ``travel_times_from(o)[n] == door_to_door(o, n)`` for every OSM node ``n``.

    Parameters
    ----------
    origin, roads, scenario, network, rail, initial_wait_fraction
        As in :func:`door_to_door_options`.
    cutoff
        Leave out nodes reached after this many minutes.

    Returns
    -------
    pandas.Series
        Minutes indexed by OSM node key (named ``minutes``); unreached nodes are left out.

    Other Parameters
    ----------------
    snapped : pandas.DataFrame or None
        As in :func:`door_to_door_options`.
    max_distance_m : float
        As in :func:`door_to_door_options`.
    connector_kph : float or None
        As in :func:`door_to_door_options`.

    Examples
    --------
    >>> import pxnet, tempfile, pathlib
    >>> from pxnet.osm import load_roads, write_osm_xml
    >>> net = pxnet.load_network()
    >>> ends = ["pingxiang", "pingxiang_north", "yichun_station", "yichun"]
    >>> points = {k + 1: (net.node(n).lon, net.node(n).lat) for k, n in enumerate(ends)}
    >>> path = write_osm_xml(pathlib.Path(tempfile.mkdtemp()) / "line.osm", points,
    ...                      {10: ([1, 2, 3, 4], {"highway": "tertiary", "maxspeed": "30"})})
    >>> G = load_roads(path, simplify=False)
    >>> snapped = snap(net, G, nodes=ends)
    >>> times = travel_times_from("萍乡", roads=G, scenario=2025, network=net, snapped=snapped)
    >>> times.index.tolist()
    [1, 2, 3, 4]
    >>> bool(abs(times[4] - door_to_door("萍乡", 4, roads=G, scenario=2025, network=net, snapped=snapped)) < 1e-9)
    True
    """
    accept_keywords(options, AttachKeywords, function="travel_times_from")
    attach = AttachOptions.pick(options)
    ctx = _context(roads, scenario, network, rail=rail, attach=attach, initial_wait_fraction=initial_wait_fraction)
    o, o_conn = _endpoint(origin, ctx, attach)
    matrix = ctx.road.compiled.matrix
    limit = np.inf if cutoff is None else float(cutoff) * 60.0
    starts: dict[int, float] = {o: o_conn}
    ids, idx, conn = _station_connectors(ctx)
    if rail and len(ids) >= 2:
        fwd = dijkstra(matrix, directed=True, indices=o, limit=limit)
        access = o_conn + fwd[idx] + conn
        usable = [i for i in range(len(ids)) if math.isfinite(access[i]) and access[i] + ctx.entry_s <= limit]
        if usable:
            minutes = _rail_minutes(ctx, [ids[i] for i in usable], ids)
            depart = access[usable] + ctx.entry_s
            arrive = (depart[:, None] + 60.0 * minutes).min(axis=0)
            for j, t in enumerate(arrive):
                offset = t + ctx.exit_s + conn[j]
                if math.isfinite(offset) and offset <= limit and offset < starts.get(idx[j], math.inf):
                    starts[idx[j]] = float(offset)
    n = matrix.shape[0]
    augmented = _with_super_source(matrix, list(starts), list(starts.values()))
    dist = dijkstra(augmented, directed=True, indices=n, limit=limit)[:n]
    reached = np.flatnonzero(np.isfinite(dist))
    keys = ctx.road.compiled.nodes
    series = pd.Series(dist[reached] / 60.0, index=pd.Index([keys[i] for i in reached]), name="minutes")
    series.attrs.update(origin=origin, origin_osm_node=keys[o], scenario=ctx.scenario.name if ctx.scenario else None)
    return series
