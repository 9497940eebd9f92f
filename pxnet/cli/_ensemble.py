"""The ``pxnet ensemble`` subcommand: how likely each goal is met by each year, over the uncertain inputs.

Wired into :mod:`pxnet.cli` by ``register(subparsers)``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ._args import load, write_csv

__all__ = ["register"]


def _progress_bar(total: int) -> tuple[Any, Any]:
    """Return a terminal tqdm bar (``None`` when tqdm is missing or stderr is not a TTY) and its update callback."""
    if not sys.stderr.isatty():
        return None, None
    try:
        from tqdm import tqdm
    except ImportError:
        return None, None
    bar = tqdm(total=total, unit="draw", desc="ensemble", file=sys.stderr)
    return bar, bar.update


def _cmd_ensemble(args: argparse.Namespace) -> int:
    """Run an ensemble and print P(met) per goal and year, and the inputs that decide each goal."""
    from ..goals import ensemble

    net = load(args)
    engine: Any = "local"
    if args.scheduler:
        from distributed import Client

        engine = Client(args.scheduler)  # type: ignore[no-untyped-call]  # distributed has no hints
    bar, update = _progress_bar(args.draws)
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
            progress=update,
        )
    finally:
        if bar is not None:
            bar.close()
        if engine != "local":
            engine.close()
    p = result.p_met()
    print(
        f"{result.draws} joint draws ({result.sampler}, seed {result.seed}) of {len(result.factors)} uncertain "
        f"inputs, {result.basis} dates; {result.engine} engine, {result.workers} worker(s), {result.seconds:.1f} s"
    )
    years = sorted(set(p["year"]))
    print(f"\nP(met) [95 % interval] at the end of {', '.join(map(str, years))}")
    for goal, rows in p.groupby("goal", sort=False):
        cells = [f"{r.p_met:4.0%} [{r.low:.0%}–{r.high:.0%}]" for r in rows.sort_values("year").itertuples()]
        print(f"  {goal:<28} " + "  ".join(cells))
    s = result.sensitivity()
    last = years[-1] if args.decide_year is None else args.decide_year
    print(
        f"\ninputs that decide each goal in {last} (Spearman rank correlation with the margin; |ρ| < "
        f"{2 / result.draws**0.5:.2f} is noise)"
    )
    for goal, rows in s[s["year"] == last].groupby("goal", sort=False):
        top = rows[rows["spearman"].abs() >= 2 / result.draws**0.5].head(3)
        text = ", ".join(f"{r.factor} {r.spearman:+.2f}" for r in top.itertuples()) or "none above noise"
        print(f"  {goal:<28} {text}")
    if args.csv:
        write_csv(result.frame(), args.csv)
    if args.summary_csv:
        write_csv(p, args.summary_csv)
    if args.png:
        from ..plot import figure_ensemble, save_figure

        save_figure(figure_ensemble(result), Path(args.png))
        print(f"wrote {args.png}")
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
        "--years", nargs="+", type=int, default=[2025, 2028, 2030, 2035], help="years (default: 2025 2028 2030 2035)"
    )
    p.add_argument("--draws", type=int, default=200, help="number of joint draws (default: 200)")
    p.add_argument("--seed", type=int, default=0, help="sampler seed (default: 0)")
    p.add_argument("--workers", type=int, default=None, help="local worker processes (default: the CPUs)")
    p.add_argument("--scheduler", default=None, help="address of a Dask scheduler (needs pxnet[dask])")
    p.add_argument("--basis", default="expected", choices=["expected", "actual", "plan"])
    p.add_argument("--sampler", default="lhs", choices=["lhs", "sobol"])
    p.add_argument("--decide-year", type=int, default=None, help="year for the deciding inputs (default: the last)")
    p.add_argument("--csv", default=None, help="write every draw's results with its inputs to this CSV file")
    p.add_argument("--summary-csv", default=None, help="write P(met) per goal and year to this CSV file")
    p.add_argument("--png", default=None, help="figure of P(met) by year with the bands")
    p.set_defaults(func=_cmd_ensemble)
