"""The YAML files of a data folder: projects, scenarios, goals and parameters, validated key by key."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from .. import vocabulary
from ..dates import PartialDate
from ..errors import Problem
from ..model import Milestone, Project, ScenarioSpec, Upgrade
from ..parameters import PARAMETER_LIMITS, PARAMETER_NAMES, Parameters, limit_problem, override_problems
from ..vocabulary import did_you_mean
from ._readers import Fields, duplicate, read_yaml

#: A container a YAML field must hold (:func:`_given`).
_Given = TypeVar("_Given", dict[str, Any], list[Any])
#: What a YAML list must hold (:func:`_list_of`).
_Item = TypeVar("_Item")

#: The keys of a ``projects.yaml`` entry, in the order a written entry (or card) lists them; ``opening`` is the
#: opening-date distribution, read by :func:`pxnet.io.load_uncertainty`.
PROJECT_FILE_KEYS = (
    "id",
    "name_zh",
    "name_en",
    "category",
    "source",
    "plan_clause",
    "plan_targets",
    "milestones",
    "closes",
    "upgrades",
    "members",
    "notes",
    "opening",
)


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
            f.problem(str(key), f"unknown key{did_you_mean(str(key), allowed)}")


def read_projects(path: Path, problems: list[Problem]) -> dict[str, Project]:
    """``projects.yaml`` as :class:`~pxnet.model.Project` records by id.

    Examples
    --------
    >>> from pxnet.network import bundled_data_path
    >>> folder, problems = bundled_data_path(), []
    >>> str(read_projects(folder / "projects.yaml", problems)["pinglian_expressway"].plan_targets["open"])
    '2021'
    """
    items = _mapping_list(read_yaml(path, problems), path.name, "projects", problems)
    return projects_from_items(items, problems, file=path.name)


def _given(f: Fields, value: Any, kind: type[_Given], field: str, message: str) -> _Given:
    """Return ``value`` if it is a ``kind`` (an empty one when nothing is given); else a problem of ``field``."""
    if isinstance(value, kind):
        return value
    if value:
        f.problem(field, message)
    return kind()


def _plan_targets(f: Fields, item: dict[str, Any]) -> dict[str, PartialDate]:
    # A project's ``plan_targets``: event to date, for the events of vocabulary.TARGET_EVENTS.
    targets: dict[str, PartialDate] = {}
    raw_targets = _given(f, item.get("plan_targets"), dict, "plan_targets", "must be a mapping of event to date")
    for key, value in raw_targets.items():
        if key == "__line__":
            continue
        if key not in vocabulary.TARGET_EVENTS:
            f.problem(f"plan_targets.{key}", f"unknown target; allowed: {', '.join(sorted(vocabulary.TARGET_EVENTS))}")
            continue
        try:
            targets[key] = PartialDate.parse(value)
        except ValueError as exc:
            f.problem(f"plan_targets.{key}", f"unparsable date: {exc}")
    return targets


def _milestones(f: Fields, item: dict[str, Any], file: str, problems: list[Problem]) -> list[Milestone]:
    # A project's valid milestones; an invalid one marks the project as not ok.
    milestones = []
    for m in _sublist(f, item, "milestones"):
        mf = Fields(file, m.get("__line__"), f.record, m, problems)
        event = mf.choice("event", vocabulary.MILESTONE_EVENTS)
        date = mf.date("date", required=True)
        source = mf.text("source", required=True)
        _unknown_keys(mf, m, {"event", "date", "source", "note"})
        if mf.ok and event and date and source:
            milestones.append(Milestone(event, date, source, str(m.get("note") or "")))
        else:
            f.ok = False
    return milestones


def _upgrades(f: Fields, item: dict[str, Any], file: str, problems: list[Problem]) -> list[Upgrade]:
    # A project's valid link upgrades (a new speed or time); an invalid one marks the project as not ok.
    upgrades = []
    for u in _sublist(f, item, "upgrades"):
        uf = Fields(file, u.get("__line__"), f.record, u, problems)
        link = uf.text("link", required=True)
        speed = uf.number("speed_kph", positive=True, limit=vocabulary.FIELD_LIMITS["projects.upgrades.speed_kph"])
        time = uf.number("time_min", positive=True, limit=vocabulary.FIELD_LIMITS["projects.upgrades.time_min"])
        if speed is None and time is None and uf.ok:
            uf.problem("speed_kph", "an upgrade needs speed_kph or time_min")
        if uf.ok and link:
            upgrades.append(Upgrade(link, speed, time))
        else:
            f.ok = False
    return upgrades


def projects_from_items(items: list[dict[str, Any]], problems: list[Problem], *, file: str) -> dict[str, Project]:
    """Project mappings (as parsed from YAML) checked by the rules of ``projects.yaml``."""
    projects: dict[str, Project] = {}
    seen: dict[str, int] = {}
    allowed = set(PROJECT_FILE_KEYS)
    for item in items:
        f = Fields(file, item.get("__line__"), str(item.get("id") or "") or None, item, problems)
        _unknown_keys(f, item, allowed)
        project_id = f.ident("id")
        targets = _plan_targets(f, item)
        milestones = _milestones(f, item, file, problems)
        upgrades = _upgrades(f, item, file, problems)
        project = Project(
            id=project_id or "",
            name_zh=f.text("name_zh", required=True) or "",
            name_en=f.text("name_en", required=True) or "",
            category=f.choice("category", vocabulary.PROJECT_CATEGORIES) or "",
            source=f.text("source", required=True) or "",
            plan_clause=f.text("plan_clause") or "",
            plan_targets=targets,
            milestones=tuple(milestones),
            upgrades=tuple(upgrades),
            closes=tuple(str(x) for x in _strings(f, item, "closes")),
            members=tuple(str(x) for x in _strings(f, item, "members")),
            notes=f.text("notes") or "",
        )
        if duplicate(seen, f, project_id) or not f.ok:
            continue
        projects[project.id] = project
    return projects


def _list_of(f: Fields, item: dict[str, Any], key: str, kind: type[_Item], what: str) -> list[_Item]:
    """Return ``item[key]``, a list of ``kind`` (empty when not given); else a problem naming ``what`` it holds."""
    value = item.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, kind) for v in value):
        f.problem(key, f"must be a list of {what}")
        return []
    return value


def _sublist(f: Fields, item: dict[str, Any], key: str) -> list[dict[str, Any]]:
    return _list_of(f, item, key, dict, "mappings")


def _strings(f: Fields, item: dict[str, Any], key: str) -> list[str]:
    return _list_of(f, item, key, str, "ids")


def check_project_refs(projects: dict[str, Project], links: pd.DataFrame, problems: list[Problem]) -> None:
    """Record a problem for each link or member project that a project names but the data lack.

    Examples
    --------
    >>> import pandas as pd
    >>> from pxnet.model import Project
    >>> problems = []
    >>> check_project_refs({"p": Project("p", "甲", "P", "road", "x", closes=("nope",))}, pd.DataFrame(), problems)
    >>> problems[0].message
    "project names unknown link 'nope'"
    """
    for p in projects.values():
        for u in p.upgrades:
            if u.link not in links.index:
                problems.append(
                    Problem(
                        "projects.yaml",
                        None,
                        p.id,
                        "upgrades",
                        f"project names unknown link {u.link!r}{did_you_mean(u.link, links.index)}",
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
                        f"project names unknown link {link!r}{did_you_mean(link, links.index)}",
                    )
                )
        for member in p.members:
            if member == p.id:
                continue  # reported as a cycle below
            if member not in projects:
                problems.append(
                    Problem(
                        "projects.yaml",
                        None,
                        p.id,
                        "members",
                        f"unknown project {member!r}{did_you_mean(member, projects)}",
                    )
                )
    for cycle in _member_cycles(projects):
        problems.append(
            Problem(
                "projects.yaml",
                None,
                cycle[0],
                "members",
                f"members form a cycle: {' → '.join(cycle)} (a project cannot contain itself)",
            )
        )


def _member_cycles(projects: dict[str, Project]) -> list[list[str]]:
    """Each cycle of ``members`` (a project that contains itself, directly or through others), once."""
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(pid: str, path: list[str]) -> None:
        state[pid] = 1
        for member in projects[pid].members:
            if member not in projects:
                continue
            if state.get(member) == 1:
                cycles.append([*path[path.index(member) :], member])
            elif member not in state:
                visit(member, [*path, member])
        state[pid] = 2

    for pid in projects:
        if pid not in state:
            visit(pid, [pid])
    return cycles


def _scenario_switches(f: Fields, item: dict[str, Any], projects: dict[str, Project]) -> dict[str, frozenset[str]]:
    # A scenario's ``enable`` and ``disable`` lists of known projects.
    switches = {}
    for key in ("enable", "disable"):
        ids = _strings(f, item, key)
        for pid in ids:
            if pid not in projects:
                f.problem(key, f"scenario names unknown project {pid!r}{did_you_mean(pid, projects)}")
        switches[key] = frozenset(ids)
    return switches


def _scenario_overrides(f: Fields, item: dict[str, Any]) -> dict[str, Any]:
    # A scenario's ``overrides`` mapping, its keys checked.
    overrides = _given(f, item.get("overrides"), dict, "overrides", "must be a mapping")
    _unknown_keys(
        f, overrides, {"link_speed_kph", "link_time_min", "service_headway_min", "closed_links", "parameters"}
    )
    return overrides


def _parameter_overrides(f: Fields, overrides: dict[str, Any]) -> dict[str, Any]:
    # ``overrides.parameters``: parameter name to value, checked by the parameters' own rules.
    parameters = _given(
        f, overrides.get("parameters"), dict, "overrides.parameters", "must be a mapping of parameter name to value"
    )
    for message in override_problems(parameters):
        f.problem("overrides.parameters", message)
    return parameters


def _value_overrides(
    f: Fields, overrides: dict[str, Any], links: pd.DataFrame, services: pd.DataFrame
) -> dict[str, dict[str, float]]:
    # The per-record overrides (link speeds and times, service headways): known id to positive number.
    maps: dict[str, dict[str, float]] = {}
    for key, table in (
        ("link_speed_kph", links.index),
        ("link_time_min", links.index),
        ("service_headway_min", services.index),
    ):
        maps[key] = {}
        values = _given(f, overrides.get(key), dict, f"overrides.{key}", "must be a mapping of id to number")
        for rid, value in values.items():
            if rid == "__line__":
                continue
            if rid not in table:
                f.problem(f"overrides.{key}", f"unknown id {rid!r}{did_you_mean(str(rid), table)}")
            elif isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                f.problem(f"overrides.{key}", f"{rid}: {value!r} must be a positive number")
            else:
                maps[key][str(rid)] = float(value)
    return maps


def _closed_links(f: Fields, overrides: dict[str, Any], links: pd.DataFrame) -> list[Any]:
    # ``overrides.closed_links``: a list of known link ids.
    closed = _given(f, overrides.get("closed_links"), list, "overrides.closed_links", "must be a list of link ids")
    for link in closed:
        if link not in links.index:
            f.problem("overrides.closed_links", f"unknown link {link!r}{did_you_mean(str(link), links.index)}")
    return closed


def read_scenarios(
    path: Path,
    problems: list[Problem],
    projects: dict[str, Project],
    links: pd.DataFrame,
    services: pd.DataFrame,
) -> dict[str, ScenarioSpec]:
    """``scenarios.yaml`` as :class:`~pxnet.model.ScenarioSpec` records by name (optional file).

    Examples
    --------
    >>> from pxnet.network import bundled_data_path
    >>> folder, problems = bundled_data_path(), []
    >>> import pandas as pd
    >>> specs = read_scenarios(folder / "scenarios.yaml", problems, read_projects(folder / "projects.yaml", problems),
    ...                        pd.DataFrame(), pd.DataFrame())
    >>> specs["plan-2025"].basis
    'plan'
    """
    if not path.is_file():
        return {}
    items = _mapping_list(read_yaml(path, problems), path.name, "scenarios", problems)
    out: dict[str, ScenarioSpec] = {}
    for item in items:
        f = Fields(path.name, item.get("__line__"), str(item.get("name") or "") or None, item, problems)
        known = {"name", "date", "basis", "description", "description_zh", "enable", "disable", "overrides", "source"}
        _unknown_keys(f, item, known)
        name = f.text("name", required=True)
        date = f.date("date", required=True)
        basis = f.choice("basis", vocabulary.BASES, required=False) or "actual"
        switches = _scenario_switches(f, item, projects)
        overrides = _scenario_overrides(f, item)
        parameters = _parameter_overrides(f, overrides)
        maps = _value_overrides(f, overrides, links, services)
        closed = _closed_links(f, overrides, links)
        if name in out:
            f.problem("name", "duplicate scenario name")
        if not f.ok or name is None or date is None:
            continue
        out[name] = ScenarioSpec(
            name=name,
            date=date.end,
            basis=basis,
            description=f.text("description") or "",
            description_zh=f.text("description_zh") or "",
            enable=switches["enable"],
            disable=switches["disable"],
            link_speed_kph=maps["link_speed_kph"],
            link_time_min=maps["link_time_min"],
            service_headway_min=maps["service_headway_min"],
            closed_links=frozenset(closed),
            parameters={k: v for k, v in parameters.items() if k != "__line__"},
        )
    return out


def read_goals(path: Path, problems: list[Problem]) -> list[dict[str, Any]]:
    """``goals.yaml`` as raw mappings (checked by :func:`pxnet.io._goalfile.parse_goals`); optional file.

    Examples
    --------
    >>> from pxnet.network import bundled_data_path
    >>> folder, problems = bundled_data_path(), []
    >>> read_goals(folder / "goals.yaml", problems)[0]["id"]
    'hsr3h_guangzhou_station'
    """
    if not path.is_file():
        return []
    return _mapping_list(read_yaml(path, problems), path.name, "goals", problems)


def _parameter_mapping(path: Path, problems: list[Problem]) -> dict[Any, Any] | None:
    # The parsed ``parameters.yaml``, or None when it is unreadable (reported) or not a mapping (reported here).
    data = read_yaml(path, problems)
    if data is None:
        return None
    if not isinstance(data, dict):
        problems.append(
            Problem(path.name, 1, None, None, "expected a mapping of parameter name to {value, unit, source}")
        )
        return None
    return data


def _speed_values(f: Fields, raw: Any) -> dict[str, float] | None:
    # ``speed_kph``'s value: link mode to a speed within its limit; None (reported) when it is not a mapping.
    if not isinstance(raw, dict):
        f.problem("value", "speed_kph needs a mapping of link mode to km/h")
        return None
    speeds = {}
    for mode, speed in raw.items():
        if mode == "__line__":
            continue
        if mode not in vocabulary.LINK_MODES:
            f.problem("value", f"unknown link mode {mode!r}{did_you_mean(str(mode), vocabulary.LINK_MODES)}")
        elif limit_problem("speed_kph", speed):
            f.problem("value", f"speed for {mode!r}: {speed!r} {limit_problem('speed_kph', speed)}")
        else:
            speeds[str(mode)] = float(speed)
    return speeds


def read_parameters(path: Path, problems: list[Problem]) -> Parameters:
    """``parameters.yaml`` merged over pxnet's defaults (optional file); sources kept per parameter.

    Examples
    --------
    >>> from pxnet.network import bundled_data_path
    >>> folder, problems = bundled_data_path(), []
    >>> read_parameters(folder / "parameters.yaml", problems).station_entry_min
    15.0
    """
    defaults = Parameters()
    if not path.is_file():
        return defaults
    data = _parameter_mapping(path, problems)
    if data is None:
        return defaults
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    ranges: dict[str, tuple[float, float]] = {}
    for name, entry in data.items():
        if name == "__line__":
            continue
        line = entry.get("__line__") if isinstance(entry, dict) else None
        f = Fields(path.name, line, str(name), entry if isinstance(entry, dict) else {}, problems)
        if name not in PARAMETER_NAMES:
            f.problem(None, f"unknown parameter{did_you_mean(str(name), PARAMETER_NAMES)}")
            continue
        if not isinstance(entry, dict):
            f.problem(None, "expected a mapping with value, unit and source")
            continue
        source = f.text("source", required=True)
        raw = entry.get("value")
        if name == "speed_kph":
            speeds = _speed_values(f, raw)
            if speeds is None:
                continue
            values[name] = speeds
        else:
            number = f.number("value", required=True, limit=PARAMETER_LIMITS[str(name)])
            if number is not None:
                values[str(name)] = number
        if source:
            sources[str(name)] = source
        if entry.get("range") is not None:
            current = defaults.with_overrides(**{k: v for k, v in values.items() if k == name})
            ranges.update(_ranges(f, str(name), entry["range"], current))
    return defaults.with_overrides(**values, sources=sources, ranges=ranges)


def _ranges(f: Fields, name: str, raw: Any, current: Parameters) -> dict[str, tuple[float, float]]:
    """Read a parameter's ``range``: ``[low, high]`` around its value (for ``speed_kph``, one per link mode)."""
    if name == "speed_kph":
        if not isinstance(raw, dict):
            f.problem("range", "speed_kph's range needs a mapping of link mode to [low, high]")
            return {}
        pairs = {f"speed_kph.{mode}": pair for mode, pair in raw.items() if mode != "__line__"}
    else:
        pairs = {name: raw}
    out: dict[str, tuple[float, float]] = {}
    for key, pair in pairs.items():
        numbers = isinstance(pair, list) and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in pair)
        if key.removeprefix("speed_kph.") not in current.speed_kph and key.startswith("speed_kph."):
            f.problem("range", f"{key}: unknown link mode")
        elif not numbers or len(pair) != 2 or not 0 <= pair[0] <= pair[1]:
            f.problem("range", f"{key}: expected [low, high] with 0 <= low <= high, got {pair!r}")
        elif any(limit_problem(key.split(".")[0], x) for x in pair):
            wrong = next(p for x in pair if (p := limit_problem(key.split(".")[0], x)))
            f.problem("range", f"{key}: an end of {pair!r} {wrong}")
        elif not pair[0] <= current.value(key) <= pair[1]:
            f.problem("range", f"{key}: the value {current.value(key):g} lies outside its range {pair!r}")
        else:
            out[key] = (float(pair[0]), float(pair[1]))
    return out


#: The keys of ``dataset.yaml`` that pxnet checks, and what each must be (``"text"`` or ``"date"``). Other keys
#: are passed through unchecked; a key added here is checked from then on.
DATASET_FIELDS: dict[str, str] = {"name": "text", "data_date": "date", "description": "text", "licence": "text"}


def read_dataset(path: Path, problems: list[Problem]) -> dict[str, Any]:
    """``dataset.yaml`` (optional): the data set's metadata, its :data:`DATASET_FIELDS` checked.

    Examples
    --------
    >>> from pxnet.network import bundled_data_path
    >>> problems = []
    >>> read_dataset(bundled_data_path() / "dataset.yaml", problems)["data_date"], problems
    ('2026-11', [])
    """
    if not path.is_file():
        return {}
    data = read_yaml(path, problems)
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.append(
            Problem(path.name, 1, None, None, f"expected a mapping of key to value, got {type(data).__name__}")
        )
        return {}
    f = Fields(path.name, None, None, data, problems)
    for key, kind in DATASET_FIELDS.items():
        value = data.get(key)
        if value is None:
            continue
        if kind == "date":
            f.date(key)
        elif not isinstance(value, str) or not value.strip():
            f.problem(key, f"must be non-empty text, got {value!r}")
    checked: dict[str, Any] = _without_lines(data)
    return checked


def _without_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_lines(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, list):
        return [_without_lines(v) for v in value]
    return value
