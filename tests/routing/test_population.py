"""Population inside isochrone bands: areal weighting of census units, and a population raster."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely

from pxnet.errors import RoutingError
from pxnet.routing import (
    AREAL_WEIGHTING,
    PopulationGrid,
    band_population,
    raster_population,
    read_population_raster,
)

# Four 10 km square units in UTM 49N metres, side by side: populations 1000, 2000, 3000, 4000.
UNITS = gpd.GeoDataFrame(
    {"population": [1000, 2000, 3000, 4000]},
    geometry=[shapely.box(400_000 + 10_000 * i, 3_000_000, 410_000 + 10_000 * i, 3_010_000) for i in range(4)],
    crs="EPSG:32649",
)


def _touched(band: shapely.Geometry) -> float:
    """The census population of the units whose inside the band reaches (a shared edge alone is not a touch)."""
    return float(UNITS.loc[UNITS.intersects(band) & ~UNITS.touches(band), "population"].sum())


def test_a_band_never_counts_more_than_the_units_it_touches():
    """Random polygons over the units: each count lies between 0 and the census of the units it touches."""
    rng = np.random.default_rng(7)
    bands = []
    for _ in range(40):
        cx, cy = rng.uniform(395_000, 445_000), rng.uniform(2_995_000, 3_015_000)
        bands.append(shapely.Point(cx, cy).buffer(rng.uniform(500, 20_000)))
    frame = gpd.GeoDataFrame(geometry=bands, crs="EPSG:32649")
    people = band_population(frame, UNITS)
    assert people.attrs["method"] == AREAL_WEIGHTING
    for band, count in zip(bands, people, strict=True):
        assert 0 <= count <= _touched(band) + 1e-6


def test_a_band_covering_units_whole_counts_them_exactly():
    """A band over units 1 and 2 whole, reaching into no other unit (it shares unit 3's edge), counts 1000 + 2000."""
    band = shapely.box(399_000, 2_999_000, 420_000, 3_011_000)
    people = band_population(gpd.GeoDataFrame(geometry=[band], crs="EPSG:32649"), UNITS)
    assert people.iloc[0] == 3000.0
    assert _touched(band) == 3000.0
    # and the whole set: a band over every unit counts the census total
    everything = gpd.GeoDataFrame(geometry=[shapely.box(390_000, 2_990_000, 450_000, 3_020_000)], crs="EPSG:32649")
    assert band_population(everything, UNITS).iloc[0] == UNITS["population"].sum()


def test_half_a_unit_counts_half_its_people():
    """The west half of unit 4 (4000 people, evenly spread by assumption): 2000, in whatever CRS the band is."""
    band = gpd.GeoDataFrame(geometry=[shapely.box(430_000, 3_000_000, 435_000, 3_010_000)], crs="EPSG:32649")
    assert band_population(band.to_crs("EPSG:4326"), UNITS).iloc[0] == pytest.approx(2000, rel=1e-3)


def test_bad_units_are_refused():
    bad = UNITS.assign(population=[1, -2, 3, float("nan")])
    with pytest.raises(RoutingError, match="finite count"):
        band_population(UNITS.iloc[:1], bad)
    with pytest.raises(RoutingError, match="no column 'people'"):
        band_population(UNITS.iloc[:1], UNITS, column="people")


def test_raster_counts_cells_whose_centre_is_inside(tmp_path):
    """A 4 × 4 grid of 1 km cells holding 1 … 16; a band over the lower left 2 × 2 cells holds 9+10+13+14."""
    values = np.arange(1, 17, dtype="float32").reshape(4, 4)
    grid = PopulationGrid(values, (0.0, 1000.0, 0.0, 4000.0, 0.0, -1000.0), crs="EPSG:32649")
    band = gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 2000, 2000)], crs="EPSG:32649")
    assert raster_population(band, grid).iloc[0] == 9 + 10 + 13 + 14
    # the same grid as a GeoTIFF, read back
    from PIL import Image
    from PIL.TiffImagePlugin import ImageFileDirectory_v2

    tags = ImageFileDirectory_v2()
    tags[33550] = (1000.0, 1000.0, 0.0)
    tags[33922] = (0.0, 0.0, 0.0, 0.0, 4000.0, 0.0)
    tags[34735] = (1, 1, 0, 1, 3072, 0, 1, 32649)
    path = tmp_path / "pop.tif"
    Image.fromarray(values, mode="F").save(path, tiffinfo=tags)
    read = read_population_raster(path)
    assert read.crs == "EPSG:32649" and read.transform == grid.transform
    assert raster_population(band, read).iloc[0] == 9 + 10 + 13 + 14
    assert "pop.tif" in raster_population(band, read).attrs["method"]


def test_a_raster_without_georeferencing_is_refused(tmp_path):
    from PIL import Image

    path = tmp_path / "plain.tif"
    Image.fromarray(np.ones((2, 2), dtype="float32"), mode="F").save(path)
    with pytest.raises(RoutingError, match="not georeferenced"):
        read_population_raster(path)
