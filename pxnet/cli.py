"""The ``pxnet`` command line."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ._errors import PxnetError


def _load(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from .network import load_network

    return load_network(args.data)


def cmd_summary(args: argparse.Namespace) -> int:
    """Load and validate the network, print its summary and any data warnings."""
    net = _load(args)
    print(net.summary())
    for problem in net.warnings:
        print(f"  warning: {problem}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate a data folder; exit status 0 when valid."""
    net = _load(args)
    print(f"ok: {net!r}")
    for problem in net.warnings:
        print(f"warning: {problem}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Export the network or one scenario to GeoPackage or GraphML."""
    from pathlib import Path

    from .export import to_geopackage, to_graphml
    from .scenario import get_scenario

    net = _load(args)
    out = Path(args.out)
    scenario = get_scenario(_scenario_arg(args.scenario), network=net) if args.scenario else None
    if out.suffix.lower() == ".gpkg":
        to_geopackage(scenario if scenario is not None else net, out)
    elif out.suffix.lower() == ".graphml":
        to_graphml(get_scenario(_scenario_arg(args.scenario), network=net).graph(mode=args.mode), out)
    else:
        raise PxnetError(f"cannot tell the format of {out.name!r}: use .gpkg or .graphml")
    print(f"wrote {out}")
    return 0


def _scenario_arg(value: str | None) -> str | int | None:
    return int(value) if value is not None and value.isdigit() else value


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(prog="pxnet", description="Pingxiang – Greater Bay Area transport model")
    parser.add_argument("--data", default=None, help="data folder (default: the bundled Pingxiang network)")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("summary", help="load, validate and summarise the network")
    p.set_defaults(func=cmd_summary)
    p = sub.add_parser("validate", help="validate a data folder")
    p.set_defaults(func=cmd_validate)
    p = sub.add_parser("export", help="export to GeoPackage (.gpkg) or GraphML (.graphml)")
    p.add_argument("--scenario", default=None, help="scenario name or year (default: the whole network / today)")
    p.add_argument("--mode", default=None, help="for GraphML: hsr, rail, road, door_to_door or a link mode")
    p.add_argument("--out", required=True, help="output file")
    p.set_defaults(func=cmd_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except PxnetError as exc:
        print(f"pxnet: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
