"""Population inside isochrone bands: census units weighted by area, or a population raster.

Both are pure functions of the bands and the population data handed to them: nothing is read or routed here.

- :func:`band_population` (the default method, "areal weighting of census units"): each unit adds its census
  population times the share of its area inside the band. A unit wholly inside counts whole; a unit the band
  only grazes counts for the part it covers. This assumes people spread evenly over a unit, which is why the
  legend names the method.
- :func:`raster_population` (a user's population grid, for example WorldPop): the sum of the cells whose centre
  lies inside the band.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..errors import RoutingError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = [
    "AREAL_WEIGHTING",
    "RASTER",
    "PopulationGrid",
    "band_population",
    "raster_population",
    "read_population_raster",
]

#: How :func:`band_population` counts, for legends and ``attrs["population_method"]``.
AREAL_WEIGHTING = "areal weighting of census units"
#: How :func:`raster_population` counts.
RASTER = "population raster (cells whose centre is inside)"
# A raster band query touching more cells than this is refused: about 400 MB of coordinates.
_MAX_CELLS = 50_000_000


@dataclass(frozen=True)
class PopulationGrid:
    """A population raster: people per cell, where the cells lie, and in which CRS.

    ``transform`` is the affine of the grid, GDAL style ``(x0, dx, 0, y0, 0, dy)``: the cell in row ``r`` and
    column ``c`` has its upper left corner at ``(x0 + c·dx, y0 + r·dy)`` (``dy`` negative for north-up grids).
    Missing cells are NaN (or ``nodata``) and count as nobody.
    """

    values: np.ndarray
    transform: tuple[float, float, float, float, float, float]
    crs: str = "EPSG:4326"
    nodata: float | None = None
    source: str = ""


def _area_crs(bands: gpd.GeoDataFrame, units: gpd.GeoDataFrame) -> Any:
    # The units' own CRS when it is projected (a unit's share is a ratio of areas, and a projected CRS's scale
    # hardly changes across one unit); else a Lambert azimuthal equal-area projection centred on the bands.
    if units.crs is not None and units.crs.is_projected:
        return units.crs
    wgs = bands.to_crs("EPSG:4326")
    x0, y0, x1, y1 = wgs.total_bounds
    return f"+proj=laea +lat_0={(y0 + y1) / 2:.6f} +lon_0={(x0 + x1) / 2:.6f} +datum=WGS84 +units=m +no_defs"


def _checked_units(units: gpd.GeoDataFrame, column: str) -> pd.Series:
    if column not in units.columns:
        raise RoutingError(f"units: no column {column!r} (columns: {', '.join(map(str, units.columns))})")
    people = pd.to_numeric(units[column], errors="coerce")
    bad = units.index[~np.isfinite(people.to_numpy(dtype=float)) | (people.to_numpy(dtype=float) < 0)]
    if len(bad):
        raise RoutingError(
            f"units: {column!r} must be a finite count ≥ 0; not in row(s) {', '.join(map(str, bad[:5]))}"
        )
    if units.crs is None:
        raise RoutingError("units: the GeoDataFrame has no CRS")
    return people.astype(float)


def band_population(bands: gpd.GeoDataFrame, units: gpd.GeoDataFrame, *, column: str = "population") -> pd.Series:
    """Return the population inside each band by areal weighting of census units.

    Each unit counts ``population × area(unit ∩ band) / area(unit)``, with areas in the units' CRS when it is
    projected, else in an equal-area projection centred on the bands. A band never counts more than the units
    it touches hold, and counts them exactly when it covers them whole.

    Parameters
    ----------
    bands
        Polygons (one row per band, any CRS), e.g. from :func:`pxnet.isochrones`.
    units
        Census units: polygons with a population ``column`` (any CRS), e.g. counties with their census
        population.
    column
        The units' population column.

    Returns
    -------
    pandas.Series
        People per band, on the bands' index; ``attrs["method"]`` is :data:`AREAL_WEIGHTING`.

    Raises
    ------
    RoutingError
        A missing column, a population that is not a finite count, or a frame without CRS.

    Examples
    --------
    >>> import geopandas as gpd, shapely
    >>> units = gpd.GeoDataFrame({"population": [1000, 500]},
    ...     geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)], crs="EPSG:32649")
    >>> bands = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1.5, 1)], crs="EPSG:32649")
    >>> band_population(bands, units).round().tolist()
    [1250.0]
    """
    import shapely

    people = _checked_units(units, column)
    if bands.crs is None:
        raise RoutingError("bands: the GeoDataFrame has no CRS")
    out = pd.Series(0.0, index=bands.index, name="population")
    out.attrs["method"] = AREAL_WEIGHTING
    if bands.empty or units.empty:
        return out
    crs = _area_crs(bands, units)
    unit_geoms = units.geometry.to_crs(crs).to_numpy()
    unit_area = shapely.area(unit_geoms)
    weight = np.where(unit_area > 0, people.to_numpy() / np.where(unit_area > 0, unit_area, 1.0), 0.0)
    tree = shapely.STRtree(unit_geoms)
    for key, band in zip(bands.index, bands.geometry.to_crs(crs).to_numpy(), strict=True):
        if band is None or band.is_empty:
            continue
        hit = tree.query(band, predicate="intersects")
        if not len(hit):
            continue
        # A unit inside the band counts whole: no intersection (and no rounding of its area) needed.
        inside = shapely.covers(band, unit_geoms[hit])
        whole = float(people.to_numpy()[hit[inside]].sum())
        part = hit[~inside]
        shares = shapely.area(shapely.intersection(unit_geoms[part], band)) * weight[part]
        # A share never exceeds its unit, whatever floating point does at the edges.
        out[key] = whole + float(np.minimum(shares, people.to_numpy()[part]).sum())
    return out


def _cells_inside(grid: PopulationGrid, polygon: Any) -> float:
    import shapely

    x0, dx, _, y0, _, dy = grid.transform
    rows, cols = grid.values.shape
    bx0, by0, bx1, by1 = polygon.bounds
    c0, c1 = sorted(((bx0 - x0) / dx, (bx1 - x0) / dx))
    r0, r1 = sorted(((by0 - y0) / dy, (by1 - y0) / dy))
    c0, c1 = max(math.floor(c0), 0), min(math.ceil(c1), cols)
    r0, r1 = max(math.floor(r0), 0), min(math.ceil(r1), rows)
    if c1 <= c0 or r1 <= r0:
        return 0.0
    if (c1 - c0) * (r1 - r0) > _MAX_CELLS:
        raise RoutingError(
            f"the band spans {(c1 - c0) * (r1 - r0):,} raster cells (limit {_MAX_CELLS:,}): use a coarser grid"
        )
    window = grid.values[r0:r1, c0:c1].astype(float)
    if grid.nodata is not None:
        window = np.where(window == grid.nodata, np.nan, window)
    cx = x0 + (np.arange(c0, c1) + 0.5) * dx
    cy = y0 + (np.arange(r0, r1) + 0.5) * dy
    xx, yy = np.meshgrid(cx, cy)
    inside = shapely.contains_xy(polygon, xx, yy)
    return float(np.nansum(np.where(inside, window, 0.0)))


def raster_population(bands: gpd.GeoDataFrame, grid: PopulationGrid) -> pd.Series:
    """Return the population inside each band from a population raster (cells whose centre is inside).

    Parameters
    ----------
    bands
        Polygons (one row per band, any CRS).
    grid
        The raster (:class:`PopulationGrid`, e.g. from :func:`read_population_raster`).

    Returns
    -------
    pandas.Series
        People per band, on the bands' index; ``attrs["method"]`` is :data:`RASTER`.

    Examples
    --------
    >>> import geopandas as gpd, numpy as np, shapely
    >>> grid = PopulationGrid(np.ones((4, 4)), (0.0, 1.0, 0.0, 4.0, 0.0, -1.0), crs="EPSG:32649")
    >>> bands = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 2, 2)], crs="EPSG:32649")
    >>> raster_population(bands, grid).tolist()
    [4.0]
    """
    if grid.values.ndim != 2:
        raise RoutingError(f"the population grid must be 2-D, not of shape {grid.values.shape}")
    if bands.crs is None:
        raise RoutingError("bands: the GeoDataFrame has no CRS")
    out = pd.Series(0.0, index=bands.index, name="population")
    out.attrs["method"] = RASTER + (f"; {grid.source}" if grid.source else "")
    for key, band in zip(bands.index, bands.geometry.to_crs(grid.crs).to_numpy(), strict=True):
        if band is not None and not band.is_empty:
            out[key] = _cells_inside(grid, band)
    return out


# GeoTIFF tags (GeoTIFF 1.1, OGC 19-008r4): pixel scale, tie point, geo key directory, GDAL's nodata.
_SCALE, _TIEPOINT, _GEOKEYS, _NODATA = 33550, 33922, 34735, 42113


def _geotiff_crs(keys: tuple[int, ...] | None) -> str:
    # The geo key directory: a header of four, then (key, location, count, value) entries. 3072 names a
    # projected CRS, 2048 a geographic one; WGS-84 degrees when neither is given (WorldPop's grids).
    if not keys:
        return "EPSG:4326"
    entries = {keys[i]: keys[i + 3] for i in range(4, len(keys) - 3, 4) if keys[i + 1] == 0}
    for key in (3072, 2048):
        if entries.get(key, 32767) not in (0, 32767):
            return f"EPSG:{entries[key]}"
    return "EPSG:4326"


def read_population_raster(path: str | Path, *, source: str = "") -> PopulationGrid:
    """Read a single-band, north-up GeoTIFF of people per cell (for example a WorldPop grid).

    Parameters
    ----------
    path
        The ``.tif`` file.
    source
        Named in map legends after the method (default: the file name).

    Returns
    -------
    PopulationGrid

    Raises
    ------
    RoutingError
        A file that is not a readable GeoTIFF, has no georeferencing, or is rotated.
    """
    from PIL import Image, UnidentifiedImageError

    file = Path(path)
    if not file.is_file():
        raise RoutingError(f"population raster {str(file)!r}: no such file")
    try:
        with Image.open(file) as image:
            tags = image.tag_v2  # type: ignore[attr-defined]
            scale = tags.get(_SCALE)
            tie = tags.get(_TIEPOINT)
            keys = tags.get(_GEOKEYS)
            nodata_text = tags.get(_NODATA)
            values = np.asarray(image, dtype=float)
    except (OSError, UnidentifiedImageError, ValueError) as exc:
        raise RoutingError(f"population raster {str(file)!r}: not a readable GeoTIFF ({exc})") from exc
    if scale is None or tie is None or len(tie) < 6:
        raise RoutingError(f"population raster {str(file)!r}: no pixel scale and tie point (not georeferenced)")
    dx, dy = float(scale[0]), float(scale[1])
    x0 = float(tie[3]) - float(tie[0]) * dx
    y0 = float(tie[4]) + float(tie[1]) * dy
    nodata = float(str(nodata_text).strip("\x00 ")) if nodata_text not in (None, "") else None
    return PopulationGrid(
        values,
        (x0, dx, 0.0, y0, 0.0, -dy),
        crs=_geotiff_crs(tuple(int(k) for k in keys) if keys else None),
        nodata=nodata,
        source=source or file.name,
    )
