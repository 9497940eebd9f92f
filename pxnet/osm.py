"""Detailed roads from OpenStreetMap: load with osmnx, snap the pxnet network onto them, route door to door.

- :func:`load_roads` parses a local OSM extract (``.osm``, ``.osm.bz2``) or a saved prepared graph
  (``.graphml``, ``.gpkg``) — or, only when asked with ``download=True``, downloads a place or bounding box —
  and sets ``speed_kph`` and ``travel_time`` on every edge (:mod:`pxnet.osm_speeds`).
- :func:`save_roads` writes the prepared graph (GraphML or GeoPackage) so a large extract is parsed once.
- :func:`snap` attaches places, stations and interchanges of a pxnet network to the nearest suitable OSM node.
- :func:`door_to_door` / :func:`door_to_door_options` and :func:`travel_times_from` combine driving on the OSM
  roads with the network's rail services.

The composition rule is in ``docs/osm.md``. Nothing here downloads anything unless the caller passes
``download=True``.
"""

from __future__ import annotations

import contextlib
import math
import numbers
import re
import warnings
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeAlias

import networkx as nx
import numpy as np
import numpy.typing as npt
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components, dijkstra

from . import schema
from ._errors import DataFileNotFoundError, PxnetError
from .atomic import atomic_path
from .compiled import CompiledGraph, compile_graph
from .geo import METRIC_CRS
from .network import Network, bundled_network
from .osm_speeds import DEFAULT_SPEEDS_KPH, SpeedError, add_speeds, parse_maxspeed, speed_table
from .router import get_router
from .routing import skim
from .scenario import Scenario, ScenarioArg, get_scenario

__all__ = [
    "DEFAULT_SPEEDS_KPH",
    "SNAP_KINDS",
    "OsmDownloadError",
    "SnapError",
    "SnapWarning",
    "SpeedError",
    "door_to_door",
    "door_to_door_options",
    "load_roads",
    "parse_maxspeed",
    "prepare_roads",
    "save_roads",
    "snap",
    "speed_table",
    "travel_times_from",
    "write_osm_xml",
]

#: Node kinds :func:`snap` attaches by default: places, stations and expressway interchanges.
SNAP_KINDS: tuple[str, ...] = (*sorted(schema.PLACE_KINDS), *sorted(schema.STATION_KINDS), "interchange")
#: Kinds that may snap onto expressway (``motorway``) nodes; every other kind needs a node on an ordinary road.
MOTORWAY_KINDS = frozenset({"interchange", "junction"})
_MOTORWAY = frozenset({"motorway", "motorway_link"})

#: Way filters by ``network_type`` for local files, as osmnx 2.x sends them to Overpass (``["key"!~"regex"]``:
#: the tag is absent or does not match; ``["key"]``: the tag is present). The access filter is added from
#: ``osmnx.settings.default_access``.
_WAY_FILTERS: dict[str, str] = {
    "drive": (
        '["highway"]["area"!~"yes"]["highway"!~"abandoned|bridleway|bus_guideway|construction|corridor|'
        "cycleway|elevator|escalator|footway|no|path|pedestrian|planned|platform|proposed|raceway|razed|"
        'rest_area|service|services|steps|track"]["motor_vehicle"!~"no"]["motorcar"!~"no"]'
        '["service"!~"alley|driveway|emergency_access|parking|parking_aisle|private"]'
    ),
    "drive_service": (
        '["highway"]["area"!~"yes"]["highway"!~"abandoned|bridleway|bus_guideway|construction|corridor|'
        "cycleway|elevator|escalator|footway|no|path|pedestrian|planned|platform|proposed|raceway|razed|"
        'rest_area|services|steps|track"]["motor_vehicle"!~"no"]["motorcar"!~"no"]'
        '["service"!~"emergency_access|parking|parking_aisle|private"]'
    ),
    "walk": (
        '["highway"]["area"!~"yes"]["highway"!~"abandoned|bus_guideway|construction|cycleway|motor|no|'
        'planned|platform|proposed|raceway|razed|rest_area|services"]["foot"!~"no"]["service"!~"private"]'
    ),
    "bike": (
        '["highway"]["area"!~"yes"]["highway"!~"abandoned|bus_guideway|construction|corridor|elevator|'
        'escalator|footway|motor|no|planned|platform|proposed|raceway|razed|rest_area|services|steps"]'
        '["bicycle"!~"no"]["service"!~"private"]'
    ),
    "all_public": (
        '["highway"]["area"!~"yes"]["highway"!~"abandoned|construction|no|planned|platform|proposed|raceway|'
        'razed|rest_area|services"]["service"!~"private"]'
    ),
    "all": (
        '["highway"]["area"!~"yes"]["highway"!~"abandoned|construction|no|planned|platform|proposed|raceway|'
        'razed|rest_area|services"]'
    ),
}
_CLAUSE = re.compile(r'\["([^"]+)"(?:(!?~)"([^"]*)")?\]')
#: Way tags the filters read besides osmnx's default ``useful_tags_way``; dropped again after filtering.
_FILTER_TAGS = ("motor_vehicle", "motorcar", "foot", "bicycle")
_LOCAL_SUFFIXES = (".osm", ".xml", ".bz2", ".graphml", ".gpkg")

Point: TypeAlias = tuple[float, float]
Endpoint: TypeAlias = "str | int | Point"
FloatArray = npt.NDArray[np.float64]


class OsmDownloadError(PxnetError, ConnectionError):
    """Downloading from OpenStreetMap failed (offline, server unreachable or refusing, or no data)."""


class SnapError(PxnetError, ValueError):
    """A node or point cannot be attached to the road graph (too far from any suitable road node)."""


class SnapWarning(UserWarning):
    """Nodes were left unattached (``on_far="drop"``) because they are too far from the roads."""


# -- writing small OSM files ------------------------------------------------------------------------
def write_osm_xml(
    path: str | Path,
    nodes: Mapping[int, Point],
    ways: Mapping[int, tuple[Sequence[int], Mapping[str, str]]],
) -> Path:
    """Write an OSM XML file of nodes and tagged ways (for tests, examples and synthetic networks).

    Parameters
    ----------
    path
        The ``.osm`` file to write (atomically).
    nodes
        OSM node id → ``(lon, lat)`` in WGS-84 degrees.
    ways
        OSM way id → ``(node ids, tags)``, e.g. ``{10: ([1, 2], {"highway": "primary"})}``.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = write_osm_xml(pathlib.Path(tempfile.mkdtemp()) / "tiny.osm",
    ...                   {1: (113.80, 27.60), 2: (113.81, 27.60)}, {10: ([1, 2], {"highway": "primary"})})
    >>> "<way id=\\"10\\"" in p.read_text()
    True
    """
    from xml.sax.saxutils import quoteattr

    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="pxnet">\n')
        chunk: list[str] = []
        for node_id, (lon, lat) in nodes.items():
            chunk.append(f'  <node id="{int(node_id)}" lat="{float(lat):.7f}" lon="{float(lon):.7f}"/>\n')
            if len(chunk) >= 10000:
                out.write("".join(chunk))
                chunk.clear()
        for way_id, (refs, tags) in ways.items():
            chunk.append(f'  <way id="{int(way_id)}">\n')
            chunk.extend(f'    <nd ref="{int(r)}"/>\n' for r in refs)
            chunk.extend(f"    <tag k={quoteattr(str(k))} v={quoteattr(str(v))}/>\n" for k, v in tags.items())
            chunk.append("  </way>\n")
            if len(chunk) >= 10000:
                out.write("".join(chunk))
                chunk.clear()
        out.write("".join(chunk))
        out.write("</osm>\n")
    return Path(path)


# -- loading --------------------------------------------------------------------------------------
@contextlib.contextmanager
def _osmnx_settings(**values: Any) -> Iterator[None]:
    """Set ``osmnx.settings`` values for the duration of a block, then restore them."""
    import osmnx as ox

    old = {key: getattr(ox.settings, key) for key in values}
    try:
        for key, value in values.items():
            setattr(ox.settings, key, value)
        yield
    finally:
        for key, value in old.items():
            setattr(ox.settings, key, value)


def load_roads(
    source: str | Path | tuple[float, float, float, float],
    *,
    speeds: Mapping[str, float] | None = None,
    network_type: str = "drive",
    retain_all: bool = False,
    simplify: bool = True,
    download: bool = False,
    timeout_s: float = 180.0,
    probe_timeout_s: float = 5.0,
    cache_folder: str | Path | None = None,
) -> nx.MultiDiGraph:
    """A road graph from OpenStreetMap with ``speed_kph`` and ``travel_time`` (s) on every edge.

    Parameters
    ----------
    source
        A local file: an OSM extract (``.osm``, ``.osm.bz2``, ``.xml``; parsed with
        ``osmnx.graph_from_xml``) or a graph saved by :func:`save_roads` (``.graphml``, ``.gpkg``; loaded as
        saved, ``speeds`` and the other options do not apply). With ``download=True`` only: a place name
        (``"萍乡市, 江西省, 中国"``) or a bounding box ``(west, south, east, north)`` in degrees.
    speeds
        Default speeds by OSM ``highway`` class (km/h) merged over :data:`DEFAULT_SPEEDS_KPH`; a way's own
        parseable ``maxspeed`` always wins (see ``docs/osm.md``).
    network_type
        osmnx network type: ``"drive"`` (default), ``"drive_service"``, ``"walk"``, ``"bike"``, ``"all_public"``,
        ``"all"``. A local file is filtered with the same rules osmnx sends to Overpass.
    retain_all
        Keep every piece of the network; by default only the largest weakly connected one is kept.
    simplify
        Merge chains of edges between junctions (osmnx's ``simplify_graph``); travel times are summed
        per original segment, and a merged edge's ``speed_kph`` is its length over its time.
    download
        Allow a download from OpenStreetMap (Nominatim for a place name, then Overpass) through osmnx and
        its response cache. Never done unless true.
    timeout_s
        Timeout of each download request (s); also the Overpass server-side limit.
    probe_timeout_s
        Before downloading, the Overpass status endpoint is probed with this timeout so that an offline
        machine fails within seconds with :class:`OsmDownloadError`.
    cache_folder
        osmnx's HTTP cache folder (default: ``osmnx.settings.cache_folder``).

    Returns
    -------
    networkx.MultiDiGraph
        osmnx conventions: integer OSM node keys with ``x``, ``y`` (degrees); edges with ``length`` (m),
        ``highway``, ``maxspeed`` (as tagged), ``speed_kph``, ``speed_source`` (``maxspeed``/``default``,
        ``mixed`` on merged edges) and ``travel_time`` (s). ``graph["pxnet_speeds"]`` records the defaults
        used.

    Raises
    ------
    DataFileNotFoundError
        If the file does not exist — or a place name or box is given without ``download=True``.
    OsmDownloadError
        If a download was asked for and failed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = write_osm_xml(
    ...     pathlib.Path(tempfile.mkdtemp()) / "tiny.osm",
    ...     {1: (113.80, 27.60), 2: (113.81, 27.60), 3: (113.82, 27.60)},
    ...     {10: ([1, 2], {"highway": "primary", "maxspeed": "60"}), 11: ([2, 3], {"highway": "residential"})},
    ... )
    >>> G = load_roads(path, simplify=False)
    >>> sorted(round(t) for t in nx.get_edge_attributes(G, "travel_time").values())
    [59, 59, 118, 118]
    """
    if isinstance(source, tuple):
        if not download:
            raise DataFileNotFoundError(
                f"{source!r} is a bounding box, not a file; pass download=True to download its roads"
            )
        return _download(source, speeds, network_type, retain_all, simplify, timeout_s, probe_timeout_s, cache_folder)
    path = Path(source)
    if path.is_file():
        suffix = path.suffix.lower()
        if suffix == ".graphml":
            return _load_graphml(path)
        if suffix == ".gpkg":
            return _load_geopackage(path)
        return _load_xml(path, speeds, network_type, retain_all, simplify)
    looks_like_file = isinstance(source, Path) or str(source).lower().endswith(_LOCAL_SUFFIXES) or "/" in str(source)
    if looks_like_file or not download:
        hint = "" if looks_like_file else "; to download this place from OpenStreetMap pass download=True"
        raise DataFileNotFoundError(f"no OSM file {str(source)!r}{hint}")
    return _download(str(source), speeds, network_type, retain_all, simplify, timeout_s, probe_timeout_s, cache_folder)


def _way_filter(network_type: str) -> list[tuple[str, str | None, re.Pattern[str] | None]]:
    import osmnx as ox

    if network_type not in _WAY_FILTERS:
        raise PxnetError(f"unknown network_type {network_type!r}; use one of {', '.join(_WAY_FILTERS)}")
    text = _WAY_FILTERS[network_type]
    if network_type != "all":
        text += str(ox.settings.default_access or "")
    return [(k, op, re.compile(rx) if op else None) for k, op, rx in _CLAUSE.findall(text)]


def _keep(data: Mapping[str, Any], clauses: list[tuple[str, str | None, re.Pattern[str] | None]]) -> bool:
    for key, op, rx in clauses:
        value = data.get(key)
        if not op:
            if value is None:
                return False
            continue
        assert rx is not None
        values = value if isinstance(value, list) else [value]
        hit = any(v is not None and rx.search(str(v)) for v in values)
        if (op == "!~" and hit) or (op == "~" and not hit):
            return False
    return True


def _load_xml(
    path: Path, speeds: Mapping[str, float] | None, network_type: str, retain_all: bool, simplify: bool
) -> nx.MultiDiGraph:
    import osmnx as ox

    clauses = _way_filter(network_type)
    bidirectional = network_type in ox.settings.bidirectional_network_types
    useful = list(ox.settings.useful_tags_way)
    extra = [t for t in _FILTER_TAGS if t not in useful]
    try:
        with _osmnx_settings(useful_tags_way=useful + extra):
            G = ox.graph_from_xml(path, bidirectional=bidirectional, simplify=False, retain_all=True)
    except ox._errors.InsufficientResponseError as exc:
        raise PxnetError(f"{str(path)!r} holds no OSM nodes or ways") from exc
    except Exception as exc:
        raise PxnetError(f"cannot read OSM file {str(path)!r}: {type(exc).__name__}: {exc}") from exc
    return _prepare(G, speeds, clauses, extra, retain_all, simplify, f"OSM file {str(path)!r}", network_type)


def _prepare(
    G: nx.MultiDiGraph,
    speeds: Mapping[str, float] | None,
    clauses: list[tuple[str, str | None, re.Pattern[str] | None]],
    extra: list[str],
    retain_all: bool,
    simplify: bool,
    source: str,
    network_type: str,
) -> nx.MultiDiGraph:
    import osmnx as ox

    drop = [(u, v, k) for u, v, k, d in G.edges(keys=True, data=True) if not _keep(d, clauses)]
    G.remove_edges_from(drop)
    for _, _, d in G.edges(data=True):
        for tag in extra:
            d.pop(tag, None)
    G.remove_nodes_from([n for n, deg in G.degree() if deg == 0])
    if G.number_of_edges() == 0:
        raise PxnetError(f"{source} has no ways usable for network_type={network_type!r}")
    # Speeds per original way segment, before simplification merges ways of different limits.
    add_speeds(G, speeds=speeds)
    if not retain_all:
        G = ox.truncate.largest_component(G, strongly=False)
    if simplify:
        G = ox.simplify_graph(G, edge_attr_aggs={"length": sum, "travel_time": sum})
        for _, _, d in G.edges(data=True):
            if isinstance(d.get("speed_kph"), list):
                d["speed_kph"] = d["length"] / d["travel_time"] * 3.6 if d["travel_time"] > 0 else max(d["speed_kph"])
            if isinstance(d.get("speed_source"), list):
                kinds = set(d["speed_source"])
                d["speed_source"] = kinds.pop() if len(kinds) == 1 else "mixed"
    G.graph["pxnet_source"] = source
    return G


def prepare_roads(G: nx.MultiDiGraph, *, speeds: Mapping[str, float] | None = None) -> nx.MultiDiGraph:
    """Set ``speed_kph``, ``speed_source`` and ``travel_time`` on a graph made elsewhere (e.g. by osmnx), in place.

    Uses the same rule as :func:`load_roads`; on an already simplified graph, a merged edge whose ways had
    different limits takes the lowest (see ``docs/osm.md``).

    Examples
    --------
    >>> G = nx.MultiDiGraph(crs="EPSG:4326")
    >>> _ = G.add_edge(1, 2, length=500.0, highway="trunk", maxspeed=["60", "80"])
    >>> prepare_roads(G).edges[1, 2, 0]["speed_kph"]
    60.0
    """
    return add_speeds(G, speeds=speeds)


def _download(
    source: str | tuple[float, float, float, float],
    speeds: Mapping[str, float] | None,
    network_type: str,
    retain_all: bool,
    simplify: bool,
    timeout_s: float,
    probe_timeout_s: float,
    cache_folder: str | Path | None,
) -> nx.MultiDiGraph:
    import osmnx as ox
    import requests

    clauses = _way_filter(network_type)
    what = f"box {source!r}" if isinstance(source, tuple) else f"place {source!r}"
    options: dict[str, Any] = {
        "overpass_rate_limit": False,  # else osmnx may wait up to 60 s on an unreachable status endpoint
        "requests_timeout": timeout_s,
        "use_cache": True,
    }
    if cache_folder is not None:
        options["cache_folder"] = str(cache_folder)
    useful = list(ox.settings.useful_tags_way)
    extra = [t for t in _FILTER_TAGS if t not in useful]
    options["useful_tags_way"] = useful + extra
    try:
        with _osmnx_settings(**options):
            _probe(ox.settings.overpass_url, probe_timeout_s)
            if isinstance(source, tuple):
                G = ox.graph_from_bbox(source, network_type=network_type, simplify=False, retain_all=True)
            else:
                G = ox.graph_from_place(source, network_type=network_type, simplify=False, retain_all=True)
    except (OSError, requests.RequestException, ox._errors.ResponseStatusCodeError) as exc:
        raise OsmDownloadError(
            f"downloading the OpenStreetMap roads of {what} failed ({type(exc).__name__}: {exc}); check the "
            "connection, or load a local extract (.osm/.osm.bz2) with load_roads(path)"
        ) from exc
    except ox._errors.InsufficientResponseError as exc:
        raise OsmDownloadError(f"OpenStreetMap returned no data for {what}: {exc}") from exc
    return _prepare(G, speeds, clauses, extra, retain_all, simplify, what, network_type)


def _probe(overpass_url: str, timeout_s: float) -> None:
    """Fail fast when OpenStreetMap is unreachable instead of waiting on osmnx's longer timeouts."""
    import requests

    requests.get(overpass_url.rstrip("/") + "/status", timeout=timeout_s)


# -- saving ---------------------------------------------------------------------------------------
def save_roads(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write a prepared road graph, atomically: ``.graphml`` (reloadable, exact) or ``.gpkg`` (for GIS).

    :func:`load_roads` reads either back without re-parsing the OSM extract.

    Parameters
    ----------
    G
        A graph from :func:`load_roads`.
    path
        Target file; its suffix chooses the format.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> path = write_osm_xml(folder / "t.osm", {1: (113.8, 27.6), 2: (113.81, 27.6)},
    ...                      {10: ([1, 2], {"highway": "primary"})})
    >>> G = load_roads(path)
    >>> H = load_roads(save_roads(G, folder / "t.graphml"))
    >>> H.edges[1, 2, 0]["travel_time"] == G.edges[1, 2, 0]["travel_time"]
    True
    """
    import osmnx as ox

    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".graphml", ".gpkg"):
        raise PxnetError(f"cannot save roads as {target.suffix!r}; use .graphml or .gpkg")
    with atomic_path(target) as tmp:
        if suffix == ".graphml":
            ox.io.save_graphml(G, filepath=tmp)
        else:
            ox.io.save_graph_geopackage(G, filepath=tmp, directed=True)
    return target


def _load_graphml(path: Path) -> nx.MultiDiGraph:
    import osmnx as ox

    G = ox.io.load_graphml(path, edge_dtypes={"speed_kph": float, "travel_time": float, "length": float})
    _check_prepared(G, path)
    return G


def _load_geopackage(path: Path) -> nx.MultiDiGraph:
    import geopandas as gpd
    import osmnx as ox

    nodes = gpd.read_file(path, layer="nodes").set_index("osmid")
    edges = gpd.read_file(path, layer="edges").set_index(["u", "v", "key"])
    G = ox.convert.graph_from_gdfs(nodes, edges, graph_attrs={"crs": str(nodes.crs)})
    _check_prepared(G, path)
    return G


def _check_prepared(G: nx.MultiDiGraph, path: Path) -> None:
    for u, v, d in G.edges(data=True):
        t = d.get("travel_time")
        if t is None or not math.isfinite(float(t)):
            raise PxnetError(f"{str(path)!r}: edge {u!r} -> {v!r} has no travel_time; was it saved by save_roads?")


# -- road index (compiled graph, projected coordinates, snapping trees), cached per graph ------------
@dataclass
class _RoadIndex:
    graph: nx.MultiDiGraph
    compiled: CompiledGraph
    xy: FloatArray
    ordinary: npt.NDArray[np.bool_]
    any_road: npt.NDArray[np.bool_]
    bounds: tuple[float, float, float, float]
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
    def reverse(self) -> sp.csr_array:
        if self._reverse is None:
            self._reverse = sp.csr_array(self.compiled.matrix.T)
        return self._reverse


_INDEX: dict[int, _RoadIndex] = {}


def _index(G: nx.MultiDiGraph) -> _RoadIndex:
    hit = _INDEX.get(id(G))
    # Keyed by identity like pxnet.routing's cache; a graph is read-only once prepared (the node count is
    # checked because it is O(1); counting edges of a MultiDiGraph is not).
    if hit is not None and hit.graph is G and len(hit.compiled.nodes) == G.number_of_nodes():
        return hit
    from pyproj import Transformer

    compiled = compile_graph(G, weight="travel_time")
    nodes = compiled.nodes
    n = len(nodes)
    try:
        lon = np.fromiter((G.nodes[k]["x"] for k in nodes), dtype=np.float64, count=n)
        lat = np.fromiter((G.nodes[k]["y"] for k in nodes), dtype=np.float64, count=n)
    except KeyError:
        raise PxnetError("every node of the road graph needs 'x' and 'y' coordinates") from None
    crs = G.graph.get("crs", "EPSG:4326")
    x, y = Transformer.from_crs(crs, METRIC_CRS, always_xy=True).transform(lon, lat)
    xy = np.column_stack([x, y]).astype(np.float64)
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
    road = _RoadIndex(G, compiled, xy, ordinary & main, main, bounds)
    if len(_INDEX) > 4:
        _INDEX.clear()
    _INDEX[id(G)] = road
    return road


def _project(lon: npt.ArrayLike, lat: npt.ArrayLike) -> FloatArray:
    from pyproj import Transformer

    x, y = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True).transform(lon, lat)
    return np.column_stack([np.atleast_1d(x), np.atleast_1d(y)]).astype(np.float64)


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

    Distances are straight lines in ``EPSG:32649`` (:data:`pxnet.geo.METRIC_CRS`). A suitable OSM node lies
    in the road graph's largest strongly connected component (so trips can leave and return) and, except
    for interchanges and junctions, on a road other than an expressway (``motorway``/``motorway_link``):
    a city or a station is not entered from the middle of an expressway.

    Parameters
    ----------
    network_or_scenario
        A :class:`~pxnet.Network`, a :class:`~pxnet.Scenario` (its network), or ``None`` for the bundled one.
    G
        A road graph from :func:`load_roads`.
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

    Examples
    --------
    >>> import pxnet, tempfile, pathlib
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
        xy = _project(candidates["lon"].to_numpy(float), candidates["lat"].to_numpy(float))
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
    xy = _project(rows["lon"].to_numpy(float), rows["lat"].to_numpy(float))
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
        warnings.warn(message + listed + "; left out", SnapWarning, stacklevel=2)
        frame = frame.drop(index=far.index)
    frame.attrs.update(outside=outside, dropped=list(far.index), max_distance_m=max_distance_m)
    return frame


def _metres(value: float) -> str:
    return f"{value:,.0f} m away" if math.isfinite(value) else "with no suitable road node"


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
    snapped: pd.DataFrame | None,
    max_distance_m: float,
    connector_kph: float | None,
    initial_wait_fraction: float | None,
) -> _Context:
    road = _index(roads)
    sc: Scenario | None = None
    if rail or network is not None or scenario is not None:
        net = network if network is not None else (scenario.network if isinstance(scenario, Scenario) else None)
        sc = get_scenario(scenario, network=net)
        if network is not None and sc.network is not network:
            raise PxnetError("the scenario belongs to another network than the one given")
    params = sc.network.parameters if sc is not None else None
    kph = connector_kph if connector_kph is not None else (params.speed_kph.get("access", 30.0) if params else 30.0)
    if not kph > 0:
        raise PxnetError(f"connector_kph must be positive, not {kph!r}")
    stations = pd.DataFrame(columns=["name_zh", "kind", "osm_node", "snap_m"])
    if rail and sc is not None:
        served = get_router(sc, "rail").stations
        if snapped is None:
            snapped = snap(sc, roads, kinds=sorted(schema.STATION_KINDS), max_distance_m=max_distance_m, on_far="drop")
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


def _endpoint(end: Endpoint, ctx: _Context, snapped: pd.DataFrame | None, max_distance_m: float) -> tuple[int, float]:
    """Matrix index of the OSM node a trip end is attached to, and the connector time to it (s)."""
    road = ctx.road
    if isinstance(end, numbers.Integral) and not isinstance(end, bool):
        if end not in road.compiled.index:
            raise SnapError(f"OSM node {end!r} is not in the road graph")
        return road.compiled.index[end], 0.0
    if isinstance(end, tuple) and len(end) == 2:
        lon, lat = float(end[0]), float(end[1])
        tree, where = road.tree(True)
        if tree.n == 0:
            raise SnapError("the road graph has no suitable node to attach a point to")
        d, i = tree.query(_project([lon], [lat])[0])
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
    values = m.to_numpy(dtype=float).copy()
    for r, o in enumerate(origins):  # a "rail trip" from a station to itself is no rail trip
        for c, d in enumerate(destinations):
            if o == d:
                values[r, c] = np.inf
    return values


def door_to_door_options(
    origin: Endpoint,
    destination: Endpoint,
    *,
    roads: nx.MultiDiGraph,
    scenario: ScenarioArg = None,
    network: Network | None = None,
    snapped: pd.DataFrame | None = None,
    rail: bool = True,
    max_distance_m: float = 2000.0,
    connector_kph: float | None = None,
    initial_wait_fraction: float | None = None,
) -> pd.DataFrame:
    """Every way from door to door on the OSM roads: driving, and each pair of stations by rail.

    Parameters
    ----------
    origin, destination
        A place or node of the network (id or name, attached with :func:`snap`), an OSM node key of
        ``roads``, or a ``(lon, lat)`` point (attached to the nearest ordinary road node).
    roads
        A road graph from :func:`load_roads`.
    scenario, network
        The pxnet scenario whose rail services run (default: the bundled network as built today).
    snapped
        A :func:`snap` table to use for places and stations (default: snap as needed; stations too far
        from the roads are left out with a :class:`SnapWarning`).
    rail
        Consider rail at all.
    max_distance_m
        Longest attachment of a trip end or station to the roads (m).
    connector_kph
        Speed over the straight-line gap between a place, station or point and its OSM node (default: the
        network's ``access`` speed, 30 km/h).
    initial_wait_fraction
        As in :func:`pxnet.travel_time`.

    Returns
    -------
    pandas.DataFrame
        One row per option, fastest first: ``option`` (``drive``/``rail``), ``from_station``,
        ``to_station``, ``access_min`` (origin to the first station's door, or the whole drive), ``entry_min``,
        ``rail_min`` (``pxnet.skim(mode="rail")``: initial wait, rides, transfers), ``exit_min``, ``egress_min``
        and ``minutes``. Unreachable options are left out. ``attrs["minutes"]`` is the best (``inf`` if none).

    Examples
    --------
    >>> import pxnet, tempfile, pathlib
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
    ctx = _context(
        roads,
        scenario,
        network,
        rail=rail,
        snapped=snapped,
        max_distance_m=max_distance_m,
        connector_kph=connector_kph,
        initial_wait_fraction=initial_wait_fraction,
    )
    o, o_conn = _endpoint(origin, ctx, snapped, max_distance_m)
    d, d_conn = _endpoint(destination, ctx, snapped, max_distance_m)
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


def door_to_door(
    origin: Endpoint,
    destination: Endpoint,
    *,
    roads: nx.MultiDiGraph,
    scenario: ScenarioArg = None,
    network: Network | None = None,
    snapped: pd.DataFrame | None = None,
    rail: bool = True,
    max_distance_m: float = 2000.0,
    connector_kph: float | None = None,
    initial_wait_fraction: float | None = None,
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
    return float(
        door_to_door_options(
            origin,
            destination,
            roads=roads,
            scenario=scenario,
            network=network,
            snapped=snapped,
            rail=rail,
            max_distance_m=max_distance_m,
            connector_kph=connector_kph,
            initial_wait_fraction=initial_wait_fraction,
        ).attrs["minutes"]
    )


def _with_super_source(matrix: sp.csr_array, targets: Sequence[int], offsets: Sequence[float]) -> sp.csr_array:
    """The matrix with one extra node (the last) and edges to ``targets`` weighted ``offsets``.

    A multi-source Dijkstra with initial offsets is a one-source Dijkstra from that node.
    """
    n = matrix.shape[0]
    dtype = matrix.indices.dtype
    data = np.concatenate([matrix.data, np.asarray(offsets, dtype=np.float64)])
    indices = np.concatenate([matrix.indices, np.asarray(targets, dtype=dtype)])
    indptr = np.concatenate([matrix.indptr, np.asarray([matrix.nnz + len(targets)], dtype=matrix.indptr.dtype)])
    return sp.csr_array((data, indices, indptr), shape=(n + 1, n + 1))


def travel_times_from(
    origin: Endpoint,
    *,
    roads: nx.MultiDiGraph,
    scenario: ScenarioArg = None,
    network: Network | None = None,
    snapped: pd.DataFrame | None = None,
    rail: bool = True,
    cutoff: float | None = None,
    max_distance_m: float = 2000.0,
    connector_kph: float | None = None,
    initial_wait_fraction: float | None = None,
) -> pd.Series:
    """Door-to-door minutes from one origin to every OSM node reached, by road and rail (for isochrones).

    Drive from the origin; at every snapped station reached, add ``station_entry_min`` and the rail trip to
    every other station (``pxnet.skim(mode="rail")``); from each station left, ``station_exit_min`` later,
    drive on. The roads are searched once from all these starts with their arrival times as initial
    offsets (a multi-source Dijkstra through a temporary super-source). Same rule as :func:`door_to_door`:
    ``travel_times_from(o)[n] == door_to_door(o, n)`` for every OSM node ``n``.

    Parameters
    ----------
    origin, roads, scenario, network, snapped, rail, max_distance_m, connector_kph, initial_wait_fraction
        As in :func:`door_to_door_options`.
    cutoff
        Leave out nodes reached after this many minutes.

    Returns
    -------
    pandas.Series
        Minutes indexed by OSM node key (named ``minutes``); unreached nodes are left out.

    Examples
    --------
    >>> import pxnet, tempfile, pathlib
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
    ctx = _context(
        roads,
        scenario,
        network,
        rail=rail,
        snapped=snapped,
        max_distance_m=max_distance_m,
        connector_kph=connector_kph,
        initial_wait_fraction=initial_wait_fraction,
    )
    o, o_conn = _endpoint(origin, ctx, snapped, max_distance_m)
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
