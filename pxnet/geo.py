"""Small geodesy helpers (WGS-84 great-circle distance, the project's metric CRS)."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

#: Mean Earth radius in km (IUGG).
EARTH_RADIUS_KM = 6371.0088
#: A metric CRS covering the Pingxiang – Greater Bay Area corridor (UTM zone 49N).
METRIC_CRS = "EPSG:32649"
WGS84 = "EPSG:4326"


def transform(
    x: npt.ArrayLike, y: npt.ArrayLike, *, src: str = WGS84, dst: str = METRIC_CRS
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Coordinates from CRS ``src`` to CRS ``dst`` (x = longitude/easting first), as 1-D float arrays.

    The default is WGS-84 degrees to the project's metric CRS (EPSG:32649, metres). Equal CRSs return the input.

    Examples
    --------
    >>> x, y = transform([111.0], [0.0])
    >>> round(float(x[0])), round(float(y[0]))
    (500000, 0)
    """
    xs = np.atleast_1d(np.asarray(x, dtype=np.float64))
    ys = np.atleast_1d(np.asarray(y, dtype=np.float64))
    transformer = _transformer(str(src), str(dst))
    if transformer is None:
        return xs, ys
    if xs.size == 1 and ys.size == 1:
        # Older pyproj (3.7, the last for Python 3.10) warns when a 1-element array is taken as a point.
        tx, ty = transformer.transform(float(xs[0]), float(ys[0]))
    else:
        tx, ty = transformer.transform(xs, ys)
    return np.atleast_1d(np.asarray(tx, dtype=np.float64)), np.atleast_1d(np.asarray(ty, dtype=np.float64))


@lru_cache(maxsize=16)
def _transformer(src: str, dst: str) -> Any:
    from pyproj import CRS, Transformer

    if CRS.from_user_input(src) == CRS.from_user_input(dst):
        return None
    return Transformer.from_crs(src, dst, always_xy=True)


def haversine_km(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle distance in km between two WGS-84 points.

    Examples
    --------
    >>> round(haversine_km(113.84, 27.69, 113.06, 28.15), 1)
    92.1
    """
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def haversine_km_array(
    lon1: npt.ArrayLike, lat1: npt.ArrayLike, lon2: npt.ArrayLike, lat2: npt.ArrayLike
) -> npt.NDArray[np.float64]:
    """Vectorised :func:`haversine_km`.

    Examples
    --------
    >>> haversine_km_array([113.84, 113.84], [27.69, 27.69], [113.06, 113.84], [28.15, 27.69]).round(1).tolist()
    [92.1, 0.0]
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a)), dtype=np.float64)
