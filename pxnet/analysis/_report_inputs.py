"""Everything a report draws, computed once: skims, isochrones, the corridor tables and the model checks.

Reports and figures (:mod:`pxnet.report`, :mod:`pxnet.plot`) take these results and compute nothing; the
caller (the ``pxnet assess`` command, or a user in a notebook) computes them once with :func:`report_inputs`
and hands them over, so every map and table of one report comes from the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from ..network import Network
from ..routing import AREAL_WEIGHTING, band_population, skim
from ..scenario import Scenario
from ._calibration import check_times
from ._corridor import corridor_times

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["GBA_MODES", "ISOCHRONE_BANDS", "ReportInputs", "report_inputs"]

#: The trip modes of the travel-time chart.
GBA_MODES = ("door_to_door", "hsr")
#: The isochrone bands of the report's maps (minutes); the last is the 3-hour question's.
ISOCHRONE_BANDS = (60.0, 120.0, 180.0)


@dataclass(frozen=True)
class ReportInputs:
    """The results a report draws, by scenario name; every field may be left empty to leave its part out.

    Attributes
    ----------
    origin
        The place the maps and charts start from.
    skims
        ``(scenario, mode) → skim`` from the origin to the region's cities (:func:`pxnet.skim`), for the
        travel-time chart.
    isochrones
        ``scenario → bands`` (:func:`pxnet.isochrones`, 60/120/180 min door to door from the origin).
    corridor
        ``scenario → table`` of :func:`corridor_times` (the 3-hour question).
    checks
        The model checks (:func:`pxnet.check_times`), or ``None`` to leave the section out.
    """

    origin: str
    skims: dict[tuple[str, str], pd.DataFrame] = field(default_factory=dict)
    isochrones: dict[str, gpd.GeoDataFrame] = field(default_factory=dict)
    corridor: dict[str, pd.DataFrame] = field(default_factory=dict)
    checks: pd.DataFrame | None = None


def _with_population(bands: gpd.GeoDataFrame, units: gpd.GeoDataFrame | None) -> gpd.GeoDataFrame:
    # People inside each band by areal weighting of the census units, when they are given.
    if units is None:
        return bands
    out = bands.copy()
    out["population"] = band_population(out, units).to_numpy()
    out.attrs = {**bands.attrs, "population_method": AREAL_WEIGHTING}
    return out


def report_inputs(
    scenarios: Sequence[Scenario],
    *,
    network: Network,
    figures: bool = True,
    maps: bool = True,
    units: gpd.GeoDataFrame | None = None,
    origin: str | None = None,
) -> ReportInputs:
    """Compute, once, what a report of these scenarios draws.

    Parameters
    ----------
    scenarios
        The scenarios of the assessment, in order.
    network
        Their network.
    figures
        Compute the travel-time chart's skims.
    maps
        Compute the isochrones and the corridor tables of the maps (the slow part).
    units
        Census units with boundaries (:func:`pxnet.plot.census_units`) to count the people inside each
        isochrone band by areal weighting; ``None`` keeps the count of the places reached.
    origin
        Where the maps and charts start (default: ``defaults.origin`` of the data set).

    Returns
    -------
    ReportInputs

    Examples
    --------
    >>> import pxnet
    >>> sc = [pxnet.get_scenario("as-built-2022")]
    >>> inputs = report_inputs(sc, network=sc[0].network, maps=False)
    >>> sorted(inputs.skims), inputs.checks is not None
    ([('as-built-2022', 'door_to_door'), ('as-built-2022', 'hsr')], True)
    """
    from ..routing import isochrones

    origin = origin if origin is not None else network.defaults.origin
    dests = list(network.defaults.region)
    inputs = ReportInputs(origin=origin, checks=check_times(network=network))
    for sc in scenarios:
        if figures:
            for mode in GBA_MODES:
                inputs.skims[(sc.name, mode)] = skim([origin], dests, mode=mode, scenario=sc, network=network)
        if figures and maps:
            bands = isochrones(origin, bands=ISOCHRONE_BANDS, scenario=sc, network=network)
            inputs.isochrones[sc.name] = _with_population(bands, units)
            inputs.corridor[sc.name] = corridor_times(sc, origin=origin, network=network)
    return inputs
