"""One place for each concept: "did you mean", progress and warnings each have one implementation.

The rules read pxnet's source as text and syntax trees (docstrings and comments do not count), so a second
implementation fails here, naming its file.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.timeout(60)

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "pxnet"


def _modules() -> list[tuple[str, ast.Module]]:
    return [(str(p.relative_to(ROOT)), ast.parse(p.read_text(encoding="utf-8"))) for p in sorted(PACKAGE.rglob("*.py"))]


def _importers(top: str) -> set[str]:
    """The files that import the package ``top`` (``import top``, ``import top.x``, ``from top[.x] import …``)."""
    found = set()
    for name, tree in _modules():
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            if any(n == top or n.startswith(f"{top}.") for n in names):
                found.add(name)
    return found


def _docstrings(tree: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def _writers_of(text: str) -> set[str]:
    """The files whose code (not docstrings) holds a string with ``text``."""
    found = set()
    for name, tree in _modules():
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            string = isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
            if string and text in node.value.lower():
                found.add(name)
    return found


def test_the_rules_see_a_second_implementation(tmp_path, monkeypatch):
    """The readers above find what they look for: a module importing difflib and wording its own hint."""
    fake = tmp_path / "pxnet"
    fake.mkdir()
    (fake / "stray.py").write_text(
        '"""Did you mean, in a docstring, does not count."""\nimport difflib\nHINT = " (did you mean {x}?)"\n',
        encoding="utf-8",
    )
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    monkeypatch.setitem(globals(), "PACKAGE", fake)
    assert _importers("difflib") == {"pxnet/stray.py"}
    assert _writers_of("did you mean") == {"pxnet/stray.py"}
    (fake / "stray.py").write_text('"""Did you mean: only a docstring."""\n', encoding="utf-8")
    assert _writers_of("did you mean") == set()


def test_one_did_you_mean_ranking():
    """Near names are ranked in one place: ``vocabulary.close_matches``; nothing else imports difflib."""
    assert _importers("difflib") == {"pxnet/vocabulary.py"}


def test_one_did_you_mean_wording():
    """The hint is worded in one place: ``vocabulary.did_you_mean``."""
    assert _writers_of("did you mean") == {"pxnet/vocabulary.py"}


def test_one_progress_implementation():
    """Bars and stage lines are drawn in one place, ``pxnet/_progress.py``; nothing else imports tqdm."""
    assert _importers("tqdm") == {"pxnet/_progress.py"}


def test_warnings_go_through_errors_warn():
    """Only ``pxnet.errors.warn`` calls ``warnings.warn`` (it finds the user's frame for every warning)."""
    callers = set()
    for name, tree in _modules():
        for node in ast.walk(tree):
            direct = (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "warn"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "warnings"
            )
            imported = (
                isinstance(node, ast.ImportFrom)
                and node.module == "warnings"
                and "warn" in {a.name for a in node.names}
            )
            if direct or imported:
                callers.add(name)
    assert callers == {"pxnet/errors.py"}
