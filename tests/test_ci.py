"""The test suite's own guards: a time limit on every test, and a CI log that names each phase of ``scripts/test``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_test_has_a_time_limit_and_a_stack_dump():
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")  # (tomllib is Python 3.11+)
    section = text.split("[tool.pytest.ini_options]", 1)[1].split("\n[", 1)[0]
    limit = int(re.search(r"^timeout = (\d+)$", section, re.M).group(1))  # type: ignore[union-attr]
    dump = int(re.search(r"^faulthandler_timeout = (\d+)$", section, re.M).group(1))  # type: ignore[union-attr]
    assert 0 < dump < limit <= 600
    test_extra = text.split("\ntest = [", 1)[1].split("]", 1)[0]
    assert '"pytest-timeout>=' in test_extra


def test_a_hanging_test_fails_by_name(tmp_path):
    """A test that never ends is stopped at the limit and named in the report (run with a 2-second limit)."""
    (tmp_path / "test_hang.py").write_text(
        textwrap.dedent(
            """
            import time

            def test_hangs_for_ever():
                while True:
                    time.sleep(0.05)
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\ntimeout = 2\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_hang.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Timeout" in done.stdout and "test_hangs_for_ever" in done.stdout


def test_scripts_test_prints_a_heading_before_each_phase():
    lines = (ROOT / "scripts" / "test").read_text(encoding="utf-8").splitlines()
    commands = {"ruff check", "ruff format", "mypy", "lint-imports", "pytest", "mkdocs build"}
    for i, line in enumerate(lines):
        found = [c for c in commands if re.search(rf"\.venv/bin/(python -m )?{c}\b", line)]
        if found:
            heading = next(s for s in reversed(lines[:i]) if s.startswith("phase ") or s.startswith(".venv/"))
            assert heading.startswith("phase "), f"no heading before {found[0]!r} in scripts/test"
            commands -= set(found)
    assert commands == set(), f"scripts/test no longer runs {commands}"
