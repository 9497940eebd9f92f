"""Interactive maps: layers, tooltips and attribution are in the HTML (the page itself is never loaded)."""

from __future__ import annotations

import argparse
import html as html_module
import re
from pathlib import Path

import geopandas as gpd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pxnet import ExportError
from pxnet.cli._isochrone import register
from pxnet.plot import explore_isochrones, explore_network, save_html
from pxnet.plot._web import _html_text
from pxnet.routing import isochrones


def read(path: Path) -> str:
    """The page's text with folium's JSON \\uXXXX escapes decoded (Chinese names are escaped in the scripts)."""
    text = path.read_text(encoding="utf-8")
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)


@pytest.fixture(scope="module")
def bands() -> gpd.GeoDataFrame:
    return isochrones("萍乡北", bands=(60, 120, 180), mode="hsr", scenario="plan-2025")


def test_isochrone_layers_and_tooltips(bands, tmp_path):
    out = save_html(explore_isochrones(bands, tiles=None), tmp_path / "iso.html")
    html = read(out)
    for minutes in (60, 120, 180):
        assert f'"≤ {minutes} min"' in html  # a layer name in the layer control
    assert "L.control.layers" in html
    assert "分钟 minutes" in html and "面积 area km²" in html  # tooltip fields
    assert "可达地区人口 population of places reached" in html
    assert f"{bands['population'].iloc[-1]:,.0f}" in html
    assert "出发地 origin: 萍乡北 Pingxiang North" in html  # origin marker tooltip
    assert "data: pxnet (sources in docs/data.md)" in html and "plan-2025" in html


def test_network_layers(tmp_path):
    html = read(save_html(explore_network("plan-2025", tiles=None), tmp_path / "net.html"))
    assert "高铁 HSR" in html and "高速公路 expressway" in html and "车站 stations" in html
    assert "线路 line" in html and "沪昆高铁" in html
    assert "8 4" in html  # dashed: under construction


def test_save_html_is_atomic(bands, tmp_path):
    target = tmp_path / "iso.html"
    target.write_text("old", encoding="utf-8")

    class Broken:
        def save(self, path: str) -> None:
            Path(path).write_text("half", encoding="utf-8")
            raise RuntimeError("disk full")

    with pytest.raises(ExportError):
        save_html(Broken(), target)  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["iso.html"]


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="pxnet")
    p.add_argument("--data", default=None)
    register(p.add_subparsers(dest="command", required=True))
    return p


@pytest.mark.parametrize("suffix", [".png", ".svg", ".html", ".gpkg", ".geojson", ".csv"])
def test_cli_formats(tmp_path, capsys, suffix):
    out = tmp_path / f"iso{suffix}"
    args = parser().parse_args(
        [
            "isochrone",
            "--from",
            "萍乡北",
            "--bands",
            "60",
            "120",
            "--mode",
            "hsr",
            "--scenario",
            "2025",
            "--out",
            str(out),
        ]
    )
    assert args.func(args) == 0
    assert out.stat().st_size > 0
    assert "≤ 120 min" in capsys.readouterr().out
    if suffix == ".gpkg":
        back = gpd.read_file(out, layer="isochrones")
        assert back["minutes"].tolist() == [60.0, 120.0]
        assert set(back["scenario"]) == {"as-built-2025"} and set(back["direction"]) == {"from"}
    if suffix == ".geojson":
        back = gpd.read_file(out)
        assert back["minutes"].tolist() == [60.0, 120.0] and back.crs.to_epsg() == 4326
        assert set(back["mode"]) == {"hsr"}
    if suffix == ".csv":
        import pandas as pd

        table = pd.read_csv(out)
        assert table["minutes"].tolist() == [60.0, 120.0] and "geometry" not in table.columns
    if suffix == ".svg":
        assert out.read_text(encoding="utf-8").lstrip().startswith("<?xml")


def test_cli_to_and_bad_suffix(tmp_path):
    args = parser().parse_args(["isochrone", "--to", "武功山", "--bands", "90", "--out", str(tmp_path / "x.gpkg")])
    assert args.func(args) == 0
    assert set(gpd.read_file(tmp_path / "x.gpkg")["direction"]) == {"to"}
    args = parser().parse_args(["isochrone", "--from", "萍乡", "--out", str(tmp_path / "x.pdf")])
    from pxnet import PxnetError

    with pytest.raises(PxnetError, match="format"):
        args.func(args)
    with pytest.raises(SystemExit):
        parser().parse_args(["isochrone", "--from", "萍乡", "--to", "武功山", "--out", "x.png"])


def test_cli_through_main_once_wired(tmp_path):
    from pxnet import cli

    if "isochrone" not in cli.build_parser().format_help():
        pytest.skip("the isochrone subcommand is not wired into pxnet.cli yet")
    out = tmp_path / "iso.gpkg"
    assert cli.main(["isochrone", "--from", "萍乡北", "--mode", "hsr", "--out", str(out)]) == 0
    assert out.exists()


def test_origin_tooltip_text_cannot_leave_its_template_literal(bands, tmp_path):
    """folium writes a marker's tooltip inside a JS template literal: backtick, ``${`` and backslash become inert."""
    hostile = bands.copy()
    hostile.attrs = {**bands.attrs, "origins": ["Pingxiang`+alert(7)+`${alert(8)}\\u"]}
    page = save_html(explore_isochrones(hostile, base_layer=False), tmp_path / "iso.html").read_text("utf-8")
    assert "`+alert(7)+`" not in page and "${alert(8)}" not in page and "\\u " not in page
    assert "Pingxiang&#96;+alert(7)+&#96;&#36;{alert(8)}&#92;u" in page  # shown as the same text


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_escaped_text_is_inert_everywhere_and_shows_the_same(text):
    """What reaches a page is the same text once decoded, with nothing left that could end a template literal,
    start an interpolation or escape, open a tag or an entity, or close a quoted attribute."""
    out = _html_text(text)
    assert html_module.unescape(out) == text
    assert not set(out) & set("`$\\<>\"'")
    assert re.search(r"&(?!(#x?[0-9a-fA-F]+|amp|lt|gt|quot);)", out) is None  # every & starts a reference
