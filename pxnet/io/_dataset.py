"""The defaults a data folder brings in ``dataset.yaml``: origin, region, default scenarios, the plan, the report.

A data set about another city brings its own: ``defaults`` (the place trips start from, the region of
destinations the charts draw, the scenarios ``pxnet assess`` looks at), ``plan`` (the document the goals come
from) and ``report`` (the report's title). Each key is optional; :func:`read_defaults` fills what is missing
from the data itself (the most populous place, every named scenario) and says nothing about a plan it was not
told of. The other keys of ``dataset.yaml`` (``name``, ``data_date`` …) are read by :class:`pxnet.Network`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .. import vocabulary
from ..errors import DataValidationError, Problem
from ..places import PlaceIndex

__all__ = ["THIS_YEAR", "DatasetDefaults", "PlanInfo", "is_dated_scenario_name", "read_defaults"]

#: Stands for the current year in ``defaults.scenarios`` (``as-built-{this_year}``).
THIS_YEAR = "{this_year}"
_FILE = "dataset.yaml"
_SECTIONS: dict[str, set[str]] = {
    "defaults": {"origin", "region", "scenarios"},
    "plan": {"document", "title_zh", "title_en", "date"},
    "report": {"title_zh", "title_en"},
}
_REGION_KEYS = {"name_zh", "name_en", "places"}


def is_dated_scenario_name(name: str) -> bool:
    """Whether ``name`` is a dated scenario name every network answers to, as data files may name them.

    ``as-built-``, ``expected-`` or ``plan-`` and a date ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; ``{this_year}``
    may stand for the year. Whether the date exists is checked when the scenario is asked for.

    Examples
    --------
    >>> [is_dated_scenario_name(n) for n in ("as-built-{this_year}", "expected-2035-06", "plan-2030", "plan-b")]
    [True, True, True, False]
    """
    return vocabulary.is_dated_name(name.replace(THIS_YEAR, "2000", 1))


@dataclass(frozen=True)
class PlanInfo:
    """The plan document the goals come from (``dataset.yaml: plan``); empty strings when not given."""

    document: str = ""
    title_zh: str = ""
    title_en: str = ""
    date: str = ""


@dataclass(frozen=True)
class DatasetDefaults:
    """What a data folder's ``dataset.yaml`` sets as defaults, with fallbacks filled in.

    Attributes
    ----------
    origin
        The place charts and impacts start from (``defaults.origin``; fallback: the most populous place).
    region
        The destinations the travel-time chart draws (``defaults.region.places``; fallback: the ten most
        populous other places).
    region_zh, region_en
        The region's names (fallback: ``"目的地"`` / ``"destinations"``).
    scenarios
        The scenarios ``pxnet assess`` looks at when none are named; ``as-built-{this_year}`` stands for today
        (fallback: ``as-built-{this_year}`` and every scenario of ``scenarios.yaml``).
    plan
        The plan document (fallback: empty).
    title_zh, title_en
        The report's title (fallback: ``"规划目标评估"`` / ``"Plan goal assessment"``).
    """

    origin: str
    region: tuple[str, ...]
    region_zh: str
    region_en: str
    scenarios: tuple[str, ...]
    plan: PlanInfo
    title_zh: str
    title_en: str

    def scenario_names(self, *, today: dt.date | None = None) -> list[str]:
        """Return the default scenarios with ``{this_year}`` replaced by the current (or given) year."""
        year = str((today or dt.date.today()).year)
        return [s.replace(THIS_YEAR, year) for s in self.scenarios]


def _text(value: Any, key: str, problems: list[Problem]) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.date, int)) and not isinstance(value, bool):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    if not isinstance(value, str):
        problems.append(Problem(_FILE, None, None, key, f"must be text, got {type(value).__name__}"))
        return ""
    return value.strip()


def _place(name: Any, key: str, index: PlaceIndex, problems: list[Problem]) -> str | None:
    if not isinstance(name, str) or not name.strip():
        problems.append(Problem(_FILE, None, None, key, f"must be a place name, got {name!r}"))
        return None
    if not index.candidates(name):
        more = vocabulary.suggestion_hint(index.suggest(name), quote=False)
        problems.append(Problem(_FILE, None, None, key, f"unknown place {name!r}{more}"))
        return None
    return name


def _unknown(section: dict[str, Any], allowed: set[str], prefix: str, problems: list[Problem]) -> None:
    for key in section:
        if key not in allowed:
            hint = vocabulary.did_you_mean(str(key), allowed)
            problems.append(Problem(_FILE, None, None, f"{prefix}{key}", f"unknown key{hint}"))


def _section(metadata: dict[str, Any], name: str, problems: list[Problem]) -> dict[str, Any]:
    value = metadata.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        problems.append(Problem(_FILE, None, None, name, f"must be a mapping of keys, got {type(value).__name__}"))
        return {}
    _unknown(value, _SECTIONS[name], f"{name}.", problems)
    return value


def _populous(nodes: pd.DataFrame, kinds: Iterable[str]) -> list[str]:
    """Place names (``name_zh``) of the given kinds, most populous first."""
    places = nodes[nodes["kind"].isin(list(kinds))]
    population = pd.to_numeric(places["population"], errors="coerce").fillna(0)
    return [str(places.at[i, "name_zh"]) for i in population.sort_values(ascending=False, kind="stable").index]


def read_defaults(
    metadata: dict[str, Any],
    *,
    nodes: pd.DataFrame,
    scenario_names: Iterable[str],
    place_kinds: Iterable[str],
    folder: str = "",
) -> DatasetDefaults:
    """Read and validate the ``defaults``, ``plan`` and ``report`` keys of ``dataset.yaml``.

    Parameters
    ----------
    metadata
        The parsed ``dataset.yaml`` (an empty dict when the folder has none).
    nodes
        The node table, to check place names and to find fallbacks.
    scenario_names
        The names of ``scenarios.yaml``; dated names (``as-built-…``, ``expected-…``, ``plan-…``) are always
        allowed.
    place_kinds
        Node kinds that are places (trip origins and destinations).
    folder
        The data folder, for the error message.

    Raises
    ------
    DataValidationError
        Naming ``dataset.yaml`` and the key (``defaults.region.places``, ``plan.document`` …) of each problem.

    Examples
    --------
    >>> import pxnet
    >>> net = pxnet.load_network()
    >>> d = read_defaults({"defaults": {"origin": "萍乡"}}, nodes=net.nodes, scenario_names=[], place_kinds=["city"])
    >>> d.origin, d.plan.document
    ('萍乡', '')
    """
    problems: list[Problem] = []
    index = PlaceIndex(nodes)
    known = set(scenario_names)
    defaults = _section(metadata, "defaults", problems)
    populous = _populous(nodes, place_kinds)

    origin = _place(defaults["origin"], "defaults.origin", index, problems) if "origin" in defaults else None
    origin = origin or (populous[0] if populous else str(nodes.index[0]) if len(nodes) else "")

    region = defaults.get("region") or {}
    places: list[str] = []
    if not isinstance(region, dict):
        problems.append(Problem(_FILE, None, None, "defaults.region", "must be a mapping (name_zh, name_en, places)"))
        region = {}
    _unknown(region, _REGION_KEYS, "defaults.region.", problems)
    if "places" in region:
        given = region["places"]
        if not isinstance(given, list) or not given:
            problems.append(Problem(_FILE, None, None, "defaults.region.places", "must be a non-empty list of places"))
        else:
            places = [p for p in (_place(n, "defaults.region.places", index, problems) for n in given) if p]
    if not places:
        places = [p for p in populous if p != origin][:10]

    scenarios: list[str] = []
    if "scenarios" in defaults:
        given = defaults["scenarios"]
        if not isinstance(given, list) or not given or not all(isinstance(s, str) for s in given):
            problems.append(Problem(_FILE, None, None, "defaults.scenarios", "must be a non-empty list of names"))
        else:
            for name in given:
                if name in known or is_dated_scenario_name(name):
                    scenarios.append(name)
                else:
                    problems.append(
                        Problem(
                            _FILE,
                            None,
                            None,
                            "defaults.scenarios",
                            f"unknown scenario {name!r}{vocabulary.did_you_mean(name, known)} "
                            "(names of scenarios.yaml, or dated: "
                            "as-built-YYYY, expected-YYYY, plan-YYYY, each also -MM or -MM-DD)",
                        )
                    )
    if not scenarios:
        scenarios = [f"as-built-{THIS_YEAR}", *sorted(known)]

    plan = _section(metadata, "plan", problems)
    report = _section(metadata, "report", problems)
    info = PlanInfo(
        **{k: _text(plan.get(k), f"plan.{k}", problems) for k in ("document", "title_zh", "title_en", "date")}
    )
    result = DatasetDefaults(
        origin=origin,
        region=tuple(places),
        region_zh=_text(region.get("name_zh"), "defaults.region.name_zh", problems) or "目的地",
        region_en=_text(region.get("name_en"), "defaults.region.name_en", problems) or "destinations",
        scenarios=tuple(scenarios),
        plan=info,
        title_zh=_text(report.get("title_zh"), "report.title_zh", problems) or "规划目标评估",
        title_en=_text(report.get("title_en"), "report.title_en", problems) or "Plan goal assessment",
    )
    if problems:
        raise DataValidationError(problems, folder=folder)
    return result
