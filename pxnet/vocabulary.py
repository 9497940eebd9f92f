"""The vocabulary of pxnet's data files: node kinds, link modes, statuses, mode groups and trip modes.

Also the one "did you mean" helper every error message uses (:func:`did_you_mean`: :func:`close_matches` ranks
the known names, :func:`suggestion_hint` words the hint; :func:`check_keywords` refuses a keyword with it), and the
plausible range of every numeric data field (:data:`FIELD_LIMITS`). See ``docs/data-model.md`` for the
field-by-field description.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from .errors import ArgumentError, RoutingError

NODE_KINDS: frozenset[str] = frozenset(
    {
        "city",
        "county_seat",
        "scenic",
        "hsr_station",
        "rail_station",
        "interchange",
        "junction",
        "port",
        "freight_yard",
        "airport",
        "ga_airport",
    }
)
#: Node kinds that are origins/destinations of door-to-door trips.
PLACE_KINDS: frozenset[str] = frozenset({"city", "county_seat", "scenic"})
STATION_KINDS: frozenset[str] = frozenset({"hsr_station", "rail_station"})

#: The prefix of a dated scenario name (``as-built-2026``, ``expected-2030``, ``plan-2035``) for each basis.
DATED_PREFIXES: dict[str, str] = {"actual": "as-built", "expected": "expected", "plan": "plan"}
_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
#: A year or date a scenario may be named by: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
YEAR_OR_DATE = re.compile(rf"^{_DATE}$")
#: The basis of each dated-name prefix.
DATED_BASES: dict[str, str] = {prefix: basis for basis, prefix in DATED_PREFIXES.items()}
#: A dated scenario name: a basis prefix and a year or date (groups: prefix, date).
DATED_NAME = re.compile(rf"^({'|'.join(map(re.escape, DATED_BASES))})-({_DATE})$")


def dated_name(basis: str, date: str) -> str:
    """Return the dated scenario name of a basis and a year or date.

    Examples
    --------
    >>> dated_name("actual", "2026"), dated_name("expected", "2030-06")
    ('as-built-2026', 'expected-2030-06')
    """
    return f"{DATED_PREFIXES[basis]}-{date}"


def is_dated_name(name: str) -> bool:
    """Whether ``name`` is a dated scenario name: ``as-built-``, ``expected-`` or ``plan-`` and ``YYYY[-MM[-DD]]``.

    Every network answers to these (a name of its ``scenarios.yaml`` wins), so files that name scenarios accept
    them without a list; whether the date exists is checked when the scenario is asked for.

    Examples
    --------
    >>> [is_dated_name(n) for n in ("as-built-2026", "expected-2035-06", "plan-2030-01-31", "plan-b", "2030")]
    [True, True, True, False, False]
    """
    return DATED_NAME.match(name) is not None


ROAD_MODES: frozenset[str] = frozenset({"expressway", "national_road", "provincial_road", "local_road", "access"})
RAIL_MODES: frozenset[str] = frozenset({"hsr", "rail", "freight_rail"})
LINK_MODES: frozenset[str] = ROAD_MODES | RAIL_MODES | {"air"}
SERVICE_MODES: frozenset[str] = frozenset({"hsr", "rail"})
#: The modes a travel-time question can ask for (routing, goals, observed times, the command line).
TRIP_MODES: tuple[str, ...] = ("hsr", "rail", "road", "door_to_door")
#: The trip mode a question asks for when it names none.
DEFAULT_TRIP_MODE = "door_to_door"
#: Other spellings of mode names that users type (case, hyphens and spaces are folded before this lookup).
MODE_ALIASES: dict[str, str] = {
    "high_speed_rail": "hsr",
    "highspeed_rail": "hsr",
    "gaotie": "hsr",
    "高铁": "hsr",
    "铁路": "rail",
    "train": "rail",
    "drive": "road",
    "driving": "road",
    "car": "road",
    "公路": "road",
    "doortodoor": "door_to_door",
    "d2d": "door_to_door",
    "门到门": "door_to_door",
}

STATUSES: tuple[str, ...] = ("existing", "under_construction", "planned", "proposed")
BASES: tuple[str, ...] = ("actual", "expected", "plan")
#: Each basis in Chinese, for reports and descriptions.
BASIS_ZH: dict[str, str] = {"actual": "实际", "expected": "预期", "plan": "规划"}

#: Kinds of a dated timetable change (``timetable/changes.yaml``), after Conveyal's modification types.
CHANGE_KINDS: tuple[str, ...] = ("retime", "add_trips", "remove_trips", "suspend", "dwell", "frequency")
#: How sure a timetable change is: an official or primary source with the figure, a secondary one, an inference.
CHANGE_CONFIDENCE: tuple[str, ...] = ("high", "medium", "low")

MILESTONE_EVENTS: frozenset[str] = frozenset(
    {
        "proposed",
        "approved",
        "start",
        "full_start",
        "open",
        "complete",
        "expected_start",
        "expected_open",
        "expected_complete",
        "cancelled",
    }
)
#: The events a plan sets targets for, and a milestone goal may ask about, in the order of a project.
TARGET_EVENTS: tuple[str, ...] = ("start", "full_start", "open", "complete")
PROJECT_CATEGORIES: frozenset[str] = frozenset(
    {
        "hsr",
        "rail",
        "freight_rail",
        "expressway",
        "road",
        "airport",
        "ga_airport",
        "port",
        "logistics",
        "hub",
        "service",
        "network",
    }
)

#: Link modes each routing/graph mode may use. ``hsr`` never uses a road.
MODE_GROUPS: dict[str, frozenset[str]] = {
    "hsr": frozenset({"hsr"}),
    "rail": frozenset({"hsr", "rail"}),
    "road": ROAD_MODES,
    "door_to_door": ROAD_MODES | {"hsr", "rail"},
    "freight": ROAD_MODES | {"freight_rail", "rail"},
    "all": LINK_MODES,
}


class Limit(NamedTuple):
    """The plausible range of a numeric field: ``low <= value <= high`` (``low`` excluded if ``open_low``)."""

    low: float
    high: float
    open_low: bool = False

    def problem(self, value: float) -> str | None:
        """Return what is wrong with ``value`` (``None`` when it lies in the range).

        Examples
        --------
        >>> Limit(0, 10, open_low=True).problem(0)
        'must be greater than 0 (allowed: 0 < value <= 10)'
        >>> Limit(0, 10).problem(5) is None
        True
        """
        text = f"{'<' if self.open_low else '<='} value <= {self.high:g}"
        allowed = f"(allowed: {self.low:g} {text})"
        if value != value or value in (float("inf"), float("-inf")):
            return f"must be a finite number {allowed}"
        if value < self.low or (self.open_low and value == self.low):
            return f"must be {'greater than' if self.open_low else 'at least'} {self.low:g} {allowed}"
        if value > self.high:
            return f"must be at most {self.high:g} {allowed}"
        return None


def check_argument(name: str, value: object, limit: Limit) -> float:
    """``value`` as a float if it is a number in ``limit``; else a :class:`~pxnet.errors.RoutingError` naming ``name``.

    Examples
    --------
    >>> check_argument("cutoff", 90, Limit(0, 1e5))
    90.0
    >>> check_argument("cutoff", -5, Limit(0, 1e5))
    Traceback (most recent call last):
    ...
    pxnet.errors.RoutingError: cutoff=-5 must be at least 0 (allowed: 0 <= value <= 100000)
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            import numpy as np

            ok = isinstance(value, np.number) and not isinstance(value, np.bool_)
        except ImportError:  # pragma: no cover
            ok = False
        if not ok:
            raise RoutingError(f"{name}={value!r} must be a number")
    number = float(value)  # type: ignore[arg-type]
    wrong = limit.problem(number)
    if wrong:
        raise RoutingError(f"{name}={value!r} {wrong}")
    return number


#: Plausible range of each numeric field of the data files, by ``file.column`` (``docs/data-model.md``).
#: The bounds are generous (a value outside is an error of units or a typo, not an unusual fact).
FIELD_LIMITS: dict[str, Limit] = {
    "nodes.lon": Limit(-180.0, 180.0),
    "nodes.lat": Limit(-90.0, 90.0),
    "nodes.population": Limit(0.0, 50_000_000.0),
    "nodes.transfer_min": Limit(0.0, 180.0),
    "links.length_km": Limit(0.001, 5000.0, open_low=True),
    "links.speed_kph": Limit(1.0, 1000.0),
    "links.time_min": Limit(0.01, 2000.0),
    "services.headway_min": Limit(1.0, 1440.0),
    "services.trains_per_day": Limit(0.1, 1000.0),
    "services.segment_min": Limit(0.1, 2000.0),
    "observed_times.minutes": Limit(0.1, 10000.0),
    "projects.upgrades.speed_kph": Limit(1.0, 1000.0),
    "projects.upgrades.time_min": Limit(0.01, 2000.0),
}

#: Plausible range of numeric arguments of the public functions (minutes unless said).
ARGUMENT_LIMITS: dict[str, Limit] = {
    "cutoff": Limit(0.0, 100_000.0),
    "cutoff_graph": Limit(0.0, 1e12),  # on a networkx graph, in the weight's own units
    "initial_wait_fraction": Limit(0.0, 1.0),
    "band": Limit(0.0, 10_080.0, open_low=True),  # isochrone band limits: up to a week
    "speed_kph": Limit(1.0, 1000.0),
    "minutes": Limit(0.0, 10_080.0),
}


def mode_key(mode: str) -> str:
    """Fold case, width, hyphens and spaces of a mode name, and map aliases: ``"Door-to-Door"`` → ``"door_to_door"``.

    Examples
    --------
    >>> mode_key("HSR"), mode_key("door-to-door"), mode_key("high speed rail")
    ('hsr', 'door_to_door', 'hsr')
    """
    key = re.sub(r"[\s\-]+", "_", unicodedata.normalize("NFKC", mode).strip().casefold())
    return MODE_ALIASES.get(key, MODE_ALIASES.get(key.replace("_", ""), key))


def trip_mode(mode: object, *, argument: str = "trip mode") -> str:
    """Return the trip mode that ``mode`` names (case and aliases folded), or raise :class:`~pxnet.errors.RoutingError`.

    Examples
    --------
    >>> trip_mode("Door-to-door"), trip_mode("HSR")
    ('door_to_door', 'hsr')
    """
    key = mode_key(mode) if isinstance(mode, str) else None
    if key in TRIP_MODES:
        return key
    raise RoutingError(
        f"unknown {argument} {mode!r}{did_you_mean(str(mode), TRIP_MODES)}; use one of {', '.join(TRIP_MODES)}"
    )


def close_matches(value: str, known: Iterable[str], *, n: int = 3, cutoff: float = 0.6) -> list[str]:
    """Return the names of ``known`` closest to ``value``, best first: pxnet's one "did you mean" ranking.

    Names are compared case-folded. Among equally similar names, those sharing a longer prefix with
    ``value``, then those sharing more characters, come first.

    Examples
    --------
    >>> close_matches("pingxiang_nort", ["changsha_south", "pingxiang_north"])
    ['pingxiang_north']
    """
    key = unicodedata.normalize("NFKC", str(value)).casefold()
    if not key:
        return []
    scored: list[tuple[float, int, int, str]] = []
    for name in dict.fromkeys(str(k) for k in known):
        other = unicodedata.normalize("NFKC", name).casefold()
        ratio = difflib.SequenceMatcher(None, key, other).ratio()
        if ratio < cutoff:
            continue
        prefix = len(_common_prefix(key, other))
        shared = len(set(key) & set(other))
        scored.append((-ratio, -prefix, -shared, name))
    return [name for *_, name in sorted(scored)[:n]]


def did_you_mean(value: str | None, known: Iterable[str], *, n: int = 3, cutoff: float = 0.6) -> str:
    """Return a ``" (did you mean 'a', 'b'?)"`` hint for an unknown name, or ``""`` when nothing is close.

    Examples
    --------
    >>> did_you_mean("pingxiang_nort", ["pingxiang_north", "changsha_south"])
    " (did you mean 'pingxiang_north'?)"
    """
    if not value:
        return ""
    return suggestion_hint(close_matches(str(value), known, n=n, cutoff=cutoff))


def suggestion_hint(names: Sequence[str], *, quote: bool = True) -> str:
    """Word names already ranked (e.g. by :meth:`pxnet.places.PlaceIndex.suggest`) as a "did you mean" hint.

    Names are quoted as Python literals (ids, keys) unless ``quote`` is false (labels such as ``萍乡北 (Pingxiang
    North)``); no names give ``""``.

    Examples
    --------
    >>> suggestion_hint(["pingxiang_north"]), suggestion_hint(["萍乡北 (Pingxiang North)"], quote=False)
    (" (did you mean 'pingxiang_north'?)", ' (did you mean 萍乡北 (Pingxiang North)?)')
    >>> suggestion_hint([])
    ''
    """
    if not names:
        return ""
    return f" (did you mean {', '.join(repr(n) if quote else str(n) for n in names)}?)"


def check_keywords(given: Mapping[str, object], allowed: Iterable[str], *, function: str) -> None:
    """Refuse keywords a function does not take, naming each with the nearest one it does.

    Functions that gather a family of options as ``**options`` (a ``TypedDict`` for type checkers) call this
    where the options enter, so a misspelt keyword fails as loudly as it would in a plain signature.

    Examples
    --------
    >>> check_keywords({"departure": "08:00"}, ["departure", "arrival"], function="travel_time")
    >>> check_keywords({"depature": "08:00"}, ["departure", "arrival"], function="travel_time")
    Traceback (most recent call last):
    ...
    pxnet.errors.ArgumentError: travel_time() got an unexpected keyword 'depature' (did you mean 'departure'?)
    """
    known = list(allowed)
    for name in given:
        if name not in known:
            raise ArgumentError(f"{function}() got an unexpected keyword {name!r}{did_you_mean(name, known)}")


def _common_prefix(a: str, b: str) -> str:
    k = 0
    while k < min(len(a), len(b)) and a[k] == b[k]:
        k += 1
    return a[:k]


def link_modes(mode: str | frozenset[str] | set[str] | list[str] | tuple[str, ...] | None) -> frozenset[str]:
    """Resolve a mode group name, a single link mode or a collection of link modes.

    Parameters
    ----------
    mode
        ``None`` or ``"all"`` (every link mode), a group name (``"hsr"``, ``"rail"``, ``"road"``,
        ``"door_to_door"``, ``"freight"``), a link mode (e.g. ``"expressway"``) or several link modes.

    Returns
    -------
    frozenset of str
        The link modes.

    Raises
    ------
    ValueError
        For an unknown mode name.

    Examples
    --------
    >>> sorted(link_modes("rail"))
    ['hsr', 'rail']
    """
    if mode is None:
        return LINK_MODES
    if isinstance(mode, str):
        key = mode_key(mode)
        if key in MODE_GROUPS:
            return MODE_GROUPS[key]
        if key in LINK_MODES:
            return frozenset({key})
        known = sorted(set(MODE_GROUPS) | LINK_MODES)
        raise RoutingError(f"unknown mode {mode!r}{did_you_mean(mode, known)}; use one of {', '.join(known)}")
    out: set[str] = set()
    for m in mode:
        out |= link_modes(m)
    return frozenset(out)
