"""Atomic file writes: write to a temporary file beside the target, then rename over it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import ExportError


def check_writable(path: str | Path, *, folder: bool = False) -> Path:
    """Check, before any work is done, that ``path`` can be written: a file in an existing folder, or a folder.

    Parameters
    ----------
    path
        The output file, or the output folder when ``folder`` (it may not exist yet: it is then created
        by the writer, with its parents).
    folder
        Whether ``path`` is a folder.

    Returns
    -------
    Path

    Raises
    ------
    ExportError
        If the path is a folder where a file is wanted (or a file where a folder is wanted), its folder does
        not exist, or it cannot be written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> base = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (base / "report").write_text("a file")
    >>> check_writable(base / "report", folder=True)
    Traceback (most recent call last):
    ...
    pxnet.errors.ExportError: cannot write into ... it is a file, not a folder
    """
    target = Path(path)
    if folder:
        if target.exists() and not target.is_dir():
            raise ExportError(f"cannot write into {str(target)!r}: it is a file, not a folder")
        probe = target
        while not probe.exists():
            probe = probe.parent
        if not probe.is_dir():
            raise ExportError(f"cannot create folder {str(target)!r}: {str(probe)!r} is a file")
    else:
        if target.is_dir():
            raise ExportError(f"cannot write {str(target)!r}: it is a folder, not a file")
        probe = target.parent
        if not probe.is_dir():
            raise ExportError(f"cannot write {str(target)!r}: folder {str(probe)!r} does not exist")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {str(target)!r}: {str(probe)!r} is not writable")
    return target


@contextlib.contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write to; on success it replaces ``path`` in one rename.

    If the body raises, the temporary file is removed and any previous file at ``path`` is untouched;
    the error is re-raised as :class:`~pxnet.errors.ExportError` (unless it already is a pxnet error).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    target = Path(path)
    if not target.parent.is_dir():
        raise ExportError(f"cannot write {str(target)!r}: folder {str(target.parent)!r} does not exist")
    _remove_stale(target)
    # The name carries the writer's pid, so that a later write can tell the debris of a killed one.
    fd, name = tempfile.mkstemp(prefix=f"{_prefix(target)}{os.getpid()}-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # writers such as GDAL want to create the file themselves
    try:
        yield tmp
        if not tmp.exists():
            raise ExportError(f"writing {str(target)!r} produced no file")
        os.replace(tmp, target)
        _remove_sidecars(tmp)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        _remove_sidecars(tmp)
        from ..errors import PxnetError

        if isinstance(exc, PxnetError) or not isinstance(exc, Exception):
            raise
        raise ExportError(
            f"writing {str(target)!r} failed ({type(exc).__name__}: {exc}); the previous file, if any, is intact"
        ) from exc


# SQLite (GeoPackage) and GDAL leave these beside a file they write; they belong to the temporary file.
_SIDECARS = ("-journal", "-wal", "-shm", ".aux.xml")


def _prefix(target: Path) -> str:
    return f".{target.name}.pxnet-tmp-"


def _remove_sidecars(tmp: Path) -> None:
    for suffix in _SIDECARS:
        with contextlib.suppress(FileNotFoundError):
            Path(str(tmp) + suffix).unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def _remove_stale(target: Path) -> None:
    """Remove temporary files (and their sidecars) that a killed write of ``target`` left behind."""
    prefix = _prefix(target)
    for leftover in target.parent.glob(prefix + "*"):
        pid_text = leftover.name[len(prefix) :].split("-", 1)[0]
        if pid_text.isdigit() and int(pid_text) != os.getpid() and not _alive(int(pid_text)):
            with contextlib.suppress(FileNotFoundError, IsADirectoryError, PermissionError):
                leftover.unlink()
