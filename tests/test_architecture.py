"""``docs/architecture.md`` matches the code: every room it names exists, every room is named, its rules hold.

The page is the map of the house. These tests read it and the source side by side, so a module added, moved
or removed without the page (or a rule the page states broken by the code) fails here by name.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import tomllib

import pxnet

pytestmark = pytest.mark.timeout(60)

PACKAGE = Path(pxnet.__file__).parent
ROOT = PACKAGE.parent
PAGE = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", PAGE + "\n## ", re.S | re.M)
    assert match, f"docs/architecture.md has no section {title!r}"
    return match.group(1)


def _layout_block() -> str:
    match = re.search(r"```\n(pxnet/\n.*?)```", _section("The layout"), re.S)
    assert match, "the layout section has no code block starting with pxnet/"
    return match.group(1)


def _sources() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if "_static" not in p.parts and "__pycache__" not in p.parts]


def test_the_layout_names_every_module_and_package():
    """Each top-level module and package of pxnet, and each private module inside a package, is on the page."""
    block = _layout_block()
    names = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", block))
    missing = []
    for path in _sources():
        rel = path.relative_to(PACKAGE)
        if rel.name in {"__init__.py", "__main__.py"}:
            if len(rel.parts) > 1 and rel.parts[-2] not in names:
                missing.append("/".join(rel.parts[:-1]) + "/")
            continue
        if rel.stem not in names:
            missing.append(str(rel))
    assert not missing, f"docs/architecture.md's layout does not name: {sorted(set(missing))}"


def test_every_module_the_layout_names_exists():
    """A private module named on the page (``_name``) is a module or package somewhere in pxnet."""
    modules = {p.stem for p in _sources()} | {p.parent.name for p in _sources()}
    named = set(re.findall(r"(?<![A-Za-z0-9._])(_[a-z][a-z0-9_]*)", _layout_block()))
    ghosts = sorted(n for n in named if n not in modules)
    assert not ghosts, f"docs/architecture.md names modules that do not exist: {ghosts}"


def test_the_layer_table_is_the_contract():
    """The page's layer table lists the layers of ``[tool.importlinter]`` in the same order, highest first."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    expected = [sorted(part.strip() for part in layer.split("|")) for layer in contract["layers"]]
    rows = re.findall(r"^\| ((?:`pxnet\.[a-z_]+`(?:, )?)+) \|", _section("Layers"), re.M)
    table = [sorted(re.findall(r"`(pxnet\.[a-z_]+)`", row)) for row in rows]
    assert table == expected


def _calls(path: Path, dotted: str) -> list[int]:
    owner, _, attr = dotted.rpartition(".")
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        func = node.func if isinstance(node, ast.Call) else None
        if (
            isinstance(func, ast.Attribute)
            and func.attr == attr
            and isinstance(func.value, ast.Name)
            and func.value.id == owner
        ):
            lines.append(node.lineno)
    return lines


def test_warnings_are_issued_through_errors_warn():
    """ "Warnings: ``pxnet.errors.warn``" — attributed to the user's line, never ``warnings.warn`` directly."""
    found = [
        f"{p.relative_to(ROOT)}:{line}"
        for p in _sources()
        if p.name != "errors.py"
        for line in _calls(p, "warnings.warn")
    ]
    assert not found, f"warnings.warn called outside pxnet.errors.warn: {found}"


def test_the_one_place_table_names_real_objects():
    """Each ``pxnet.x.y`` the "one place for each concept" table names can be imported and looked up."""
    import importlib

    section = _section("One place for each concept")
    dotted = sorted(set(re.findall(r"`(pxnet(?:\.[A-Za-z_][A-Za-z0-9_]*)+)", section)))
    assert dotted, "the table names no pxnet objects"
    missing = []
    for name in dotted:
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):
            try:
                obj: object = importlib.import_module(".".join(parts[:cut]))
            except ImportError:
                continue
            try:
                for attr in parts[cut:]:
                    obj = getattr(obj, attr)
            except AttributeError:
                missing.append(name)
            break
        else:
            missing.append(name)
    assert not missing, f"docs/architecture.md names objects that do not exist: {missing}"


def test_the_lint_rules_the_page_states_are_switched_on():
    """Each ruff rule the "Lint rules" section names (``PLR0913``, ``SLF001`` …) is selected for ``pxnet/``."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    lint = config["tool"]["ruff"]["lint"]
    named = set(re.findall(r"`([A-Z]+[0-9]*)`", _section("Lint rules"))) - {"D", "C90"}
    assert {"PLR0913", "SLF001"} <= named
    assert named <= set(lint["select"])
    assert lint["pylint"]["max-args"] == int(re.search(r"at most (\d+) parameters", _section("Lint rules")).group(1))
    assert lint["mccabe"]["max-complexity"] == int(re.search(r"at most (\d+)\)", _section("Lint rules")).group(1))
