"""Export networks and scenario graphs: networkx (osmnx conventions), GeoPackage and GraphML (atomic writes)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .io import atomic_path
from .network import Network, links_gdf, nodes_gdf
from .scenario import Scenario
from .tracks import ModeArg, links_graph

if TYPE_CHECKING:
    import networkx as nx


def to_networkx(scenario: Scenario, *, mode: ModeArg = None, node_keys: str = "id") -> nx.MultiDiGraph:
    """Return the physical network of a scenario as an osmnx-convention ``MultiDiGraph`` (``Scenario.graph``).

    Built by :func:`pxnet.tracks.links_graph`, which documents the graph.

    Parameters
    ----------
    scenario
        The scenario whose links make the graph.
    mode
        Which links to include (``None``: all; ``"hsr"``, ``"road"`` …).
    node_keys
        ``"id"`` (default): nodes keyed by their text ids. ``"hash"``: the integer keys of earlier releases, with a
        ``FutureWarning`` (they go in pxnet 0.4).

    Returns
    -------
    networkx.MultiDiGraph

    Examples
    --------
    >>> import pxnet
    >>> net = pxnet.load_network()
    >>> G = to_networkx(pxnet.get_scenario(2025, network=net), mode="hsr")
    >>> G.nodes["pingxiang_north"]["name_zh"]
    '萍乡北'
    """
    return links_graph(scenario, mode=mode, node_keys=node_keys)


def to_geopackage(source: Network | Scenario, path: str | Path) -> Path:
    """Write nodes and links layers to a GeoPackage.

    Parameters
    ----------
    source
        A :class:`~pxnet.Network` (every link, with its status and project) or a
        :class:`~pxnet.Scenario` (only its links, with the speeds and times that apply in it).
    path
        The ``.gpkg`` file to write. Written atomically: a failure leaves any previous file intact.

    Returns
    -------
    pathlib.Path
        The path written.

    Examples
    --------
    >>> import pxnet, tempfile, pathlib
    >>> out = pxnet.to_geopackage(pxnet.load_network(), pathlib.Path(tempfile.mkdtemp()) / "net.gpkg")
    >>> out.suffix
    '.gpkg'
    """
    if isinstance(source, Scenario):
        nodes, links = source.network.nodes, source.links
    else:
        nodes, links = source.nodes, source.links
    # the text ids are columns already; the frame index would become a stray "index" field
    node_layer = nodes_gdf(nodes).reset_index(drop=True)
    link_layer = links_gdf(links, nodes).reset_index(drop=True)
    with atomic_path(path) as tmp:
        node_layer.to_file(tmp, layer="nodes", driver="GPKG")
        link_layer.to_file(tmp, layer="links", driver="GPKG", mode="a")
    return Path(path)


def to_graphml(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write a graph to GraphML with osmnx's conventions (``ox.load_graphml`` reads it back).

    pxnet's graphs are keyed by text ids, and osmnx reads node keys as OpenStreetMap integers unless told
    otherwise: read the file with ``ox.load_graphml(path, node_dtypes={"osmid": str})`` (add ``"population":
    int`` for the census figures as numbers). osmnx's reader drops the edge attribute ``id`` (the link id), which
    GraphML uses itself; ``nx.read_graphml(path)`` keeps it (every attribute as text).

    Parameters
    ----------
    graph
        e.g. ``scenario.graph(mode="hsr")``.
    path
        The ``.graphml`` file to write, atomically.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import pxnet, tempfile, pathlib
    >>> G = pxnet.get_scenario(2025).graph(mode="hsr")
    >>> out = pxnet.to_graphml(G, pathlib.Path(tempfile.mkdtemp()) / "hsr.graphml")
    >>> import osmnx as ox
    >>> ox.load_graphml(out, node_dtypes={"osmid": str}).nodes["pingxiang_north"]["name_zh"]
    '萍乡北'
    """
    import osmnx as ox

    with atomic_path(path) as tmp:
        ox.io.save_graphml(graph, filepath=tmp)
    return Path(path)
