"""pxnet's one cache policy: results follow in-place edits, identical builds are shared, memos are bounded.

The expected answers are worked out from the edge weights the tests set, or by networkx's own Dijkstra.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import osmnx as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pxnet
from pxnet import _cache
from pxnet.routing import clear_cache, get_router, get_timed_router
from pxnet.routing.graph import _csr


def _osm_like_graph() -> nx.MultiDiGraph:
    """A 6 × 6 grid of tertiary streets about 200 m apart, as osmnx gives them (lengths, highway, maxspeed)."""
    G = nx.MultiDiGraph(crs="EPSG:4326")
    side = 6
    for i in range(side * side):
        G.add_node(i, x=113.8 + (i % side) * 0.002, y=27.6 + (i // side) * 0.0018)
    for i in range(side * side):
        for j in (i + 1 if i % side < side - 1 else None, i + side if i < side * (side - 1) else None):
            if j is not None:
                for a, b in ((i, j), (j, i)):
                    G.add_edge(a, b, length=200.0, highway="tertiary", maxspeed="40")
    return G


def _networkx_minutes(G: nx.MultiDiGraph, a: int, b: int) -> float:
    return nx.shortest_path_length(G, a, b, weight="travel_time") / 60.0


def test_skim_and_isochrones_follow_osmnx_speeds_changed_in_place():
    G = _osm_like_graph()
    ox.routing.add_edge_speeds(G)
    ox.routing.add_edge_travel_times(G)
    first = pxnet.skim([0], [35], network=G).iloc[0, 0]
    assert first == pytest.approx(_networkx_minutes(G, 0, 35))
    # The planner re-imputes speeds with a new limit, in place, on the same graph object.
    for _, _, d in G.edges(data=True):
        d["maxspeed"] = "20"
    ox.routing.add_edge_speeds(G)
    ox.routing.add_edge_travel_times(G)
    second = pxnet.skim([0], [35], network=G).iloc[0, 0]
    assert second == pytest.approx(_networkx_minutes(G, 0, 35))
    assert second == pytest.approx(first * 2)  # half the speed, same streets
    assert pxnet.one_to_all(0, network=G)[35] == pytest.approx(second)


def test_isochrone_reach_follows_prepare_roads_in_place():
    from pxnet.osm import prepare_roads
    from pxnet.routing import reach_times

    G = _osm_like_graph()
    prepare_roads(G)
    before = reach_times([0], network=G)["minutes"]
    for _, _, d in G.edges(data=True):
        d["maxspeed"] = "80" if d["maxspeed"] == "40" else d["maxspeed"]
    prepare_roads(G)
    after = reach_times([0], network=G)["minutes"]
    expected = {n: _networkx_minutes(G, 0, n) for n in G.nodes}
    assert after.to_dict() == pytest.approx(expected)
    assert after[35] < before[35]


def test_clear_cache_after_an_edit_the_fingerprint_cannot_see():
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", travel_time=600.0)
    assert pxnet.skim(["a"], ["b"], network=G).iloc[0, 0] == 10.0
    G.add_edge("a", "b", travel_time=60.0)  # a parallel edge: node count and sampled weights unchanged
    clear_cache(G)
    assert pxnet.skim(["a"], ["b"], network=G).iloc[0, 0] == 1.0


def test_a_compiled_graph_is_reused_while_the_graph_is_unchanged():
    G = _osm_like_graph()
    nx.set_edge_attributes(G, 12.0, "travel_time")
    first = pxnet.routing.graph._csr.cached_compile(G)  # the memo itself is under test
    assert pxnet.routing.graph._csr.cached_compile(G) is first


def test_scenarios_with_identical_inputs_share_one_router(folder):
    net = pxnet.load_network(folder)
    sc = pxnet.get_scenario(2020, network=net)
    same = sc.derive(name="same", description="only the description differs")
    other_year = pxnet.get_scenario(2021, network=net)  # nothing opens in 2021 in this slice
    assert get_router(same, "road").compiled is get_router(sc, "road").compiled
    # The same trips (nothing opens in 2021): one set of connection arrays, one memo of answers.
    assert get_timed_router(same, "hsr").dep_time is get_timed_router(sc, "hsr").dep_time
    assert get_timed_router(other_year, "hsr").dep_time is get_timed_router(sc, "hsr").dep_time
    faster = sc.derive(name="faster", link_speed_kph={"road_px_cs": 120})
    assert get_router(faster, "road").compiled is not get_router(sc, "road").compiled
    # A shared router still answers for the scenario asked about.
    assert get_router(same, "road").scenario is same and get_timed_router(same, "hsr").scenario is same


def test_router_memo_is_bounded_and_owned_by_the_network(folder):
    net = pxnet.load_network(folder)
    sc = pxnet.get_scenario(2020, network=net)
    for k in range(12):
        get_router(sc.derive(name=f"v{k}", link_speed_kph={"road_px_cs": 60 + k}), "road")
    routers = _cache.memo(net, "road routers")
    assert 12 <= len(routers) <= routers.maxsize
    small = _cache.Memo(3)
    for k in range(10):
        small.get(k, lambda k=k: k)
    assert small.keys() == [7, 8, 9]
    clear_cache(net)
    assert len(_cache.memo(net, "road routers")) == 0


def test_answers_do_not_depend_on_what_was_asked_before(folder):
    """A fresh network and a network that has answered other scenarios first give the same times."""
    warm = pxnet.load_network(folder)
    for year in (2015, 2019, 2020):
        pxnet.skim(["pingxiang"], ["changsha"], scenario=year, network=warm)
    cold = pxnet.load_network(folder)
    for mode in ("hsr", "road", "door_to_door"):
        a = pxnet.skim(["pingxiang"], ["changsha"], mode=mode, scenario=2020, network=warm).to_numpy()
        b = pxnet.skim(["pingxiang"], ["changsha"], mode=mode, scenario=2020, network=cold).to_numpy()
        assert np.array_equal(a, b) and math.isfinite(float(a[0, 0]))


# -- compiling without a loop over edges: the same matrix and fingerprint as the edge-by-edge path ----------
_GRAPH_TYPES = (nx.MultiDiGraph, nx.DiGraph, nx.MultiGraph, nx.Graph)


@st.composite
def _graphs(draw: st.DrawFn) -> nx.Graph:
    """Small graphs of every networkx type with mixed node keys, parallel edges, self-loops and isolated nodes."""
    kind = draw(st.sampled_from(_GRAPH_TYPES))
    G = kind()
    keys: list[object] = draw(
        st.lists(st.one_of(st.integers(-5, 40), st.text("abcxyz", min_size=1, max_size=3)), unique=True, max_size=12)
    )
    G.add_nodes_from(keys)
    if keys:
        edges = draw(
            st.lists(
                st.tuples(st.sampled_from(keys), st.sampled_from(keys), st.sampled_from([0.0, 1.0, 2.5, 7.0, 1e9])),
                max_size=40,
            )
        )
        for u, v, w in edges:
            G.add_edge(u, v, travel_time=w)
    return G


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(G=_graphs())
def test_adjacency_compile_matches_the_edge_by_edge_compile(G: nx.Graph) -> None:
    """The fast path gives the edge-by-edge path's matrix (values, column order, nnz) and fingerprint sample.

    The reference is the previous implementation, kept as ``_compile_edges``: a loop over ``G.edges(data=True)``
    and a lexsort keeping the minimum of parallel edges. Undirected graphs sample each edge under both ends in
    the fast path, so for them the sampled dicts are compared as a set.
    """
    fast = _csr._compile_adjacency(G, "travel_time")
    assert fast is not None
    slow = _csr._compile_edges(G, "travel_time")
    (a, fp_a), (b, fp_b) = fast, slow
    assert a.nodes == b.nodes
    for attr in ("indptr", "indices", "data"):
        assert np.array_equal(getattr(a.matrix, attr), getattr(b.matrix, attr)), attr
    assert a.index == b.index
    assert fp_a.nodes == fp_b.nodes
    if G.is_directed():
        assert [(id(d), w) for d, w in fp_a.edges] == [(id(d), w) for d, w in fp_b.edges]
    else:
        assert {id(d) for d, _ in fp_a.edges} <= {id(d) for _, _, d in G.edges(data=True)}


def test_multigraph_parallel_edges_keep_the_minimum_and_sample_every_edge() -> None:
    """Three parallel edges a→b (5, 3, 4 s) compile to one entry of 3 s; the fingerprint sees each of them."""
    G = nx.MultiDiGraph()
    for w in (5.0, 3.0, 4.0):
        G.add_edge("a", "b", travel_time=w)
    G.add_edge("b", "a", travel_time=1.0)
    compiled, fp = _csr._compile_adjacency(G, "travel_time") or (None, None)
    assert compiled is not None and fp is not None
    assert compiled.matrix.toarray().tolist() == [[0.0, 3.0], [1.0, 0.0]]
    assert [w for _, w in fp.edges] == [5.0, 3.0, 4.0, 1.0]


def test_compile_names_the_edge_without_a_weight_and_refuses_bad_weights() -> None:
    """An edge without the weight falls back to the edge-by-edge path, which names it; NaN and negatives refused."""
    G = nx.MultiDiGraph()
    G.add_edge(1, 2, travel_time=1.0)
    G.add_edge(2, 3)
    with pytest.raises(pxnet.RoutingError, match=r"edge 2 -> 3 has no 'travel_time'"):
        _csr.compile_graph(G)
    for bad in (float("nan"), -1.0, float("inf")):
        H = nx.DiGraph()
        H.add_edge(1, 2, travel_time=bad)
        with pytest.raises(pxnet.RoutingError, match="finite and non-negative"):
            _csr.compile_graph(H)


def test_graph_views_compile_through_the_edge_by_edge_path() -> None:
    """A subgraph view's adjacency is not plain dicts: it compiles edge by edge, to the subgraph's distances."""
    G = nx.path_graph(5, create_using=nx.MultiDiGraph)
    nx.set_edge_attributes(G, 2.0, "travel_time")
    view = G.subgraph([0, 1, 2])
    assert _csr._compile_adjacency(view, "travel_time") is None
    compiled = _csr.compile_graph(view)
    assert compiled.nodes == [0, 1, 2]
    assert compiled.distances([0])[0][0].tolist() == [0.0, 2.0, 4.0]


def test_a_derived_scenario_is_freed_after_del(folder):
    """Answering a rail question caches connections and answers with the network, never the scenario itself."""
    import gc
    import weakref

    net = pxnet.load_network(folder)
    derived = pxnet.get_scenario(2020, network=net).derive(name="to free", parameters={"transfer_min": 12})
    pxnet.travel_time("pingxiang_north", "changsha_south", mode="hsr", scenario=derived)
    pxnet.skim(["pingxiang"], ["changsha"], scenario=derived)
    ref = weakref.ref(derived)
    del derived
    gc.collect()
    assert ref() is None
