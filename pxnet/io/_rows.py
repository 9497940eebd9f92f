"""Records given in code, checked by the rules of the data files with the same messages.

The records are scenario overrides and added nodes, links, services or a project; a problem names the addition
(``links[0]``) and its field.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any, NamedTuple

import pandas as pd

from .. import vocabulary
from ..errors import AdditionError, Problem
from ..model import Project
from ..vocabulary import did_you_mean
from ._csv import (
    LINK_COLUMNS,
    LINK_OPTIONAL,
    NODE_COLUMNS,
    NODE_OPTIONAL,
    SERVICE_COLUMNS,
    SERVICE_OPTIONAL,
    links_from_rows,
    nodes_from_rows,
    services_from_rows,
)
from ._readers import Fields, Row
from ._yaml import projects_from_items

if TYPE_CHECKING:
    from ._folder import NetworkData

#: The keys an added node, link or service may have: the columns of its data file.
ADDITION_KEYS: dict[str, tuple[str, ...]] = {
    "nodes": (*NODE_COLUMNS, *NODE_OPTIONAL),
    "links": (*LINK_COLUMNS, *LINK_OPTIONAL),
    "services": (*SERVICE_COLUMNS, *SERVICE_OPTIONAL),
}
#: What each scenario override holds, checked by the rule of the data file column it replaces.
_OVERRIDE_COLUMNS = {"link_speed_kph": "speed_kph", "link_time_min": "time_min", "service_headway_min": "headway_min"}


class Additions(NamedTuple):
    """Validated additions: new rows of the node, link and service tables, and the project they belong to."""

    nodes: pd.DataFrame
    links: pd.DataFrame
    services: pd.DataFrame
    project: Project | None
    warnings: list[Problem]


def cell(value: Any) -> str:
    """Return a value given in code as the text a CSV cell would hold (lists become ``;``-separated).

    Examples
    --------
    >>> cell(["a", "b"]), cell(True), cell(None), cell(250)
    ('a;b', 'true', '', '250')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(cell(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def override_problems_in(
    overrides: Mapping[str, Any], *, links: Iterable[str], services: Iterable[str], label: str
) -> list[Problem]:
    """Problems with scenario overrides: each value checked by the rule of the column it replaces.

    ``link_speed_kph`` and ``link_time_min`` values follow ``links.csv``'s ``speed_kph`` and ``time_min``,
    ``service_headway_min`` follows ``services.csv``'s ``headway_min``; ids must exist.

    Examples
    --------
    >>> [str(p) for p in override_problems_in({"link_speed_kph": {"a": -5}}, links=["a"], services=[], label="s")]
    ["s, id 'a', column 'link_speed_kph': '-5' must be greater than zero"]
    """
    problems: list[Problem] = []
    known = {"link_speed_kph": set(links), "link_time_min": set(links), "service_headway_min": set(services)}
    for key, column in _OVERRIDE_COLUMNS.items():
        values = overrides.get(key)
        if values is None:
            continue
        if not isinstance(values, Mapping):
            problems.append(Problem(label, None, None, key, "must be a mapping of id to number"))
            continue
        for rid, value in values.items():
            if rid not in known[key]:
                kind = "service" if key.startswith("service") else "link"
                hint = did_you_mean(str(rid), known[key])
                problems.append(Problem(label, None, str(rid), key, f"unknown {kind} {rid!r}{hint}"))
                continue
            found: list[Problem] = []
            Fields(label, None, str(rid), {column: cell(value)}, found).number(column, required=True, positive=True)
            problems.extend(replace(p, column=key) for p in found)
    return problems


def check_additions(
    *,
    label: str,
    nodes: Iterable[Mapping[str, Any]] = (),
    links: Iterable[Mapping[str, Any]] = (),
    services: Iterable[Mapping[str, Any]] = (),
    project: Mapping[str, Any] | None = None,
    base: NetworkData,
) -> Additions:
    """Check records added to a network by the rules of its data files.

    Parameters
    ----------
    label
        What the additions are called in messages (e.g. ``"card 'lianhua_spur'"``).
    nodes, links, services
        Mappings with the columns of ``nodes.csv``, ``links.csv``, ``services.csv`` (``stops`` and
        ``segment_min`` may be lists).
    project
        A mapping with the keys of a ``projects.yaml`` entry, or ``None``.
    base
        The data of the network added to (``Network.data``): new ids must not be taken, references may name
        its records, and its parameters bound the added values.

    Returns
    -------
    Additions

    Raises
    ------
    AdditionError
        Listing every problem: which addition (``links[0]``), its id, the field, and the data files' message.
    """
    problems: list[Problem] = []
    warnings: list[Problem] = []
    base_nodes, base_links, base_services, base_projects = base.nodes, base.links, base.services, base.projects
    projects = dict(base_projects)
    new_project = _added_project(project, base_projects, projects, problems)
    given = {"nodes": list(nodes), "links": list(links), "services": list(services)}
    tables = {table: _addition_rows(table, records, new_project, problems) for table, records in given.items()}
    new_nodes = nodes_from_rows(tables["nodes"], problems, file="nodes", known=base_nodes)
    _taken(tables["nodes"], base_nodes, "nodes.csv", problems, "nodes")
    every_node = pd.concat([base_nodes, new_nodes]) if len(new_nodes) else base_nodes
    parameters = base.parameters
    new_links = links_from_rows(tables["links"], problems, every_node, projects, parameters, warnings, file="links")
    _taken(tables["links"], base_links, "links.csv", problems, "links")
    every_link = pd.concat([base_links, new_links]) if len(new_links) else base_links
    new_services = services_from_rows(tables["services"], problems, every_node, every_link, projects, file="services")
    _taken(tables["services"], base_services, "services.csv", problems, "services")
    if new_project is not None:
        _project_refs(new_project, every_link, projects, problems)
    for line, row in tables["services"]:
        _track_problems(line, row, every_link, problems)
    if problems:
        raise AdditionError([_named(p, label) for p in problems], label=label)
    return Additions(new_nodes, new_links, new_services, new_project, [_named(w, label) for w in warnings])


def _added_project(
    project: Mapping[str, Any] | None,
    base_projects: Mapping[str, Project],
    projects: dict[str, Project],
    problems: list[Problem],
) -> Project | None:
    # The added project checked as a projects.yaml entry, and put into ``projects`` for references to it.
    if project is None:
        return None
    new_project: Project | None = None
    found = projects_from_items([{**project, "__line__": None}], problems, file="project")
    for pid, record in found.items():
        if pid in base_projects:
            problems.append(Problem("project", None, pid, "id", "the network already has a project of this id"))
        new_project = record
        projects[pid] = record
    return new_project


def _addition_rows(
    table: str, records: list[Any], new_project: Project | None, problems: list[Problem]
) -> list[tuple[int, Row]]:
    # Added records as the rows of a data file (numbered from 1); a link or service without a project
    # belongs to the added project.
    allowed = ADDITION_KEYS[table]
    rows: list[tuple[int, Row]] = []
    for i, item in enumerate(records):
        if not isinstance(item, Mapping):
            problems.append(Problem(table, i + 1, None, None, "is not a mapping of field to value"))
            continue
        rid = str(item.get("id") or "") or None
        for key in item:
            if key not in allowed:
                problems.append(Problem(table, i + 1, rid, str(key), f"unknown field{did_you_mean(str(key), allowed)}"))
        row = {k: cell(v) for k, v in item.items() if k in allowed}
        if new_project is not None and table != "nodes" and not row.get("project"):
            row["project"] = new_project.id
        rows.append((i + 1, row))
    return rows


def _taken(rows: list[tuple[int, Row]], base: pd.DataFrame, file: str, problems: list[Problem], table: str) -> None:
    for line, row in rows:
        rid = row.get("id") or ""
        if rid and rid in base.index:
            where = base.at[rid, "line"] if "line" in base.columns else None
            at = f" (line {where})" if isinstance(where, (int, float)) and where == where else ""
            problems.append(Problem(table, line, rid, "id", f"the network's {file} already has this id{at}"))


def _project_refs(
    project: Project, links: pd.DataFrame, projects: Mapping[str, Project], problems: list[Problem]
) -> None:
    for key, ids in (("upgrades", [u.link for u in project.upgrades]), ("closes", list(project.closes))):
        for link in ids:
            if link not in links.index:
                message = f"project names unknown link {link!r}{did_you_mean(link, links.index)}"
                problems.append(Problem("project", None, project.id, key, message))
    for member in project.members:
        if member not in projects:
            problems.append(Problem("project", None, project.id, "members", f"unknown project {member!r}"))


def _track_problems(line: int, row: Row, links: pd.DataFrame, problems: list[Problem]) -> None:
    """Check that a service has track of its mode between each pair of consecutive stops (any link status)."""
    mode = row.get("mode", "")
    if mode not in vocabulary.SERVICE_MODES:
        return
    allowed = {"hsr"} if mode == "hsr" else {"hsr", "rail"}
    usable = links[links["mode"].isin(allowed)]
    adjacent: dict[str, set[str]] = {}
    for a, b, one in zip(usable["from"], usable["to"], usable["oneway"], strict=True):
        adjacent.setdefault(a, set()).add(b)
        if not one:
            adjacent.setdefault(b, set()).add(a)
    ends = set(usable["from"]) | set(usable["to"])
    stops = [s.strip() for s in row.get("stops", "").split(";") if s.strip()]
    for a, b in itertools.pairwise(stops):
        if a not in ends or b not in ends:
            continue  # unknown stops, or stops without such track at all, get the services.csv rules' message
        seen, todo = {a}, [a]
        while todo:
            for nxt in adjacent.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        if b not in seen:
            runs_on = "/".join(sorted(allowed))
            message = f"no {mode} track from stop {a!r} to stop {b!r} (a {mode} service runs on {runs_on} links)"
            problems.append(Problem("services", line, row.get("id") or None, "stops", message))


def _named(problem: Problem, label: str) -> Problem:
    """Restate the problem as it concerns an addition: ``<label> links[0]`` instead of a file and line."""
    where = problem.file if problem.line is None else f"{problem.file}[{problem.line - 1}]"
    return Problem(f"{label} {where}" if label else where, None, problem.record, problem.column, problem.message)
