"""GTFS out, safely: a feed folder swapped in whole, a byte-reproducible zip, a clear error when it cannot be written.

A folder is written by :func:`pxnet.io.atomic_folder`: beside the old one, then swapped in, so a failure part-way
(a full disk, a killed process) leaves the previous folder as it was. Files of the previous folder that are not
GTFS files (a licence, a note) are carried over. A zip holds its members in a fixed order with a fixed timestamp
(1980-01-01, the zip format's first date) and fixed permissions, so the same timetable gives the same bytes on
every run.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from pathlib import Path

from ...io import atomic_folder, atomic_path, check_writable

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
    with atomic_folder(target, owned=feed_files) as stage:
        for name, text in texts.items():
            (stage / name).write_text(text, encoding="utf-8")
