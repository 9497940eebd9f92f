"""One routing question as records: the option groups the routing functions share, each validated on entry.

The public functions take their options as keywords, as always; a family of them arrives as ``**options`` typed
by one of the ``...Keywords`` dictionaries here, is checked and spelled out in the signature (``_keywords``) and
becomes a frozen record (:class:`TimingOptions`, :class:`GraphOptions`, :class:`BandOptions`) that validates its
values when made. Inside pxnet the records travel, not the loose keywords: a :class:`Request` bundles the trip
mode, scenario, network, direction, cut-off and options of one question.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypedDict

from .. import vocabulary
from ..errors import RoutingError
from ..scenario import ScenarioArg
from ._keywords import Options, accept_keywords, spelled_out
from .timetable import Departure, parse_departure, parse_statistic

if TYPE_CHECKING:
    import networkx as nx

    from ..network import Network

__all__ = [
    "BandOptions",
    "DepartureKeywords",
    "GraphOptions",
    "IsochroneKeywords",
    "ReachKeywords",
    "Request",
    "TimingKeywords",
    "TimingOptions",
    "accept_keywords",
    "check_last_mile_kph",
    "check_walk_kph",
    "spelled_out",
]

#: Isochrone drawing methods (``docs/isochrones.md``).
METHODS = ("auto", "exact", "raster")
#: Longest isochrone band and last-mile cap: a week, in minutes.
MAX_BAND_MIN = 7 * 24 * 60.0
#: Fastest straight-line last mile (km/h): beyond it a "last mile" is a trip of its own.
MAX_LAST_MILE_KPH = 200.0
#: Fastest walk (or ride) on a street graph's lengths (km/h).
MAX_WALK_KPH = 30.0


def check_walk_kph(walk_kph: object) -> float:
    """Return ``walk_kph`` as a float if it is a walking or cycling speed, else raise a ``RoutingError``."""
    try:
        speed = float(walk_kph)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        speed = math.nan
    if not 0 < speed <= MAX_WALK_KPH:
        raise RoutingError(
            f"walk_kph must be a walking or cycling speed above 0 and at most {MAX_WALK_KPH:g} km/h, not {walk_kph!r}"
        )
    return speed


def check_last_mile_kph(speed: float) -> float:
    """Return ``speed`` if it is a last-mile speed (above 0, at most :data:`MAX_LAST_MILE_KPH`), else raise."""
    if not 0 < speed <= MAX_LAST_MILE_KPH:
        raise RoutingError(f"last_mile_kph must be a positive speed of at most {MAX_LAST_MILE_KPH:g} km/h")
    return speed


# -- The keyword families (for type checkers and signatures) ---------------------------------------------
class DepartureKeywords(TypedDict, total=False):
    """When the traveller leaves, and how a window of departures is summarised (:class:`TimingOptions`)."""

    departure: Departure
    statistic: str | None


class TimingKeywords(DepartureKeywords, total=False):
    """:class:`DepartureKeywords` and an arrival time to arrive by."""

    arrival: Departure


class ReachKeywords(TimingKeywords, total=False):
    """:class:`TimingKeywords` and, on a street graph, the speed to walk its lengths at."""

    walk_kph: float | None


class IsochroneKeywords(ReachKeywords, total=False):
    """:class:`ReachKeywords` and how the bands are drawn (:class:`BandOptions`)."""

    last_mile_kph: float | None
    max_last_mile_min: float | None
    quad_segs: int
    method: str


# -- The records ------------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class TimingOptions(Options):
    """When a trip leaves or arrives, for the timetable.

    Parameters
    ----------
    departure
        A clock time (``"07:30"``) or a window (``("06:00", "22:00")``); ``None``: the service day.
    statistic
        ``"fastest"``, ``"median"`` or a percentile (``"p80"``) over a window's departures.
    arrival
        Arrive by this clock time; not with ``departure``.

    Examples
    --------
    >>> TimingOptions(departure=("06:00", "09:00"), statistic="p80").statistic
    'p80'
    >>> TimingOptions(departure="07:00", arrival="12:00")
    Traceback (most recent call last):
    ...
    pxnet.errors.RoutingError: give departure= or arrival=, not both
    """

    departure: Departure = None
    statistic: str | None = None
    arrival: Departure = None

    def __post_init__(self) -> None:
        """Refuse a time, window or statistic the timetable cannot read, and departure with arrival."""
        if self.departure is not None and self.arrival is not None:
            raise RoutingError("give departure= or arrival=, not both")
        if self.departure is not None:
            parse_departure(self.departure)
        if self.statistic is not None:
            parse_statistic(self.statistic)
        if self.arrival is not None:
            first, last = parse_departure(self.arrival)
            if first != last:
                raise RoutingError("arrival= is one clock time, such as '12:00'")


@dataclass(frozen=True, kw_only=True)
class GraphOptions(Options):
    """How a networkx graph is routed: on which edge attribute, or walked on its lengths.

    Parameters
    ----------
    weight
        The edge attribute (``travel_time`` in seconds is reported in minutes).
    walk_kph
        Walk the street ``length`` at this speed (km/h, above 0 and at most 30) instead.

    Examples
    --------
    >>> GraphOptions(walk_kph=50)
    Traceback (most recent call last):
    ...
    pxnet.errors.RoutingError: walk_kph must be a walking or cycling speed above 0 and at most 30 km/h, not 50
    """

    weight: str = "travel_time"
    walk_kph: float | None = None

    def __post_init__(self) -> None:
        """Refuse a weight that is no attribute name and a speed no one walks or cycles at."""
        if not isinstance(self.weight, str) or not self.weight:
            raise RoutingError(f"weight must be the name of an edge attribute, not {self.weight!r}")
        if self.walk_kph is not None:
            check_walk_kph(self.walk_kph)


@dataclass(frozen=True, kw_only=True)
class BandOptions(Options):
    """How isochrone bands are drawn around the nodes reached (``docs/isochrones.md``).

    Parameters
    ----------
    last_mile_kph
        Straight-line speed from a reached node onwards (km/h); ``None``: the network's access speed.
    max_last_mile_min
        Cap on the last-mile time (minutes); ``None``: no cap.
    quad_segs
        Segments per quarter circle of each disc (exact method).
    method
        ``"auto"``, ``"exact"`` or ``"raster"``.

    Examples
    --------
    >>> BandOptions(method="rastr")
    Traceback (most recent call last):
    ...
    pxnet.errors.RoutingError: method must be one of auto, exact, raster, got 'rastr' (did you mean 'raster'?)
    """

    last_mile_kph: float | None = None
    max_last_mile_min: float | None = None
    quad_segs: int = 16
    method: str = "auto"

    def __post_init__(self) -> None:
        """Refuse speeds, caps, segment counts and methods outside their ranges."""
        if self.last_mile_kph is not None:
            vocabulary.check_argument("last_mile_kph", self.last_mile_kph, vocabulary.ARGUMENT_LIMITS["speed_kph"])
            check_last_mile_kph(float(self.last_mile_kph))
        if self.max_last_mile_min is not None:
            limit = vocabulary.ARGUMENT_LIMITS["minutes"]
            vocabulary.check_argument("max_last_mile_min", self.max_last_mile_min, limit)
            if not 0 < self.max_last_mile_min <= MAX_BAND_MIN:
                raise RoutingError(f"max_last_mile_min must be positive and at most {MAX_BAND_MIN:,.0f} (or None)")
        if isinstance(self.quad_segs, bool) or not isinstance(self.quad_segs, int) or self.quad_segs < 1:
            raise RoutingError(f"quad_segs must be a whole number of segments, at least 1, not {self.quad_segs!r}")
        if self.method not in METHODS:
            suggestion = vocabulary.did_you_mean(str(self.method), METHODS)
            raise RoutingError(f"method must be one of {', '.join(METHODS)}, got {self.method!r}{suggestion}")


@dataclass(frozen=True, kw_only=True)
class Request:
    """One routing question: which trips (mode, scenario, network), which way, how far, and its options.

    Examples
    --------
    >>> Request(mode="hsr", scenario=2025, cutoff=60).timing
    TimingOptions(departure=None, statistic=None, arrival=None)
    """

    mode: str = vocabulary.DEFAULT_TRIP_MODE
    scenario: ScenarioArg = None
    network: Network | nx.Graph | None = None
    #: ``True``: towards the origins (they are destinations).
    to: bool = False
    #: Leave out what is farther than this (minutes).
    cutoff: float | None = None
    timing: TimingOptions = field(default_factory=TimingOptions)
    graph: GraphOptions = field(default_factory=GraphOptions)
