"""Small geodesy helpers (WGS-84 great-circle distance, the project's metric CRS, a local UTM zone elsewhere)."""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import CoordinateError

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


def utm_crs(lon: float, lat: float) -> str:
    """Return the UTM zone (WGS-84) holding a point, as ``"EPSG:326zz"`` (north) or ``"EPSG:327zz"`` (south).

    The regular 6° zones, without the Norway and Svalbard exceptions; beyond 84° N / 80° S, where UTM is not
    defined, the polar stereographic CRS (UPS, EPSG:32661 / EPSG:32761).

    Raises
    ------
    CoordinateError
        For a longitude outside [-180, 180] or a latitude outside [-90, 90] (or not finite).

    Examples
    --------
    >>> utm_crs(113.85, 27.63)
    'EPSG:32649'
    >>> utm_crs(-122.29, 37.81)
    'EPSG:32610'
    """
    if not (math.isfinite(lon) and math.isfinite(lat) and -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise CoordinateError(f"not a WGS-84 point: lon={lon!r}, lat={lat!r}")
    if lat > 84.0:
        return "EPSG:32661"
    if lat < -80.0:
        return "EPSG:32761"
    zone = min(int((lon + 180.0) // 6.0) + 1, 60)
    return f"EPSG:{32600 + zone if lat >= 0 else 32700 + zone}"


def local_metric_crs(lon: float, lat: float, *, prefer: str | None = None, tolerance: float = 0.01) -> str:
    """Return a metric CRS in which distances near (lon, lat) are true to within ``tolerance``.

    ``prefer`` (e.g. a graph's own CRS) is kept when it is projected, in metres, and its scale at the point
    is within ``tolerance`` of 1 in both directions (a UTM or national grid near its zone); otherwise the
    local UTM zone (:func:`utm_crs`). Web Mercator (EPSG:3857), for instance, is ×1.27 at 38° N and is not
    kept there.

    Examples
    --------
    >>> local_metric_crs(-122.29, 37.81)
    'EPSG:32610'
    >>> local_metric_crs(-122.29, 37.81, prefer="EPSG:3857")
    'EPSG:32610'
    >>> local_metric_crs(113.85, 27.63, prefer=METRIC_CRS)
    'EPSG:32649'
    """
    if prefer is not None and _true_scale(str(prefer), lon, lat, tolerance):
        return str(prefer)
    return utm_crs(lon, lat)


@lru_cache(maxsize=64)
def _true_scale(crs: str, lon: float, lat: float, tolerance: float) -> bool:
    from pyproj import CRS, Proj

    parsed = CRS.from_user_input(crs)
    if not parsed.is_projected or any(axis.unit_name not in ("metre", "meter") for axis in parsed.axis_info):
        return False
    try:
        factors = Proj(parsed).get_factors(lon, lat)
    except Exception:
        return False
    scales = (float(factors.meridional_scale), float(factors.parallel_scale))
    return all(math.isfinite(s) and abs(s - 1.0) <= tolerance for s in scales)
