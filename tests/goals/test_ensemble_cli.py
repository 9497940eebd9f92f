"""``pxnet ensemble`` on the bundled network: clean bounds, Sobol indices with --sobol, errors naming the argument."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pxnet.cli import main

GOAL = "hsr3h_guangzhou_station"


def test_sobol_run_prints_clean_bounds_and_writes_the_indices(tmp_path, capsys):
    out = tmp_path / "sobol.csv"
    argv = ["ensemble", "--goal", GOAL, "--years", "2030", "--draws", "4", "--workers", "1", "--sobol"]
    assert main([*argv, "--sensitivity-csv", str(out), "--summary-csv", str(tmp_path / "p.csv")]) == 0
    text = capsys.readouterr().out
    assert "Saltelli design: 56 input sets" in text  # 4 draws × (12 inputs + 2)
    assert "Sobol indices of the verdict" in text
    assert not re.search(r"\de-\d", text)  # no 3.469447e-18
    s = pd.read_csv(out)
    assert list(s.columns[:5]) == ["goal", "year", "factor", "S1", "S1_low"] and len(s) == 12
    p = pd.read_csv(tmp_path / "p.csv")
    assert p["low"].between(0, 1).all() and p["high"].between(0, 1).all()


def test_plain_run_prints_rank_correlations_with_their_noise_line(capsys):
    assert main(["ensemble", "--goal", GOAL, "--years", "2030", "--draws", "4", "--workers", "1"]) == 0
    text = capsys.readouterr().out
    assert "|ρ| < 1.00 is noise" in text and "--sobol" in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--workers", "-1"], "workers must be None, 'auto' or a whole number from 1 to 256, got -1"),
        (["--draws", "1000000000"], "draws must be a whole number from 1 to 100,000"),
        (["--seed", "-1"], "seed must be a non-negative whole number"),
        (["--years", "1800"], "years must be whole years from 2000 to 2100, got 1800"),
    ],
)
def test_out_of_range_arguments_are_pxnet_errors(argv, message, capsys):
    assert main(["ensemble", "--goal", GOAL, "--draws", "2", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_workers_must_be_a_number_or_auto(capsys):
    with pytest.raises(SystemExit):
        main(["ensemble", "--workers", "two"])
    assert "expected a whole number or 'auto', got 'two'" in capsys.readouterr().err
