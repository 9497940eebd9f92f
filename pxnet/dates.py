"""Partial dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) as used throughout pxnet's data files."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .errors import DateError

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
#: Years a pxnet date may have: transport history and plans, not year 0000 or 9999.
YEAR_RANGE = (1800, 2200)


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the year, month or day.

    Comparisons in pxnet use :attr:`end`, the last day of the period, so that a project "opened 2021-09"
    is never counted open before 30 September 2021 and a target "2025" means "by 31 December 2025".

    Examples
    --------
    >>> PartialDate.parse("2021-09").end
    datetime.date(2021, 9, 30)
    >>> str(PartialDate.parse("2025"))
    '2025'
    """

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Parse a string, an int year, or a ``datetime.date``.

        Raises
        ------
        ValueError
            If the value is not a valid ``YYYY[-MM[-DD]]`` date.
        """
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise DateError(f"expected a date YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
        m = _PATTERN.match(value.strip())
        if not m:
            raise DateError(f"{value!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        year, month, day = (int(g) if g else None for g in m.groups())
        assert year is not None
        if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
            raise DateError(f"{value!r} has year {year} (must be {YEAR_RANGE[0]}-{YEAR_RANGE[1]})")
        if month is not None and not 1 <= month <= 12:
            raise DateError(f"{value!r} has month {month} (must be 1-12)")
        if day is not None:
            assert month is not None
            if not 1 <= day <= calendar.monthrange(year, month)[1]:
                raise DateError(f"{value!r} has day {day}, not in that month")
        return cls(year, month, day)

    @property
    def start(self) -> dt.date:
        """First day of the period."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def end(self) -> dt.date:
        """Last day of the period (the date pxnet compares with)."""
        if self.day is not None:
            assert self.month is not None
            return dt.date(self.year, self.month, self.day)
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        """Return the date as precise as it is known: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
