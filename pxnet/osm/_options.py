"""The option groups of the OSM functions: how trip ends attach to the roads, and how a download is made.

Each is a ``TypedDict`` of keywords (what ``**options`` accepts, for type checkers and the signature) and a frozen
record that validates the values when made (:class:`pxnet.routing.Options`).
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import pandas as pd

from ..errors import SnapError
from ..routing import Options
from ..vocabulary import Limit, check_argument

__all__ = ["AttachKeywords", "AttachOptions", "DownloadKeywords", "DownloadOptions", "positive_kph"]

#: Longest wait for an answer from OpenStreetMap's servers that a caller may ask for: a day, in seconds.
_TIMEOUT_LIMIT = Limit(0.0, 86_400.0, open_low=True)


def positive_kph(kph: object) -> float:
    """Return a connector speed as a float, or raise :class:`~pxnet.errors.SnapError` if it is not above 0.

    Examples
    --------
    >>> positive_kph(30)
    30.0
    >>> positive_kph(0)
    Traceback (most recent call last):
    ...
    pxnet.errors.SnapError: connector_kph must be positive, not 0
    """
    if isinstance(kph, bool) or not isinstance(kph, numbers.Real) or not float(kph) > 0:
        raise SnapError(f"connector_kph must be positive, not {kph!r}")
    return float(kph)


class AttachKeywords(TypedDict, total=False):
    """How trip ends and stations attach to the roads (:class:`AttachOptions`)."""

    snapped: pd.DataFrame | None
    max_distance_m: float
    connector_kph: float | None


@dataclass(frozen=True, kw_only=True)
class AttachOptions(Options):
    """How trip ends and stations attach to the roads.

    Parameters
    ----------
    snapped
        A :func:`~pxnet.osm.snap` table for places and stations (default: snap as needed).
    max_distance_m
        Longest attachment of a trip end or station to the roads (m).
    connector_kph
        Speed over the straight-line gap to the OSM node (default: the network's ``access`` speed).

    Examples
    --------
    >>> AttachOptions(max_distance_m=-5)
    Traceback (most recent call last):
    ...
    pxnet.errors.SnapError: max_distance_m must be a positive number of metres, not -5
    """

    snapped: pd.DataFrame | None = None
    max_distance_m: float = 2000.0
    connector_kph: float | None = None

    def __post_init__(self) -> None:
        """Refuse a snap table without its columns, a distance that is not positive and a speed that is not."""
        if self.snapped is not None and not (
            isinstance(self.snapped, pd.DataFrame) and {"osm_node", "snap_m"} <= set(self.snapped.columns)
        ):
            raise SnapError("snapped must be a table from pxnet.osm.snap (with columns osm_node and snap_m)")
        distance = self.max_distance_m
        if isinstance(distance, bool) or not isinstance(distance, numbers.Real) or not float(distance) > 0:
            raise SnapError(f"max_distance_m must be a positive number of metres, not {distance!r}")
        if self.connector_kph is not None:
            positive_kph(self.connector_kph)


class DownloadKeywords(TypedDict, total=False):
    """How a download from OpenStreetMap is made (:class:`DownloadOptions`)."""

    timeout_s: float
    probe_timeout_s: float
    cache_folder: str | Path | None


@dataclass(frozen=True, kw_only=True)
class DownloadOptions(Options):
    """How a download from OpenStreetMap is made.

    Parameters
    ----------
    timeout_s
        Timeout of each download request (s); also the Overpass server-side limit.
    probe_timeout_s
        Timeout of the quick probe of the Overpass status endpoint made first (s).
    cache_folder
        osmnx's HTTP cache folder (default: ``osmnx.settings.cache_folder``).

    Examples
    --------
    >>> DownloadOptions(timeout_s=0)
    Traceback (most recent call last):
    ...
    pxnet.errors.RoutingError: timeout_s=0 must be greater than 0 (allowed: 0 < value <= 86400)
    """

    timeout_s: float = 180.0
    probe_timeout_s: float = 5.0
    cache_folder: str | Path | None = None

    def __post_init__(self) -> None:
        """Refuse a timeout that is not a positive number of seconds."""
        check_argument("timeout_s", self.timeout_s, _TIMEOUT_LIMIT)
        check_argument("probe_timeout_s", self.probe_timeout_s, _TIMEOUT_LIMIT)
