"""Isochrone polygons: the raster method against the exact union of discs, measured in one process.

Run: ``.venv/bin/python benchmarks/bench_isochrones.py [--side 710] [--ref-side 200] [--full-reference]``

On the synthetic road-like grid of ``benchmarks/bench_routing.py`` (side² nodes, 504,100 by default),
60/120/180-minute isochrones from the centre node: the whole :func:`pxnet.isochrones` call (search, node
coordinates, polygons, output frame) and its polygon step alone, against the previous algorithm (the union of
every node's disc, kept as ``_exact_union``) on the same reach times. The reference takes about two minutes
on the full grid, so by default it runs on a smaller grid (``--ref-side``; ``--full-reference`` adds the full
one). Areas are compared band by band, and on the bundled network (door to door from 萍乡, 2025) too.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_routing import road_like_graph

import pxnet
from pxnet.routing import _isochrones as iso

BANDS = [60.0, 120.0, 180.0]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def best_of(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    runs = [timed(fn) for _ in range(repeat)]
    return min(r[0] for r in runs), runs[-1][1]


def sites_of(times: Any, kph: float = iso.DEFAULT_LAST_MILE_KPH) -> iso._Sites:
    return iso._Sites(
        times["x"].to_numpy(dtype=float),
        times["y"].to_numpy(dtype=float),
        times["minutes"].to_numpy(dtype=float),
        kph * 1000.0 / 60.0,
        None,
    )


def compare(label: str, sites: iso._Sites, *, repeat: int) -> None:
    t_raster, raster = best_of(lambda: iso._raster_union(sites, BANDS), repeat)
    t_exact, exact = timed(lambda: iso._exact_union(sites, BANDS))
    for band, r, e in zip(BANDS, raster, exact, strict=True):
        sym = shapely.symmetric_difference(r, e).area / e.area
        print(
            f"| {label} | {band:.0f} | {e.area / 1e6:,.0f} | {r.area / 1e6:,.0f} | "
            f"{r.area / e.area - 1:+.2%} | {sym:.2%} |"
        )
    print(
        f"{label}: polygons of the three bands: raster {t_raster:.2f} s, exact union {t_exact:.2f} s "
        f"(raster/exact {t_raster / t_exact:.3g}), {int((sites.minutes < BANDS[-1]).sum()):,} nodes"
    )


def grid_case(side: int, *, reference: bool, repeat: int) -> None:
    t_build, G = timed(lambda: road_like_graph(side))
    centre = (side // 2) * side + side // 2
    print(
        f"\ngrid {side}×{side}: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges (built in {t_build:.1f} s)"
    )
    pxnet.isochrones(centre, bands=BANDS, network=G)  # compile the graph once (cached per graph)
    t_call, gdf = best_of(lambda: pxnet.isochrones(centre, bands=BANDS, network=G), repeat)
    t_reach, times = best_of(lambda: pxnet.routing.reach_times(centre, network=G, cutoff=BANDS[-1]), repeat)
    t_search, _ = best_of(lambda: pxnet.one_to_all(centre, network=G, cutoff=BANDS[-1]), repeat)
    sites = sites_of(times)
    t_poly, _ = best_of(lambda: iso._raster_union(sites, BANDS), repeat)
    print(
        f"pxnet.isochrones 60/120/180 (method {gdf.attrs['method']!r}): {t_call:.2f} s in all; "
        f"search {t_search:.2f} s, reach_times {t_reach:.2f} s, raster polygons {t_poly:.2f} s; "
        f"areas {', '.join(f'{a:,.0f}' for a in gdf['area_km2'])} km²"
    )
    if reference:
        print("\n| case | band min | exact km² | raster km² | area | symmetric difference |")
        print("|---|---|---|---|---|---|")
        compare(f"grid {side}²", sites, repeat=repeat)


def bundled_case(repeat: int) -> None:
    times = pxnet.routing.reach_times("萍乡", scenario=2025, cutoff=BANDS[-1])
    sites = sites_of(times)
    print("\nbundled network, door to door from 萍乡, scenario 2025 (the default method there is 'exact')")
    print("| case | band min | exact km² | raster km² | area | symmetric difference |")
    print("|---|---|---|---|---|---|")
    compare("bundled", sites, repeat=repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--side", type=int, default=710, help="grid side for the timed call (default 710: 504,100 nodes)"
    )
    parser.add_argument("--ref-side", type=int, default=200, help="grid side on which the exact union also runs")
    parser.add_argument("--full-reference", action="store_true", help="run the exact union on --side too (~2 min)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    print(
        f"machine: {platform.machine()}, Python {platform.python_version()}, numpy {np.__version__}, "
        f"shapely {shapely.__version__}; date {time.strftime('%Y-%m-%d')}"
    )
    bundled_case(args.repeat)
    grid_case(args.ref_side, reference=True, repeat=args.repeat)
    grid_case(args.side, reference=args.full_reference, repeat=args.repeat)


if __name__ == "__main__":
    main()
