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

import pandas as pd

from .. import _cache
from ..network import Network
from ..routing import journeys, scenario_timetable, travel_time
from ..scenario import Scenario

__all__ = ["TIMETABLE_COLUMNS", "timetable_note", "timetable_summary", "timetable_table"]

#: More origin–destination pairs than this and a goal is a coverage of many cities: no per-pair timetable note.
MAX_PAIRS = 2


def _vintage(sc: Scenario) -> str:
    st = scenario_timetable(sc)
    how = {"valid": "valid on the date", "newest": "newest; the date is past it", "back-cast": "oldest; back-cast"}
    parts = [f"{r.service_id} ({how.get(r.how, r.how)})" for r in st.vintages.itertuples()]
    text = "timetable " + (", ".join(parts) if parts else "none for this date: all trips modelled")
    mods = st.modifications
    changed = mods[~mods["id"].astype(str).str.startswith("modelled:")] if len(mods) else mods
    if len(changed):
        text += "; modified by " + ", ".join(changed["id"])
    return text


#: The columns of a travel-time goal's timetable figures (:attr:`GoalResult.timetable`).
TIMETABLE_COLUMNS = [
    "from", "to", "fastest", "trains", "via", "basis", "modified_by", "within", "first", "last", "median",
    "timetable_basis",
]  # fmt: skip


def timetable_summary(
    origin: str, destination: str, *, mode: str, limit: float, scenario: Scenario, network: Network
) -> dict[str, Any]:
    """Return the timetable figures of one pair over the service day.

    The keys are :data:`TIMETABLE_COLUMNS`: ``fastest`` (minutes; the goal's number), ``trains`` and ``via`` (the
    change stations) of the fastest journey, its ``basis``, ``within`` (departures a day arriving within
    ``limit``), ``first`` and ``last`` of those, ``median`` (over every departure minute of the service day,
    waiting included) and ``timetable_basis`` (vintage and modifications).

    Examples
    --------
    >>> import pxnet
    >>> sc = pxnet.get_scenario(2020)
    >>> s = timetable_summary("萍乡北", "广州南", mode="hsr", limit=180, scenario=sc, network=sc.network)
    >>> s["basis"], s["within"] >= 0, s["fastest"] == pxnet.travel_time("萍乡北", "广州南", mode="hsr", scenario=sc)
    ('scheduled', True, True)
    """
    # Remembered with the scenario: a repeated assessment reads its timetable figures again for free.
    key = ("timetable summary", origin, destination, mode, float(limit))
    found = _cache.memo(scenario, "goal timetable figures", maxsize=256).get(
        key, lambda: _summary(origin, destination, mode=mode, limit=limit, scenario=scenario, network=network)
    )
    return dict(found)


def _summary(
    origin: str, destination: str, *, mode: str, limit: float, scenario: Scenario, network: Network
) -> dict[str, Any]:
    fastest = travel_time(origin, destination, mode=mode, scenario=scenario, network=network)
    median = travel_time(
        origin, destination, mode=mode, scenario=scenario, network=network, departure=_day(scenario), statistic="median"
    )
    table = journeys(origin, destination, scenario=scenario, mode=mode, network=network)
    out: dict[str, Any] = dict.fromkeys(TIMETABLE_COLUMNS, "")
    out.update(
        {"from": origin, "to": destination, "fastest": fastest, "median": median, "within": 0},
        timetable_basis=table.attrs.get("timetable_basis", ""),
    )
    if table.empty:
        return out
    best = table.loc[table["minutes"].idxmin()]
    inside = table[table["minutes"] <= limit]
    out.update(
        trains=str(best["trains"]),
        via=str(best["via"]),
        basis=str(best["basis"]),
        modified_by=str(best.get("modified_by", "")),
        within=len(inside),
        first=str(inside["departure"].iloc[0]) if len(inside) else "",
        last=str(inside["departure"].iloc[-1]) if len(inside) else "",
    )
    if mode != "door_to_door" or not math.isfinite(fastest) or float(best["minutes"]) <= fastest + 1e-9:
        return out
    # Door to door, driving all the way beats every train.
    out.update(trains="", via="", basis="road")
    return out


def _day(scenario: Scenario) -> tuple[str, str]:
    start = round(scenario.parameters.service_day_start_h * 60)
    end = start + round(scenario.parameters.service_day_hours * 60)
    return f"{start // 60:02d}:{start % 60:02d}", f"{end // 60:02d}:{end % 60:02d}"


def timetable_table(
    pairs: list[tuple[str, str]], *, mode: str, limit: float, scenario: Scenario, network: Network
) -> pd.DataFrame | None:
    """Return the timetable figures of a travel-time goal's pairs, one row each (None for road and many-pair goals)."""
    if mode == "road" or len(pairs) > MAX_PAIRS:
        return None
    rows = [timetable_summary(o, d, mode=mode, limit=limit, scenario=scenario, network=network) for o, d in pairs]
    return pd.DataFrame(rows, columns=TIMETABLE_COLUMNS)


def timetable_note(table: pd.DataFrame | None, *, limit: float, scenario: Scenario) -> str:
    """Return the timetable part of a travel-time goal's reason from its :func:`timetable_table` (empty without)."""
    if table is None:
        return ""
    parts = []
    for s in table.to_dict("records"):
        o, d = s["from"], s["to"]
        if math.isinf(s["fastest"]):
            parts.append(f"{o} → {d}: no train in the timetable")
            continue
        window = f", first {s['first']}, last {s['last']}" if s["within"] else ""
        how = f"{s['trains']}, {s['basis']}" if s["trains"] else s["basis"] or "road"
        parts.append(
            f"{o} → {d} fastest {s['fastest']:.0f} min ({how}); {s['within']} departure(s) a day within "
            f"{limit:g} min{window}; median over the service day {s['median']:.0f} min"
        )
    return "; by the timetable: " + "; ".join(parts) + f" [{_vintage(scenario)}]"
