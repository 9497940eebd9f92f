"""Export networks and scenario graphs to GeoPackage and GraphML (atomic writes)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from .io import atomic_path
from .network import Network, links_gdf, nodes_gdf
from .scenario import Scenario


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
    node_layer = nodes_gdf(nodes)
    link_layer = links_gdf(links, nodes)
    with atomic_path(path) as tmp:
        node_layer.to_file(tmp, layer="nodes", driver="GPKG")
        link_layer.to_file(tmp, layer="links", driver="GPKG", mode="a")
    return Path(path)


def to_graphml(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write a graph to GraphML with osmnx's conventions (``ox.load_graphml`` reads it back).

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
    >>> pxnet.to_graphml(G, pathlib.Path(tempfile.mkdtemp()) / "hsr.graphml").name
    'hsr.graphml'
    """
    import osmnx as ox

    with atomic_path(path) as tmp:
        ox.io.save_graphml(graph, filepath=tmp)
    return Path(path)
