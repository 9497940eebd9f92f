"""``pxnet export``: the network or a scenario as GeoPackage or GraphML."""

from __future__ import annotations

import argparse

from ..errors import PxnetError
from ._args import load, scenario_arg


def _cmd_export(args: argparse.Namespace) -> int:
    """Export the network or one scenario to GeoPackage or GraphML."""
    from pathlib import Path

    from ..convert import to_geopackage, to_graphml
    from ..scenario import get_scenario

    net = load(args)
    out = Path(args.out)
    scenario = get_scenario(scenario_arg(args.scenario), network=net) if args.scenario else None
    if out.suffix.lower() == ".gpkg":
        to_geopackage(scenario if scenario is not None else net, out)
    elif out.suffix.lower() == ".graphml":
        to_graphml(get_scenario(scenario_arg(args.scenario), network=net).graph(mode=args.mode), out)
    else:
        raise PxnetError(f"cannot tell the format of {out.name!r}: use .gpkg or .graphml")
    print(f"wrote {out}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``export`` to the ``pxnet`` subcommands."""
    p = sub.add_parser("export", help="export to GeoPackage (.gpkg) or GraphML (.graphml)")
    p.add_argument("--scenario", default=None, help="scenario name or year (default: the whole network / today)")
    p.add_argument("--mode", default=None, help="for GraphML: hsr, rail, road, door_to_door or a link mode")
    p.add_argument("--out", required=True, help="output file")
    p.set_defaults(func=_cmd_export)
