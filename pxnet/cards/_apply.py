"""Applying cards: a network extended by cards' projects and records, and cards sketched from records in code."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

import pandas as pd

from .. import vocabulary
from ..errors import AdditionError, CardError, Problem
from ..io import ADDITION_KEYS, check_additions
from ..model import Project
from ..network import Network
from ._schema import Card


def sketch_card(additions: Mapping[str, Any], *, network: Network, name: str) -> Card:
    """Make a card for records added in code (``Scenario.derive(add=...)``): its project holds them.

    ``additions`` has ``nodes``, ``links``, ``services`` (rows as in the data files) and optionally ``id``
    (default ``sketch``, numbered if taken), ``name_zh``, ``name_en``, ``category`` and ``source`` (default: the
    records' sources). For milestones, closures or upgrades, write a :class:`Card`.
    """
    if not isinstance(additions, Mapping):
        raise CardError(f"add= takes a Card or a mapping of nodes, links and services; got {type(additions).__name__}")
    allowed = {*ADDITION_KEYS, "id", "name_zh", "name_en", "category", "source"}
    unknown = sorted(str(k) for k in additions if k not in allowed)
    if unknown:
        hint = ", ".join(sorted(allowed))
        problems = [
            Problem("add", None, None, k, f"unknown field{vocabulary.did_you_mean(k, allowed)}; allowed: {hint}")
            for k in unknown
        ]
        raise AdditionError(problems, label=f"the additions of scenario {name!r}")
    rows = {k: tuple(additions.get(k) or ()) for k in ADDITION_KEYS}
    sources = sorted(
        {str(r["source"]) for rs in rows.values() for r in rs if isinstance(r, Mapping) and r.get("source")}
    )
    modes = [str(r.get("mode")) for r in rows["links"] if isinstance(r, Mapping)]
    project = Project(
        id=str(additions.get("id") or _free_id("sketch", network)),
        name_zh=str(additions.get("name_zh") or name),
        name_en=str(additions.get("name_en") or name),
        category=str(additions.get("category") or _category(modes, rows)),
        source=str(additions.get("source") or "; ".join(sources) or "additions in code"),
    )
    return Card(project=project, adds={k: v for k, v in rows.items() if v})


def _free_id(stem: str, network: Network) -> str:
    taken = set(network.projects)
    if stem not in taken:
        return stem
    return next(f"{stem}_{k}" for k in range(2, len(taken) + 3) if f"{stem}_{k}" not in taken)


def _category(modes: list[str], rows: Mapping[str, Any]) -> str:
    for mode in modes:
        if mode in ("hsr", "rail", "freight_rail", "expressway"):
            return mode
        if mode in vocabulary.ROAD_MODES:
            return "road"
        if mode == "air":
            return "airport"
    return "service" if rows.get("services") else "hub"


def _not_applied(card: Card, network: Network) -> None:
    """Refuse a card whose project the network already has (a card applied twice, or a taken id)."""
    if card.id not in network.projects:
        return
    if any(c.id == card.id for c in network.cards):
        raise CardError(
            f"card {card.id!r} is already applied to this network; apply it once (a scenario made with "
            "Scenario.apply already holds it)"
        )
    raise CardError(f"card {card.id!r}: the network already has a project of this id; give the card another id")


def _record_problems(card: Card, network: Network) -> list[Problem]:
    """List what the data files' rules do not see in a card: taken ids, duplicate names, links added and closed."""
    problems: list[Problem] = []
    # Taken node ids first: with them the node tables cannot be joined to check the links (check_additions
    # finds taken link and service ids itself).
    for i, row in enumerate(card.adds.get("nodes", ())):
        rid = row.get("id") if isinstance(row, Mapping) else None
        if isinstance(rid, str) and rid in network.nodes.index:
            problems.append(Problem("nodes", i + 1, rid, "id", "the network's nodes.csv already has this id"))
    problems += _duplicate_names(card, network.nodes)
    added_links = {str(r.get("id")) for r in card.adds.get("links", ()) if isinstance(r, Mapping)}
    for link in card.closes:
        if link in added_links:
            problems.append(
                Problem(
                    "closes",
                    None,
                    link,
                    "closes",
                    "the card adds this link and closes it: the link would never be open, and what only it "
                    "reaches would be unreachable; remove it from adds.links or from closes",
                )
            )
    return problems


def _duplicate_names(card: Card, nodes: pd.DataFrame) -> list[Problem]:
    """List added nodes whose Chinese or English name another node has: a name must name one place."""
    problems: list[Problem] = []
    names: dict[str, dict[str, str]] = {
        col: {str(v).casefold(): str(i) for i, v in nodes[col].items() if isinstance(v, str) and v}
        for col in ("name_zh", "name_en")
    }
    for i, row in enumerate(card.adds.get("nodes", ())):
        if not isinstance(row, Mapping):
            continue
        for col, known in names.items():
            name = row.get(col)
            if not isinstance(name, str) or not name:
                continue
            other = known.get(name.casefold())
            if other is not None:
                problems.append(
                    Problem(
                        "nodes",
                        i + 1,
                        str(row.get("id") or "") or None,
                        col,
                        f"node {other!r} is already named {name!r}: looking the name up would have to pick "
                        f"one; give the new node a name of its own (for instance {name + ' (new)'!r})",
                    )
                )
            else:
                known[name.casefold()] = str(row.get("id"))
    return problems


def _named(problem: Problem, label: str) -> Problem:
    """Name the problem as the data files' rules do for additions: ``card 'x' links[0]``."""
    where = problem.file if problem.line is None else f"{problem.file}[{problem.line - 1}]"
    return replace(problem, file=f"{label} {where}", line=None)


def _extend_once(net: Network, card: Card) -> Network:
    _not_applied(card, net)
    label = f"card {card.id!r}"
    problems = [_named(p, label) for p in _record_problems(card, net)]
    if any(p.column == "id" for p in problems):
        raise AdditionError(problems, label=label)
    try:
        added = check_additions(
            label=label,
            nodes=card.adds.get("nodes", ()),
            links=card.adds.get("links", ()),
            services=card.adds.get("services", ()),
            project=card.project_fields(),
            base=net.data,
        )
    except AdditionError as err:  # every problem in one message
        raise AdditionError([*problems, *err.problems], label=label) from None
    if problems:
        raise AdditionError(problems, label=label)
    projects = dict(net.projects)
    if added.project is not None:
        projects[added.project.id] = added.project
    # Copied with replace(): the folder's metadata (dataset.yaml: data date, default origin …), observed times
    # and every later field come along unchanged.
    data = replace(
        net.data,
        nodes=_stack(net.nodes, added.nodes),
        links=_stack(net.links, added.links),
        services=_stack(net.services, added.services),
        projects=projects,
        warnings=[*net.warnings, *added.warnings],
    )
    child = Network(data)
    child.extends = net
    child.cards = (*net.cards, card)
    return child


def extend_network(network: Network, cards: Iterable[Card]) -> Network:
    """Return the network with the cards' projects and records added, checked by the rules of the data files.

    Returns a new :class:`~pxnet.network.Network` whose ``extends`` is ``network``; ``network`` is not changed.
    Its metadata (``dataset.yaml``: data date, default origin and region …) are those of ``network``.

    Raises
    ------
    CardError
        If a card is already applied to ``network`` (or its id is a project of it), or ``cards`` holds
        something that is not a :class:`Card`.
    AdditionError
        Naming the card, the addition (``links[0]``) and its field, with the data files' message; also for ids
        the network has, names of nodes it has, and links a card both adds and closes.
    """
    cards = list(cards)
    for card in cards:
        if not isinstance(card, Card):
            raise CardError(f"extend_network takes Card records, got {type(card).__name__} (see pxnet.as_cards)")
    # The same cards on the same network give the same extended network, so that sketches of several
    # scenarios (pxnet assess --with) can be evaluated together.
    memo: dict[tuple[str, ...], Network] = network.cache.setdefault("extended", {})
    key = tuple(json.dumps(c.to_dict(), ensure_ascii=False, sort_keys=True) for c in cards)
    if key in memo:
        return memo[key]
    net = network
    for card in cards:
        net = _extend_once(net, card)
    memo[key] = net
    return net


def _stack(base: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    if not len(new):
        return base
    return pd.concat([base, new])
