"""The 3-hour question for one scenario: the fastest minutes and trains from the origin to each city of a region.

The result is what :func:`pxnet.plot.plot_corridor` draws and the report lists: it is computed here, once, with
the public routing functions (:func:`pxnet.travel_time` for the minutes, :func:`pxnet.journeys` for the trains),
and handed on.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import pandas as pd

from ..network import Network
from ..routing import journeys, travel_time
from ..scenario import ScenarioArg, resolve

__all__ = ["CORRIDOR_COLUMNS", "corridor_times"]

#: The columns of :func:`corridor_times`.
CORRIDOR_COLUMNS = ("place", "name_zh", "name_en", "minutes", "within", "trains", "departure", "arrival", "basis")


def train_names(trains: str, network: Network, *, service_name: Callable[[str], str] | None = None) -> str:
    """Name the trains of a journey (``journeys``' ``trains``) as maps, tables and reports show them.

    Published trains keep their numbers (G1511); a modelled trip (``service#f2``) is named by its service, with
    a star: a train the timetable does not publish. ``service_name`` turns the service's name into the label
    (default: its first word, 长赣+赣深).

    Examples
    --------
    >>> import pxnet
    >>> net = pxnet.load_network()
    >>> train_names("G1501 → G79", net)
    'G1501 → G79'
    >>> service = net.services.index[0]
    >>> train_names(f"{service}#f2", net).endswith("*")
    True
    """
    label = service_name or (lambda name: name.split(" ", 1)[0])
    names = []
    for part in trains.split(" → "):
        service = part.split("#", 1)[0]
        if "#" in part and service in network.services.index:
            names.append(label(str(network.services.at[service, "name"])) + "*")
        else:
            names.append(part)
    return " → ".join(names)


def _fastest_journey(origin: str, place: str, scenario: ScenarioArg, network: Network) -> dict[str, str]:
    # The fastest departure of the service day by the timetable (door to door), or blanks when none runs.
    table = journeys(origin, place, scenario=scenario, mode="door_to_door", network=network)
    if table.empty:
        return {"trains": "", "departure": "", "arrival": "", "basis": ""}
    best = table.sort_values(["minutes", "departure_s"], kind="stable").iloc[0]
    return {
        "trains": train_names(str(best["trains"]), network),
        "departure": str(best["departure"]),
        "arrival": str(best["arrival"]),
        "basis": str(best["basis"]),
    }


def corridor_times(
    scenario: ScenarioArg = None,
    *,
    origin: str | None = None,
    destinations: Sequence[str] | None = None,
    network: Network | None = None,
    threshold: float = 180.0,
) -> pd.DataFrame:
    """Return the fastest door-to-door minutes and trains from an origin to each city of a region.

    Parameters
    ----------
    scenario
        A scenario, name or year (default: today).
    origin
        Where the trips start (default: ``defaults.origin`` of the data set, 萍乡 for the bundled data).
    destinations
        The cities (default: ``defaults.region``, the eleven Greater Bay Area cities).
    network
        The network (default: the bundled one).
    threshold
        The minutes of the question (180: three hours); ``within`` says which cities are inside it.

    Returns
    -------
    pandas.DataFrame
        One row per destination, fastest first: ``place`` (node id), ``name_zh``, ``name_en``, ``minutes``
        (door to door, the fastest journey of the service day: :func:`pxnet.travel_time`; ``inf`` when
        unreachable), ``within`` (minutes ≤ threshold), and the
        fastest departure by the timetable (:func:`pxnet.journeys`): ``trains`` (train numbers; a modelled
        train, which no published timetable holds, as its service's name with a star: ``长赣+赣深*``),
        ``departure``, ``arrival``, ``basis`` (``scheduled``, ``modelled`` or both; blank when no train
        runs). ``attrs`` hold the scenario, origin, threshold and data date.

    Examples
    --------
    >>> t = corridor_times("as-built-2025", destinations=["广州", "深圳"])
    >>> list(t.columns[:5])
    ['place', 'name_zh', 'name_en', 'minutes', 'within']
    >>> bool((t["minutes"] > 180).all()), t.attrs["threshold"]
    (True, 180.0)
    """
    sc = resolve(scenario, network)
    net = sc.network
    origin = origin if origin is not None else net.defaults.origin
    places = list(destinations) if destinations is not None else list(net.defaults.region)
    if not math.isfinite(threshold) or threshold <= 0:
        from ..errors import AnalysisError

        raise AnalysisError(f"threshold={threshold!r}: give a positive number of minutes")
    rows = []
    for place in places:
        node = net.resolve(place)
        minutes = float(travel_time(origin, node, mode="door_to_door", scenario=sc))
        train = _fastest_journey(origin, node, sc, net) if math.isfinite(minutes) else {}
        rows.append(
            {
                "place": node,
                "name_zh": str(net.nodes.at[node, "name_zh"]),
                "name_en": str(net.nodes.at[node, "name_en"]),
                "minutes": minutes,
                "within": minutes <= threshold,
                **{k: train.get(k, "") for k in ("trains", "departure", "arrival", "basis")},
            }
        )
    frame = pd.DataFrame(rows, columns=list(CORRIDOR_COLUMNS))
    frame = frame.sort_values("minutes", kind="stable").reset_index(drop=True)
    frame.attrs.update(
        scenario=sc.name,
        origin=net.resolve(origin),
        origin_name=origin,
        threshold=float(threshold),
        data_date=net.data_date,
        mode="door_to_door",
    )
    return frame
