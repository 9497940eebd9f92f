"""The main job, ``pxnet assess --sensitivity --out DIR``: CPU seconds, the map base layer's share, and a profile.

Run: ``.venv/bin/python benchmarks/bench_main.py [--repeat 1] [--no-profile] [--top 25]``

Each run is a fresh interpreter, as a planner's command is (imports, the bundled network and every memo are
paid for inside the run). Two cases, alternated ``--repeat`` times, best CPU seconds (the child's user + system
time):

- pxnet: the job as it is;
- full-resolution base layer: the same job with the map base layer drawn as before, kept below as the
  baseline: every boundary at full resolution through ``GeoSeries.plot`` (which also re-renders the figure
  after each layer).

Then one profiled run of the job prints where the time goes (cumulative seconds of the heaviest calls; the
profiler adds its own overhead, so the shares matter, not the sum). Target: under 8 s CPU.
"""

from __future__ import annotations

import argparse
import os
import platform
import pstats
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

JOB = """
import sys, warnings
warnings.simplefilter("ignore")
from pxnet.cli import main
sys.exit(main(["assess", "--sensitivity", "--out", sys.argv[1]]))
"""

# The previous base layer: full-resolution frames from load_boundaries/load_coast, drawn with GeoSeries.plot.
PREVIOUS_BASE_LAYER = """
import pxnet.plot._boundaries as b

def previous(ax, crs, *, sea, land, coast, lines):
    frame = b.load_coast()
    if frame is None:
        return False
    ax.set_facecolor(sea)
    projected = frame.to_crs(crs).geometry
    projected.plot(ax=ax, facecolor=land, edgecolor="none", zorder=0.05)
    projected.boundary.plot(ax=ax, color=coast[0], linewidth=coast[1], zorder=0.45)
    for z, (level, (color, width)) in enumerate(lines.items()):
        levels = b.load_boundaries(level=level)
        if levels is not None:
            levels.to_crs(crs).geometry.boundary.plot(ax=ax, color=color, linewidth=width, zorder=0.2 + 0.05 * z)
    return True

b.draw_base_layer = previous
"""

PROFILED = """
import cProfile, sys
cProfile.run({job!r}, sys.argv[2])
"""


def run(code: str, *args: str) -> float:
    """CPU seconds (user + system) of ``code`` in a fresh interpreter."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MPLBACKEND": "Agg"}
    subprocess.run([sys.executable, "-c", code, *args], env=env, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}")
    best = {"pxnet": float("inf"), "full-resolution base layer": float("inf")}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.repeat):
            best["pxnet"] = min(best["pxnet"], run(JOB, f"{tmp}/a{i}"))
            previous = PREVIOUS_BASE_LAYER + JOB
            best["full-resolution base layer"] = min(best["full-resolution base layer"], run(previous, f"{tmp}/b{i}"))
        print(f"`pxnet assess --sensitivity --out DIR`, fresh interpreter, best of {args.repeat}")
        print("| case | CPU s | / pxnet |")
        print("|---|---|---|")
        for label, seconds in best.items():
            print(f"| {label} | {seconds:.2f} | {seconds / best['pxnet']:.2f} |")
        if args.no_profile:
            return
        prof = f"{tmp}/main.prof"
        run(PROFILED.format(job=JOB), f"{tmp}/p", prof)
        stats = pstats.Stats(prof)
        total = max(v[3] for v in stats.stats.values())  # type: ignore[attr-defined]
        print(f"\nwhere the time goes (profiled run, {total:.1f} s under the profiler): cumulative s, share")
        rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][3])  # type: ignore[attr-defined]
        shown = 0
        for (file, line, name), (_, _, _, cum, _) in rows:
            if "pxnet" not in file or name.startswith("<"):
                continue
            where = file[file.rindex("pxnet") :]
            print(f"  {cum:7.2f} s  {cum / total:5.1%}  {where}:{line} {name}")
            shown += 1
            if shown >= args.top:
                break


if __name__ == "__main__":
    main()
