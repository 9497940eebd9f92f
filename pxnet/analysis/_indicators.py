"""Accessibility indicators of the high-speed-rail accessibility literature, from travel-time skims.

For an origin *i* and destinations *j* with population *P_j* and travel time *t_ij* (minutes):

- **WATT**, weighted average travel time: Σ t_ij P_j / Σ P_j (lower is better; ``inf`` if any destination is
  unreachable, NaN if no destination has a population);
- **daily accessibility** DA(T): Σ P_j over destinations reached within T minutes (180 and 240 by default);
- **potential** (gravity) accessibility: Σ P_j / t_ij^α with distance-decay exponent α (default 1), over
  reachable destinations other than *i* (persons per minute^α).

These are the three indicators used by Gutiérrez (2001, *Journal of Transport Geography* 9(4)) to measure the
accessibility effect of a high-speed line. Destinations without a population are left out of the weighted
indicators and listed in ``attrs["missing_population"]``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from ..network import Network
from ..routing import skim
from ..scenario import ScenarioArg, resolve_network

#: Default thresholds (minutes) for daily accessibility.
DAILY_THRESHOLDS = (180.0, 240.0)
#: Default distance-decay exponent of potential accessibility.
POTENTIAL_ALPHA = 1.0


def indicators_from_skim(
    times: pd.DataFrame,
    population: pd.Series,
    *,
    thresholds: Sequence[float] = DAILY_THRESHOLDS,
    alpha: float = POTENTIAL_ALPHA,
) -> pd.DataFrame:
    """WATT, daily and potential accessibility of each origin of a skim.

    Parameters
    ----------
    times
        Origins × destinations, minutes (``inf`` unreachable), labelled by node id.
    population
        Population by node id; destinations missing from it (or NaN) are left out.
    thresholds
        Daily-accessibility thresholds in minutes.
    alpha
        Distance-decay exponent of potential accessibility.

    Returns
    -------
    pandas.DataFrame
        One row per origin: ``watt_min``, ``daily_<T>`` (persons), ``potential``, ``destinations`` (count used).

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame([[0, 60, 120]], index=["a"], columns=["a", "b", "c"], dtype=float)
    >>> pop = pd.Series({"a": 1000, "b": 100, "c": 300})
    >>> row = indicators_from_skim(t, pop, thresholds=[90]).loc["a"]
    >>> float(row["watt_min"]), float(row["daily_90"]), float(row["potential"])
    (105.0, 100.0, 4.166666666666667)
    """
    rows = []
    for origin, t in times.iterrows():
        dest = [d for d in t.index if d != origin and d in population.index and not pd.isna(population[d])]
        tt = t[dest].to_numpy(dtype=float)
        pop = population[dest].to_numpy(dtype=float)
        row: dict[str, float] = {}
        if not dest:  # nothing to weight: no answer rather than "unreachable"
            row["watt_min"] = np.nan
        else:
            row["watt_min"] = float(np.sum(tt * pop) / np.sum(pop)) if np.all(np.isfinite(tt)) else np.inf
        for threshold in thresholds:
            row[f"daily_{threshold:g}"] = float(pop[tt <= threshold].sum())
        reach = np.isfinite(tt) & (tt > 0)
        row["potential"] = float(np.sum(pop[reach] / tt[reach] ** alpha))
        row["destinations"] = float(len(dest))
        rows.append(pd.Series(row, name=origin))
    out = pd.DataFrame(rows)
    out.attrs["missing_population"] = sorted(
        d for d in times.columns if d not in population.index or pd.isna(population[d])
    )
    return out


def accessibility(
    origins: Sequence[str] | None = None,
    destinations: Sequence[str] | None = None,
    *,
    mode: str = "door_to_door",
    scenario: ScenarioArg = None,
    network: Network | None = None,
    thresholds: Sequence[float] = DAILY_THRESHOLDS,
    alpha: float = POTENTIAL_ALPHA,
) -> pd.DataFrame:
    """Accessibility indicators of places in a scenario.

    Parameters
    ----------
    origins, destinations
        Place names or ids; default every place of the network.
    mode, scenario, network
        As in :func:`pxnet.travel_time`.
    thresholds, alpha
        See :func:`indicators_from_skim`.

    Returns
    -------
    pandas.DataFrame
        Indexed by place id: ``watt_min``, ``daily_180``, ``daily_240``, ``potential``, ``destinations``.

    Examples
    --------
    >>> import pxnet
    >>> acc = pxnet.accessibility(["萍乡"], ["广州", "深圳", "长沙"], scenario=2025)
    >>> list(acc.columns)
    ['watt_min', 'daily_180', 'daily_240', 'potential', 'destinations']
    """
    net = resolve_network(scenario, network)
    o = [net.resolve(x) for x in origins] if origins is not None else list(net.places.index)
    d = [net.resolve(x) for x in destinations] if destinations is not None else list(net.places.index)
    times = skim(o, d, mode=mode, scenario=scenario, network=net)
    population = net.nodes["population"].astype("Float64").astype(float)
    return indicators_from_skim(times, population, thresholds=thresholds, alpha=alpha)
