"""Export networks and scenario graphs: networkx (osmnx conventions), GeoPackage and GraphML (atomic writes)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import vocabulary as schema
from .io import atomic_path
from .network import Network, links_gdf, nodes_gdf
from .scenario import ModeArg, Scenario

if TYPE_CHECKING:
    import networkx as nx


def to_networkx(scenario: Scenario, *, mode: ModeArg = None) -> nx.MultiDiGraph:
    """Return the physical network of a scenario as an osmnx-convention ``MultiDiGraph`` (``Scenario.graph``).

    Parameters
    ----------
    scenario
        The scenario whose links (with their speeds and times in it) make the graph.
    mode
        Which links to include: ``None``/``"all"``, a group (``"hsr"``, ``"rail"``, ``"road"``,
        ``"door_to_door"``, ``"freight"``), a link mode, or several link modes.

    Returns
    -------
    networkx.MultiDiGraph
        Nodes carry ``x``, ``y`` (WGS-84 degrees) and the node table's fields; edges carry ``id``,
        ``length`` (m), ``speed_kph``, ``travel_time`` (s), ``mode``, ``status``, ``project``, ``line``,
        ``reversed``. Two-way links appear once in each direction. Only nodes touched by an included link are
        in the graph. Graph attributes: ``crs`` (EPSG:4326), ``name``, ``scenario``, ``date``, ``basis``,
        ``modes``, ``node_ids`` (how to read the node keys).

    Notes
    -----
    **Node keys are integers, not the text ids.** osmnx (and GraphML written for it) keys nodes by integer,
    so each node's key is a stable 56-bit hash of its text id: ``Network.key("萍乡北")`` gives the key of a
    place or station, and the node attribute ``id`` holds the text id (``"pingxiang_north"``). Relabel for
    readable keys: ``nx.relabel_nodes(G, {k: d["id"] for k, d in G.nodes(data=True)})`` (osmnx functions then
    no longer apply).

    **An edge's ``travel_time`` is the running time over the track or road, not a journey time.** A rail edge
    has no boarding wait, dwell, stop loss, change of trains or station access; a shortest path over this graph
    is not what a traveller takes. For journeys use :func:`pxnet.travel_time`, :func:`pxnet.route` or
    :func:`pxnet.skim`.

    Examples
    --------
    >>> import pxnet
    >>> net = pxnet.load_network()
    >>> G = to_networkx(pxnet.get_scenario(2025, network=net), mode="hsr")
    >>> G.nodes[net.key("萍乡北")]["id"]
    'pingxiang_north'
    """
    import networkx as nx

    modes = schema.link_modes(mode)
    links = scenario.links[scenario.links["mode"].isin(modes)]
    G = nx.MultiDiGraph(
        crs="EPSG:4326",
        name=f"pxnet {scenario.name}",
        scenario=scenario.name,
        date=scenario.date.isoformat(),
        basis=scenario.basis,
        modes=",".join(sorted(modes)),
        node_ids="integer keys hash the text ids: Network.key(name) gives a key, node attribute 'id' the text id",
    )
    network = scenario.network
    used = pd.unique(pd.concat([links["from"], links["to"]]))
    nodes = network.nodes.loc[used] if len(used) else network.nodes.iloc[:0]
    keys = network.node_keys
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
        G.add_node(keys[node.id], **attrs)
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
        u, v = keys[link[1]], keys[link[2]]
        G.add_edge(u, v, reversed=False, **attrs)
        if not link.oneway:
            G.add_edge(v, u, reversed=True, **attrs)
    return G


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
