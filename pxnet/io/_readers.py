"""Low-level readers for data files that record every problem instead of raising on the first.

Each reader appends :class:`~pxnet.errors.Problem` records to a list and returns what it could read, so a
loader can report all problems of a folder at once, with file, line, record id and column.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

from ..dates import PartialDate
from ..errors import Problem
from ..vocabulary import Limit, did_you_mean

Row = dict[str, str]
_ID = re.compile(r"^[a-z0-9_]+$")
_TRUE = {"true", "yes", "1", "y", "t"}
_FALSE = {"false", "no", "0", "n", "f", ""}


def decode(path: Path, problems: list[Problem]) -> str | None:
    """Read a file as UTF-8 text (a BOM is allowed); record a problem if it is not UTF-8.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = path.write_bytes("萍乡".encode("gbk"))
    >>> problems = []
    >>> decode(path, problems) is None, "GBK" in problems[0].message
    (True, True)
    """
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # decoded once when good; the problem's line and byte only when not
        problems.append(utf8_problem(raw, path.name) or Problem(path.name, None, None, None, "file is not UTF-8"))
        return None


def utf8_problem(raw: bytes, name: str, *, column: Callable[[bytes, int], str | None] | None = None) -> Problem | None:
    r"""Return the problem of a file that is not UTF-8 text (a BOM is allowed), or ``None`` if it is.

    The problem names the line (and the column, ``column(raw, offset)``, when the caller can tell it from the
    first invalid byte's offset) and that byte, and says to re-save the file as UTF-8, noting when it decodes as
    GBK/GB18030 (the usual cause for Chinese files).

    Examples
    --------
    >>> utf8_problem("萍乡".encode(), "x.csv") is None
    True
    >>> utf8_problem(b"id\n" + "萍乡".encode("gbk"), "x.csv").line
    2
    """
    if raw.isascii():
        return None
    try:
        raw.decode("utf-8-sig")
        return None
    except UnicodeDecodeError as exc:
        start = exc.start
    hint = " Re-save it as UTF-8."
    try:
        raw.decode("gb18030")
        hint = " It decodes as GBK/GB18030: re-save it as UTF-8."
    except UnicodeDecodeError:
        pass
    message = f"file is not UTF-8 text (invalid byte 0x{raw[start]:02x} at byte {start}).{hint}"
    where = column(raw, start) if column is not None else None
    return Problem(name, raw[:start].count(b"\n") + 1, None, where, message)


def _csv_header(reader: Any, path: Path, problems: list[Problem]) -> list[str] | None:
    # The stripped header row, or None (with a problem) when there is none or it cannot be parsed.
    try:
        return [h.strip() for h in next(reader)]
    except StopIteration:
        problems.append(Problem(path.name, 1, None, None, "file is empty (a header row is required)"))
    except csv.Error as exc:
        problems.append(Problem(path.name, 1, None, None, f"unreadable CSV header: {exc}"))
    return None


def _check_header(
    header: list[str], path: Path, problems: list[Problem], *, required: list[str], known: set[str]
) -> bool:
    # Records duplicate, missing and unknown columns; False when a duplicate makes the rows unreadable.
    seen_columns: set[str] = set()
    for col in header:
        if col in seen_columns:
            problems.append(Problem(path.name, 1, None, col, "column appears twice in the header"))
        seen_columns.add(col)
    if len(seen_columns) != len(header):
        return False
    for col in required:
        if col not in header:
            problems.append(Problem(path.name, 1, None, col, "required column is missing from the header"))
    for col in header:
        if col not in known:
            problems.append(Problem(path.name, 1, None, col, f"unknown column{did_you_mean(col, known, n=1)}"))
    return True


def _csv_rows(
    reader: Any, header: list[str], known: set[str], path: Path, problems: list[Problem]
) -> list[tuple[int, Row]]:
    # The non-blank data rows, known columns only; a row wider than the header is a problem, not a row.
    rows: list[tuple[int, Row]] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(header):
                problems.append(
                    Problem(path.name, line, None, None, f"{len(cells)} cells but the header has {len(header)} columns")
                )
                continue
            row = {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header) if h in known}
            rows.append((line, row))
    except csv.Error as exc:
        problems.append(Problem(path.name, reader.line_num, None, None, f"unreadable CSV: {exc}"))
    return rows


def read_csv(
    path: Path,
    problems: list[Problem],
    *,
    required: Iterable[str],
    optional: Iterable[str] = (),
) -> tuple[list[tuple[int, Row]], set[str]]:
    r"""Read a CSV file into ``(line number, row)`` pairs with stripped string values.

    Missing required columns are recorded once; unknown columns are recorded too (they are usually a
    typo of a known column). Rows keep only known columns.

    Returns
    -------
    rows, present
        The rows, and the set of known columns present in the header.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.csv"
    >>> _ = path.write_text("id,name\na,甲\n", encoding="utf-8")
    >>> rows, present = read_csv(path, [], required=["id"], optional=["name"])
    >>> rows, sorted(present)
    ([(2, {'id': 'a', 'name': '甲'})], ['id', 'name'])
    """
    text = decode(path, problems)
    if text is None:
        return [], set()
    reader = csv.reader(io.StringIO(text, newline=""))
    header = _csv_header(reader, path, problems)
    if header is None:
        return [], set()
    required = list(required)
    known = set(required) | set(optional)
    if not _check_header(header, path, problems, required=required, known=known):
        return [], set(header) & known
    rows = _csv_rows(reader, header, known, path, problems)
    return rows, set(header) & known


class _LineLoader(yaml.SafeLoader):
    """A safe YAML loader that records each mapping's line number under ``__line__``.

    It refuses aliases (``*name``): pxnet's files never need them, and nested aliases ("billion laughs")
    expand to gigabytes. Dates stay text, so that :class:`~pxnet.dates.PartialDate` checks them (an
    impossible ``2025-13-40`` is a problem on its line, not a crash).
    """

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]  # PyYAML's stubs leave it untyped
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed in pxnet data files", event.start_mark
            )
        return super().compose_node(parent, index)


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


def _timestamp_as_text(loader: _LineLoader, node: yaml.ScalarNode) -> str:
    return str(loader.construct_scalar(node))


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


def read_yaml(path: Path, problems: list[Problem]) -> Any:
    r"""Parse a YAML file; mappings carry their line number under ``__line__``.

    Returns ``None`` (with a problem recorded) when the file is not UTF-8 or not valid YAML.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "x.yaml"
    >>> _ = path.write_text("- id: a\n", encoding="utf-8")
    >>> read_yaml(path, [])
    [{'id': 'a', '__line__': 1}]
    """
    text = decode(path, problems)
    if text is None:
        return None
    try:
        return yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        col = f" (character {mark.column + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        problems.append(Problem(path.name, line, None, None, f"malformed YAML{col}: {problem}"))
        return None


class Fields:
    """Typed access to one row's values that records a problem for each bad value.

    Parameters
    ----------
    file, line, record
        Where the row is, for messages.
    values
        The raw values (strings from CSV, or YAML scalars).
    problems
        The list to append problems to.
    """

    def __init__(
        self, file: str, line: int | None, record: str | None, values: dict[str, Any], problems: list[Problem]
    ):
        self.file, self.line, self.record, self.values, self.problems = file, line, record, values, problems
        self.ok = True

    def problem(self, column: str | None, message: str) -> None:
        """Record a problem with this row."""
        self.ok = False
        self.problems.append(Problem(self.file, self.line, self.record, column, message))

    def raw(self, column: str) -> Any:
        """Return the value as read (strings stripped), or ``None``."""
        value = self.values.get(column)
        return value.strip() if isinstance(value, str) else value

    def given(self, column: str, *, required: bool = False) -> Any:
        """Return the value as read, or ``None`` when it is empty (a problem if ``required``)."""
        value = self.raw(column)
        if value is None or value == "":
            if required:
                self.problem(column, "required value is empty")
            return None
        return value

    def text(self, column: str, *, required: bool = False) -> str | None:
        """Read a text value; empty is ``None`` (a problem if ``required``)."""
        value = self.given(column, required=required)
        if value is None:
            return None
        return str(value)

    def ident(self, column: str) -> str | None:
        """Read a required id of lower-case ASCII letters, digits and ``_``."""
        value = self.text(column, required=True)
        if value is not None and not _ID.match(value):
            self.problem(column, f"id {value!r} must use only lower-case ASCII letters, digits and '_'")
        return value

    def number(
        self,
        column: str,
        *,
        required: bool = False,
        positive: bool = False,
        minimum: float | None = None,
        maximum: float | None = None,
        integer: bool = False,
        limit: Limit | None = None,
    ) -> float | None:
        """Read a finite number within the given bounds (and ``limit``), or ``None`` (with a problem if it is not)."""
        value = self.given(column, required=required)
        if value is None:
            return None
        try:
            if isinstance(value, bool):
                raise TypeError
            number = float(value)
        except (TypeError, ValueError, OverflowError):
            self.problem(column, f"{value!r} is not a number")
            return None
        if number != number or number in (float("inf"), float("-inf")):
            self.problem(column, f"{value!r} is not a finite number")
            return None
        if positive and number <= 0:
            self.problem(column, f"{value!r} must be greater than zero")
            return None
        if minimum is not None and number < minimum:
            self.problem(column, f"{value!r} is below the minimum {minimum:g}")
            return None
        if maximum is not None and number > maximum:
            self.problem(column, f"{value!r} is above the maximum {maximum:g}")
            return None
        if integer and not number.is_integer():
            self.problem(column, f"{value!r} must be a whole number")
            return None
        wrong = limit.problem(number) if limit is not None else None
        if wrong is not None:
            self.problem(column, f"{value!r} {wrong}")
            return None
        return number

    def choice(self, column: str, allowed: Iterable[str], *, required: bool = True) -> str | None:
        """One of ``allowed``; an unknown value is a problem that suggests the closest allowed one."""
        value = self.text(column, required=required)
        allowed = sorted(allowed)
        if value is not None and value not in allowed:
            hint = did_you_mean(value, allowed, n=1)
            self.problem(column, f"unknown value {value!r}{hint}; allowed: {', '.join(allowed)}")
            return None
        return value

    def boolean(self, column: str, *, default: bool = False) -> bool:
        """``true``/``false`` (also yes/no, 1/0); empty gives ``default``."""
        value = self.raw(column)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return default if text == "" else False
        self.problem(column, f"{value!r} is not true/false")
        return default

    def date(self, column: str, *, required: bool = False) -> PartialDate | None:
        """Read a ``YYYY[-MM[-DD]]`` date, or ``None``."""
        value = self.given(column, required=required)
        if value is None:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError as exc:
            self.problem(column, f"unparsable date: {exc}")
            return None


def duplicate(seen: dict[str, int], f: Fields, record: str | None) -> bool:
    """Record a problem if ``record`` was seen before (``seen`` maps ids to their first line); else remember it.

    Examples
    --------
    >>> problems, seen = [], {}
    >>> first, again = Fields("x.csv", 2, "a", {}, problems), Fields("x.csv", 5, "a", {}, problems)
    >>> duplicate(seen, first, "a"), duplicate(seen, again, "a")
    (False, True)
    >>> problems[0].message
    'duplicate id (first used on line 2)'
    """
    if record is None:
        return False
    if record in seen:
        f.problem("id", f"duplicate id (first used on line {seen[record]})")
        return True
    seen[record] = f.line or 0
    return False
