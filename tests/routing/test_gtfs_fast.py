"""GTFS reading with pyarrow's CSV parser (the ``fast`` extra) gives what pandas' C parser gives, problems included.

Each test reads the same feed twice in one process, once per engine (``_gtfs_files.CSV_ENGINE``), and compares
every table and every problem: pandas' parser is the reference. Without pyarrow installed only the pandas path
runs (the comparisons are skipped).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

import pxnet
from pxnet import DataWarning, TimetableError, read_timetable
from pxnet.routing.timetable import _gtfs_files
from tests.fixtures.feeds import write_feed as _write

pytestmark = pytest.mark.timeout(240)

ROOT = Path(__file__).resolve().parents[2]
TABLES = ("agency", "stops", "routes", "trips", "stop_times", "calendar", "calendar_dates", "skipped", "unmatched")


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_national_feed", ROOT / "scripts" / "make_national_feed.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _read(folder: Path | None, engine: str, monkeypatch: pytest.MonkeyPatch, **kw: object) -> pxnet.Timetable:
    monkeypatch.setattr(_gtfs_files, "CSV_ENGINE", engine)
    with pytest.warns(DataWarning) if folder is not None else _nothing():
        return read_timetable(folder, network=pxnet.load_network(), **kw)  # type: ignore[arg-type]


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def _problems(folder: Path, engine: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    monkeypatch.setattr(_gtfs_files, "CSV_ENGINE", engine)
    with pytest.raises(TimetableError) as caught:
        read_timetable(folder, network=pxnet.load_network())
    return [(p.file, p.line, p.record, p.column, p.message) for p in caught.value.problems]


def _feed() -> dict[str, list[list[str]]]:
    """A two-trip feed on stations of the bundled network, in the shape every test below breaks."""
    return {
        "agency": [
            ["agency_id", "agency_name", "agency_url", "agency_timezone"],
            ["CR", "国铁", "https://x.cn", "Asia/Shanghai"],
        ],
        "stops": [
            ["stop_id", "stop_name", "stop_lat", "stop_lon"],
            ["s1", "萍乡北", "27.66", "113.86"],
            ["s2", "长沙南", "28.15", "113.06"],
        ],
        "routes": [["route_id", "agency_id", "route_short_name", "route_type"], ["r", "CR", "G", "2"]],
        "trips": [["route_id", "service_id", "trip_id"], ["r", "d", "007"], ["r", "d", "008"]],
        "stop_times": [
            ["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"],
            ["007", "08:00:00", "08:00:00", "s1", "1"],
            ["007", "08:50:00", "08:50:00", "s2", "2"],
            ["008", "25:00:00", "25:00:00", "s2", "01"],
            ["008", "25:40:00", "25:41:00", "s1", "2"],
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
            ["d", "1", "1", "1", "1", "1", "1", "1", "20260101", "20261231"],
        ],
    }


def test_the_pandas_engine_reads_without_pyarrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The fallback path on its own: ids with leading zeros stay text, sequences ``01`` and ``1`` are one."""
    monkeypatch.setattr(_gtfs_files, "CSV_ENGINE", "c")
    tt = read_timetable(_write(tmp_path / "feed", _feed()), network=pxnet.load_network())
    assert list(tt.stop_times["trip_id"]) == ["007", "007", "008", "008"]
    assert list(tt.stop_times["arrival_s"]) == [8 * 3600, 8 * 3600 + 50 * 60, 25 * 3600, 25 * 3600 + 40 * 60]


def test_engines_agree_on_the_national_feed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """scripts/make_national_feed.py's feed (telecodes, pseudo-trips, an untimed call): identical tables."""
    pytest.importorskip("pyarrow")
    script = _script()
    folder = script.write_feed(tmp_path / "national")
    c = _read(folder, "c", monkeypatch, telecodes=script.TELECODES)
    arrow = _read(folder, "pyarrow", monkeypatch, telecodes=script.TELECODES)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(arrow, name), getattr(c, name), obj=name)


def test_engines_agree_on_the_bundled_feed(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("pyarrow")
    c, arrow = _read(None, "c", monkeypatch), _read(None, "pyarrow", monkeypatch)
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(arrow, name), getattr(c, name), obj=name)


def test_engines_agree_on_leading_zeros_and_past_midnight(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ids ``007`` (pandas would infer the number 7 for a categorical) and times past 24:00."""
    pytest.importorskip("pyarrow")
    folder = _write(tmp_path / "feed", _feed())
    monkeypatch.setattr(_gtfs_files, "CSV_ENGINE", "c")
    c = read_timetable(folder, network=pxnet.load_network())
    monkeypatch.setattr(_gtfs_files, "CSV_ENGINE", "pyarrow")
    arrow = read_timetable(folder, network=pxnet.load_network())
    pd.testing.assert_frame_equal(arrow.stop_times, c.stop_times)
    assert list(arrow.stop_times["trip_id"]) == ["007", "007", "008", "008"]


def _broken(name: str) -> dict[str, list[list[str]]]:
    files = _feed()
    st = files["stop_times"]
    if name == "bad values":
        st[1][1] = "8:0:00"  # not H:MM:SS
        st[2][2] = "08:49:00"  # departure before arrival
        st[3][3] = "nowhere"  # unknown stop
        st[4][4] = "x"  # not an integer
    elif name == "ragged row":
        st[2].append("extra")  # pyarrow refuses the file: pandas reads it and names the row
    elif name == "short row":
        st[3] = st[3][:3]
    elif name == "repeated column":
        st[0][4] = "stop_id"
    elif name == "backwards":
        st[2][1:3] = ["07:00:00", "07:00:00"]
    elif name == "small files":
        files["calendar"][1][8] = "2026-13-01"  # not a date YYYYMMDD
        files["routes"][1][3] = "99"  # not a route type
        files["stops"][2][2] = "128.15"  # not a latitude
    elif name == "ragged stops":
        files["stops"][1].append("x")
    elif name == "duplicate trip":
        files["trips"].append(["r", "d", "007"])  # reading stops before stop_times.txt
    return files


@pytest.mark.parametrize(
    "name",
    [
        "bad values",
        "ragged row",
        "short row",
        "repeated column",
        "backwards",
        "small files",
        "ragged stops",
        "duplicate trip",
    ],
)
def test_engines_name_the_same_problems(name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every problem (file, line, record, column, message) is the same whichever parser read the file."""
    pytest.importorskip("pyarrow")
    folder = _write(tmp_path / "feed", _broken(name))
    expected = _problems(folder, "c", monkeypatch)
    assert expected, "the broken feed is refused"
    assert _problems(folder, "pyarrow", monkeypatch) == expected


def test_a_first_row_too_long_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pandas makes the first column the index when the first data row has a field too many: named, not crashed."""
    folder = _write(tmp_path / "feed", _broken("ragged stops"))
    found = _problems(folder, "c", monkeypatch)
    assert [(f, line) for f, line, *_ in found] == [("stops.txt", 2)]
    assert "more fields than the header" in str(found[0][4])
