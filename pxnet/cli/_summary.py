"""``pxnet summary`` and ``pxnet validate``: load a data folder, validate it, summarise it."""

from __future__ import annotations

import argparse

from ._args import load


def _cmd_summary(args: argparse.Namespace) -> int:
    """Load and validate the network, print its summary and any data warnings."""
    net = load(args)
    print(net.summary())
    for problem in net.warnings:
        print(f"  warning: {problem}")
    return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    """Validate a data folder; exit status 0 when valid."""
    net = load(args)
    print(f"ok: {net!r}")
    for problem in net.warnings:
        print(f"warning: {problem}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``summary`` and ``validate`` to the ``pxnet`` subcommands."""
    p = sub.add_parser("summary", help="load, validate and summarise the network")
    p.set_defaults(func=_cmd_summary)
    p = sub.add_parser("validate", help="validate a data folder")
    p.set_defaults(func=_cmd_validate)
