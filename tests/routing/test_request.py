"""Options grouped into records: the public signatures stay as they were, and every group is checked on entry.

The routing and OSM functions take families of options as ``**options`` (a ``TypedDict`` for type checkers) and
turn them into frozen records. What users see must not change: the same keyword-only names with the same
defaults, a misspelt keyword refused as loudly as before (with the nearest name), and a bad value refused before
any routing starts.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from typing import Any

import networkx as nx
import pandas as pd
import pytest

import pxnet
import pxnet.osm as osm
import pxnet.routing as routing
from pxnet import vocabulary
from pxnet.errors import ArgumentError, PxnetError, RoutingError, SnapError
from pxnet.osm._options import AttachKeywords, AttachOptions, DownloadKeywords, DownloadOptions
from pxnet.routing._request import (
    BandOptions,
    GraphOptions,
    IsochroneKeywords,
    Request,
    TimingKeywords,
    TimingOptions,
)
from pxnet.routing.timetable._options import FeedKeywords, FeedOptions

pytestmark = pytest.mark.timeout(60)

# The public signatures as released: positional parameters, then the keyword-only names. Grouping options into
# records must leave each exactly so.
SIGNATURES: dict[str, tuple[Callable[..., Any], list[str], set[str]]] = {
    "travel_time": (
        pxnet.travel_time,
        ["origin", "destination"],
        {"mode", "scenario", "network", "initial_wait_fraction", "departure", "statistic", "arrival"},
    ),
    "route": (
        pxnet.route,
        ["origin", "destination"],
        {"mode", "scenario", "network", "initial_wait_fraction", "departure", "statistic"},
    ),
    "skim": (
        pxnet.skim,
        ["origins", "destinations"],
        {"mode", "scenario", "network", "weight", "cutoff", "initial_wait_fraction", "departure", "statistic"},
    ),
    "one_to_all": (
        pxnet.one_to_all,
        ["origin"],
        {"mode", "scenario", "network", "weight", "cutoff", "initial_wait_fraction", "departure", "statistic"},
    ),
    "isochrones": (
        routing.isochrones,
        ["origins"],
        {
            "bands",
            "mode",
            "scenario",
            "network",
            "to",
            "last_mile_kph",
            "max_last_mile_min",
            "weight",
            "initial_wait_fraction",
            "quad_segs",
            "method",
            "departure",
            "statistic",
            "arrival",
            "walk_kph",
        },
    ),
    "reach_times": (
        routing.reach_times,
        ["origins"],
        {
            "mode",
            "scenario",
            "network",
            "to",
            "weight",
            "cutoff",
            "initial_wait_fraction",
            "departure",
            "statistic",
            "arrival",
            "walk_kph",
        },
    ),
    "journeys": (
        pxnet.journeys,
        ["origin", "destination"],
        {"scenario", "mode", "departure", "network", "timetable", "scheduled_only", "window"},
    ),
    "door_to_door": (
        osm.door_to_door,
        ["origin", "destination"],
        {"roads", "scenario", "network", "snapped", "rail", "max_distance_m", "connector_kph", "initial_wait_fraction"},
    ),
    "door_to_door_options": (
        osm.door_to_door_options,
        ["origin", "destination"],
        {"roads", "scenario", "network", "snapped", "rail", "max_distance_m", "connector_kph", "initial_wait_fraction"},
    ),
    "travel_times_from": (
        osm.travel_times_from,
        ["origin"],
        {
            "roads",
            "scenario",
            "network",
            "snapped",
            "rail",
            "cutoff",
            "max_distance_m",
            "connector_kph",
            "initial_wait_fraction",
        },
    ),
    "load_roads": (
        osm.load_roads,
        ["source"],
        {
            "speeds",
            "network_type",
            "retain_all",
            "simplify",
            "download",
            "timeout_s",
            "probe_timeout_s",
            "cache_folder",
        },
    ),
}


def _documented(function: Callable[..., Any]) -> set[str]:
    """Names in the numpydoc ``Parameters`` and ``Other Parameters`` sections of a function's docstring."""
    lines = (inspect.getdoc(function) or "").splitlines()
    names: set[str] = set()
    for section in ("Parameters", "Other Parameters"):
        if section not in lines:
            continue
        for k in range(lines.index(section) + 2, len(lines)):
            if k + 1 < len(lines) and lines[k + 1] and set(lines[k + 1]) == {"-"}:  # the next section's title
                break
            if lines[k] and not lines[k][0].isspace():
                names.update(name.strip() for name in lines[k].partition(" : ")[0].split(","))
    return names


@pytest.mark.parametrize("name", sorted(SIGNATURES))
def test_public_signature_keeps_its_names_keyword_only(name: str) -> None:
    function, positional, keywords = SIGNATURES[name]
    parameters = inspect.signature(function).parameters
    kinds = inspect.Parameter
    assert [n for n, p in parameters.items() if p.kind is not kinds.KEYWORD_ONLY] == positional
    assert {n for n, p in parameters.items() if p.kind is kinds.KEYWORD_ONLY} == keywords
    assert not any(p.kind is kinds.VAR_KEYWORD for p in parameters.values())  # no bare **options shown
    documented = _documented(function)
    if documented:  # a docstring that lists its parameters lists exactly these
        assert documented == set(parameters), name


@pytest.mark.parametrize(
    "function", [pxnet.travel_time, pxnet.route, pxnet.skim, pxnet.one_to_all, routing.isochrones, routing.reach_times]
)
def test_default_trip_mode_is_the_vocabularys(function: Callable[..., Any]) -> None:
    assert inspect.signature(function).parameters["mode"].default == vocabulary.DEFAULT_TRIP_MODE


@pytest.mark.parametrize(
    ("keywords", "records"),
    [
        (IsochroneKeywords, (TimingOptions, GraphOptions, BandOptions)),
        (FeedKeywords, (FeedOptions,)),
        (AttachKeywords, (AttachOptions,)),
        (DownloadKeywords, (DownloadOptions,)),
    ],
)
def test_every_keyword_has_a_record_field_of_the_same_type(keywords: type, records: tuple[type, ...]) -> None:
    fields = {f.name: f.type for record in records for f in dataclasses.fields(record)}
    for name, kind in keywords.__annotations__.items():
        assert name in fields, name
        assert getattr(kind, "__forward_arg__", kind) == fields[name], name


# -- unknown keywords ----------------------------------------------------------------------------------------
ROADS = nx.MultiDiGraph()


@pytest.mark.parametrize(
    ("call", "wrong", "nearest"),
    [
        (lambda: pxnet.travel_time("萍乡", "长沙", depature="07:30"), "depature", "departure"),
        (lambda: pxnet.travel_time("萍乡", "长沙", arival="12:00"), "arival", "arrival"),
        (lambda: pxnet.skim(["萍乡"], statistics="median"), "statistics", "statistic"),
        (lambda: pxnet.one_to_all("萍乡", departures="07:30"), "departures", "departure"),
        (lambda: routing.isochrones("萍乡", metod="raster"), "metod", "method"),
        (lambda: routing.isochrones("萍乡", last_mile=20), "last_mile", "last_mile_kph"),
        (lambda: routing.reach_times("萍乡", walk_speed=5), "walk_speed", "walk_kph"),
        (lambda: pxnet.journeys("萍乡北", "长沙南", schedule_only=True), "schedule_only", "scheduled_only"),
        (lambda: osm.door_to_door("萍乡", 1, roads=ROADS, max_distance=10), "max_distance", "max_distance_m"),
        (lambda: osm.door_to_door_options("萍乡", 1, roads=ROADS, snaped=None), "snaped", "snapped"),
        (lambda: osm.travel_times_from("萍乡", roads=ROADS, connector=5), "connector", "connector_kph"),
        (lambda: osm.load_roads("x.osm", timeout=5), "timeout", "timeout_s"),
    ],
)
def test_unknown_keyword_is_refused_with_the_nearest(call: Callable[[], object], wrong: str, nearest: str) -> None:
    with pytest.raises(ArgumentError, match=f"'{wrong}' \\(did you mean '{nearest}'") as info:
        call()
    assert isinstance(info.value, TypeError)  # as Python's own refusal of an unknown keyword


def test_a_keyword_of_another_function_is_refused() -> None:
    with pytest.raises(ArgumentError, match="skim\\(\\) got an unexpected keyword 'arrival'"):
        pxnet.skim(["萍乡"], ["长沙"], arrival="12:00")  # type: ignore[call-arg]


# -- values checked on entry, before any routing -------------------------------------------------------------
# An unknown scenario fails as soon as routing starts: a value error seen instead shows the check came first.
NOWHERE = "no-such-scenario"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: pxnet.travel_time("萍乡", "长沙", scenario=NOWHERE, departure="soon"), "soon"),
        (lambda: pxnet.travel_time("萍乡", "长沙", scenario=NOWHERE, statistic="mean"), "statistic 'mean'"),
        (lambda: pxnet.travel_time("萍乡", "长沙", scenario=NOWHERE, departure="07:00", arrival="12:00"), "not both"),
        (lambda: pxnet.travel_time("萍乡", "长沙", scenario=NOWHERE, arrival=("11:00", "12:00")), "one clock time"),
        (lambda: pxnet.route("萍乡", "长沙", scenario=NOWHERE, statistic="p200"), "statistic 'p200'"),
        (lambda: pxnet.skim(["萍乡"], scenario=NOWHERE, mode="road", departure="soon"), "soon"),
        (lambda: pxnet.one_to_all("萍乡", scenario=NOWHERE, departure=("09:00", "08:00")), "ends before"),
        (lambda: routing.reach_times("萍乡", scenario=NOWHERE, walk_kph=50), "walk_kph"),
        (lambda: routing.reach_times("萍乡", scenario=NOWHERE, weight=""), "weight"),
        (lambda: routing.isochrones("萍乡", scenario=NOWHERE, method="rastr"), "did you mean 'raster'"),
        (lambda: routing.isochrones("萍乡", scenario=NOWHERE, quad_segs=0), "quad_segs"),
        (lambda: routing.isochrones("萍乡", scenario=NOWHERE, last_mile_kph=500), "last_mile_kph"),
        (lambda: routing.isochrones("萍乡", scenario=NOWHERE, max_last_mile_min=-1), "max_last_mile_min"),
        (lambda: routing.isochrones("萍乡", scenario=NOWHERE, statistic="mean"), "statistic 'mean'"),
        (lambda: pxnet.journeys("萍乡北", "长沙南", scenario=NOWHERE, scheduled_only="yes"), "scheduled_only"),
        (lambda: pxnet.journeys("萍乡北", "长沙南", scenario=NOWHERE, timetable=42), "timetable must be"),
    ],
)
def test_routing_options_are_checked_on_entry(call: Callable[[], object], message: str) -> None:
    with pytest.raises(RoutingError, match=message):
        call()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: osm.door_to_door("萍乡", 1, roads=ROADS, max_distance_m=0), SnapError, "max_distance_m"),
        (lambda: osm.door_to_door("萍乡", 1, roads=ROADS, max_distance_m=float("nan")), SnapError, "max_distance_m"),
        (lambda: osm.door_to_door("萍乡", 1, roads=ROADS, connector_kph=-30), SnapError, "connector_kph"),
        (lambda: osm.travel_times_from("萍乡", roads=ROADS, snapped=pd.DataFrame()), SnapError, "snapped"),
        (lambda: osm.load_roads("x.osm", timeout_s=0), RoutingError, "timeout_s"),
        (lambda: osm.load_roads("x.osm", probe_timeout_s=-1), RoutingError, "probe_timeout_s"),
    ],
)
def test_osm_options_are_checked_on_entry(call: Callable[[], object], error: type[PxnetError], message: str) -> None:
    # The empty road graph and the missing file would fail next: the option's own error shows it came first.
    with pytest.raises(error, match=message):
        call()


# -- the records --------------------------------------------------------------------------------------------
def test_records_are_frozen_and_pick_only_their_fields() -> None:
    given: dict[str, Any] = {"departure": "07:30", "walk_kph": 4.5, "method": "exact"}
    timing = TimingOptions.pick(given)
    assert timing == TimingOptions(departure="07:30")
    assert GraphOptions.pick(given) == GraphOptions(walk_kph=4.5)
    assert BandOptions.pick(given).method == "exact"
    with pytest.raises(dataclasses.FrozenInstanceError):
        timing.departure = "08:00"  # type: ignore[misc]


def test_request_defaults_to_the_default_trip_mode_and_no_options() -> None:
    request = Request()
    assert request.mode == vocabulary.DEFAULT_TRIP_MODE
    assert (request.timing, request.graph) == (TimingOptions(), GraphOptions())


def test_keyword_families_are_public_for_wrappers() -> None:
    assert routing.TimingKeywords is TimingKeywords
    assert set(routing.TimingKeywords.__annotations__) == {"departure", "statistic", "arrival"}
