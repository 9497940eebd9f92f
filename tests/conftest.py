"""Shared fixtures: a small, real slice of the network written to a temporary data folder.

The slice uses facts from the bundled data's sources (沪昆高铁 chainage, station coordinates in WGS-84);
tests change one thing at a time to check validation, scenarios and exports.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

SRC = "test slice of the 沪昆高铁 facts (chainage and WGS-84 station coordinates)"

NODES = f"""id,name_zh,name_en,kind,lon,lat,place,population,transfer_min,source
pingxiang,萍乡市,Pingxiang,city,113.846865,27.626344,,1804805,,{SRC}
pingxiang_north,萍乡北,Pingxiang North,hsr_station,113.842596,27.686607,pingxiang,,8,{SRC}
yichun_station,宜春,Yichun,hsr_station,114.431329,27.792414,,,,{SRC}
changsha_south,长沙南,Changsha South,hsr_station,113.058168,28.14944,changsha,,12,{SRC}
changsha,长沙市,Changsha,city,112.976722,28.19751,,10047914,,{SRC}
"""

LINKS = f"""id,from,to,mode,length_km,speed_kph,time_min,oneway,line,project,status,open_date,source
hk_yc_pxn,yichun_station,pingxiang_north,hsr,61,300,,,沪昆高铁,hukun,existing,,{SRC}
hk_pxn_css,pingxiang_north,changsha_south,hsr,105,300,,,沪昆高铁,hukun,existing,,{SRC}
acc_px_pxn,pingxiang,pingxiang_north,access,8,30,,,,,existing,,estimate: straight line 6.7 km x 1.2
acc_cs_css,changsha,changsha_south,access,13,30,,,,,existing,2010,estimate: straight line 10.3 km x 1.25
road_px_cs,pingxiang,changsha,expressway,140,100,,,G60,,existing,,estimate: straight line 93 km x 1.5
"""

SERVICES = f"""id,name,mode,stops,headway_min,trains_per_day,bidirectional,project,status,open_date,source
g_hukun,沪昆 G trains,hsr,yichun_station;pingxiang_north;changsha_south,,17,,,existing,2014-09-16,{SRC}
"""

PROJECTS = f"""- id: hukun
  name_zh: 沪昆高铁
  name_en: Shanghai–Kunming HSR
  category: hsr
  plan_targets: {{open: 2014}}
  milestones:
    - {{event: open, date: 2014-09-16, source: "{SRC}"}}
  source: "{SRC}"
- id: speedup
  name_zh: 提速
  name_en: Speed-up
  category: hsr
  plan_clause: 测试条款
  plan_targets: {{open: 2020}}
  milestones:
    - {{event: expected_open, date: 2028, source: "estimate: test"}}
  upgrades:
    - {{link: hk_pxn_css, speed_kph: 350}}
  source: "estimate: test"
"""

SCENARIOS = """- name: base-2019
  date: 2019-02-20
  basis: actual
  description: test baseline
- name: plan-2020
  date: 2020
  basis: plan
"""

PARAMETERS = """dwell_min: {value: 2, unit: min, source: "estimate: test"}
speed_kph:
  value: {hsr: 300, access: 30}
  unit: km/h
  source: "estimate: test"
"""

BASE = {
    "nodes.csv": NODES,
    "links.csv": LINKS,
    "services.csv": SERVICES,
    "projects.yaml": PROJECTS,
    "scenarios.yaml": SCENARIOS,
    "parameters.yaml": PARAMETERS,
}

MakeFolder = Callable[..., Path]


@pytest.fixture
def make_folder(tmp_path: Path) -> MakeFolder:
    """Write the test slice, with per-file replacements ``{file: [(old, new), ...]}`` or full texts."""

    counter = iter(range(1000))

    def make(
        replace: dict[str, list[tuple[str, str]]] | None = None, texts: dict[str, str | bytes | None] | None = None
    ) -> Path:
        folder = tmp_path / f"data{next(counter)}"
        folder.mkdir()
        files: dict[str, str | bytes | None] = dict(BASE)
        for name, pairs in (replace or {}).items():
            text = files[name]
            assert isinstance(text, str)
            for old, new in pairs:
                assert old in text, f"{old!r} not in {name}"
                text = text.replace(old, new)
            files[name] = text
        files.update(texts or {})
        for name, content in files.items():
            if content is None:
                continue
            if isinstance(content, bytes):
                (folder / name).write_bytes(content)
            else:
                (folder / name).write_text(content, encoding="utf-8")
        return folder

    return make


@pytest.fixture
def folder(make_folder: MakeFolder) -> Path:
    """The unmodified test slice."""
    return make_folder()


@pytest.fixture
def network_folder(make_folder: MakeFolder) -> Callable[..., Path]:
    """Write a hand-made network: nodes, links and services, with empty projects and scenarios by default.

    Keyword arguments name further files (``projects``, ``scenarios``, ``parameters``, ``goals`` …, without
    their extension); ``parameters=None`` (the default) leaves pxnet's defaults.
    """

    suffix = {"projects": ".yaml", "scenarios": ".yaml", "parameters": ".yaml", "goals": ".yaml"}

    def make(nodes: str, links: str, services: str, **files: str | None) -> Path:
        texts: dict[str, str | bytes | None] = {
            "nodes.csv": nodes,
            "links.csv": links,
            "services.csv": services,
            "projects.yaml": "[]",
            "scenarios.yaml": "[]",
            "parameters.yaml": None,
        }
        texts.update({f"{name}{suffix.get(name, '.csv')}": text for name, text in files.items()})
        return make_folder(texts=texts)

    return make
