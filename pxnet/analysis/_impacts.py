"""What each project contributes: travel time saved with it against without it, one project at a time.

For a scenario and each project that changes the network, pxnet times the trips twice: with the project
(opened if the scenario does not have it) and without it (closed if the scenario has it), all else as in the
scenario. The difference is the project's own contribution in that scenario; contributions of several
projects do not add up when one needs another (the 长赣 services need the 长赣 line).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from .. import vocabulary
from ..errors import ScenarioError
from ..network import Network
from ..routing import skim
from ..scenario import ScenarioArg, resolve
from ._indicators import indicators_from_skim

#: Columns of :func:`project_impacts`.
COLUMNS = [
    "project",
    "name_zh",
    "open",
    "origin",
    "watt_with_min",
    "watt_without_min",
    "saved_min",
    "saved_pct",
    "improved",
    "best_destination",
    "best_saved_min",
    "reached_only_with",
]


def project_impacts(
    scenario: ScenarioArg = None,
    *,
    origins: Sequence[str] = ("萍乡",),
    destinations: Sequence[str] | None = None,
    projects: Sequence[str] | None = None,
    mode: str = vocabulary.DEFAULT_TRIP_MODE,
    network: Network | None = None,
) -> pd.DataFrame:
    """Measure the travel time each project saves by switching it alone.

    Parameters
    ----------
    scenario
        The scenario the projects are switched in (default: as built today).
    origins
        Places whose trips are measured.
    destinations
        Places they travel to (default: every place); each origin's weighted average travel time (WATT)
        weights them by population, so destinations without a population only count in ``improved`` and
        ``best_*``.
    projects
        Project ids (default: every project that adds, upgrades or closes links or services).
    mode
        ``"hsr"``, ``"rail"``, ``"road"`` or ``"door_to_door"``.
    network
        The network (default: the scenario's, else the bundled one).

    Returns
    -------
    pandas.DataFrame
        One row per project and origin (columns :data:`COLUMNS`): whether the project is ``open`` in the
        scenario, the origin's WATT with and without it, ``saved_min`` (without − with; positive means the
        project shortens trips, ``inf`` when some destination needs it), ``saved_pct``, ``improved`` (how many
        destinations it brings at least a minute closer), and the destination it helps most. Sorted by
        minutes saved, largest first. ``attrs`` holds ``scenario`` and ``mode``. When some destination is
        unreachable both with and without the project (both WATTs ``inf``), ``saved_min`` is the WATT difference
        over the destinations reachable both ways; ``reached_only_with`` counts the destinations that only the
        project makes reachable (their ``best_saved_min`` would be ``inf``, so ``best_*`` looks at the others).

    Examples
    --------
    >>> import pxnet
    >>> t = pxnet.project_impacts("expected-2030", origins=["莲花"], destinations=["深圳", "广州"],
    ...                           projects=["changgan", "pinglian_expressway"])
    >>> t.iloc[0]["project"], bool(t.iloc[0]["saved_min"] > 30)
    ('changgan', True)
    """
    sc = resolve(scenario, network)
    net = sc.network
    chosen = list(projects) if projects is not None else net.network_projects()
    unknown = [p for p in chosen if p not in net.projects]
    if unknown:
        raise ScenarioError(f"unknown project(s): {', '.join(map(repr, unknown))}")
    o = [net.resolve(x) for x in origins]
    d = [net.resolve(x) for x in destinations] if destinations is not None else list(net.places.index)
    population = net.nodes["population"].astype("Float64").astype(float)
    names = net.nodes["name_zh"]
    base = skim(o, d, mode=mode, scenario=sc, network=net)
    rows: list[dict[str, Any]] = []
    for pid in chosen:
        is_open = pid in sc.open_projects
        change = {"disable": [pid]} if is_open else {"enable": [pid]}
        variant = skim(o, d, mode=mode, scenario=sc.derive(name=f"{sc.name} ±{pid}", **change), network=net)
        with_p, without_p = (base, variant) if is_open else (variant, base)
        watt_with = indicators_from_skim(with_p, population)["watt_min"]
        watt_without = indicators_from_skim(without_p, population)["watt_min"]
        saved = without_p - with_p
        for origin in o:
            all_saved = saved.loc[origin].drop(origin, errors="ignore")
            newly = int(all_saved.map(math.isinf).sum())
            row_saved = all_saved[~all_saved.map(math.isinf)]
            best = row_saved.idxmax() if len(row_saved) and (row_saved > 0).any() else None
            a, b = float(watt_with[origin]), float(watt_without[origin])
            gain = _difference(b, a)
            if math.isinf(a) and math.isinf(b):
                both = [c for c in with_p.columns if math.isfinite(with_p.at[origin, c] + without_p.at[origin, c])]
                common = indicators_from_skim(with_p.loc[[origin], both], population)["watt_min"]
                common_without = indicators_from_skim(without_p.loc[[origin], both], population)["watt_min"]
                gain = _difference(float(common_without[origin]), float(common[origin]))
            rows.append(
                {
                    "project": pid,
                    "name_zh": net.projects[pid].name_zh,
                    "open": is_open,
                    "origin": names[origin],
                    "watt_with_min": a,
                    "watt_without_min": b,
                    "saved_min": gain,
                    "saved_pct": gain / b * 100 if math.isfinite(gain) and b > 0 and math.isfinite(b) else math.nan,
                    "improved": int((row_saved >= 1.0).sum()),
                    "best_destination": names[best] if best is not None else None,
                    "best_saved_min": float(row_saved.max()) if best is not None else 0.0,
                    "reached_only_with": newly,
                }
            )
    out = pd.DataFrame(rows, columns=COLUMNS)
    out = out.sort_values(["saved_min", "improved"], ascending=False, kind="stable").reset_index(drop=True)
    out.attrs.update(scenario=sc.name, mode=mode)
    return out


def _difference(without: float, with_: float) -> float:
    """Minutes saved; ``inf`` when the trips are impossible without the project, NaN when impossible with it."""
    if math.isnan(without) or math.isnan(with_):
        return math.nan
    if math.isinf(without) and math.isinf(with_):
        return 0.0
    return without - with_


__all__ = ["COLUMNS", "project_impacts"]
