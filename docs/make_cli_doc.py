"""Write docs/cli.md: hand-written descriptions + the current `pxnet <cmd> --help` text.

Run from the repository after changing the command line: ``python docs/make_cli_doc.py``
(``tests/test_docs.py`` fails while docs/cli.md is out of date).
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path

os.environ["COLUMNS"] = "100"  # argparse wraps at $COLUMNS: fix it so the text is stable

from pxnet.cli import build_parser  # noqa: E402

OUT = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent / "cli.md"


def help_text(*args: str) -> str:
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.suppress(SystemExit):
        build_parser().parse_args([*args, "--help"])
    return buf.getvalue().rstrip()


INTRO = """\
# Command line

`pxnet` is installed with the package (`python -m pxnet` does the same). Every subcommand works on the bundled
Pingxiang network unless the global `--data FOLDER` option, given **before** the subcommand, names a data folder
of your own (`pxnet --data my-network assess`).

Place names are ids, Chinese or English names (`萍乡`, `pingxiang_north`, `Guangzhou South`); a bracketed remark
in a Chinese name may be left out, and so may a suffix such as 市, 县, 站 or 国际机场 (`长沙黄花`); airports also answer
to their IATA code (`CSX`). Scenarios are names from `scenarios.yaml` (`plan-2025`), dated names (`as-built-2026`, `expected-2035`,
`plan-2030`, each also with `-MM` or `-MM-DD`), or a year: as built up to the data date (`2026` = `as-built-2026`)
and expected after it (`2030` = `expected-2030`); without `--scenario`, the network as built today.

Exit status: `0` on success; `2` on a usage error or a pxnet error (unknown place or scenario, invalid data,
unknown output format), with the message on standard error as `pxnet: error: …`.

| command | what |
|---|---|
| [`assess`](#assess) | the 2019 plan's goals in scenarios: status, margin, critical path, flipping projects (the main job) |
| [`times`](#times) | travel times (and legs) between places |
| [`compare`](#compare) | scenario B against scenario A: winners, losers, OD changes, accessibility |
| [`isochrone`](#isochrone) | areas reachable within bands of time, as a map or a GeoPackage |
| [`impacts`](#impacts) | the minutes each project saves, switched alone |
| [`sensitivity`](#sensitivity) | how travel times or goal verdicts move over the model parameters' ranges |
| [`check-times`](#check-times) | model times beside sourced observed run times |
| [`summary`](#summary) | load, validate and summarise a network |
| [`validate`](#validate) | validate a data folder |
| [`export`](#export) | GeoPackage or GraphML of the network or a scenario |

The option lists below are the commands' own `--help` text.
"""

SECTIONS: list[tuple[str, str]] = [
    (
        "",
        """\
## pxnet

The global options; a subcommand is required.
""",
    ),
    (
        "assess",
        """\
## assess

Assesses each measurable goal of the 2019 plan (`goals.yaml`) in each scenario: `met`, `missed`, `pending` or
`not_assessable`, the margin (minutes, days, lines or percentage points), the binding route of time goals and
the projects whose opening (or closing) would change the answer. Statuses, margins and the JSON schema:
[Plan assessment](assessment.md).

- Without options: every goal in the default scenarios (`as-built-2019`, `plan-2020`, `plan-2025`,
  `as-built-<this year>`, `expected-2030`); a table and the findings for today in the terminal.
- `--out FOLDER` also writes `report.md`, `report.html`, `assessment.json` and `figures/` (atomically).
- `--json` prints the stable JSON document instead of the table (the "wrote …" line then goes to standard
  error, so standard output stays valid JSON).
- `--no-flips` skips the search for flipping projects (one routing run per project and scenario): faster.
- `--sensitivity` also varies each model parameter with a range in `parameters.yaml` to both ends of its range
  and lists the verdicts that change ([sensitivity](#sensitivity)); `./scripts/main` uses it.

```bash
pxnet assess
pxnet assess --out out/assessment
pxnet assess --scenario 2026 expected-2030 --goal changgan_open_2025 hsr3h_guangzhou_station --json
```
""",
    ),
    (
        "times",
        """\
## times

Fastest travel time between every origin and every destination, in minutes and hours. `--legs` lists each
route's legs (`road`, `entry`, `wait`, `ride`, `transfer`, `exit`) with kilometres and minutes; `--json` prints
one object per pair with its legs. `--mode`: `hsr` and `rail` are station to station (a place stands for its
stations), `road` is driving, `door_to_door` (default) combines them with access roads, station entry and exit.
`--initial-wait 0` asks for "the fastest train" (no first wait), as the plan's HSR goals do.

```bash
pxnet times --from 萍乡 --to 广州 深圳 --mode hsr --scenario 2026 --legs
pxnet times --from 萍乡北 --to 广州南 --mode hsr --initial-wait 0 --scenario expected-2030 --json
```
""",
    ),
    (
        "compare",
        """\
## compare

Scenario B measured against scenario A, for every origin–destination pair of places (or those given):
winners and losers by weighted average travel time (WATT), the largest OD gains, and the daily and potential
accessibility changes ([indicators](assessment.md#indicators)). `--out FOLDER` writes `comparison.md`,
`od.csv`, `indicators.csv` and a figure.

```bash
pxnet compare as-built-2019 expected-2030
pxnet compare plan-2025 2026 --origins 萍乡 莲花 --destinations 广州 深圳 赣州 --out out/compare
```
""",
    ),
    (
        "isochrone",
        """\
## isochrone

Isochrone bands from places (`--from`) or towards them (`--to`: who reaches them within the time). The output
file's extension picks the format: `.png` or `.svg` (static map), `.html` (interactive folium map; it loads its
scripts and base map from the internet when opened) or `.gpkg` (GeoPackage layer `isochrones` with the bands,
scenario, mode, origins, direction, last-mile speed and data date). The bands' areas are printed. Method:
[Isochrones and maps](isochrones.md).

```bash
pxnet isochrone --from 萍乡北 --bands 60 120 180 --mode hsr --scenario plan-2025 --out iso.png
pxnet isochrone --to 武功山 --bands 180 --scenario 2025 --out wugongshan.gpkg
```
""",
    ),
    (
        "impacts",
        """\
## impacts

Switches each project that changes the network alone in a scenario (closes it if the scenario has it, opens it
if not) and prints, for each origin, the weighted average travel time (WATT, by destination population)
saved with the project against without it, how many destinations it brings at least a minute closer, and
the one it helps most; projects without effect are listed on one line. `∞` means some destination cannot be
reached without the project. Contributions do not add up when one project needs another. `--csv` writes the
table, `--png` a bar chart for the first origin.

```bash
pxnet impacts --scenario expected-2030 --from 萍乡 莲花 --to 广州 深圳 香港 长沙 南昌 赣州
pxnet impacts --scenario 2026 --project changgan pinglian_expressway --csv impacts.csv
```
""",
    ),
    (
        "sensitivity",
        """\
## sensitivity

Varies one model parameter at a time (dwell, stop loss, transfer and station times, waiting fractions, default
road speeds …) to each end of its plausible range (`range` in `parameters.yaml`, or `--param NAME=LOW:HIGH`)
and reports how the answer moves. With `--from`/`--to`: the travel time of each pair at both ends and the
swing, largest first, flagging a parameter that moves a time across `--threshold`; `--csv` writes the table,
`--png` a tornado chart of the first pair. With `--goals` (no ids: every goal that is not a milestone): how many
goal verdicts hold at both ends of every range, and each one that changes. Method and caveats:
[Methods](methods.md#sensitivity-to-the-models-parameters).

```bash
pxnet sensitivity --from 萍乡北 --to 深圳北 --mode hsr --scenario plan-2025 --initial-wait 0 --threshold 180
pxnet sensitivity --from 萍乡 --to 广州 --param transfer_min=10:30 station_entry_min --png tornado.png
pxnet sensitivity --goals hsr3h_shenzhen_station --scenario plan-2025 expected-2030
```
""",
    ),
    (
        "check-times",
        """\
## check-times

Times each trip of the data folder's `observed_times.csv` (sourced run times) in the as-built network of the
observation's date, with no initial wait, and prints model ÷ observed with each observation's note. See
[Methods](methods.md#checks-against-observed-times).

```bash
pxnet check-times
```
""",
    ),
    (
        "summary",
        """\
## summary

Loads and validates the network and prints a summary: data date, counts of nodes, links, services by kind,
mode and status, projects, scenarios, and each data warning.

```bash
pxnet summary
pxnet --data my-network summary
```
""",
    ),
    (
        "validate",
        """\
## validate

Validates a data folder: `ok: …` and exit status 0 when it loads, each warning (implausible length, possibly
swapped coordinates …) on its own line; otherwise every problem with file, line, id and column, and exit
status 2. See [Data model](data-model.md).

```bash
pxnet --data my-network validate
```
""",
    ),
    (
        "export",
        """\
## export

`.gpkg`: a GeoPackage with `nodes` and `links` layers, of the whole network (every link, existing or not) or,
with `--scenario`, of that scenario's links with their speeds and times. `.graphml`: the scenario's graph
(osmnx conventions, see [Data model](data-model.md#graph-conventions)); `--mode` restricts it to a trip mode
(`hsr`, `rail`, `road`, `door_to_door`) or a link mode. Files are written atomically.

```bash
pxnet export --scenario plan-2025 --out plan-2025.gpkg
pxnet export --scenario expected-2030 --mode hsr --out hsr-2030.graphml
```
""",
    ),
]


def main() -> None:
    parts = [INTRO]
    for command, text in SECTIONS:
        parts.append(text)
        args = [command] if command else []
        parts.append("```text\n" + help_text(*args) + "\n```\n")
    OUT.write_text("\n".join(parts), encoding="utf-8")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
