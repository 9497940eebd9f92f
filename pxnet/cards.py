"""Project cards: one project as a small, shareable document that any scenario can apply.

A card holds what the project adds, closes or upgrades, its milestones and its source.

A card is YAML (or JSON, or a dict) that validates against the JSON Schema published in the package
(:func:`card_schema`, ``pxnet/card.schema.json``), so other tools can check cards too. Applying a card checks its
records by the rules of the data files (``docs/data-model.md``) against the network it is applied to and gives
an *extended* network: the original tables plus the card's nodes, links, services and project. Scenarios of the
original network carry over to the extended one unchanged (:func:`pxnet.scenario.get_scenario` rebinds them), so
``compare`` and ``assess`` see the project beside everything else::

    card = pxnet.read_card("lianhua_spur.yaml")
    sketch = pxnet.get_scenario("expected-2030").apply(card)
    pxnet.compare("expected-2030", sketch)
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from . import vocabulary as schema
from .errors import AdditionError, DataFileNotFoundError, Problem, PxnetError
from .io import ADDITION_KEYS, NetworkData, atomic_path, check_additions, read_yaml
from .network import Network

CARD_VERSION = 1
_SCHEMA_FILE = "card.schema.json"
_PROJECT_KEYS = ("plan_clause", "plan_targets", "milestones", "upgrades", "closes", "notes")


class CardError(PxnetError, ValueError):
    """A project card does not follow the card schema; the message names the card and each field at fault."""


@dataclass(frozen=True)
class Card:
    """One project as a document: identity, milestones, and the records it adds, closes or upgrades.

    Attributes
    ----------
    id, name_zh, name_en, category, source
        As in ``projects.yaml``; ``source`` says where the project comes from (``estimate: …`` or
        ``illustration: …`` for a sketch).
    plan_clause, plan_targets, milestones, notes
        As in ``projects.yaml`` (dates as ``YYYY[-MM[-DD]]`` text).
    adds
        ``{"nodes": [...], "links": [...], "services": [...]}``: rows with the columns of ``nodes.csv``,
        ``links.csv`` and ``services.csv``; links and services without ``project`` belong to this card.
    closes
        Ids of links the project closes when it opens.
    upgrades
        ``{"link", "speed_kph" and/or "time_min"}`` changes to existing links when it opens.
    """

    id: str
    name_zh: str
    name_en: str
    category: str
    source: str
    plan_clause: str = ""
    plan_targets: dict[str, str] = field(default_factory=dict)
    milestones: tuple[dict[str, Any], ...] = ()
    adds: dict[str, tuple[dict[str, Any], ...]] = field(default_factory=dict)
    closes: tuple[str, ...] = ()
    upgrades: tuple[dict[str, Any], ...] = ()
    notes: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, label: str = "") -> Card:
        """Make a card from a mapping (as parsed from YAML or JSON), checked against the card schema.

        Raises
        ------
        CardError
            Naming the card (``label``, else its id) and each field that breaks the schema.
        """
        plain = _plain(data)
        name = label or (f"card {plain.get('id', '?')!r}" if isinstance(plain, dict) else "card")
        errors = schema_problems(plain)
        if errors:
            raise CardError(f"{len(errors)} problem(s) in {name}:\n" + "\n".join(f"  - {e}" for e in errors))
        adds = {k: tuple(dict(r) for r in plain.get("adds", {}).get(k, [])) for k in ADDITION_KEYS}
        return cls(
            id=plain["id"],
            name_zh=plain["name_zh"],
            name_en=plain["name_en"],
            category=plain["category"],
            source=plain["source"],
            plan_clause=plain.get("plan_clause", ""),
            plan_targets={str(k): str(v) for k, v in plain.get("plan_targets", {}).items()},
            milestones=tuple(dict(m) for m in plain.get("milestones", [])),
            adds={k: v for k, v in adds.items() if v},
            closes=tuple(plain.get("closes", [])),
            upgrades=tuple(dict(u) for u in plain.get("upgrades", [])),
            notes=plain.get("notes", ""),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the card as a plain mapping in the schema's key order (empty fields left out)."""
        out: dict[str, Any] = {"card_version": CARD_VERSION, "id": self.id, "name_zh": self.name_zh}
        out |= {"name_en": self.name_en, "category": self.category, "source": self.source}
        if self.plan_clause:
            out["plan_clause"] = self.plan_clause
        if self.plan_targets:
            out["plan_targets"] = dict(self.plan_targets)
        if self.milestones:
            out["milestones"] = [dict(m) for m in self.milestones]
        adds = {k: [dict(r) for r in self.adds[k]] for k in ADDITION_KEYS if self.adds.get(k)}
        if adds:
            out["adds"] = adds
        if self.closes:
            out["closes"] = list(self.closes)
        if self.upgrades:
            out["upgrades"] = [dict(u) for u in self.upgrades]
        if self.notes:
            out["notes"] = self.notes
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
        out: dict[str, Any] = {k: getattr(self, k) for k in ("id", "name_zh", "name_en", "category", "source")}
        for key in _PROJECT_KEYS:
            value = getattr(self, key)
            if value:
                out[key] = [dict(v) for v in value] if isinstance(value, tuple) and key != "closes" else value
        if self.closes:
            out["closes"] = list(self.closes)
        return out


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
    status = {"enum": list(schema.STATUSES)}
    node = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "name_zh", "name_en", "kind", "lon", "lat", "source"],
        "properties": {
            "id": ident,
            "name_zh": _text("Chinese name"),
            "name_en": _text("English name"),
            "kind": {"enum": sorted(schema.NODE_KINDS)},
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
            "mode": {"enum": sorted(schema.LINK_MODES)},
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
            "mode": {"enum": sorted(schema.SERVICE_MODES)},
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
            "event": {"enum": sorted(schema.MILESTONE_EVENTS)},
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
            "category": {"enum": sorted(schema.PROJECT_CATEGORIES)},
            "source": source,
            "plan_clause": {"type": "string"},
            "plan_targets": {
                "type": "object",
                "propertyNames": {"enum": sorted(schema.TARGET_EVENTS)},
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


def read_card(path: str | Path) -> Card:
    """Read one project card (YAML or JSON) and check it against the card schema.

    Raises
    ------
    DataFileNotFoundError
        If the file does not exist.
    CardError
        If it is not valid YAML/JSON or breaks the schema; the message names the file and each field.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileNotFoundError(f"project card {str(path)!r} does not exist or is not a file")
    problems: list[Problem] = []
    data = read_yaml(path, problems)  # YAML is a superset of JSON
    if problems:
        raise CardError("; ".join(str(p) for p in problems))
    if not isinstance(data, dict):
        raise CardError(f"{path.name}: a project card is a mapping of keys to values, got {type(data).__name__}")
    return Card.from_dict(data, label=f"card {path.name}")


def read_cards(folder: str | Path) -> list[Card]:
    """Every card (``*.yaml``, ``*.yml``, ``*.json``) in a folder, by file name."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataFileNotFoundError(f"card folder {str(folder)!r} does not exist or is not a folder")
    files = sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".json") and p.is_file())
    return [read_card(p) for p in files]


def as_cards(cards: Card | Mapping[str, Any] | str | Path | Iterable[Any]) -> list[Card]:
    """Cards from a :class:`Card`, a card mapping, a card file, a folder of cards, or a list of these."""
    if isinstance(cards, Card):
        return [cards]
    if isinstance(cards, Mapping):
        return [Card.from_dict(cards)]
    if isinstance(cards, (str, Path)):
        path = Path(cards)
        return read_cards(path) if path.is_dir() else [read_card(path)]
    out: list[Card] = []
    for item in cards:
        out.extend(as_cards(item))
    return out


def sketch_card(additions: Mapping[str, Any], *, network: Network, name: str) -> Card:
    """Make a card for records added in code (``Scenario.derive(add=...)``): its project holds them.

    ``additions`` has ``nodes``, ``links``, ``services`` (rows as in the data files) and optionally ``id``
    (default ``sketch``, numbered if taken), ``name_zh``, ``name_en``, ``category`` and ``source`` (default: the
    records' sources). For milestones, closures or upgrades, write a :class:`Card`.
    """
    allowed = {*ADDITION_KEYS, "id", "name_zh", "name_en", "category", "source"}
    unknown = sorted(str(k) for k in additions if k not in allowed)
    if unknown:
        hint = ", ".join(sorted(allowed))
        problems = [
            Problem("add", None, None, k, f"unknown field{_hint(k, allowed)}; allowed: {hint}") for k in unknown
        ]
        raise AdditionError(problems, label=f"the additions of scenario {name!r}")
    rows = {k: tuple(additions.get(k) or ()) for k in ADDITION_KEYS}
    sources = sorted(
        {str(r["source"]) for rs in rows.values() for r in rs if isinstance(r, Mapping) and r.get("source")}
    )
    modes = [str(r.get("mode")) for r in rows["links"] if isinstance(r, Mapping)]
    return Card(
        id=str(additions.get("id") or _free_id("sketch", network)),
        name_zh=str(additions.get("name_zh") or name),
        name_en=str(additions.get("name_en") or name),
        category=str(additions.get("category") or _category(modes, rows)),
        source=str(additions.get("source") or "; ".join(sources) or "additions in code"),
        adds={k: v for k, v in rows.items() if v},
    )


def _hint(value: str, known: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(value, sorted(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _free_id(stem: str, network: Network) -> str:
    taken = set(network.projects)
    if stem not in taken:
        return stem
    return next(f"{stem}_{k}" for k in range(2, len(taken) + 3) if f"{stem}_{k}" not in taken)


def _category(modes: list[str], rows: Mapping[str, Any]) -> str:
    for mode in modes:
        if mode in ("hsr", "rail", "freight_rail", "expressway"):
            return mode
        if mode in schema.ROAD_MODES:
            return "road"
        if mode == "air":
            return "airport"
    return "service" if rows.get("services") else "hub"


def extend_network(network: Network, cards: Iterable[Card]) -> Network:
    """Return the network with the cards' projects and records added, checked by the rules of the data files.

    Returns a new :class:`~pxnet.network.Network` whose ``extends`` is ``network``; ``network`` is not changed.

    Raises
    ------
    AdditionError
        Naming the card, the addition (``links[0]``) and its field, with the data files' message.
    """
    cards = list(cards)
    # The same cards on the same network give the same extended network, so that sketches of several
    # scenarios (pxnet assess --with) can be evaluated together.
    memo: dict[tuple[str, ...], Network] = network.cache.setdefault("extended", {})
    key = tuple(json.dumps(c.to_dict(), ensure_ascii=False, sort_keys=True) for c in cards)
    if key in memo:
        return memo[key]
    net = network
    for card in cards:
        added = check_additions(
            label=f"card {card.id!r}",
            nodes=card.adds.get("nodes", ()),
            links=card.adds.get("links", ()),
            services=card.adds.get("services", ()),
            project=card.project_fields(),
            base_nodes=net.nodes,
            base_links=net.links,
            base_services=net.services,
            base_projects=net.projects,
            parameters=net.parameters,
        )
        projects = dict(net.projects)
        if added.project is not None:
            projects[added.project.id] = added.project
        data = NetworkData(
            folder=net.folder,
            nodes=_stack(net.nodes, added.nodes),
            links=_stack(net.links, added.links),
            services=_stack(net.services, added.services),
            projects=projects,
            scenarios=net.scenario_specs,
            goals=net.goals,
            parameters=net.parameters,
            warnings=[*net.warnings, *added.warnings],
            observed=net.observed,
        )
        child = Network(data)
        child.extends = net
        child.cards = (*net.cards, card)
        net = child
    memo[key] = net
    return net


def _stack(base: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    if not len(new):
        return base
    return pd.concat([base, new])


def project_card(project_id: str, *, network: Network | None = None) -> Card:
    """Return a bundled (or ``network``'s) project written out as a card.

    The card holds the project's entry in ``projects.yaml`` and the links and services whose ``project`` names it.

    Examples
    --------
    >>> card = project_card("changgan")
    >>> card.category, len(card.adds["links"]) > 0
    ('hsr', True)
    """
    if network is None:
        from .network import bundled_network

        network = bundled_network()
    if project_id not in network.projects:
        raise CardError(f"unknown project {project_id!r}{_hint(project_id, network.projects)}")
    p = network.projects[project_id]
    links = [_row(r, ADDITION_KEYS["links"]) for _, r in network.links[network.links["project"] == p.id].iterrows()]
    services = [
        _row(r, ADDITION_KEYS["services"]) for _, r in network.services[network.services["project"] == p.id].iterrows()
    ]
    data: dict[str, Any] = {
        "id": p.id,
        "name_zh": p.name_zh,
        "name_en": p.name_en,
        "category": p.category,
        "source": p.source,
        "plan_clause": p.plan_clause,
        "plan_targets": {k: str(v) for k, v in p.plan_targets.items()},
        "milestones": [
            {"event": m.event, "date": str(m.date), "source": m.source, **({"note": m.note} if m.note else {})}
            for m in p.milestones
        ],
        "adds": {"links": links, "services": services},
        "closes": list(p.closes),
        "upgrades": [
            {
                "link": u.link,
                **({"speed_kph": u.speed_kph} if u.speed_kph is not None else {}),
                **({"time_min": u.time_min} if u.time_min is not None else {}),
            }
            for u in p.upgrades
        ],
        "notes": p.notes,
    }
    card = Card.from_dict({k: v for k, v in data.items() if v not in ("", [], {}, None)} | {"adds": data["adds"]})
    return card


def project_cards(*, network: Network | None = None) -> list[Card]:
    """Every project of the network as a card (see :func:`project_card`); members-only networks are left out."""
    if network is None:
        from .network import bundled_network

        network = bundled_network()
    return [project_card(p, network=network) for p, record in network.projects.items() if not record.members]


def _row(record: pd.Series, keys: Iterable[str]) -> dict[str, Any]:
    """Return a table row as a card record: the data file's columns, empty values left out."""
    out: dict[str, Any] = {}
    for key in keys:
        value = record.get("line_name" if key == "line" else key)
        if key == "project" or value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
            continue
        if isinstance(value, str) and value == "":
            continue
        if key in ("stops", "segment_min"):
            value = list(value)
        elif key == "open_date":
            value = str(value)
        elif key in ("oneway", "bidirectional"):
            value = bool(value)
        elif hasattr(value, "item"):
            value = value.item()
        out[key] = value
    return out


__all__ = [
    "CARD_VERSION",
    "Card",
    "CardError",
    "as_cards",
    "build_card_schema",
    "card_schema",
    "extend_network",
    "project_card",
    "project_cards",
    "read_card",
    "read_cards",
    "schema_problems",
    "sketch_card",
]
