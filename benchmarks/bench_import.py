"""``import pxnet``: CPU seconds in fresh interpreters, against the libraries it cannot avoid.

Run: ``.venv/bin/python benchmarks/bench_import.py [--repeat 5]``

Each case runs in a new interpreter (imports are cached per process), alternating so that load on a shared
machine hits every case alike; the figure is the best of ``--repeat`` runs of CPU time spent in the import
statement. Cases:

- ``pxnet``: ``import pxnet`` (target: under 0.6 s, with networkx, shapely, scipy and numba not loaded);
- ``floor``: ``import numpy, pandas, yaml``, the libraries the data layer needs at once (the baseline);
- ``eager``: ``import pxnet`` plus what it used to load with it (isochrones: networkx and shapely; the routing
  engine: scipy), i.e. the cost without lazy loading.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("networkx", "shapely", "scipy", "numba", "geopandas", "matplotlib")
CASES = {
    "pxnet": "import pxnet",
    "floor": "import numpy, pandas, yaml",
    "eager": "import pxnet, pxnet.routing._isochrones, scipy.sparse.csgraph",
}


def cpu_of(statement: str) -> tuple[float, list[str]]:
    """CPU seconds of ``statement`` in a fresh interpreter, and which heavy libraries it left loaded."""
    code = (
        "import time, sys, json\n"
        "t = time.process_time()\n"
        f"{statement}\n"
        "t = time.process_time() - t\n"
        f"print(json.dumps([t, [m for m in {HEAVY!r} if m in sys.modules]]))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    seconds, loaded = json.loads(out.stdout.strip().splitlines()[-1])
    return float(seconds), list(loaded)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    best = dict.fromkeys(CASES, float("inf"))
    loaded: dict[str, list[str]] = {}
    for _ in range(args.repeat):
        for name, statement in CASES.items():
            seconds, libs = cpu_of(statement)
            best[name] = min(best[name], seconds)
            loaded[name] = libs
    print(f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}")
    print(f"best of {args.repeat} fresh interpreters, CPU seconds of the import statement")
    print("| case | CPU s | / floor | heavy libraries loaded |")
    print("|---|---|---|---|")
    for name in CASES:
        libs = ", ".join(loaded[name]) or "none"
        print(f"| {name}: `{CASES[name]}` | {best[name]:.3f} | {best[name] / best['floor']:.2f} | {libs} |")
    print(f"eager / pxnet: {best['eager'] / best['pxnet']:.2f}× (what lazy loading saves)")


if __name__ == "__main__":
    main()
