"""``--with card.yaml``: project cards applied to the scenarios of ``pxnet compare`` and ``pxnet assess``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..cards import as_cards
from ..scenario import get_scenario
from ._args import scenario_arg

if TYPE_CHECKING:
    from ..network import Network
    from ..scenario import Scenario

__all__ = ["add_with_option", "sketched"]


def add_with_option(parser: argparse.ArgumentParser, *, what: str) -> None:
    """Add ``--with CARD [CARD ...]`` (card files or folders of cards) to a subcommand."""
    parser.add_argument(
        "--with",
        dest="cards",
        nargs="+",
        default=None,
        metavar="CARD",
        help=f"project card file(s) or folder(s) of cards (docs/data-model.md) to apply to {what}",
    )


def sketched(scenarios: Sequence[str], cards: Sequence[str], network: Network) -> list[Scenario]:
    """Each named scenario followed by the same scenario with the cards applied (their projects open).

    Examples
    --------
    >>> import pxnet, tempfile, pathlib
    >>> card = pxnet.project_card("pinglian_expressway").to_dict()
    >>> card["id"] = "pinglian_copy"
    >>> for link in card["adds"]["links"]:
    ...     link["id"] += "_copy"
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "card.yaml"
    >>> _ = pxnet.Card.from_dict(card).to_yaml(path)
    >>> [s.name for s in sketched(["as-built-2019"], [str(path)], pxnet.load_network())]
    ['as-built-2019', 'as-built-2019+pinglian_copy']
    """
    found = as_cards(list(cards))
    out = []
    for name in scenarios:
        base = get_scenario(scenario_arg(name), network=network)
        out += [base, base.apply(found)]
    return out
