"""``pxnet assess``: the plan's goals in scenarios (the main job), with its reports."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ._args import load, scenario_arg
from ._cards import add_with_option, sketched


def _cmd_assess(args: argparse.Namespace) -> int:
    """Assess the plan's goals; print a table (or JSON) and optionally write reports."""
    import json
    import os
    from pathlib import Path

    from ..errors import ExportError
    from ..goals import assess
    from ..report import format_assessment, write_assessment

    if args.out and Path(args.out).exists() and not Path(args.out).is_dir():
        raise ExportError(f"--out {args.out}: is a file, not a folder")  # say so before the long run

    from .._progress import Stages

    step = Stages("assess")  # each stage from the first second: on a terminal, piped or in a log
    step("reading the data")
    net = load(args)
    scenarios: list[Any] | None = [scenario_arg(s) for s in args.scenario] if args.scenario else None
    if args.cards:
        from ..goals import default_scenarios

        scenarios = sketched(args.scenario or default_scenarios(net), args.cards, net)
        net = scenarios[-1].network
    step("assessing the goals")
    result = assess(args.goal or None, scenarios, network=net, flips=not args.no_flips, sensitivity=args.sensitivity)
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        color = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        print(format_assessment(result, color=color, lang=args.lang))
    if args.out:
        from ..analysis import report_inputs
        from ..plot import census_units

        # Everything the report draws is computed here, once; the report and its maps only draw it.
        figures, maps = not args.no_figures, not args.no_maps
        step("computing the maps' isochrones and the 3-hour corridor")
        units = census_units(result.network) if figures and maps else None
        inputs = report_inputs(result.scenarios, network=result.network, figures=figures, maps=maps, units=units)
        paths = write_assessment(
            result, args.out, figures=figures, maps=maps, lang=args.lang, progress=step, inputs=inputs
        )
        print(f"\nwrote {', '.join(str(p) for p in paths.values())}", file=sys.stderr if args.json else sys.stdout)
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``assess`` to the ``pxnet`` subcommands."""
    p = sub.add_parser("assess", help="assess the plan's goals in scenarios (the main job)")
    p.add_argument(
        "--scenario",
        nargs="+",
        default=None,
        help="scenario names or years (default: as-built-2019 plan-2020 plan-2025 as-built-<now> expected-2030)",
    )
    p.add_argument("--goal", nargs="+", default=None, help="goal ids (default: all)")
    p.add_argument("--json", action="store_true", help="print the stable JSON document (docs/assessment.md)")
    p.add_argument("--out", default=None, help="folder for report.md, report.html, assessment.json and figures")
    p.add_argument("--no-flips", action="store_true", help="skip the search for projects that flip a result")
    p.add_argument("--no-figures", action="store_true", help="write reports without figures (and maps)")
    p.add_argument("--no-maps", action="store_true", help="write reports without the maps (faster)")
    p.add_argument("--lang", default="en", choices=["en", "zh"], help="language of the table and reports (zh: 中文)")
    p.add_argument(
        "--sensitivity",
        action="store_true",
        help="also vary each ranged model parameter (parameters.yaml) and report the verdicts that change",
    )
    add_with_option(p, what="each scenario (each is assessed without and with them)")
    p.set_defaults(func=_cmd_assess)
