"""Static checks of the example notebooks (running them is nbmake's job: ``pytest --nbmake notebooks/``).

Every notebook is stored without outputs, runs on the ``python3`` kernel, and ends with an ``assert`` about its
result, so that a silent break fails the test run.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _code_cells(nb: dict) -> list[str]:
    cells = [c["source"] for c in nb["cells"] if c["cell_type"] == "code"]
    return ["".join(s) if isinstance(s, list) else s for s in cells]


def test_there_are_notebooks() -> None:
    assert len(NOTEBOOKS) >= 5, "expected the example notebooks in notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path: Path) -> None:
    nb = _load(path)
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{path.name}: cell {i} has outputs; clear them before committing"
            assert cell.get("execution_count") is None, f"{path.name}: cell {i} has an execution count"
    assert '"output_type"' not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_kernel_and_format(path: Path) -> None:
    nb = _load(path)
    assert nb["nbformat"] == 4
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_ends_with_an_assertion(path: Path) -> None:
    cells = _code_cells(_load(path))
    assert cells, f"{path.name} has no code"
    last = ast.parse(cells[-1])
    assert any(isinstance(node, ast.Assert) for node in ast.walk(last)), f"{path.name}: last code cell asserts nothing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_parses_and_stays_offline(path: Path) -> None:
    for i, source in enumerate(_code_cells(_load(path))):
        tree = ast.parse(source, filename=f"{path.name}[{i}]")
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "download":
                assert not (isinstance(node.value, ast.Constant) and node.value.value), f"{path.name}: downloads"
