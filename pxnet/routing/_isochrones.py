"""Isochrones: the area reachable from (or able to reach) some origins within bands of travel time.

Network travel time to every node, then the time left at a last-mile speed, drawn as buffers in the
project's metric CRS (:data:`pxnet.geo.METRIC_CRS`) and merged per band. See ``docs/isochrones.md``.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd
import shapely

from ..errors import RoutingError
from ..geo import METRIC_CRS, WGS84, transform
from ..network import Network, bundled_network
from ..scenario import Scenario, ScenarioArg, resolve, resolve_network
from . import _timetable as _timed
from ._api import one_to_all
from ._csr import CompiledGraph, cached_compile
from ._router import Router, get_router

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["DEFAULT_LAST_MILE_KPH", "isochrones", "reach_times"]

#: Last-mile speed (km/h, straight line) used when the network gives none: the bundled data's ``access``
#: speed (urban roads and station approaches, an estimate in ``data/parameters.yaml``). An assumption for
#: networkx graphs; use a walking speed (≈ 4.5 km/h) on a detailed walk graph.
DEFAULT_LAST_MILE_KPH = 30.0

Origins = Hashable | Sequence[Hashable]


def _origin_list(origins: Origins) -> list[Hashable]:
    # A string is one place; lists, tuples, sets and arrays are several (graph keys are rarely tuples).
    if isinstance(origins, (list, tuple, set, frozenset, pd.Index, pd.Series, np.ndarray)):
        out = list(origins)
    else:
        out = [origins]
    if not out:
        raise RoutingError("isochrones need at least one origin")
    return out


def _graph_crs(graph: nx.Graph) -> str:
    return str(graph.graph.get("crs", WGS84))


# Reversed graphs, keyed by the identity of the forward matrix (held, so the id is not reused).
_REVERSED: dict[int, tuple[Any, CompiledGraph]] = {}


def _reversed(compiled: CompiledGraph) -> CompiledGraph:
    key = id(compiled.matrix)
    hit = _REVERSED.get(key)
    if hit is not None and hit[0] is compiled.matrix:
        return hit[1]
    rev = CompiledGraph(compiled.matrix.T.tocsr(), compiled.nodes)
    if len(_REVERSED) > 8:
        _REVERSED.clear()
    _REVERSED[key] = (compiled.matrix, rev)
    return rev


def _router_times(router: Router, origin_ids: list[str], *, to: bool, cutoff: float | None) -> pd.Series:
    """Minutes from the origins to each node (``to=False``) or from each node to them (``to=True``)."""
    if router.mode in ("hsr", "rail"):
        candidates = sorted(router.stations)
    else:
        index = router.graph.index
        candidates = [k[2] for k in router.graph.nodes if isinstance(k, tuple) and k[:2] == ("P", 0)]
        candidates = sorted(c for c in candidates if ("P", 0, c) in index)
    # Forward: start where a trip from the origin starts, arrive where a trip to the node may end.
    # Reverse: search the transposed graph from where trips to the destination end, read it where a
    # trip from the node starts. The router is not symmetric (station entry ≠ exit, first wait ≠ transfer).
    starts: list[int] = []
    for o in origin_ids:
        found = router.targets(o) if to else router.sources(o)
        if not found:
            what = "end" if to else "start"
            raise RoutingError(f"no {router.mode} trip can {what} at {o!r} in scenario {router.scenario.name!r}")
        starts.extend(found)
    graph = _reversed(router.graph) if to else router.graph
    dist, _ = graph.distances(sorted(set(starts)), min_only=True, cutoff=cutoff)
    out: dict[str, float] = {}
    for node in candidates:
        states = router.sources(node) if to else router.targets(node)
        if states:
            value = float(dist[states].min())
            if math.isfinite(value):
                out[node] = value
    return pd.Series(out, dtype=float, name="minutes")


def _graph_times(graph: nx.Graph, keys: list[Hashable], *, to: bool, weight: str, cutoff: float | None) -> pd.Series:
    if not to or not graph.is_directed():
        # one_to_all takes a list of keys on a graph (its annotation says Hashable).
        return one_to_all(keys, network=graph, weight=weight, cutoff=cutoff)
    scale = 60.0 if weight == "travel_time" else 1.0
    limit = None if cutoff is None else cutoff * scale
    return _reversed(cached_compile(graph, weight=weight)).series_from(keys, cutoff=limit, scale=scale)


def reach_times(
    origins: Origins,
    *,
    mode: str = "door_to_door",
    scenario: ScenarioArg = None,
    network: Network | nx.Graph | None = None,
    to: bool = False,
    weight: str = "travel_time",
    cutoff: float | None = None,
    initial_wait_fraction: float | None = None,
    departure: _timed.Departure = None,
    statistic: str | None = None,
) -> pd.DataFrame:
    """Network travel time between the origins and every node, with the nodes' coordinates.

    The step under :func:`isochrones`: minutes from the nearest origin to each node reached, or with
    ``to=True`` from each node to the nearest origin (then a destination).

    Parameters
    ----------
    origins
        A place name or id, or a list of them (pxnet network); a node key or a list of keys (networkx graph).
    mode, scenario, initial_wait_fraction
        As in :func:`pxnet.travel_time` (ignored for a networkx graph). In ``hsr`` and ``rail`` mode only
        stations are reached (a place stands for its stations); in ``road`` and ``door_to_door`` mode every
        road node, and stations once the traveller has left them (``station_exit_min`` included).
    network
        A :class:`~pxnet.Network` (default: the bundled one) or a networkx graph with osmnx conventions
        (node ``x``/``y`` in the graph's ``crs``, default EPSG:4326).
    to
        ``False``: from the origins; ``True``: towards them, routed on the reversed graph.
    weight
        Edge attribute for networkx graphs (``travel_time`` in seconds is reported in minutes).
    cutoff
        Leave out nodes farther than this (minutes).
    departure, statistic
        Times from the scenario's timetable, as in :func:`pxnet.travel_time` (stations reached; ``to=False``).

    Returns
    -------
    pandas.DataFrame
        Indexed by node id (or key), sorted by time: ``minutes``, ``lon``, ``lat`` (WGS-84), ``x``, ``y``
        (metres in :data:`pxnet.geo.METRIC_CRS`). ``attrs``: ``scenario``, ``mode``, ``origins``, ``to``,
        ``data_date``.

    Examples
    --------
    >>> from pxnet.routing import reach_times
    >>> t = reach_times("萍乡北", mode="hsr", scenario=2025, cutoff=60)
    >>> float(t.loc["pingxiang_north", "minutes"])
    0.0
    """
    origin_list = _origin_list(origins)
    if isinstance(network, nx.Graph):
        times = _graph_times(network, origin_list, to=to, weight=weight, cutoff=cutoff)
        if len(times):
            xs = np.array([network.nodes[k]["x"] for k in times.index], dtype=float)
            ys = np.array([network.nodes[k]["y"] for k in times.index], dtype=float)
        else:
            xs = ys = np.zeros(0)
        crs = _graph_crs(network)
        lon, lat = transform(xs, ys, src=crs, dst=WGS84)
        mx, my = transform(xs, ys, src=crs)
        scenario_name = str(network.graph.get("scenario", network.graph.get("name", "graph")))
        data_date = str(network.graph.get("date", network.graph.get("created_date", "unknown")))
        origin_ids: list[Any] = origin_list
        trip_mode = "graph"
    else:
        sc = resolve(scenario, network)
        net = sc.network
        router = get_router(sc, mode, initial_wait_fraction=initial_wait_fraction)
        origin_ids = [net.resolve(str(o)) for o in origin_list]
        times = (
            _router_times(router, origin_ids, to=to, cutoff=cutoff)
            if departure is None or mode == "road"
            else (
                _timed.reach(sc, origin_ids, mode=mode, to=to, cutoff=cutoff, departure=departure, statistic=statistic)
            )
        )
        nodes = net.nodes.loc[times.index]
        lon = nodes["lon"].to_numpy(dtype=float)
        lat = nodes["lat"].to_numpy(dtype=float)
        mx, my = transform(lon, lat)
        scenario_name, data_date, trip_mode = sc.name, net.data_date, mode
    frame = pd.DataFrame({"minutes": times.to_numpy(dtype=float), "lon": lon, "lat": lat, "x": mx, "y": my})
    frame.index = times.index
    frame = frame.sort_values("minutes", kind="stable")
    frame.attrs.update(scenario=scenario_name, mode=trip_mode, origins=origin_ids, to=bool(to), data_date=data_date)
    return frame


def isochrones(
    origins: Origins,
    *,
    bands: Iterable[float] = (60, 120, 180),
    mode: str = "door_to_door",
    scenario: ScenarioArg = None,
    network: Network | nx.Graph | None = None,
    to: bool = False,
    last_mile_kph: float | None = None,
    max_last_mile_min: float | None = None,
    weight: str = "travel_time",
    initial_wait_fraction: float | None = None,
    quad_segs: int = 16,
    departure: _timed.Departure = None,
    statistic: str | None = None,
) -> gpd.GeoDataFrame:
    """Areas reachable from the origins (or, with ``to=True``, from which they are reached) within each band.

    Each node reached after *t* minutes contributes a disc of radius ``last_mile_kph × (band − t)``
    (straight line, in :data:`pxnet.geo.METRIC_CRS`); a band is the union of its discs, so bands are nested,
    several origins merge and holes stay. Not a convex hull. Method: ``docs/isochrones.md``.

    Parameters
    ----------
    origins
        A place name or id, or a list of them (pxnet network); a node key or a list of keys (networkx
        graph). Several origins give the area within reach of the nearest one.
    bands
        Upper bounds of the bands, minutes.
    mode, scenario, initial_wait_fraction
        As in :func:`pxnet.travel_time` (ignored for a networkx graph).
    network
        A :class:`~pxnet.Network` (default: the bundled one) or a networkx graph with osmnx conventions
        (node ``x``/``y`` in the graph's ``crs``, edge ``travel_time`` in seconds).
    to
        ``True`` for to-destination isochrones ("who reaches 武功山 within 3 h"), routed on the reversed graph.
    last_mile_kph
        Straight-line speed from a reached node onwards (km/h). Default: the network's ``access`` speed
        parameter (30 km/h in the bundled data, an estimate), or :data:`DEFAULT_LAST_MILE_KPH` on a graph.
    max_last_mile_min
        Cap on the last-mile time (e.g. 30: only areas within half an hour of a reached node); ``None``: no cap.
    weight
        Edge attribute for networkx graphs.
    quad_segs
        Segments per quarter circle of each disc (16: area within 0.2 % of a true circle).
    departure, statistic
        Times from the scenario's timetable, as in :func:`pxnet.travel_time`.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per band (ascending), EPSG:4326: ``minutes`` (band upper bound), ``area_km2``, ``nodes``
        (nodes contributing), ``places`` and ``population`` (cities and county seats whose own node is
        reached within the band, and their 2020 census population, a city counting its whole prefecture as
        in the accessibility indicators; 0 and NaN on a plain graph),
        ``geometry`` (MultiPolygon, empty when nothing is reached). ``attrs``:
        ``scenario``, ``mode``, ``origins``, ``origin_points`` (lon, lat), ``to``, ``last_mile_kph``,
        ``max_last_mile_min``, ``data_date``, ``network`` (``"bundled"``, a data folder, or ``"graph"``).

    Raises
    ------
    UnknownPlaceError
        For an unknown place.
    RoutingError
        For an unknown trip mode or node key, an origin no trip of the mode can start at, or bad bands.

    Examples
    --------
    >>> from pxnet.routing import isochrones
    >>> gdf = isochrones("萍乡北", bands=(60, 120), mode="hsr", scenario=2025)
    >>> gdf["minutes"].tolist()
    [60.0, 120.0]
    >>> bool(gdf["area_km2"].is_monotonic_increasing)
    True
    """
    import geopandas as gpd

    band_list = sorted({float(b) for b in bands})
    if not band_list or band_list[0] <= 0 or not all(math.isfinite(b) for b in band_list):
        raise RoutingError("bands must be positive, finite minutes")
    net = None if isinstance(network, nx.Graph) else resolve_network(scenario, network)
    if last_mile_kph is None:
        if net is None:
            speed = DEFAULT_LAST_MILE_KPH
        else:
            params = scenario.parameters if isinstance(scenario, Scenario) else net.parameters
            speed = float(params.speed_kph.get("access", DEFAULT_LAST_MILE_KPH))
    else:
        speed = float(last_mile_kph)
    if not speed > 0 or not math.isfinite(speed):
        raise RoutingError("last_mile_kph must be a positive speed")
    if max_last_mile_min is not None and not max_last_mile_min > 0:
        raise RoutingError("max_last_mile_min must be positive (or None)")
    times = reach_times(
        origins,
        mode=mode,
        scenario=scenario,
        network=network,
        to=to,
        weight=weight,
        cutoff=band_list[-1],
        initial_wait_fraction=initial_wait_fraction,
        departure=departure,
        statistic=statistic,
    )
    minutes = times["minutes"].to_numpy()
    points = shapely.points(times["x"].to_numpy(), times["y"].to_numpy())
    metres_per_min = speed * 1000.0 / 60.0
    geoms: list[shapely.Geometry] = []
    counts: list[int] = []
    previous: shapely.Geometry = shapely.Polygon()
    for band in band_list:
        left = band - minutes
        if max_last_mile_min is not None:
            left = np.minimum(left, float(max_last_mile_min))
        mask = left > 0
        discs = shapely.buffer(points[mask], left[mask] * metres_per_min, quad_segs=quad_segs)
        # Union with the previous band too: nesting then holds whatever the floating-point noise.
        geom = shapely.union_all(np.concatenate([np.array([previous], dtype=object), discs]))
        geoms.append(_multipolygon(geom))
        counts.append(int(mask.sum()))
        previous = geom
    metric = gpd.GeoSeries(geoms, crs=METRIC_CRS)
    places, population = _places_within(times, band_list, net)
    frame = gpd.GeoDataFrame(
        {
            "minutes": band_list,
            "area_km2": metric.area.to_numpy() / 1e6,
            "nodes": counts,
            "places": places,
            "population": population,
        },
        geometry=metric.to_crs(WGS84),
        crs=WGS84,
    )
    frame.attrs.update(times.attrs)
    frame.attrs.update(
        origin_points=_origin_points(times, network),
        last_mile_kph=speed,
        max_last_mile_min=max_last_mile_min,
        network=_network_label(network, scenario),
    )
    return frame


def _places_within(times: pd.DataFrame, bands: list[float], net: Network | None) -> tuple[list[int], list[float]]:
    """Per band, how many places (cities, county seats) the trips reach and their census population.

    Counted by travel time to the place's own node, not by the drawn area; NaN population on a plain graph.
    """
    if net is None or not set(times.index) <= set(net.nodes.index):
        return [0] * len(bands), [math.nan] * len(bands)
    kinds = net.nodes["kind"].reindex(times.index)
    people = net.nodes["population"].astype("Float64").astype(float).reindex(times.index)
    settled = kinds.isin(["city", "county_seat"]).to_numpy()
    minutes = times["minutes"].to_numpy()
    out_places = [int((settled & (minutes <= band)).sum()) for band in bands]
    out_people = [float(np.nansum(people.to_numpy()[settled & (minutes <= band)])) for band in bands]
    return out_places, out_people


def _multipolygon(geom: shapely.Geometry) -> shapely.MultiPolygon:
    if geom.is_empty:
        return shapely.MultiPolygon()
    if isinstance(geom, shapely.Polygon):
        return shapely.MultiPolygon([geom])
    if isinstance(geom, shapely.MultiPolygon):
        return geom
    parts = [g for g in shapely.get_parts(geom) if isinstance(g, shapely.Polygon) and not g.is_empty]
    return shapely.MultiPolygon(parts)


def _origin_points(times: pd.DataFrame, network: Network | nx.Graph | None) -> list[list[float]]:
    """Where the origins are drawn: the origin nodes themselves, or for a place in a station mode its stations."""
    origins = times.attrs["origins"]
    at_zero = times[times["minutes"] <= 0.0]
    if isinstance(network, nx.Graph) or not len(at_zero):
        picked = times.loc[[o for o in origins if o in times.index]]
    else:
        picked = at_zero
    return [[float(lon), float(lat)] for lon, lat in zip(picked["lon"], picked["lat"], strict=True)]


def _network_label(network: Network | nx.Graph | None, scenario: ScenarioArg) -> str:
    if isinstance(network, nx.Graph):
        return "graph"
    net = network if network is not None else scenario.network if isinstance(scenario, Scenario) else None
    if net is None or net is bundled_network():
        return "bundled"
    return str(net.folder)
