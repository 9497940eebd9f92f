"""The ``pxnet impacts`` subcommand: the travel time each project saves, switched alone.

Wired into :mod:`pxnet.cli` by ``register(subparsers)``.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from ._args import add_mode_option, load, scenario_arg, write_csv, write_png

__all__ = ["register"]


def _cmd_impacts(args: argparse.Namespace) -> int:
    """Switch each project alone and print the minutes it saves each origin."""
    from ..analysis import project_impacts

    net = load(args)
    table = project_impacts(
        scenario_arg(args.scenario),
        origins=args.origin,
        destinations=args.to,
        projects=args.project,
        mode=args.mode,
        network=net,
    )
    print(f"scenario {table.attrs['scenario']}, mode {args.mode}; each project switched alone")
    for origin, rows in table.groupby("origin", sort=False):
        first = rows.iloc[0]
        base = first["watt_with_min"] if first["open"] else first["watt_without_min"]
        average = f"{base:.1f} min" if math.isfinite(base) else "not defined (some destinations unreachable)"
        print(f"\n{origin}: weighted average travel time in the scenario {average}")
        idle = []
        for r in rows.itertuples(index=False):
            effect = _effect(r)
            if effect is None:
                idle.append(r.project)
                continue
            state = "open" if r.open else "not open"
            print(f"  {r.project:<24} {state:<9} {effect}")
        if idle:
            print(f"  no effect: {', '.join(idle)}")
    write_csv(table, args.csv)
    if args.png:
        from ..plot import figure_impacts

        write_png(figure_impacts(table), args.png)
    return 0


def _effect(r: Any) -> str | None:
    """Describe what a project does for an origin, in words; ``None`` when it changes nothing worth a line."""
    details = []
    if r.reached_only_with:
        details.append(
            f"{r.reached_only_with} destination{'' if r.reached_only_with == 1 else 's'} reachable only with it"
        )
    if r.improved:
        details.append(f"{r.improved} destination{'' if r.improved == 1 else 's'} closer")
    if isinstance(r.best_destination, str) and r.best_destination:
        details.append(f"most for {r.best_destination} ({r.best_saved_min:.0f} min)")
    if math.isinf(r.saved_min):
        head = "saves ∞ min (some destination needs it)"
    elif math.isnan(r.saved_min):
        head = "trips impossible with it"
    elif round(r.saved_min, 1) != 0:
        head = f"{'saves' if r.saved_min > 0 else 'costs'} {abs(r.saved_min):.1f} min"
    elif details:
        head = "no change to the weighted average"
    else:
        return None
    return head + (f" ({'; '.join(details)})" if details else "")


def register(sub: Any) -> None:
    """Add the ``impacts`` subcommand to the ``pxnet`` parser's subparsers."""
    p = sub.add_parser(
        "impacts",
        help="minutes each project saves, switched alone (opened if not open, closed if open)",
        description=(
            "Switch each project that changes the network alone in a scenario and report how much it shortens "
            "the trips of each origin: weighted average travel time with and without it, and the destination it "
            "helps most."
        ),
    )
    p.add_argument("--scenario", default=None, help="scenario name or year (default: as built today)")
    p.add_argument("--from", dest="origin", nargs="+", default=["萍乡"], help="origin place(s) (default: 萍乡)")
    p.add_argument("--to", nargs="+", default=None, help="destination places (default: every place)")
    p.add_argument("--project", nargs="+", default=None, help="project ids (default: every network project)")
    add_mode_option(p)
    p.add_argument("--csv", default=None, help="write the table to this CSV file")
    p.add_argument("--png", default=None, help="bar chart of the minutes saved for the first origin")
    p.set_defaults(func=_cmd_impacts)
