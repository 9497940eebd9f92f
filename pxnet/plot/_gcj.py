"""GCJ-02 ↔ WGS-84: the offset that Chinese web maps (AMap 高德, and the boundary files drawn from it) apply.

GCJ-02 is WGS-84 shifted by a smooth, published pseudo-random field of a few hundred metres (about 0.5 km
around Pingxiang). The forward shift has a closed form; its inverse has none, so :func:`gcj02_to_wgs84` solves
``wgs84_to_gcj02(w) = g`` by fixed-point iteration, which converges because the shift changes by under a
millimetre per metre.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["gcj02_to_wgs84", "wgs84_to_gcj02"]

# The Krasovsky 1940 ellipsoid the GCJ-02 formula is written on.
_A = 6378245.0
_EE = 0.00669342162296594323

FloatArray = npt.NDArray[np.float64]


def _shift_lat(x: FloatArray, y: FloatArray) -> FloatArray:
    out = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    out += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    out += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    out += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return out


def _shift_lon(x: FloatArray, y: FloatArray) -> FloatArray:
    out = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    out += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    out += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    out += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return out


def wgs84_to_gcj02(lon: npt.ArrayLike, lat: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Shift WGS-84 longitudes/latitudes (degrees) to GCJ-02.

    Examples
    --------
    >>> lon, lat = wgs84_to_gcj02(113.846865, 27.626344)
    >>> 0.003 < float(lon) - 113.846865 < 0.007 and -0.004 < float(lat) - 27.626344 < 0.0
    True
    """
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    x, y = lon_a - 105.0, lat_a - 35.0
    rad = lat_a / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad) ** 2
    smagic = np.sqrt(magic)
    dlat = _shift_lat(x, y) * 180.0 / ((_A * (1.0 - _EE)) / (magic * smagic) * np.pi)
    dlon = _shift_lon(x, y) * 180.0 / (_A / smagic * np.cos(rad) * np.pi)
    return lon_a + dlon, lat_a + dlat


def gcj02_to_wgs84(lon: npt.ArrayLike, lat: npt.ArrayLike, *, tol_deg: float = 1e-10) -> tuple[FloatArray, FloatArray]:
    """Undo the GCJ-02 shift (degrees in, degrees out), to ``tol_deg`` (1e-10° ≈ 0.01 mm).

    Examples
    --------
    >>> lon, lat = gcj02_to_wgs84(*wgs84_to_gcj02(113.846865, 27.626344))
    >>> round(float(lon), 9), round(float(lat), 9)
    (113.846865, 27.626344)
    """
    g_lon = np.asarray(lon, dtype=float)
    g_lat = np.asarray(lat, dtype=float)
    w_lon, w_lat = g_lon.copy(), g_lat.copy()
    for _ in range(30):
        f_lon, f_lat = wgs84_to_gcj02(w_lon, w_lat)
        e_lon, e_lat = f_lon - g_lon, f_lat - g_lat
        w_lon, w_lat = w_lon - e_lon, w_lat - e_lat
        if max(float(np.max(np.abs(e_lon), initial=0.0)), float(np.max(np.abs(e_lat), initial=0.0))) < tol_deg:
            break
    return w_lon, w_lat
