"""The ``pxnet journeys`` subcommand: every usable train between two places, from the scenario's timetable.

Wired into :mod:`pxnet.cli` by ``register(subparsers)``.
"""

from __future__ import annotations

import argparse

from ._args import load, scenario_arg, write_csv

__all__ = ["register"]


def _cmd_journeys(args: argparse.Namespace) -> int:
    """Print (or write) one row per usable departure."""
    from ..routing import journeys, read_timetable

    net = load(args)
    timetable = read_timetable(args.timetable, network=net) if args.timetable else None
    window = tuple(args.window) if args.window else None
    table = journeys(
        args.origin,
        args.to,
        scenario=scenario_arg(args.scenario),
        mode=args.mode,
        departure=window,
        network=net,
        timetable=timetable,
        scheduled_only=args.scheduled_only,
    )
    print(f"{args.origin} → {args.to}, scenario {table.attrs['scenario']}, mode {args.mode}")
    print(f"basis: {table.attrs['timetable_basis']}")
    if args.within is not None:  # only the departures that arrive within the limit
        total = len(table)
        table = table[table["minutes"] <= args.within]
        print(f"{len(table)} of {total} usable departure(s) within {args.within:g} min")
    if table.empty:
        print("no usable departure in the window" + (f" within {args.within:g} min" if args.within else ""))
    else:
        shown = table[["trains", "from", "to", "departure", "arrival", "minutes", "changes", "via", "basis"]]
        print(shown.to_string(index=False, float_format=lambda v: f"{v:.0f}"))
    write_csv(table, args.out)
    return 0


def positive_minutes(text: str) -> float:
    """Read ``--within``: a positive number of minutes (at most a day).

    Examples
    --------
    >>> positive_minutes("180")
    180.0
    """
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of minutes") from None
    if not 0 < value <= 1440:
        raise argparse.ArgumentTypeError(f"{text!r}: give minutes above 0 and at most 1440")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``journeys`` to the ``pxnet`` subcommands."""
    p = sub.add_parser("journeys", help="every usable train between two places, from the scenario's timetable")
    p.add_argument("--from", dest="origin", required=True, help="origin place or station (e.g. 萍乡北)")
    p.add_argument("--to", required=True, help="destination place or station (e.g. 广州南)")
    p.add_argument("--scenario", help="scenario name or year (default: today); its date picks the timetable")
    p.add_argument("--mode", default="hsr", choices=["hsr", "rail", "door_to_door"], help="trip mode (default hsr)")
    p.add_argument("--window", nargs=2, metavar=("FROM", "TO"), help="departures between two times, e.g. 06:00 12:00")
    p.add_argument("--timetable", help="a GTFS feed (folder or .zip) instead of the bundled timetable")
    p.add_argument("--scheduled-only", action="store_true", help="leave out modelled trips of untimetabled services")
    p.add_argument(
        "--within", type=positive_minutes, help="show only the departures within this many minutes (e.g. 180)"
    )
    p.add_argument("--out", help="write the table to this CSV file")
    p.set_defaults(func=_cmd_journeys)
