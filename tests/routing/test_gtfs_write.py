"""Writing GTFS: a folder swapped in whole, reproducible zips, clear errors, scenario timetables accepted."""

from __future__ import annotations

import os
import time
import types
from pathlib import Path

import pytest

import pxnet
from pxnet import read_timetable, to_gtfs
from pxnet.errors import ExportError, NotATimetableError
from pxnet.io import _atomic


@pytest.fixture(scope="module")
def bundled() -> pxnet.Timetable:
    return read_timetable()


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_a_failure_part_way_leaves_the_previous_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled: pxnet.Timetable
) -> None:
    """The third file fails to write (as on a full disk): the old feed is left whole, and no debris."""
    target = to_gtfs(bundled, tmp_path / "feed")
    before = _snapshot(target)
    small = bundled.__class__(**{**bundled.__dict__, "trips": bundled.trips.head(3)})
    real = Path.write_text
    calls = {"n": 0}

    def failing(self: Path, *args: object, **kwargs: object) -> int:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "write_text", failing)
    with pytest.raises(ExportError, match="previous set, if any, is intact"):
        to_gtfs(small, target)
    monkeypatch.undo()
    assert _snapshot(target) == before
    assert [p.name for p in tmp_path.iterdir()] == ["feed"]


def test_a_failed_swap_puts_the_old_folder_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled: pxnet.Timetable
) -> None:
    """The second of the two renames fails (where the folders cannot be exchanged in one step)."""
    target = to_gtfs(bundled, tmp_path / "feed")
    before = _snapshot(target)
    real = os.rename

    def rename(src: str | Path, dst: str | Path) -> None:
        if Path(src).name.startswith(".feed.pxnet-tmp-"):
            raise OSError(5, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(_atomic, "_exchange", lambda a, b: False)
    monkeypatch.setattr(_atomic.os, "rename", rename)
    with pytest.raises(ExportError):
        to_gtfs(bundled, target)
    monkeypatch.undo()
    assert _snapshot(target) == before
    assert [p.name for p in tmp_path.iterdir()] == ["feed"]


def test_a_new_feed_replaces_the_old_one_whole(tmp_path: Path, bundled: pxnet.Timetable) -> None:
    """A stale GTFS file of an older feed goes; a file that is not GTFS (a licence) stays."""
    target = tmp_path / "feed"
    target.mkdir()
    (target / "calendar_dates.txt").write_text("service_id,date,exception_type\nold,20200101,1\n")
    (target / "LICENSE.txt").write_text("licence")
    to_gtfs(bundled, target)
    names = {p.name for p in target.iterdir()}
    assert "calendar_dates.txt" not in names and (target / "LICENSE.txt").read_text() == "licence"
    assert "stop_times.txt" in names


def test_an_unwritable_destination_is_an_export_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled: pxnet.Timetable
) -> None:
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(ExportError):
        to_gtfs(bundled, tmp_path / "a_file" / "feed")

    def denied(*args: object, **kwargs: object) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(_atomic.tempfile, "mkdtemp", denied)
    with pytest.raises(ExportError, match="Permission denied") as info:
        to_gtfs(bundled, tmp_path / "feed")
    assert isinstance(info.value, OSError) and isinstance(info.value, pxnet.PxnetError)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_an_export_error(tmp_path: Path, bundled: pxnet.Timetable) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        for target in (locked / "feed", locked / "feed.zip"):
            with pytest.raises(ExportError, match="not writable"):
                to_gtfs(bundled, target)
    finally:
        locked.chmod(0o755)


def test_zips_are_byte_reproducible(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundled: pxnet.Timetable) -> None:
    first = to_gtfs(bundled, tmp_path / "a.zip").read_bytes()
    later = time.time() + 3 * 86400  # three days on: a zip stamped with the write time would differ
    monkeypatch.setattr(time, "time", lambda: later)
    second = to_gtfs(bundled, tmp_path / "b.zip").read_bytes()
    assert first == second


def test_a_scenario_timetable_is_written(tmp_path: Path, bundled: pxnet.Timetable) -> None:
    holder = types.SimpleNamespace(timetable=bundled)  # any object holding a timetable, as scenario_timetable's
    back = read_timetable(to_gtfs(holder, tmp_path / "feed.zip"))
    assert len(back.trips) == len(bundled.trips)
    sc = pxnet.scenario_timetable(pxnet.get_scenario(2020))
    back = read_timetable(to_gtfs(sc, tmp_path / "scenario"))
    assert set(back.trips["trip_id"]) == set(sc.timetable.trips["trip_id"])
    with pytest.raises(NotATimetableError, match="not int") as info:
        to_gtfs(42, tmp_path / "x.zip")
    assert isinstance(info.value, TypeError)


def test_transfers_round_trip(tmp_path: Path) -> None:
    from tests.routing.test_gtfs_reader import feed, write

    files = feed()
    files["transfers"] = [
        ["from_stop_id", "to_stop_id", "transfer_type", "min_transfer_time"],
        ["s2", "s2", "2", "7200"],
    ]
    tt = read_timetable(write(tmp_path / "f", files))
    back = read_timetable(to_gtfs(tt, tmp_path / "out.zip"))
    assert back.transfers.equals(tt.transfers)
