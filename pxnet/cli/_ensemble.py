"""The ``pxnet ensemble`` subcommand: how likely each goal is met by each year, over the uncertain inputs.

Wired into :mod:`pxnet.cli` by ``register(subparsers)``.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

import pandas as pd

from ._args import load, write_csv, write_png

__all__ = ["register"]


def _workers(text: str) -> int | str:
    """Parse ``--workers``: a whole number, or ``auto``; the range is checked by :func:`pxnet.ensemble`."""
    if text == "auto":
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number or 'auto', got {text!r}") from None


def _interval(low: float, high: float) -> str:
    return f"[{low:.2f}–{high:.2f}]" if math.isfinite(low) and math.isfinite(high) else "[–]"


def _print_p_met(p: pd.DataFrame, years: list[int]) -> None:
    print(f"\nP(met) [95 % interval] at the end of {', '.join(map(str, years))}")
    for goal, rows in p.groupby("goal", sort=False):
        cells = [f"{r.p_met:4.0%} [{r.low:.0%}–{r.high:.0%}]" for r in rows.sort_values("year").itertuples()]
        print(f"  {goal:<28} " + "  ".join(cells))


def _print_sobol(s: pd.DataFrame, year: int) -> None:
    print(
        f"\ninputs that decide each goal in {year}: Sobol indices of the verdict, total ST and first-order S1 "
        "with 95 % intervals (an input whose ST interval reaches 0 is not shown)"
    )
    for goal, rows in s[s["year"] == year].groupby("goal", sort=False):
        if not rows["variance"].iloc[0] > 0:
            print(f"  {goal:<28} the verdict is the same in every draw: nothing to apportion")
            continue
        top = rows[rows["ST_low"] > 0].head(3)
        text = "; ".join(
            f"{r.factor} ST {r.ST:.2f} {_interval(r.ST_low, r.ST_high)}, S1 {r.S1:.2f} {_interval(r.S1_low, r.S1_high)}"
            for r in top.itertuples()
        )
        print(f"  {goal:<28} {text or 'no input stands out from sampling noise'}")


def _print_ranks(s: pd.DataFrame, year: int, draws: int) -> None:
    noise = 2 / draws**0.5
    print(
        f"\ninputs that move each goal's margin in {year} (Spearman rank correlation; |ρ| < {noise:.2f} is noise; "
        "--sobol for variance-based indices with intervals)"
    )
    for goal, rows in s[s["year"] == year].groupby("goal", sort=False):
        top = rows[rows["spearman"].abs() >= noise].head(3)
        text = ", ".join(f"{r.factor} {r.spearman:+.2f}" for r in top.itertuples()) or "none above noise"
        print(f"  {goal:<28} {text}")


def _cmd_ensemble(args: argparse.Namespace) -> int:
    """Run an ensemble and print P(met) per goal and year, and the inputs that decide each goal."""
    from ..goals import ensemble

    net = load(args)
    engine: Any = "local"
    if args.scheduler:
        from distributed import Client

        engine = Client(args.scheduler)  # type: ignore[no-untyped-call]  # distributed has no hints
    try:
        result = ensemble(
            args.goal,
            args.years,
            draws=args.draws,
            seed=args.seed,
            engine=engine,
            workers=args.workers,
            network=net,
            basis=args.basis,
            sampler=args.sampler,
            sobol=args.sobol,
        )
    finally:
        if engine != "local":
            engine.close()
    p = result.p_met()
    design = f", Saltelli design: {len(result.inputs):,} input sets" if result.sobol else ""
    print(
        f"{result.draws} joint draws ({result.sampler}, seed {result.seed}{design}) of {len(result.factors)} "
        f"uncertain inputs, {result.basis} dates; {result.engine} engine, {result.workers} worker(s), "
        f"{result.seconds:.1f} s"
    )
    years = sorted(set(p["year"]))
    _print_p_met(p, years)
    last = years[-1] if args.decide_year is None else args.decide_year
    s = result.sensitivity() if result.sobol else result.rank_correlations()
    if result.sobol:
        _print_sobol(s, last)
    else:
        _print_ranks(s, last, result.draws)
    if args.csv:  # every draw with its inputs: built only when asked for
        write_csv(result.frame(), args.csv)
    write_csv(p, args.summary_csv)
    write_csv(s, args.sensitivity_csv)
    if args.png:
        from ..plot import figure_ensemble

        write_png(figure_ensemble(result), args.png)
    return 0


def register(sub: Any) -> None:
    """Add the ``ensemble`` subcommand to the ``pxnet`` parser's subparsers."""
    p = sub.add_parser(
        "ensemble",
        help="P(met) of each goal by year over joint draws of the uncertain inputs",
        description=(
            "Draw the uncertain inputs jointly (each parameter over its range, each uncertain opening date; "
            "distributions in parameters.yaml and projects.yaml), evaluate every goal at the end of each year, "
            "and print how likely each goal is met, with 95 % intervals, and which inputs decide it."
        ),
    )
    p.add_argument("--goal", nargs="+", default=None, help="goal ids (default: every goal that is not a milestone)")
    p.add_argument(
        "--years",
        nargs="+",
        type=int,
        default=[2025, 2028, 2030, 2035],
        help="years from 2000 to 2100 (default: 2025 2028 2030 2035)",
    )
    p.add_argument("--draws", type=int, default=200, help="number of joint draws, 1 to 100,000 (default: 200)")
    p.add_argument("--seed", type=int, default=0, help="sampler seed, a whole number >= 0 (default: 0)")
    p.add_argument(
        "--workers",
        type=_workers,
        default=None,
        help="local worker processes, 1 to 256, or auto (default: one per CPU; 1 runs in this process)",
    )
    p.add_argument("--scheduler", default=None, help="address of a Dask scheduler (needs pxnet[dask])")
    p.add_argument("--basis", default="expected", choices=["expected", "actual", "plan"])
    p.add_argument("--sampler", default="lhs", choices=["lhs", "sobol"])
    p.add_argument(
        "--sobol",
        action="store_true",
        help="Saltelli's design for Sobol indices of which inputs decide each goal (draws x (inputs + 2) evaluations)",
    )
    p.add_argument("--decide-year", type=int, default=None, help="year for the deciding inputs (default: the last)")
    p.add_argument("--csv", default=None, help="write every draw's results with its inputs to this CSV file")
    p.add_argument("--summary-csv", default=None, help="write P(met) per goal and year to this CSV file")
    p.add_argument(
        "--sensitivity-csv", default=None, help="write the Sobol indices (or rank correlations) to this CSV file"
    )
    p.add_argument("--png", default=None, help="figure of P(met) by year with the bands")
    p.set_defaults(func=_cmd_ensemble)
