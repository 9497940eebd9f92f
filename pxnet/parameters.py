"""Model parameters with pxnet's defaults.

A data folder's ``parameters.yaml`` overrides any of these; the values actually used by a network are
on :attr:`pxnet.Network.parameters`. Each default is documented in ``docs/methods.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

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
    detour_factor_max: float = 2.5
    sources: dict[str, str] = field(default_factory=dict)
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)

    def value(self, name: str) -> float:
        """The value of a parameter, or of ``speed_kph.<mode>``.

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


def override(name: str, value: float) -> dict[str, Any]:
    """The ``with_overrides`` keywords that set one parameter (or ``speed_kph.<mode>``) to a value.

    Examples
    --------
    >>> override("speed_kph.access", 20)
    {'speed_kph': {'access': 20.0}}
    """
    if name.startswith("speed_kph."):
        return {"speed_kph": {name.removeprefix("speed_kph."): float(value)}}
    return {name: float(value)}


def override_problems(values: Mapping[str, Any]) -> list[str]:
    """What is wrong with a mapping of parameter overrides (empty when it is fine).

    Examples
    --------
    >>> override_problems({"dwel_min": 1, "speed_kph": {"hsr": -5}})
    ["unknown parameter 'dwel_min'", 'speed_kph.hsr: -5 must be a positive number']
    """
    problems: list[str] = []
    for name, value in values.items():
        if name == "__line__":
            continue
        if name not in PARAMETER_NAMES:
            problems.append(f"unknown parameter {name!r}")
        elif name == "speed_kph":
            if not isinstance(value, Mapping):
                problems.append("speed_kph must be a mapping of link mode to km/h")
                continue
            for mode, speed in value.items():
                if mode == "__line__":
                    continue
                if not _number(speed) or speed <= 0:
                    problems.append(f"speed_kph.{mode}: {speed!r} must be a positive number")
        elif not _number(value) or value < 0:
            problems.append(f"{name}: {value!r} must be a number >= 0")
    return problems


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
