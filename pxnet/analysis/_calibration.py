"""Check the model against observed travel times (sourced run times in ``observed_times.csv``).

Each observation is a trip (``from`` → ``to`` by ``mode``) that a source says takes ``minutes``, on a
``date``. pxnet times the same trip in the as-built network of that date (today when no date is given) as the
fastest journey of the service day — an observed run time starts when the train leaves — and reports model ÷
observed. Where the scenario's timetable has scheduled trains (``data/timetable/``), ``timetable_min`` is the
fastest scheduled journey of that date's timetable as well (``pxnet.journeys``, scheduled trips only).
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from ..network import Network
from ..routing import journeys, travel_time
from ..scenario import Scenario, get_scenario, resolve_network


def check_times(*, network: Network | None = None) -> pd.DataFrame:
    """Model times beside the observed ones.

    Parameters
    ----------
    network
        The network (default: the bundled one); its ``observed_times.csv`` lists the observations.

    Returns
    -------
    pandas.DataFrame
        One row per observation: ``id``, ``from``, ``to`` (Chinese names), ``mode``, ``scenario``,
        ``observed_min``, ``model_min``, ``ratio`` (model ÷ observed), ``timetable_min`` (fastest scheduled
        journey, NaN without a timetable of that date), ``timetable_ratio``, ``note``, ``source``.

    Examples
    --------
    >>> table = check_times()
    >>> row = table.set_index("id").loc["csn_szb_fastest"]
    >>> bool(0.9 < row["ratio"] < 1.1)
    True
    """
    net = resolve_network(None, network)
    names = net.nodes["name_zh"]
    rows = []
    for obs in net.observed.itertuples(index=False):
        date = obs.date.end if obs.date is not None else dt.date.today()
        scenario = get_scenario(date, network=net)
        model = travel_time(obs[1], obs[2], mode=obs.mode, scenario=scenario, network=net)
        timed = _scheduled(obs[1], obs[2], obs.mode, scenario, net)
        rows.append(
            {
                "id": obs.id,
                "from": names[obs[1]],
                "to": names[obs[2]],
                "mode": obs.mode,
                "scenario": scenario.name,
                "observed_min": float(obs.minutes),
                "model_min": model,
                "ratio": model / float(obs.minutes),
                "timetable_min": timed,
                "timetable_ratio": timed / float(obs.minutes),
                "note": obs.note,
                "source": obs.source,
            }
        )
    columns = ["id", "from", "to", "mode", "scenario", "observed_min", "model_min", "ratio"]
    columns += ["timetable_min", "timetable_ratio", "note", "source"]
    return pd.DataFrame(rows, columns=columns)


def _scheduled(origin: str, destination: str, mode: str, scenario: Scenario, net: Network) -> float:
    """Fastest scheduled journey on the scenario's date (NaN when no timetable vintage is valid then)."""
    if mode not in ("hsr", "rail"):
        return math.nan
    table = journeys(origin, destination, scenario=scenario, mode=mode, network=net, scheduled_only=True)
    if table.empty or not (table.attrs["timetable_basis"].count("valid on")):
        return math.nan
    return float(table["minutes"].min())


#: The calibration's range: the model's fastest time may be 10 % faster or 12 % slower than the published one.
CALIBRATION_RANGE = (0.90, 1.12)


def calibration(*, network: Network | None = None) -> pd.DataFrame:
    """Return the model's fastest times beside every published fastest time of the corridor.

    Each row is timed on the as-built scenario of its date: the fastest journey by high-speed rail departing
    within the service day, on that date's timetable (vintage and modifications). A row inside
    :data:`CALIBRATION_RANGE` is ``ok``; one outside is ``miss``, with the data's ``model_note`` saying why.

    Returns
    -------
    pandas.DataFrame
        ``from``, ``to`` (Chinese names), ``date``, ``published_min``, ``model_min``, ``ratio``, ``status``,
        ``model_trains``, ``model_basis``, ``model_note``, ``figure``, ``source`` (title, publisher, date, address),
        ``confidence``.

    Examples
    --------
    >>> table = calibration()
    >>> set(table["status"]) <= {"ok", "miss"}
    True
    """
    net = resolve_network(None, network)
    names = net.nodes["name_zh"]
    rows = []
    for r in net.published_times.itertuples(index=False):
        scenario = get_scenario(r.date.end, network=net)
        model = travel_time(r[0], r[1], mode="hsr", scenario=scenario, network=net)
        trips = journeys(r[0], r[1], scenario=scenario, mode="hsr", network=net)
        best = trips.loc[trips["minutes"].idxmin()] if len(trips) else None
        ratio = model / float(r.minutes)
        ok = CALIBRATION_RANGE[0] <= ratio <= CALIBRATION_RANGE[1]
        rows.append(
            {
                "from": names[r[0]],
                "to": names[r[1]],
                "date": str(r.date),
                "published_min": float(r.minutes),
                "model_min": model,
                "ratio": ratio,
                "status": "ok" if ok else "miss",
                "model_trains": "" if best is None else str(best["trains"]),
                "model_basis": "" if best is None else str(best["basis"]),
                "model_note": r.model_note,
                "figure": r.figure,
                "source": "; ".join(x for x in (r.source_title, r.source_publisher, r.source_date, r.source_url) if x),
                "confidence": r.confidence,
            }
        )
    return pd.DataFrame(rows, columns=CALIBRATION_COLUMNS)


CALIBRATION_COLUMNS = [
    "from", "to", "date", "published_min", "model_min", "ratio", "status", "model_trains", "model_basis",
    "model_note", "figure", "source", "confidence",
]  # fmt: skip


def calibration_markdown(table: pd.DataFrame) -> str:
    """Render the calibration table as the page ``docs/calibration.md`` (generated: do not edit by hand)."""
    low, high = CALIBRATION_RANGE
    lines = [
        "# Calibration: the model against published fastest times",
        "",
        "Generated by `python docs/make_calibration.py` from `data/timetable/published_times.csv` (every row with",
        "its source); `tests/analysis/test_calibration_table.py` checks that this page is current and that every row",
        f"is within {low - 1:+.0%} / {high - 1:+.0%} of the published time or says why not. Each row is timed on the",
        "as-built scenario of its date: the fastest high-speed journey departing within the service day on that",
        "date's timetable (vintage and dated modifications, see `docs/methods.md`).",
        "",
        f"{(table['status'] == 'ok').sum()} of {len(table)} rows are within range.",
        "",
        "| from | to | date | published | model | ratio | status | model's trains | basis | note | source |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in table.itertuples(index=False):
        model = f"{r.model_min:.0f}" if math.isfinite(r.model_min) else "—"
        ratio = f"{r.ratio:.2f}" if math.isfinite(r.ratio) else "—"
        cells = [r[0], r[1], r.date, f"{r.published_min:g}", model, ratio, r.status, r.model_trains, r.model_basis]
        cells += [r.model_note, f"{r.figure} ({r.source}; {r.confidence})"]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|").replace("\n", " ") for c in cells) + " |")
    return "\n".join(lines) + "\n"
