"""A scenario's rail supply as modifications of a timetable vintage.

For a scenario date pxnet starts from the newest timetable vintage valid on or before that date (per agency
of the feed; before the oldest, the oldest, back-cast) and lists, in date order, the modifications that make
it the scenario's timetable (:mod:`pxnet.routing.timetable._modify`):

1. the network's dated timetable changes (``timetable/changes.yaml``) between the vintage and the date —
   undone, where they can be, when the date lies before the vintage;
2. what the scenario's network says changed since the vintage: a link the vintage's trains ran over that is
   not open on the date removes them (a closure, or a line not yet opened); a link whose running time differs
   (a project's speed upgrade, a scenario override) re-times the runs over it;
3. services the scheduled trips do not represent (a planned line, a proposal, a service opened after the
   vintage, a headway the scenario overrides) become *modelled* trips from their pattern.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ... import _cache
from ...dates import PartialDate
from ...model import ScenarioSpec
from ...scenario import Scenario
from ._gtfs import Timetable
from ._modify import AddTrips, AdjustFrequency, Modification, RemoveTrips, ShiftRuns, TripTable, trips_over

__all__ = ["Supply", "modelled_departures", "scenario_supply"]


@dataclass(frozen=True)
class Supply:
    """The modifications of one scenario, and the trips they start from.

    Attributes
    ----------
    vintages
        One row per scheduled service id used: ``service_id``, ``start``, ``end``, ``trips``, ``agencies``,
        ``vintage``, ``how`` (``valid`` on the date, ``newest`` when the date is past it, ``back-cast`` when
        before it).
    base
        The vintage's scheduled trips.
    modifications
        The modifications, in the order they apply, each with ``id``, ``date`` and ``title``.
    modelled
        The services turned into modelled trips, with ``why``.
    dated
        ``base`` with the first ``n_dated`` modifications applied (the dated ones); the rest add modelled trips
        and scale frequencies.
    n_dated
        How many of ``modifications`` are dated changes.
    """

    vintages: pd.DataFrame
    base: TripTable
    modifications: tuple[Modification, ...]
    modelled: pd.DataFrame
    dated: TripTable
    n_dated: int


# -- the vintage ----------------------------------------------------------------------------------------------


def chosen_vintages(tt: Timetable | None, date: dt.date) -> pd.DataFrame:
    """Per agency group: the service ids valid on the date, else the newest before it, else the oldest after it."""
    chosen: list[dict[str, Any]] = []
    if tt is not None:
        periods = tt.service_periods()
        running = tt.service_ids_on(date)
        for _agencies, group in periods.groupby("agencies", sort=True):
            valid = group[group["service_id"].isin(running)]
            if len(valid):
                chosen += [{**r, "how": "valid"} for r in valid.to_dict("records")]
                continue
            before = group[group["end"] < date]
            if len(before):
                day = _same_weekday(max(before["end"]), date, later=False)
                how = "newest"
            else:
                day = _same_weekday(min(group["start"]), date, later=True)
                how = "back-cast"
            ids = tt.service_ids_on(day)
            chosen += [{**r, "how": how} for r in group[group["service_id"].isin(ids)].to_dict("records")]
    return pd.DataFrame(chosen, columns=["service_id", "start", "end", "trips", "agencies", "vintage", "how"])


def _same_weekday(anchor: dt.date, date: dt.date, *, later: bool) -> dt.date:
    """Return the day nearest ``anchor`` (on or before it, or on or after it when ``later``) with ``date``'s weekday."""
    if later:
        return anchor + dt.timedelta(days=(date.weekday() - anchor.weekday()) % 7)
    return anchor - dt.timedelta(days=(anchor.weekday() - date.weekday()) % 7)


def base_trips(tt: Timetable | None, ids: set[str]) -> TripTable:
    """Return the feed's trips of some service ids as a :class:`TripTable` (basis ``scheduled``)."""
    if tt is None or not ids:
        return TripTable.empty()
    trips = tt.trips[tt.trips["service_id"].isin(ids)].copy()
    trips["basis"] = (
        trips["basis"].where(trips["basis"].astype(str) != "", "scheduled") if "basis" in trips else "scheduled"
    )
    trips["modified_by"] = ""
    trips["service"] = ""
    calls = tt.stop_times[tt.stop_times["trip_id"].isin(set(trips["trip_id"]))].copy()
    calls["station"] = calls["stop_id"].map(dict(zip(tt.stops["stop_id"], tt.stops["station"], strict=True)))
    calls["stop_sequence"] = calls["stop_sequence"].astype(int)
    calls["arrival_s"] = pd.to_numeric(calls["arrival_s"], errors="coerce").astype(float)
    calls["departure_s"] = pd.to_numeric(calls["departure_s"], errors="coerce").astype(float)
    calls = calls.sort_values(["trip_id", "stop_sequence"], kind="stable").reset_index(drop=True)
    return TripTable(trips.reset_index(drop=True), calls)


def feed_key(tt: Timetable | None) -> tuple[object, ...]:
    """Return what identifies a feed's content in the memos (:attr:`Timetable.content_key`)."""
    return ("no feed",) if tt is None else tt.content_key


def _vintage_and_trips(tt: Timetable | None, date: dt.date) -> tuple[pd.DataFrame, TripTable]:
    vintages = chosen_vintages(tt, date)
    return vintages, base_trips(tt, set(vintages["service_id"]))


def vintage_date(vintages: pd.DataFrame) -> dt.date | None:
    """Return the last day of the newest scheduled period used (what the base trips describe)."""
    return max(vintages["end"]) if len(vintages) else None


# -- what changed on the network since the vintage -------------------------------------------------------------


def _reference(scenario: Scenario, date: dt.date) -> Scenario:
    """Return the network as built on the vintage's date: the links its trains ran over."""
    spec = ScenarioSpec(name=f"vintage {date.isoformat()}", date=date, basis="actual")
    return Scenario(scenario.network, spec)


def call_pairs(table: TripTable) -> set[tuple[str, str]]:
    """Ordered station pairs of consecutive timed calls."""
    timed = table.calls[np.isfinite(table.calls["arrival_s"].astype(float))]
    st = timed["station"].astype(str).to_numpy()
    tr = timed["trip_id"].to_numpy()
    same = tr[1:] == tr[:-1]
    return {(a, b) for a, b, s in zip(st[:-1], st[1:], same, strict=True) if s and a != b}


def pair_paths(reference: Scenario, pairs: set[tuple[str, str]]) -> dict[tuple[str, str], tuple[str, ...]]:
    """Return the rail links of the fastest path between each pair on the reference network (pairs off it: none)."""
    from scipy.sparse.csgraph import dijkstra

    from ..graph import csr_from_edges

    net = reference.network
    links = reference.links[reference.links["mode"].isin(["hsr", "rail"])]
    pos = {n: i for i, n in enumerate(net.nodes.index)}
    u = links["from"].map(pos).to_numpy(dtype=np.int64)
    v = links["to"].map(pos).to_numpy(dtype=np.int64)
    minutes = links["time_min"].to_numpy(dtype=float)
    two = ~links["oneway"].fillna(False).astype(bool).to_numpy()
    rows, cols = np.concatenate([u, v[two]]), np.concatenate([v, u[two]])
    ids = np.concatenate([links.index.to_numpy(), links.index.to_numpy()[two]])
    weights = np.concatenate([minutes, minutes[two]])
    edge: dict[tuple[int, int], tuple[float, str]] = {}
    for a, b, w, lid in zip(rows, cols, weights, ids, strict=True):
        if (int(a), int(b)) not in edge or w < edge[(int(a), int(b))][0]:
            edge[(int(a), int(b))] = (float(w), str(lid))
    matrix = csr_from_edges(len(pos), rows, cols, weights)
    starts = sorted({a for a, _ in pairs if a in pos})
    out: dict[tuple[str, str], tuple[str, ...]] = {}
    if not starts:
        return out
    _, pred = dijkstra(matrix, indices=[pos[s] for s in starts], return_predecessors=True)
    row_of = {s: k for k, s in enumerate(starts)}
    for a, b in pairs:
        if a not in row_of or b not in pos:
            continue
        path: list[str] = []
        k, node = row_of[a], pos[b]
        while node != pos[a] and node >= 0:
            prev = int(pred[k, node])
            if prev < 0:
                path = []
                break
            path.append(edge[(prev, node)][1])
            node = prev
        if path or a == b:
            out[(a, b)] = tuple(reversed(path))
    return out


def _paths(scenario: Scenario, reference_date: dt.date, table: TripTable) -> dict[tuple[str, str], tuple[str, ...]]:
    pairs = frozenset(call_pairs(table))
    key = ("pair paths", reference_date, hash(pairs))
    memo = _cache.memo(scenario.network, "timetable pair paths", maxsize=16)
    return memo.get(key, lambda: pair_paths(_reference(scenario, reference_date), set(pairs)))


def network_changes(scenario: Scenario, table: TripTable, vintages: pd.DataFrame) -> list[tuple[dt.date, Modification]]:
    """Closures and running-time changes between each vintage's network and the scenario's, as modifications.

    Each scheduled period is compared with the network as built on its own last day.
    """
    ends = dict(zip(vintages["service_id"], vintages["end"], strict=True))
    trip_end = table.trips["service_id"].map(ends)
    removed: set[str] = set()
    over: set[tuple[str, str]] = set()
    gone_links: set[str] = set()
    by_cause: dict[str, dict[tuple[str, str], float]] = {}
    for end, trip_ids in table.trips["trip_id"].groupby(trip_end.to_numpy(), sort=True):
        part = TripTable(
            table.trips[table.trips["trip_id"].isin(set(trip_ids))],
            table.calls[table.calls["trip_id"].isin(set(trip_ids))],
        )
        paths = _paths(scenario, end, part)
        gone, deltas = _link_changes(scenario, _reference(scenario, end), paths)
        gone_links |= gone
        closed_pairs = {pair for pair, p in paths.items() if set(p) & gone}
        removed |= trips_over(part, closed_pairs)
        over |= closed_pairs
        for cause, pairs in deltas.items():
            merged = by_cause.setdefault(cause, {})
            for pair, seconds in pairs.items():
                merged[pair] = seconds  # the same pair over the same links changes by the same amount
    changes: list[tuple[dt.date, Modification]] = []
    if removed:
        names = sorted(gone_links)
        changes.append(
            (
                scenario.date,
                RemoveTrips(
                    id="closed:" + "+".join(names[:3]) + ("…" if len(names) > 3 else ""),
                    date=scenario.date,
                    over=frozenset(over),
                    title=f"trips over links not open on {scenario.date.isoformat()} removed",
                    source="scenario network (links.csv, projects.yaml, scenario overrides)",
                ),
            )
        )
    for cause, shifts in sorted(by_cause.items()):
        date = _cause_date(scenario, cause)
        changes.append(
            (
                date,
                ShiftRuns(
                    id=cause,
                    date=date,
                    deltas=tuple((a, b, s) for (a, b), s in sorted(shifts.items())),
                    title="runs over links with a new running time re-timed (new link time less the old)",
                    source="estimate: link running times of links.csv and projects.yaml upgrades",
                ),
            )
        )
    return changes


def _network_changes_memo(
    scenario: Scenario, table: TripTable, vintages: pd.DataFrame
) -> list[tuple[dt.date, Modification]]:
    """:func:`network_changes`, remembered per network for the same rail links, upgrades and date."""
    rail = scenario.links[scenario.links["mode"].isin(["hsr", "rail"])]["time_min"]
    upgrades = frozenset(p for p in scenario.open_projects if scenario.network.projects[p].upgrades)
    overrides = tuple(sorted(set(scenario.spec.link_speed_kph) | set(scenario.spec.link_time_min)))
    key = (
        "network changes", scenario.date, tuple(vintages["service_id"]), tuple(rail.index), tuple(rail.round(6)),
        upgrades, overrides, scenario.name if overrides else "",
    )  # fmt: skip
    memo = _cache.memo(scenario.network, "timetable network changes", maxsize=64)
    return memo.get(key, lambda: network_changes(scenario, table, vintages))


def _link_changes(
    scenario: Scenario, reference: Scenario, paths: dict[tuple[str, str], tuple[str, ...]]
) -> tuple[set[str], dict[str, dict[tuple[str, str], float]]]:
    """Links of the paths not open in the scenario, and per cause the seconds each pair's run changes by."""
    present = scenario.links["time_min"].to_dict()  # plain dicts: a pandas lookup per link is 100× slower
    # The network as built on a date is the same for every scenario: its link times are remembered per date.
    before = _cache.memo(scenario.network, "vintage link times", maxsize=16).get(
        ("link times", reference.date), lambda: reference.links["time_min"].to_dict()
    )
    gone = {lid for p in paths.values() for lid in p} - set(present)
    by_cause: dict[str, dict[tuple[str, str], float]] = {}
    for pair, path in paths.items():
        for lid in path:
            if lid in present and lid in before:
                delta = (float(present[lid]) - float(before[lid])) * 60.0
                if abs(delta) > 0.5:
                    cause = _cause(scenario, reference, lid)
                    pairs = by_cause.setdefault(cause, {})
                    pairs[pair] = pairs.get(pair, 0.0) + delta
    return gone, by_cause


def _cause(scenario: Scenario, reference: Scenario, link_id: str) -> str:
    """Return what changed a link's running time: a scenario override, or an upgrade project opened on one side only."""
    if link_id in scenario.spec.link_speed_kph or link_id in scenario.spec.link_time_min:
        return f"override:{scenario.name}"
    for pid in sorted(scenario.open_projects ^ reference.open_projects):
        if any(u.link == link_id for u in scenario.network.projects[pid].upgrades):
            return f"project:{pid}" if pid in scenario.open_projects else f"undo:project:{pid}"
    return f"parameters:{scenario.name}"


def _cause_date(scenario: Scenario, cause: str) -> dt.date:
    if cause.startswith("project:"):
        return scenario.project_open_date(cause.removeprefix("project:")) or scenario.date
    return scenario.date


# -- services without scheduled trips -------------------------------------------------------------------------


def served_pairs(table: TripTable) -> set[tuple[str, str]]:
    """Ordered station pairs some trip runs between (any two of its calls, in order)."""
    served: set[tuple[str, str]] = set()
    for seq in table.stations_of():
        for i, a in enumerate(seq):
            served.update((a, b) for b in seq[i + 1 :] if a != b)
    return served


def _open_date(scenario: Scenario, project: Any, open_date: Any) -> dt.date | None:
    if isinstance(project, str) and project:
        return scenario.project_open_date(project)
    if isinstance(open_date, PartialDate):
        return open_date.end
    return None


def modelled_reason(
    scenario: Scenario, svc: Any, served: set[tuple[str, str]], vintage_end: dt.date | None
) -> str | None:
    """Why a service is not represented by the scheduled trips, or None when it is."""
    pairs = list(itertools.pairwise(list(svc.stops)))
    if svc.bidirectional:
        pairs += [(b, a) for a, b in pairs]
    opened = _open_date(scenario, svc.project, svc.open_date)
    if any(p not in served for p in pairs):
        return "no scheduled trips between its stops in the timetable used"
    if isinstance(svc.project, str) and svc.project and opened is None:
        return f"a service of project {svc.project}, which has no opening the timetable could hold"
    if opened is not None and vintage_end is not None and opened > vintage_end:
        return f"opened {opened.isoformat()}, after the timetable used"
    return None


def modelled_departures(svc: Any, params: Any, start_s: int) -> list[float]:
    """Departure seconds of a modelled service: its trains spread evenly over the service day.

    ``trains_per_day`` (or the service day over ``headway_min``) trains, the k-th leaving at the middle of the
    k-th equal part of the day, so two patterns of one line do not all leave at the day's first minute.

    Examples
    --------
    >>> from types import SimpleNamespace as N
    >>> modelled_departures(N(headway_min=60.0), N(service_day_hours=3.0), 6 * 3600)
    [23400.0, 27000.0, 30600.0]
    """
    day = params.service_day_hours * 3600.0
    count = max(1, math.floor(day / (float(svc.headway_min) * 60.0) + 1e-9))
    part = day / count
    return [start_s + (k + 0.5) * part for k in range(count)]


def pattern_trips(scenario: Scenario, svc: Any, start_s: int, *, why: str) -> list[AddTrips]:
    """Return the modelled trips of one service (each direction), as :class:`AddTrips`.

    Made once per network for the same pattern, run times and parameters.
    """
    params = scenario.parameters
    segs = scenario.service_segments
    own = segs[segs["service"] == svc.id]
    # The key holds the run times themselves (an object's id could be reused once it is freed).
    runs = tuple(own["run_min"].round(9)) + tuple(own["timetable_min"].fillna(-1.0).round(9))
    key = (
        "pattern", svc.id, float(svc.headway_min), start_s, why, runs, params.dwell_min, params.stop_loss_min,
        params.service_day_hours,
    )  # fmt: skip
    memo = _cache.memo(scenario.network, "modelled patterns", maxsize=512)
    return memo.get(key, lambda: _pattern_trips(scenario, svc, start_s, why=why))


def _pattern_trips(scenario: Scenario, svc: Any, start_s: int, *, why: str) -> list[AddTrips]:
    params = scenario.parameters
    segs = scenario.service_segments
    own = segs[segs["service"] == svc.id].sort_values("seq")
    run_min = [float(x) for x in own["run_min"]]
    timetable_min = [float(x) for x in own["timetable_min"]]
    run = [t if math.isfinite(t) else r + params.stop_loss_min for r, t in zip(run_min, timetable_min, strict=True)]
    departures = tuple(modelled_departures(svc, params, start_s))
    source = (
        f"estimate: modelled from service {svc.id} (services.csv): {len(departures)} trains over the service day, "
        f"every {float(svc.headway_min):.0f} min, run times from the links, dwell {params.dwell_min:g} min ({why})"
    )
    stops = tuple(svc.stops)
    # Forward along the stop list; back along it too when the service runs both ways.
    directions = [("f", stops, run)] + ([("r", stops[::-1], run[::-1])] if svc.bidirectional else [])
    return [
        AddTrips(
            id=f"modelled:{svc.id}:{way}",
            stops=way_stops,
            departures=departures,
            run_s=tuple(r * 60.0 for r in way_run),
            dwell_s=params.dwell_min * 60.0,
            trains=tuple(f"{svc.id}#{way}{k + 1}" for k in range(len(departures))),
            service=svc.id,
            mode=svc.mode,
            source=source,
            title=f"modelled trips of {svc.id}",
        )
        for way, way_stops, way_run in directions
    ]


def headway_changes(scenario: Scenario, served: set[tuple[str, str]]) -> list[Modification]:
    """Return a scenario's headway override of a service the scheduled trips represent: their frequency scaled."""
    out: list[Modification] = []
    base = scenario.network.services
    for sid, headway in sorted(scenario.spec.service_headway_min.items()):
        if sid not in scenario.services.index:
            continue
        stops = list(base.at[sid, "stops"])
        if (stops[0], stops[-1]) not in served:
            continue
        old = float(scenario.network.services.at[sid, "headway_min"])
        if not math.isfinite(old):
            old = scenario.parameters.service_day_hours * 60.0 / float(base.at[sid, "trains_per_day"])
        out.append(
            AdjustFrequency(
                id=f"headway:{sid}",
                date=scenario.date,
                between=(stops[0], stops[-1]),
                factor=old / float(headway),
                title=f"headway of {sid} set to {headway:g} min",
                source=f"scenario {scenario.name}",
            )
        )
    return out


def scenario_supply(
    scenario: Scenario,
    tt: Timetable | None,
    *,
    changes: Sequence[tuple[dt.date, Modification]] = (),
    start_s: int,
    modelled: bool = True,
) -> Supply:
    """Return the vintage, base trips and modifications that make a scenario's timetable."""
    memo = _cache.memo(scenario.network, "timetable vintages", maxsize=32)
    feed = feed_key(tt)
    vintages, base = memo.get(("vintage", feed, scenario.date), lambda: _vintage_and_trips(tt, scenario.date))
    end = vintage_date(vintages)
    dated: list[tuple[dt.date, int, Modification]] = []
    if end is not None:
        start = min(vintages["start"])
        covered = memo.get(("vintage starts", feed, scenario.date), lambda: _vintage_starts(base, vintages))
        for when, mod in changes:
            until = getattr(mod, "until", None)
            if until is not None:  # a suspension is a state: it holds from its date until it ends
                if when <= scenario.date < until:
                    dated.append((when, 1, mod))
            elif start < when <= scenario.date and not _already_in(mod, when, covered):
                dated.append((when, 1, mod))
            elif scenario.date < when <= start and (undo := _inverse(mod)) is not None:
                dated.append((when, 1, undo))
        # On one day the network's own changes (a project's speed upgrade) go first: a logged change with a
        # published fastest time then sets the times to what was published, instead of adding to them.
        dated += [(when, 0, mod) for when, mod in _network_changes_memo(scenario, base, vintages)]
    dated.sort(key=lambda item: (item[0], item[1]))
    mods: list[Modification] = [m for _, _, m in dated]
    key = ("dated trips", feed, tuple(vintages["service_id"]), tuple(mods))
    memo = _cache.memo(scenario.network, "timetable dated trips", maxsize=32)
    table, served = memo.get(key, lambda: _applied(base, mods))
    dated_count = len(mods)
    rows = []
    suspended = [m for m in mods if isinstance(m, RemoveTrips) and m.until is not None]
    for svc in scenario.services.itertuples(index=False):
        if svc.id in scenario.spec.service_headway_min and (svc.stops[0], svc.stops[-1]) in served:
            continue  # a represented service with a new headway: its scheduled trips are scaled instead
        halted = next((m.id for m in suspended if _suspends(m, tuple(svc.stops))), None)
        if halted is not None:
            rows.append({"service": svc.id, "name": svc.name, "mode": svc.mode, "why": f"suspended ({halted})"})
            continue
        why = modelled_reason(scenario, svc, served, end)
        if why is None:
            continue
        rows.append({"service": svc.id, "name": svc.name, "mode": svc.mode, "why": why})
        if modelled:
            mods += pattern_trips(scenario, svc, start_s, why=why)
    mods += headway_changes(scenario, served)
    frame = pd.DataFrame(rows, columns=["service", "name", "mode", "why"])
    return Supply(vintages, base, tuple(mods), frame, table, dated_count)


def _applied(base: TripTable, mods: Sequence[Modification]) -> tuple[TripTable, set[tuple[str, str]]]:
    from ._modify import apply_all

    table = apply_all(base, mods)
    return table, served_pairs(table)


def _vintage_starts(base: TripTable, vintages: pd.DataFrame) -> dict[tuple[str, str], dt.date]:
    """Per station pair the base trips run between, the latest start of a vintage whose trips run it."""
    starts = dict(zip(vintages["service_id"], vintages["start"], strict=True))
    trip_start = dict(zip(base.trips["trip_id"], base.trips["service_id"].map(starts), strict=True))
    out: dict[tuple[str, str], dt.date] = {}
    for trip_id, seq in base.stations_of().items():
        when = trip_start.get(trip_id)
        if when is None or when != when:
            continue
        for i, a in enumerate(seq):
            for b in seq[i + 1 :]:
                if a != b and (out.get((a, b)) is None or out[(a, b)] < when):
                    out[(a, b)] = when
    return out


def _already_in(mod: Modification, when: dt.date, covered: dict[tuple[str, str], dt.date]) -> bool:
    """Whether a vintage that began on or after a change already runs the trips the change is about.

    A 2026 feed of the Hong Kong trains includes the 2023 resumption: its trips are not added again.
    """
    stops = getattr(mod, "stops", ())
    pair = (stops[0], stops[-1]) if stops else getattr(mod, "between", None)
    if not pair:
        return False
    latest = [covered.get((pair[0], pair[1])), covered.get((pair[1], pair[0]))]
    return any(d is not None and d >= when for d in latest)


def _suspends(mod: RemoveTrips, stops: tuple[str, ...]) -> bool:
    """Whether a suspension halts a service: it names a pair the service runs between, or a station it calls at."""
    pairs = set(itertools.pairwise(stops)) | {(b, a) for a, b in itertools.pairwise(stops)}
    if mod.between is not None and (tuple(mod.between) in pairs or _within(mod.between, stops)):
        return True
    return bool(set(mod.stations) & set(stops)) and not mod.trains


def _within(between: tuple[str, str], stops: tuple[str, ...]) -> bool:
    return between[0] in stops and between[1] in stops


def _inverse(mod: Modification) -> Modification | None:
    """Return the modification that undoes ``mod`` on a later timetable (back-casting), where one exists."""
    from ._modify import Retime

    if isinstance(mod, AddTrips) and mod.trains:
        return RemoveTrips(id=f"undo:{mod.id}", date=mod.date, trains=mod.trains, title=f"before {mod.title}")
    if isinstance(mod, Retime) and mod.factor is not None:
        return Retime(id=f"undo:{mod.id}", date=mod.date, between=mod.between, factor=1.0 / mod.factor, both=mod.both)
    return None
