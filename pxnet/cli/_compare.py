"""``pxnet compare`` and ``pxnet check-times``: two scenarios compared; the model beside observed times."""

from __future__ import annotations

import argparse
from typing import Any

from ..errors import ScenarioError
from ._args import add_mode_option, load, scenario_arg
from ._cards import add_with_option, sketched


def _cmd_compare(args: argparse.Namespace) -> int:
    """Compare two scenarios: winners and losers, OD changes, accessibility; optionally write reports."""
    from ..analysis import compare
    from ..report import format_comparison, write_comparison

    net = load(args)
    a: Any = scenario_arg(args.a)
    b: Any = scenario_arg(args.b)
    if args.cards:
        a, b = sketched([args.b or args.a], args.cards, net)
        a = scenario_arg(args.a) if args.b else a
        net = b.network
    elif b is None:
        raise ScenarioError("give scenario B, or --with CARD to compare A with A plus the card(s)")
    result = compare(
        a,
        b,
        origins=args.origins,
        destinations=args.destinations,
        mode=args.mode,
        network=net,
    )
    print(format_comparison(result))
    if args.out:
        paths = write_comparison(result, args.out, figures=not args.no_figures)
        print(f"\nwrote {', '.join(str(p) for p in paths.values())}")
    return 0


def _cmd_check_times(args: argparse.Namespace) -> int:
    """Model times beside the sourced observed times of the data folder."""
    from ..analysis import check_times

    table = check_times(network=load(args))
    if table.empty:
        print("no observed_times.csv in the data folder: nothing to check")
        return 0
    shown = table[["id", "from", "to", "mode", "scenario", "observed_min", "model_min", "ratio", "timetable_min"]]
    print(shown.to_string(index=False, float_format=lambda v: f"{v:,.2f}"))
    for row in table.itertuples(index=False):
        if row.note:
            print(f"  {row.id}: {row.note}")
    print(f"median model ÷ observed: {table['ratio'].median():.2f}")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``compare`` and ``check-times`` to the ``pxnet`` subcommands."""
    p = sub.add_parser("compare", help="compare scenario B with scenario A")
    p.add_argument("a", help="scenario A (name or year), the reference")
    p.add_argument("b", nargs="?", default=None, help="scenario B (name or year; default with --with: A)")
    add_mode_option(p)
    p.add_argument("--origins", nargs="+", default=None, help="origin places (default: all places)")
    p.add_argument("--destinations", nargs="+", default=None, help="destination places (default: all places)")
    p.add_argument("--out", default=None, help="folder for comparison.md, od.csv, indicators.csv and a figure")
    p.add_argument("--no-figures", action="store_true")
    add_with_option(p, what="scenario B (or to A, when B is not given)")
    p.set_defaults(func=_cmd_compare)
    p = sub.add_parser("check-times", help="model times beside the sourced observed times (observed_times.csv)")
    p.set_defaults(func=_cmd_check_times)
