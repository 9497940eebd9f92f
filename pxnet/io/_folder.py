"""Read and validate a pxnet data folder into tables (the data layer).

:func:`read_folder` checks every file, collects every problem, and raises one
:class:`~pxnet.errors.DataValidationError` listing them all (file, line, id, column, what is wrong).
Suspicious but legal data become :class:`~pxnet.errors.DataWarning` records. The CSV tables are read by
:mod:`pxnet.io`, the YAML files by :mod:`pxnet.io`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import DataFileNotFoundError, DataValidationError, Problem
from ..model import Project, ScenarioSpec, TimetableChange
from ..parameters import Parameters
from ._changes import read_changes, read_published_times
from ._csv import read_links, read_nodes, read_observed, read_services
from ._goalfile import Goal, parse_goals
from ._uncertainty import read_uncertainty
from ._yaml import check_project_refs, read_dataset, read_goals, read_parameters, read_projects, read_scenarios


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
    metadata: dict[str, Any] = field(default_factory=dict)
    changes: list[TimetableChange] = field(default_factory=list)
    published: pd.DataFrame = field(default_factory=pd.DataFrame)


def read_folder(folder: Path) -> NetworkData:
    """Read and validate every file of a data folder.

    Parameters
    ----------
    folder
        A folder holding ``nodes.csv``, ``links.csv``, ``services.csv``, ``projects.yaml`` and optionally
        ``scenarios.yaml``, ``goals.yaml``, ``parameters.yaml``, ``dataset.yaml``, ``observed_times.csv``,
        ``timetable/changes.yaml``.

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
    metadata = read_dataset(folder / "dataset.yaml", problems)
    parameters = read_parameters(folder / "parameters.yaml", problems)
    projects = read_projects(folder / "projects.yaml", problems)
    read_uncertainty(folder, problems, parameters=parameters, projects=projects)  # validated here, read on use
    nodes = read_nodes(folder / "nodes.csv", problems)
    links = read_links(folder / "links.csv", problems, nodes, projects, parameters, warnings)
    services = read_services(folder / "services.csv", problems, nodes, links, projects)
    check_project_refs(projects, links, problems)
    scenarios = read_scenarios(folder / "scenarios.yaml", problems, projects, links, services)
    goal_items = read_goals(folder / "goals.yaml", problems)
    goals = parse_goals(goal_items, problems, nodes=nodes, projects=projects, scenario_names=set(scenarios))
    observed = read_observed(folder / "observed_times.csv", problems, nodes)
    changes = read_changes(folder, problems, nodes, services)
    published = read_published_times(folder, problems, nodes)
    if problems:
        raise DataValidationError(problems, folder=str(folder))
    return NetworkData(
        folder,
        nodes,
        links,
        services,
        projects,
        scenarios,
        goals,
        parameters,
        warnings,
        observed,
        metadata,
        changes,
        published,
    )
