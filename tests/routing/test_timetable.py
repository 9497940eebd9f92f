"""Timetables: reading GTFS (national China Railway shape, the MTR 广深港 feed), errors, writing, journeys."""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

import pytest

import pxnet
from pxnet import TimetableError, read_timetable, to_gtfs
from tests.fixtures.feeds import write_feed as _write

ROOT = Path(__file__).resolve().parents[2]
# ../shared beside the clone (CI), or beside the checkout a worktree belongs to.
SHARED = next(
    (p / "shared" / "timetables" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared" / "timetables").is_dir()),
    ROOT.parent / "shared" / "timetables",
)
BUNDLED = ROOT / "data" / "timetable"


def national_feed() -> dict[str, list[list[str]]]:
    """A tiny feed of the national China Railway shape: route id = train class, '(全线)' line pseudo-trips."""
    return {
        "agency": [
            ["agency_id", "agency_name", "agency_url", "agency_timezone"],
            ["CR", "中国铁路", "https://www.12306.cn", "Asia/Shanghai"],
        ],
        "stops": [
            ["stop_id", "stop_name", "stop_lat", "stop_lon"],
            ["s1", "萍乡北站", "27.6", "113.8"],
            ["s2", "长沙南", "28.1", "113.0"],
            ["s3", "武汉", "30.6", "114.4"],
            ["s4", "广州南", "23.0", "113.3"],
        ],
        "routes": [
            ["route_id", "agency_id", "route_short_name", "route_long_name", "route_type"],
            ["高速", "CR", "高速", "高速动车组", "2"],
            ["普快", "CR", "普快", "普通旅客快车", "2"],
        ],
        "trips": [
            ["route_id", "service_id", "trip_id", "trip_short_name"],
            ["高速", "daily", "G1", "G1"],
            ["普快", "daily", "K9", "K9"],
            ["高速", "daily", "沪昆高铁 (全线)", "沪昆高铁 (全线)"],
        ],
        "stop_times": [
            ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"],
            ["G1", "22:50:00", "22:52:00", "s1", "1"],
            ["G1", "23:30:00", "23:35:00", "s2", "2"],
            ["G1", "", "", "s3", "3"],
            ["G1", "26:40:00", "26:40:00", "s4", "4"],
            ["K9", "08:00:00", "08:00:00", "s2", "1"],
            ["K9", "11:00:00", "11:00:00", "s3", "2"],
            ["沪昆高铁 (全线)", "", "", "s1", "1"],
            ["沪昆高铁 (全线)", "", "", "s2", "2"],
        ],
        "calendar": [
            [
                "service_id",
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
                "start_date",
                "end_date",
            ],
            ["daily", "1", "1", "1", "1", "1", "1", "1", "20260101", "20261231"],
        ],
        "calendar_dates": [["service_id", "date", "exception_type"], ["daily", "20260105", "2"]],
    }


def test_reads_a_national_feed_of_the_china_railway_shape(tmp_path: Path) -> None:
    tt = read_timetable(_write(tmp_path / "cr", national_feed()))
    assert set(tt.trips["trip_id"]) == {"G1", "K9"}
    skipped = tt.skipped
    assert set(skipped["id"]) == {"沪昆高铁 (全线)"} and set(skipped["file"]) == {"trips.txt", "stop_times.txt"}
    assert len(skipped) == 3  # the trip and its two stop times, each listed
    st = tt.stop_times.set_index(["trip_id", "stop_sequence"])
    assert st.at[("G1", "4"), "arrival_s"] == 26 * 3600 + 40 * 60  # past 24:00
    assert math.isnan(st.at[("G1", "3"), "arrival_s"])  # untimed call kept, not dropped
    stations = tt.stops.set_index("stop_id")["station"]
    assert stations["s1"] == "pingxiang_north" and stations["s2"] == "changsha_south"
    assert stations["s3"] == "gtfs:s3"  # 武汉 is not a network station: kept as its own
    assert tt.service_ids_on(__import__("datetime").date(2026, 1, 5)) == set()
    assert tt.service_ids_on(__import__("datetime").date(2026, 1, 6)) == {"daily"}


def test_a_user_stop_table_takes_precedence(tmp_path: Path) -> None:
    tt = read_timetable(_write(tmp_path / "cr", national_feed()), stop_nodes={"s3": "changsha_station"})
    assert tt.stops.set_index("stop_id").at["s3", "station"] == "changsha_station"
    with pytest.raises(TimetableError, match="unknown network node"):
        read_timetable(tmp_path / "cr", stop_nodes={"s3": "wuhan_nowhere"})


def test_every_problem_is_listed_once_with_file_row_and_column(tmp_path: Path) -> None:
    feed = national_feed()
    feed["stop_times"][1][2] = "22:40:00"  # departure before arrival (line 2)
    feed["stop_times"][2][1] = "7h30"  # not a time (line 3)
    feed["stop_times"][5][3] = "nowhere"  # unknown stop (line 6)
    feed["trips"][2][1] = "weekends"  # unknown service (K9, line 3)
    feed["stop_times"][6][1] = "07:00:00"  # K9 runs backwards (line 7)
    feed["stop_times"][6][2] = "07:00:00"
    with pytest.raises(TimetableError) as info:
        read_timetable(_write(tmp_path / "bad", feed))
    got = {(p.file, p.line, p.column) for p in info.value.problems}
    assert got == {
        ("stop_times.txt", 2, "departure_time"),
        ("stop_times.txt", 3, "arrival_time"),
        ("stop_times.txt", 6, "stop_id"),
        ("trips.txt", 3, "service_id"),
        ("stop_times.txt", 7, "arrival_time"),
    }
    assert isinstance(info.value, ValueError) and isinstance(info.value, pxnet.PxnetError)


def test_missing_files_and_columns(tmp_path: Path) -> None:
    feed = national_feed()
    del feed["routes"]
    feed["stops"] = [["stop_name"], ["萍乡北"]]
    with pytest.raises(TimetableError) as info:
        read_timetable(_write(tmp_path / "bad", feed))
    text = str(info.value)
    assert "routes.txt: required file is missing" in text
    assert "stops.txt, line 1, column 'stop_id': required column is missing" in text


def test_round_trip_through_gtfs_zip_and_folder(tmp_path: Path) -> None:
    tt = read_timetable()
    for target in (tmp_path / "feed.zip", tmp_path / "feed"):
        back = read_timetable(to_gtfs(tt, target))
        assert back.trips.drop(columns=["train", "basis"]).equals(tt.trips.drop(columns=["train", "basis"]))
        assert back.stop_times.equals(tt.stop_times)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp debris


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/timetables not present")
def test_reads_the_mtr_xrl_feed() -> None:
    with pytest.warns(pxnet.DataWarning) as caught:
        tt = read_timetable(SHARED / "xrl-gtfs-2026-01")
    said = " ".join(str(w.message) for w in caught)
    assert "shapes.txt" in said and "南沙北" in said  # unread files and the corridor's unmatched station, by name
    with (SHARED / "xrl-gtfs-2026-01" / "trips.txt").open(encoding="utf-8-sig") as fh:
        assert len(tt.trips) == sum(1 for _ in csv.DictReader(fh))
    used = set(tt.stops.set_index("stop_id").loc[tt.stop_times["stop_id"].unique(), "station"])
    assert {"guangzhou_south", "shenzhen_north", "futian", "hk_west_kowloon", "humen", "guangmingcheng"} <= used
    assert "gtfs:QIS" in used  # 南沙北 is not a network station


def _bundled_rows(name: str) -> list[dict[str, str]]:
    with (BUNDLED / f"{name}.txt").open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_journeys_pingxiang_north_to_guangzhou_south_list_the_through_trains() -> None:
    trips = {r["trip_id"]: r for r in _bundled_rows("trips") if r["service_id"] == "cr_boards_2020"}
    calls: dict[str, list[dict[str, str]]] = {}
    for r in _bundled_rows("stop_times"):
        if r["trip_id"] in trips:
            calls.setdefault(r["trip_id"], []).append(r)
    through = {}
    for trip_id, rows in calls.items():
        rows.sort(key=lambda r: int(r["stop_sequence"]))
        ids = [r["stop_id"] for r in rows]
        if "pingxiang_north" in ids and "guangzhou_south" in ids[ids.index("pingxiang_north") :]:
            dep = rows[ids.index("pingxiang_north")]["departure_time"][:5]
            arr = rows[ids.index("guangzhou_south")]["arrival_time"][:5]
            through[trips[trip_id]["train_number"]] = (dep, arr)
    assert {"G1401", "G637", "G631", "G645", "G633", "G1403", "G1405", "G1304", "G1407"} <= set(through)
    table = pxnet.journeys("萍乡北", "广州南", scenario=2020)
    direct = table[table["changes"] == 0].set_index("trains")
    assert set(through) <= set(direct.index)
    for train, (dep, arr) in through.items():
        assert (direct.at[train, "departure"], direct.at[train, "arrival"]) == (dep, arr)
        assert direct.at[train, "basis"] == "scheduled"
    assert "cr_boards_2020" in table.attrs["timetable_basis"]
    assert (table["departure_s"].diff().dropna() >= 0).all()


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/timetables not present")
def test_fastest_scheduled_hub_times_are_within_ten_percent_of_the_raw_sources() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from check_timetable import HUB_PAIRS, fastest_from_sources

    checked = 0
    for a, b in HUB_PAIRS:
        try:
            expected = fastest_from_sources(SHARED, a, b)
        except ValueError:  # an end without a board: the sources give bounds, not a time
            continue
        table = pxnet.journeys(a, b, scenario=2020, window=("00:00", "23:59"), scheduled_only=True)
        if expected is None:
            assert not (table["changes"] == 0).any()  # no through train (赣深 not yet open)
            continue
        # The sources time trains on both boards, that is without a change: compare the fastest direct train.
        model = float(table.loc[table["changes"] == 0, "minutes"].min())
        assert table["minutes"].min() <= model
        checked += 1
        assert abs(model - expected) <= 0.10 * expected, (a, b, model, expected)
    assert checked >= 6
    xrl = fastest_from_sources(SHARED, "深圳北", "香港西九龙", vintage="xrl-2026-01")
    table = pxnet.journeys(
        "深圳北",
        "香港西九龙",
        scenario=pxnet.get_scenario(2026).derive(date="2026-01-28"),
        window=("00:00", "23:59"),
        scheduled_only=True,
    )
    model = float(table["minutes"].min())
    assert xrl is not None and abs(model - xrl) <= 0.10 * xrl


def test_departure_keywords_and_the_default_model() -> None:
    window = ("06:00", "22:00")
    fastest = pxnet.travel_time("萍乡北", "广州南", mode="hsr", scenario=2020, departure=window, statistic="fastest")
    median = pxnet.travel_time("萍乡北", "广州南", mode="hsr", scenario=2020, departure=window)
    p80 = pxnet.travel_time("萍乡北", "广州南", mode="hsr", scenario=2020, departure=window, statistic="p80")
    table = pxnet.journeys("萍乡北", "广州南", scenario=2020, departure=window)
    assert fastest == table["minutes"].min()
    assert fastest <= median <= p80
    at = pxnet.travel_time("萍乡北", "广州南", mode="hsr", scenario=2020, departure="09:00")
    first = table[table["departure_s"] >= 9 * 3600].iloc[0]
    assert at == pytest.approx((table.loc[table["departure_s"] >= 9 * 3600, "arrival_s"].min() - 9 * 3600) / 60)
    assert first["departure"] >= "09:00"
    legs = pxnet.route("萍乡北", "广州南", mode="hsr", scenario=2020, departure="09:00")
    assert legs["minutes"].sum() == pytest.approx(legs.attrs["minutes"]) == pytest.approx(at)
    assert set(legs.loc[legs["leg"] == "ride", "via"]) <= set(" → ".join(table["trains"]).split(" → "))
    with pytest.raises(pxnet.RoutingError, match="statistic"):
        pxnet.travel_time("萍乡北", "广州南", mode="hsr", statistic="mean")
    with pytest.raises(pxnet.RoutingError, match="not a time"):
        pxnet.travel_time("萍乡北", "广州南", mode="hsr", departure="nine")
    # Without departure=: the service day, the fastest journey (the same as every door gives).
    day = pxnet.journeys("萍乡北", "广州南", scenario=2020)
    assert pxnet.travel_time("萍乡北", "广州南", mode="hsr", scenario=2020) == day["minutes"].min()
    whole_day = pxnet.travel_time("萍乡北", "广州南", mode="hsr", scenario=2020, departure=("06:00", "23:00"))
    assert pxnet.travel_time("萍乡北", "广州南", mode="hsr", scenario=2020, statistic="median") == whole_day
    with pytest.warns(FutureWarning, match=r"window=\) is deprecated"):
        pxnet.journeys("萍乡北", "广州南", scenario=2020, window=window)


def test_planned_services_become_modelled_trips_and_say_so() -> None:
    st = pxnet.scenario_timetable(pxnet.get_scenario("expected-2030"))
    assert "changgan_pxb_szb" in set(st.modelled["service"])
    assert "newest timetable" in st.basis
    modelled = st.timetable.trips[st.timetable.trips["basis"] == "modelled"]
    assert modelled["trip_id"].str.contains("changgan_pxb_szb").any()
    j = pxnet.journeys("萍乡北", "深圳北", scenario="expected-2030")
    bases = set(j["basis"])
    assert "modelled" in bases and any("scheduled" in b or "re-timed" in b for b in bases)
    v2020 = pxnet.scenario_timetable(pxnet.get_scenario(2020)).vintages.set_index("service_id")["how"]
    assert v2020["cr_boards_2020"] == "valid" and v2020["xrl2026_normal"] == "back-cast"


def test_door_to_door_adds_the_road_legs() -> None:
    legs = pxnet.route("萍乡", "广州", mode="door_to_door", scenario=2020, departure="08:00")
    assert legs["leg"].iloc[0] == "access" and legs["leg"].iloc[-1] == "egress"
    assert legs["minutes"].sum() == pytest.approx(legs.attrs["minutes"])
    m = pxnet.skim(["萍乡"], ["广州"], scenario=2020, departure=("06:00", "23:00"), statistic="fastest")
    assert m.iloc[0, 0] <= legs.attrs["minutes"]


def test_cli_journeys_and_check_times(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from pxnet.cli import main

    out = tmp_path / "j.csv"
    assert (
        main(
            [
                "journeys",
                "--from",
                "萍乡北",
                "--to",
                "广州南",
                "--scenario",
                "2020",
                "--within",
                "200",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert "G631" in text and "basis: scheduled" in text  # G631 takes 198 min: inside
    every = pxnet.journeys("萍乡北", "广州南", scenario=2020)
    inside = every[every["minutes"] <= 200]
    assert f"{len(inside)} of {len(every)} usable departure(s) within 200 min" in text
    assert "G637" not in text.split("within 200 min")[1]  # 207 min: filtered out
    assert len(inside) == sum(1 for _ in out.open(encoding="utf-8")) - 1
    table = pxnet.check_times().set_index("id")
    # Rows sourced to the 2020 boards are checkable by the 2020 timetable, which they must match.
    boards = table[table["source"].str.startswith("boards-2020")]
    assert len(boards) >= 4
    assert ((boards["timetable_min"] - boards["observed_min"]).abs() <= 0.10 * boards["observed_min"]).all()
