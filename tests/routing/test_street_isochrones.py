"""Street-based isochrones on a raw OpenStreetMap street graph: walked at a planning speed, not driven discs.

The West Oakland extract (OSMnx's test data, ../shared/peer-data) carries street ``length`` but no
``travel_time``: pxnet walks it at WALKING_KPH. The nodes inside a band are exactly those networkx's ego graph finds
within the band's walking distance (minutes × metres a minute, by street length).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

import pxnet
from pxnet.routing import isochrones, reach_times
from pxnet.routing._isochrones import WALKING_KPH

ROOT = Path(__file__).resolve().parents[2]
EXTRACT = next(
    (p / "shared" / "peer-data" / "osmnx" / "West-Oakland.osm.bz2" for p in (ROOT.parent, ROOT.parent.parent)
     if (p / "shared" / "peer-data" / "osmnx" / "West-Oakland.osm.bz2").is_file()),
    ROOT.parent / "shared" / "peer-data" / "osmnx" / "West-Oakland.osm.bz2",
)  # fmt: skip


@pytest.fixture(scope="module")
def oakland() -> nx.MultiDiGraph:
    if not EXTRACT.is_file():
        pytest.skip("../shared/peer-data/osmnx/West-Oakland.osm.bz2 not present")
    import osmnx as ox

    return ox.graph_from_xml(EXTRACT, retain_all=False)


@pytest.mark.parametrize("minutes", [3, 6])
def test_walking_reach_matches_the_ego_graph(oakland: nx.MultiDiGraph, minutes: int) -> None:
    origin = next(iter(oakland.nodes))
    metres = minutes * WALKING_KPH * 1000 / 60
    times = reach_times(origin, network=oakland, cutoff=minutes)
    reference = nx.ego_graph(oakland, origin, radius=metres * (1 - 1e-12), distance="length")
    near_edge = {n for n, d in nx.single_source_dijkstra_path_length(oakland, origin, weight="length").items()
                 if abs(d - metres) < 1e-6}  # fmt: skip
    assert set(times.index) - near_edge == set(reference.nodes) - near_edge


def test_a_street_band_is_walking_sized(oakland: nx.MultiDiGraph) -> None:
    """A 6-minute band on foot covers a few km² at most (480 m of street, 400 m of straight line beyond)."""
    origin = next(iter(oakland.nodes))
    bands = isochrones(origin, bands=(6,), network=oakland)
    assert bands.attrs["walk_kph"] == WALKING_KPH and bands.attrs["last_mile_kph"] == WALKING_KPH
    area_km2 = float(bands.to_crs(bands.attrs["metric_crs"]).area.iloc[0]) / 1e6
    assert 0 < area_km2 < 3.0
    with pytest.raises(pxnet.RoutingError, match="walk_kph"):
        reach_times(origin, network=oakland, walk_kph=0)
