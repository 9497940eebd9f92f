"""A national China Railway feed registered against the network: made by scripts/make_national_feed.py.

The feed's stations are the corridor's (by name, one by telecode only) plus real stations the network does not
hold: 深圳 and 广州 lie within CORRIDOR_KM of network stations (reported), 惠州南 and 湘潭北 do not (kept, not
reported). Distances are recomputed here from the script's coordinates, independently of pxnet.
"""

from __future__ import annotations

import importlib.util
import math
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import pxnet
from pxnet import DataWarning, read_timetable

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "make_national_feed.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_national_feed", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, pxnet.Timetable, list[str]]:
    script = _script()
    folder = script.write_feed(tmp_path_factory.mktemp("national") / "feed")
    with pytest.warns(DataWarning) as caught:
        tt = read_timetable(folder, network=pxnet.load_network(), telecodes=script.TELECODES)
    return script, tt, [str(w.message) for w in caught]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def test_line_pseudo_trips_are_skipped_and_listed(made: tuple[ModuleType, pxnet.Timetable, list[str]]) -> None:
    script, tt, _ = made
    lines = {f"{line} (全线)" for line in script.LINES}
    assert not set(tt.trips["trip_id"]) & lines
    assert set(tt.skipped["id"]) == lines
    # One skipped row per pseudo-trip and per station of its line.
    assert len(tt.skipped) == len(script.LINES) + sum(len(s) for s in script.LINES.values())
    assert set(tt.trips["trip_id"]) == {t.number for t in script.TRAINS}


def test_stations_match_by_name_and_by_telecode(made: tuple[ModuleType, pxnet.Timetable, list[str]]) -> None:
    _, tt, _ = made
    stops = tt.stops.set_index("stop_id")
    assert (stops.at["PBG", "station"], stops.at["PBG", "matched_by"]) == ("pingxiang_north", "name")
    assert stops.at["UKQ", "stop_name"] == "醴陵東"  # traditional characters: no name match
    assert (stops.at["UKQ", "station"], stops.at["UKQ", "matched_by"]) == ("liling_east", "telecode")
    assert stops.at["XJA", "station"] == "hk_west_kowloon"


def test_unmatched_corridor_stations_are_reported_never_dropped(
    made: tuple[ModuleType, pxnet.Timetable, list[str]],
) -> None:
    script, tt, said = made
    net = pxnet.load_network()
    off = {s.name: s for s in script.OFF_NETWORK}
    reported = tt.unmatched.set_index("stop_name")
    assert set(reported.index) == {"深圳", "广州"}
    for name, nearest in (("深圳", "futian"), ("广州", "guangzhou_south")):
        node = net.nodes.loc[nearest]
        km = _km(off[name].lat, off[name].lon, node["lat"], node["lon"])
        assert km <= 20.0 and reported.at[name, "nearest"] == nearest
        assert reported.at[name, "distance_km"] == pytest.approx(km, abs=0.05)
    # 惠州南 and 湘潭北 lie further than 20 km from every network station: not reported, still kept.
    stations = set(net.nodes.index[net.nodes["kind"].isin(["hsr_station", "rail_station"])])
    for name in ("惠州南", "湘潭北"):
        nearest_km = min(
            _km(off[name].lat, off[name].lon, net.nodes.at[s, "lat"], net.nodes.at[s, "lon"]) for s in stations
        )
        assert nearest_km > 20.0
        code = off[name].code
        assert tt.stops.set_index("stop_id").at[code, "station"] == f"gtfs:{code}"
        assert (tt.stop_times["stop_id"] == code).any()  # their trains are kept
    warning = next(m for m in said if "match no network station" in m)
    assert "深圳" in warning and "广州" in warning and "惠州南" not in warning
    assert any("shapes.txt" in m for m in said)


def test_the_untimed_call_is_kept(made: tuple[ModuleType, pxnet.Timetable, list[str]]) -> None:
    script, tt, _ = made
    train, station = script.UNTIMED
    code = {v: k for k, v in script.TELECODES.items()}[station]
    row = tt.stop_times[(tt.stop_times["trip_id"] == train) & (tt.stop_times["stop_id"] == code)]
    assert len(row) == 1 and math.isnan(row["arrival_s"].iloc[0])


def test_the_script_writes_a_zip_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "national.zip"
    subprocess.run([sys.executable, str(SCRIPT), str(out), "--zip", "--days", "3"], check=True, capture_output=True)
    with pytest.warns(DataWarning):
        tt = read_timetable(out)
    assert sorted(tt.calendar_dates["date"]) == ["20260105", "20260106", "20260107"]
