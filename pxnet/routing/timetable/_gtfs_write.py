"""GTFS out, safely: a feed folder swapped in whole, a byte-reproducible zip, a clear error when it cannot be written.

A folder is written to a temporary sibling and renamed into place, so a failure part-way (a full disk, a killed
process) leaves the previous folder as it was. Files of the previous folder that are not GTFS files (a licence,
a note) are carried over. A zip holds its members in a fixed order with a fixed timestamp (1980-01-01, the zip
format's first date) and fixed permissions, so the same timetable gives the same bytes on every run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path

from ...errors import ExportError
from ...io import atomic_path, check_writable

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_zip(target: Path, texts: Mapping[str, str]) -> None:
    """Write ``texts`` (file name → text, in order) as a reproducible zip, atomically."""
    check_writable(target)
    with atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w") as archive:
        for name, text in texts.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the writing system
            archive.writestr(info, text.encode("utf-8"), compresslevel=6)


def write_folder(target: Path, texts: Mapping[str, str], *, feed_files: frozenset[str]) -> None:
    """Write ``texts`` as a folder that replaces ``target`` whole (see the module docstring).

    Files of the previous folder named in ``feed_files`` (the GTFS files) are dropped; others are carried over.
    """
    check_writable(target, folder=True)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.pxnet-tmp-{os.getpid()}-", dir=target.parent))
    except OSError as exc:
        raise ExportError(f"cannot write the GTFS folder {str(target)!r}: {exc}") from exc
    try:
        for name, text in texts.items():
            (stage / name).write_text(text, encoding="utf-8")
        if target.is_dir():
            for old in target.iterdir():
                if old.is_file() and old.name not in feed_files and not old.name.startswith("."):
                    shutil.copy2(old, stage / old.name)
        _swap(stage, target)
    except BaseException as exc:
        shutil.rmtree(stage, ignore_errors=True)
        if isinstance(exc, ExportError) or not isinstance(exc, Exception):
            raise
        raise ExportError(
            f"writing the GTFS folder {str(target)!r} failed ({type(exc).__name__}: {exc}); "
            "the previous folder, if any, is intact"
        ) from exc


def _swap(stage: Path, target: Path) -> None:
    # Two renames: the old folder aside, the new one in; the old one is put back if the second fails.
    stage.chmod(0o755)
    if not target.exists():
        os.replace(stage, target)
        return
    aside = target.parent / f".{target.name}.pxnet-old-{os.getpid()}"
    shutil.rmtree(aside, ignore_errors=True)
    os.replace(target, aside)
    try:
        os.replace(stage, target)
    except BaseException:
        os.replace(aside, target)
        raise
    with contextlib.suppress(OSError):
        shutil.rmtree(aside)
