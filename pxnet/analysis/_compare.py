"""Compare two scenarios: origin–destination changes, winners and losers, accessibility indicators."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import vocabulary
from ..network import Network
from ..routing import skim
from ..scenario import Scenario, ScenarioArg, common_network, get_scenario
from ._indicators import DAILY_THRESHOLDS, POTENTIAL_ALPHA, indicators_from_skim


@dataclass
class Comparison:
    """The result of :func:`compare`.

    Attributes
    ----------
    a, b
        The two scenarios (``b`` is compared against ``a``).
    od
        One row per origin–destination pair: ``origin``, ``destination`` (ids), ``from``, ``to`` (Chinese
        names), ``minutes_a``, ``minutes_b``, ``change_min`` (b − a), ``change_pct``.
    indicators
        Per place: each indicator in ``a`` and ``b`` (columns ``<indicator>_a``, ``<indicator>_b``) and the
        change (``watt_change_min``, ``daily_180_change``, ``potential_change_pct`` …).
    mode
        The trip mode compared.
    """

    a: Scenario
    b: Scenario
    od: pd.DataFrame
    indicators: pd.DataFrame
    mode: str

    def winners(self, n: int = 10) -> pd.DataFrame:
        """Places whose weighted average travel time falls most from ``a`` to ``b``."""
        table = self.indicators.sort_values("watt_change_min")
        return table[table["watt_change_min"] < 0].head(n)

    def losers(self, n: int = 10) -> pd.DataFrame:
        """Places whose weighted average travel time rises (trips get slower), most first."""
        table = self.indicators.sort_values("watt_change_min", ascending=False)
        return table[table["watt_change_min"] > 0].head(n)

    def matrix(self, column: str = "change_min") -> pd.DataFrame:
        """Return the OD table pivoted to origins × destinations (Chinese names)."""
        return self.od.pivot(index="from", columns="to", values=column)


def _od_table(ta: pd.DataFrame, tb: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    """Every origin–destination pair but a place to itself, from two skims (column operations, no row loop)."""
    va, vb = ta.to_numpy(dtype=float), tb.to_numpy(dtype=float)
    origins = np.repeat(ta.index.to_numpy(dtype=object), va.shape[1])
    dests = np.tile(ta.columns.to_numpy(dtype=object), va.shape[0])
    va, vb = va.ravel(), vb.ravel()
    keep = origins != dests
    origins, dests, va, vb = origins[keep], dests[keep], va[keep], vb[keep]
    both = np.isfinite(va) & np.isfinite(vb)
    with np.errstate(invalid="ignore"):  # inf − inf: unreachable in both, no change to report
        change = np.where(both, vb - va, np.where(va == vb, np.nan, vb - va))
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(np.isfinite(va) & (va > 0) & np.isfinite(change), change / va * 100, np.nan)
    return pd.DataFrame(
        {
            "origin": origins,
            "destination": dests,
            "from": names.reindex(origins).to_numpy(),
            "to": names.reindex(dests).to_numpy(),
            "minutes_a": va,
            "minutes_b": vb,
            "change_min": change,
            "change_pct": pct,
        }
    )


def compare(
    a: ScenarioArg,
    b: ScenarioArg,
    *,
    origins: Sequence[str] | None = None,
    destinations: Sequence[str] | None = None,
    mode: str = vocabulary.DEFAULT_TRIP_MODE,
    network: Network | None = None,
    thresholds: Sequence[float] = DAILY_THRESHOLDS,
    alpha: float = POTENTIAL_ALPHA,
) -> Comparison:
    """Compare scenario ``b`` with scenario ``a``.

    Parameters
    ----------
    a, b
        Scenarios, names or years (``b`` is measured against ``a``).
    origins, destinations
        Place names or ids; default every place of the network.
    mode
        Trip mode (see :func:`pxnet.travel_time`).
    network
        The network (default: the bundled one).
    thresholds, alpha
        Daily-accessibility thresholds (minutes) and the potential's distance-decay exponent.

    Returns
    -------
    Comparison

    Examples
    --------
    >>> import pxnet
    >>> c = pxnet.compare("as-built-2019", "expected-2030", origins=["萍乡"], destinations=["深圳", "赣州"])
    >>> bool(c.od.set_index("destination").at["ganzhou", "change_min"] < 0)
    True
    """
    net = common_network(a, b, network=network)  # a sketch's extended network holds the base scenario too
    sa, sb = get_scenario(a, network=net), get_scenario(b, network=net)
    o = [net.resolve(x) for x in origins] if origins is not None else list(net.places.index)
    d = [net.resolve(x) for x in destinations] if destinations is not None else list(net.places.index)
    ta = skim(o, d, mode=mode, scenario=sa, network=net)
    tb = skim(o, d, mode=mode, scenario=sb, network=net)
    names = net.nodes["name_zh"]
    od = _od_table(ta, tb, names)
    population = net.nodes["population"].astype("Float64").astype(float)
    ia = indicators_from_skim(ta, population, thresholds=thresholds, alpha=alpha).drop(columns="destinations")
    ib = indicators_from_skim(tb, population, thresholds=thresholds, alpha=alpha).drop(columns="destinations")
    ind = ia.add_suffix("_a").join(ib.add_suffix("_b"))
    ind.insert(0, "name_zh", names.reindex(ind.index).to_numpy())
    ind["watt_change_min"] = ind["watt_min_b"] - ind["watt_min_a"]
    for threshold in thresholds:
        col = f"daily_{threshold:g}"
        ind[f"{col}_change"] = ind[f"{col}_b"] - ind[f"{col}_a"]
    ind["potential_change_pct"] = (ind["potential_b"] / ind["potential_a"] - 1) * 100
    return Comparison(sa, sb, od, ind, mode)
