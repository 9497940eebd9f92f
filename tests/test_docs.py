"""The docs agree with the code and the data: the generated CLI reference, the data set's record counts."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pxnet

ROOT = Path(__file__).resolve().parent.parent


def test_cli_reference_is_current(tmp_path):
    out = tmp_path / "cli.md"
    subprocess.run([sys.executable, str(ROOT / "docs" / "make_cli_doc.py"), str(out)], check=True, capture_output=True)
    assert out.read_text(encoding="utf-8") == (ROOT / "docs" / "cli.md").read_text(encoding="utf-8"), (
        "docs/cli.md is out of date: run `python docs/make_cli_doc.py`"
    )


def test_data_contents_table_counts_the_bundled_data():
    net = pxnet.load_network()
    text = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    table = {m[0]: (int(m[1]), m[2]) for m in re.findall(r"^\| `(\w+\.\w+)` \| (\d+) \| (.*) \|$", text, flags=re.M)}
    counts = {
        "nodes.csv": len(net.nodes),
        "links.csv": len(net.links),
        "services.csv": len(net.services),
        "projects.yaml": len(net.projects),
    }
    for name, n in counts.items():
        assert table[name][0] == n, f"docs/data.md says {table[name][0]} records in {name}; the data has {n}"
    described = table["links.csv"][1]
    for value, n in [*net.links["mode"].value_counts().items(), *net.links["status"].value_counts().items()]:
        words = str(value).replace("_", " ") if value == "under_construction" else str(value)
        assert f"{n} {words}" in described, f"docs/data.md: links.csv should count {n} {words}"
