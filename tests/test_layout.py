"""The package layout: layer contracts, no private imports across packages, old module paths still work."""

from __future__ import annotations

import ast
import importlib
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

import pxnet
from pxnet import _compat

PACKAGE = Path(pxnet.__file__).parent
ROOT = PACKAGE.parent


def _lint_imports(cwd: Path, pythonpath: Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("lint-imports")
    env = {"PYTHONPATH": str(pythonpath), "PATH": "/usr/bin:/bin"}
    return subprocess.run([str(exe)], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def test_layer_contracts_hold():
    result = _lint_imports(ROOT, ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_layer_contracts_catch_a_back_import(tmp_path):
    shutil.copytree(PACKAGE, tmp_path / "pxnet", ignore=shutil.ignore_patterns("__pycache__", "_bundled"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    errors = tmp_path / "pxnet" / "network.py"
    errors.write_text(errors.read_text() + "\nfrom .goals import assess as _back_import  # noqa\n")
    result = _lint_imports(tmp_path, tmp_path)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout and "pxnet.network -> pxnet.goals" in result.stdout


def _package_of(module: str, is_init: bool) -> str:
    return module if is_init else module.rpartition(".")[0]


def _private_imports_across_packages() -> list[str]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).with_suffix("")
        is_init = rel.name == "__init__"
        module = ".".join(rel.parent.parts if is_init else rel.parts)
        package = _package_of(module, is_init)
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("pxnet"):
                continue
            names = [target + "." + a.name for a in node.names] if node.module is None else [target]
            names += [f"{target}.{a.name}" for a in node.names if a.name.startswith("_") and node.module]
            for full in names:
                parts = full.split(".")
                for i, part in enumerate(parts):
                    if part.startswith("_") and not part.startswith("__"):
                        owner = ".".join(parts[:i])
                        if owner != package and not package.startswith(owner + "."):
                            found.append(f"{module} imports {full}")
                        break
    return found


def test_no_private_import_across_packages():
    assert _private_imports_across_packages() == []


@pytest.mark.parametrize("old", sorted(_compat.MOVED))
def test_old_module_paths_warn_and_forward(old):
    module = importlib.import_module(old)
    new = importlib.import_module(_compat.MOVED[old])
    public = [n for n in dir(new) if not n.startswith("_")]
    assert public, new
    with pytest.warns(DeprecationWarning, match=old.replace(".", r"\.")):
        value = getattr(module, public[0])
    assert value is getattr(new, public[0])


def test_old_path_import_keeps_package_functions():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from pxnet.isochrones import isochrones  # noqa: F401
    import pxnet.isochrones

    assert callable(pxnet.isochrones) and pxnet.isochrones is pxnet.routing.isochrones


def test_the_layer_contract_has_no_exemptions():
    """Every layer rule holds as written: no import is let through (pyproject.toml's import-linter contract)."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    assert all(not c.get("ignore_imports") for c in config["contracts"])


def test_vocabulary_is_imported_by_its_name():
    """One name for one concept: the data files' words are ``vocabulary``, never aliased (e.g. as ``schema``)."""
    aliased = [
        str(p.relative_to(ROOT)) for p in sorted(PACKAGE.rglob("*.py")) if "import vocabulary as " in p.read_text()
    ]
    assert aliased == []


def test_no_module_imports_the_package_root_and_goals_have_no_cycle():
    """The public face gathers the API; no pxnet module imports from it. In ``goals``, assessing and robustness
    both read ``_select`` instead of each other."""
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path == PACKAGE / "__init__.py":
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module is None and node.level >= 1:
                depth = len(path.relative_to(PACKAGE).parts) - (1 if path.name != "__init__.py" else 2)
                if node.level > depth and any(a.name == "__version__" for a in node.names):
                    offenders.append(str(path.relative_to(ROOT)))
            if isinstance(node, ast.ImportFrom) and node.module == "pxnet":
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
    robustness = (PACKAGE / "goals" / "_robustness.py").read_text()
    assert "from ._assess import" not in robustness
