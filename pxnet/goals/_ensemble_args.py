"""Checks of :func:`pxnet.ensemble`'s arguments, made before anything is sampled or allocated.

Each check names the argument, says what it got and what is accepted. The bounds are part of the documented API
(docs/assessment.md, "Ensembles"): an untrusted ``draws=10**9`` is refused before 100 GB of samples are
allocated, a year outside the model's plausible range is refused instead of being evaluated silently.
"""

from __future__ import annotations

import dataclasses
import itertools
import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict

import numpy as np

from ..errors import AnalysisError
from ..routing import Options, accept_keywords

#: Most input sets one ensemble evaluates (``draws``, or ``draws × (inputs + 2)`` with ``sobol=True``): with
#: 10 goals and 4 years that is 4 million result rows, about 1 GB of table.
MAX_DRAWS = 100_000
#: Years an ensemble accepts: the bundled data describe the network from the 2000s and plans to the 2030s; a
#: year outside this span is a typo (``20300``) or beyond anything the data can say.
MIN_YEAR, MAX_YEAR = 2000, 2100
#: Most local worker processes (each holds a copy of the network and its routers, ≈ 150 MB).
MAX_WORKERS = 256
#: Largest seed (NumPy's generators take any non-negative integer; beyond 2**63 it is surely not meant).
MAX_SEED = 2**63 - 1
BASES = ("expected", "actual", "plan")
SAMPLERS = ("lhs", "sobol")

#: A progress callback: called with the number of draws finished after each batch.
Progress = Callable[[int], None]


def _is_int(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def whole_number(name: str, value: Any, *, low: int, high: int, what: str = "a whole number") -> int:
    """Return ``value`` as an int if it is an integer (not a bool, float or string) within ``[low, high]``.

    Examples
    --------
    >>> whole_number("draws", 12, low=1, high=100)
    12
    >>> whole_number("draws", "12", low=1, high=100)
    Traceback (most recent call last):
    ...
    pxnet.errors.AnalysisError: draws must be a whole number from 1 to 100, got '12' (a str)
    """
    if not _is_int(value) or not low <= int(value) <= high:
        kind = "" if _is_int(value) else f" (a {type(value).__name__})"
        raise AnalysisError(f"{name} must be {what} from {low:,} to {high:,}, got {value!r}{kind}")
    return int(value)


def check_draws(draws: Any, *, factors: int, sobol: bool) -> int:
    """Check ``draws`` and, with ``sobol``, that the ``draws × (factors + 2)`` input sets stay within the bound."""
    n = whole_number("draws", draws, low=2 if sobol else 1, high=MAX_DRAWS)
    if sobol and n * (factors + 2) > MAX_DRAWS:
        raise AnalysisError(
            f"draws={n:,} with sobol=True evaluates draws × (inputs + 2) = {n * (factors + 2):,} input sets "
            f"({factors} inputs), more than the {MAX_DRAWS:,} an ensemble allows; use at most "
            f"{MAX_DRAWS // (factors + 2):,} draws or fewer inputs"
        )
    return n


def check_seed(seed: Any) -> int:
    """Check that the seed is a non-negative integer."""
    return whole_number("seed", seed, low=0, high=MAX_SEED, what="a non-negative whole number")


def check_workers(workers: Any) -> int | None:
    """Return the pool size asked for: ``None`` (or ``"auto"``) for one per CPU, else a whole number ≥ 1."""
    if workers is None or (isinstance(workers, str) and workers == "auto"):
        return None
    if isinstance(workers, str):
        raise AnalysisError(f"workers must be a whole number from 1 to {MAX_WORKERS}, None or 'auto', got {workers!r}")
    return whole_number("workers", workers, low=1, high=MAX_WORKERS, what="None, 'auto' or a whole number")


def check_years(years: Any) -> tuple[int, ...]:
    """Return the years as a tuple of ints: a list of whole years in the accepted span, or one year alone.

    Examples
    --------
    >>> check_years(2030), check_years([2028, 2030])
    ((2030,), (2028, 2030))
    >>> check_years([2030.7])
    Traceback (most recent call last):
    ...
    pxnet.errors.AnalysisError: years must be whole years from 2000 to 2100, got 2030.7 (a float) in position 0
    """
    if _is_int(years):
        years = [years]
    if isinstance(years, (str, bytes, Mapping)) or not isinstance(years, Iterable):
        raise AnalysisError(
            f"years must be a list of whole years from {MIN_YEAR} to {MAX_YEAR} (or one year), got {years!r}"
        )
    # Any iterable (a list, range, NumPy array), read no further than one past the most distinct years allowed.
    years = list(itertools.islice(years, MAX_YEAR - MIN_YEAR + 2))
    if not years:
        raise AnalysisError("years is empty: give at least one year")
    out: list[int] = []
    for i, year in enumerate(years):
        if not _is_int(year) or not MIN_YEAR <= int(year) <= MAX_YEAR:
            kind = "" if _is_int(year) else f" (a {type(year).__name__})"
            raise AnalysisError(
                f"years must be whole years from {MIN_YEAR} to {MAX_YEAR}, got {year!r}{kind} in position {i}"
            )
        if int(year) in out:
            raise AnalysisError(f"years lists {int(year)} twice")
        out.append(int(year))
    return tuple(out)


def check_names(name: str, value: Any) -> list[str] | None:
    """Return ``None``, or a name or a list of names as a list; an empty list or non-text entries are refused."""
    if value is None:
        return None
    if isinstance(value, str):
        return [value]
    if not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise AnalysisError(f"{name} must be a name or a list of names, got {value!r}")
    if not value:
        raise AnalysisError(f"{name} is empty: leave it out (None) for all, or name at least one")
    return list(value)


def check_flag(name: str, value: Any) -> bool:
    """Check that ``value`` is True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise AnalysisError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_choice(name: str, value: Any, choices: Sequence[str]) -> str:
    """Check that ``value`` is one of ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise AnalysisError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")
    return value


def run_options(options: Mapping[str, Any]) -> RunOptions:
    """Check how an ensemble is to draw and run (:class:`EnsembleOptions`), with the defaults filled in.

    Raises
    ------
    pxnet.errors.ArgumentError
        For a keyword :func:`pxnet.ensemble` does not take, naming the nearest one it does.
    AnalysisError
        For a sampler, ``sobol``, ``workers`` or ``batch_size`` out of its range.

    Examples
    --------
    >>> run_options({"workers": "auto", "sampler": "sobol"})
    RunOptions(sampler='sobol', sobol=False, engine='local', workers=None, batch_size=None, progress=None)
    """
    accept_keywords(options, EnsembleOptions, function="ensemble")
    given = RunOptions.pick(options)  # the defaults are the record's own
    workers = check_workers(given.workers)
    sampler = check_choice("sampler", given.sampler, SAMPLERS)
    sobol = check_flag("sobol", given.sobol)
    batch = given.batch_size
    return dataclasses.replace(
        given,
        sampler=sampler,
        sobol=sobol,
        workers=workers,
        batch_size=None if batch is None else whole_number("batch_size", batch, low=1, high=MAX_DRAWS),
    )


def check_confidence(confidence: Any) -> float:
    """Check a confidence level: a number strictly between 0 and 1."""
    if isinstance(confidence, bool) or not isinstance(confidence, numbers.Real) or not 0 < float(confidence) < 1:
        raise AnalysisError(f"confidence must be a number between 0 and 1 (e.g. 0.95), got {confidence!r}")
    return float(confidence)


class EnsembleOptions(TypedDict, total=False):
    """How :func:`pxnet.ensemble` draws and runs, beside what it evaluates (see its parameters)."""

    sampler: str
    sobol: bool
    engine: Any
    workers: int | str | None
    batch_size: int | None
    progress: bool | Progress | None


@dataclass(frozen=True)
class RunOptions(Options):
    """How an ensemble draws and runs, checked; ``workers`` is a whole number, or ``None`` for one per CPU.

    ``sampler`` and ``sobol`` say how the inputs are drawn; ``engine``, ``workers``, ``batch_size`` and ``progress``
    how the draws are evaluated (see :func:`pxnet.ensemble`).
    """

    sampler: str = "lhs"
    sobol: bool = False
    engine: Any = "local"
    workers: int | None = None
    batch_size: int | None = None
    progress: bool | Progress | None = None


__all__ = [
    "BASES",
    "MAX_DRAWS",
    "MAX_SEED",
    "MAX_WORKERS",
    "MAX_YEAR",
    "MIN_YEAR",
    "SAMPLERS",
    "EnsembleOptions",
    "Progress",
    "RunOptions",
    "check_choice",
    "check_confidence",
    "check_draws",
    "check_flag",
    "check_names",
    "check_seed",
    "check_workers",
    "check_years",
    "run_options",
    "whole_number",
]
