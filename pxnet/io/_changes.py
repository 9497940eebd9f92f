"""``timetable/changes.yaml``: the dated changes of a network's rail supply, each with its source.

Every entry needs an id, a date, a kind, a title, a source (title, publisher, date, address) and a confidence;
the keys a kind needs are checked, and every station named must be a node of the network.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from .. import vocabulary
from ..errors import Problem
from ..model import TimetableChange
from ..vocabulary import did_you_mean
from ._readers import Fields, duplicate, read_yaml

__all__ = ["CHANGES_FILE", "PUBLISHED_FILE", "read_changes", "read_published_times"]

#: Where a data folder keeps its timetable changes.
CHANGES_FILE = Path("timetable") / "changes.yaml"

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_CLOCK = re.compile(r"^([0-9]|[01][0-9]|2[0-9]|3[0-5]):[0-5][0-9]$")
_SOURCE_KEYS = ("title", "publisher", "date", "url")
_KEYS = {
    "id", "date", "kind", "title", "figure", "source", "confidence", "note", "between", "direction", "stations",
    "station", "trains", "stops", "service", "fastest_min", "factor", "trains_per_day", "departures", "first",
    "last", "run_min", "dwell_min", "bidirectional", "until",
}  # fmt: skip
#: Keys each kind requires (one of the tuple's keys where a tuple is given).
_NEEDS: dict[str, tuple[tuple[str, ...], ...]] = {
    "retime": (("between",), ("fastest_min", "factor")),
    "add_trips": (("stops",), ("trains_per_day", "departures")),
    "remove_trips": (("trains", "between", "stations"),),
    "suspend": (("trains", "between", "stations"),),
    "dwell": (("station",), ("dwell_min",)),
    "frequency": (("between", "service"), ("trains_per_day", "factor")),
}


def read_changes(
    folder: Path, problems: list[Problem], nodes: pd.DataFrame, services: pd.DataFrame
) -> list[TimetableChange]:
    """Read and check ``timetable/changes.yaml`` of a data folder (no file: no changes).

    Examples
    --------
    >>> from pxnet.network import bundled_data_path
    >>> from pxnet.io import read_folder
    >>> data = read_folder(bundled_data_path())
    >>> all(c.source and c.confidence for c in data.changes)
    True
    """
    path = folder / CHANGES_FILE
    if not path.is_file():
        return []
    data = read_yaml(path, problems)
    name = str(CHANGES_FILE)
    items = data.get("changes") if isinstance(data, dict) else None
    if data is not None and not isinstance(items, list):
        problems.append(Problem(name, 1, None, "changes", "expected a mapping with a list under 'changes'"))
        return []
    out: list[TimetableChange] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items or []):
        if not isinstance(item, dict):
            problems.append(Problem(name, None, None, None, f"entry {i + 1} is not a mapping of keys to values"))
            continue
        change = _change(
            Fields(name, item.get("__line__"), _text(item.get("id")), item, problems), item, nodes, services
        )
        if change is not None and not duplicate(
            seen, Fields(name, item.get("__line__"), change.id, item, problems), change.id
        ):
            out.append(change)
    return sorted(out, key=lambda c: c.date.end)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _change(f: Fields, item: dict[str, Any], nodes: pd.DataFrame, services: pd.DataFrame) -> TimetableChange | None:
    for key in item:
        if key != "__line__" and key not in _KEYS:
            f.problem(str(key), f"unknown key{did_you_mean(str(key), _KEYS)}")
    change_id = f.text("id", required=True)
    if change_id is not None and not _ID.match(change_id):
        f.problem("id", f"id {change_id!r} must use lower-case ASCII letters, digits, '-' and '_'")
    date = f.date("date", required=True)
    kind = f.choice("kind", vocabulary.CHANGE_KINDS)
    title = f.text("title", required=True)
    confidence = f.choice("confidence", vocabulary.CHANGE_CONFIDENCE)
    source = _source(f, item.get("source"))
    values = _values(f, item, nodes, services)
    if kind is not None:
        for options in _NEEDS[kind]:
            if all(item.get(k) in (None, "", []) for k in options):
                f.problem(options[0], f"a {kind!r} change needs {' or '.join(repr(k) for k in options)}")
    if not f.ok or change_id is None or date is None or kind is None or title is None or confidence is None:
        return None
    return TimetableChange(
        id=change_id, date=date, kind=kind, title=title, source=source, confidence=confidence, **values
    )


def _source(f: Fields, raw: Any) -> dict[str, str]:
    if not isinstance(raw, dict):
        f.problem("source", "required: a mapping with title, publisher, date and url")
        return {}
    missing = [k for k in _SOURCE_KEYS if raw.get(k) in (None, "")]
    if missing:
        f.problem("source", f"the source lacks {', '.join(missing)}")
    url = str(raw.get("url") or "")
    if url and not re.match(r"^https?://[^\s/]+\.[^\s]+", url):
        f.problem("source", f"url {url!r} is not a web address (http:// or https://)")
    return {k: str(raw[k]) for k in _SOURCE_KEYS if raw.get(k) not in (None, "")}


def _stations(f: Fields, key: str, raw: Any, nodes: pd.DataFrame) -> tuple[str, ...]:
    if raw in (None, ""):
        return ()
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        f.problem(key, "must be a station id or a list of station ids")
        return ()
    for v in values:
        if v not in nodes.index:
            f.problem(key, f"unknown node {v!r}{did_you_mean(v, nodes.index)}")
    return tuple(values)


def _positive(f: Fields, key: str, *, allow_zero: bool = False, maximum: float = 10_000.0) -> float | None:
    value = f.raw(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(float(value)):
        f.problem(key, f"must be a finite number, not {value!r}")
        return None
    if float(value) < 0 or (float(value) == 0 and not allow_zero) or float(value) > maximum:
        f.problem(key, f"{value!r} is outside {'0' if allow_zero else '(0'} … {maximum:g}]")
        return None
    return float(value)


def _clock_list(f: Fields, key: str) -> tuple[str, ...]:
    raw = f.raw(key)
    values = [] if raw in (None, "") else ([raw] if isinstance(raw, str) else raw)
    if not isinstance(values, list):
        f.problem(key, "must be a list of HH:MM times")
        return ()
    for v in values:
        if not isinstance(v, str) or not _CLOCK.match(v):
            f.problem(key, f"{v!r} is not a time HH:MM (past 24:00 allowed)")
    return tuple(str(v) for v in values)


def _values(f: Fields, item: dict[str, Any], nodes: pd.DataFrame, services: pd.DataFrame) -> dict[str, Any]:
    between = _stations(f, "between", item.get("between"), nodes)
    if between and len(between) != 2:
        f.problem("between", "must name exactly two stations")
    service = f.text("service") or ""
    if service and service not in services.index:
        f.problem("service", f"unknown service {service!r}{did_you_mean(service, services.index)}")
    trains = item.get("trains") or []
    if not isinstance(trains, list) or not all(isinstance(t, str) and t.strip() for t in trains):
        f.problem("trains", "must be a list of train numbers")
        trains = []
    direction = f.choice("direction", ("both", "forward"), required=False) or "both"
    return {
        "figure": f.text("figure") or "",
        "note": f.text("note") or "",
        "between": (between[0], between[1]) if len(between) == 2 else None,
        "direction": direction,
        "stations": _stations(f, "stations", item.get("stations"), nodes),
        "station": (_stations(f, "station", item.get("station"), nodes) or ("",))[0],
        "trains": tuple(str(t).strip() for t in trains),
        "stops": _stations(f, "stops", item.get("stops"), nodes),
        "service": service,
        "fastest_min": _positive(f, "fastest_min", maximum=24 * 60),
        "factor": _positive(f, "factor", maximum=10),
        "trains_per_day": _positive(f, "trains_per_day", maximum=1000),
        "departures": _clock_list(f, "departures"),
        "first": (_clock_list(f, "first") or ("",))[0],
        "last": (_clock_list(f, "last") or ("",))[0],
        "run_min": _positive(f, "run_min", maximum=24 * 60),
        "dwell_min": _positive(f, "dwell_min", allow_zero=True, maximum=120),
        "bidirectional": f.boolean("bidirectional", default=True),
        "until": f.date("until"),
    }


#: Where a data folder keeps published fastest times (the calibration table's sources).
PUBLISHED_FILE = Path("timetable") / "published_times.csv"
PUBLISHED_COLUMNS = [
    "from", "to", "date", "minutes", "train", "figure", "source_title", "source_publisher", "source_date",
    "source_url", "confidence", "model_note",
]  # fmt: skip


def read_published_times(folder: Path, problems: list[Problem], nodes: pd.DataFrame) -> pd.DataFrame:
    """Read ``timetable/published_times.csv``: published fastest station-to-station times, each with its source.

    ``model_note`` (optional) explains a row the model misses by more than the calibration's range.

    Examples
    --------
    >>> import pxnet
    >>> from pxnet.network import bundled_data_path
    >>> rows = read_published_times(bundled_data_path(), [], pxnet.load_network().nodes)
    >>> bool((rows["minutes"] > 0).all() and rows["source_url"].str.startswith("http").all())
    True
    """
    from ._readers import read_csv

    path = folder / PUBLISHED_FILE
    if not path.is_file():
        return pd.DataFrame(columns=[*PUBLISHED_COLUMNS, "csv_line"])
    required = ("from", "to", "date", "minutes", "figure", "source_title", "source_url", "confidence")
    optional = tuple(c for c in PUBLISHED_COLUMNS if c not in required)
    rows, _ = read_csv(path, problems, required=required, optional=optional)
    records = []
    name = str(PUBLISHED_FILE)
    for line, row in rows:
        f = Fields(name, line, f"{row.get('from')}→{row.get('to')}", row, problems)
        record: dict[str, Any] = {c: f.text(c) or "" for c in PUBLISHED_COLUMNS}
        record["date"] = f.date("date", required=True)
        record["minutes"] = f.number("minutes", required=True, positive=True, maximum=24 * 60)
        record["confidence"] = f.choice("confidence", vocabulary.CHANGE_CONFIDENCE)
        for end in ("from", "to"):
            node = record[end]
            if node not in nodes.index:
                f.problem(end, f"unknown node {node!r}{did_you_mean(node, nodes.index)}")
        for key in ("figure", "source_title", "source_url"):
            if not record[key]:
                f.problem(key, "required: every published time names its figure and source")
        if record["source_url"] and not re.match(r"^https?://\S+", record["source_url"]):
            f.problem("source_url", f"{record['source_url']!r} is not a web address")
        record["csv_line"] = line
        if f.ok:
            records.append(record)
    return pd.DataFrame.from_records(records, columns=[*PUBLISHED_COLUMNS, "csv_line"])
