"""``pxnet times``: travel times and legs between places, saying what each rests on."""

from __future__ import annotations

import argparse

from ._args import add_mode_option, load, scenario_arg


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


def _hm(minutes: float) -> str:
    h, m = divmod(round(minutes), 60)
    return f"{h} h {m:02d} min"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``times`` to the ``pxnet`` subcommands."""
    p = sub.add_parser("times", help="travel times between places")
    p.add_argument("--from", dest="origin", nargs="+", required=True, help="origin place(s): id, 中文 or English")
    p.add_argument("--to", nargs="+", required=True, help="destination place(s)")
    add_mode_option(p)
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
