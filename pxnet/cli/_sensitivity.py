"""The ``pxnet sensitivity`` subcommand: travel times and goal verdicts across the parameters' ranges.

Wired into :mod:`pxnet.cli` by ``register(subparsers)``.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

from ..errors import PxnetError
from ._args import add_mode_option, load, scenario_arg, write_csv, write_png

__all__ = ["parse_parameters", "register"]


def parse_parameters(items: list[str] | None) -> list[str] | dict[str, tuple[float, float]] | None:
    """``--param`` values: names (their data ranges) or ``name=low:high``; mixing both is allowed.

    Examples
    --------
    >>> parse_parameters(["dwell_min", "transfer_min=5:30"])
    {'dwell_min': None, 'transfer_min': (5.0, 30.0)}
    >>> parse_parameters(["dwell_min"])
    ['dwell_min']
    """
    if not items:
        return None
    out: dict[str, Any] = {}
    for item in items:
        name, sep, rest = item.partition("=")
        if not sep:
            out[name] = None
            continue
        low, colon, high = rest.partition(":")
        try:
            out[name] = (float(low), float(high))
        except ValueError:
            raise PxnetError(f"--param {item!r}: write NAME or NAME=LOW:HIGH (e.g. transfer_min=10:25)") from None
        if not colon:
            raise PxnetError(f"--param {item!r}: write NAME or NAME=LOW:HIGH (e.g. transfer_min=10:25)")
    if all(v is None for v in out.values()):
        return list(out)
    return out


def _ranges(parsed: list[str] | dict[str, Any] | None, net: Any) -> Any:
    """Fill names given without a range from the data's ranges."""
    if not isinstance(parsed, dict):
        return parsed
    from ..analysis import parameter_ranges

    named = [n for n, v in parsed.items() if v is None]
    data = parameter_ranges(named, net.parameters) if named else {}
    return {n: (v if v is not None else data[n]) for n, v in parsed.items()}


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    """Vary each parameter over its range; print how travel times or goal verdicts move."""
    net = load(args)
    params = _ranges(parse_parameters(args.param), net)
    if args.goals is not None:
        return _goals(args, net, params)
    return _times(args, net, params)


def _times(args: argparse.Namespace, net: Any, params: Any) -> int:
    from ..analysis import sensitivity

    if args.scenario and len(args.scenario) > 1:
        raise PxnetError("travel-time sensitivity takes one --scenario (goal sensitivity takes several)")
    scenario = scenario_arg(args.scenario[0]) if args.scenario else None
    table = sensitivity(
        args.origin,
        args.to,
        mode=args.mode,
        scenario=scenario,
        network=net,
        parameters=params,
        initial_wait_fraction=args.initial_wait,
    )
    print(f"scenario {table.attrs['scenario']}, mode {args.mode}; one parameter at a time over its range")
    names = net.nodes["name_zh"]
    for (o, d), rows in table.groupby(["origin", "destination"], sort=False):
        base = float(rows["base_min"].iloc[0])
        print(f"\n{names.get(o, o)} → {names.get(d, d)}: {base:.0f} min with every parameter at its value")
        for r in rows.itertuples(index=False):
            if r.swing_min == 0:
                continue
            flag = ""
            if args.threshold is not None:
                inside = {t <= args.threshold for t in (base, r.low_min, r.high_min)}
                flag = f"  crosses {args.threshold:g} min" if len(inside) > 1 else ""
            print(
                f"  {r.parameter:<24} {r.low:g}–{r.high:g} (now {r.value:g})   "
                f"{_m(r.low_min)} / {_m(r.high_min)} min   swing {_m(r.swing_min)}{flag}"
            )
        idle = rows.loc[rows["swing_min"] == 0, "parameter"].tolist()
        if idle:
            print(f"  no effect: {', '.join(idle)}")
    write_csv(table, args.csv)
    if args.png:
        from ..plot import figure_sensitivity

        first = table.iloc[0]
        fig = figure_sensitivity(
            table, origin=first["origin"], destination=first["destination"], threshold=args.threshold
        )
        pair = (
            f"{names.get(first['origin'], first['origin'])} → {names.get(first['destination'], first['destination'])}"
        )
        write_png(fig, args.png, what=pair)
    return 0


def _goals(args: argparse.Namespace, net: Any, params: Any) -> int:
    from ..goals import goal_sensitivity

    scenarios = [scenario_arg(s) for s in args.scenario] if args.scenario else None
    table = goal_sensitivity(args.goals or None, scenarios, network=net, parameters=params)
    verdicts = table.groupby(["goal", "scenario"], sort=False)["robust"].all()
    print(f"{int(verdicts.sum())} of {len(verdicts)} goal verdicts hold at both ends of every parameter's range")
    fragile = table[~table["robust"]]
    for r in fragile.itertuples(index=False):
        for end, status, value in (("low", r.low_status, r.low_value), ("high", r.high_status, r.high_value)):
            if status != r.base_status:
                level = r.low if end == "low" else r.high
                print(
                    f"  {r.goal} in {r.scenario}: {r.base_status} → {status} with {r.parameter}={level:g} "
                    f"({_m(r.base_value)} → {_m(value)} {r.unit or ''})".rstrip()
                )
    write_csv(table, args.csv)
    return 0


def _m(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float) and math.isinf(value):
        return "∞"
    return f"{float(value):.1f}"


def register(sub: Any) -> None:
    """Add the ``sensitivity`` subcommand to the ``pxnet`` parser's subparsers."""
    p = sub.add_parser(
        "sensitivity",
        help="how travel times or goal verdicts move over the parameters' plausible ranges",
        description=(
            "Vary one model parameter at a time to the ends of its range (parameters.yaml, or --param) and report "
            "how travel times (--from/--to) or the goals' verdicts (--goals) change."
        ),
    )
    what = p.add_mutually_exclusive_group(required=True)
    what.add_argument("--from", dest="origin", nargs="+", help="origin place(s) for travel times")
    what.add_argument("--goals", nargs="*", default=None, help="goal ids (none given: every non-milestone goal)")
    p.add_argument("--to", nargs="+", default=None, help="destination place(s) (default: the origins)")
    add_mode_option(p)
    p.add_argument(
        "--scenario", nargs="+", default=None, help="scenario name or year (several for --goals; default: today)"
    )
    p.add_argument("--param", nargs="+", default=None, help="NAME or NAME=LOW:HIGH (default: every ranged parameter)")
    p.add_argument("--initial-wait", type=float, default=None, help="first-boarding wait as a fraction of the headway")
    p.add_argument("--threshold", type=float, default=None, help="minutes to flag (e.g. 180 for the 3-hour goals)")
    p.add_argument("--csv", default=None, help="write the full table to this CSV file")
    p.add_argument("--png", default=None, help="tornado chart of the first origin–destination pair")
    p.set_defaults(func=_cmd_sensitivity)
