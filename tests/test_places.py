"""Places resolve by id, Chinese or English name; unknown names list close matches."""

from __future__ import annotations

import pytest

import pxnet
from pxnet import UnknownPlaceError


@pytest.fixture
def net(folder):
    return pxnet.load_network(folder)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pingxiang_north", "pingxiang_north"),
        ("萍乡北", "pingxiang_north"),
        ("萍乡北站", "pingxiang_north"),
        ("PINGXIANG NORTH", "pingxiang_north"),
        ("  pingxiang   north ", "pingxiang_north"),
        ("萍乡", "pingxiang"),
        ("萍乡市", "pingxiang"),
        ("changsha", "changsha"),
        ("长沙南", "changsha_south"),
    ],
)
def test_resolve(net, name, expected):
    assert net.resolve(name) == expected


def test_resolve_restricted_to_kinds(net):
    assert net.resolve("宜春", kinds={"hsr_station"}) == "yichun_station"
    with pytest.raises(UnknownPlaceError):
        net.resolve("萍乡市", kinds={"hsr_station"})


def test_unknown_place_suggests(net):
    with pytest.raises(UnknownPlaceError) as info:
        net.resolve("萍乡南")
    err = info.value
    assert isinstance(err, KeyError) and isinstance(err, pxnet.PxnetError)
    assert "萍乡北 (Pingxiang North)" in err.suggestions
    assert "did you mean" in str(err) and "萍乡南" in str(err)
    with pytest.raises(UnknownPlaceError, match="Changsha South"):
        net.resolve("Changsha Sout")


def test_stations_of(net):
    assert net.stations_of("萍乡") == ["pingxiang_north"]
    assert net.stations_of("Changsha") == ["changsha_south"]


def test_place_beats_station_of_same_name_unless_a_station_is_asked_for(make_folder):
    row = "pingxiang_station,萍乡,Pingxiang Railway Station,rail_station,113.836231,27.650025,pingxiang,,,test\n"
    from tests.fixtures.networks import NODES

    net = pxnet.load_network(make_folder(texts={"nodes.csv": NODES + row}))
    assert net.resolve("萍乡") == "pingxiang"
    assert net.resolve("萍乡站") == "pingxiang_station"
    assert net.resolve("pingxiang station") == "pingxiang_station"
    assert net.resolve("pingxiang_station") == "pingxiang_station"


def test_airports_by_short_name_and_code(make_folder):
    rows = (
        "hongkong,香港特别行政区,Hong Kong,city,114.17,22.28,,,,test\n"
        "hkg_airport,香港国际机场,Hong Kong International Airport (HKG),airport,113.915,22.309,hongkong,,,test\n"
        "csx_airport,长沙黄花国际机场,Changsha Huanghua International Airport (CSX),airport,113.22,28.19,,,,test\n"
    )
    from tests.fixtures.networks import NODES

    net = pxnet.load_network(make_folder(texts={"nodes.csv": NODES + rows}))
    assert net.resolve("长沙黄花") == "csx_airport"
    assert net.resolve("Changsha Huanghua") == "csx_airport"
    assert net.resolve("csx") == "csx_airport"
    assert net.resolve("HKG") == "hkg_airport"
    # The full name wins over the city its shortened form would also match.
    assert net.resolve("香港国际机场") == "hkg_airport"
    assert net.resolve("香港") == "hongkong"
