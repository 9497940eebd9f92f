"""The command line: summary, validate, times (table and JSON), export, and clean errors."""

from __future__ import annotations

import json

import pytest

from pxnet.cli import main


def test_summary_on_bundled_network(capsys):
    assert main(["summary"]) == 0
    out = capsys.readouterr().out
    assert "nodes:" in out and "scenarios:" in out and "plan-2025" in out


def test_validate_reports_problems_cleanly(make_folder, capsys):
    folder = make_folder(replace={"links.csv": [(",hsr,105,300,", ",hsr,-1,300,")]})
    assert main(["--data", str(folder), "validate"]) == 2
    err = capsys.readouterr().err
    assert "links.csv, line 3" in err and "'length_km'" in err and "Traceback" not in err


def test_times_table(folder, capsys):
    assert main(["--data", str(folder), "times", "--from", "萍乡", "--to", "长沙", "--scenario", "2020", "--legs"]) == 0
    out = capsys.readouterr().out
    assert "萍乡 → 长沙" in out and "as-built-2020" in out and "[G60]" in out  # driving beats rail here


def test_times_json(folder, capsys):
    args = [
        "--data",
        str(folder),
        "times",
        "--from",
        "萍乡北",
        "--to",
        "长沙南",
        "宜春",
        "--mode",
        "hsr",
        "--scenario",
        "2020",
        "--json",
    ]
    assert main(args) == 0
    data = json.loads(capsys.readouterr().out)
    assert [d["destination"] for d in data] == ["长沙南", "宜春"]
    first = data[0]
    assert first["mode"] == "hsr" and first["scenario"] == "as-built-2020"
    assert first["minutes"] == pytest.approx(sum(leg["minutes"] for leg in first["legs"]), abs=0.05)
    assert {"leg", "from", "to", "via", "km", "minutes"} <= set(first["legs"][0])


def test_times_unknown_place(folder, capsys):
    assert main(["--data", str(folder), "times", "--from", "萍乡南", "--to", "长沙"]) == 2
    assert "did you mean" in capsys.readouterr().err


def test_export(folder, tmp_path, capsys):
    out = tmp_path / "n.gpkg"
    assert main(["--data", str(folder), "export", "--out", str(out)]) == 0
    assert out.is_file()
    graphml = tmp_path / "g.graphml"
    assert main(["--data", str(folder), "export", "--scenario", "2020", "--mode", "hsr", "--out", str(graphml)]) == 0
    assert graphml.is_file()
    assert main(["--data", str(folder), "export", "--out", str(tmp_path / "x.csv")]) == 2


def test_assess_and_compare_write_reports(tmp_path, capsys):
    import warnings

    out = tmp_path / "report"
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # a missing CJK glyph would be a UserWarning
        assert main(["assess", "--scenario", "as-built-2019", "2026", "--no-flips", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "hsr3h_guangzhou_station" in text and "as-built-2026" in text
    report = (out / "report.md").read_text(encoding="utf-8")
    assert report.startswith("# 萍乡对接粤港澳大湾区") and "![status](figures/status.png)" in report
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "<img src='figures/gba_travel_times.png'" in html
    for figure in ("status.png", "gba_travel_times.png"):
        assert (out / "figures" / figure).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    doc = json.loads((out / "assessment.json").read_text(encoding="utf-8"))
    assert {r["scenario"] for r in doc["results"]} == {"as-built-2019", "as-built-2026"}
    cmp_out = tmp_path / "cmp"
    assert main(["compare", "as-built-2019", "expected-2030", "--origins", "萍乡", "莲花", "--out", str(cmp_out)]) == 0
    assert "Winners" in capsys.readouterr().out
    assert (cmp_out / "od.csv").is_file() and (cmp_out / "watt_change.png").is_file()


def test_assess_json(capsys):
    assert main(["assess", "--goal", "pinglian_open_2021", "--scenario", "2022", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["results"][0]["status"] == "met" and doc["results"][0]["unit"] == "days"


def test_check_times(capsys):
    assert main(["check-times"]) == 0
    out = capsys.readouterr().out
    assert "csn_szb_fastest" in out and "median model ÷ observed" in out


def test_assess_announces_each_stage_from_the_first_second(capsys, caplog):
    """Piped (as under pytest), each stage is one stderr line with its seconds; the `pxnet` logger gets it too."""
    import logging

    with caplog.at_level(logging.INFO, logger="pxnet"):
        assert main(["assess", "--goal", "pinglian_open_2021", "--scenario", "as-built-2022", "--no-flips"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("pxnet assess: 0 s: reading the data")
    assert any(line.endswith("assessing the goals") for line in err)
    assert [r.getMessage() for r in caplog.records if r.name == "pxnet"][:2] == [
        "assess: reading the data",
        "assess: assessing the goals",
    ]
