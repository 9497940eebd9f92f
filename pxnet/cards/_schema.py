"""The card as a document: its JSON Schema (built from pxnet's vocabulary) and the :class:`Card` record.

A card's project is a :class:`pxnet.model.Project`, read by the rules of ``projects.yaml``: one definition of a
project for the data files and the cards.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from .. import vocabulary
from ..errors import CardError, Problem
from ..io import ADDITION_KEYS, PROJECT_FILE_KEYS, atomic_path, projects_from_items
from ..model import Project

CARD_VERSION = 1
_SCHEMA_FILE = "card.schema.json"
#: The keys of a card that describe its project: those of a ``projects.yaml`` entry but a group's ``members`` and
#: the ``opening`` distribution, in the same order.
PROJECT_KEYS = tuple(k for k in PROJECT_FILE_KEYS if k not in ("members", "opening"))


def project_mapping(project: Project) -> dict[str, Any]:
    """Return a project as a ``projects.yaml`` entry in the card schema's key order (empty fields left out).

    Examples
    --------
    >>> from pxnet.model import Project
    >>> project_mapping(Project(id="x", name_zh="甲", name_en="X", category="hsr", source="s"))
    {'id': 'x', 'name_zh': '甲', 'name_en': 'X', 'category': 'hsr', 'source': 's'}
    """
    out: dict[str, Any] = {
        "id": project.id,
        "name_zh": project.name_zh,
        "name_en": project.name_en,
        "category": project.category,
        "source": project.source,
        "plan_clause": project.plan_clause,
        "plan_targets": {k: str(v) for k, v in project.plan_targets.items()},
        "milestones": [
            {"event": m.event, "date": str(m.date), "source": m.source, **({"note": m.note} if m.note else {})}
            for m in project.milestones
        ],
        "closes": list(project.closes),
        "upgrades": [
            {
                "link": u.link,
                **({"speed_kph": u.speed_kph} if u.speed_kph is not None else {}),
                **({"time_min": u.time_min} if u.time_min is not None else {}),
            }
            for u in project.upgrades
        ],
        "notes": project.notes,
    }
    return {k: v for k, v in out.items() if v not in ("", [], {}, None)}


@dataclass(frozen=True)
class Card:
    """One project as a document: the project (as in ``projects.yaml``) and the records it adds.

    Attributes
    ----------
    project
        Identity, category, source, plan clause and targets, milestones, closures and upgrades: a
        :class:`pxnet.model.Project`, the same record ``projects.yaml`` gives. ``source`` says where the project
        comes from (``estimate: …`` or ``illustration: …`` for a sketch).
    adds
        ``{"nodes": [...], "links": [...], "services": [...]}``: rows with the columns of ``nodes.csv``,
        ``links.csv`` and ``services.csv``; links and services without ``project`` belong to this card.

    The project's fields are also attributes of the card (``card.id``, ``card.closes`` …).
    """

    project: Project
    adds: dict[str, tuple[dict[str, Any], ...]] = field(default_factory=dict)

    @property
    def id(self) -> str:
        """The project's id."""
        return self.project.id

    @property
    def name_zh(self) -> str:
        """The project's Chinese name."""
        return self.project.name_zh

    @property
    def name_en(self) -> str:
        """The project's English name."""
        return self.project.name_en

    @property
    def category(self) -> str:
        """The project's category (``hsr``, ``expressway`` …)."""
        return self.project.category

    @property
    def source(self) -> str:
        """Where the project comes from."""
        return self.project.source

    @property
    def closes(self) -> tuple[str, ...]:
        """Ids of the links the project closes when it opens."""
        return self.project.closes

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, label: str = "") -> Card:
        """Make a card from a mapping (as parsed from YAML or JSON), checked against the card schema.

        Raises
        ------
        CardError
            Naming the card (``label``, else its id) and each field that breaks the schema or the rules of
            ``projects.yaml``.
        """
        if not isinstance(data, Mapping):
            raise CardError(f"a project card is a mapping of keys to values, got {type(data).__name__}")
        plain = _plain(data)
        name = label or f"card {plain.get('id', '?')!r}"
        errors = schema_problems(plain)
        problems: list[Problem] = []
        if not errors:
            item = {k: plain[k] for k in PROJECT_KEYS if k in plain}
            found = projects_from_items([{**item, "__line__": None}], problems, file="project")
            errors = [str(p) for p in problems]
        if errors:
            raise CardError(f"{len(errors)} problem(s) in {name}:\n" + "\n".join(f"  - {e}" for e in errors))
        adds = {k: tuple(dict(r) for r in plain.get("adds", {}).get(k, [])) for k in ADDITION_KEYS}
        return cls(project=found[plain["id"]], adds={k: v for k, v in adds.items() if v})

    def to_dict(self) -> dict[str, Any]:
        """Return the card as a plain mapping in the schema's key order (empty fields left out)."""
        out: dict[str, Any] = {"card_version": CARD_VERSION}
        project = project_mapping(self.project)
        out |= {k: project[k] for k in PROJECT_KEYS[:5]}
        for key in ("plan_clause", "plan_targets", "milestones"):
            if key in project:
                out[key] = project[key]
        adds = {k: [dict(r) for r in self.adds[k]] for k in ADDITION_KEYS if self.adds.get(k)}
        if adds:
            out["adds"] = adds
        for key in ("closes", "upgrades", "notes"):
            if key in project:
                out[key] = project[key]
        return out

    def to_yaml(self, path: str | Path | None = None) -> str:
        """Return the card as YAML text; also write it (atomically) to ``path`` if one is given.

        Examples
        --------
        >>> import pxnet
        >>> card = pxnet.project_card("pinglian_expressway")
        >>> pxnet.Card.from_dict(yaml.safe_load(card.to_yaml())) == card
        True
        """
        text = yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False, width=110)
        if path is not None:
            with atomic_path(Path(path)) as tmp:
                Path(tmp).write_text(text, encoding="utf-8")
        return text

    def project_fields(self) -> dict[str, Any]:
        """Return the card's project as a ``projects.yaml`` entry."""
        return project_mapping(self.project)


def _plain(value: Any) -> Any:
    """Dates to ``YYYY-MM-DD`` text and tuples to lists, ``__line__`` keys dropped, so JSON Schema can check it."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items() if k != "__line__"}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):  # numbers taken from pandas tables
        return value.item()
    return value


def _date_schema() -> dict[str, Any]:
    return {
        "description": "YYYY, YYYY-MM or YYYY-MM-DD",
        "anyOf": [
            {"type": "string", "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"},
            {"type": "integer", "minimum": 1000, "maximum": 9999},
        ],
    }


def _text(description: str) -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "description": description}


def build_card_schema() -> dict[str, Any]:
    """Build the card schema from pxnet's vocabulary (``pxnet/card.schema.json`` holds it, written out).

    Examples
    --------
    >>> build_card_schema() == card_schema()
    True
    """
    ident = {"type": "string", "pattern": "^[a-z0-9_]+$", "description": "lower-case ASCII letters, digits, _"}
    positive = {"type": "number", "exclusiveMinimum": 0}
    source = _text("where the record comes from, with vintage; 'estimate: …' and how, for estimates")
    flag = {"type": ["boolean", "string"]}
    status = {"enum": list(vocabulary.STATUSES)}
    node = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "name_zh", "name_en", "kind", "lon", "lat", "source"],
        "properties": {
            "id": ident,
            "name_zh": _text("Chinese name"),
            "name_en": _text("English name"),
            "kind": {"enum": sorted(vocabulary.NODE_KINDS)},
            "lon": {"type": "number", "minimum": -180, "maximum": 180},
            "lat": {"type": "number", "minimum": -90, "maximum": 90},
            "place": ident,
            "admin_code": {"type": ["string", "integer"]},
            "population": {"type": "integer", "minimum": 0},
            "transfer_min": {"type": "number", "minimum": 0},
            "note": {"type": "string"},
            "source": source,
        },
    }
    link = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "from", "to", "mode", "length_km", "status", "source"],
        "properties": {
            "id": ident,
            "from": ident,
            "to": ident,
            "mode": {"enum": sorted(vocabulary.LINK_MODES)},
            "length_km": positive,
            "speed_kph": positive,
            "time_min": positive,
            "oneway": flag,
            "line": {"type": "string"},
            "project": ident,
            "status": status,
            "open_date": {"$ref": "#/$defs/date"},
            "note": {"type": "string"},
            "source": source,
        },
    }
    service = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "name", "mode", "stops", "status", "source"],
        "anyOf": [{"required": ["headway_min"]}, {"required": ["trains_per_day"]}],
        "properties": {
            "id": ident,
            "name": _text("service name"),
            "mode": {"enum": sorted(vocabulary.SERVICE_MODES)},
            "stops": {"type": "array", "items": ident, "minItems": 2, "uniqueItems": True},
            "headway_min": positive,
            "trains_per_day": positive,
            "segment_min": {"type": "array", "items": {"anyOf": [positive, {"type": "null"}]}},
            "bidirectional": flag,
            "project": ident,
            "status": status,
            "open_date": {"$ref": "#/$defs/date"},
            "note": {"type": "string"},
            "source": source,
        },
    }
    milestone = {
        "type": "object",
        "additionalProperties": False,
        "required": ["event", "date", "source"],
        "properties": {
            "event": {"enum": sorted(vocabulary.MILESTONE_EVENTS)},
            "date": {"$ref": "#/$defs/date"},
            "source": source,
            "note": {"type": "string"},
        },
    }
    upgrade = {
        "type": "object",
        "additionalProperties": False,
        "required": ["link"],
        "anyOf": [{"required": ["speed_kph"]}, {"required": ["time_min"]}],
        "properties": {"link": ident, "speed_kph": positive, "time_min": positive},
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:pxnet:project-card:1",
        "title": "pxnet project card",
        "description": "One project: what it adds, closes or upgrades, its milestones and its source "
        "(docs/data-model.md, 'Project cards').",
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "name_zh", "name_en", "category", "source"],
        "properties": {
            "card_version": {"const": CARD_VERSION},
            "id": ident,
            "name_zh": _text("Chinese name"),
            "name_en": _text("English name"),
            "category": {"enum": sorted(vocabulary.PROJECT_CATEGORIES)},
            "source": source,
            "plan_clause": {"type": "string"},
            "plan_targets": {
                "type": "object",
                "propertyNames": {"enum": sorted(vocabulary.TARGET_EVENTS)},
                "additionalProperties": {"$ref": "#/$defs/date"},
            },
            "milestones": {"type": "array", "items": milestone},
            "adds": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "nodes": {"type": "array", "items": node},
                    "links": {"type": "array", "items": link},
                    "services": {"type": "array", "items": service},
                },
            },
            "closes": {"type": "array", "items": ident},
            "upgrades": {"type": "array", "items": upgrade},
            "notes": {"type": "string"},
        },
        "$defs": {"date": _date_schema()},
    }


@lru_cache(maxsize=1)
def card_schema() -> dict[str, Any]:
    """Return the published JSON Schema of project cards (``pxnet/card.schema.json``).

    Examples
    --------
    >>> card_schema()["title"]
    'pxnet project card'
    """
    text = (resources.files("pxnet") / _SCHEMA_FILE).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def schema_problems(data: Any) -> list[str]:
    """List what in ``data`` breaks the card schema, one line per problem with its path (``adds.links[0].mode``).

    Examples
    --------
    >>> schema_problems({"id": "x", "name_zh": "甲", "name_en": "X", "category": "hsr", "source": "s",
    ...                  "adds": {"links": [{"id": "l", "from": "a", "to": "b", "mode": "hsr", "length_km": -1,
    ...                                      "status": "planned", "source": "s"}]}})
    ['adds.links[0].length_km: -1 is less than or equal to the minimum of 0']
    """
    import jsonschema

    validator = jsonschema.Draft202012Validator(card_schema())
    out = []
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".")
        out.append(f"{where or '(card)'}: {error.message}")
    return out
