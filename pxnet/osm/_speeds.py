"""Road speeds for OpenStreetMap graphs: Chinese road-class defaults and ``maxspeed`` parsing.

The defaults and the parsing rule are documented, value by value, in ``docs/osm.md``. This module only
reads and writes edge attributes of osmnx-convention graphs; :mod:`pxnet.osm` loads and routes them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import networkx as nx

from ..errors import SpeedError

#: Default free-flow speed (km/h) by OSM ``highway`` class, used where a way has no usable ``maxspeed``.
#: Basis of each value (law or assumption): ``docs/osm.md``. Classes not listed take ``road``.
DEFAULT_SPEEDS_KPH: dict[str, float] = {
    "motorway": 100.0,
    "motorway_link": 40.0,
    "trunk": 60.0,
    "trunk_link": 40.0,
    "primary": 50.0,
    "primary_link": 30.0,
    "secondary": 40.0,
    "secondary_link": 30.0,
    "tertiary": 30.0,
    "tertiary_link": 30.0,
    "unclassified": 30.0,
    "residential": 30.0,
    "road": 30.0,
    "busway": 30.0,
    "service": 15.0,
    "track": 15.0,
    "living_street": 10.0,
}

#: Legal limits (km/h) behind the ``CN:<zone>`` implicit ``maxspeed`` values, from 道路交通安全法实施条例
#: 第四十五条 (roads without a speed sign) and 第七十八条 (expressways): ``(no centre line, one lane each way)``.
CN_ZONE_KPH: dict[str, tuple[float, float]] = {
    "urban": (30.0, 50.0),
    "rural": (40.0, 70.0),
    "motorway": (120.0, 120.0),
    "expressway": (120.0, 120.0),
}

#: A parsed ``maxspeed`` outside (0, MAX_PLAUSIBLE_KPH] is treated as a tagging error and ignored.
MAX_PLAUSIBLE_KPH = 150.0

_NUMBER = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(km/h|kmh|kph|mph|knots)?$", re.IGNORECASE)
_ZONE = re.compile(r"^([A-Za-z]{2}):([A-Za-z_]+)$")
_UNIT = {None: 1.0, "km/h": 1.0, "kmh": 1.0, "kph": 1.0, "mph": 1.609344, "knots": 1.852}


def parse_maxspeed(value: Any, *, lanes: Any = None, oneway: bool = False) -> float | None:
    """Return the speed limit in km/h that an OSM ``maxspeed`` value states, or ``None`` if it states none.

    Parameters
    ----------
    value
        The tag value: ``"80"``, ``"80 km/h"``, ``"50 mph"``, ``"20 knots"``, ``"CN:urban"``, several values
        ``"60;80"`` / ``"60|80"``, a number, or a list of those (osmnx merges the tags of simplified edges
        into lists). ``None``/NaN, ``"none"``, ``"signals"``, ``"walk"`` and zones of other countries give
        ``None``.
    lanes, oneway
        The way's ``lanes`` tag and direction, used for ``CN:urban``/``CN:rural``: a two-way road tagged
        ``lanes=1`` has no centre line (30 / 40 km/h), any other road one lane or more each way (50 / 70).

    Returns
    -------
    float or None
        km/h. Of several values the **lowest** counts (the limit that certainly applies); a value outside
        (0, 150] km/h is taken for a tagging error and gives ``None``.

    Examples
    --------
    >>> parse_maxspeed("80"), parse_maxspeed("80 km/h"), round(parse_maxspeed("50 mph"), 1)
    (80.0, 80.0, 80.5)
    >>> parse_maxspeed("60;80"), parse_maxspeed(["100", "120"])
    (60.0, 100.0)
    >>> parse_maxspeed("CN:urban"), parse_maxspeed("CN:rural", lanes="1"), parse_maxspeed("CN:motorway")
    (50.0, 40.0, 120.0)
    >>> parse_maxspeed("signals") is None, parse_maxspeed("1200") is None
    (True, True)
    """
    if isinstance(value, (list, tuple, set)):
        parsed = [parse_maxspeed(v, lanes=lanes, oneway=oneway) for v in value]
        found = [p for p in parsed if p is not None]
        return min(found) if found else None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return _plausible(float(value))
    text = str(value).strip()
    if not text:
        return None
    parts = [p.strip() for p in re.split(r"[;|]", text) if p.strip()]
    if len(parts) > 1:
        return parse_maxspeed(parts, lanes=lanes, oneway=oneway)
    match = _NUMBER.match(text)
    if match:
        unit = match.group(2).lower() if match.group(2) else None
        return _plausible(float(match.group(1).replace(",", ".")) * _UNIT[unit])
    zone = _ZONE.match(text)
    if zone and zone.group(1).upper() == "CN":
        limits = CN_ZONE_KPH.get(zone.group(2).lower())
        if limits is None:
            return None
        no_centre_line = not oneway and _lanes(lanes) == 1
        return limits[0] if no_centre_line else limits[1]
    return None


def _plausible(kph: float) -> float | None:
    return kph if math.isfinite(kph) and 0 < kph <= MAX_PLAUSIBLE_KPH else None


def _lanes(value: Any) -> int | None:
    if isinstance(value, (list, tuple)):
        counts = [c for c in (_lanes(v) for v in value) if c is not None]
        return min(counts) if counts else None
    try:
        return int(float(str(value).split(";")[0]))
    except (TypeError, ValueError):
        return None


def speed_table(speeds: Mapping[str, float] | None = None) -> dict[str, float]:
    """Return the default speeds by ``highway`` class with ``speeds`` merged over them (km/h).

    Raises
    ------
    SpeedError
        If a speed is not a positive, finite number.

    Examples
    --------
    >>> table = speed_table({"residential": 25})
    >>> table["residential"], table["motorway"]
    (25.0, 100.0)
    """
    table = dict(DEFAULT_SPEEDS_KPH)
    for key, kph in (speeds or {}).items():
        try:
            value = float(kph)
        except (TypeError, ValueError):
            raise SpeedError(f"speed for {key!r} must be a number of km/h, not {kph!r}") from None
        if not math.isfinite(value) or value <= 0:
            raise SpeedError(f"speed for {key!r} must be a positive number of km/h, not {kph!r}")
        table[str(key)] = value
    return table


def class_speed(highway: Any, table: Mapping[str, float]) -> float:
    """Return the default speed of a ``highway`` value (a list, from a simplified edge, takes its slowest class).

    Examples
    --------
    >>> class_speed(["primary", "residential"], {"primary": 50.0, "residential": 30.0, "road": 30.0})
    30.0
    """
    if isinstance(highway, (list, tuple, set)):
        return min((class_speed(h, table) for h in highway), default=table["road"])
    return table.get(str(highway), table["road"])


def add_speeds(G: nx.MultiDiGraph, *, speeds: Mapping[str, float] | None = None) -> nx.MultiDiGraph:
    """Set ``speed_kph``, ``speed_source`` and ``travel_time`` (s) on every edge of an osmnx graph, in place.

    The speed is the way's ``maxspeed`` where :func:`parse_maxspeed` reads one (``speed_source="maxspeed"``),
    else the default of its ``highway`` class from :func:`speed_table` (``speed_source="default"``);
    ``travel_time = length / speed``. Run it on an unsimplified graph (as :func:`pxnet.osm.load_roads` does)
    so that each edge is one way with one limit.

    Parameters
    ----------
    G
        An osmnx-convention graph whose edges carry ``length`` (m) and, usually, ``highway`` and
        ``maxspeed``.
    speeds
        Overrides of the default speeds by ``highway`` class (km/h).

    Returns
    -------
    networkx.MultiDiGraph
        ``G`` itself; ``G.graph["pxnet_speeds"]`` records the table used.

    Raises
    ------
    SpeedError
        If an edge has no usable ``length``.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> _ = G.add_edge(1, 2, length=1000.0, highway="primary", maxspeed="60 km/h")
    >>> _ = G.add_edge(2, 3, length=1000.0, highway="residential")
    >>> _ = add_speeds(G)
    >>> G.edges[1, 2, 0]["travel_time"], G.edges[2, 3, 0]["travel_time"], G.edges[2, 3, 0]["speed_source"]
    (60.0, 120.0, 'default')
    """
    table = speed_table(speeds)
    memo: dict[tuple[str, str, bool], float | None] = {}
    for u, v, data in G.edges(data=True):
        raw = data.get("maxspeed")
        limit: float | None
        if isinstance(raw, str):  # the common case: cache by tag combination
            key = (raw, str(data.get("lanes")), bool(data.get("oneway", False)))
            if key not in memo:
                memo[key] = parse_maxspeed(raw, lanes=data.get("lanes"), oneway=key[2])
            limit = memo[key]
        else:
            limit = parse_maxspeed(raw, lanes=data.get("lanes"), oneway=bool(data.get("oneway", False)))
        if limit is None:
            kph, source = class_speed(data.get("highway", "road"), table), "default"
        else:
            kph, source = limit, "maxspeed"
        length = data.get("length")
        try:
            metres = float(length)
        except (TypeError, ValueError):
            metres = math.nan
        if not math.isfinite(metres) or metres < 0:
            raise SpeedError(f"edge {u!r} -> {v!r} has no usable 'length' (m): {length!r}")
        data["speed_kph"] = kph
        data["speed_source"] = source
        data["travel_time"] = metres * 3.6 / kph
    G.graph["pxnet_speeds"] = ";".join(f"{k}={v:g}" for k, v in sorted(table.items()))
    return G
