"""Travel-time goals read on the scenario's timetable: the trains behind a verdict.

:func:`timetable_note` adds to a travel-time goal's reason what a planner asks of a timetable: for a
station-to-station goal, the fastest journey (its trains), how many departures a day arrive within the limit and
the first and last of them; for a door-to-door goal, the median over every departure minute of the service day.
Each part states its basis: ``scheduled`` (and which timetable vintage) or ``modelled`` (trips generated from a
service pattern where no timetable exists).
"""

from __future__ import annotations

import math
from typing import Any

from ..network import Network
from ..routing import journeys, scenario_timetable, travel_time
from ..scenario import Scenario

__all__ = ["timetable_note", "timetable_summary"]

#: More origin–destination pairs than this and a goal is a coverage of many cities: no per-pair timetable note.
MAX_PAIRS = 2


def _vintage(sc: Scenario) -> str:
    st = scenario_timetable(sc)
    parts = [
        f"{r.service_id} ({'valid on the date' if r.how == 'valid' else 'newest; the date is past it'})"
        for r in st.vintages.itertuples()
    ]
    return "timetable " + (", ".join(parts) if parts else "none for this date: all trips modelled")


def timetable_summary(
    origin: str, destination: str, *, mode: str, limit: float, scenario: Scenario, network: Network
) -> dict[str, Any]:
    """Return the timetable figures of one pair.

    The keys are ``fastest``, ``trains``, ``basis``, ``within``, ``first``, ``last`` and ``median`` (door to door).

    Examples
    --------
    >>> import pxnet
    >>> sc = pxnet.get_scenario(2020)
    >>> s = timetable_summary("萍乡北", "广州南", mode="hsr", limit=180, scenario=sc, network=sc.network)
    >>> s["basis"], s["within"] >= 0
    ('scheduled', True)
    """
    if mode == "door_to_door":
        median = travel_time(
            origin,
            destination,
            mode=mode,
            scenario=scenario,
            network=network,
            departure=_day(scenario),
            statistic="median",
        )
        return {"median": median, "fastest": math.nan, "within": 0, "first": "", "last": "", "trains": "", "basis": ""}
    table = journeys(origin, destination, scenario=scenario, mode=mode, network=network)
    if table.empty:
        return {
            "median": math.nan,
            "fastest": math.inf,
            "within": 0,
            "first": "",
            "last": "",
            "trains": "",
            "basis": "",
        }
    best = table.loc[table["minutes"].idxmin()]
    inside = table[table["minutes"] <= limit]
    return {
        "median": math.nan,
        "fastest": float(best["minutes"]),
        "trains": str(best["trains"]),
        "basis": str(best["basis"]),
        "within": len(inside),
        "first": str(inside["departure"].iloc[0]) if len(inside) else "",
        "last": str(inside["departure"].iloc[-1]) if len(inside) else "",
    }


def _day(scenario: Scenario) -> tuple[str, str]:
    start = 6 * 60
    end = start + round(scenario.parameters.service_day_hours * 60)
    return f"{start // 60:02d}:{start % 60:02d}", f"{end // 60:02d}:{end % 60:02d}"


def timetable_note(check: dict[str, Any], scenario: Scenario, network: Network) -> str:
    """Return the timetable part of a travel-time goal's reason (empty for many-destination goals and road goals)."""
    mode = check.get("mode", "door_to_door")
    if mode == "road":
        return ""
    origins = [check["from"]] if isinstance(check["from"], str) else list(check["from"])
    dests = [check["to"]] if isinstance(check["to"], str) else list(check["to"])
    pairs = [(o, d) for o in origins for d in dests]
    if check.get("both_directions"):
        pairs += [(d, o) for o, d in pairs]
    if len(pairs) > MAX_PAIRS:
        return ""
    limit = float(check["max_minutes"])
    parts = []
    for o, d in pairs:
        s = timetable_summary(o, d, mode=mode, limit=limit, scenario=scenario, network=network)
        if mode == "door_to_door":
            parts.append(f"{o} → {d} median over the service day {s['median']:.0f} min")
        elif math.isinf(s["fastest"]):
            parts.append(f"{o} → {d}: no train in the timetable")
        else:
            window = f", first {s['first']}, last {s['last']}" if s["within"] else ""
            parts.append(
                f"{o} → {d} fastest {s['fastest']:.0f} min ({s['trains']}, {s['basis']}); "
                f"{s['within']} departure(s) a day within {limit:g} min{window}"
            )
    return "; by the timetable: " + "; ".join(parts) + f" [{_vintage(scenario)}]"
