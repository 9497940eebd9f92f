"""Make the example maps in docs/img/ (run: python docs/img/make_figures.py)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pxnet
from pxnet.analysis import corridor_times
from pxnet.plot import (
    census_units,
    plot_corridor,
    plot_isochrones,
    plot_network,
    plot_scenario_difference,
    plot_travel_times,
)
from pxnet.routing import AREAL_WEIGHTING, band_population, isochrones

HERE = Path(__file__).resolve().parent
DPI = 110


def main() -> None:
    net = pxnet.load_network()
    ax = plot_network("plan-2025")
    ax.figure.savefig(HERE / "network.png", dpi=DPI)

    # Computed once, drawn by several maps: the isochrones (with the people inside each band) and the corridor.
    units = census_units(net)

    def with_people(bands):  # type: ignore[no-untyped-def]
        if units is not None:
            bands["population"] = band_population(bands, units).to_numpy()
            bands.attrs["population_method"] = AREAL_WEIGHTING
        return bands

    gdf = with_people(isochrones("萍乡", bands=(60, 120, 180), mode="door_to_door", scenario="plan-2025"))
    ax = plot_isochrones(gdf)
    ax.figure.savefig(HERE / "isochrones.png", dpi=DPI)

    before = with_people(isochrones("萍乡", bands=(60, 120, 180), mode="door_to_door", scenario="as-built-2019"))
    fig = plot_scenario_difference(before, gdf, band=180)
    fig.savefig(HERE / "scenario_difference.png", dpi=DPI)
    fig = plot_scenario_difference(before, gdf, band=180, layout="side_by_side")
    fig.savefig(HERE / "scenario_difference_side_by_side.png", dpi=DPI)

    table = corridor_times("plan-2025")
    for lang in ("en", "zh"):
        ax = plot_corridor(table, reach=gdf, lang=lang)
        ax.figure.savefig(HERE / f"corridor_{lang}.png", dpi=DPI)

    places = list(net.places.index)
    times = pxnet.skim(places, "广州", mode="door_to_door", scenario="plan-2025")
    ax = plot_travel_times(times)
    ax.figure.savefig(HERE / "travel_times.png", dpi=DPI)
    print("wrote", ", ".join(p.name for p in sorted(HERE.glob("*.png"))))


if __name__ == "__main__":
    main()
