"""Bad input at the edges: every malformed data file, API argument or CLI argument ends in a pxnet error that
names the file, line and column (or the argument), or in a correct result, quickly."""

from __future__ import annotations

import csv
import math
import re
import time
import warnings
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pxnet
from pxnet import DataValidationError
from pxnet.cli import main
from pxnet.network import bundled_data_path
from pxnet.vocabulary import FIELD_LIMITS, close_matches, trip_mode
from tests.fixtures.networks import NODES, PROJECTS

DATA = bundled_data_path()


def _problem(folder: Path, file: str, column: str | None, pattern: str, *, line: int | None = None) -> None:
    start = time.perf_counter()
    with pytest.raises(DataValidationError) as info:
        pxnet.load_network(folder)
    assert time.perf_counter() - start < 10
    for p in info.value.problems:
        if p.file == file and p.column == column and re.search(pattern, p.message):
            assert line is None or p.line == line
            return
    raise AssertionError(f"no {file}:{column}:{pattern} in\n{info.value}")


# -- YAML ------------------------------------------------------------------------------------------------
def test_yaml_alias_bomb_is_refused_quickly(make_folder):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
    )
    projects = PROJECTS.replace("- id: hukun\n", "- id: hukun\n  notes: &n long text\n", 1)
    projects = projects.replace("- id: speedup\n", "- id: speedup\n  notes: *n\n", 1)
    _problem(make_folder(texts={"projects.yaml": projects}), "projects.yaml", None, "aliases")
    for name in ("scenarios.yaml", "parameters.yaml"):
        _problem(make_folder(texts={name: bomb}), name, None, "aliases")


def test_impossible_unquoted_yaml_date_names_file_and_key(make_folder):
    folder = make_folder(replace={"projects.yaml": [("date: 2014-09-16", "date: 2025-13-40")]})
    _problem(folder, "projects.yaml", "date", "month 13")
    folder = make_folder(replace={"scenarios.yaml": [("date: 2019-02-20", "date: 2019-02-30")]})
    _problem(folder, "scenarios.yaml", "date", "day 30")


def test_year_0000_in_open_date(make_folder):
    folder = make_folder(replace={"services.csv": [("2014-09-16", "0000-01-01")]})
    _problem(folder, "services.csv", "open_date", "year 0")


def test_circular_members(make_folder):
    extra = (
        "- {id: ring_a, name_zh: 甲, name_en: A, category: network, source: test, members: [ring_b]}\n"
        "- {id: ring_b, name_zh: 乙, name_en: B, category: network, source: test, members: [ring_a]}\n"
        "- {id: selfish, name_zh: 丙, name_en: C, category: network, source: test, members: [selfish]}\n"
    )
    folder = make_folder(texts={"projects.yaml": PROJECTS + extra})
    _problem(folder, "projects.yaml", "members", "cycle: ring_a → ring_b → ring_a")
    _problem(folder, "projects.yaml", "members", "cycle: selfish → selfish")


def test_dataset_yaml_is_validated(make_folder):
    _problem(make_folder(texts={"dataset.yaml": "name: x\ndata_date: 2026-13\n"}), "dataset.yaml", "data_date", "13")
    _problem(make_folder(texts={"dataset.yaml": "name: [1, 2]\n"}), "dataset.yaml", "name", "text")
    _problem(make_folder(texts={"dataset.yaml": "- a list\n"}), "dataset.yaml", None, "mapping")
    net = pxnet.load_network(make_folder(texts={"dataset.yaml": "name: test\ndata_date: 2026-05-01\nextra: {a: 1}\n"}))
    assert net.data_date == "2026-05-01" and net.metadata["extra"] == {"a": 1}


def test_service_day_hours_zero_and_other_parameter_ranges(make_folder):
    for text, pattern in (
        ("service_day_hours: {value: 0, unit: h, source: x}\n", "greater than 0"),
        ("dwell_min: {value: 1.0e+300, unit: min, source: x}\n", "at most"),
        ("initial_wait_fraction: {value: 1.5, unit: '', source: x}\n", "at most 1"),
        ("speed_kph: {value: {hsr: 5.0e-324}, unit: km/h, source: x}\n", "at least 1"),
        ("dwell_min: {value: .nan, unit: min, source: x}\n", "finite"),
    ):
        _problem(make_folder(texts={"parameters.yaml": text}), "parameters.yaml", "value", pattern)


# -- CSV -------------------------------------------------------------------------------------------------
def test_duplicated_csv_header_column(make_folder):
    folder = make_folder(replace={"links.csv": [("time_min,oneway", "time_min,speed_kph")]})
    _problem(folder, "links.csv", "speed_kph", "twice", line=1)


def test_non_integer_population(make_folder):
    folder = make_folder(replace={"nodes.csv": [("1804805", "1804805.5")]})
    _problem(folder, "nodes.csv", "population", "whole number", line=2)


def test_headway_and_trains_per_day_together(make_folder):
    folder = make_folder(replace={"services.csv": [("changsha_south,,17,", "changsha_south,30,17,")]})
    _problem(folder, "services.csv", "trains_per_day", "not both", line=2)


@pytest.mark.parametrize("value", ["5e-324", "nan", "inf", "1e300", "-3"])
def test_absurd_numbers_refused(make_folder, value):
    folder = make_folder(replace={"links.csv": [("hsr,61,300", f"hsr,61,{value}")]})
    _problem(folder, "links.csv", "speed_kph", ".", line=2)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=8)))
def test_any_length_is_accepted_in_range_or_refused_by_name(make_folder, value):
    text = repr(value) if isinstance(value, float) else value
    if any(c in text for c in ',"\n\r') or text.strip() != text:
        return
    folder = make_folder(replace={"links.csv": [("hsr,61,", f"hsr,{text},")]})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", pxnet.DataWarning)  # a legal but implausible length
            net = pxnet.load_network(folder)
    except DataValidationError as err:
        assert any(p.file == "links.csv" and p.column == "length_km" for p in err.problems), err
        return
    length = float(net.links.at["hk_yc_pxn", "length_km"])
    assert FIELD_LIMITS["links.length_km"].problem(length) is None


# -- population: no person counted twice -----------------------------------------------------------------
def test_no_person_is_counted_twice_in_the_bundled_data():
    net = pxnet.load_network()
    with (DATA / "census_2020.csv").open(encoding="utf-8") as fh:
        census = {row["code"]: row for row in csv.DictReader(fh)}
    seen: dict[str, str] = {}
    for node_id, row in net.nodes.iterrows():
        if pd_isna(row["population"]):
            assert not row["census_units"], node_id
            continue
        if node_id in ("hongkong", "macau"):  # not in the mainland census: the SAR's own figure
            continue
        units = row["census_units"]
        assert units, f"{node_id} has a population but no census units"
        for code in units:
            assert code not in seen, f"{code} on {node_id} and {seen[code]}"
            seen[code] = node_id
        assert int(row["population"]) == sum(int(census[c]["population"]) for c in units), node_id
    for code in seen:  # no unit inside another counted unit (a prefecture beside one of its counties)
        assert code[:4] + "00" == code or code[:4] + "00" not in seen, code
    assert net.nodes.at["yichun", "census_units"] == ("360902",)  # 袁州区, not the whole prefecture
    assert "430281" not in net.nodes.at["zhuzhou", "census_units"]  # 醴陵 is on its own node


def test_a_unit_counted_twice_is_refused(make_folder):
    header, *rows = NODES.splitlines()
    header = header.replace(",population,", ",population,census_units,")
    rows = [r.replace(",1804805,", ",1804805,360300,").replace(",10047914,", ",10047914,360302,") for r in rows]
    rows = [r if r.count(",") == header.count(",") else _add_empty(r) for r in rows]
    folder = make_folder(texts={"nodes.csv": "\n".join([header, *rows]) + "\n"})
    _problem(folder, "nodes.csv", "census_units", "inside 360300")
    rows = [r.replace(",360302,", ",360300,") for r in rows]
    folder = make_folder(texts={"nodes.csv": "\n".join([header, *rows]) + "\n"})
    _problem(folder, "nodes.csv", "census_units", "also counted on 'pingxiang'")


def _add_empty(row: str) -> str:
    parts = row.split(",")
    parts.insert(8, "")  # census_units after population
    return ",".join(parts)


def pd_isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


# -- names -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Pingxiangbei", "pingxiang_north"),
        ("廣州", "guangzhou"),
        ("廣州南", "guangzhou_south"),
        ("guangzhou nan", "guangzhou_south"),
    ],
)
def test_pinyin_and_traditional_names(name, expected):
    assert pxnet.load_network().resolve(name) == expected


def test_homophone_ranks_first():
    with pytest.raises(pxnet.UnknownPlaceError) as info:
        pxnet.load_network().resolve("广洲")
    assert info.value.suggestions[0].startswith("广州市")


def test_mode_case_and_aliases():
    assert trip_mode("HSR") == "hsr" and trip_mode("door-to-door") == "door_to_door"
    t = pxnet.travel_time("萍乡北", "长沙南", mode="HSR", scenario=2025)
    assert t == pxnet.travel_time("萍乡北", "长沙南", mode="hsr", scenario=2025)
    with pytest.raises(pxnet.RoutingError, match="did you mean 'rail'"):
        trip_mode("rial")


def test_close_matches_prefers_common_prefix():
    assert close_matches("广洲", ["株洲", "广州"], cutoff=0.4)[0] == "广州"


def test_links_line_is_the_line_name():
    links = pxnet.load_network().links
    assert (links["line"] == links["line_name"]).all()
    assert links["line"].map(lambda v: isinstance(v, str)).all()
    assert links["csv_line"].min() == 2


# -- API arguments ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("cutoff", [-5, math.nan, math.inf, "90", True])
def test_skim_cutoff_refused(cutoff):
    with pytest.raises(pxnet.RoutingError, match="cutoff"):
        pxnet.skim(["萍乡"], ["长沙"], cutoff=cutoff)


@pytest.mark.parametrize("fraction", [-0.1, 2, math.nan])
def test_initial_wait_fraction_refused(fraction):
    with pytest.raises(pxnet.RoutingError, match="initial_wait_fraction"):
        pxnet.travel_time("萍乡", "长沙", initial_wait_fraction=fraction)


@pytest.mark.parametrize("bands", [[1e300], [math.nan], [-60], ["x"]])
def test_isochrone_bands_refused(bands):
    with pytest.raises(pxnet.RoutingError, match="bands"):
        pxnet.isochrones("萍乡北", bands=bands, mode="hsr")


def test_travel_time_and_route_on_an_osm_graph():
    G = nx.MultiDiGraph(crs="EPSG:4326")
    G.add_node(1, x=0.0, y=0.0)
    G.add_node(2, x=0.01, y=0.0)
    G.add_edge(1, 2, travel_time=120.0, length=1000.0)
    assert pxnet.travel_time(1, 2, network=G) == pytest.approx(2.0)
    assert pxnet.skim([1], [2], network=G).iloc[0, 0] == pytest.approx(2.0)
    with pytest.raises(pxnet.RoutingError, match="networkx"):
        pxnet.route(1, 2, network=G)
    with pytest.raises(pxnet.RoutingError, match="network must be"):
        pxnet.skim(["萍乡"], network="not a network")  # type: ignore[arg-type]


# -- CLI -------------------------------------------------------------------------------------------------
def test_cli_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0 and pxnet.__version__ in capsys.readouterr().out


def test_cli_data_after_the_subcommand(capsys, folder):
    assert main(["validate", "--data", str(folder)]) == 0
    assert "5 nodes" in capsys.readouterr().out


def test_cli_mode_alias(capsys):
    assert main(["times", "--from", "萍乡北", "--to", "长沙南", "--mode", "HSR", "--scenario", "2025"]) == 0
    assert "mode hsr" in capsys.readouterr().out


def test_cli_output_checked_before_the_work(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    start = time.perf_counter()
    assert main(["assess", "--goal", "hsr3h_guangzhou_station", "--out", str(blocker)]) == 2
    assert "not a folder" in capsys.readouterr().err
    assert main(["export", "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    assert main(["impacts", "--csv", str(blocker / "t.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert time.perf_counter() - start < 10


def test_cli_impacts_prints_no_zero_savings(capsys):
    assert main(["impacts", "--from", "萍乡", "长沙", "--mode", "rail"]) == 0
    out = capsys.readouterr().out
    assert "saves 0.0 min" not in out and "inf min" not in out


# -- OSM -------------------------------------------------------------------------------------------------
def test_walk_filter_drops_separately_mapped_sidewalks(tmp_path):
    from pxnet.osm import load_roads, write_osm_xml

    ways = {
        10: ([1, 2], {"highway": "residential", "sidewalk": "separate"}),
        11: ([2, 3], {"highway": "footway"}),
        12: ([3, 4], {"highway": "residential"}),
    }
    nodes = {i: (113.85 + i * 0.001, 27.62) for i in range(1, 5)}
    path = write_osm_xml(tmp_path / "walk.osm", nodes, ways)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        G = load_roads(path, network_type="walk", simplify=False, retain_all=True)
    assert 1 not in G.nodes and {2, 3, 4} <= set(G.nodes)


def test_data_model_states_every_allowed_range():
    from pxnet.parameters import PARAMETER_LIMITS

    text = (Path(__file__).parents[2] / "docs" / "data-model.md").read_text(encoding="utf-8")
    for key, limit in [*FIELD_LIMITS.items(), *((f"parameters.yaml.{k}", v) for k, v in PARAMETER_LIMITS.items())]:
        file, field = key.split(".", 1) if not key.startswith("parameters.yaml") else ("parameters.yaml", key[16:])
        bound = f"{limit.low:g} {'<' if limit.open_low else '≤'} value ≤ {limit.high:g}"
        assert f"| `{file}` | `{field}` | {bound} |" in text, key
