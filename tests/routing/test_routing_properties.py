"""Property tests: pxnet's router agrees with networkx and behaves like a shortest-path metric."""

from __future__ import annotations

import itertools
import math

import networkx as nx
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pxnet

edges_strategy = st.lists(
    st.tuples(st.integers(0, 11), st.integers(0, 11), st.floats(0, 1000, allow_nan=False)),
    min_size=1,
    max_size=60,
)


def _graph(edges) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph(crs="EPSG:4326")
    G.add_nodes_from(range(12))
    for u, v, w in edges:
        G.add_edge(u, v, travel_time=w)
    return G


@settings(max_examples=60, deadline=None)
@given(edges_strategy)
def test_matches_networkx_dijkstra(edges):
    G = _graph(edges)
    m = pxnet.skim(list(G.nodes), network=G, weight="travel_time")
    for s in G.nodes:
        expected = nx.single_source_dijkstra_path_length(G, s, weight="travel_time")
        for t in G.nodes:
            got = m.loc[s, t] * 60
            if t in expected:
                assert math.isclose(got, expected[t], rel_tol=1e-9, abs_tol=1e-9)
            else:
                assert math.isinf(got)


@settings(max_examples=60, deadline=None)
@given(edges_strategy)
def test_triangle_inequality_and_determinism(edges):
    G = _graph(edges)
    m = pxnet.skim(list(G.nodes), network=G).to_numpy()
    again = pxnet.skim(list(G.nodes), network=_graph(edges)).to_numpy()
    assert np.array_equal(m, again)
    n = len(m)
    for i in range(n):
        assert m[i, i] == 0
        for j in range(n):
            assert np.all(m[i, j] <= m[i, :] + m[:, j] + 1e-9)


@settings(max_examples=60, deadline=None)
@given(edges_strategy, st.tuples(st.integers(0, 11), st.integers(0, 11), st.floats(0, 1000, allow_nan=False)))
def test_adding_a_link_never_slows_removing_never_speeds(edges, extra):
    G = _graph(edges)
    before = pxnet.skim(list(G.nodes), network=G).to_numpy()
    H = _graph([*edges, extra])
    after = pxnet.skim(list(H.nodes), network=H).to_numpy()
    assert np.all(after <= before + 1e-9)
    # removing it again restores the old times (never faster than with it)
    assert np.all(before >= after - 1e-9)


SRC = "hand-made test network"
STATIONS = ["a", "b", "c", "d"]


def _service_network(make_folder, services: list[tuple[list[str], float]]):
    nodes = "id,name_zh,name_en,kind,lon,lat,source\n" + "".join(
        f"{s},{s}站,{s.upper()},hsr_station,{113 + i * 0.5},27.0,{SRC}\n" for i, s in enumerate(STATIONS)
    )
    links = "id,from,to,mode,length_km,speed_kph,status,source\n" + "".join(
        f"l{i},{a},{b},hsr,{60 + 10 * i},300,existing,{SRC}\n" for i, (a, b) in enumerate(itertools.pairwise(STATIONS))
    )
    rows = "".join(f"s{i},svc{i},hsr,{';'.join(stops)},{h},existing,{SRC}\n" for i, (stops, h) in enumerate(services))
    folder = make_folder(
        texts={
            "nodes.csv": nodes,
            "links.csv": links,
            "services.csv": "id,name,mode,stops,headway_min,status,source\n" + rows,
            "projects.yaml": "[]",
            "scenarios.yaml": "[]",
            "parameters.yaml": None,
        }
    )
    return pxnet.load_network(folder)


service_strategy = st.tuples(
    st.integers(0, 2).flatmap(lambda i: st.integers(i + 1, 3).map(lambda j: STATIONS[i : j + 1])),
    st.floats(5, 180),
)


# make_folder writes a fresh folder per call, so sharing it across examples is safe.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(service_strategy, min_size=1, max_size=4), service_strategy)
def test_adding_a_service_never_slows_any_trip(make_folder, services, extra):
    before = pxnet.skim(STATIONS, mode="hsr", scenario=2020, network=_service_network(make_folder, services))
    after = pxnet.skim(STATIONS, mode="hsr", scenario=2020, network=_service_network(make_folder, [*services, extra]))
    assert np.all(after.to_numpy() <= before.to_numpy() + 1e-9)
