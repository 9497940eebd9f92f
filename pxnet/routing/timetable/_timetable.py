"""A scenario's timetable: the vintage valid on its date with the dated modifications applied (the supply).

See :func:`scenario_timetable` and ``docs/methods.md``.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
import pandas as pd

from ... import _cache
from ...network import Network
from ...scenario import Scenario
from ._gtfs import Timetable, format_time, read_timetable
from ._modify import TripTable, apply_all
from ._supply import feed_key, scenario_supply
from ._supply_key import rail_supply_key

Departure: TypeAlias = "str | float | dt.time | tuple[Any, Any] | None"

__all__ = [
    "SERVICE_DAY_START",
    "Departure",
    "ScenarioTimetable",
    "network_timetable",
    "scenario_timetable",
    "timetable_changes",
]


#: Start of the service day (06:00): modelled trips start here. ``service_day_hours`` (17 h in the bundled
#: parameters, "HSR service runs roughly 06:00–23:00") gives its length.
SERVICE_DAY_START = 6 * 3600  # the default of the parameter service_day_start_h (seconds)


@functools.lru_cache(maxsize=8)
def _bundled(folder: str, stamp: float) -> Timetable | None:
    del stamp  # part of the cache key: a rewritten feed is read again
    from ...network import load_network

    path = Path(folder) / "timetable"
    if not (path / "trips.txt").is_file():
        return None
    return read_timetable(path, network=load_network(folder, warn=False))


def network_timetable(network: Network) -> Timetable | None:
    """Return a network's timetable vintages as one feed, or None without any.

    The data folder's (``timetable/``) and every feed registered with :func:`pxnet.add_timetable`.
    """
    from ._vintages import merged, registered_timetables

    trips = network.folder / "timetable" / "trips.txt"
    shipped = _bundled(str(network.folder), trips.stat().st_mtime) if trips.is_file() else None
    extra = registered_timetables(network)
    if not extra:
        return shipped
    key = ("merged timetable", id(shipped), tuple(id(t) for t in extra))
    return _cache.memo(network, "timetable vintages", maxsize=4).get(key, lambda: merged(shipped, extra))


@dataclass(frozen=True)
class ScenarioTimetable:
    """The timed trips a scenario runs, and how they were made.

    Attributes
    ----------
    timetable
        The trips as a :class:`~pxnet.routing.Timetable` (``trips.basis``: ``scheduled``, ``re-timed`` or
        ``modelled``; ``trips.modified_by``: the ids of the modifications that touched each trip);
        :func:`pxnet.to_gtfs` writes it.
    vintages
        One row per scheduled service id used: ``service_id``, ``start``, ``end``, ``vintage``, ``agencies``,
        ``how`` (``valid`` on the scenario's date, ``newest`` when the date is past it, ``back-cast`` when it is
        before the oldest).
    modelled
        The services turned into modelled trips, with ``why`` (no timetable for it, opened after the vintage).
    modifications
        The modifications applied, in order: ``id``, ``kind``, ``date``, ``title``, ``source``, ``trips`` (how
        many trips carry the id).
    basis
        One sentence for a verdict: which vintage, and which modifications.
    """

    timetable: Timetable
    vintages: pd.DataFrame
    modelled: pd.DataFrame
    basis: str
    modifications: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Identifies the trips (scenarios of other dates with the same trips share it, and their compiled arrays).
    trips_key: Any = field(default=None, compare=False, repr=False)


def _with_extra_stops(scenario: Scenario, stops: pd.DataFrame, all_times: pd.DataFrame) -> pd.DataFrame:
    # The feed's stops plus the network stations that only modelled trips call at.
    extra_stops = sorted(set(all_times["stop_id"]) - set(stops["stop_id"]))
    if not extra_stops:
        return stops
    names = scenario.network.nodes["name_zh"]
    add = pd.DataFrame(
        {
            "stop_id": extra_stops,
            "stop_name": [names.get(s, s) for s in extra_stops],
            "stop_lat": [f"{scenario.network.nodes.at[s, 'lat']:.6f}" for s in extra_stops],
            "stop_lon": [f"{scenario.network.nodes.at[s, 'lon']:.6f}" for s in extra_stops],
            "station": extra_stops,
            "matched_by": "node_id",
        }
    )
    if "node_id" in stops:
        add["node_id"] = extra_stops
    return pd.concat([stops, add], ignore_index=True).fillna("")


def _feed_tables(
    base: Timetable | None, ids: set[str], date: dt.date, *, modelled_trips: bool
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    # calendar, routes and agency: the feed's, plus pxnet's modelled service, route and agency when modelled
    # trips run.
    calendar = base.calendar[base.calendar["service_id"].isin(ids)] if base is not None else pd.DataFrame()
    routes = base.routes if base is not None else pd.DataFrame(columns=["route_id", "agency_id", "route_type"])
    agency = base.agency if base is not None else pd.DataFrame()
    if modelled_trips:
        stamp = date.strftime("%Y%m%d")
        row = {"service_id": "modelled", **{d: "1" for d in _DAY_NAMES}, "start_date": stamp, "end_date": stamp}
        calendar = pd.concat([calendar, pd.DataFrame([row])], ignore_index=True).fillna("")
        routes = pd.concat([routes, pd.DataFrame([_MODELLED_ROUTE])], ignore_index=True).fillna("")
        agency = pd.concat([agency, pd.DataFrame([_MODELLED_AGENCY])], ignore_index=True).fillna("")
    return calendar, routes, agency


def timetable_changes(network: Network) -> list[tuple[dt.date, Any]]:
    """Return the network's dated timetable changes as modifications (``timetable/changes.yaml``; none without it)."""
    from ._changes import logged_changes

    return logged_changes(network)


def _to_minutes(table: TripTable) -> TripTable:
    """Re-timed and modelled times rounded to the minute, as a published timetable gives them."""
    estimated = set(table.trips.loc[table.trips["basis"] != "scheduled", "trip_id"])
    if not estimated:
        return table
    calls = table.calls.copy()
    hit = calls["trip_id"].isin(estimated).to_numpy()
    for column in ("arrival_s", "departure_s"):
        values = calls[column].to_numpy(dtype=float).copy()
        values[hit] = np.round(values[hit] / 60.0) * 60.0
        calls[column] = values
    return TripTable(table.trips, calls)


def _modification_rows(mods: Sequence[Any], trips: pd.DataFrame) -> pd.DataFrame:
    counts: dict[str, int] = {}
    for text in trips["modified_by"].astype(str):
        for mod_id in filter(None, text.split(";")):
            counts[mod_id] = counts.get(mod_id, 0) + 1
    rows = [
        {
            "id": m.id,
            "kind": type(m).__name__,
            "date": m.date,
            "title": m.title,
            "source": m.source,
            "trips": counts.get(m.id, 0),
        }
        for m in mods
    ]
    return pd.DataFrame(rows, columns=["id", "kind", "date", "title", "source", "trips"])


def scenario_timetable(
    scenario: Any,
    *,
    timetable: Timetable | str | Path | None = None,
    modelled: bool = True,
    network: Network | None = None,
) -> ScenarioTimetable:
    """Return the timed trips of a scenario: a timetable vintage with the modifications of its date applied.

    Per agency of the feed, the service ids running on the scenario's date are used; past the newest period the
    newest, before the oldest the oldest (back-cast). The network's dated timetable changes between the vintage
    and the date are applied in date order (undone, where they can be, when back-casting), then what the
    scenario's network changed since the vintage: trips over links not open on the date are removed, runs over
    links with a new running time re-timed. Services the trips do not represent become modelled trips from
    their pattern. See :mod:`pxnet.routing.timetable._supply` and ``docs/methods.md``.

    Parameters
    ----------
    scenario
        A scenario, a scenario name or a year.
    timetable
        A feed (or its path) to use instead of the network's timetable vintages.
    modelled
        ``False``: the scheduled (and re-timed) trips alone (the services they do not represent are still listed).
    network
        The network of a scenario given by name or year (default: the bundled one).

    Examples
    --------
    >>> import pxnet
    >>> st = scenario_timetable(2020)
    >>> st.vintages[["service_id", "how"]].values.tolist()
    [['cr_boards_2020', 'valid'], ['xrl2026_normal', 'back-cast']]
    """
    from ...scenario import resolve

    scenario = resolve(scenario, network)
    if isinstance(timetable, (str, Path)):
        timetable = read_timetable(timetable, network=scenario.network)
    tt = timetable if timetable is not None else network_timetable(scenario.network)
    if timetable is None:  # scenarios with the same rail inputs share one timetable, found without building it
        shared = ("by supply key", feed_key(tt), rail_supply_key(scenario), modelled)
        return _cache.memo(scenario.network, "scenario timetables by supply", maxsize=32).get(
            shared, lambda: _scenario_timetable(scenario, tt, modelled=modelled, own=False)
        )
    return _scenario_timetable(scenario, tt, modelled=modelled, own=True)


def _scenario_timetable(scenario: Scenario, tt: Timetable | None, *, modelled: bool, own: bool) -> ScenarioTimetable:
    changes = [] if own else timetable_changes(scenario.network)
    start_s = round(scenario.parameters.service_day_start_h * 3600)
    supply = scenario_supply(scenario, tt, changes=changes, start_s=start_s, modelled=modelled)
    whole = (
        "timetable",
        feed_key(tt),
        scenario.date,
        tuple(supply.vintages["service_id"]),
        supply.modifications,
        modelled,
    )
    return _cache.memo(scenario.network, "scenario timetables", maxsize=32).get(
        whole, lambda: _assemble(scenario, tt, supply, modelled=modelled)
    )


def _assemble(scenario: Scenario, tt: Timetable | None, supply: Any, *, modelled: bool) -> ScenarioTimetable:
    """Return the scenario's timetable from its vintage and modifications (see :func:`scenario_timetable`)."""
    # Scenarios that differ elsewhere (a road project, a parameter) share the trips: made once per network.
    key = ("trips", feed_key(tt), tuple(supply.vintages["service_id"]), supply.modifications)
    memo = _cache.memo(scenario.network, "scenario trips", maxsize=32)
    rest = supply.modifications[supply.n_dated :]
    table = memo.get(key, lambda: _to_minutes(apply_all(supply.dated, rest)))
    if not modelled:  # the published trains alone: no trip generated from a pattern, logged or of a service
        kept = set(table.trips.loc[table.trips["basis"] != "modelled", "trip_id"])
        table = TripTable(
            table.trips[table.trips["trip_id"].isin(kept)], table.calls[table.calls["trip_id"].isin(kept)]
        )
    trips = table.trips.copy()
    calls = table.calls.drop(columns=["station"]).copy()
    calls["stop_sequence"] = calls["stop_sequence"].astype(int).astype(str)
    has_modelled = bool((trips["basis"] == "modelled").any()) if len(trips) else False
    stops = tt.stops if tt is not None else pd.DataFrame(columns=["stop_id", "stop_name", "station", "matched_by"])
    stops = _with_extra_stops(scenario, stops, calls)
    ids = set(supply.vintages["service_id"])
    calendar, routes, agency = _feed_tables(tt, ids, scenario.date, modelled_trips=has_modelled)
    mods = _modification_rows(supply.modifications, trips)
    feed = Timetable(
        agency=agency,
        stops=stops,
        routes=routes,
        trips=trips.fillna("").reset_index(drop=True),
        stop_times=_times_text(calls).reset_index(drop=True),
        calendar=calendar,
        calendar_dates=pd.DataFrame(columns=["service_id", "date", "exception_type"]),
        feed_info=tt.feed_info if tt is not None else pd.DataFrame(),
        source=f"scenario {scenario.name}",
        **({"transfers": tt.transfers} if tt is not None and hasattr(tt, "transfers") else {}),
    )
    basis = _basis_text(scenario, supply.vintages, supply.modelled if modelled else supply.modelled.iloc[:0], mods)
    return ScenarioTimetable(feed, supply.vintages, supply.modelled, basis, mods, key)


_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


_MODELLED_ROUTE = {
    "route_id": "modelled",
    "agency_id": "pxnet",
    "route_short_name": "modelled",
    "route_long_name": "modelled trains (pxnet service patterns)",
    "route_type": "2",
}


_MODELLED_AGENCY = {
    "agency_id": "pxnet",
    "agency_name": "pxnet modelled services",
    "agency_url": "https://github.com/pxnet/pxnet",
    "agency_timezone": "Asia/Shanghai",
}


def _formatted(seconds: pd.Series) -> list[str]:
    """:func:`format_time` of each value ("" where not a finite float), once per distinct value."""
    if seconds.dtype.kind != "f":
        return [format_time(s) if isinstance(s, float) and math.isfinite(s) else "" for s in seconds]
    values = seconds.to_numpy()
    finite = np.isfinite(values)
    distinct, where = np.unique(values[finite], return_inverse=True)
    texts = np.array([format_time(float(v)) for v in distinct] + [""], dtype=object)
    codes = np.full(len(values), len(distinct), dtype=np.int64)
    codes[finite] = where
    return list(texts[codes])


def _times_text(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for column, secs in (("arrival_time", "arrival_s"), ("departure_time", "departure_s")):
        out[column] = _formatted(out[secs])
    # An untimed call keeps NaN seconds (the router rides through it); text columns read empty.
    seconds = ["arrival_s", "departure_s"]
    text_columns = [c for c in out.columns if c not in seconds]
    out[text_columns] = out[text_columns].fillna("")
    return out


def _basis_text(scenario: Scenario, vintages: pd.DataFrame, modelled: pd.DataFrame, mods: pd.DataFrame) -> str:
    parts = []
    for (vintage, how), group in vintages.groupby(["vintage", "how"], sort=True):
        ids = ", ".join(group["service_id"])
        if how == "valid":
            parts.append(f"scheduled: {vintage} ({ids}), valid on {scenario.date.isoformat()}")
        elif how == "newest":
            parts.append(f"scheduled: newest timetable {vintage} ({ids}, to {max(group['end']).isoformat()})")
        else:
            parts.append(
                f"scheduled: oldest timetable {vintage} ({ids}, from {min(group['start']).isoformat()}), back-cast"
            )
    changed = mods[~mods["id"].str.startswith("modelled:")] if len(mods) else mods
    if len(changed):
        parts.append(
            "modified: "
            + ", ".join(
                f"{r.id} ({'removes trips' if r.kind == 'RemoveTrips' else f'{r.trips} trips'})"
                for r in changed.itertuples()
            )
        )
    if len(modelled):
        parts.append(f"modelled: {len(modelled)} service(s) with no timetable ({', '.join(modelled['service'])})")
    return "; ".join(parts) or "no trips"
