"""The ``pxnet`` command line: the parser and ``main``; each subcommand is a module of its own (``_<name>``)."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence

from ..errors import PxnetError
from ._args import add_data_option, check_outputs
from ._assess import register as register_assess
from ._compare import register as register_compare
from ._ensemble import register as register_ensemble
from ._export import register as register_export
from ._impacts import register as register_impacts
from ._isochrone import register as register_isochrone
from ._journeys import register as register_journeys
from ._sensitivity import register as register_sensitivity
from ._summary import register as register_summary
from ._times import register as register_times


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser (exposed for documentation and tests).

    Examples
    --------
    >>> build_parser().parse_args(["assess", "--scenario", "2026"]).scenario
    ['2026']
    """
    parser = argparse.ArgumentParser(prog="pxnet", description="Pingxiang – Greater Bay Area transport model")
    parser.add_argument("--data", default=None, help="data folder (default: the bundled Pingxiang network)")
    from .._version import __version__

    parser.add_argument("--version", action="version", version=f"pxnet {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    register_summary(sub)
    register_times(sub)
    register_assess(sub)
    register_compare(sub)
    register_isochrone(sub)
    register_journeys(sub)
    register_sensitivity(sub)
    register_impacts(sub)
    register_ensemble(sub)
    register_export(sub)
    add_data_option(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 for a pxnet error, printed without a traceback).

    Examples
    --------
    >>> main(["times", "--from", "萍乡北", "--to", "长沙南", "--mode", "hsr", "--scenario", "2025"])
    ... # doctest: +ELLIPSIS
    scenario as-built-2025 ...
    0
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    shown = warnings.formatwarning
    warnings.formatwarning = _warning_line
    try:
        check_outputs(args)
        return int(args.func(args))
    except PxnetError as exc:
        print(f"pxnet: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `pxnet assess | head`: the reader left; not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        warnings.formatwarning = shown


def _warning_line(
    message: Warning | str, category: type[Warning], filename: str, lineno: int, line: str | None = None
) -> str:
    """Format a warning for the terminal as one line, ``pxnet: warning: …``, without a Python file and source line."""
    text = " ".join(str(message).split("\n"))
    return f"pxnet: warning: {text} ({category.__name__})\n"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
