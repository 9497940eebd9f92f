"""Sensitivity benchmark: every goal verdict over every parameter range, with and without shared routers.

Run: ``.venv/bin/python benchmarks/bench_sensitivity.py``

The baseline is the same analysis with router sharing switched off (each parameter variant compiles its own
routers and recomputes its links and service paths), timed in the same process.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable
from typing import Any
from unittest import mock

import pxnet
from pxnet import scenario
from pxnet.routing import _router as router


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def unshared_derive(self: scenario.Scenario, **changes: Any) -> scenario.Scenario:
    """``Scenario.derive`` without handing the parent's links and service paths to the variant."""
    derived = ORIGINAL_DERIVE(self, **changes)
    for cached in ("open_projects", "links", "service_segments", "link_rows", "segment_runs"):
        derived.__dict__.pop(cached, None)
    return derived


ORIGINAL_DERIVE = scenario.Scenario.derive


def main() -> None:
    net = pxnet.load_network()
    print(f"python {platform.python_version()}, {platform.machine()}; data {net.data_date}")
    with mock.patch.object(router, "_SHARED_SIZE", 0), mock.patch.object(scenario.Scenario, "derive", unshared_derive):
        router._SHARED.clear()
        base_s, base = timed(lambda: pxnet.goal_sensitivity(network=pxnet.load_network()))
    router._SHARED.clear()
    fast_s, fast = timed(lambda: pxnet.goal_sensitivity(network=pxnet.load_network()))
    assert base.equals(fast), "sharing changed the results"
    rows = len(fast)
    print(f"goal_sensitivity, {rows} goal × scenario × parameter rows")
    print(f"  without sharing: {base_s:6.2f} s")
    print(f"  pxnet:           {fast_s:6.2f} s   ({base_s / fast_s:.2f}× faster)")


if __name__ == "__main__":
    main()
