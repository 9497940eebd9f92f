"""Atomic writes of files and of folders of outputs.

A file is written to a temporary file beside it, then renamed over it (:func:`atomic_path`); a folder of outputs
is written to a temporary sibling folder, then swapped in whole (:func:`atomic_folder`).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
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
        Whether ``path`` is a folder of outputs written as one set (:func:`atomic_folder`): it may not be the
        working folder (or hold it), and the folder it is in must be writable.

    Returns
    -------
    Path

    Raises
    ------
    ExportError
        If the path is a folder where a file is wanted (or a file where a folder is wanted), its folder does
        not exist, it cannot be written, or (``folder``) it is the working folder.

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
        _refuse_working_folder(target)
        probe = target.parent  # the set is written beside the folder, then swapped in
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


def _dead_leftovers(target: Path, prefix: str) -> list[Path]:
    """Paths beside ``target`` named ``prefix<pid>-…`` whose writing process no longer runs."""
    out = []
    for leftover in sorted(target.parent.glob(prefix + "*")):
        pid_text = leftover.name[len(prefix) :].split("-", 1)[0]
        if pid_text.isdigit() and int(pid_text) != os.getpid() and not _alive(int(pid_text)):
            out.append(leftover)
    return out


def _remove_stale(target: Path) -> None:
    """Remove temporary files and folders (and their sidecars) that a killed write of ``target`` left behind."""
    for leftover in _dead_leftovers(target, _prefix(target)):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError, PermissionError):
                leftover.unlink()


# -- folders -----------------------------------------------------------------------------------------------
#: At most this many files of other programs are carried over from the previous folder into the new one.
MAX_CARRIED_FILES = 10_000


def _old_prefix(target: Path) -> str:
    return f".{target.name}.pxnet-old-"


def _recover(target: Path) -> None:
    """Finish or undo what a writer killed during a two-step swap left: the old folder back if none is in place."""
    for old in _dead_leftovers(target, _old_prefix(target)):
        if not target.exists():
            with contextlib.suppress(OSError):
                os.rename(old, target)
                continue
        shutil.rmtree(old, ignore_errors=True)
    _remove_stale(target)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2(RENAME_EXCHANGE)``); ``False`` where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _swap_in(stage: Path, target: Path) -> None:
    """Put ``stage`` at ``target``; the old ``target`` folder, if any, goes. No moment shows a mixed set."""
    if not target.exists():
        os.rename(stage, target)
        return
    if _exchange(stage, target):
        shutil.rmtree(stage, ignore_errors=True)  # now the old folder
        return
    # Two steps: a writer killed between them leaves the old folder under its backup name; the next write of
    # this folder (or of a file in its parent) renames it back (_recover).
    old = Path(tempfile.mkdtemp(prefix=f"{_old_prefix(target)}{os.getpid()}-", dir=target.parent))
    os.rmdir(old)
    os.rename(target, old)
    try:
        os.rename(stage, target)
    except BaseException:
        os.rename(old, target)  # the old set back in place
        raise
    shutil.rmtree(old, ignore_errors=True)


def _carry(source: Path, dest: Path, budget: list[int]) -> None:
    """Hard-link (else copy) a file or folder of another program into the new set, within the file budget."""
    if source.is_dir() and not source.is_symlink():
        dest.mkdir()
        for child in sorted(source.iterdir()):
            _carry(child, dest / child.name, budget)
        return
    budget[0] -= 1
    if budget[0] < 0:
        raise ExportError(
            f"{str(source.parent)!r} holds more than {MAX_CARRIED_FILES} files that pxnet did not write; "
            "write the outputs into a folder of their own"
        )
    if source.is_symlink():
        os.symlink(os.readlink(source), dest)
        return
    try:
        os.link(source, dest)
    except OSError:
        shutil.copy2(source, dest)


def _refuse_working_folder(target: Path) -> None:
    """Refuse to swap out the working folder (or one holding it): the process and the shell would be left in it."""
    here = Path.cwd().resolve()
    resolved = target.resolve()
    if resolved == here or resolved in here.parents:
        raise ExportError(
            f"cannot write a set of outputs into {str(target)!r}: it is the working folder (or holds it); "
            "name a folder of its own, such as 'report'"
        )


def _check_folder_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise ExportError(f"cannot write into {str(target)!r}: it is a file, not a folder")
    _refuse_working_folder(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create folder {str(target.parent)!r}: {exc.strerror or exc}") from exc
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise ExportError(
            f"cannot write {str(target)!r}: its folder {str(target.parent)!r} is not writable "
            "(the new set is written beside the old one, then swapped in)"
        )


def _new_stage(target: Path) -> Path:
    stage = Path(tempfile.mkdtemp(prefix=f"{_prefix(target)}{os.getpid()}-", dir=target.parent))
    # mkdtemp makes a private folder; the swapped-in set keeps the old folder's mode, or the usual one.
    umask = os.umask(0)
    os.umask(umask)
    mode = target.stat().st_mode & 0o7777 if target.is_dir() else 0o777 & ~umask
    os.chmod(stage, mode)
    return stage


@contextlib.contextmanager
def atomic_folder(path: str | Path, *, owned: Iterable[str] | None = None) -> Iterator[Path]:
    """Yield an empty temporary folder beside ``path`` to write a set of outputs into; on success it becomes ``path``.

    The new set replaces the old one in one step (on Linux, an atomic exchange of the two folders; elsewhere two
    renames, undone by the next write if a process dies between them). A failure, or a process killed part-way,
    leaves the previous set complete; the next write removes the debris of a killed one.

    Parameters
    ----------
    path
        The output folder (its parents are created if needed).
    owned
        Names (at the top of the folder) that belong to this set of outputs. Anything else in the previous folder
        (files of other programs) is carried into the new folder unchanged, by hard link where the file system
        allows, else by copy, at most :data:`MAX_CARRIED_FILES` files. ``None``: the folder is wholly the set's,
        and nothing is carried over.

    Yields
    ------
    Path
        The temporary folder; write the whole set into it.

    Raises
    ------
    ExportError
        If ``path`` is a file, the working folder (or one holding it), or its parent cannot be written; if
        writing fails (the previous set is then intact).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "report"
    >>> with atomic_folder(out) as tmp:
    ...     _ = (tmp / "a.txt").write_text("new")
    >>> sorted(p.name for p in out.iterdir())
    ['a.txt']
    """
    target = Path(path)
    if target.is_symlink():  # swap the folder it points to, not the link
        target = target.resolve()
    _check_folder_target(target)
    _recover(target)
    try:
        stage = _new_stage(target)
    except OSError as exc:
        raise ExportError(f"cannot write {str(target)!r}: {exc.strerror or exc}") from exc
    try:
        yield stage
        if owned is not None and target.is_dir():
            names = set(owned)
            budget = [MAX_CARRIED_FILES]
            for entry in sorted(target.iterdir()):
                if entry.name not in names and not (stage / entry.name).exists():
                    _carry(entry, stage / entry.name, budget)
        _swap_in(stage, target)
    except BaseException as exc:
        shutil.rmtree(stage, ignore_errors=True)
        from ..errors import PxnetError

        if isinstance(exc, PxnetError) or not isinstance(exc, Exception):
            raise
        raise ExportError(
            f"writing {str(target)!r} failed ({type(exc).__name__}: {exc}); the previous set, if any, is intact"
        ) from exc
