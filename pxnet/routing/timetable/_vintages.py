"""A network's timetable vintages: the feed shipped in its data folder, and the feeds a user registers.

``pxnet.add_timetable(path, valid_from=...)`` registers a GTFS feed (for example the national China Railway
feed, downloaded by the user) as a vintage: scenarios on or after its date use it, with the dated changes since
applied on top; earlier scenarios keep the older vintages. Its stops are matched to the network's stations by
name or 12306 telecode (:func:`pxnet.read_timetable`); the corridor stations it has but the network does not are
reported in ``Timetable.unmatched``, never dropped.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from ...dates import PartialDate
from ...errors import RoutingError
from ...network import Network, bundled_network
from ._gtfs import Timetable, read_timetable

__all__ = ["add_timetable", "registered_timetables"]

_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
#: Per network (by identity), the feeds registered with :func:`add_timetable`, in order.
_REGISTERED: dict[int, tuple[Network, list[Timetable]]] = {}


def registered_timetables(network: Network) -> list[Timetable]:
    """Return the feeds registered on a network (none unless :func:`add_timetable` was called)."""
    found = _REGISTERED.get(id(network))
    return list(found[1]) if found is not None and found[0] is network else []


def add_timetable(
    feed: str | Path | Timetable,
    *,
    valid_from: str | dt.date | None = None,
    network: Network | None = None,
    name: str | None = None,
    telecodes: Any = None,
) -> Timetable:
    """Register a GTFS feed as a timetable vintage of a network.

    Parameters
    ----------
    feed
        A GTFS folder or zip (read with the network's stations matched by name or telecode), or a read feed.
    valid_from
        The first day the feed's timetable is in force (``YYYY-MM-DD``; a partial date counts from its first day),
        e.g. the last timetable change (调图) before it was downloaded. Every service of the feed then runs every
        day from this date to the feed's last day. Default: the feed's own calendar.
    network
        The network (default: the bundled one).
    name
        A prefix for the feed's ids, so they cannot collide with another vintage's (default ``feed<n>``).
    telecodes
        Passed to :func:`pxnet.read_timetable` (12306 telecodes for matching stops).

    Returns
    -------
    Timetable
        The feed as registered (ids prefixed); its ``unmatched`` table lists the corridor stations it has that
        the network does not.

    Examples
    --------
    >>> import pxnet, tempfile, runpy
    >>> feed = runpy.run_path("scripts/make_national_feed.py")["write_feed"](Path(tempfile.mkdtemp()) / "cr")
    >>> net = pxnet.load_network()
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     tt = pxnet.add_timetable(feed, valid_from="2025-10-11", network=net)
    >>> "registered" in pxnet.scenario_timetable(2026, network=net).basis
    True
    """
    net = network if network is not None else bundled_network()
    entry = _REGISTERED.setdefault(id(net), (net, []))
    if entry[0] is not net:  # an id reused by a new network
        entry = _REGISTERED[id(net)] = (net, [])
    label = name or f"feed{len(entry[1]) + 1}"
    tt = feed if isinstance(feed, Timetable) else read_timetable(feed, network=net, telecodes=telecodes)
    tt = _prefixed(tt, label)
    if valid_from is not None:
        tt = _valid_from(tt, _date(valid_from))
    tt = replace(tt, source=f"registered {label}: {tt.source}")
    entry[1].append(tt)
    net.cache.clear()  # every memo of the network's timetables and routers is stale now
    return tt


def _date(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return PartialDate.parse(value).start
    except ValueError as exc:
        raise RoutingError(f"valid_from {value!r} is not a date (YYYY-MM-DD): {exc}") from None


def _prefixed(tt: Timetable, label: str) -> Timetable:
    """Return the feed with its service, trip, route and stop ids prefixed (stations keep their network ids)."""

    def pre(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
        out = frame.copy()
        for c in columns:
            if c in out:
                out[c] = [f"{label}:{v}" if v != "" else v for v in out[c].astype(str)]
        return out

    stops = pre(tt.stops, "stop_id", "parent_station")
    stops["station"] = [s if not s.startswith("gtfs:") else f"gtfs:{label}:{s[5:]}" for s in stops["station"]]
    trips = pre(tt.trips, "trip_id", "service_id", "route_id")
    if "vintage" not in trips or (trips["vintage"].astype(str) == "").all():
        trips["vintage"] = f"registered {label}"
    transfers = tt.transfers.copy() if hasattr(tt, "transfers") else pd.DataFrame()
    if len(transfers):
        for c in ("from_station", "to_station"):
            transfers[c] = [s if not str(s).startswith("gtfs:") else f"gtfs:{label}:{s[5:]}" for s in transfers[c]]
    return replace(
        tt,
        stops=stops,
        routes=pre(tt.routes, "route_id"),
        trips=trips,
        stop_times=pre(tt.stop_times, "trip_id", "stop_id"),
        calendar=pre(tt.calendar, "service_id"),
        calendar_dates=pre(tt.calendar_dates, "service_id"),
        **({"transfers": transfers} if hasattr(tt, "transfers") else {}),
    )


def _valid_from(tt: Timetable, start: dt.date) -> Timetable:
    """Every service of the feed runs every day from ``start`` to the feed's last day."""
    periods = tt.service_periods()
    if not len(periods):
        raise RoutingError("the feed has no service with a date: nothing to register")
    end = max(d for d in periods["end"] if d is not None)
    if end < start:
        raise RoutingError(f"valid_from {start.isoformat()} is after the feed's last day {end.isoformat()}")
    rows = [
        {"service_id": sid, **dict.fromkeys(_DAYS, "1"), "start_date": start.strftime("%Y%m%d"),
         "end_date": end.strftime("%Y%m%d")}
        for sid in periods["service_id"]
    ]  # fmt: skip
    return replace(tt, calendar=pd.DataFrame(rows), calendar_dates=tt.calendar_dates.iloc[:0])


def merged(base: Timetable | None, extra: list[Timetable]) -> Timetable | None:
    """Return the shipped feed and the registered ones as one feed (ids are prefixed, so nothing collides)."""
    feeds = [t for t in (base, *extra) if t is not None]
    if len(feeds) <= 1:
        return feeds[0] if feeds else None

    def cat(name: str) -> pd.DataFrame:
        frames = [getattr(t, name) for t in feeds if len(getattr(t, name))]
        return pd.concat(frames, ignore_index=True).fillna("") if frames else getattr(feeds[0], name)

    agency = cat("agency").drop_duplicates("agency_id") if "agency_id" in cat("agency") else cat("agency")
    out = replace(
        feeds[0],
        agency=agency,
        stops=cat("stops"),
        routes=cat("routes"),
        trips=cat("trips"),
        stop_times=pd.concat([t.stop_times for t in feeds], ignore_index=True),
        calendar=cat("calendar"),
        calendar_dates=cat("calendar_dates"),
        source=" + ".join(t.source for t in feeds),
    )
    if hasattr(feeds[0], "transfers"):
        out = replace(out, transfers=pd.concat([t.transfers for t in feeds], ignore_index=True))
    return out
