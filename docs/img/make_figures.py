"""Make the example maps in docs/img/ (run: python docs/img/make_figures.py)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import pxnet
from pxnet.routing import isochrones
from pxnet.plot import plot_isochrones, plot_network, plot_scenario_difference, plot_travel_times

HERE = Path(__file__).resolve().parent
DPI = 110


def main() -> None:
    net = pxnet.load_network()
    ax = plot_network("plan-2025")
    ax.figure.savefig(HERE / "network.png", dpi=DPI)

    gdf = isochrones("萍乡北", bands=(60, 120, 180), mode="door_to_door", scenario="plan-2025")
    ax = plot_isochrones(gdf)
    ax.figure.savefig(HERE / "isochrones.png", dpi=DPI)

    fig = plot_scenario_difference("as-built-2019", "plan-2025", origins="萍乡", band=180)
    fig.savefig(HERE / "scenario_difference.png", dpi=DPI)

    places = list(net.places.index)
    times = pxnet.skim(places, "广州", mode="door_to_door", scenario="plan-2025")
    ax = plot_travel_times(times)
    ax.figure.savefig(HERE / "travel_times.png", dpi=DPI)
    print("wrote", ", ".join(p.name for p in sorted(HERE.glob("*.png"))))


if __name__ == "__main__":
    main()
