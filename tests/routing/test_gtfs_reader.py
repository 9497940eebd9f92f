"""GTFS reading: every input problem is one TimetableError naming file, line and column; sizes are bounded;
transfers and frequencies are read; files pxnet does not read are named.

Each test builds a small valid feed (:func:`feed`), breaks one thing, and checks the error or the table.
"""

from __future__ import annotations

import csv
import math
import re
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pxnet
from pxnet import DataWarning, TimetableError, read_timetable
from pxnet.routing.timetable import _gtfs_checks, _gtfs_files

CAL_HEADER = ["service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


def feed() -> dict[str, list[list[str]]]:
    """Two trains between network stations (萍乡北, 长沙南, 广州南) and one off the network (武汉)."""
    return {
        "agency": [
            ["agency_id", "agency_name", "agency_url", "agency_timezone"],
            ["CR", "中国铁路", "https://www.12306.cn", "Asia/Shanghai"],
        ],
        "stops": [
            ["stop_id", "stop_name", "stop_lat", "stop_lon"],
            ["s1", "萍乡北", "27.686607", "113.842596"],
            ["s2", "长沙南", "28.14944", "113.058168"],
            ["s3", "武汉", "30.6", "114.4"],
            ["s4", "广州南", "22.991078", "113.261761"],
        ],
        "routes": [["route_id", "agency_id", "route_short_name", "route_type"], ["高速", "CR", "高速", "2"]],
        "trips": [["route_id", "service_id", "trip_id"], ["高速", "daily", "G1"], ["高速", "daily", "G2"]],
        "stop_times": [
            ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"],
            ["G1", "08:00:00", "08:00:00", "s1", "1"],
            ["G1", "08:40:00", "08:42:00", "s2", "2"],
            ["G1", "", "", "s3", "3"],
            ["G1", "11:40:00", "11:40:00", "s4", "4"],
            ["G2", "09:00:00", "09:00:00", "s2", "1"],
            ["G2", "11:20:00", "11:20:00", "s4", "2"],
        ],
        "calendar": [
            [*CAL_HEADER, "start_date", "end_date"],
            ["daily", "1", "1", "1", "1", "1", "1", "1", "20260101", "20261231"],
        ],
    }


def write(folder: Path, files: dict[str, list[list[str]]], *, encoding: str = "utf-8") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        with (folder / f"{name}.txt").open("w", encoding=encoding, newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(rows)
    return folder


def problems(folder: Path | str) -> list[pxnet.errors.Problem]:
    with pytest.raises(TimetableError) as info:
        read_timetable(folder)
    assert isinstance(info.value, pxnet.PxnetError) and isinstance(info.value, ValueError)
    return info.value.problems


def where(found: list[pxnet.errors.Problem]) -> set[tuple[str, int | None, str | None]]:
    return {(p.file, p.line, p.column) for p in found}


# -- decoding and parsing -------------------------------------------------------------------------------------


def test_a_gbk_stops_file_names_line_and_column_with_a_resave_hint(tmp_path: Path) -> None:
    folder = write(tmp_path / "f", feed())
    write(folder, {"stops": feed()["stops"]}, encoding="gbk")
    [p] = problems(folder)
    # 萍乡北 is the first non-ASCII text: line 2 of stops.txt, in the stop_name column.
    assert (p.file, p.line, p.column) == ("stops.txt", 2, "stop_name")
    assert "GBK" in p.message and "re-save it as UTF-8" in p.message


def test_an_empty_file_is_a_problem_not_a_pandas_error(tmp_path: Path) -> None:
    folder = write(tmp_path / "f", feed())
    (folder / "routes.txt").write_bytes(b"")
    found = problems(folder)
    assert ("routes.txt", None, None) in where(found)
    assert any("file is empty" in p.message for p in found)


def test_a_quote_left_open_is_named_by_line(tmp_path: Path) -> None:
    folder = write(tmp_path / "f", feed())
    text = (folder / "stops.txt").read_text(encoding="utf-8").splitlines()
    text[2] = 's2,"长沙南,28.14944,113.058168'  # line 3: the quote swallows the next line
    text[4] = 's4,广州南",22.991078,113.261761'
    (folder / "stops.txt").write_text("\n".join(text) + "\n", encoding="utf-8")
    found = [p for p in problems(folder) if p.file == "stops.txt"]
    assert ("stops.txt", 3, "stop_name") in where(found)
    assert any("quote" in p.message for p in found)


def test_a_quote_open_to_the_end_of_the_file(tmp_path: Path) -> None:
    folder = write(tmp_path / "f", feed())
    with (folder / "stops.txt").open("a", encoding="utf-8") as fh:
        fh.write('s5,"断行,27.0,113.0\n')  # line 6, never closed
    found = problems(folder)
    assert ("stops.txt", 6, None) in where(found)
    assert any("quote is not closed" in p.message for p in found)


# -- values -----------------------------------------------------------------------------------------------------


def test_route_types_outside_gtfs_and_its_extension_are_refused(tmp_path: Path) -> None:
    files = feed()
    files["routes"] += [["普快", "CR", "普快", "999"], ["城际", "CR", "城际", "101"], ["x", "CR", "x", "rail"]]
    files["trips"] += [["普快", "daily", "K1"], ["城际", "daily", "C1"], ["x", "daily", "X1"]]
    files["stop_times"] += [[t, "08:00:00", "08:00:00", "s1", "1"] for t in ("K1", "C1", "X1")]
    files["stop_times"] += [[t, "09:00:00", "09:00:00", "s2", "2"] for t in ("K1", "C1", "X1")]
    found = problems(write(tmp_path / "f", files))
    # 999 (line 3) and "rail" (line 5) are not route types; 101 (high-speed rail, extended types) is.
    assert where(found) == {("routes.txt", 3, "route_type"), ("routes.txt", 5, "route_type")}


def test_coordinates_out_of_range_are_refused_and_empty_ones_kept(tmp_path: Path) -> None:
    files = feed()
    files["stops"][1][2] = "999"  # s1 lat, line 2
    files["stops"][3][3] = "-181"  # s3 lon, line 4
    files["stops"][4][2] = "north"  # s4 lat, line 5
    found = problems(write(tmp_path / "bad", files))
    assert where(found) == {("stops.txt", 2, "stop_lat"), ("stops.txt", 4, "stop_lon"), ("stops.txt", 5, "stop_lat")}
    files = feed()
    files["stops"][3][2:4] = ["", ""]  # a station without coordinates, as in the national feed
    assert len(read_timetable(write(tmp_path / "ok", files)).stops) == 4


def test_a_service_that_never_runs_is_named(tmp_path: Path) -> None:
    files = feed()
    files["calendar"][1][1:8] = ["0"] * 7
    [p] = [p for p in problems(write(tmp_path / "f", files)) if p.file == "calendar.txt"]
    assert (p.line, p.record) == (2, "daily") and "never runs" in p.message
    # The same calendar with a date added in calendar_dates.txt is a service (the national feed's shape).
    files["calendar_dates"] = [["service_id", "date", "exception_type"], ["daily", "20260105", "1"]]
    assert read_timetable(write(tmp_path / "ok", files)).service_ids_on(pd.Timestamp("2026-01-05").date())


def test_untimed_intermediate_calls_come_out_as_float_nan(tmp_path: Path) -> None:
    tt = read_timetable(write(tmp_path / "f", feed()))
    st = tt.stop_times.set_index(["trip_id", "stop_sequence"])
    assert st["arrival_s"].dtype == np.float64 and st["departure_s"].dtype == np.float64
    assert math.isnan(st.at[("G1", "3"), "arrival_s"]) and math.isnan(st.at[("G1", "3"), "departure_s"])
    assert st.at[("G1", "2"), "departure_s"] == 8 * 3600 + 42 * 60


def test_journeys_route_over_an_untimed_call(tmp_path: Path) -> None:
    tt = read_timetable(write(tmp_path / "f", feed()))
    got = pxnet.journeys("萍乡北", "广州南", scenario="2026-03-02", timetable=tt, scheduled_only=True)
    assert (got["trains"] == "G1").any()


# -- ids, zips and sizes ------------------------------------------------------------------------------------------


def test_a_zip_with_two_copies_of_a_file_is_refused(tmp_path: Path) -> None:
    folder = write(tmp_path / "f", feed())
    path = tmp_path / "feed.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for file in sorted(folder.iterdir()):
            archive.write(file, file.name)
        archive.writestr("old/stops.txt", "stop_id,stop_name\nx,旧\n")
    found = problems(path)
    assert where(found) == {("stops.txt", None, None)}
    assert "'stops.txt' and 'old/stops.txt'" in found[0].message


def test_duplicate_trip_ids_stop_before_the_stop_times(tmp_path: Path) -> None:
    """200,000 copies of one trip id: the error lists 10,000 rows and a count, and stop_times.txt is not read
    (here it is not UTF-8: reading it would add a problem)."""
    folder = write(tmp_path / "f", feed())
    with (folder / "trips.txt").open("a", encoding="utf-8") as fh:
        fh.write("高速,daily,G1\n" * 200_000)
    (folder / "stop_times.txt").write_bytes("trip_id,stop_id\nG1,萍乡\n".encode("gbk"))
    found = problems(folder)
    assert {p.file for p in found} == {"trips.txt"}
    assert len(found) == _gtfs_checks.MAX_ROWS_PER_CHECK + 1
    assert found[0].line == 4 and found[0].column == "trip_id"  # header, G1, G2, then the first copy
    assert "190,000 more rows" in found[-1].message


def test_a_zip_member_inflating_past_the_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A member of 4 MB of zeros (a few kB zipped) against a 1 MB cap; a member whose header lies about its size
    is caught while inflating."""
    monkeypatch.setattr(_gtfs_files, "MAX_FILE_BYTES", 1 << 20)
    folder = write(tmp_path / "f", feed())
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.iterdir()):
            if file.name != "stop_times.txt":
                archive.write(file, file.name)
        archive.writestr("stop_times.txt", (folder / "stop_times.txt").read_text() + "\0" * (4 << 20))
    found = problems(path)
    assert where(found) == {("stop_times.txt", None, None)}
    assert "MAX_FILE_BYTES" in found[0].message

    # The same bytes behind headers claiming 1,000 bytes: the reader stops at what it inflates and says so.
    data = bytearray(path.read_bytes())
    small = (1000).to_bytes(4, "little")
    local = zipfile.ZipFile(path).getinfo("stop_times.txt").header_offset
    data[local + 22 : local + 26] = small  # uncompressed size in the local header
    central = data.find(b"PK\x01\x02", local + 30)
    while data[central + 46 : central + 46 + 14] != b"stop_times.txt":
        central = data.find(b"PK\x01\x02", central + 4)
    data[central + 24 : central + 28] = small  # and in the central directory
    lying = tmp_path / "lying.zip"
    lying.write_bytes(bytes(data))
    assert zipfile.ZipFile(lying).getinfo("stop_times.txt").file_size == 1000
    found = problems(lying)
    assert {p.file for p in found} == {"stop_times.txt"}
    assert all("cannot be read from the zip" in p.message for p in found)


def test_a_folder_file_past_the_cap_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = write(tmp_path / "f", feed())
    monkeypatch.setattr(_gtfs_files, "MAX_FILE_BYTES", (folder / "stop_times.txt").stat().st_size - 1)
    assert where(problems(folder)) == {("stop_times.txt", None, None)}


# -- files pxnet does not read ---------------------------------------------------------------------------------------


def test_gtfs_files_pxnet_does_not_read_are_named(tmp_path: Path) -> None:
    folder = write(tmp_path / "f", feed())
    (folder / "shapes.txt").write_text("shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence\n", encoding="utf-8")
    (folder / "fare_rules.txt").write_text("fare_id\n", encoding="utf-8")
    (folder / "NOTICE.md").write_text("licence notes\n", encoding="utf-8")
    with pytest.warns(DataWarning, match=r"does not read fare_rules.txt, shapes.txt") as caught:
        tt = read_timetable(folder)
    assert all("NOTICE.md" not in str(w.message) for w in caught)
    assert tt.ignored.set_index("file")["reason"].to_dict() == {
        "NOTICE.md": "not a GTFS file",
        "fare_rules.txt": "GTFS file pxnet does not read",
        "shapes.txt": "GTFS file pxnet does not read",
    }


# -- transfers and frequencies ----------------------------------------------------------------------------------------


def test_minimum_transfer_times_per_station(tmp_path: Path) -> None:
    files = feed()
    files["transfers"] = [
        ["from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time"],
        ["s2", "s2", "2", "7200"],  # two hours to change at 长沙南
        ["s1", "s3", "3", ""],  # no transfer from 萍乡北 to 武汉
        ["s4", "s4", "0", ""],  # recommended point: no minimum
    ]
    tt = read_timetable(write(tmp_path / "f", files))
    got = tt.transfers.set_index(["from_station", "to_station"])["min_transfer_s"]
    assert got[("changsha_south", "changsha_south")] == 7200
    assert got[("pingxiang_north", "gtfs:s3")] == math.inf
    assert math.isnan(got[("guangzhou_south", "guangzhou_south")])


def test_bad_transfers_are_named(tmp_path: Path) -> None:
    files = feed()
    files["transfers"] = [
        ["from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time"],
        ["s2", "nowhere", "2", "300"],
        ["s2", "s2", "2", ""],
        ["s2", "s2", "9", ""],
    ]
    found = problems(write(tmp_path / "f", files))
    assert where(found) == {
        ("transfers.txt", 2, "to_stop_id"),
        ("transfers.txt", 3, "min_transfer_time"),
        ("transfers.txt", 4, "transfer_type"),
    }


def test_trip_specific_transfers_are_reported_not_applied(tmp_path: Path) -> None:
    files = feed()
    files["transfers"] = [
        ["from_stop_id", "to_stop_id", "from_trip_id", "transfer_type", "min_transfer_time"],
        ["s2", "s2", "G1", "2", "600"],
    ]
    with pytest.warns(DataWarning, match=r"tied to trips or routes.*lines 2"):
        tt = read_timetable(write(tmp_path / "f", files))
    assert math.isnan(tt.transfers["min_transfer_s"].iloc[0])


def test_frequency_based_trips_become_timed_trips(tmp_path: Path) -> None:
    """G2 (09:00 → 11:20) every 20 min from 06:00 to before 07:00: runs at 06:00, 06:20, 06:40, each 2 h 20 min."""
    files = feed()
    files["frequencies"] = [
        ["trip_id", "start_time", "end_time", "headway_secs", "exact_times"],
        ["G2", "06:00:00", "07:00:00", "1200", "1"],
    ]
    tt = read_timetable(write(tmp_path / "f", files))
    runs = tt.trips[tt.trips["frequency_of"] == "G2"]["trip_id"].tolist()
    assert runs == ["G2@06:00:00", "G2@06:20:00", "G2@06:40:00"]
    assert "G2" not in set(tt.trips["trip_id"]) and "G2" not in set(tt.stop_times["trip_id"])
    times = tt.stop_times[tt.stop_times["trip_id"] == "G2@06:40:00"]
    assert times["departure_s"].tolist() == [6 * 3600 + 40 * 60, 9 * 3600]
    assert times["arrival_time"].tolist() == ["06:40:00", "09:00:00"]


def test_bad_frequencies_are_named_and_bounded(tmp_path: Path) -> None:
    files = feed()
    files["frequencies"] = [
        ["trip_id", "start_time", "end_time", "headway_secs"],
        ["G9", "06:00:00", "07:00:00", "600"],
        ["G2", "07:00:00", "06:00:00", "0"],
    ]
    found = problems(write(tmp_path / "bad", files))
    assert where(found) == {
        ("frequencies.txt", 2, "trip_id"),
        ("frequencies.txt", 3, "end_time"),
        ("frequencies.txt", 3, "headway_secs"),
    }
    files["frequencies"] = [["trip_id", "start_time", "end_time", "headway_secs"], ["G1", "00:00:00", "99:00:00", "1"]]
    [p] = problems(write(tmp_path / "huge", files))  # G1's 4 calls × 356,400 runs: 1.4 million stop times
    assert p.file == "frequencies.txt" and "MAX_FREQUENCY_CALLS" in p.message


# -- vectorised checks name every row ---------------------------------------------------------------------------------


def test_every_bad_row_is_named_once(tmp_path: Path) -> None:
    """Bad times on lines 2, 4 and 7; an unknown stop on line 6; a backwards time on line 3."""
    files = feed()
    files["stop_times"][1][1] = "8:0:00"
    files["stop_times"][3][2] = "25:61:00"
    files["stop_times"][6][1:3] = ["11:2O:00", "11:20:00"]
    files["stop_times"][5][3] = "nowhere"
    files["stop_times"][2][1:3] = ["07:00:00", "07:00:00"]
    found = problems(write(tmp_path / "f", files))
    assert where(found) == {
        ("stop_times.txt", 2, "arrival_time"),
        ("stop_times.txt", 3, "arrival_time"),
        ("stop_times.txt", 4, "departure_time"),
        ("stop_times.txt", 6, "stop_id"),
        ("stop_times.txt", 7, "arrival_time"),
    }


_TIME = re.compile(r"(\d{1,3}):([0-5]\d):([0-5]\d)")


def _reference_seconds(text: str) -> float | None:
    # An independent reading of GTFS times: None for a bad text, NaN for empty.
    if text == "":
        return math.nan
    m = _TIME.fullmatch(text)
    return int(m[1]) * 3600 + int(m[2]) * 60 + int(m[3]) if m and text.isascii() else None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.builds(
                lambda h, m, s, w: f"{h:0{w}d}:{m:02d}:{s:02d}",
                st.integers(0, 999),
                st.integers(0, 99),
                st.integers(0, 99),
                st.integers(1, 3),
            ),
            st.text(alphabet="0123456789:午 ", max_size=11),
        ),
        min_size=1,
        max_size=30,
    )
)
def test_time_parsing_agrees_with_a_regular_expression(texts: list[str]) -> None:
    seconds, bad = pxnet.routing.timetable._gtfs.parse_times(pd.Series(texts, dtype=object))
    for text, got, is_bad in zip(texts, seconds, bad, strict=True):
        want = _reference_seconds(text)
        if want is None:
            assert is_bad and math.isnan(got), text
        elif math.isnan(want):
            assert not is_bad and math.isnan(got), text
        else:
            assert not is_bad and got == want, text


def test_reading_the_bundled_feed_gives_no_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tt = read_timetable()
    assert tt.ignored["reason"].eq("not a GTFS file").all()
    # 南沙北 has an empty node_id on purpose: listed, not warned about.
    assert tt.unmatched.set_index("stop_id").at["xrl_QIS", "declared"]


def test_csv_text_keeps_extra_columns_as_text(tmp_path: Path) -> None:
    files = feed()
    files["stops"][0].append("source")
    for row in files["stops"][1:]:
        row.append(" 12306, station list ")
    tt = read_timetable(write(tmp_path / "f", files))
    assert set(tt.stops["source"]) == {"12306, station list"}  # a quoted field, stripped


def test_ids_that_look_like_numbers_keep_their_text(tmp_path: Path) -> None:
    """Ids "007" and "0012" and sequences "01" stay as written (pandas would infer numbers)."""
    files = feed()
    rename = {"s1": "0012", "s2": "0013", "s3": "0014", "s4": "0015"}
    for row in files["stops"][1:]:
        row[0] = rename[row[0]]
    files["trips"][1][2], files["trips"][2][2] = "007", "008"
    for row in files["stop_times"][1:]:
        row[0] = {"G1": "007", "G2": "008"}[row[0]]
        row[3] = rename[row[3]]
        row[4] = f"0{row[4]}"
    tt = read_timetable(write(tmp_path / "f", files))
    assert set(tt.stop_times["trip_id"]) == {"007", "008"}
    assert set(tt.stop_times["stop_id"]) == {"0012", "0013", "0014", "0015"}
    assert tt.stop_times["stop_sequence"].tolist()[:2] == ["01", "02"]
    assert (tt.stop_times["stop_id"].map(tt.stops.set_index("stop_id")["station"]) == "pingxiang_north").sum() == 1
