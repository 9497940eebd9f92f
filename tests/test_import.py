"""``import pxnet`` stays light: the heavy libraries and subpackages load when first used, not at import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Libraries that ``import pxnet`` must not load (each costs 0.05–0.5 s, and numba far more on first use).
HEAVY = ("networkx", "shapely", "scipy", "numba", "geopandas", "matplotlib", "osmnx", "folium")


def _run(code: str) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter with this checkout first on the path; return its JSON output."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True, timeout=120
    )
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_import_pxnet_loads_no_heavy_library() -> None:
    """A fresh ``import pxnet`` leaves networkx, shapely, scipy, numba and the plotting stack unloaded."""
    loaded = _run(
        "import json, sys, pxnet; "
        f"print(json.dumps({{'loaded': [m for m in {HEAVY!r} if m in sys.modules], "
        "'subpackages': sorted(m for m in ('pxnet.plot', 'pxnet.osm', 'pxnet.report', 'pxnet.cli') "
        "if m in sys.modules)}))"
    )
    assert loaded == {"loaded": [], "subpackages": []}


def test_lazy_names_load_on_first_use() -> None:
    """``pxnet.plot`` and ``pxnet.isochrones`` work straight after ``import pxnet``, without their own import.

    The first access loads the subpackage and binds it, so later accesses are plain attribute lookups returning
    the same objects as a direct import.
    """
    result = _run(
        "import json, sys, pxnet; "
        "plot = pxnet.plot; import pxnet.plot as direct; "
        "from pxnet.routing._isochrones import isochrones as iso; "
        "print(json.dumps({'same_plot': plot is direct, 'has_map': callable(plot.plot_network), "
        "'same_iso': pxnet.isochrones is iso, "
        "'osm': pxnet.osm.snap.__module__, 'in_dir': {'plot', 'osm', 'isochrones'} <= set(dir(pxnet))}))"
    )
    assert result == {
        "same_plot": True,
        "has_map": True,
        "same_iso": True,
        "osm": "pxnet.osm._snap",
        "in_dir": True,
    }


def test_unknown_attribute_still_raises() -> None:
    """A misspelt name is an AttributeError naming it, not a silent import attempt."""
    import pxnet

    with pytest.raises(AttributeError, match="plott"):
        _ = pxnet.plott  # type: ignore[attr-defined]
