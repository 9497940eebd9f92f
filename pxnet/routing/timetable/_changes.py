"""The network's dated timetable changes (``timetable/changes.yaml``) as timetable modifications."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from ... import _cache
from ...errors import RoutingError
from ...model import ScenarioSpec, TimetableChange
from ...network import Network
from ...scenario import Scenario
from ._modify import AddTrips, AdjustDwell, AdjustFrequency, Modification, RemoveTrips, Retime
from ._supply import pair_paths

__all__ = ["logged_changes", "modification_of"]


def _seconds(clock: str) -> float:
    hours, minutes = clock.split(":")
    return int(hours) * 3600.0 + int(minutes) * 60.0


def _departures(change: TimetableChange, day_hours: float, day_start_h: float) -> tuple[float, ...]:
    """Departure seconds: as listed, or ``trains_per_day`` spread evenly from ``first`` to ``last``."""
    if change.departures:
        return tuple(sorted(_seconds(t) for t in change.departures))
    count = max(1, round(float(change.trains_per_day or 1)))
    first = _seconds(change.first) if change.first else day_start_h * 3600.0
    last = _seconds(change.last) if change.last else first + day_hours * 3600.0 * (count - 1) / count
    if count == 1:
        return (first,)
    step = (last - first) / (count - 1)
    return tuple(first + k * step for k in range(count))


def _run_seconds(network: Network, change: TimetableChange) -> tuple[tuple[float, ...], str]:
    """Return the running seconds between consecutive stops.

    Link running times at the change's date plus the stop loss, scaled so that the whole run matches a published
    ``run_min``.
    """
    date = change.date.end
    reference = Scenario(network, ScenarioSpec(name=f"network on {date.isoformat()}", date=date, basis="actual"))
    pairs = set(itertools.pairwise(change.stops))
    paths = pair_paths(reference, pairs)
    minutes = reference.links["time_min"]
    modes = reference.links["mode"]
    params = network.parameters
    runs = []
    for pair in itertools.pairwise(change.stops):
        if pair not in paths or not paths[pair]:
            raise RoutingError(
                f"timetable change {change.id!r}: no rail line joins {pair[0]} and {pair[1]} on {date.isoformat()}"
            )
        runs.append((sum(float(minutes[lid]) for lid in paths[pair]) + params.stop_loss_min) * 60.0)
    if change.run_min is not None:
        dwell = params.dwell_min * 60.0 * max(0, len(change.stops) - 2)
        target = change.run_min * 60.0 - dwell
        if target <= 0:
            raise RoutingError(f"timetable change {change.id!r}: run_min leaves no running time after the dwell")
        scale = target / sum(runs)
        runs = [r * scale for r in runs]
    # The trips answer HSR questions when every link they run over is a high-speed line.
    mode = "hsr" if all(modes[lid] == "hsr" for p in paths.values() for lid in p) else "rail"
    return tuple(runs), mode


def modification_of(network: Network, change: TimetableChange) -> list[Modification]:
    """Return the modifications that carry out one change (two for a pattern run both ways)."""
    common: dict[str, Any] = {"date": change.date.end, "source": change.source_text, "title": change.title}
    between = change.between
    if change.kind == "retime" and between is not None:
        return [
            Retime(
                id=change.id, between=between, factor=change.factor, fastest_min=change.fastest_min,
                both=change.direction == "both", **common,
            )
        ]  # fmt: skip
    if change.kind in ("remove_trips", "suspend"):
        until = change.until.end if change.until is not None else None
        return [
            RemoveTrips(
                id=change.id, trains=change.trains, between=between, stations=change.stations, until=until, **common
            )
        ]
    if change.kind == "dwell":
        return [
            AdjustDwell(
                id=change.id,
                station=change.station,
                dwell_s=float(change.dwell_min or 0) * 60.0,
                trains=change.trains,
                **common,
            )
        ]
    if change.kind == "frequency":
        return [_frequency(network, change, common)]
    return _patterns(network, change, common)


def _frequency(network: Network, change: TimetableChange, common: dict[str, Any]) -> Modification:
    between = change.between
    if between is None:
        stops = list(network.services.at[change.service, "stops"])
        between = (stops[0], stops[-1])
    return AdjustFrequency(
        id=change.id, between=between, factor=change.factor or 1.0, per_day=change.trains_per_day, **common
    )


def _patterns(network: Network, change: TimetableChange, common: dict[str, Any]) -> list[Modification]:
    params = network.parameters
    departures = _departures(change, params.service_day_hours, params.service_day_start_h)
    runs, mode = _run_seconds(network, change)
    basis = "scheduled" if change.departures and change.run_min is not None else "modelled"
    trains = change.trains if len(change.trains) == len(departures) else ()
    forward = AddTrips(
        id=change.id, stops=change.stops, departures=departures, run_s=runs,
        dwell_s=network.parameters.dwell_min * 60.0, trains=trains, basis=basis, route_id="logged", mode=mode,
        **common,
    )  # fmt: skip
    if not change.bidirectional:
        return [forward]
    back = AddTrips(
        id=f"{change.id}:r", stops=change.stops[::-1], departures=departures, run_s=runs[::-1],
        dwell_s=network.parameters.dwell_min * 60.0, basis="modelled", route_id="logged", mode=mode, **common,
    )  # fmt: skip
    return [forward, back]


def logged_changes(network: Network) -> list[tuple[dt.date, Modification]]:
    """Return the network's timetable changes as dated modifications, in date order (made once per network)."""

    def make() -> list[tuple[dt.date, Modification]]:
        out: list[tuple[dt.date, Modification]] = []
        for change in network.timetable_changes:
            out += [(change.date.end, m) for m in modification_of(network, change)]
        return out

    if not network.timetable_changes:
        return []
    return _cache.memo(network, "timetable changes", maxsize=1).get("changes", make)
