"""How much travel times depend on the model's assumed parameters (goal verdicts: :mod:`pxnet.goals`).

Each uncertain parameter in ``parameters.yaml`` may carry a plausible ``range: [low, high]`` with its reason.
The functions here vary one parameter at a time to each end of its range, all others held at their values
(a one-at-a-time, "tornado" analysis), and report how far the answer moves. They do not combine extremes,
so the swing of one parameter is not a bound on the joint uncertainty.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from .. import vocabulary
from ..errors import AnalysisError, ScenarioError
from ..network import Network
from ..parameters import Parameters, describe_overrides, override
from ..routing import skim
from ..scenario import Scenario, ScenarioArg, resolve

#: Columns of :func:`sensitivity`.
TIME_COLUMNS = [
    "origin",
    "destination",
    "parameter",
    "value",
    "low",
    "high",
    "base_min",
    "low_min",
    "high_min",
    "swing_min",
]


def parameter_ranges(
    parameters: Iterable[str] | Mapping[str, tuple[float, float]] | None, base: Parameters
) -> dict[str, tuple[float, float]]:
    """Return the ``(low, high)`` to try for each parameter: given ranges, or those in ``parameters.yaml``.

    Parameters
    ----------
    parameters
        ``None`` for every parameter with a range in the data; names (``"transfer_min"``,
        ``"speed_kph.expressway"``) to use their data ranges; or a mapping of name to ``(low, high)``.
    base
        The parameters in force (their ``ranges`` and values).

    Raises
    ------
    ScenarioError
        For an unknown parameter, a name without a range in the data, or a range with low > high.

    Examples
    --------
    >>> from pxnet.parameters import Parameters
    >>> parameter_ranges({"dwell_min": (1, 3)}, Parameters())
    {'dwell_min': (1.0, 3.0)}
    """
    if parameters is None:
        chosen = dict(base.ranges)
    elif isinstance(parameters, Mapping):
        chosen = {str(k): (float(v[0]), float(v[1])) for k, v in parameters.items()}
    else:
        chosen = {}
        for name in parameters:
            if name not in base.ranges:
                known = ", ".join(sorted(base.ranges)) or "none"
                raise ScenarioError(f"parameter {name!r} has no range in parameters.yaml (ranges given: {known})")
            chosen[name] = base.ranges[name]
    for name, (low, high) in chosen.items():
        try:
            base.value(name)
        except (AttributeError, KeyError):
            raise ScenarioError(f"unknown parameter {name!r}") from None
        if not (math.isfinite(low) and math.isfinite(high)) or low > high or low < 0:
            raise ScenarioError(f"range of {name!r} must be 0 <= low <= high, got ({low:g}, {high:g})")
    return chosen


def parameter_variant(sc: Scenario, name: str, value: float) -> Scenario:
    """``sc`` with one parameter set to ``value``, named after the override (``"as-built-2026 dwell_min=3"``)."""
    values = override(name, value)
    return sc.derive(name=f"{sc.name} {describe_overrides(values)}", parameters=values)


def sensitivity(
    origins: str | Sequence[Hashable],
    destinations: str | Sequence[Hashable] | None = None,
    *,
    mode: str = vocabulary.DEFAULT_TRIP_MODE,
    scenario: ScenarioArg = None,
    network: Network | None = None,
    parameters: Iterable[str] | Mapping[str, tuple[float, float]] | None = None,
    initial_wait_fraction: float | None = None,
) -> pd.DataFrame:
    """Travel times with each parameter at the low and high end of its range, one at a time.

    Parameters
    ----------
    origins, destinations
        Places, as for :func:`pxnet.skim`.
    mode
        ``"hsr"``, ``"rail"``, ``"road"`` or ``"door_to_door"``.
    scenario
        The scenario (default: as built today).
    network
        The network (default: the scenario's, else the bundled one).
    parameters
        Which parameters to vary: ``None`` for all with a range in ``parameters.yaml``, a list of names, or
        ``{name: (low, high)}``. ``speed_kph.<mode>`` varies a default speed (links with their own speed keep it).
    initial_wait_fraction
        As for :func:`pxnet.skim` (0 for "the fastest train").

    Returns
    -------
    pandas.DataFrame
        One row per origin, destination and parameter (columns :data:`TIME_COLUMNS`): the parameter's value
        and range, minutes at the value and at each end, and ``swing_min`` (largest minus smallest of the
        three), largest swing first within each pair. ``attrs`` holds ``scenario`` and ``mode``.

    Examples
    --------
    >>> import pxnet
    >>> t = pxnet.sensitivity("萍乡北", "广州南", mode="hsr", scenario=2026, parameters=["transfer_min"])
    >>> row = t.iloc[0]
    >>> bool(row["low_min"] < row["base_min"] < row["high_min"])
    True
    """
    sc = resolve(scenario, network)
    net = sc.network
    ranges = parameter_ranges(parameters, sc.parameters)
    if not ranges:
        raise AnalysisError("no parameter to vary: none has a range in parameters.yaml and none was given")
    kw: dict[str, Any] = {"mode": mode, "network": net, "initial_wait_fraction": initial_wait_fraction}
    base = skim(origins, destinations, scenario=sc, **kw)
    rows: list[dict[str, Any]] = []
    for name, (low, high) in ranges.items():
        at_low = skim(origins, destinations, scenario=parameter_variant(sc, name, low), **kw)
        at_high = skim(origins, destinations, scenario=parameter_variant(sc, name, high), **kw)
        for o in base.index:
            for d in base.columns:
                if o == d:
                    continue
                b, lo, hi = float(base.at[o, d]), float(at_low.at[o, d]), float(at_high.at[o, d])
                finite = [t for t in (b, lo, hi) if math.isfinite(t)]
                swing = max(finite) - min(finite) if len(finite) == 3 else math.inf if finite else math.nan
                rows.append(
                    {
                        "origin": o,
                        "destination": d,
                        "parameter": name,
                        "value": sc.parameters.value(name),
                        "low": low,
                        "high": high,
                        "base_min": b,
                        "low_min": lo,
                        "high_min": hi,
                        "swing_min": swing,
                    }
                )
    if not rows:
        raise AnalysisError("no origin–destination pair to vary: give destinations other than the origins")
    out = pd.DataFrame(rows, columns=TIME_COLUMNS)
    if not out.empty:
        order = {o: i for i, o in enumerate(base.index)} | {d: i for i, d in enumerate(base.columns)}
        out = out.sort_values(
            ["origin", "destination", "swing_min"],
            key=lambda s: s.map(order) if s.name != "swing_min" else -s,
            kind="stable",
        ).reset_index(drop=True)
    out.attrs.update(scenario=sc.name, mode=mode)
    return out


__all__ = ["TIME_COLUMNS", "parameter_ranges", "parameter_variant", "sensitivity"]
