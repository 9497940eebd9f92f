"""Check the model against observed travel times (sourced run times in ``observed_times.csv``).

Each observation is a trip (``from`` → ``to`` by ``mode``) that a source says takes ``minutes``, on a
``date``. pxnet times the same trip in the as-built network of that date (today when no date is given) with
no initial wait — an observed run time starts when the train leaves — and reports model ÷ observed. Where the
scenario's timetable has scheduled trains (``data/timetable/``), ``timetable_min`` is the fastest scheduled
journey of that date's timetable as well (``pxnet.journeys``, scheduled trips only).
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from ..network import Network
from ..routing import journeys, travel_time
from ..scenario import Scenario, get_scenario, resolve_network


def check_times(*, network: Network | None = None) -> pd.DataFrame:
    """Model times beside the observed ones.

    Parameters
    ----------
    network
        The network (default: the bundled one); its ``observed_times.csv`` lists the observations.

    Returns
    -------
    pandas.DataFrame
        One row per observation: ``id``, ``from``, ``to`` (Chinese names), ``mode``, ``scenario``,
        ``observed_min``, ``model_min``, ``ratio`` (model ÷ observed), ``timetable_min`` (fastest scheduled
        journey, NaN without a timetable of that date), ``timetable_ratio``, ``note``, ``source``.

    Examples
    --------
    >>> table = check_times()
    >>> row = table.set_index("id").loc["csn_szb_fastest"]
    >>> bool(0.9 < row["ratio"] < 1.1)
    True
    """
    net = resolve_network(None, network)
    names = net.nodes["name_zh"]
    rows = []
    for obs in net.observed.itertuples(index=False):
        date = obs.date.end if obs.date is not None else dt.date.today()
        scenario = get_scenario(date, network=net)
        model = travel_time(obs[1], obs[2], mode=obs.mode, scenario=scenario, network=net, initial_wait_fraction=0)
        timed = _scheduled(obs[1], obs[2], obs.mode, scenario, net)
        rows.append(
            {
                "id": obs.id,
                "from": names[obs[1]],
                "to": names[obs[2]],
                "mode": obs.mode,
                "scenario": scenario.name,
                "observed_min": float(obs.minutes),
                "model_min": model,
                "ratio": model / float(obs.minutes),
                "timetable_min": timed,
                "timetable_ratio": timed / float(obs.minutes),
                "note": obs.note,
                "source": obs.source,
            }
        )
    columns = ["id", "from", "to", "mode", "scenario", "observed_min", "model_min", "ratio"]
    columns += ["timetable_min", "timetable_ratio", "note", "source"]
    return pd.DataFrame(rows, columns=columns)


def _scheduled(origin: str, destination: str, mode: str, scenario: Scenario, net: Network) -> float:
    """Fastest scheduled journey on the scenario's date (NaN when no timetable vintage is valid then)."""
    if mode not in ("hsr", "rail"):
        return math.nan
    table = journeys(origin, destination, scenario=scenario, mode=mode, network=net, scheduled_only=True)
    if table.empty or not (table.attrs["timetable_basis"].count("valid on")):
        return math.nan
    return float(table["minutes"].min())
