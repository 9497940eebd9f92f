"""Isochrones: the area reachable from (or able to reach) some origins within bands of travel time.

Network travel time to every node, then the time left at a last-mile speed, drawn as buffers in the
project's metric CRS (:data:`pxnet.geo.METRIC_CRS`) and merged per band. See ``docs/isochrones.md``.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Hashable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import networkx as nx
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely

from ..errors import RoutingError
from ..geo import METRIC_CRS, WGS84, local_metric_crs, transform
from ..network import Network, bundled_network
from ..scenario import Scenario, ScenarioArg, resolve, resolve_network
from ..vocabulary import ARGUMENT_LIMITS, DEFAULT_TRIP_MODE, STATION_KINDS, check_argument
from ._api import _scale, warn_wait_fraction
from ._request import (
    MAX_BAND_MIN,
    BandOptions,
    GraphOptions,
    IsochroneKeywords,
    ReachKeywords,
    Request,
    TimingOptions,
    accept_keywords,
    check_last_mile_kph,
    check_walk_kph,
    spelled_out,
)
from .graph import CompiledGraph, Router, cached_compile, get_router
from .timetable import reach

if TYPE_CHECKING:
    from typing import Unpack

    import geopandas as gpd

__all__ = ["DEFAULT_LAST_MILE_KPH", "isochrones", "reach_times"]

#: Last-mile speed (km/h, straight line) used when the network gives none: the bundled data's ``access``
#: speed (urban roads and station approaches, an estimate in ``data/parameters.yaml``). An assumption for
#: networkx graphs; use a walking speed (≈ 4.5 km/h) on a detailed walk graph.
DEFAULT_LAST_MILE_KPH = 30.0
#: Walking speed on a street graph that carries no ``travel_time`` (km/h): 80 m a minute, the usual planning
#: assumption for an adult on foot (estimate).
WALKING_KPH = 4.8

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


def _reversed(compiled: CompiledGraph) -> CompiledGraph:
    return compiled.reversed()  # kept with the compiled graph (pxnet._cache policy)


def _router_times(router: Router, origin_ids: list[str], *, to: bool, cutoff: float | None) -> pd.Series:
    """Minutes from the origins to each node (``to=False``) or from each node to them (``to=True``)."""
    candidates = router.place_nodes()  # the stations, for the station-to-station modes
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


class _GraphReach(NamedTuple):
    """Nodes of a graph reached by a search: their keys, minutes and coordinates."""

    keys: npt.NDArray[Any]
    minutes: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    metric_crs: str


# Per compiled graph (held, so the id is not reused): node coordinates in the graph's CRS and WGS-84, and
# in each metric CRS asked for, aligned with the matrix indices. Built once: a 500k-node graph takes a
# second of Python attribute look-ups and projections that repeated isochrones then skip.
_COORDS: dict[int, tuple[CompiledGraph, dict[str, tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]]]] = {}


def _node_coordinates(
    graph: nx.Graph, compiled: CompiledGraph, crs: str
) -> dict[str, tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]]:
    hit = _COORDS.get(id(compiled))
    if hit is not None and hit[0] is compiled:
        return hit[1]
    nodes = graph.nodes
    n = len(compiled.nodes)
    try:
        xs = np.fromiter((nodes[k]["x"] for k in compiled.nodes), dtype=float, count=n)
        ys = np.fromiter((nodes[k]["y"] for k in compiled.nodes), dtype=float, count=n)
    except KeyError as exc:
        raise RoutingError(f"graph nodes need 'x' and 'y' coordinates (in the graph's crs); missing {exc}") from None
    table = {crs: (xs, ys), WGS84: transform(xs, ys, src=crs, dst=WGS84)}
    if len(_COORDS) >= 4:
        _COORDS.clear()
    _COORDS[id(compiled)] = (compiled, table)
    return table


def walking_speed(graph: nx.Graph, weight: str, walk_kph: float | None) -> float | None:
    """Return the speed to walk a street graph's lengths at, or None to route on ``weight``.

    ``walk_kph`` when given; :data:`WALKING_KPH` when the graph is asked for ``travel_time`` but its edges carry
    none (a raw osmnx street graph).
    """
    if walk_kph is not None:
        return check_walk_kph(walk_kph)
    if weight != "travel_time" or graph.number_of_edges() == 0:
        return None
    data = next(iter(graph.edges(data=True)))[-1]
    return WALKING_KPH if "travel_time" not in data and "length" in data else None


def _graph_reach(
    graph: nx.Graph,
    keys: list[Hashable],
    *,
    to: bool,
    weight: str,
    cutoff: float | None,
    walk_kph: float | None = None,
) -> _GraphReach:
    if walk_kph is not None:  # the street lengths (metres) at a walking speed: minutes are metres / (m/min)
        weight = "length"
    compiled = cached_compile(graph, weight=weight)
    search = _reversed(compiled) if to and graph.is_directed() else compiled
    scale = walk_kph * 1000.0 / 60.0 if walk_kph is not None else _scale(weight)
    limit = None if cutoff is None else cutoff * scale
    dist, _ = search.distances(compiled.indices(keys), cutoff=limit, min_only=True)
    reached = np.flatnonzero(np.isfinite(dist))
    crs = _graph_crs(graph)
    table = _node_coordinates(graph, compiled, crs)
    lon_all, lat_all = table[WGS84]
    origins = compiled.indices(keys)
    metric_crs = local_metric_crs(float(lon_all[origins].mean()), float(lat_all[origins].mean()), prefer=crs)
    if metric_crs not in table:
        table[metric_crs] = transform(*table[crs], src=crs, dst=metric_crs)
    mx, my = table[metric_crs]
    return _GraphReach(
        compiled.node_array[reached],
        dist[reached] / scale,
        lon_all[reached],
        lat_all[reached],
        mx[reached],
        my[reached],
        metric_crs,
    )


@spelled_out(ReachKeywords, TimingOptions, GraphOptions)
def reach_times(
    origins: Origins,
    *,
    mode: str = DEFAULT_TRIP_MODE,
    scenario: ScenarioArg = None,
    network: Network | nx.Graph | None = None,
    to: bool = False,
    weight: str = "travel_time",
    cutoff: float | None = None,
    initial_wait_fraction: float | None = None,
    **options: Unpack[ReachKeywords],
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

    Returns
    -------
    pandas.DataFrame
        Indexed by node id (or key), sorted by time: ``minutes``, ``lon``, ``lat`` (WGS-84), ``x``, ``y``
        (metres in ``attrs["metric_crs"]``: :data:`pxnet.geo.METRIC_CRS` on a pxnet network; on a graph its
        own CRS when that is metric and true to scale within 1 % at the origins, else the origins' UTM zone,
        :func:`pxnet.geo.local_metric_crs`). ``attrs``: ``scenario``, ``scenario_basis``, ``mode``, ``origins``, ``to``,
        ``data_date``, ``metric_crs``.

    Other Parameters
    ----------------
    departure : str, datetime.time, tuple or None
        As in :func:`pxnet.travel_time`: every rail and door-to-door time comes from the scenario's timetable
        (default the fastest journey of the service day); ``to=True`` reads the times towards the origins.
    statistic : str or None
        As in :func:`pxnet.travel_time`.
    arrival : str, datetime.time or None
        With ``to=True``: arrive at the origins by this clock time (``"12:00"``); a node's minutes are the
        arrival time less the latest departure from it that arrives in time.
    walk_kph : float or None
        On a networkx graph: walk its street ``length`` at this speed (km/h, above 0 and at most 30). By default a
        graph asked for ``travel_time`` whose edges carry none (a raw osmnx street graph) is walked at
        :data:`WALKING_KPH`.

    Examples
    --------
    >>> from pxnet.routing import reach_times
    >>> t = reach_times("萍乡北", mode="hsr", scenario=2025, cutoff=60)
    >>> float(t.loc["pingxiang_north", "minutes"])
    0.0
    """
    accept_keywords(options, ReachKeywords, function="reach_times")
    graph = GraphOptions(weight=weight, walk_kph=options.get("walk_kph"))
    timing = TimingOptions.pick(options)
    request = Request(mode=mode, scenario=scenario, network=network, to=to, cutoff=cutoff, timing=timing, graph=graph)
    _warn_wait_fraction(network, initial_wait_fraction)
    return _reach_times(origins, request)


def _warn_wait_fraction(network: object, initial_wait_fraction: float | None) -> None:
    if initial_wait_fraction is not None and not isinstance(network, nx.Graph):
        warn_wait_fraction()


def _reach_times(origins: Origins, request: Request) -> pd.DataFrame:
    """Return :func:`reach_times` of a validated request."""
    mode, scenario, network, to, cutoff = request.mode, request.scenario, request.network, request.to, request.cutoff
    departure, statistic, arrival = request.timing.departure, request.timing.statistic, request.timing.arrival
    origin_list = _origin_list(origins)
    if isinstance(network, nx.Graph):
        weight = request.graph.weight
        walk = walking_speed(network, weight, request.graph.walk_kph)
        found = _graph_reach(network, origin_list, to=to, weight=weight, cutoff=cutoff, walk_kph=walk)
        index: pd.Index = pd.Index(found.keys)
        minutes, lon, lat, mx, my = found.minutes, found.lon, found.lat, found.x, found.y
        metric_crs = found.metric_crs
        scenario_name = str(network.graph.get("scenario", network.graph.get("name", "graph")))
        scenario_basis = str(network.graph.get("basis", "graph"))
        data_date = str(network.graph.get("date", network.graph.get("created_date", "unknown")))
        origin_ids: list[Any] = origin_list
        trip_mode = "graph"
    else:
        sc = resolve(scenario, network)
        net = sc.network
        origin_ids = [net.resolve(str(o)) for o in origin_list]
        if mode == "road":
            if departure is not None or arrival is not None:
                raise RoutingError(
                    "departure= and arrival= ask the timetable: use mode 'hsr', 'rail' or 'door_to_door'"
                )
            times = _router_times(get_router(sc, mode), origin_ids, to=to, cutoff=cutoff)
        else:
            times = reach(
                sc,
                origin_ids,
                mode=mode,
                to=to,
                cutoff=cutoff,
                departure=departure,
                statistic=statistic,
                arrival=arrival,
            )
        index = times.index
        minutes = times.to_numpy(dtype=float)
        nodes = net.nodes.loc[times.index]
        lon = nodes["lon"].to_numpy(dtype=float)
        lat = nodes["lat"].to_numpy(dtype=float)
        metric_crs = METRIC_CRS
        mx, my = transform(lon, lat, dst=metric_crs)
        scenario_name, scenario_basis, data_date, trip_mode = sc.name, sc.basis, net.data_date, mode
    frame = pd.DataFrame({"minutes": minutes, "lon": lon, "lat": lat, "x": mx, "y": my}, index=index)
    frame = frame.sort_values("minutes", kind="stable")
    frame.attrs.update(
        scenario=scenario_name,
        scenario_basis=scenario_basis,
        mode=trip_mode,
        origins=origin_ids,
        to=bool(to),
        data_date=data_date,
        metric_crs=metric_crs,
    )
    return frame


def _band_list(bands: Iterable[float] | float) -> list[float]:
    """Return the bands' upper bounds, sorted and distinct; a ``RoutingError`` for one that is no band."""
    if isinstance(bands, (int, float)):
        bands = [bands]
    band_list = sorted({check_argument("bands", b, ARGUMENT_LIMITS["band"]) for b in bands})
    if not band_list or band_list[0] <= 0 or not all(math.isfinite(b) for b in band_list):
        raise RoutingError("bands must be positive, finite minutes")
    if band_list[-1] > MAX_BAND_MIN:
        raise RoutingError(f"bands must be at most {MAX_BAND_MIN:,.0f} minutes (a week), got {band_list[-1]:g}")
    return band_list


def _last_mile_speed(
    last_mile_kph: float | None, scenario: ScenarioArg, net: Network | None, *, walk: float | None
) -> float:
    """Return the last mile's speed: as given, else the network's access speed, else the walk or default speed."""
    if last_mile_kph is not None:
        speed = float(last_mile_kph)
    elif net is None:
        speed = walk if walk is not None else DEFAULT_LAST_MILE_KPH
    else:
        params = scenario.parameters if isinstance(scenario, Scenario) else net.parameters
        speed = float(params.speed_kph.get("access", DEFAULT_LAST_MILE_KPH))
    return check_last_mile_kph(speed)


@spelled_out(IsochroneKeywords, TimingOptions, GraphOptions, BandOptions)
def isochrones(
    origins: Origins,
    *,
    bands: Iterable[float] = (60, 120, 180),
    mode: str = DEFAULT_TRIP_MODE,
    scenario: ScenarioArg = None,
    network: Network | nx.Graph | None = None,
    to: bool = False,
    weight: str = "travel_time",
    initial_wait_fraction: float | None = None,
    **options: Unpack[IsochroneKeywords],
) -> gpd.GeoDataFrame:
    """Areas reachable from the origins (or, with ``to=True``, from which they are reached) within each band.

    Each node reached after *t* minutes contributes a disc of radius ``last_mile_kph × (band − t)``
    (straight line, in a metric CRS: :data:`pxnet.geo.METRIC_CRS` on a pxnet network, the graph's own or a
    local UTM zone on a graph); a band is the union of its discs, so bands are nested, several origins merge
    and holes stay. Not a convex hull. Method: ``docs/isochrones.md``.

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
    weight
        Edge attribute for networkx graphs.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per band (ascending), EPSG:4326: ``minutes`` (band upper bound), ``area_km2`` (measured in
        ``attrs["metric_crs"]``), ``nodes`` (nodes contributing), ``places`` and ``population`` (the cities
        and county seats reached within the band — their own node, or in ``hsr``/``rail`` mode one of their
        stations — each counted once, and their 2020 census population, a city counting its whole
        prefecture as in the accessibility indicators; 0 and NaN on a plain graph), ``geometry``
        (MultiPolygon, empty when nothing is reached). ``attrs``: ``scenario``, ``scenario_basis``, ``mode``,
        ``origins``, ``origin_points`` (lon, lat), ``to``, ``last_mile_kph``, ``max_last_mile_min``, ``data_date``,
        ``network`` (``"bundled"``, a data folder, or ``"graph"``), ``metric_crs``, ``method`` (the one used).

    Other Parameters
    ----------------
    last_mile_kph : float or None
        Straight-line speed from a reached node onwards (km/h). Default: the network's ``access`` speed
        parameter (30 km/h in the bundled data, an estimate); on a graph, the walking speed when it is walked
        (``walk_kph``: a network buffer on foot), else :data:`DEFAULT_LAST_MILE_KPH`.
    max_last_mile_min : float or None
        Cap on the last-mile time (e.g. 30: only areas within half an hour of a reached node); ``None``: no cap.
    quad_segs : int
        Segments per quarter circle of each disc (16: area within 0.2 % of a true circle); exact method only.
    method : str
        ``"exact"``: the union of every disc (polygons of ``4 × quad_segs`` sides); time grows with the
        number of discs and their overlap (minutes on a 500k-node graph). ``"raster"``: the region where the
        arrival-time field (network time plus last mile) is within the band, computed on a raster of about
        600 cells across the largest band and contoured; time grows with the raster and the nodes, and the
        area agrees with the exact union within 2 % (typically 0.1–0.5 %). ``"auto"`` (default): exact up to
        2,000 discs in the largest band, raster above.
    walk_kph : float or None
        As in :func:`reach_times`: street-based isochrones on foot (the default on a graph without
        ``travel_time``).
    departure : str, datetime.time, tuple or None
        Times from the scenario's timetable, as in :func:`pxnet.travel_time`.
    statistic : str or None
        As in :func:`pxnet.travel_time`.
    arrival : str, datetime.time or None
        With ``to=True``: arrive at the origins by this clock time, as in :func:`reach_times`.

    Raises
    ------
    UnknownPlaceError
        For an unknown place.
    RoutingError
        For an unknown trip mode or node key, an origin no trip of the mode can start at, bad bands (not
        positive, not finite, or over a week), a last-mile speed outside (0, 200] km/h, or an unknown method.

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

    accept_keywords(options, IsochroneKeywords, function="isochrones")
    band_list = _band_list(bands)
    drawing = BandOptions.pick(options)
    graph = GraphOptions(weight=weight, walk_kph=options.get("walk_kph"))
    timing = TimingOptions.pick(options)
    net = None if isinstance(network, nx.Graph) else resolve_network(scenario, network)
    walk = walking_speed(network, weight, graph.walk_kph) if isinstance(network, nx.Graph) else None
    speed = _last_mile_speed(drawing.last_mile_kph, scenario, net, walk=walk)
    max_last_mile_min = drawing.max_last_mile_min
    _warn_wait_fraction(network, initial_wait_fraction)
    graph = dataclasses.replace(graph, walk_kph=walk)
    request = Request(
        mode=mode, scenario=scenario, network=network, to=to, cutoff=band_list[-1], timing=timing, graph=graph
    )
    times = _reach_times(origins, request)
    minutes = times["minutes"].to_numpy(dtype=float)
    sites = _Sites(
        times["x"].to_numpy(dtype=float),
        times["y"].to_numpy(dtype=float),
        minutes,
        speed * 1000.0 / 60.0,
        None if max_last_mile_min is None else float(max_last_mile_min),
    )
    used = drawing.method
    if used == "auto":
        used = "exact" if int((_radii(sites, band_list[-1]) > 0).sum()) <= _EXACT_MAX_DISCS else "raster"
    shapes = (
        _exact_union(sites, band_list, quad_segs=drawing.quad_segs)
        if used == "exact"
        else _raster_union(sites, band_list)
    )
    geoms = [_multipolygon(g) for g in shapes]
    counts = [int((_radii(sites, band) > 0).sum()) for band in band_list]
    metric = gpd.GeoSeries(geoms, crs=times.attrs["metric_crs"])
    places, population = _places_within(times, band_list, net, mode=mode)
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
        walk_kph=walk,
        max_last_mile_min=max_last_mile_min,
        network=_network_label(network, scenario),
        method=used,
    )
    return frame


# -- Band polygons -------------------------------------------------------------------------------------------
#: Above this many discs in the largest band, ``method="auto"`` draws the bands on a raster.
_EXACT_MAX_DISCS = 2000
#: Raster cells along the longer side of the largest band's bounding box.
_RASTER_CELLS = 600
#: A band narrower than this share of the raster gets a raster of its own (so small bands keep their detail).
_RASTER_REFINE = 0.25


class _Sites(NamedTuple):
    """Reached nodes in metres, their network minutes and the last-mile speed and cap."""

    x: npt.NDArray[np.float64]
    y: npt.NDArray[np.float64]
    minutes: npt.NDArray[np.float64]
    metres_per_min: float
    cap_min: float | None


def _radii(sites: _Sites, band: float) -> npt.NDArray[np.float64]:
    left = band - sites.minutes
    if sites.cap_min is not None:
        left = np.minimum(left, sites.cap_min)
    return left * sites.metres_per_min


def _exact_union(sites: _Sites, bands: list[float], *, quad_segs: int = 16) -> list[shapely.Geometry]:
    """Compute the union of every node's disc, per band (the reference the raster method is measured against).

    Time and memory grow with the number of discs times their overlap: 60/120/180-min bands over a
    500k-node road graph take about two minutes.
    """
    points = shapely.points(sites.x, sites.y)
    out: list[shapely.Geometry] = []
    previous: shapely.Geometry = shapely.Polygon()
    for band in bands:
        radius = _radii(sites, band)
        mask = radius > 0
        discs = shapely.buffer(points[mask], radius[mask], quad_segs=quad_segs)
        # Union with the previous band too: nesting then holds whatever the floating-point noise.
        geom = shapely.union_all(np.concatenate([np.array([previous], dtype=object), discs]))
        out.append(geom)
        previous = geom
    return out


def _raster_union(sites: _Sites, bands: list[float], *, cells: int = _RASTER_CELLS) -> list[shapely.Geometry]:
    """Compute the bands as contours of the arrival-time field on a raster (time ∝ raster cells + nodes).

    The field is ``T(c) = min_i t_i + |c − p_i| / v`` over the nodes whose last mile may reach the cell
    centre ``c`` (within ``max_last_mile_min``); band *b* is ``T ≤ b``, exactly the union of the band's discs
    sampled on the raster. One field serves every band; a band much smaller than the largest is drawn on a
    finer raster of its own.
    """
    out: list[shapely.Geometry] = []
    field: _Field | None = None
    previous: shapely.Geometry = shapely.Polygon()
    for band in reversed(bands):  # largest first: its field serves the smaller bands
        box = _band_box(sites, band)
        if box is None:
            geom: shapely.Geometry = shapely.Polygon()
        else:
            if field is None or max(box[2] - box[0], box[3] - box[1]) < _RASTER_REFINE * cells * field.cell:
                keep = _radii(sites, band) > 0
                subset = _Sites(sites.x[keep], sites.y[keep], sites.minutes[keep], sites.metres_per_min, sites.cap_min)
                field = _arrival_field(subset, box, cells=cells)
            geom = _contour(field, band)
        out.append(geom)
    out.reverse()
    nested: list[shapely.Geometry] = []
    for geom in out:
        # Each band is merged with the one below it, so nesting holds when bands use different rasters.
        previous = geom if previous.is_empty else shapely.union(previous, geom)
        nested.append(previous)
    return nested


class _Field(NamedTuple):
    xs: npt.NDArray[np.float64]
    ys: npt.NDArray[np.float64]
    minutes: npt.NDArray[np.float64]  # (len(ys), len(xs)); inf where no last mile reaches
    cell: float


def _band_box(sites: _Sites, band: float) -> tuple[float, float, float, float] | None:
    radius = _radii(sites, band)
    keep = radius > 0
    if not keep.any():
        return None
    x, y, r = sites.x[keep], sites.y[keep], radius[keep]
    return float((x - r).min()), float((y - r).min()), float((x + r).max()), float((y + r).max())


def _arrival_field(sites: _Sites, box: tuple[float, float, float, float], *, cells: int) -> _Field:
    """Minutes to each raster cell centre: network time to a node plus the straight last mile from it.

    Each cell takes the best node among its eight neighbours' nodes (and its own), in four sweeps (down,
    up, right, left: every direction lies within 45° of one of them). This is exact wherever the winning
    node's region reaches the cell through cells it also wins, which holds for this field: a cell's best
    node is also the best node of every point between the two (the triangle inequality).
    """
    x0, y0, x1, y1 = box
    cell = max(x1 - x0, y1 - y0, 1.0) / cells
    # Two cells of margin, so that every contour closes inside the raster.
    xs: npt.NDArray[np.float64] = x0 - 2 * cell + cell * np.arange(math.ceil((x1 - x0) / cell) + 5, dtype=np.float64)
    ys: npt.NDArray[np.float64] = y0 - 2 * cell + cell * np.arange(math.ceil((y1 - y0) / cell) + 5, dtype=np.float64)
    inv = 1.0 / sites.metres_per_min
    reach = None if sites.cap_min is None else sites.cap_min * sites.metres_per_min
    shape = (len(ys), len(xs))
    sx, sy = np.zeros(shape), np.zeros(shape)
    st, cost = np.full(shape, np.inf), np.full(shape, np.inf)
    # Seed the four cell centres around each node with that node (the best one where several compete).
    fi = np.floor((sites.x - xs[0]) / cell).astype(np.int64)
    fj = np.floor((sites.y - ys[0]) / cell).astype(np.int64)
    ci = np.concatenate([np.clip(fi + di, 0, shape[1] - 1) for di in (0, 1) for _ in (0, 1)])
    cj = np.concatenate([np.clip(fj + dj, 0, shape[0] - 1) for _ in (0, 1) for dj in (0, 1)])
    node = np.tile(np.arange(len(sites.minutes)), 4)
    dist = np.hypot(xs[ci] - sites.x[node], ys[cj] - sites.y[node])
    seed = sites.minutes[node] + dist * inv
    ok = np.isfinite(seed) if reach is None else dist <= reach
    flat, seed, node = cj[ok] * shape[1] + ci[ok], seed[ok], node[ok]
    best = cost.ravel()
    np.minimum.at(best, flat, seed)
    win = seed <= best[flat]
    for arr, values in ((sx, sites.x), (sy, sites.y), (st, sites.minutes)):
        arr.ravel()[flat[win]] = values[node[win]]
    _sweep(sx, sy, st, cost, xs, ys, inv, reach)
    _sweep(sx[::-1], sy[::-1], st[::-1], cost[::-1], xs, ys[::-1], inv, reach)
    tx, ty, tt, tc = (np.ascontiguousarray(a.T) for a in (sx, sy, st, cost))
    _sweep(ty, tx, tt, tc, ys, xs, inv, reach)
    _sweep(ty[::-1], tx[::-1], tt[::-1], tc[::-1], ys, xs[::-1], inv, reach)
    return _Field(xs, ys, np.ascontiguousarray(tc.T), cell)


def _sweep(
    sx: npt.NDArray[np.float64],
    sy: npt.NDArray[np.float64],
    st: npt.NDArray[np.float64],
    cost: npt.NDArray[np.float64],
    xs: npt.NDArray[np.float64],
    ys: npt.NDArray[np.float64],
    inv: float,
    reach: float | None,
) -> None:
    """One pass down the rows: each cell tries the nodes of its three neighbours in the row before (in place)."""
    width = sx.shape[1]
    # (cells a:b of this row) look at (cells c:d of the row before): straight, from the left, from the right.
    shifts = ((0, width, 0, width), (1, width, 0, width - 1), (0, width - 1, 1, width))
    for r in range(1, sx.shape[0]):
        y = ys[r]
        crow, xrow, yrow, trow = cost[r], sx[r], sy[r], st[r]
        for a, b, c, d in shifts:
            px, py, pt = sx[r - 1, c:d], sy[r - 1, c:d], st[r - 1, c:d]
            dist = np.hypot(xs[a:b] - px, y - py)
            cand = dist * inv
            cand += pt
            if reach is not None:
                cand[dist > reach] = np.inf
            better = cand < crow[a:b]
            np.copyto(crow[a:b], cand, where=better)
            np.copyto(xrow[a:b], px, where=better)
            np.copyto(yrow[a:b], py, where=better)
            np.copyto(trow[a:b], pt, where=better)


def _contour(field: _Field, band: float) -> shapely.Geometry:
    """Return the region ``T ≤ band`` of the field, as polygons (linear interpolation between cell centres)."""
    import contourpy

    z = np.where(np.isfinite(field.minutes), field.minutes, band + 1.0)
    low = float(z.min())
    if low > band:
        return shapely.Polygon()
    generator = contourpy.contour_generator(field.xs, field.ys, z, fill_type="OuterOffset")
    filled: Any = generator.filled(low - 1.0, band)  # OuterOffset: (points, offsets), one pair per polygon
    polygons = []
    for pts, off in zip(filled[0], filled[1], strict=True):
        rings = [pts[a:b] for a, b in itertools.pairwise(off.tolist())]
        polygons.append(shapely.Polygon(rings[0], rings[1:]))
    # contourpy's filled polygons are disjoint (they may touch at a point): no union needed.
    return shapely.MultiPolygon(polygons)


def _places_within(
    times: pd.DataFrame, bands: list[float], net: Network | None, *, mode: str
) -> tuple[list[int], list[float]]:
    """Per band, how many places (cities, county seats) the trips reach and their census population.

    A place is reached at the time of its own node or, in the station modes (where only stations are
    reached), of the first of its stations (nodes whose ``place`` is it), as :func:`pxnet.travel_time`
    times a trip to a place in that mode. Each place counts once per band however many of its stations are
    reached. Counted by travel time, not by the drawn area; NaN population on a plain graph.
    """
    if net is None or not set(times.index) <= set(net.nodes.index):
        return [0] * len(bands), [math.nan] * len(bands)
    nodes = net.nodes
    minutes = times["minutes"]
    place_of = pd.Series(times.index, index=times.index, dtype=object)
    if mode in ("hsr", "rail"):
        served = nodes["place"].reindex(times.index)
        is_station = nodes["kind"].reindex(times.index).isin(sorted(STATION_KINDS))
        place_of = place_of.where(~(is_station & served.notna()), served)
    # The first arrival at each place, one row per place: several stations of a place count it once.
    first = minutes.groupby(place_of.to_numpy()).min()
    first = first[first.index.isin(nodes.index)]
    settled = nodes["kind"].reindex(first.index).isin(["city", "county_seat"]).to_numpy()
    first = first[settled]
    people = nodes["population"].astype("Float64").astype(float).reindex(first.index).to_numpy()
    reached = [first.to_numpy() <= band for band in bands]
    return [int(r.sum()) for r in reached], [float(np.nansum(people[r])) for r in reached]


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
