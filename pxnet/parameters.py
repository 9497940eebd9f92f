"""Model parameters with pxnet's defaults.

A data folder's ``parameters.yaml`` overrides any of these; the values actually used by a network are
on :attr:`pxnet.Network.parameters`. Each default is documented in ``docs/methods.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from .vocabulary import Limit, did_you_mean

#: Default operating speed by link mode, km/h, used when a link gives no ``speed_kph``.
DEFAULT_SPEED_KPH: dict[str, float] = {
    "hsr": 300.0,
    "rail": 100.0,
    "freight_rail": 80.0,
    "expressway": 100.0,
    "national_road": 60.0,
    "provincial_road": 50.0,
    "local_road": 40.0,
    "access": 30.0,
    "air": 700.0,
}


@dataclass(frozen=True)
class Parameters:
    """Named, overridable parameters of the travel-time model.

    Parameters
    ----------
    speed_kph
        Default speed by link mode (km/h).
    dwell_min
        Time a train stands at an intermediate stop (min).
    stop_loss_min
        Time lost braking into and accelerating out of an intermediate stop (min).
    transfer_min
        Minimum time to change trains at a station without its own ``transfer_min`` (min).
    initial_wait_fraction
        Boarding wait at the first station as a fraction of the service headway (0.5 = random arrival,
        0 = "the fastest train" questions).
    transfer_wait_fraction
        Wait for the next service after a transfer, as a fraction of its headway.
    station_entry_min
        Door to door: time from the station entrance to the train (security check, walking), min.
    station_exit_min
        Door to door: time from the train to the station exit, min.
    max_wait_min
        Upper bound on any single headway-derived wait (min).
    service_day_hours
        Length of the service day used to turn trains per day into a headway (h).
    service_day_start_h
        When the service day starts (hours after midnight): the default departure window is
        ``[start, start + service_day_hours]`` and modelled trains spread over it.
    detour_factor_max
        A link longer than this times the straight-line distance raises a :class:`pxnet.DataWarning`.
    sources
        Where each value comes from (parameter name → source text).
    ranges
        Plausible ``(low, high)`` of uncertain values, for :func:`pxnet.sensitivity`; keys are parameter names,
        or ``speed_kph.<mode>`` for a default speed.
    """

    speed_kph: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_SPEED_KPH))
    dwell_min: float = 2.0
    stop_loss_min: float = 3.0
    transfer_min: float = 10.0
    initial_wait_fraction: float = 0.5
    transfer_wait_fraction: float = 0.5
    station_entry_min: float = 15.0
    station_exit_min: float = 5.0
    max_wait_min: float = 120.0
    service_day_hours: float = 17.0
    service_day_start_h: float = 6.0
    detour_factor_max: float = 2.5
    sources: dict[str, str] = field(default_factory=dict)
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)

    def value(self, name: str) -> float:
        """Return the value of a parameter, or of ``speed_kph.<mode>``.

        Examples
        --------
        >>> Parameters().value("speed_kph.expressway"), Parameters().value("dwell_min")
        (100.0, 2.0)
        """
        if name.startswith("speed_kph."):
            return float(self.speed_kph[name.removeprefix("speed_kph.")])
        return float(getattr(self, name))

    def with_overrides(self, **values: Any) -> Parameters:
        """Return a copy with some values replaced (``speed_kph`` is merged, not replaced).

        Examples
        --------
        >>> Parameters().with_overrides(dwell_min=1.0).dwell_min
        1.0
        """
        if "speed_kph" in values:
            values["speed_kph"] = {**self.speed_kph, **values["speed_kph"]}
        return replace(self, **values)


PARAMETER_NAMES: frozenset[str] = frozenset(f.name for f in fields(Parameters)) - {"sources", "ranges"}

#: Plausible range of each parameter (``speed_kph`` applies to each mode's speed); ``docs/data-model.md``.
PARAMETER_LIMITS: dict[str, Limit] = {
    "speed_kph": Limit(1.0, 1000.0),
    "dwell_min": Limit(0.0, 60.0),
    "stop_loss_min": Limit(0.0, 60.0),
    "transfer_min": Limit(0.0, 180.0),
    "initial_wait_fraction": Limit(0.0, 1.0),
    "transfer_wait_fraction": Limit(0.0, 1.0),
    "station_entry_min": Limit(0.0, 180.0),
    "station_exit_min": Limit(0.0, 180.0),
    "max_wait_min": Limit(0.0, 1440.0, open_low=True),
    "service_day_hours": Limit(0.0, 24.0, open_low=True),
    "service_day_start_h": Limit(0.0, 24.0),
    "detour_factor_max": Limit(1.0, 100.0),
}


def override(name: str, value: float) -> dict[str, Any]:
    """Return the ``with_overrides`` keywords that set one parameter (or ``speed_kph.<mode>``) to a value.

    Examples
    --------
    >>> override("speed_kph.access", 20)
    {'speed_kph': {'access': 20.0}}
    """
    if name.startswith("speed_kph."):
        return {"speed_kph": {name.removeprefix("speed_kph."): float(value)}}
    return {name: float(value)}


def override_problems(values: Mapping[str, Any]) -> list[str]:
    """Return what is wrong with a mapping of parameter overrides (empty when it is fine).

    Examples
    --------
    >>> for problem in override_problems({"dwel_min": 1, "speed_kph": {"hsr": -5}}):
    ...     print(problem)
    unknown parameter 'dwel_min' (did you mean 'dwell_min'?)
    speed_kph.hsr: -5 must be a positive number
    """
    problems: list[str] = []
    for name, value in values.items():
        if name == "__line__":
            continue
        if name not in PARAMETER_NAMES:
            problems.append(f"unknown parameter {name!r}{did_you_mean(str(name), PARAMETER_NAMES)}")
        elif name == "speed_kph":
            if not isinstance(value, Mapping):
                problems.append("speed_kph must be a mapping of link mode to km/h")
                continue
            for mode, speed in value.items():
                if mode == "__line__":
                    continue
                wrong = limit_problem("speed_kph", speed)
                if wrong and (not _number(speed) or speed <= 0):
                    wrong = "must be a positive number"
                if wrong:
                    problems.append(f"speed_kph.{mode}: {speed!r} {wrong}")
        else:
            wrong = limit_problem(str(name), value)
            if wrong:
                problems.append(f"{name}: {value!r} {wrong}")
    return problems


def limit_problem(name: str, value: Any) -> str | None:
    """Return what is wrong with ``value`` for parameter ``name`` (``None`` when it is a number in its range).

    Examples
    --------
    >>> limit_problem("service_day_hours", 0)
    'must be greater than 0 (allowed: 0 < value <= 24)'
    """
    if not _number(value):
        return "must be a number"
    return PARAMETER_LIMITS[name].problem(float(value))


def describe_overrides(overrides: Mapping[str, Any]) -> str:
    """Parameter overrides as text for a scenario name.

    Examples
    --------
    >>> describe_overrides({"dwell_min": 1, "speed_kph": {"access": 20}})
    '[dwell_min=1, speed_kph.access=20]'
    """
    items = []
    for name, value in sorted(overrides.items()):
        if isinstance(value, Mapping):
            items += [f"{name}.{mode}={v:g}" for mode, v in sorted(value.items())]
        else:
            items.append(f"{name}={value:g}")
    return "[" + ", ".join(items) + "]"


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
