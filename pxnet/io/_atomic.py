"""Atomic file writes: write to a temporary file beside the target, then rename over it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import ExportError


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
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    tmp.unlink()  # writers such as GDAL want to create the file themselves
    try:
        yield tmp
        if not tmp.exists():
            raise ExportError(f"writing {str(target)!r} produced no file")
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        from ..errors import PxnetError

        if isinstance(exc, PxnetError) or not isinstance(exc, Exception):
            raise
        raise ExportError(
            f"writing {str(target)!r} failed ({type(exc).__name__}: {exc}); the previous file, if any, is intact"
        ) from exc
