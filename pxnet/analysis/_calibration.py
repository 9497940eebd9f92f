"""Check the model against observed travel times (sourced run times in ``observed_times.csv``).

Each observation is a trip (``from`` → ``to`` by ``mode``) that a source says takes ``minutes``, on a
``date``. pxnet times the same trip in the as-built network of that date (today when no date is given) with
no initial wait — an observed run time starts when the train leaves — and reports model ÷ observed.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..network import Network
from ..routing import travel_time
from ..scenario import get_scenario, resolve_network


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
        ``observed_min``, ``model_min``, ``ratio`` (model ÷ observed), ``note``, ``source``.

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
                "note": obs.note,
                "source": obs.source,
            }
        )
    columns = ["id", "from", "to", "mode", "scenario", "observed_min", "model_min", "ratio", "note", "source"]
    return pd.DataFrame(rows, columns=columns)
