"""Model parameters with pxnet's defaults.

A data folder's ``parameters.yaml`` overrides any of these; the values actually used by a network are
on :attr:`pxnet.Network.parameters`. Each default is documented in ``docs/methods.md``.
"""

from __future__ import annotations

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


PARAMETER_NAMES: frozenset[str] = frozenset(f.name for f in fields(Parameters)) - {"sources"}
