"""GTFS files in: open a feed (folder or zip) with bounded sizes, decode and parse each file into text columns.

Every problem becomes a :class:`~pxnet.errors.Problem` naming the file (and line where it is known): a file that
is not UTF-8 (with a re-save hint when it decodes as GBK), an empty file, a CSV row mangled by an unclosed quote,
a zip holding two copies of a file, a member larger than :data:`MAX_FILE_BYTES`.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd

from ...errors import DataFileNotFoundError, Problem, TimetableError
from ...io import utf8_problem

#: Largest GTFS file pxnet reads, in bytes once inflated (1 GiB). A national feed's ``stop_times.txt`` is a few
#: hundred MB at most; a zip member claiming or inflating to more is refused before it fills the memory.
MAX_FILE_BYTES = 1 << 30

#: The files of the GTFS reference (schedule) that pxnet does not read: each one present is reported by name.
UNREAD_GTFS_FILES = frozenset(
    {
        "shapes.txt",
        "fare_attributes.txt",
        "fare_rules.txt",
        "fare_media.txt",
        "fare_products.txt",
        "fare_leg_rules.txt",
        "fare_leg_join_rules.txt",
        "fare_transfer_rules.txt",
        "rider_categories.txt",
        "timeframes.txt",
        "areas.txt",
        "stop_areas.txt",
        "networks.txt",
        "route_networks.txt",
        "location_groups.txt",
        "location_group_stops.txt",
        "locations.geojson",
        "booking_rules.txt",
        "pathways.txt",
        "levels.txt",
        "attributions.txt",
    }
)

_CHUNK = 1 << 20


@dataclass
class Feed:
    """An opened feed: its label, its member files by base name, and the problems found opening it."""

    label: str
    members: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    archive: zipfile.ZipFile | None = None
    folder: Path | None = None

    def has(self, name: str) -> bool:
        """Whether the feed holds ``name`` (e.g. ``"stops.txt"``)."""
        return name in self.members

    def read_bytes(self, name: str) -> bytes | None:
        """Return the file's bytes (None when absent or too large: the problem is then recorded)."""
        member = self.members.get(name)
        if member is None:
            return None
        if self.archive is not None:
            return _read_member(self.archive, member, name, self.problems)
        assert self.folder is not None
        path = self.folder / member
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            self.problems.append(_too_large(name, size))
            return None
        return path.read_bytes()


def _too_large(name: str, size: int) -> Problem:
    return Problem(
        name,
        None,
        None,
        None,
        f"file is larger than pxnet reads ({size:,} bytes > MAX_FILE_BYTES = {MAX_FILE_BYTES:,}); "
        "a GTFS file this large is most likely broken or hostile",
    )


def _read_member(archive: zipfile.ZipFile, member: str, name: str, problems: list[Problem]) -> bytes | None:
    # The declared size can lie: count the inflated bytes as they come and stop at the cap.
    info = archive.getinfo(member)
    if info.file_size > MAX_FILE_BYTES:
        problems.append(_too_large(name, info.file_size))
        return None
    out = io.BytesIO()
    try:
        with archive.open(info) as fh:
            while chunk := fh.read(_CHUNK):
                if out.tell() + len(chunk) > MAX_FILE_BYTES:
                    problems.append(_too_large(name, out.tell() + len(chunk)))
                    return None
                out.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
        # A corrupt member, a size or checksum that does not match its data, an unknown method, encryption.
        problems.append(Problem(name, None, None, None, f"cannot be read from the zip ({exc}): zip the feed again"))
        return None
    return out.getvalue()


def _zip_members(archive: zipfile.ZipFile, problems: list[Problem]) -> dict[str, str]:
    members: dict[str, str] = {}
    for member in archive.namelist():
        if member.endswith("/") or member.startswith("__MACOSX/"):
            continue
        base = PurePosixPath(member).name
        if base in members:
            problems.append(
                Problem(
                    base,
                    None,
                    None,
                    None,
                    f"the zip holds two copies ({members[base]!r} and {member!r}): keep one and zip it again",
                )
            )
            continue
        members[base] = member
    return members


def open_feed(path: Path) -> Feed:
    """Open a feed folder or zip; raises :class:`DataFileNotFoundError` when ``path`` is neither."""
    if path.is_file() and zipfile.is_zipfile(path):
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise TimetableError([Problem(path.name, None, None, None, f"not a readable zip: {exc}")]) from exc
        problems: list[Problem] = []
        return Feed(str(path), _zip_members(archive, problems), problems, archive=archive)
    if path.is_dir():
        members = {p.name: p.name for p in sorted(path.iterdir()) if p.is_file()}
        return Feed(str(path), members, folder=path)
    raise DataFileNotFoundError(f"no GTFS feed at {str(path)!r}: give a folder of .txt files or a .zip")


def is_utf8(raw: bytes, name: str, problems: list[Problem]) -> bool:
    """Whether ``raw`` is UTF-8 text; if not, a problem names the line and column, with a re-save hint."""
    problem = utf8_problem(raw, name, column=_column_at)
    if problem is not None:
        problems.append(problem)
    return problem is None


def _column_at(raw: bytes, pos: int) -> str | None:
    # The header name of the field holding byte ``pos`` (commas counted on its line; quotes ignored).
    header = raw.split(b"\n", 1)[0].decode("utf-8-sig", errors="replace").strip().split(",")
    start = raw.rfind(b"\n", 0, pos) + 1
    index = raw[start:pos].count(b",")
    return header[index].strip() if index < len(header) else None


_ROW = re.compile(r"row (\d+)")
_LINE = re.compile(r"line (\d+)")


def parse_csv(raw: bytes, name: str, problems: list[Problem], *, coded: bool = False) -> pd.DataFrame | None:
    """Every column as text (object arrays, stripped); None with a problem when it is not CSV.

    ``raw`` is UTF-8 (checked by :func:`is_utf8`). A quote left open swallows the lines after it into one field:
    such a row is reported (a field holding a line break), as is a quote still open at the end of the file.

    ``coded``: read the columns as pandas categoricals when no value needs stripping or checking for line
    breaks (no space, tab or quote in the file), so that later checks work once per distinct value; the caller
    turns them into text with :func:`as_text`.
    """
    # Stripping and the line-break check look at every value: only when a space or a quote could need them.
    spaced = b" " in raw or b"\t" in raw
    quoted = b'"' in raw
    empty = Problem(name, None, None, None, "file is empty: a GTFS file needs at least its header line")
    if not raw[:64].removeprefix(b"\xef\xbb\xbf").strip() and len(raw) <= 64:
        problems.append(empty)
        return None
    frame = None if quoted else _arrow_frame(raw, strip=spaced, coded=coded)
    if frame is not None:
        return frame
    try:
        frame = pd.read_csv(
            io.BytesIO(raw),
            dtype=_CODED if coded and not (spaced or quoted) else object,
            keep_default_na=False,
            na_filter=False,
            encoding="utf-8-sig",
            low_memory=False,
        )
    except pd.errors.EmptyDataError:
        problems.append(empty)
        return None
    except pd.errors.ParserError as exc:
        message = str(exc)
        row, line = _ROW.search(message), _LINE.search(message)
        where = int(row.group(1)) + 1 if row else int(line.group(1)) if line else None
        hint = " (a quote is not closed)" if "EOF inside string" in message else ""
        problems.append(Problem(name, where, None, None, f"cannot be read as CSV{hint}: {message.split(': ')[-1]}"))
        return None
    if not isinstance(frame.index, pd.RangeIndex):  # pandas made the first column the index: rows too long
        long_line = _long_line(raw)
        problems.append(Problem(name, long_line, None, None, "row has more fields than the header: a comma too many?"))
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    _uncode_inferred(frame, raw)
    if not (spaced or quoted):
        return frame
    for column in frame.columns:
        values, broken = _clean(frame[column].to_numpy(dtype=object))
        # Object columns: pandas' own string dtype would be converted element by element by every check.
        frame[column] = pd.Series(values, index=frame.index, dtype=object)
        for i in np.flatnonzero(broken)[:20]:
            problems.append(
                Problem(
                    name,
                    int(i) + 2,
                    None,
                    column,
                    "field runs over a line break: a quote is probably not closed, and the rows after it are "
                    "swallowed into this one",
                )
            )
    return frame


#: The CSV parser for large unquoted files (``stop_times.txt``): ``"pyarrow"`` (the ``fast`` extra), ``"c"``
#: (pandas' C parser), or ``None``: pyarrow when it can be imported. Both give identical frames; pandas' parser
#: also reads every file pyarrow refuses (ragged rows, odd headers) and names the problem.
CSV_ENGINE: str | None = None


def _pyarrow_csv() -> Any:
    """Return pyarrow's CSV module when the engine allows it and pyarrow can be imported, else None."""
    if CSV_ENGINE == "c":
        return None
    try:
        import pyarrow.csv
    except ImportError:
        if CSV_ENGINE == "pyarrow":
            raise
        return None
    return pyarrow.csv


def _arrow_frame(raw: bytes, *, strip: bool, coded: bool) -> pd.DataFrame | None:
    """Parse the file's columns as text with pyarrow; None when pyarrow is not there or not sure.

    Only for files with no quote (the caller checks), where pyarrow and pandas split fields alike; with ``strip``
    (a space or tab in the file) each distinct value is stripped, as :func:`parse_csv` strips pandas' values.
    A header with an empty or repeated name, a single column, or a row with another number of fields goes back
    to pandas, whose names and messages the rest of the reader expects. ``coded``: categoricals whose codes are
    pyarrow's dictionary codes (no Python string per cell); else object columns, as pandas gives them.
    """
    csv = _pyarrow_csv()
    if csv is None:
        return None
    import pyarrow as pa

    body = raw.removeprefix(b"\xef\xbb\xbf")
    end = body.find(b"\n")
    header = body[: end if end >= 0 else len(body)].removesuffix(b"\r").decode("utf-8").split(",")
    names = [name.strip() for name in header]
    if "" in names or len(set(names)) < len(names) or len(names) < 2:
        return None
    dictionary = pa.dictionary(pa.int32(), pa.string())
    try:
        table = csv.read_csv(
            pa.py_buffer(body),
            read_options=csv.ReadOptions(use_threads=False),
            convert_options=csv.ConvertOptions(
                column_types=dict.fromkeys(header, dictionary), strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, ValueError):
        return None
    if not table.num_rows or table.column_names != header:
        return None
    table = table.unify_dictionaries()
    columns = {}
    for name, given in zip(names, header, strict=True):
        column = table.column(given).combine_chunks()
        text = np.asarray(column.dictionary.to_numpy(zero_copy_only=False), dtype=object)
        codes = column.indices.to_numpy()
        if strip:  # stripped values may coincide (" a" and "a"): their codes merge
            merged, text = pd.factorize(np.char.strip(text.astype(str)).astype(object))
            codes = merged[codes] if len(codes) else codes
        if coded:
            columns[name] = pd.Categorical.from_codes(codes, categories=pd.Index(text, dtype=object))
        else:
            columns[name] = text[codes] if len(text) else np.full(len(codes), "", dtype=object)
    return pd.DataFrame(columns, dtype=None if coded else object, copy=False)


def _long_line(raw: bytes) -> int | None:
    """Return the first line with more commas than the header (quotes ignored), or None."""
    lines = raw.split(b"\n")
    fields = lines[0].count(b",")
    return next((k + 1 for k, line in enumerate(lines) if line.count(b",") > fields), None)


# Categorical columns, except those that are numbers in every feed (their categories would be inferred as numbers).
_CODED: defaultdict[str, Any] = defaultdict(
    lambda: "category", {"stop_sequence": object, "shape_dist_traveled": object}
)


def _uncode_inferred(frame: pd.DataFrame, raw: bytes) -> None:
    # pandas infers number categories ("007" would come back as 7): such columns are read again as text.
    lossy = [
        c
        for c in frame.columns
        if isinstance(frame[c].dtype, pd.CategoricalDtype)
        and not pd.api.types.is_string_dtype(frame[c].cat.categories.dtype)
    ]
    if lossy:
        again = pd.read_csv(
            io.BytesIO(raw), usecols=lossy, dtype=object, keep_default_na=False, na_filter=False, encoding="utf-8-sig"
        )
        for column in lossy:
            frame[column] = again[column]


def as_text(frame: pd.DataFrame, order: np.ndarray | None = None) -> pd.DataFrame:
    """Return the frame with its categorical columns as object columns of text (others unchanged).

    ``order``: the rows to take, in that order (as ``frame.take(order)``), taken on the categorical codes before
    the text is expanded, so each column is indexed once. The frame is built in one go, not column by column.
    """
    rows = None if order is None else np.asarray(order)
    index = frame.index if order is None else frame.index[rows]
    columns: dict[str, Any] = {}
    for column in frame.columns:
        values = frame[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            text = np.asarray(values.cat.categories, dtype=object)
            codes = values.cat.codes.to_numpy()
            codes = codes if order is None else codes[rows]
            columns[column] = text[codes] if len(text) else np.full(len(codes), "", dtype=object)
        else:
            columns[column] = values.to_numpy() if order is None else values.to_numpy()[rows]
    # Object columns, as pandas' parser gives them (pandas would infer its own string dtype from the arrays).
    out = pd.DataFrame(columns, index=index, columns=frame.columns, dtype=object, copy=False)
    for column in frame.columns:  # keep each non-categorical column's own dtype
        if not isinstance(frame[column].dtype, pd.CategoricalDtype) and out[column].dtype != frame[column].dtype:
            out[column] = out[column].astype(frame[column].dtype)
    return out


def _clean(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return the values stripped, and a mask of those holding a line break.

    Feeds repeat few distinct values per column: each distinct one is handled once.
    """
    codes, uniques = pd.factorize(values)
    if len(uniques) == 0:
        return values.astype(object), np.zeros(len(values), dtype=bool)
    text = np.asarray(uniques, dtype=object).astype(str)
    clean = np.char.strip(text)
    broken_u = np.char.find(text, "\n") >= 0
    broken = broken_u[codes] if broken_u.any() else np.zeros(len(values), dtype=bool)
    if np.array_equal(clean, text):
        return values, broken
    table = np.append(clean.astype(object), "")
    return np.asarray(table[codes], dtype=object), broken


def iter_unread(feed: Feed, read: set[str]) -> Iterator[str]:
    """Yield the GTFS reference files present in the feed that pxnet does not read."""
    for name in sorted(feed.members):
        if name in UNREAD_GTFS_FILES and name not in read:
            yield name
