"""Uncertain inputs as data: a distribution for each parameter range and for each uncertain opening date.

``parameters.yaml`` may give a parameter with a ``range`` a ``distribution``::

    transfer_min:
      value: 15
      range: [10, 25]
      distribution: {shape: triangular, mode: 15, source: "estimate: ..."}

(``shape`` is ``uniform`` or ``triangular``; a triangular ``mode`` defaults to the parameter's value, and for
``speed_kph`` it may be a mapping by link mode.) A range without a distribution is sampled uniformly.

``projects.yaml`` may give a project an ``opening``: a distribution of its opening date built from sourced
schedule dates and an allowance for slip, each value with its own source::

    opening:
      shape: triangular
      low: {date: 2029-03, source: "..."}
      mode: {date: 2030-08-15, source: "..."}
      high: {date: 2030-08-15, source: "..."}
      slip_months: {value: 12, source: "estimate: ..."}

The earliest opening is the first day of ``low``; the latest is the last day of ``high`` plus ``slip_months``.
These keys are read here, apart from the files' other readers, by :func:`read_uncertainty`.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..dates import PartialDate
from ..errors import DataValidationError, Problem
from ..parameters import Parameters
from ..vocabulary import did_you_mean
from ._readers import read_yaml

#: Shapes a distribution may take.
SHAPES = ("uniform", "triangular")
_DIST_KEYS = {"shape", "mode", "source"}
_OPENING_KEYS = {"shape", "low", "mode", "high", "slip_months", "note"}


@dataclass(frozen=True)
class Distribution:
    """A bounded distribution of one uncertain input: ``uniform`` on ``[low, high]`` or ``triangular``.

    Examples
    --------
    >>> Distribution("triangular", 10.0, 25.0, 15.0).ppf(np.array([0.0, 1 / 3, 1.0])).round(6).tolist()
    [10.0, 15.0, 25.0]
    """

    shape: str
    low: float
    high: float
    mode: float | None = None

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Return the quantiles at probabilities ``u`` (inverse CDF), used to map unit samples onto the input."""
        u = np.asarray(u, dtype=float)
        lo, hi = self.low, self.high
        if hi <= lo:
            return np.full_like(u, lo)
        if self.shape == "uniform" or self.mode is None:
            return lo + u * (hi - lo)
        c = (self.mode - lo) / (hi - lo)
        left = lo + np.sqrt(u * (hi - lo) * (self.mode - lo))
        right = hi - np.sqrt((1.0 - u) * (hi - lo) * (hi - self.mode))
        return np.where(u < c, left, right)

    def cdf(self, x: float) -> float:
        """Return the probability that the input is at most ``x``.

        Examples
        --------
        >>> Distribution("uniform", 0.0, 4.0).cdf(1.0)
        0.25
        """
        lo, hi = self.low, self.high
        if x <= lo:
            return 0.0
        if x >= hi:
            return 1.0
        if self.shape == "uniform" or self.mode is None:
            return (x - lo) / (hi - lo)
        m = self.mode
        if x <= m:
            return (x - lo) ** 2 / ((hi - lo) * (m - lo))
        return 1.0 - (hi - x) ** 2 / ((hi - lo) * (hi - m))


@dataclass(frozen=True)
class Factor:
    """One uncertain input of an ensemble.

    ``kind`` is ``"parameter"`` (``target`` is a parameter name or ``speed_kph.<mode>``, values in ``unit``) or
    ``"opening"`` (``target`` is a project id, values are days since 0001-01-01, i.e. ``date.toordinal()``).
    ``source`` says where the distribution comes from.
    """

    name: str
    kind: str
    target: str
    distribution: Distribution
    unit: str
    source: str

    def value_text(self, value: float) -> str:
        """Format a sampled value as text: a date for an opening, a number otherwise."""
        if self.kind == "opening":
            return dt.date.fromordinal(round(value)).isoformat()
        return f"{value:g}"


@dataclass(frozen=True)
class Uncertainty:
    """The uncertain inputs of a data folder, in a fixed order (parameters as in the file, then openings)."""

    factors: tuple[Factor, ...]

    @property
    def names(self) -> list[str]:
        """Factor names: parameter names and ``opening.<project>``."""
        return [f.name for f in self.factors]

    def select(self, names: Collection[str] | None) -> Uncertainty:
        """Only the named factors (all when ``None``), in this order; see :func:`select_factors`."""
        return self if names is None else select_factors(self, names)


def select_factors(uncertainty: Uncertainty, names: Collection[str]) -> Uncertainty:
    """Return the named factors of ``uncertainty``; unknown names raise ``pxnet.AnalysisError`` with suggestions."""
    from ..errors import AnalysisError

    known = uncertainty.names
    unknown = [n for n in names if n not in known]
    if unknown:
        hints = "; ".join(f"{n!r}{did_you_mean(n, known)}" for n in unknown)
        raise AnalysisError(f"unknown uncertain input(s): {hints}; known: {', '.join(known) or 'none'}")
    return Uncertainty(tuple(f for f in uncertainty.factors if f.name in set(names)))


def _add_months(day: dt.date, months: int) -> dt.date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _where(file: str, line: Any, record: str | None, problems: list[Problem]) -> Any:
    def problem(column: str, message: str) -> None:
        problems.append(Problem(file, line if isinstance(line, int) else None, record, column, message))

    return problem


def _unknown_keys(raw: dict[str, Any], allowed: Collection[str], prefix: str, problem: Any) -> bool:
    # Reports each key of ``raw`` outside ``allowed``; True when there was none.
    ok = True
    for key in raw:
        if key != "__line__" and key not in allowed:
            problem(f"{prefix}.{key}", f"unknown key{did_you_mean(str(key), allowed)}")
            ok = False
    return ok


def _known_shape(raw: dict[str, Any], prefix: str, problem: Any) -> str | None:
    # The distribution's shape, or None (reported) when it is not one of SHAPES.
    shape = raw.get("shape")
    if shape not in SHAPES:
        problem(
            f"{prefix}.shape",
            f"unknown shape {shape!r}{did_you_mean(str(shape), SHAPES)}; allowed: {', '.join(SHAPES)}",
        )
        return None
    return str(shape)


def _triangular_mode(raw: dict[str, Any], name: str, value: Any, low: float, high: float, problem: Any) -> float | None:
    # The mode of a parameter's triangular distribution (default: its value), or None (reported) if invalid.
    given = raw.get("mode", value)
    if isinstance(given, Mapping) and name.startswith("speed_kph."):
        given = given.get(name.removeprefix("speed_kph."), value)
    if isinstance(given, bool) or not isinstance(given, (int, float)):
        problem("distribution.mode", f"{name}: the mode must be a number, got {given!r}")
        return None
    if not low <= given <= high:
        problem("distribution.mode", f"{name}: the mode {given:g} lies outside the range {low:g}–{high:g}")
        return None
    return float(given)


def _parameter_factor(
    name: str, low: float, high: float, entry: dict[str, Any], parameters: Parameters, file: str, problem: Any
) -> Factor | None:
    # One parameter's factor: uniform over its range unless ``entry`` gives a valid distribution.
    unit = str(entry.get("unit") or "")
    raw = entry.get("distribution")
    if raw is None:
        source = f"no distribution in {file}: uniform over the range {low:g}–{high:g}"
        return Factor(name, "parameter", name, Distribution("uniform", low, high), unit, source)
    if not isinstance(raw, dict):
        problem("distribution", "expected a mapping {shape, mode, source}")
        return None
    _unknown_keys(raw, _DIST_KEYS, "distribution", problem)
    shape = _known_shape(raw, "distribution", problem)
    if shape is None:
        return None
    source = str(raw.get("source") or "")
    if not source.strip():
        problem("distribution.source", "required: where the distribution comes from, or 'estimate: ...'")
        return None
    mode: float | None = None
    if shape == "triangular":
        mode = _triangular_mode(raw, name, parameters.value(name), low, high, problem)
        if mode is None:
            return None
    elif "mode" in raw:
        problem("distribution.mode", "a uniform distribution has no mode")
        return None
    return Factor(name, "parameter", name, Distribution(shape, low, high, mode), unit, source.strip())


def _parameter_factors(path: Path, parameters: Parameters, problems: list[Problem]) -> list[Factor]:
    # The file's own reader reports unreadable YAML; a second report here would only repeat it.
    data = read_yaml(path, []) if path.is_file() else None
    data = data if isinstance(data, dict) else {}
    out: list[Factor] = []
    for name, (low, high) in parameters.ranges.items():
        top = name.split(".")[0]
        entry: dict[str, Any] = data[top] if isinstance(data.get(top), dict) else {}
        raw = entry.get("distribution")
        where = raw if isinstance(raw, dict) else entry
        problem = _where(path.name, where.get("__line__"), top, problems)
        factor = _parameter_factor(name, low, high, entry, parameters, path.name, problem)
        if factor is not None:
            out.append(factor)
    return out


def _opening_dates(
    raw: dict[str, Any], wanted: tuple[str, ...], problem: Any
) -> tuple[dict[str, PartialDate], list[str], bool]:
    # The dated points of an opening distribution, their sources, and whether all of them were valid.
    ok = True
    dates: dict[str, PartialDate] = {}
    sources: list[str] = []
    for key in wanted:
        entry = raw.get(key)
        if not isinstance(entry, dict):
            problem(f"opening.{key}", "required: {date, source}")
            ok = False
            continue
        try:
            dates[key] = PartialDate.parse(entry.get("date"))
        except ValueError as exc:
            problem(f"opening.{key}.date", f"unparsable date: {exc}")
            ok = False
        source = entry.get("source")
        if not isinstance(source, str) or not source.strip():
            problem(f"opening.{key}.source", "required: where the date comes from, or 'estimate: ...'")
            ok = False
        else:
            sources.append(f"{key}: {source.strip()}")
    return dates, sources, ok


def _slip_months(raw: dict[str, Any], sources: list[str], problem: Any) -> int | None:
    # The slip allowance in whole months (0 when not given), or None (reported) if invalid; a given
    # allowance's source joins ``sources``.
    slip = raw.get("slip_months", {"value": 0, "source": "no slip allowance"})
    months = slip.get("value") if isinstance(slip, dict) else None
    if isinstance(months, bool) or not isinstance(months, int) or months < 0:
        problem("opening.slip_months", f"expected {{value: whole months >= 0, source}}, got {slip!r}")
        return None
    if not isinstance(slip.get("source"), str) or not slip["source"].strip():
        problem("opening.slip_months.source", "required: why this allowance, or 'estimate: ...'")
        return None
    if "slip_months" in raw:
        sources.append(f"slip_months {months}: {slip['source'].strip()}")
    return months


def _opening_factor(record: str, raw: dict[str, Any], problem: Any) -> Factor | None:
    # One project's opening-date factor, or None (reported) when its ``opening`` mapping is invalid.
    ok = _unknown_keys(raw, _OPENING_KEYS, "opening", problem)
    shape = _known_shape(raw, "opening", problem)
    if shape is None:
        return None
    wanted = ("low", "mode", "high") if shape == "triangular" else ("low", "high")
    if shape == "uniform" and "mode" in raw:
        problem("opening.mode", "a uniform distribution has no mode")
        ok = False
    dates, sources, dates_ok = _opening_dates(raw, wanted, problem)
    months = _slip_months(raw, sources, problem)
    if not (ok and dates_ok) or months is None:
        return None
    low = dates["low"].start
    high = _add_months(dates["high"].end, months)
    mode = dates["mode"].end if "mode" in dates else None
    if not low <= high or (mode is not None and not low <= mode <= high):
        problem("opening", f"expected low <= mode <= high (+ slip), got {low} / {mode} / {high}")
        return None
    dist = Distribution(
        shape, float(low.toordinal()), float(high.toordinal()), None if mode is None else float(mode.toordinal())
    )
    return Factor(f"opening.{record}", "opening", record, dist, "date", "; ".join(sources))


def _opening_factors(path: Path, projects: Collection[str], problems: list[Problem]) -> list[Factor]:
    data = read_yaml(path, []) if path.is_file() else None
    out: list[Factor] = []
    for item in data if isinstance(data, list) else []:
        if not isinstance(item, dict) or "opening" not in item:
            continue
        record = str(item.get("id") or "")
        raw = item["opening"]
        problem = _where(
            path.name, raw.get("__line__") if isinstance(raw, dict) else item.get("__line__"), record or None, problems
        )
        if record not in projects:
            continue  # the project reader reports the project itself
        if not isinstance(raw, dict):
            problem("opening", "expected a mapping {shape, low, mode, high, slip_months}")
            continue
        factor = _opening_factor(record, raw, problem)
        if factor is not None:
            out.append(factor)
    return out


def read_uncertainty(
    folder: Path, problems: list[Problem], *, parameters: Parameters, projects: Collection[str]
) -> Uncertainty:
    """Read the uncertain inputs of a data folder: parameter distributions, then opening-date distributions.

    Parameters
    ----------
    folder
        The data folder (``parameters.yaml`` and ``projects.yaml`` are read; both may lack these keys).
    problems
        Where each problem is recorded, with file, line, record and key.
    parameters
        The folder's parameters, already read (their ``ranges`` bound each distribution).
    projects
        The folder's project ids.

    Examples
    --------
    >>> from pxnet.network import bundled_data_path
    >>> from pxnet.io._yaml import read_parameters, read_projects
    >>> folder, problems = bundled_data_path(), []
    >>> u = read_uncertainty(folder, problems, parameters=read_parameters(folder / "parameters.yaml", problems),
    ...                      projects=read_projects(folder / "projects.yaml", problems))
    >>> "opening.changgan" in u.names, problems
    (True, [])
    """
    folder = Path(folder)
    factors = _parameter_factors(folder / "parameters.yaml", parameters, problems)
    factors += _opening_factors(folder / "projects.yaml", projects, problems)
    return Uncertainty(tuple(factors))


def load_uncertainty(folder: Path, *, parameters: Parameters, projects: Collection[str]) -> Uncertainty:
    """:func:`read_uncertainty`, raising one :class:`~pxnet.errors.DataValidationError` listing every problem."""
    problems: list[Problem] = []
    out = read_uncertainty(folder, problems, parameters=parameters, projects=projects)
    if problems:
        raise DataValidationError(problems, folder=str(folder))
    return out


__all__ = ["SHAPES", "Distribution", "Factor", "Uncertainty", "load_uncertainty", "read_uncertainty"]
