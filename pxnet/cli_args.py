"""Argument helpers shared by the ``pxnet`` subcommands."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .network import Network

__all__ = ["load", "scenario_arg"]


def scenario_arg(value: str | None) -> str | int | None:
    """A ``--scenario`` value: a bare year becomes an int (``"2026"`` → ``2026``), names stay text.

    Examples
    --------
    >>> scenario_arg("2026"), scenario_arg("plan-2025"), scenario_arg(None)
    (2026, 'plan-2025', None)
    """
    return int(value) if value is not None and value.isdigit() else value


def load(args: argparse.Namespace) -> Network:
    """The network named by the global ``--data`` option, else the bundled one."""
    from .network import load_network

    return load_network(getattr(args, "data", None))
