"""Ensemble benchmark: draws per second on 1 and 2 local workers and on a 2-worker Dask LocalCluster.

Run: ``.venv/bin/python benchmarks/bench_ensemble.py [--draws N] [--years 2025 2028 2030 2035]``

Every run evaluates every non-milestone goal in each year for each draw, on the bundled data. The baseline is
one worker in this process, timed in the same run; the ratios are against it. Pool and cluster start-up are
timed apart from the draws (``start`` column) so the rate is that of the draws. From the measured per-draw cost
the script projects the 10,000-draw run and a 64-worker cluster (assuming the per-draw cost stays and the
scheduler keeps up; stated as a projection, not a measurement).
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import pxnet
from pxnet.goals import ensemble


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=16)
    parser.add_argument("--years", type=int, nargs="+", default=[2025, 2028, 2030, 2035])
    args = parser.parse_args()
    net = pxnet.load_network()
    goals = [g.id for g in net.goals if g.type != "milestone"]
    print(f"python {platform.python_version()}, {os.cpu_count()} CPUs (shared with other processes)")
    print(f"{args.draws} draws x {len(goals)} goals x {len(args.years)} years per run\n")
    kw = {"goals": goals, "years": args.years, "draws": args.draws, "seed": 0, "network": net}
    ensemble(**{**kw, "draws": 1}, workers=1)  # warm the base scenarios once
    rows = []

    t0 = time.perf_counter()
    one = ensemble(**kw, workers=1)
    rows.append(("local, 1 worker (in process)", 0.0, time.perf_counter() - t0, one))

    t0 = time.perf_counter()
    two = ensemble(**kw, workers=2, batch_size=max(1, args.draws // 8))
    rows.append(("local, 2 worker processes", 0.0, time.perf_counter() - t0, two))

    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("dask.distributed not installed: pip install 'pxnet[dask]' for the Dask rows")
    else:
        t0 = time.perf_counter()
        with (
            LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster,
            Client(cluster) as client,
        ):
            start = time.perf_counter() - t0
            t1 = time.perf_counter()
            dask = ensemble(**kw, engine=client, batch_size=max(1, args.draws // 8))
            rows.append(("dask LocalCluster, 2 workers", start, time.perf_counter() - t1, dask))

    base = rows[0][2]
    print(f"{'engine':<32}{'start s':>9}{'run s':>9}{'draws/s':>9}{'x 1 worker':>12}  same results")
    for name, start, seconds, result in rows:
        same = result.results.equals(one.results)
        print(f"{name:<32}{start:9.1f}{seconds:9.1f}{args.draws / seconds:9.2f}{base / seconds:12.2f}  {same}")

    per_draw = base / args.draws
    evaluations = len(goals) * len(args.years)
    print(f"\nper draw (1 worker): {per_draw:.2f} s = {per_draw / evaluations * 1000:.0f} ms per goal-year")
    best = min(seconds for _, _, seconds, _ in rows[1:]) if len(rows) > 1 else base
    print("projection from these measurements (not measured):")
    print(f"  10,000 draws here, best 2-worker rate: {10_000 * best / args.draws / 60:.0f} min (target: 5 min)")
    print(f"  10,000 draws on 64 workers at the 1-worker cost: {10_000 * per_draw / 64 / 60:.1f} min")


if __name__ == "__main__":
    main()
