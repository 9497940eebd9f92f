"""Sensitivity and assessment benchmark: with pxnet's memos (shared routers, service paths) and without them.

Run: ``.venv/bin/python benchmarks/bench_sensitivity.py``

The baseline is the same analysis with every memo of :mod:`pxnet._cache` switched off (each scenario and
parameter variant prepares its inputs and compiles its own routers), timed in the same process.
"""

from __future__ import annotations

import platform
import time
from collections.abc import Callable
from typing import Any
from unittest import mock

import pxnet
from pxnet import _cache


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def no_memo(self: _cache.Memo, key: Any, make: Callable[[], Any]) -> Any:
    """``Memo.get`` that remembers nothing."""
    return make()


def main() -> None:
    net = pxnet.load_network()
    print(f"python {platform.python_version()}, {platform.machine()}; data {net.data_date}")
    with mock.patch.object(_cache.Memo, "get", no_memo):
        base_s, base = timed(lambda: pxnet.goal_sensitivity(network=pxnet.load_network()))
        base_a, _ = timed(lambda: pxnet.assess(network=pxnet.load_network()))
    fresh = pxnet.load_network()
    fast_s, fast = timed(lambda: pxnet.goal_sensitivity(network=fresh))
    first_a, _ = timed(lambda: pxnet.assess(network=fresh))
    again_a, _ = timed(lambda: pxnet.assess(network=fresh))
    assert base.equals(fast), "sharing changed the results"
    print(f"goal_sensitivity, {len(fast)} goal × scenario × parameter rows")
    print(f"  without memos: {base_s:6.2f} s")
    print(f"  pxnet:         {fast_s:6.2f} s   ({base_s / fast_s:.2f}× faster)")
    print("assess() with flips")
    print(f"  without memos: {base_a:6.2f} s")
    print(f"  pxnet, first:  {first_a:6.2f} s   ({base_a / first_a:.2f}× faster)")
    print(f"  pxnet, again:  {again_a:6.2f} s   ({base_a / again_a:.2f}× faster)")


if __name__ == "__main__":
    main()
