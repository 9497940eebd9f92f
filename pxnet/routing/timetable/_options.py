"""The options of timetable questions that name which trains they see (see ``routing/_keywords``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

import numpy as np

from ...errors import RoutingError
from .._keywords import Options
from ._gtfs import Timetable

__all__ = ["FeedKeywords", "FeedOptions"]


class FeedKeywords(TypedDict, total=False):
    """Which trains a timetable question sees (:class:`FeedOptions`)."""

    timetable: Timetable | str | Path | None
    scheduled_only: bool


@dataclass(frozen=True, kw_only=True)
class FeedOptions(Options):
    """Which trains a timetable question sees.

    Parameters
    ----------
    timetable
        A feed (or a GTFS folder or zip) to use instead of the network's bundled ``timetable/``.
    scheduled_only
        Leave out the modelled trips: the answer of the published trains alone.

    Examples
    --------
    >>> FeedOptions(scheduled_only="yes")
    Traceback (most recent call last):
    ...
    pxnet.errors.RoutingError: scheduled_only must be True or False, not 'yes'
    """

    timetable: Timetable | str | Path | None = None
    scheduled_only: bool = False

    def __post_init__(self) -> None:
        """Refuse a feed that is neither a timetable nor a path, and a switch that is not a truth value."""
        if self.timetable is not None and not isinstance(self.timetable, (Timetable, str, Path)):
            raise RoutingError(
                f"timetable must be a Timetable or a GTFS folder or zip, not {type(self.timetable).__name__}"
            )
        if not isinstance(self.scheduled_only, (bool, np.bool_)):
            raise RoutingError(f"scheduled_only must be True or False, not {self.scheduled_only!r}")
