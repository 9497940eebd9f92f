"""The ``pxnet isochrone`` subcommand: isochrones to PNG, SVG, HTML or GeoPackage.

Wired into :mod:`pxnet.cli` by ``register(subparsers)``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .._progress import Stages
from ..errors import PxnetError
from ..io import atomic_path
from ._args import add_mode_option, scenario_arg

__all__ = ["register"]

_FORMATS = {
    ".png": "png",
    ".svg": "svg",
    ".html": "html",
    ".htm": "html",
    ".gpkg": "gpkg",
    ".geojson": "geojson",
    ".csv": "csv",
}


def _cmd_isochrone(args: argparse.Namespace) -> int:
    """Compute isochrones and write them in the format the output file's extension names."""
    from ..network import load_network
    from ..routing import isochrones
    from ..scenario import get_scenario

    out = Path(args.out)
    fmt = _FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise PxnetError(f"cannot tell the format of {out.name!r}: use .png, .svg, .html, .gpkg, .geojson or .csv")
    data = getattr(args, "data", None)
    net = load_network(data) if data else None
    scenario = get_scenario(scenario_arg(args.scenario), network=net)
    step = Stages("isochrone")
    step("isochrones")
    gdf = _compute(args, scenario, net, isochrones)
    step(f"writing {out.name}")
    _write(args, gdf, scenario, out, fmt)
    for row in gdf.itertuples(index=False):
        people = (
            f"; {row.places} places reached, population {row.population:,.0f}"
            if row.population == row.population
            else ""
        )
        print(f"≤ {row.minutes:g} min: {row.area_km2:,.0f} km² ({row.nodes} nodes{people})")
    print(f"wrote {out}")
    return 0


def _compute(args: argparse.Namespace, scenario: Any, net: Any, isochrones: Any) -> Any:
    return isochrones(
        args.destinations or args.origins,
        bands=args.bands,
        mode=args.mode,
        scenario=scenario,
        network=net,
        to=bool(args.destinations),
        last_mile_kph=args.last_mile_kph,
        max_last_mile_min=args.max_last_mile_min,
    )


def _write(args: argparse.Namespace, gdf: Any, scenario: Any, out: Path, fmt: str) -> None:
    if fmt in ("gpkg", "geojson", "csv"):
        _write_table(gdf, out, fmt)
    elif fmt == "html":
        from ..plot import explore_isochrones, save_html

        tiles = None if args.tiles in (None, "none") else args.tiles
        save_html(explore_isochrones(gdf, network=scenario, tiles=tiles), out)
    else:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        from ..plot import plot_isochrones, root_figure

        fig = root_figure(plot_isochrones(gdf, network=scenario))
        with atomic_path(out) as tmp:
            fig.savefig(tmp, format=fmt, dpi=args.dpi)
        plt.close(fig)


def _write_table(gdf: Any, out: Path, fmt: str) -> None:
    """Write the bands with what they rest on: a GeoPackage layer, GeoJSON (WGS-84) or CSV (no geometry)."""
    frame = gdf.copy()
    frame["scenario"] = str(gdf.attrs.get("scenario"))
    frame["mode"] = str(gdf.attrs.get("mode"))
    frame["origins"] = ";".join(map(str, gdf.attrs.get("origins", [])))
    frame["direction"] = "to" if gdf.attrs.get("to") else "from"
    frame["last_mile_kph"] = float(gdf.attrs.get("last_mile_kph", float("nan")))
    frame["data_date"] = str(gdf.attrs.get("data_date"))
    with atomic_path(out) as tmp:
        if fmt == "gpkg":
            frame.to_file(tmp, layer="isochrones", driver="GPKG")
        elif fmt == "geojson":
            frame.to_crs("EPSG:4326").to_file(tmp, driver="GeoJSON")
        else:
            frame.drop(columns=frame.geometry.name).to_csv(tmp, index=False)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    """Add the ``isochrone`` subcommand to an argparse subparsers object; returns its parser.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser(prog="pxnet")
    >>> _ = register(parser.add_subparsers(dest="command"))
    >>> args = parser.parse_args(["isochrone", "--from", "萍乡北", "--out", "x.png"])
    >>> args.origins, args.bands, args.mode
    (['萍乡北'], [60.0, 120.0, 180.0], 'door_to_door')
    """
    p = subparsers.add_parser(
        "isochrone",
        help="isochrones from (or to) places, written as PNG, SVG, HTML or GeoPackage (.gpkg)",
        description="Areas reachable within bands of travel time; the output file's extension picks the format.",
    )
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument("--from", dest="origins", nargs="+", metavar="PLACE", help="origin place(s)")
    where.add_argument(
        "--to", dest="destinations", nargs="+", metavar="PLACE", help="destination place(s): who reaches them in time"
    )
    p.add_argument("--bands", nargs="+", type=float, default=[60.0, 120.0, 180.0], metavar="MIN", help="band limits")
    add_mode_option(p)
    p.add_argument("--scenario", default=None, help="scenario name or year (default: as built today)")
    p.add_argument("--last-mile-kph", type=float, default=None, help="last-mile speed (default: access speed)")
    p.add_argument("--max-last-mile-min", type=float, default=None, help="cap on the last-mile time")
    p.add_argument("--dpi", type=int, default=150, help="resolution of PNG output")
    p.add_argument(
        "--tiles",
        default="none",
        choices=["none", "OpenStreetMap", "tianditu"],
        help="online tiles under an .html map (default none: the page works offline; tianditu needs "
        "PXNET_TIANDITU_KEY)",
    )
    p.add_argument("--out", required=True, help="output file: .png, .svg, .html, .gpkg, .geojson or .csv (no geometry)")
    p.set_defaults(func=_cmd_isochrone)
    return p
