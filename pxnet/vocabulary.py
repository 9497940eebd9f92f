"""The vocabulary of pxnet's data files: node kinds, link modes, statuses and mode groups.

See ``docs/data-model.md`` for the field-by-field description.
"""

from __future__ import annotations

from .errors import RoutingError

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

ROAD_MODES: frozenset[str] = frozenset({"expressway", "national_road", "provincial_road", "local_road", "access"})
RAIL_MODES: frozenset[str] = frozenset({"hsr", "rail", "freight_rail"})
LINK_MODES: frozenset[str] = ROAD_MODES | RAIL_MODES | {"air"}
SERVICE_MODES: frozenset[str] = frozenset({"hsr", "rail"})

STATUSES: tuple[str, ...] = ("existing", "under_construction", "planned", "proposed")
BASES: tuple[str, ...] = ("actual", "expected", "plan")

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
TARGET_EVENTS: frozenset[str] = frozenset({"start", "full_start", "open", "complete"})
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
        if mode in MODE_GROUPS:
            return MODE_GROUPS[mode]
        if mode in LINK_MODES:
            return frozenset({mode})
        known = sorted(set(MODE_GROUPS) | LINK_MODES)
        raise RoutingError(f"unknown mode {mode!r}; use one of {', '.join(known)}")
    out: set[str] = set()
    for m in mode:
        out |= link_modes(m)
    return frozenset(out)
