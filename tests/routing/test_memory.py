"""Repeated analyses on one network hold steady memory (the router memo is bounded and owned by the network).

Measured with tracemalloc: after a first run (which fills the memos), further runs may not add more than a
stated tolerance. Before the one cache policy each repeated ``assess()`` kept 55-70 MB of routers alive.
"""

from __future__ import annotations

import gc
import tracemalloc
from collections.abc import Callable
from typing import Any

import pxnet

#: What a repetition may add to the memory traced after the warm-up run (allocator noise, interned names).
TOLERANCE_BYTES = 2_000_000


def _growth(run: Callable[[], Any], repeats: int = 3) -> list[int]:
    """Traced bytes after each of ``repeats`` runs, less the bytes after the first (warm-up) run."""
    gc.collect()
    tracemalloc.start()
    try:
        run()
        gc.collect()
        base = tracemalloc.get_traced_memory()[0]
        out = []
        for _ in range(repeats):
            run()
            gc.collect()
            out.append(tracemalloc.get_traced_memory()[0] - base)
    finally:
        tracemalloc.stop()
    return out


def test_repeated_assess_holds_steady_memory():
    net = pxnet.load_network()
    goals = [g.id for g in net.goals if g.type != "milestone"][:2]
    growth = _growth(lambda: pxnet.assess(goals, ["expected-2030"], network=net, flips=True))
    assert max(growth) < TOLERANCE_BYTES, growth


def test_repeated_compare_and_goal_sensitivity_hold_steady_memory():
    net = pxnet.load_network()
    goals = [g.id for g in net.goals if g.type == "travel_time"][:2]

    def run() -> None:
        pxnet.compare("as-built-2019", "expected-2030", network=net)
        pxnet.goal_sensitivity(goals, ["expected-2030"], network=net, parameters=["transfer_min", "dwell_min"])

    growth = _growth(run)
    assert max(growth) < TOLERANCE_BYTES, growth
