"""Argument helpers shared by the ``pxnet`` subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from ..network import Network

__all__ = ["load", "scenario_arg", "write_csv"]


def scenario_arg(value: str | None) -> str | int | None:
    """A ``--scenario`` value: a bare year becomes an int (``"2026"`` → ``2026``), names stay text.

    Examples
    --------
    >>> scenario_arg("2026"), scenario_arg("plan-2025"), scenario_arg(None)
    (2026, 'plan-2025', None)
    """
    return int(value) if value is not None and value.isdigit() else value


def write_csv(table: pd.DataFrame, path: str) -> None:
    """Write a table to CSV atomically (UTF-8, no index) and say so."""
    from ..io import atomic_path

    with atomic_path(Path(path)) as tmp:
        table.to_csv(tmp, index=False, encoding="utf-8")
    print(f"wrote {path}")


def load(args: argparse.Namespace) -> Network:
    """The network named by the global ``--data`` option, else the bundled one."""
    from ..network import load_network

    return load_network(getattr(args, "data", None))
