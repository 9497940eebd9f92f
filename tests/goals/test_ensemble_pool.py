"""The ensemble's engines: a pool that works however a script runs, never waits on a dead worker, and a Dask path
that retries lost batches. Scripts run in subprocesses with a time limit, so a hang fails instead of blocking."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

import pxnet
from pxnet.errors import AnalysisError
from pxnet.goals import _ensemble_pool as pool
from pxnet.goals import ensemble

ROOT = Path(__file__).resolve().parents[2]
GOAL = "hsr3h_guangzhou_station"
# One goal, one year and one input keep every draw cheap; the pool is what is tested here.
SCRIPT = textwrap.dedent(
    f"""
    import pxnet
    e = pxnet.ensemble([{GOAL!r}], [2030], draws=4, seed=1, workers=2, inputs=["dwell_min"])
    print("draws", int(e.p_met()["draws"].iloc[0]), "workers", e.workers)
    """
)


@pytest.fixture(scope="module")
def net():
    return pxnet.load_network()


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("PXNET_PROGRESS", None)
    return env


def test_scripts_without_a_main_guard_and_from_stdin_run_on_the_pool(tmp_path):
    """Before the loky pool, a spawned worker re-ran an unguarded script (an error), and a script read from
    standard input hung for ever. Both run here side by side, with a time limit."""
    script = tmp_path / "no_guard.py"
    script.write_text(SCRIPT, encoding="utf-8")
    runs = {
        "file": subprocess.Popen(
            [sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=_env(), text=True
        ),
        "stdin": subprocess.Popen(
            [sys.executable, "-"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(),
            text=True,
        ),
    }
    outputs = {}
    for name, proc in runs.items():
        try:
            outputs[name] = proc.communicate(SCRIPT if name == "stdin" else None, timeout=200)
        except subprocess.TimeoutExpired:
            for p in runs.values():
                p.kill()
            pytest.fail(f"the {name} script hung")
        assert proc.returncode == 0, outputs[name][1]
        assert "draws 4 workers 2" in outputs[name][0]
        # Piped stderr: no progress bar, and no traceback.
        assert "draw/s" not in outputs[name][1] and "Traceback" not in outputs[name][1]


def test_a_killed_worker_is_replaced_not_waited_for(net):
    kw = {"draws": 12, "seed": 5, "network": net, "batch_size": 1, "inputs": ["dwell_min"], "progress": False}
    one = ensemble([GOAL], [2030], workers=1, **kw)
    killed: list[int] = []

    def kill_a_worker(_: int) -> None:
        # After the first batch, while others are in flight: kill one worker of the pool outright.
        if not killed:
            pid = next(iter(pool._executor(2)._processes))
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    two = ensemble([GOAL], [2030], workers=2, **{**kw, "progress": kill_a_worker})
    assert killed
    pd.testing.assert_frame_equal(one.results, two.results)


def test_a_worker_that_always_dies_ends_in_a_clear_error():
    finished = []
    with pytest.raises(AnalysisError, match="worker process of the ensemble's pool died 3 times"):
        pool.map_batches(os._exit, {0: (3,)}, 2, lambda n, rows: finished.append(n))
    assert not finished


def test_the_pool_persists_between_ensembles(net):
    kw = {"draws": 4, "seed": 1, "network": net, "workers": 2, "inputs": ["dwell_min"], "progress": False}
    ensemble([GOAL], [2030], **kw)
    before = set(pool._executor(2)._processes)
    ensemble([GOAL], [2030], **kw)
    assert set(pool._executor(2)._processes) == before  # the same worker processes: no new start-up


class _Lost(Exception):
    pass


class _FlakyFuture:
    def __init__(self, client, fn, args):
        self.client, self.fn, self.args = client, fn, args

    def result(self):
        batch = self.args[-1]
        if self.client.lose(batch.number):
            from distributed.client import FutureCancelledError

            raise FutureCancelledError(f"batch-{batch.number}", "lost dependencies")
        return self.fn(*self.args)


class _FlakyClient:
    """A stand-in for a dask.distributed.Client whose futures lose their dependencies: each even batch fails
    ``losses`` times, as a future does when the worker holding the scattered network leaves the cluster."""

    def __init__(self, losses):
        self.losses, self.lost, self.scattered = losses, {}, 0

    def scheduler_info(self):
        return {"workers": {"a": {}, "b": {}}}

    def scatter(self, data, broadcast=False):
        self.scattered += 1
        return data

    def submit(self, fn, *args, pure=True):
        return _FlakyFuture(self, fn, args)

    def lose(self, number):
        if number % 2 or self.lost.get(number, 0) >= self.losses:
            return False
        self.lost[number] = self.lost.get(number, 0) + 1
        return True


def test_dask_lost_dependencies_are_retried_with_identical_results(net):
    pytest.importorskip("distributed")
    kw = {"draws": 6, "seed": 2, "network": net, "batch_size": 2, "inputs": ["dwell_min"], "progress": False}
    local = ensemble([GOAL], [2030], workers=1, **kw)
    client = _FlakyClient(losses=1)
    remote = ensemble([GOAL], [2030], engine=client, **kw)
    assert remote.engine == "dask" and client.lost == {0: 1, 2: 1}
    assert client.scattered == 1 + 2  # once, then again for each retry
    pd.testing.assert_frame_equal(local.results, remote.results)
    with pytest.raises(AnalysisError, match="lost batch 0 of the ensemble 3 times"):
        ensemble([GOAL], [2030], engine=_FlakyClient(losses=5), **kw)


def test_the_progress_bar_counts_draws_when_shown_and_is_silent_otherwise(net, capsys):
    kw = {"draws": 3, "seed": 1, "network": net, "workers": 1, "inputs": ["dwell_min"]}
    ensemble([GOAL], [2030], progress=True, **kw)
    assert "3/3" in capsys.readouterr().err
    ensemble([GOAL], [2030], progress=False, **kw)
    assert capsys.readouterr().err == ""
    counted = []
    ensemble([GOAL], [2030], progress=counted.append, **{**kw, "batch_size": 1})
    assert counted == [1, 1, 1]


def test_an_error_in_a_worker_reaches_the_caller_and_leaves_the_pool_usable(net):
    with pytest.raises(ValueError, match="invalid literal"):
        pool.map_batches(int, {0: ("not a number",)}, 2, lambda n, rows: None)
    e = ensemble([GOAL], [2030], draws=2, seed=1, network=net, workers=2, inputs=["dwell_min"], progress=False)
    assert e.workers == 2


def test_without_joblib_the_ensemble_runs_here_with_a_warning(net, monkeypatch):
    monkeypatch.setitem(sys.modules, "joblib.externals.loky", None)  # makes the import fail
    with pytest.warns(RuntimeWarning, match="runs in this process") as caught:
        e = ensemble([GOAL], [2030], draws=2, seed=1, network=net, workers=2, inputs=["dwell_min"], progress=False)
    assert e.workers == 1
    assert caught[0].filename == __file__  # the warning points at the caller's line, not into pxnet


def test_with_a_timetable_in_the_folder_years_do_not_share_measurements(net):
    """The bundled folder ships a timetable, whose vintage and weekday the scenario's date chooses: two years with
    the same network must not share a measurement, while the same year and network do."""
    from pxnet.goals._ensemble_draws import state_key, year_scenario

    assert (net.folder / "timetable" / "trips.txt").is_file()
    a, b = year_scenario(net, 2034), year_scenario(net, 2035)
    assert a.open_projects == b.open_projects and a.links.index.equals(b.links.index)
    assert state_key(a) != state_key(b)
    assert state_key(a) == state_key(a.derive(name="same", enable=sorted(a.open_projects)))
