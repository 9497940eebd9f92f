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

from .. import vocabulary
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
    known = population.reindex(times.columns)
    usable = known.notna().to_numpy()
    pop = known.fillna(0.0).to_numpy(dtype=float)
    tt = times.to_numpy(dtype=float)
    # Each origin leaves itself out: a mask of destinations used, per row.
    used = np.broadcast_to(usable, tt.shape) & (times.index.to_numpy()[:, None] != times.columns.to_numpy()[None, :])
    weights = np.where(used, pop, 0.0)
    total = weights.sum(axis=1)
    finite = np.isfinite(tt)
    all_finite = np.all(finite | ~used, axis=1)
    with np.errstate(invalid="ignore"):
        weighted = np.where(used & finite, tt * weights, 0.0).sum(axis=1)
        watt = np.where(all_finite, weighted / np.where(total > 0, total, np.nan), np.inf)
    count = used.sum(axis=1)
    watt = np.where(count == 0, np.nan, watt)  # nothing to weight: no answer rather than "unreachable"
    out = pd.DataFrame({"watt_min": watt}, index=times.index.rename(None))
    for threshold in thresholds:
        out[f"daily_{threshold:g}"] = np.where(used & (tt <= threshold), weights, 0.0).sum(axis=1)
    reach = used & finite & (tt > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["potential"] = np.where(reach, weights / np.where(reach, tt, 1.0) ** alpha, 0.0).sum(axis=1)
    out["destinations"] = count.astype(float)
    out.attrs["missing_population"] = sorted(d for d, ok in zip(times.columns, usable, strict=True) if not ok)
    return out


def accessibility(
    origins: Sequence[str] | None = None,
    destinations: Sequence[str] | None = None,
    *,
    mode: str = vocabulary.DEFAULT_TRIP_MODE,
    scenario: ScenarioArg = None,
    network: Network | None = None,
    thresholds: Sequence[float] = DAILY_THRESHOLDS,
    alpha: float = POTENTIAL_ALPHA,
) -> pd.DataFrame:
    """Compute accessibility indicators of places in a scenario.

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
