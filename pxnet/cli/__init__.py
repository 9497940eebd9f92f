"""The ``pxnet`` command line."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from ..errors import PxnetError, ScenarioError
from ._args import add_data_option, check_outputs, load, mode_arg, scenario_arg
from ._cards import add_with_option, sketched
from ._ensemble import register as register_ensemble
from ._impacts import register as register_impacts
from ._isochrone import register as register_isochrone
from ._journeys import register as register_journeys
from ._sensitivity import register as register_sensitivity


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


def departure_arg(text: str | None) -> str | tuple[str, str] | None:
    """Read ``--departure``: ``HH:MM`` or a window ``HH:MM-HH:MM`` (checked by the router, with its message).

    Examples
    --------
    >>> departure_arg("06:00-22:00"), departure_arg("07:30"), departure_arg(None)
    (('06:00', '22:00'), '07:30', None)
    """
    if text is None or "-" not in text:
        return text
    first, _, last = text.partition("-")
    return first.strip(), last.strip()


def _cmd_times(args: argparse.Namespace) -> int:
    """Travel times (and legs) between places, as a table or JSON."""
    import json
    import math

    from ..routing import route
    from ..scenario import get_scenario

    net = load(args)
    scenario = get_scenario(scenario_arg(args.scenario), network=net)
    results = []
    for origin in args.origin:
        for destination in args.to:
            legs = route(
                origin,
                destination,
                mode=args.mode,
                scenario=scenario,
                network=net,
                initial_wait_fraction=args.initial_wait,
                departure=departure_arg(args.departure),
                statistic=args.statistic,
            )
            results.append((origin, destination, legs))
    if args.json:
        out = []
        for origin, destination, legs in results:
            minutes = legs.attrs["minutes"]
            out.append(
                {
                    "origin": origin,
                    "origin_id": legs.attrs["origin"],
                    "destination": destination,
                    "destination_id": legs.attrs["destination"],
                    "mode": args.mode,
                    "scenario": scenario.name,
                    "minutes": round(minutes, 2) if math.isfinite(minutes) else None,
                    **{k: legs.attrs[k] for k in ("statistic", "window", "timetable_basis") if k in legs.attrs},
                    "legs": [
                        {k: (round(v, 2) if isinstance(v, float) else v) for k, v in row.items()}
                        for row in legs.to_dict(orient="records")
                    ],
                }
            )
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(
        f"scenario {scenario.name} ({scenario.basis}, {scenario.date.isoformat()}), mode {args.mode}; "
        f"data {net.data_date}"
    )
    attrs = results[0][2].attrs if results else {}
    if "statistic" in attrs:
        first, last = attrs["window"]
        what = "fastest journey" if attrs["statistic"] == "fastest" else f"{attrs['statistic']} travel time"
        print(f"{what} departing {first}–{last}; timetable: {attrs['timetable_basis']}")
    width = max(len(f"{o} → {d}") for o, d, _ in results) + 2
    for origin, destination, legs in results:
        minutes = legs.attrs["minutes"]
        label = f"{origin} → {destination}"
        text = "unreachable" if not math.isfinite(minutes) else f"{minutes:6.0f} min  ({_hm(minutes)})"
        print(f"{label:<{width}}{text}")
        if args.legs and math.isfinite(minutes):
            for row in legs.itertuples(index=False):
                via = f" [{row.via}]" if row.via else ""
                where = f"at {row[2]}" if row[2] == row[3] else f"{row[2]} → {row[3]}"
                dist = f"{row.km:.0f} km, " if row.km == row.km and row.km else ""
                clock = f"{row.departure}–{row.arrival}, " if row.departure else ""
                basis = f", {row.basis}" if row.leg == "ride" else ""
                print(f"{'':<{width}}  {row.leg:<8} {where}{via}  ({clock}{dist}{row.minutes:.0f} min{basis})")
    return 0


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

    from .._progress import stage_printer

    step = stage_printer("assess")  # each stage from the first second: on a terminal, piped or in a log
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


def _hm(minutes: float) -> str:
    h, m = divmod(round(minutes), 60)
    return f"{h} h {m:02d} min"


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser (exposed for documentation and tests).

    Examples
    --------
    >>> build_parser().parse_args(["assess", "--scenario", "2026"]).scenario
    ['2026']
    """
    parser = argparse.ArgumentParser(prog="pxnet", description="Pingxiang – Greater Bay Area transport model")
    parser.add_argument("--data", default=None, help="data folder (default: the bundled Pingxiang network)")
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"pxnet {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("summary", help="load, validate and summarise the network")
    p.set_defaults(func=_cmd_summary)
    p = sub.add_parser("validate", help="validate a data folder")
    p.set_defaults(func=_cmd_validate)
    p = sub.add_parser("times", help="travel times between places")
    p.add_argument("--from", dest="origin", nargs="+", required=True, help="origin place(s): id, 中文 or English")
    p.add_argument("--to", nargs="+", required=True, help="destination place(s)")
    p.add_argument("--mode", default="door_to_door", type=mode_arg, help="hsr, rail, road or door_to_door")
    p.add_argument("--scenario", default=None, help="scenario name or year (default: as built today)")
    p.add_argument("--initial-wait", type=float, default=None, help="deprecated, no effect (timetable waits)")
    p.add_argument(
        "--departure",
        default=None,
        help="a departure time HH:MM, or a window HH:MM-HH:MM (default: the service day, the fastest journey)",
    )
    p.add_argument("--statistic", default=None, help="over a window: fastest, median (default with --departure) or pNN")
    p.add_argument("--legs", action="store_true", help="show each route's legs")
    p.add_argument("--json", action="store_true", help="JSON: one object per pair with its legs")
    p.set_defaults(func=_cmd_times)
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
    p = sub.add_parser("compare", help="compare scenario B with scenario A")
    p.add_argument("a", help="scenario A (name or year), the reference")
    p.add_argument("b", nargs="?", default=None, help="scenario B (name or year; default with --with: A)")
    p.add_argument("--mode", default="door_to_door", type=mode_arg, help="hsr, rail, road or door_to_door")
    p.add_argument("--origins", nargs="+", default=None, help="origin places (default: all places)")
    p.add_argument("--destinations", nargs="+", default=None, help="destination places (default: all places)")
    p.add_argument("--out", default=None, help="folder for comparison.md, od.csv, indicators.csv and a figure")
    p.add_argument("--no-figures", action="store_true")
    add_with_option(p, what="scenario B (or to A, when B is not given)")
    p.set_defaults(func=_cmd_compare)
    p = sub.add_parser("check-times", help="model times beside the sourced observed times (observed_times.csv)")
    p.set_defaults(func=_cmd_check_times)
    register_isochrone(sub)
    register_journeys(sub)
    register_sensitivity(sub)
    register_impacts(sub)
    register_ensemble(sub)
    p = sub.add_parser("export", help="export to GeoPackage (.gpkg) or GraphML (.graphml)")
    p.add_argument("--scenario", default=None, help="scenario name or year (default: the whole network / today)")
    p.add_argument("--mode", default=None, help="for GraphML: hsr, rail, road, door_to_door or a link mode")
    p.add_argument("--out", required=True, help="output file")
    p.set_defaults(func=_cmd_export)
    add_data_option(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 2 for a pxnet error, printed without a traceback).

    Examples
    --------
    >>> main(["times", "--from", "萍乡北", "--to", "长沙南", "--mode", "hsr", "--scenario", "2025"])
    ... # doctest: +ELLIPSIS
    scenario as-built-2025 ...
    0
    """
    parser = build_parser()
    args = parser.parse_args(argv)
    shown = warnings.formatwarning
    warnings.formatwarning = _warning_line
    try:
        check_outputs(args)
        return int(args.func(args))
    except PxnetError as exc:
        print(f"pxnet: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. `pxnet assess | head`: the reader left; not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        warnings.formatwarning = shown


def _warning_line(
    message: Warning | str, category: type[Warning], filename: str, lineno: int, line: str | None = None
) -> str:
    """Format a warning for the terminal as one line, ``pxnet: warning: …``, without a Python file and source line."""
    text = " ".join(str(message).split("\n"))
    return f"pxnet: warning: {text} ({category.__name__})\n"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
