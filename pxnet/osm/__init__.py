"""Detailed roads from OpenStreetMap: load with osmnx, snap the pxnet network onto them, route door to door.

- :func:`load_roads` parses a local OSM extract (``.osm``, ``.osm.bz2``) or a saved prepared graph
  (``.graphml``, ``.gpkg``) — or, only when asked with ``download=True``, downloads a place or bounding box —
  and sets ``speed_kph`` and ``travel_time`` on every edge (:mod:`pxnet.osm`).
- :func:`save_roads` writes the prepared graph (GraphML or GeoPackage) so a large extract is parsed once.
- :func:`snap` attaches places, stations and interchanges of a pxnet network to the nearest suitable OSM node.
- :func:`door_to_door` / :func:`door_to_door_options` and :func:`travel_times_from` combine driving on the OSM
  roads with the network's rail services.

The composition rule is in ``docs/osm.md``. Nothing here downloads anything unless the caller passes
``download=True``.

This module is the public face: import from ``pxnet.osm``. It holds :func:`load_roads` and the opt-in
download; the rest lives in ``osm_load`` (files: filters, parsing, saving), ``osm_snap`` (road index,
snapping), ``osm_trips`` (door to door, one trip or one origin to all road nodes) and ``osm_speeds``
(speeds).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..errors import DataFileNotFoundError, OsmDownloadError, RoadGraphWarning, SnapError, SnapWarning, SpeedError
from ..routing import FloatArray as FloatArray
from ..routing import accept_keywords, spelled_out
from ._load import (
    _FILTER_TAGS,
    _load_geopackage,
    _load_graphml,
    _load_xml,
    _osmnx_settings,
    _prepare,
    _way_filter,
    prepare_roads,
    save_roads,
    write_osm_xml,
)
from ._load import Point as Point
from ._options import DownloadKeywords, DownloadOptions
from ._snap import MOTORWAY_KINDS as MOTORWAY_KINDS
from ._snap import SNAP_KINDS, snap
from ._speeds import DEFAULT_SPEEDS_KPH, parse_maxspeed, speed_table
from ._speeds import add_speeds as add_speeds
from ._trips import Endpoint as Endpoint
from ._trips import door_to_door, door_to_door_options, travel_times_from

__all__ = [
    "DEFAULT_SPEEDS_KPH",
    "SNAP_KINDS",
    "OsmDownloadError",
    "RoadGraphWarning",
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

if TYPE_CHECKING:
    from typing import Unpack

_LOCAL_SUFFIXES = (".osm", ".xml", ".bz2", ".graphml", ".gpkg")


@spelled_out(DownloadKeywords, DownloadOptions)
def load_roads(
    source: str | Path | tuple[float, float, float, float],
    *,
    speeds: Mapping[str, float] | None = None,
    network_type: str = "drive",
    retain_all: bool = False,
    simplify: bool = True,
    download: bool = False,
    **options: Unpack[DownloadKeywords],
) -> nx.MultiDiGraph:
    """Load a road graph from OpenStreetMap with ``speed_kph`` and ``travel_time`` (s) on every edge.

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

    Returns
    -------
    networkx.MultiDiGraph
        osmnx conventions: integer OSM node keys with ``x``, ``y`` (degrees); edges with ``length`` (m),
        ``highway``, ``maxspeed`` (as tagged), ``speed_kph``, ``speed_source`` (``maxspeed``/``default``,
        ``mixed`` on merged edges) and ``travel_time`` (s). ``graph["pxnet_speeds"]`` records the defaults
        used.

    Other Parameters
    ----------------
    timeout_s : float
        Timeout of each download request (s); also the Overpass server-side limit.
    probe_timeout_s : float
        Before downloading, the Overpass status endpoint is probed with this timeout so that an offline
        machine fails within seconds with :class:`OsmDownloadError`.
    cache_folder : str, Path or None
        osmnx's HTTP cache folder (default: ``osmnx.settings.cache_folder``).

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
    accept_keywords(options, DownloadKeywords, function="load_roads")
    fetch = DownloadOptions.pick(options)
    if isinstance(source, tuple):
        if not download:
            raise DataFileNotFoundError(
                f"{source!r} is a bounding box, not a file; pass download=True to download its roads"
            )
        return _download(source, speeds, network_type, retain_all, simplify, fetch)
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
    return _download(str(source), speeds, network_type, retain_all, simplify, fetch)


def _download(
    source: str | tuple[float, float, float, float],
    speeds: Mapping[str, float] | None,
    network_type: str,
    retain_all: bool,
    simplify: bool,
    fetch: DownloadOptions,
) -> nx.MultiDiGraph:
    import osmnx as ox
    import requests

    # osmnx exports its errors nowhere else
    from osmnx._errors import InsufficientResponseError, ResponseStatusCodeError

    clauses = _way_filter(network_type)
    what = f"box {source!r}" if isinstance(source, tuple) else f"place {source!r}"
    options: dict[str, Any] = {
        "overpass_rate_limit": False,  # else osmnx may wait up to 60 s on an unreachable status endpoint
        "requests_timeout": fetch.timeout_s,
        "use_cache": True,
    }
    if fetch.cache_folder is not None:
        options["cache_folder"] = str(fetch.cache_folder)
    useful = list(ox.settings.useful_tags_way)
    extra = [t for t in _FILTER_TAGS if t not in useful]
    options["useful_tags_way"] = useful + extra
    try:
        with _osmnx_settings(**options):
            _probe(ox.settings.overpass_url, fetch.probe_timeout_s)
            if isinstance(source, tuple):
                G = ox.graph_from_bbox(source, network_type=network_type, simplify=False, retain_all=True)
            else:
                G = ox.graph_from_place(source, network_type=network_type, simplify=False, retain_all=True)
    except (OSError, requests.RequestException, ResponseStatusCodeError) as exc:
        raise OsmDownloadError(
            f"downloading the OpenStreetMap roads of {what} failed ({type(exc).__name__}: {exc}); check the "
            "connection, or load a local extract (.osm/.osm.bz2) with load_roads(path)"
        ) from exc
    except InsufficientResponseError as exc:
        raise OsmDownloadError(f"OpenStreetMap returned no data for {what}: {exc}") from exc
    return _prepare(G, speeds, clauses, extra, retain_all, simplify, what, network_type)


def _probe(overpass_url: str, timeout_s: float) -> None:
    """Fail fast when OpenStreetMap is unreachable instead of waiting on osmnx's longer timeouts."""
    import requests

    requests.get(overpass_url.rstrip("/") + "/status", timeout=timeout_s)
