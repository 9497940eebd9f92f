"""``pxnet.assess()``: CPU seconds of a first and a repeated call, against the same calls without timetable sharing.

Run: ``.venv/bin/python benchmarks/bench_assess.py [--repeat 3]``

Timed in this one process (``time.process_time``), each case on its own freshly loaded network:

- pxnet: scenarios with the same rail supply key (``pxnet.routing.timetable._supply_key``) share one scenario
  timetable, found from their definition alone, and a scenario keeps its travel-time goals' timetable figures;
- baseline: the same code with both switched off, so every project flip (a new scenario) works out its own
  rail supply (vintage, network changes, modelled trips) before finding that its trips equal its parent's,
  and a repeated call reads the timetable figures again (what pxnet did before).

Printed: the first call (cold: imports aside, every router and profile is made), the best of ``--repeat``
repeated calls (warm), and a repeated call without flips; the ratio baseline / pxnet. The two must give the same
verdicts, values, margins and reasons. Target (issue 30): a repeated ``assess()`` under 1.5 s CPU.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pxnet
from pxnet.goals import _timetable as goal_timetable
from pxnet.routing.timetable import _timetable as scenario_timetables


def cpu(fn: Callable[[], Any]) -> tuple[float, Any]:
    """CPU seconds of one call, and its result."""
    t0 = time.process_time()
    out = fn()
    return time.process_time() - t0, out


@contextmanager
def without_sharing() -> Iterator[None]:
    """Switch off the rail supply key (every scenario its own key) and the timetable figures' memo."""
    fresh = itertools.count()
    with (
        mock.patch.object(scenario_timetables, "rail_supply_key", lambda sc: ("own", next(fresh))),
        mock.patch.object(goal_timetable, "timetable_summary", goal_timetable._summary),
    ):
        yield


def rows(a: pxnet.Assessment) -> list[tuple[Any, ...]]:
    """What must not change: each result's status, value, margin, reason and flips."""
    return [(r.goal.id, r.scenario, r.status, r.value, r.margin, r.reason, tuple(r.flips)) for r in a.results]


def run(repeat: int) -> dict[str, Any]:
    """Time a first call, repeated calls and a repeated call without flips on a fresh network."""
    net = pxnet.load_network()
    first, result = cpu(lambda: pxnet.assess(network=net))
    warm = min(cpu(lambda: pxnet.assess(network=net))[0] for _ in range(repeat))
    no_flips = min(cpu(lambda: pxnet.assess(network=net, flips=False))[0] for _ in range(repeat))
    return {"first": first, "warm": warm, "no flips": no_flips, "rows": rows(result)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="repeated calls timed (best kept)")
    args = parser.parse_args()
    print(
        f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores; "
        f"load average {os.getloadavg()[0]:.1f}; CPU seconds (time.process_time)"
    )
    pxnet.assess(["pinglian_open_2021"], ["as-built-2019"], flips=False)  # imports and the bundled feed
    with without_sharing():
        base = run(args.repeat)
    fast = run(args.repeat)
    if base["rows"] != fast["rows"]:
        raise SystemExit("the assessments differ: sharing changed a result")
    print(f"{'case':<32}{'baseline s':>12}{'pxnet s':>10}{'ratio':>8}")
    for case in ("first", "warm", "no flips"):
        print(f"{'assess() ' + case:<32}{base[case]:>12.2f}{fast[case]:>10.2f}{base[case] / fast[case]:>8.2f}")
    print(f"same verdicts, values, margins, reasons and flips: {len(fast['rows'])} goal × scenario results")
    print(f"target: a repeated assess() under 1.5 s CPU: {'met' if fast['warm'] < 1.5 else 'not met'}")


if __name__ == "__main__":
    main()
