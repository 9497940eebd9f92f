"""Each malformed input gives a pxnet error naming file, line/id and column; warnings for odd data."""

from __future__ import annotations

import re
import warnings

import pytest

import pxnet
from pxnet import DataFileNotFoundError, DataValidationError, DataWarning, PxnetError


def _error(folder) -> DataValidationError:  # type: ignore[no-untyped-def]
    with pytest.raises(DataValidationError) as info:
        pxnet.load_network(folder)
    assert isinstance(info.value, PxnetError) and isinstance(info.value, ValueError)
    return info.value


def _has(err: DataValidationError, file: str, line: int | None, column: str | None, pattern: str) -> None:
    for p in err.problems:
        if p.file == file and (line is None or p.line == line) and p.column == column and re.search(pattern, p.message):
            text = str(err)
            assert file in text and (line is None or f"line {line}" in text)
            if column:
                assert repr(column) in text
            return
    raise AssertionError(f"no problem {file}:{line}:{column}:{pattern} in\n{err}")


def test_valid_folder_loads(folder):
    net = pxnet.load_network(folder)
    assert len(net.nodes) == 5 and len(net.links) == 5 and list(net.services.index) == ["g_hukun"]
    assert net.parameters.dwell_min == 2 and net.parameters.speed_kph["hsr"] == 300
    assert net.parameters.speed_kph["expressway"] == pxnet.Parameters().speed_kph["expressway"]
    assert net.nodes.at["pingxiang", "population"] == 1804805


def test_missing_folder_and_file(tmp_path, make_folder):
    with pytest.raises(DataFileNotFoundError) as info:
        pxnet.load_network(tmp_path / "nope")
    assert isinstance(info.value, FileNotFoundError)
    folder = make_folder(texts={"links.csv": None})
    with pytest.raises(DataFileNotFoundError, match=r"links\.csv"):
        pxnet.load_network(folder)


def test_missing_required_column(make_folder):
    folder = make_folder(replace={"nodes.csv": [("kind,lon,lat", "typ,lon,lat")]})
    err = _error(folder)
    _has(err, "nodes.csv", 1, "kind", "required column is missing")
    _has(err, "nodes.csv", 1, "typ", "unknown column")


def test_empty_required_value(make_folder):
    err = _error(make_folder(replace={"nodes.csv": [("萍乡北,Pingxiang North", ",Pingxiang North")]}))
    _has(err, "nodes.csv", 3, "name_zh", "required value is empty")


def test_duplicate_id(make_folder):
    err = _error(make_folder(replace={"links.csv": [("acc_cs_css,", "acc_px_pxn,")]}))
    _has(err, "links.csv", 5, "id", r"duplicate id \(first used on line 4\)")


def test_link_to_unknown_node(make_folder):
    err = _error(make_folder(replace={"links.csv": [("hk_yc_pxn,yichun_station", "hk_yc_pxn,yichun_statoin")]}))
    _has(err, "links.csv", 2, "from", "unknown node 'yichun_statoin'.*did you mean 'yichun_station'")


@pytest.mark.parametrize(
    ("old", "new", "column", "pattern"),
    [
        (",hsr,105,300,", ",hsr,abc,300,", "length_km", "is not a number"),
        (",hsr,105,300,", ",hsr,-105,300,", "length_km", "greater than zero"),
        (",hsr,105,300,", ",hsr,0,300,", "length_km", "greater than zero"),
        (",hsr,105,300,", ",hsr,105,fast,", "speed_kph", "is not a number"),
        (",hsr,105,300,", ",hsr,105,-3,", "speed_kph", "greater than zero"),
        (",hsr,105,300,", ",hsr,105,0,", "speed_kph", "greater than zero"),
    ],
)
def test_bad_numbers(make_folder, old, new, column, pattern):
    err = _error(make_folder(replace={"links.csv": [(old, new)]}))
    _has(err, "links.csv", 3, column, pattern)


def test_coordinates(make_folder):
    err = _error(
        make_folder(
            replace={
                "nodes.csv": [
                    ("114.431329,27.792414", "114.431329,97.792414"),
                    ("113.058168,28.14944", "28.14944,113.058168"),
                ]
            }
        )
    )
    _has(err, "nodes.csv", 4, "lat", "out of range")
    _has(err, "nodes.csv", 5, "lat", "look swapped")


def test_unknown_enums(make_folder):
    err = _error(
        make_folder(
            replace={
                "nodes.csv": [("Changsha,city", "Changsha,metropolis")],
                "links.csv": [
                    ("pingxiang,changsha,expressway", "pingxiang,changsha,expresway"),
                    (
                        "acc_cs_css,changsha,changsha_south,access,13,30,,,,,existing",
                        "acc_cs_css,changsha,changsha_south,access,13,30,,,,,built",
                    ),
                ],
            }
        )
    )
    _has(err, "nodes.csv", 6, "kind", "unknown value 'metropolis'")
    _has(err, "links.csv", 6, "mode", "did you mean 'expressway'")
    _has(err, "links.csv", 5, "status", "unknown value 'built'")


def test_unparsable_date(make_folder):
    err = _error(make_folder(replace={"links.csv": [(",existing,2010,", ",existing,2010-13,")]}))
    _has(err, "links.csv", 5, "open_date", "unparsable date")
    err = _error(make_folder(replace={"projects.yaml": [("date: 2014-09-16", "date: 16.9.2014")]}))
    _has(err, "projects.yaml", None, "date", "unparsable date")


def test_service_stop_without_link_of_its_mode(make_folder):
    err = _error(
        make_folder(replace={"services.csv": [("pingxiang_north;changsha_south", "pingxiang_north;changsha")]})
    )
    _has(err, "services.csv", 2, "stops", "stop 'changsha' has no hsr link")


def test_service_with_one_stop(make_folder):
    err = _error(
        make_folder(replace={"services.csv": [("yichun_station;pingxiang_north;changsha_south", "yichun_station")]})
    )
    _has(err, "services.csv", 2, "stops", "at least two stops")


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("20", r"one entry per pair of consecutive stops \(2\), got 1"),
        ("20;x", r"entry 2 must be a positive number of minutes or empty, got 'x'"),
        ("-5;", r"entry 1 must be a positive number"),
    ],
)
def test_bad_segment_minutes(make_folder, given, message):
    header = "trains_per_day,bidirectional"
    row = ",,17,,"
    folder = make_folder(
        replace={"services.csv": [(header, "trains_per_day,segment_min,bidirectional"), (row, f",,17,{given},,")]}
    )
    _has(_error(folder), "services.csv", 2, "segment_min", message)


def test_scenario_names_unknown_project(make_folder):
    err = _error(
        make_folder(replace={"scenarios.yaml": [("basis: plan\n", "basis: plan\n  enable: [hukun, changgan]\n")]})
    )
    _has(err, "scenarios.yaml", 5, "enable", "unknown project 'changgan'")


def test_project_names_unknown_link(make_folder):
    err = _error(make_folder(replace={"projects.yaml": [("link: hk_pxn_css", "link: hk_pxn_cs")]}))
    _has(err, "projects.yaml", None, "upgrades", "unknown link 'hk_pxn_cs'.*did you mean 'hk_pxn_css'")


def test_malformed_yaml(make_folder):
    err = _error(make_folder(texts={"projects.yaml": "- id: hukun\n  name_zh: [沪昆\n"}))
    assert err.problems[0].file == "projects.yaml" and "malformed YAML" in str(err)
    assert err.problems[0].line is not None


def test_wrong_encoding(make_folder):
    from tests.fixtures.networks import NODES

    err = _error(make_folder(texts={"nodes.csv": NODES.encode("gb18030")}))
    _has(err, "nodes.csv", 2, None, "not UTF-8.*GBK")


def test_all_problems_of_a_file_are_collected(make_folder):
    err = _error(
        make_folder(replace={"links.csv": [(",hsr,61,300,", ",hsr,x,300,"), (",hsr,105,300,", ",hsr,105,y,")]})
    )
    assert {(p.line, p.column) for p in err.problems} >= {(2, "length_km"), (3, "speed_kph")}


def test_no_pandas_or_yaml_traceback_on_garbage(make_folder):
    garbage = {"nodes.csv": 'id,name\n\x00\x01,"unterminated\n', "projects.yaml": "{a: [", "scenarios.yaml": "42"}
    err = _error(make_folder(texts=garbage))
    assert {p.file for p in err.problems} >= {"nodes.csv", "projects.yaml", "scenarios.yaml"}


def test_length_warnings(make_folder):
    folder = make_folder(
        replace={"links.csv": [(",expressway,140,", ",expressway,400,"), (",access,8,30", ",access,2,30")]}
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        net = pxnet.load_network(folder)
    messages = [str(w.message) for w in caught if issubclass(w.category, DataWarning)]
    assert any("road_px_cs" in m and "straight-line distance" in m and "3.8x" in m for m in messages)
    assert any("acc_px_pxn" in m and "shorter than the straight-line" in m for m in messages)
    assert len(net.warnings) == 2
