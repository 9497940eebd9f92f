"""The CSV tables of a data folder: nodes, links, services and observed times, validated row by row."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pandas as pd

from .. import vocabulary
from ..errors import Problem
from ..geo import haversine_km
from ..model import Project
from ..parameters import Parameters
from ..vocabulary import did_you_mean
from ._readers import Fields, Row, duplicate, read_csv

NODE_COLUMNS = ("id", "name_zh", "name_en", "kind", "lon", "lat", "source")
NODE_OPTIONAL = ("place", "admin_code", "population", "census_units", "transfer_min", "note")
LINK_COLUMNS = ("id", "from", "to", "mode", "length_km", "status", "source")
LINK_OPTIONAL = ("speed_kph", "time_min", "oneway", "line", "project", "open_date", "note")
SERVICE_COLUMNS = ("id", "name", "mode", "stops", "status", "source")
OBSERVED_COLUMNS = ("id", "from", "to", "mode", "minutes", "source")
OBSERVED_OPTIONAL = ("date", "note")
SERVICE_OPTIONAL = ("headway_min", "trains_per_day", "segment_min", "bidirectional", "project", "open_date", "note")

# China's extent, to spot a lon/lat pair written the wrong way round.
_LON_BAND = (73.0, 136.0)
_LAT_BAND = (3.0, 54.0)


def _table(records: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
    """Return the checked records as a table indexed by their ids (the ``id`` column kept)."""
    table = pd.DataFrame.from_records(records, columns=columns).set_index("id", drop=False)
    table.index.name = None
    return table


def read_nodes(path: Path, problems: list[Problem]) -> pd.DataFrame:
    """``nodes.csv`` as a table indexed by id; bad rows are left out with their problems recorded.

    Examples
    --------
    >>> from pxnet.network import bundled_data_path
    >>> folder, problems = bundled_data_path(), []
    >>> read_nodes(folder / "nodes.csv", problems).at["pingxiang_north", "name_zh"], problems
    ('萍乡北', [])
    """
    rows, _ = read_csv(path, problems, required=NODE_COLUMNS, optional=NODE_OPTIONAL)
    return nodes_from_rows(rows, problems, file=path.name)


def nodes_from_rows(
    rows: list[tuple[int, Row]], problems: list[Problem], *, file: str, known: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Node rows (``(line, values)``, as :func:`read_csv` gives them) checked by the rules of ``nodes.csv``.

    ``known`` holds nodes already validated (a network's), which a row's ``place`` may name.
    """
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        f = Fields(file, line, row.get("id") or None, row, problems)
        node_id = f.ident("id")
        lon, lat = f.number("lon", required=True), f.number("lat", required=True)
        record: dict[str, Any] = {
            "id": node_id,
            "name_zh": f.text("name_zh", required=True),
            "name_en": f.text("name_en", required=True),
            "kind": f.choice("kind", vocabulary.NODE_KINDS),
            "lon": lon,
            "lat": lat,
            "place": f.text("place"),
            "admin_code": f.text("admin_code"),
            "census_units": _census_units(f),
            "population": f.number("population", integer=True, limit=vocabulary.FIELD_LIMITS["nodes.population"]),
            "transfer_min": f.number("transfer_min", limit=vocabulary.FIELD_LIMITS["nodes.transfer_min"]),
            "source": f.text("source", required=True),
            "csv_line": line,
        }
        if lon is not None and lat is not None:
            swapped = _LAT_BAND[0] <= lon <= _LAT_BAND[1] and _LON_BAND[0] <= lat <= _LON_BAND[1]
            if swapped:
                f.problem("lat", f"lat {lat:g} / lon {lon:g} look swapped (lat must be the north coordinate)")
            elif not -90 <= lat <= 90:
                f.problem("lat", f"latitude {lat:g} is out of range -90..90")
            elif not -180 <= lon <= 180:
                f.problem("lon", f"longitude {lon:g} is out of range -180..180")
        if duplicate(seen, f, node_id) or not f.ok:
            continue
        records.append(record)
    nodes = _table(
        records, [*NODE_COLUMNS, "place", "admin_code", "population", "census_units", "transfer_min", "csv_line"]
    )
    nodes["population"] = nodes["population"].astype("Int64")
    every = nodes if known is None else pd.concat([known, nodes])
    _check_census_units(nodes, file, problems)
    for line, row in rows:
        place = row.get("place") or ""
        if place and row.get("id") in nodes.index:
            if place not in every.index:
                problems.append(Problem(file, line, row["id"], "place", f"unknown node {place!r}"))
            elif every.at[place, "kind"] not in vocabulary.PLACE_KINDS:
                problems.append(
                    Problem(file, line, row["id"], "place", f"{place!r} is a {every.at[place, 'kind']}, not a place")
                )
    return nodes


def _census_units(f: Fields) -> tuple[str, ...]:
    """``census_units``: the ``;``-separated 6-digit administrative codes of the census units a node stands for."""
    text = f.text("census_units")
    if text is None:
        return ()
    codes = tuple(c.strip() for c in text.split(";") if c.strip())
    bad = [c for c in codes if not (len(c) == 6 and c.isdigit())]
    if bad:
        f.problem("census_units", f"{', '.join(map(repr, bad))}: each unit must be a 6-digit administrative code")
    elif len(set(codes)) != len(codes):
        f.problem("census_units", "a unit appears twice")
    elif f.raw("population") in (None, ""):
        f.problem("population", "a node with census_units needs their population")
    return codes


def _check_census_units(nodes: pd.DataFrame, file: str, problems: list[Problem]) -> None:
    """No person counted twice: no census unit on two nodes, nor a prefecture beside one of its own units."""
    owner: dict[str, str] = {}
    for node_id, codes in zip(nodes["id"], nodes["census_units"], strict=True):
        for code in codes:
            if code in owner:
                problems.append(
                    Problem(file, None, node_id, "census_units", f"unit {code} is also counted on {owner[code]!r}")
                )
            owner.setdefault(code, node_id)
    for code, node_id in owner.items():
        for parent in (code[:2] + "0000", code[:4] + "00"):
            if parent != code and parent in owner:
                problems.append(
                    Problem(
                        file,
                        None,
                        node_id,
                        "census_units",
                        f"unit {code} lies inside {parent}, counted on {owner[parent]!r}: its people would count twice",
                    )
                )


def read_links(
    path: Path,
    problems: list[Problem],
    nodes: pd.DataFrame,
    projects: dict[str, Project],
    parameters: Parameters,
    warnings: list[Problem],
) -> pd.DataFrame:
    """``links.csv`` checked against the nodes and projects; implausible lengths become ``warnings``.

    Examples
    --------
    >>> from pxnet.network import bundled_data_path
    >>> folder, problems = bundled_data_path(), []
    >>> from pxnet.io._yaml import read_projects
    >>> from pxnet.parameters import Parameters
    >>> nodes, projects = read_nodes(folder / "nodes.csv", problems), read_projects(folder / "projects.yaml", problems)
    >>> links = read_links(folder / "links.csv", problems, nodes, projects, Parameters(), [])
    >>> links.at["pinglian_mashan_jct_lianhua_ic", "project"], problems
    ('pinglian_expressway', [])
    """
    rows, _ = read_csv(path, problems, required=LINK_COLUMNS, optional=LINK_OPTIONAL)
    return links_from_rows(rows, problems, nodes, projects, parameters, warnings, file=path.name)


def links_from_rows(
    rows: list[tuple[int, Row]],
    problems: list[Problem],
    nodes: pd.DataFrame,
    projects: dict[str, Project],
    parameters: Parameters,
    warnings: list[Problem],
    *,
    file: str,
) -> pd.DataFrame:
    """Link rows checked by the rules of ``links.csv`` against ``nodes`` and ``projects``."""
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        f = Fields(file, line, row.get("id") or None, row, problems)
        link_id = f.ident("id")
        record: dict[str, Any] = {
            "id": link_id,
            "from": f.text("from", required=True),
            "to": f.text("to", required=True),
            "mode": f.choice("mode", vocabulary.LINK_MODES),
            "length_km": f.number(
                "length_km", required=True, positive=True, limit=vocabulary.FIELD_LIMITS["links.length_km"]
            ),
            "speed_kph": f.number("speed_kph", positive=True, limit=vocabulary.FIELD_LIMITS["links.speed_kph"]),
            "time_min": f.number("time_min", positive=True, limit=vocabulary.FIELD_LIMITS["links.time_min"]),
            "oneway": f.boolean("oneway"),
            "line": f.text("line") or "",
            "line_name": f.text("line") or "",
            "project": f.text("project"),
            "status": f.choice("status", vocabulary.STATUSES),
            "open_date": f.date("open_date"),
            "source": f.text("source", required=True),
            "csv_line": line,
        }
        for end in ("from", "to"):
            if record[end] is not None and record[end] not in nodes.index:
                f.problem(end, f"link to unknown node {record[end]!r}{did_you_mean(record[end], nodes.index)}")
        if record["from"] is not None and record["from"] == record["to"]:
            f.problem("to", "a link must join two different nodes")
        if record["project"] is not None and record["project"] not in projects:
            f.problem(
                "project",
                f"unknown project {record['project']!r}{did_you_mean(record['project'], projects)}",
            )
        if duplicate(seen, f, link_id) or not f.ok:
            continue
        _check_length(record, nodes, parameters, warnings, file)
        records.append(record)
    return _table(
        records,
        [
            "id",
            "from",
            "to",
            "mode",
            "length_km",
            "speed_kph",
            "time_min",
            "oneway",
            "line",
            "line_name",
            "project",
            "status",
            "open_date",
            "source",
            "csv_line",
        ],
    )


def _check_length(
    record: dict[str, Any], nodes: pd.DataFrame, parameters: Parameters, warnings: list[Problem], file: str
) -> None:
    a, b = nodes.loc[record["from"]], nodes.loc[record["to"]]
    crow = haversine_km(a["lon"], a["lat"], b["lon"], b["lat"])
    length = record["length_km"]
    # 2 % slack absorbs rounding and the size of a station or town.
    if length < crow * 0.98 - 0.5:
        message = f"length {length:g} km is shorter than the straight-line distance {crow:.1f} km"
    elif crow > 1.0 and length > crow * parameters.detour_factor_max:
        message = (
            f"length {length:g} km is {length / crow:.1f}x the straight-line distance {crow:.1f} km "
            f"(more than detour_factor_max {parameters.detour_factor_max:g})"
        )
    else:
        return
    warnings.append(Problem(file, record["csv_line"], record["id"], "length_km", message))


def read_services(
    path: Path,
    problems: list[Problem],
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    projects: dict[str, Project],
) -> pd.DataFrame:
    """``services.csv``: stop lists split, every stop checked to touch a link of the service's mode.

    Examples
    --------
    >>> from pxnet.network import bundled_data_path
    >>> folder, problems = bundled_data_path(), []
    >>> from pxnet.io._yaml import read_projects
    >>> from pxnet.parameters import Parameters
    >>> nodes, projects = read_nodes(folder / "nodes.csv", problems), read_projects(folder / "projects.yaml", problems)
    >>> links = read_links(folder / "links.csv", problems, nodes, projects, Parameters(), [])
    >>> services = read_services(folder / "services.csv", problems, nodes, links, projects)
    >>> "pingxiang_north" in services.at["changgan_pxb_szb", "stops"], problems
    (True, [])
    """
    rows, _ = read_csv(path, problems, required=SERVICE_COLUMNS, optional=SERVICE_OPTIONAL)
    return services_from_rows(rows, problems, nodes, links, projects, file=path.name)


def _service_stops(f: Fields, mode: str | None, nodes: pd.DataFrame, touching: dict[str, set[str]]) -> tuple[str, ...]:
    # The ``stops`` field of a service: at least two known, distinct stops, each on a link of the service's mode.
    stops_text = f.text("stops", required=True)
    stops = tuple(s.strip() for s in (stops_text or "").split(";") if s.strip())
    if stops_text is not None and len(stops) < 2:
        f.problem("stops", f"a service needs at least two stops, got {len(stops)}")
    for stop in stops:
        if stop not in nodes.index:
            f.problem("stops", f"unknown stop {stop!r}{did_you_mean(stop, nodes.index)}")
        elif mode is not None and mode not in touching.get(stop, set()):
            f.problem("stops", f"stop {stop!r} has no {mode} link")
    if len(set(stops)) != len(stops):
        f.problem("stops", "a stop appears twice")
    return stops


def _service_frequency(f: Fields) -> tuple[float | None, float | None]:
    # ``headway_min`` and ``trains_per_day``: exactly one of the two must be given.
    headway = f.number("headway_min", positive=True, limit=vocabulary.FIELD_LIMITS["services.headway_min"])
    per_day = f.number("trains_per_day", positive=True, limit=vocabulary.FIELD_LIMITS["services.trains_per_day"])
    headway_given = f.raw("headway_min") not in (None, "")
    per_day_given = f.raw("trains_per_day") not in (None, "")
    if headway is None and per_day is None and not headway_given and not per_day_given:
        f.problem("headway_min", "give headway_min or trains_per_day")
    if headway_given and per_day_given:
        f.problem("trains_per_day", "give headway_min or trains_per_day, not both (they would disagree)")
    return headway, per_day


def services_from_rows(
    rows: list[tuple[int, Row]],
    problems: list[Problem],
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    projects: dict[str, Project],
    *,
    file: str,
) -> pd.DataFrame:
    """Service rows checked by the rules of ``services.csv`` against ``nodes``, ``links`` and ``projects``."""
    touching: dict[str, set[str]] = {}
    for link in links.itertuples(index=False):
        for end in (link[1], link[2]):
            touching.setdefault(end, set()).add(link.mode)
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        f = Fields(file, line, row.get("id") or None, row, problems)
        service_id = f.ident("id")
        mode = f.choice("mode", vocabulary.SERVICE_MODES)
        stops = _service_stops(f, mode, nodes, touching)
        segment_min = _segment_minutes(f, len(stops))
        headway, per_day = _service_frequency(f)
        project = f.text("project")
        if project is not None and project not in projects:
            f.problem("project", f"unknown project {project!r}{did_you_mean(project, projects)}")
        record = {
            "id": service_id,
            "name": f.text("name", required=True),
            "mode": mode,
            "stops": stops,
            "headway_min": headway,
            "trains_per_day": per_day,
            "segment_min": segment_min,
            "bidirectional": f.boolean("bidirectional", default=True),
            "project": project,
            "status": f.choice("status", vocabulary.STATUSES),
            "open_date": f.date("open_date"),
            "source": f.text("source", required=True),
            "csv_line": line,
        }
        if duplicate(seen, f, service_id) or not f.ok:
            continue
        records.append(record)
    return _table(
        records,
        [
            "id",
            "name",
            "mode",
            "stops",
            "headway_min",
            "trains_per_day",
            "segment_min",
            "bidirectional",
            "project",
            "status",
            "open_date",
            "source",
            "csv_line",
        ],
    )


def _segment_minutes(f: Fields, n_stops: int) -> tuple[float | None, ...] | None:
    """``segment_min``: sourced minutes from each stop to the next (``;``-separated, blank = modelled)."""
    text = f.text("segment_min")
    if text is None:
        return None
    parts = [p.strip() for p in text.split(";")]
    if len(parts) != n_stops - 1:
        f.problem("segment_min", f"give one entry per pair of consecutive stops ({n_stops - 1}), got {len(parts)}")
        return None
    minutes: list[float | None] = []
    for k, part in enumerate(parts, start=1):
        if part == "":
            minutes.append(None)
            continue
        try:
            value = float(part)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or value <= 0 or vocabulary.FIELD_LIMITS["services.segment_min"].problem(value):
            limit = vocabulary.FIELD_LIMITS["services.segment_min"]
            f.problem(
                "segment_min",
                f"entry {k} must be a positive number of minutes or empty, got {part!r}"
                f" (allowed: {limit.low:g}..{limit.high:g})",
            )
            return None
        minutes.append(value)
    return tuple(minutes)


def read_observed(path: Path, problems: list[Problem], nodes: pd.DataFrame) -> pd.DataFrame:
    """Observed travel times (sourced run times) that the model is checked against; optional file."""
    columns = ["id", "from", "to", "mode", "minutes", "date", "note", "source", "csv_line"]
    if not path.is_file():
        return _table([], columns)
    rows, _ = read_csv(path, problems, required=OBSERVED_COLUMNS, optional=OBSERVED_OPTIONAL)
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        f = Fields(path.name, line, row.get("id") or None, row, problems)
        obs_id = f.ident("id")
        ends = {"from": f.text("from", required=True), "to": f.text("to", required=True)}
        record: dict[str, Any] = {
            "id": obs_id,
            **ends,
            "mode": f.choice("mode", vocabulary.TRIP_MODES),
            "minutes": f.number(
                "minutes", required=True, positive=True, limit=vocabulary.FIELD_LIMITS["observed_times.minutes"]
            ),
            "date": f.date("date"),
            "note": f.text("note") or "",
            "source": f.text("source", required=True),
            "csv_line": line,
        }
        for end, node in ends.items():
            if node is not None and node not in nodes.index:
                f.problem(end, f"unknown node {node!r}{did_you_mean(node, nodes.index)}")
        if duplicate(seen, f, obs_id) or not f.ok:
            continue
        records.append(record)
    return _table(records, columns)
