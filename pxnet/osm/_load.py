"""OpenStreetMap road files: write small OSM XML, parse and filter local extracts, save and reload prepared graphs.

Part of :mod:`pxnet.osm`, which is the public face (import from there). Speeds come from
:mod:`pxnet.osm`; downloading and the choice between file kinds are in :func:`pxnet.osm.load_roads`.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeAlias

import networkx as nx

from ..errors import PxnetError, RoadGraphWarning, warn
from ..io import atomic_path
from ._speeds import add_speeds

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
        # osmnx >= 2.0.1: a road whose sidewalk is mapped as its own way is walked on that way
        '["sidewalk"!~"separate"]["sidewalk:both"!~"separate"]["sidewalk:left"!~"separate"]'
        '["sidewalk:right"!~"separate"]'
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
_FILTER_TAGS = (
    "motor_vehicle",
    "motorcar",
    "foot",
    "bicycle",
    "sidewalk",
    "sidewalk:both",
    "sidewalk:left",
    "sidewalk:right",
)

Point: TypeAlias = tuple[float, float]
# A simplified road graph this small cannot snap places or draw isochrones usefully.
_FEW_NODES = 3


# -- writing small OSM files ------------------------------------------------------------------------
def write_osm_xml(
    path: str | Path,
    nodes: Mapping[int, Point],
    ways: Mapping[int, tuple[Sequence[int], Mapping[str, str]]],
) -> Path:
    r"""Write an OSM XML file of nodes and tagged ways (for tests, examples and synthetic networks).

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
    >>> "<way id=\"10\"" in p.read_text()
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
    from osmnx._errors import InsufficientResponseError  # osmnx exports its errors nowhere else

    clauses = _way_filter(network_type)
    bidirectional = network_type in ox.settings.bidirectional_network_types
    useful = list(ox.settings.useful_tags_way)
    extra = [t for t in _FILTER_TAGS if t not in useful]
    try:
        with _osmnx_settings(useful_tags_way=useful + extra):
            G = ox.graph_from_xml(path, bidirectional=bidirectional, simplify=False, retain_all=True)
    except InsufficientResponseError as exc:
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
    before = G.number_of_nodes()
    if simplify:
        G = ox.simplify_graph(G, edge_attr_aggs={"length": sum, "travel_time": sum})
        for _, _, d in G.edges(data=True):
            if isinstance(d.get("speed_kph"), list):
                d["speed_kph"] = d["length"] / d["travel_time"] * 3.6 if d["travel_time"] > 0 else max(d["speed_kph"])
            if isinstance(d.get("speed_source"), list):
                kinds = set(d["speed_source"])
                d["speed_source"] = kinds.pop() if len(kinds) == 1 else "mixed"
    if simplify and G.number_of_nodes() <= _FEW_NODES < before:
        warn(
            f"{source}: simplification left {G.number_of_nodes()} nodes of {before} (the extract has few "
            "intersections); pass simplify=False to keep every node for snapping and isochrones",
            RoadGraphWarning,
        )
    G.graph["pxnet_source"] = source
    return G


def prepare_roads(G: nx.MultiDiGraph, *, speeds: Mapping[str, float] | None = None) -> nx.MultiDiGraph:
    """Set ``speed_kph``, ``speed_source`` and ``travel_time`` on a graph made elsewhere (e.g. by osmnx), in place.

    Uses the same rule as :func:`~pxnet.osm.load_roads`; on an already simplified graph, a merged edge whose ways had
    different limits takes the lowest (see ``docs/osm.md``).

    Examples
    --------
    >>> G = nx.MultiDiGraph(crs="EPSG:4326")
    >>> _ = G.add_edge(1, 2, length=500.0, highway="trunk", maxspeed=["60", "80"])
    >>> prepare_roads(G).edges[1, 2, 0]["speed_kph"]
    60.0
    """
    return add_speeds(G, speeds=speeds)


# -- saving ---------------------------------------------------------------------------------------
def save_roads(G: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write a prepared road graph, atomically: ``.graphml`` (reloadable, exact) or ``.gpkg`` (for GIS).

    :func:`~pxnet.osm.load_roads` reads either back without re-parsing the OSM extract.

    Parameters
    ----------
    G
        A graph from :func:`~pxnet.osm.load_roads`.
    path
        Target file; its suffix chooses the format.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from pxnet.osm import load_roads
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
