"""A folder of outputs is all old or all new: written beside the target and swapped in whole.

The kill test runs a writer in a subprocess and SIGKILLs it at several moments while it writes the new set; after
each kill the folder must hold exactly the old set or exactly the new one, never a mix.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from pxnet import ExportError
from pxnet.io import _atomic, atomic_folder, check_writable

ROOT = Path(__file__).resolve().parents[2]


def _set(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def _write(folder: Path, tag: str, n: int = 5) -> None:
    (folder / "sub").mkdir()
    for i in range(n):
        (folder / f"f{i}.txt").write_text(f"{tag} {i}")
        (folder / "sub" / f"g{i}.txt").write_text(f"{tag} {i}")


def test_a_failure_leaves_the_old_set_and_no_debris(tmp_path):
    out = tmp_path / "out"
    with atomic_folder(out) as stage:
        _write(stage, "old")
    old = _set(out)
    with pytest.raises(ExportError, match="previous set, if any, is intact"), atomic_folder(out) as stage:
        _write(stage, "new", n=2)
        raise RuntimeError("disk full")
    assert _set(out) == old
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_owned_names_are_replaced_together_other_files_kept(tmp_path):
    out = tmp_path / "out"
    with atomic_folder(out, owned=["f0.txt", "f1.txt", "sub"]) as stage:
        _write(stage, "old", n=2)
    (out / "notes.txt").write_text("mine")
    (out / "mine").mkdir()
    (out / "mine" / "a.txt").write_text("mine too")
    with atomic_folder(out, owned=["f0.txt", "f1.txt", "sub"]) as stage:
        (stage / "f0.txt").write_text("new 0")
    assert _set(out) == {"f0.txt": "new 0", "notes.txt": "mine", "mine/a.txt": "mine too"}


def test_without_exchange_the_two_step_swap_and_its_recovery(tmp_path, monkeypatch):
    monkeypatch.setattr(_atomic, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    for tag in ("old", "new"):
        with atomic_folder(out) as stage:
            _write(stage, tag)
    assert set(_set(out).values()) == {f"new {i}" for i in range(5)}
    # A writer killed between the two renames leaves the old set under its backup name and no folder: the next
    # write puts it back before it starts.
    backup = tmp_path / ".out.pxnet-old-999999999-x"
    out.rename(backup)
    with pytest.raises(ExportError), atomic_folder(out) as stage:
        raise RuntimeError("fails before swapping")
    assert set(_set(out).values()) == {f"new {i}" for i in range(5)} and not backup.exists()


def test_a_failed_second_rename_puts_the_old_set_back(tmp_path, monkeypatch):
    out = tmp_path / "out"
    with atomic_folder(out) as stage:
        _write(stage, "old")
    old = _set(out)
    real = os.rename

    def rename(src, dst):
        if Path(src).name.startswith(".out.pxnet-tmp-"):
            raise OSError(5, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(_atomic, "_exchange", lambda a, b: False)
    monkeypatch.setattr(_atomic.os, "rename", rename)
    with pytest.raises(ExportError, match="Input/output error"), atomic_folder(out) as stage:
        _write(stage, "new")
    monkeypatch.undo()
    assert _set(out) == old
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_refusals_are_pxnet_errors(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportError, match="not a folder"), atomic_folder(tmp_path / "file"):
        pass
    monkeypatch.chdir(tmp_path)
    for where in (tmp_path, Path("."), tmp_path.parent):
        with pytest.raises(ExportError, match="working folder"), atomic_folder(where):
            pass


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="permissions do not bind root")
def test_read_only_parent_is_an_export_error(tmp_path):
    parent = tmp_path / "ro"
    parent.mkdir()
    parent.chmod(0o555)
    try:
        with pytest.raises(ExportError, match="not writable"), atomic_folder(parent / "out"):
            pass
    finally:
        parent.chmod(0o755)


def test_unwritable_parent_is_an_export_error_even_for_root(tmp_path, monkeypatch):
    def refuse(*args: object, **kwargs: object) -> str:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(_atomic.tempfile, "mkdtemp", refuse)
    with pytest.raises(ExportError, match="Permission denied"), atomic_folder(tmp_path / "out"):
        pass


WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from pxnet.io import atomic_folder

    with atomic_folder(Path(sys.argv[1])) as stage:
        (stage / "sub").mkdir()
        for i in range(40):
            (stage / f"f{i}.txt").write_text(f"new {i}")
            (stage / "sub" / f"g{i}.txt").write_text(f"new {i}")
            if i == 0:
                print("writing", flush=True)
            time.sleep(0.005)
    print("done", flush=True)
    """
)


def test_killed_writer_leaves_old_or_new(tmp_path):
    out = tmp_path / "out"
    with atomic_folder(out) as stage:
        _write(stage, "old", n=40)
    old = _set(out)
    new = {k: v.replace("old", "new") for k, v in old.items()}
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    seen = set()
    for delay in (0.0, 0.05, 0.1, 0.15, 0.2, 0.3):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(out)], stdout=subprocess.PIPE, text=True, env=env)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "writing"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        now = _set(out)
        assert now in (old, new), f"a mix after a kill at {delay} s"
        seen.add("old" if now == old else "new")
        if now == new:  # start again from the old set
            with atomic_folder(out) as stage:
                _write(stage, "old", n=40)
    assert "old" in seen
    # The debris of the killed writers is removed by the next write.
    with atomic_folder(out) as stage:
        _write(stage, "old", n=40)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_check_writable_refuses_the_working_folder_before_any_work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ExportError, match="working folder"):
        check_writable(".", folder=True)
    assert check_writable("report", folder=True) == Path("report")  # a new folder beside: fine


def test_a_symlinked_folder_is_written_where_it_points(tmp_path):
    real = tmp_path / "real"
    with atomic_folder(real) as stage:
        _write(stage, "old")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    with atomic_folder(link) as stage:
        _write(stage, "new")
    assert link.is_symlink() and set(_set(real).values()) == {f"new {i}" for i in range(5)}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]
