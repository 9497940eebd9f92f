"""Project cards: one project as a small, shareable document that any scenario can apply.

A card holds its project (as in ``projects.yaml``: identity, milestones, closures, upgrades, source) and the
nodes, links and services it adds.

A card is YAML (or JSON, or a dict) that validates against the JSON Schema published in the package
(:func:`card_schema`, ``pxnet/card.schema.json``), so other tools can check cards too. Applying a card checks its
records by the rules of the data files (``docs/data-model.md``) against the network it is applied to and gives
an *extended* network: the original tables plus the card's nodes, links, services and project. Scenarios of the
original network carry over to the extended one unchanged (:func:`pxnet.scenario.get_scenario` rebinds them), so
``compare`` and ``assess`` see the project beside everything else::

    card = pxnet.read_card("lianhua_spur.yaml")
    sketch = pxnet.get_scenario("expected-2030").apply(card)
    pxnet.compare("expected-2030", sketch)

The package has three parts: the document (``_schema``: the JSON Schema and the :class:`Card` record), reading
and writing (``_io``), and applying (``_apply``).
"""

from __future__ import annotations

from ..errors import CardError
from ._apply import extend_network, sketch_card
from ._io import CARD_SUFFIXES, as_cards, project_card, project_cards, read_card, read_cards
from ._schema import CARD_VERSION, PROJECT_KEYS, Card, build_card_schema, card_schema, project_mapping, schema_problems

__all__ = [
    "CARD_SUFFIXES",
    "CARD_VERSION",
    "PROJECT_KEYS",
    "Card",
    "CardError",
    "as_cards",
    "build_card_schema",
    "card_schema",
    "extend_network",
    "project_card",
    "project_cards",
    "project_mapping",
    "read_card",
    "read_cards",
    "schema_problems",
    "sketch_card",
]
