"""Cards in and out: card files and folders read, cards taken in any accepted form, projects written as cards."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import CardError, DataFileNotFoundError, Problem
from ..io import ADDITION_KEYS, read_yaml
from ..network import Network
from ..vocabulary import did_you_mean
from ._schema import Card

#: The suffixes of card files in a folder of cards.
CARD_SUFFIXES = (".yaml", ".yml", ".json")


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
    files = sorted(p for p in folder.iterdir() if p.suffix in CARD_SUFFIXES and p.is_file())
    return [read_card(p) for p in files]


def as_cards(cards: Card | Mapping[str, Any] | str | Path | Iterable[Any]) -> list[Card]:
    """Cards from a :class:`Card`, a card mapping, a card file, a folder of cards, or a list of these.

    Raises
    ------
    CardError
        If ``cards`` (or an item of a list) is none of these, naming what it is.

    Examples
    --------
    >>> as_cards(42)
    Traceback (most recent call last):
    ...
    pxnet.errors.CardError: cards must be a Card, a card mapping, a card file or folder, or a list of these; got int
    """
    if isinstance(cards, Card):
        return [cards]
    if isinstance(cards, Mapping):
        return [Card.from_dict(cards)]
    if isinstance(cards, (str, Path)):
        path = Path(cards)
        return read_cards(path) if path.is_dir() else [read_card(path)]
    if isinstance(cards, (bytes, bytearray)) or not isinstance(cards, Iterable):
        raise CardError(
            "cards must be a Card, a card mapping, a card file or folder, or a list of these; "
            f"got {type(cards).__name__}"
        )
    out: list[Card] = []
    for item in cards:
        out.extend(as_cards(item))
    return out


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
        from ..network import bundled_network

        network = bundled_network()
    if project_id not in network.projects:
        raise CardError(f"unknown project {project_id!r}{did_you_mean(project_id, network.projects)}")
    project = network.projects[project_id]
    links = network.links[network.links["project"] == project.id]
    services = network.services[network.services["project"] == project.id]
    adds = {
        "links": tuple(_row(r, ADDITION_KEYS["links"]) for _, r in links.iterrows()),
        "services": tuple(_row(r, ADDITION_KEYS["services"]) for _, r in services.iterrows()),
    }
    # Through the schema, as a card read from a file would be: a project card is a valid card.
    return Card.from_dict(Card(project=project, adds={k: v for k, v in adds.items() if v}).to_dict())


def project_cards(*, network: Network | None = None) -> list[Card]:
    """Every project of the network as a card (see :func:`project_card`); members-only networks are left out."""
    if network is None:
        from ..network import bundled_network

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
