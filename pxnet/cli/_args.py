"""Argument helpers shared by the ``pxnet`` subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from ..network import Network

__all__ = [
    "add_data_option",
    "add_mode_option",
    "check_outputs",
    "load",
    "mode_arg",
    "scenario_arg",
    "write_csv",
    "write_png",
]

# Commands whose --out is a folder (every other --out, --csv and --png is a file).
_FOLDER_OUTPUTS = frozenset({"assess", "compare"})


def mode_arg(value: str) -> str:
    """Parse a ``--mode`` value: a trip mode, case and aliases folded (``HSR``, ``door-to-door``).

    Examples
    --------
    >>> mode_arg("Door-to-door")
    'door_to_door'
    """
    from ..errors import RoutingError
    from ..vocabulary import trip_mode

    try:
        return trip_mode(value)
    except RoutingError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_mode_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--mode``: a trip mode parsed by :func:`mode_arg`, by default :data:`pxnet.vocabulary.DEFAULT_TRIP_MODE`."""
    from ..vocabulary import DEFAULT_TRIP_MODE

    parser.add_argument("--mode", default=DEFAULT_TRIP_MODE, type=mode_arg, help="hsr, rail, road or door_to_door")


def add_data_option(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Accept ``--data`` after the subcommand too (``pxnet summary --data DIR``), not only before it."""
    for parser in dict.fromkeys(sub.choices.values()):
        parser.add_argument(
            "--data", default=argparse.SUPPRESS, help="data folder (default: the bundled Pingxiang network)"
        )


def check_outputs(args: argparse.Namespace) -> None:
    """Check every output path of a command (``--out``, ``--csv``, ``--png``) before the command runs.

    Raises
    ------
    pxnet.ExportError
        For a path that is a folder where a file is wanted (or the reverse), or that cannot be written.
    """
    from ..io import check_writable

    for option in ("out", "csv", "png"):
        value = getattr(args, option, None)
        if value:
            check_writable(value, folder=option == "out" and getattr(args, "command", "") in _FOLDER_OUTPUTS)


def scenario_arg(value: str | None) -> str | int | None:
    """Parse a ``--scenario`` value: a bare year becomes an int (``"2026"`` → ``2026``), names stay text.

    Examples
    --------
    >>> scenario_arg("2026"), scenario_arg("plan-2025"), scenario_arg(None)
    (2026, 'plan-2025', None)
    """
    return int(value) if value is not None and value.isdigit() else value


def write_csv(table: pd.DataFrame, path: str | None) -> None:
    """Write a table to CSV atomically (UTF-8, no index) and say so; nothing when no path is given."""
    from ..io import atomic_path

    if not path:
        return
    with atomic_path(Path(path)) as tmp:
        table.to_csv(tmp, index=False, encoding="utf-8")
    print(f"wrote {path}")


def write_png(figure: Any, path: str, *, what: str = "") -> None:
    """Save a figure atomically (closing it) and say so; ``what`` names what it shows."""
    from ..plot import save_figure

    save_figure(figure, Path(path))
    print(f"wrote {path}" + (f" ({what})" if what else ""))


def load(args: argparse.Namespace) -> Network:
    """Load the network named by the global ``--data`` option, else the bundled one."""
    from ..network import load_network

    return load_network(getattr(args, "data", None))
