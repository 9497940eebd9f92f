"""Read and validate a pxnet data folder into tables (the data layer).

:func:`read_folder` checks every file, collects every problem, and raises one
:class:`~pxnet._errors.DataValidationError` listing them all (file, line, id, column, what is wrong).
Suspicious but legal data become :class:`~pxnet._errors.DataWarning` records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import schema
from ._errors import DataFileNotFoundError, DataValidationError, Problem
from .dates import PartialDate
from .geo import haversine_km
from .goalfile import Goal, parse_goals
from .model import Milestone, Project, ScenarioSpec, Upgrade
from .readers import Fields, read_csv, read_yaml
from .settings import PARAMETER_NAMES, Parameters

NODE_COLUMNS = ("id", "name_zh", "name_en", "kind", "lon", "lat", "source")
NODE_OPTIONAL = ("place", "admin_code", "population", "transfer_min", "note")
LINK_COLUMNS = ("id", "from", "to", "mode", "length_km", "status", "source")
LINK_OPTIONAL = ("speed_kph", "time_min", "oneway", "line", "project", "open_date", "note")
SERVICE_COLUMNS = ("id", "name", "mode", "stops", "status", "source")
OBSERVED_COLUMNS = ("id", "from", "to", "mode", "minutes", "source")
OBSERVED_OPTIONAL = ("date", "note")
SERVICE_OPTIONAL = ("headway_min", "trains_per_day", "bidirectional", "project", "open_date", "note")

# China's extent, to spot a lon/lat pair written the wrong way round.
_LON_BAND = (73.0, 136.0)
_LAT_BAND = (3.0, 54.0)


@dataclass
class NetworkData:
    """The validated contents of a data folder."""

    folder: Path
    nodes: pd.DataFrame
    links: pd.DataFrame
    services: pd.DataFrame
    projects: dict[str, Project]
    scenarios: dict[str, ScenarioSpec]
    goals: list[Goal]
    parameters: Parameters
    warnings: list[Problem] = field(default_factory=list)
    observed: pd.DataFrame = field(default_factory=pd.DataFrame)


def read_folder(folder: Path) -> NetworkData:
    """Read and validate every file of a data folder.

    Parameters
    ----------
    folder
        A folder holding ``nodes.csv``, ``links.csv``, ``services.csv``, ``projects.yaml`` and optionally
        ``scenarios.yaml``, ``goals.yaml``, ``parameters.yaml``.

    Returns
    -------
    NetworkData

    Raises
    ------
    DataFileNotFoundError
        If the folder or a required file is missing.
    DataValidationError
        Listing every problem found in every file.

    Examples
    --------
    >>> from pxnet.network import bundled_data_path
    >>> len(read_folder(bundled_data_path()).goals) > 0
    True
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataFileNotFoundError(f"data folder {str(folder)!r} does not exist or is not a folder")
    missing = [n for n in ("nodes.csv", "links.csv", "services.csv", "projects.yaml") if not (folder / n).is_file()]
    if missing:
        raise DataFileNotFoundError(f"data folder {str(folder)!r} lacks required file(s): {', '.join(missing)}")

    problems: list[Problem] = []
    warnings: list[Problem] = []
    parameters = _read_parameters(folder / "parameters.yaml", problems)
    projects = _read_projects(folder / "projects.yaml", problems)
    nodes = _read_nodes(folder / "nodes.csv", problems)
    links = _read_links(folder / "links.csv", problems, nodes, projects, parameters, warnings)
    services = _read_services(folder / "services.csv", problems, nodes, links, projects)
    _check_project_refs(projects, links, problems)
    scenarios = _read_scenarios(folder / "scenarios.yaml", problems, projects, links, services)
    goal_items = _read_goals(folder / "goals.yaml", problems)
    goals = parse_goals(goal_items, problems, nodes=nodes, projects=projects, scenario_names=set(scenarios))
    observed = _read_observed(folder / "observed_times.csv", problems, nodes)
    if problems:
        raise DataValidationError(problems, folder=str(folder))
    return NetworkData(folder, nodes, links, services, projects, scenarios, goals, parameters, warnings, observed)


def _duplicate(seen: dict[str, int], f: Fields, record: str | None) -> bool:
    if record is None:
        return False
    if record in seen:
        f.problem("id", f"duplicate id (first used on line {seen[record]})")
        return True
    seen[record] = f.line or 0
    return False


def _read_nodes(path: Path, problems: list[Problem]) -> pd.DataFrame:
    rows, _ = read_csv(path, problems, required=NODE_COLUMNS, optional=NODE_OPTIONAL)
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        f = Fields(path.name, line, row.get("id") or None, row, problems)
        node_id = f.ident("id")
        lon, lat = f.number("lon", required=True), f.number("lat", required=True)
        record: dict[str, Any] = {
            "id": node_id,
            "name_zh": f.text("name_zh", required=True),
            "name_en": f.text("name_en", required=True),
            "kind": f.choice("kind", schema.NODE_KINDS),
            "lon": lon,
            "lat": lat,
            "place": f.text("place"),
            "admin_code": f.text("admin_code"),
            "population": f.number("population", minimum=0),
            "transfer_min": f.number("transfer_min", minimum=0),
            "source": f.text("source", required=True),
            "line": line,
        }
        if lon is not None and lat is not None:
            swapped = _LAT_BAND[0] <= lon <= _LAT_BAND[1] and _LON_BAND[0] <= lat <= _LON_BAND[1]
            if swapped:
                f.problem("lat", f"lat {lat:g} / lon {lon:g} look swapped (lat must be the north coordinate)")
            elif not -90 <= lat <= 90:
                f.problem("lat", f"latitude {lat:g} is out of range -90..90")
            elif not -180 <= lon <= 180:
                f.problem("lon", f"longitude {lon:g} is out of range -180..180")
        if _duplicate(seen, f, node_id) or not f.ok:
            continue
        records.append(record)
    nodes = pd.DataFrame.from_records(
        records, columns=[*NODE_COLUMNS, "place", "admin_code", "population", "transfer_min", "line"]
    ).set_index("id", drop=False)
    nodes.index.name = None
    nodes["population"] = nodes["population"].astype("Int64")
    for line, row in rows:
        place = row.get("place") or ""
        if place and row.get("id") in nodes.index:
            if place not in nodes.index:
                problems.append(Problem(path.name, line, row["id"], "place", f"unknown node {place!r}"))
            elif nodes.at[place, "kind"] not in schema.PLACE_KINDS:
                problems.append(
                    Problem(
                        path.name, line, row["id"], "place", f"{place!r} is a {nodes.at[place, 'kind']}, not a place"
                    )
                )
    return nodes


def _read_links(
    path: Path,
    problems: list[Problem],
    nodes: pd.DataFrame,
    projects: dict[str, Project],
    parameters: Parameters,
    warnings: list[Problem],
) -> pd.DataFrame:
    rows, _ = read_csv(path, problems, required=LINK_COLUMNS, optional=LINK_OPTIONAL)
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        f = Fields(path.name, line, row.get("id") or None, row, problems)
        link_id = f.ident("id")
        record: dict[str, Any] = {
            "id": link_id,
            "from": f.text("from", required=True),
            "to": f.text("to", required=True),
            "mode": f.choice("mode", schema.LINK_MODES),
            "length_km": f.number("length_km", required=True, positive=True),
            "speed_kph": f.number("speed_kph", positive=True),
            "time_min": f.number("time_min", positive=True),
            "oneway": f.boolean("oneway"),
            "line_name": f.text("line") or "",
            "project": f.text("project"),
            "status": f.choice("status", schema.STATUSES),
            "open_date": f.date("open_date"),
            "source": f.text("source", required=True),
            "line": line,
        }
        for end in ("from", "to"):
            if record[end] is not None and record[end] not in nodes.index:
                f.problem(end, f"link to unknown node {record[end]!r}{_suggest(record[end], nodes.index)}")
        if record["from"] is not None and record["from"] == record["to"]:
            f.problem("to", "a link must join two different nodes")
        if record["project"] is not None and record["project"] not in projects:
            f.problem("project", f"unknown project {record['project']!r}{_suggest(record['project'], projects)}")
        if _duplicate(seen, f, link_id) or not f.ok:
            continue
        _check_length(record, nodes, parameters, warnings, path.name)
        records.append(record)
    links = pd.DataFrame.from_records(
        records,
        columns=[
            "id",
            "from",
            "to",
            "mode",
            "length_km",
            "speed_kph",
            "time_min",
            "oneway",
            "line_name",
            "project",
            "status",
            "open_date",
            "source",
            "line",
        ],
    ).set_index("id", drop=False)
    links.index.name = None
    return links


def _check_length(
    record: dict[str, Any], nodes: pd.DataFrame, parameters: Parameters, warnings: list[Problem], file: str
) -> None:
    a, b = nodes.loc[record["from"]], nodes.loc[record["to"]]
    crow = haversine_km(a["lon"], a["lat"], b["lon"], b["lat"])
    length = record["length_km"]
    # 2 % slack absorbs rounding and the size of a station or town.
    if length < crow * 0.98 - 0.5:
        warnings.append(
            Problem(
                file,
                record["line"],
                record["id"],
                "length_km",
                f"length {length:g} km is shorter than the straight-line distance {crow:.1f} km",
            )
        )
    elif crow > 1.0 and length > crow * parameters.detour_factor_max:
        warnings.append(
            Problem(
                file,
                record["line"],
                record["id"],
                "length_km",
                f"length {length:g} km is {length / crow:.1f}x the straight-line distance {crow:.1f} km "
                f"(more than detour_factor_max {parameters.detour_factor_max:g})",
            )
        )


def _read_services(
    path: Path,
    problems: list[Problem],
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    projects: dict[str, Project],
) -> pd.DataFrame:
    rows, _ = read_csv(path, problems, required=SERVICE_COLUMNS, optional=SERVICE_OPTIONAL)
    touching: dict[str, set[str]] = {}
    for link in links.itertuples(index=False):
        for end in (link[1], link[2]):
            touching.setdefault(end, set()).add(link.mode)
    records: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        f = Fields(path.name, line, row.get("id") or None, row, problems)
        service_id = f.ident("id")
        mode = f.choice("mode", schema.SERVICE_MODES)
        stops_text = f.text("stops", required=True)
        stops = tuple(s.strip() for s in (stops_text or "").split(";") if s.strip())
        if stops_text is not None and len(stops) < 2:
            f.problem("stops", f"a service needs at least two stops, got {len(stops)}")
        for stop in stops:
            if stop not in nodes.index:
                f.problem("stops", f"unknown stop {stop!r}{_suggest(stop, nodes.index)}")
            elif mode is not None and mode not in touching.get(stop, set()):
                f.problem("stops", f"stop {stop!r} has no {mode} link")
        if len(set(stops)) != len(stops):
            f.problem("stops", "a stop appears twice")
        headway = f.number("headway_min", positive=True)
        per_day = f.number("trains_per_day", positive=True)
        if (
            headway is None
            and per_day is None
            and f.raw("headway_min") in (None, "")
            and f.raw("trains_per_day") in (None, "")
        ):
            f.problem("headway_min", "give headway_min or trains_per_day")
        project = f.text("project")
        if project is not None and project not in projects:
            f.problem("project", f"unknown project {project!r}{_suggest(project, projects)}")
        record = {
            "id": service_id,
            "name": f.text("name", required=True),
            "mode": mode,
            "stops": stops,
            "headway_min": headway,
            "trains_per_day": per_day,
            "bidirectional": f.boolean("bidirectional", default=True),
            "project": project,
            "status": f.choice("status", schema.STATUSES),
            "open_date": f.date("open_date"),
            "source": f.text("source", required=True),
            "line": line,
        }
        if _duplicate(seen, f, service_id) or not f.ok:
            continue
        records.append(record)
    services = pd.DataFrame.from_records(
        records,
        columns=[
            "id",
            "name",
            "mode",
            "stops",
            "headway_min",
            "trains_per_day",
            "bidirectional",
            "project",
            "status",
            "open_date",
            "source",
            "line",
        ],
    ).set_index("id", drop=False)
    services.index.name = None
    return services


def _read_observed(path: Path, problems: list[Problem], nodes: pd.DataFrame) -> pd.DataFrame:
    """Observed travel times (sourced run times) that the model is checked against; optional file."""
    columns = ["id", "from", "to", "mode", "minutes", "date", "note", "source", "line"]
    if not path.is_file():
        return pd.DataFrame(columns=columns).set_index("id", drop=False)
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
            "mode": f.choice("mode", ("hsr", "rail", "road", "door_to_door")),
            "minutes": f.number("minutes", required=True, positive=True),
            "date": f.date("date"),
            "note": f.text("note") or "",
            "source": f.text("source", required=True),
            "line": line,
        }
        for end, node in ends.items():
            if node is not None and node not in nodes.index:
                f.problem(end, f"unknown node {node!r}{_suggest(node, nodes.index)}")
        if _duplicate(seen, f, obs_id) or not f.ok:
            continue
        records.append(record)
    observed = pd.DataFrame.from_records(records, columns=columns).set_index("id", drop=False)
    observed.index.name = None
    return observed


def _mapping_list(data: Any, file: str, what: str, problems: list[Problem]) -> list[dict[str, Any]]:
    if data is None:
        return []
    if not isinstance(data, list):
        problems.append(Problem(file, 1, None, None, f"expected a list of {what}, got {type(data).__name__}"))
        return []
    out = []
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            problems.append(Problem(file, None, None, None, f"item {i + 1} is not a mapping of keys to values"))
            continue
        out.append(item)
    return out


def _unknown_keys(f: Fields, item: dict[str, Any], allowed: set[str]) -> None:
    for key in item:
        if key != "__line__" and key not in allowed:
            f.problem(str(key), f"unknown key{_suggest(str(key), allowed)}")


def _read_projects(path: Path, problems: list[Problem]) -> dict[str, Project]:
    items = _mapping_list(read_yaml(path, problems), path.name, "projects", problems)
    projects: dict[str, Project] = {}
    seen: dict[str, int] = {}
    allowed = {
        "id",
        "name_zh",
        "name_en",
        "category",
        "source",
        "plan_clause",
        "plan_targets",
        "milestones",
        "upgrades",
        "closes",
        "members",
        "notes",
    }
    for item in items:
        f = Fields(path.name, item.get("__line__"), str(item.get("id") or "") or None, item, problems)
        _unknown_keys(f, item, allowed)
        project_id = f.ident("id")
        targets: dict[str, PartialDate] = {}
        raw_targets = item.get("plan_targets") or {}
        if not isinstance(raw_targets, dict):
            f.problem("plan_targets", "must be a mapping of event to date")
            raw_targets = {}
        for key, value in raw_targets.items():
            if key == "__line__":
                continue
            if key not in schema.TARGET_EVENTS:
                f.problem(f"plan_targets.{key}", f"unknown target; allowed: {', '.join(sorted(schema.TARGET_EVENTS))}")
                continue
            try:
                targets[key] = PartialDate.parse(value)
            except ValueError as exc:
                f.problem(f"plan_targets.{key}", f"unparsable date: {exc}")
        milestones = []
        for m in _sublist(f, item, "milestones"):
            mf = Fields(path.name, m.get("__line__"), f.record, m, problems)
            event = mf.choice("event", schema.MILESTONE_EVENTS)
            date = mf.date("date", required=True)
            source = mf.text("source", required=True)
            _unknown_keys(mf, m, {"event", "date", "source", "note"})
            if mf.ok and event and date and source:
                milestones.append(Milestone(event, date, source, str(m.get("note") or "")))
            else:
                f.ok = False
        upgrades = []
        for u in _sublist(f, item, "upgrades"):
            uf = Fields(path.name, u.get("__line__"), f.record, u, problems)
            link = uf.text("link", required=True)
            speed = uf.number("speed_kph", positive=True)
            time = uf.number("time_min", positive=True)
            if speed is None and time is None and uf.ok:
                uf.problem("speed_kph", "an upgrade needs speed_kph or time_min")
            if uf.ok and link:
                upgrades.append(Upgrade(link, speed, time))
            else:
                f.ok = False
        project = Project(
            id=project_id or "",
            name_zh=f.text("name_zh", required=True) or "",
            name_en=f.text("name_en", required=True) or "",
            category=f.choice("category", schema.PROJECT_CATEGORIES) or "",
            source=f.text("source", required=True) or "",
            plan_clause=f.text("plan_clause") or "",
            plan_targets=targets,
            milestones=tuple(milestones),
            upgrades=tuple(upgrades),
            closes=tuple(str(x) for x in _strings(f, item, "closes")),
            members=tuple(str(x) for x in _strings(f, item, "members")),
            notes=f.text("notes") or "",
        )
        if _duplicate(seen, f, project_id) or not f.ok:
            continue
        projects[project.id] = project
    return projects


def _sublist(f: Fields, item: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        f.problem(key, "must be a list of mappings")
        return []
    return value


def _strings(f: Fields, item: dict[str, Any], key: str) -> list[str]:
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        f.problem(key, "must be a list of ids")
        return []
    return value


def _check_project_refs(projects: dict[str, Project], links: pd.DataFrame, problems: list[Problem]) -> None:
    for p in projects.values():
        for u in p.upgrades:
            if u.link not in links.index:
                problems.append(
                    Problem(
                        "projects.yaml",
                        None,
                        p.id,
                        "upgrades",
                        f"project names unknown link {u.link!r}{_suggest(u.link, links.index)}",
                    )
                )
        for link in p.closes:
            if link not in links.index:
                problems.append(
                    Problem(
                        "projects.yaml",
                        None,
                        p.id,
                        "closes",
                        f"project names unknown link {link!r}{_suggest(link, links.index)}",
                    )
                )
        for member in p.members:
            if member not in projects:
                problems.append(
                    Problem(
                        "projects.yaml",
                        None,
                        p.id,
                        "members",
                        f"unknown project {member!r}{_suggest(member, projects)}",
                    )
                )


def _read_scenarios(
    path: Path,
    problems: list[Problem],
    projects: dict[str, Project],
    links: pd.DataFrame,
    services: pd.DataFrame,
) -> dict[str, ScenarioSpec]:
    if not path.is_file():
        return {}
    items = _mapping_list(read_yaml(path, problems), path.name, "scenarios", problems)
    out: dict[str, ScenarioSpec] = {}
    for item in items:
        f = Fields(path.name, item.get("__line__"), str(item.get("name") or "") or None, item, problems)
        _unknown_keys(f, item, {"name", "date", "basis", "description", "enable", "disable", "overrides", "source"})
        name = f.text("name", required=True)
        date = f.date("date", required=True)
        basis = f.choice("basis", schema.BASES, required=False) or "actual"
        switches = {}
        for key in ("enable", "disable"):
            ids = _strings(f, item, key)
            for pid in ids:
                if pid not in projects:
                    f.problem(key, f"scenario names unknown project {pid!r}{_suggest(pid, projects)}")
            switches[key] = frozenset(ids)
        overrides = item.get("overrides") or {}
        if not isinstance(overrides, dict):
            f.problem("overrides", "must be a mapping")
            overrides = {}
        _unknown_keys(f, overrides, {"link_speed_kph", "link_time_min", "service_headway_min", "closed_links"})
        maps: dict[str, dict[str, float]] = {}
        for key, table in (
            ("link_speed_kph", links.index),
            ("link_time_min", links.index),
            ("service_headway_min", services.index),
        ):
            values = overrides.get(key) or {}
            maps[key] = {}
            if not isinstance(values, dict):
                f.problem(f"overrides.{key}", "must be a mapping of id to number")
                continue
            for rid, value in values.items():
                if rid == "__line__":
                    continue
                if rid not in table:
                    f.problem(f"overrides.{key}", f"unknown id {rid!r}{_suggest(str(rid), table)}")
                elif isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                    f.problem(f"overrides.{key}", f"{rid}: {value!r} must be a positive number")
                else:
                    maps[key][str(rid)] = float(value)
        closed = overrides.get("closed_links") or []
        if not isinstance(closed, list):
            f.problem("overrides.closed_links", "must be a list of link ids")
            closed = []
        for link in closed:
            if link not in links.index:
                f.problem("overrides.closed_links", f"unknown link {link!r}{_suggest(str(link), links.index)}")
        if name in out:
            f.problem("name", "duplicate scenario name")
        if not f.ok or name is None or date is None:
            continue
        out[name] = ScenarioSpec(
            name=name,
            date=date.end,
            basis=basis,
            description=f.text("description") or "",
            enable=switches["enable"],
            disable=switches["disable"],
            link_speed_kph=maps["link_speed_kph"],
            link_time_min=maps["link_time_min"],
            service_headway_min=maps["service_headway_min"],
            closed_links=frozenset(closed),
        )
    return out


def _read_goals(path: Path, problems: list[Problem]) -> list[dict[str, Any]]:
    if not path.is_file():
        return []
    return _mapping_list(read_yaml(path, problems), path.name, "goals", problems)


def _read_parameters(path: Path, problems: list[Problem]) -> Parameters:
    defaults = Parameters()
    if not path.is_file():
        return defaults
    data = read_yaml(path, problems)
    if data is None:
        return defaults
    if not isinstance(data, dict):
        problems.append(
            Problem(path.name, 1, None, None, "expected a mapping of parameter name to {value, unit, source}")
        )
        return defaults
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for name, entry in data.items():
        if name == "__line__":
            continue
        line = entry.get("__line__") if isinstance(entry, dict) else None
        f = Fields(path.name, line, str(name), entry if isinstance(entry, dict) else {}, problems)
        if name not in PARAMETER_NAMES:
            f.problem(None, f"unknown parameter{_suggest(str(name), PARAMETER_NAMES)}")
            continue
        if not isinstance(entry, dict):
            f.problem(None, "expected a mapping with value, unit and source")
            continue
        source = f.text("source", required=True)
        raw = entry.get("value")
        if name == "speed_kph":
            if not isinstance(raw, dict):
                f.problem("value", "speed_kph needs a mapping of link mode to km/h")
                continue
            speeds = {}
            for mode, speed in raw.items():
                if mode == "__line__":
                    continue
                if mode not in schema.LINK_MODES:
                    f.problem("value", f"unknown link mode {mode!r}")
                elif isinstance(speed, bool) or not isinstance(speed, (int, float)) or speed <= 0:
                    f.problem("value", f"speed for {mode!r} must be a positive number, got {speed!r}")
                else:
                    speeds[str(mode)] = float(speed)
            values[name] = speeds
        else:
            number = f.number("value", required=True, minimum=0)
            if number is not None:
                values[str(name)] = number
        if source:
            sources[str(name)] = source
    return defaults.with_overrides(**values, sources=sources)


def _suggest(value: str | None, known: Any) -> str:
    import difflib

    if not value:
        return ""
    close = difflib.get_close_matches(str(value), [str(k) for k in known], n=3, cutoff=0.6)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
