"""How likely is each goal to be met by a given year? Ensembles over the model's uncertain inputs.

:func:`ensemble` draws joint samples of every uncertain input (each parameter over its range, each uncertain
project's opening date; the distributions are data, read by :func:`pxnet.io.load_uncertainty`) with a Latin
hypercube or a scrambled Sobol sequence, evaluates every goal at the end of each year for each draw, and returns
an :class:`Ensemble`: a tidy table of verdicts and margins, P(met) with confidence intervals, the spread of the
margins, and which inputs decide each goal (variance-based Sobol indices with ``sobol=True``, rank correlations
otherwise).

The draws are generated up front in the calling process and each draw's result depends only on its own inputs,
so a seed gives the same table on any engine and any number of workers. Engines: ``"local"`` (this process, or
a persistent pool of worker processes, see :mod:`pxnet.goals._ensemble_pool`) or a ``dask.distributed.Client``
(the network is scattered to every worker once).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._progress import Bar
from ..errors import AnalysisError
from ..io import Factor, Goal, Uncertainty, load_uncertainty
from ..network import Network
from ..routing import spelled_out
from ..scenario import resolve_network
from ._ensemble_args import (
    BASES,
    MAX_DRAWS,
    MAX_WORKERS,
    MAX_YEAR,
    MIN_YEAR,
    SAMPLERS,
    EnsembleOptions,
    Progress,
    RunOptions,
    check_choice,
    check_confidence,
    check_draws,
    check_names,
    check_seed,
    check_years,
    run_options,
    whole_number,
)
from ._ensemble_draws import Batch, Job, draw_changes, year_scenario
from ._ensemble_pool import (
    batch_sizes,
    dask_workers,
    is_dask_client,
    local_workers,
    run_dask,
    run_local,
)
from ._ensemble_sobol import pick_freeze, sobol_indices
from ._select import select_goals

if TYPE_CHECKING:
    from typing import Unpack

#: Years evaluated when none are given: the plan's horizon, two in the 长赣 window, and a later one.
DEFAULT_YEARS = (2025, 2028, 2030, 2035)
#: Columns of :attr:`Ensemble.results`.
RESULT_COLUMNS = ["draw", "year", "goal", "status", "met", "value", "margin", "unit"]
#: Columns of :meth:`Ensemble.sensitivity` (Sobol indices).
SOBOL_COLUMNS = ["goal", "year", "factor", "S1", "S1_low", "S1_high", "ST", "ST_low", "ST_high", "variance", "rank"]


# -- sampling --------------------------------------------------------------------------------------------


def unit_samples(dimensions: int, draws: int, *, seed: int, sampler: str = "lhs") -> np.ndarray:
    """``draws`` × ``dimensions`` points in the unit cube from :mod:`scipy.stats.qmc`.

    ``"lhs"`` is a Latin hypercube (each input's range cut into ``draws`` equal-probability strata, one draw
    in each); ``"sobol"`` a scrambled Sobol sequence (best with a power of two of draws).

    Examples
    --------
    >>> u = unit_samples(2, 4, seed=1)
    >>> u.shape, sorted((u[:, 0] * 4).astype(int).tolist())
    ((4, 2), [0, 1, 2, 3])
    """
    import warnings

    from scipy.stats import qmc

    check_choice("sampler", sampler, SAMPLERS)
    if dimensions == 0:
        return np.zeros((draws, 0))
    kind = qmc.LatinHypercube if sampler == "lhs" else qmc.Sobol
    try:
        engine = kind(d=dimensions, rng=np.random.default_rng(seed))
    except TypeError:  # SciPy < 1.15 names the generator "seed"
        engine = kind(d=dimensions, seed=np.random.default_rng(seed))
    with warnings.catch_warnings():
        # Sobol's balance warning for a draw count that is not a power of two; the docs say so.
        warnings.simplefilter("ignore", UserWarning)
        return np.asarray(engine.random(draws))


def _to_values(factors: Sequence[Factor], u: np.ndarray) -> np.ndarray:
    values = np.empty_like(u)
    for j, factor in enumerate(factors):
        values[:, j] = factor.distribution.ppf(u[:, j])
        if factor.kind == "opening":
            values[:, j] = np.floor(values[:, j])  # whole days
    return values


def sample_inputs(
    factors: Sequence[Factor], draws: int, *, seed: int, sampler: str = "lhs", sobol: bool = False
) -> np.ndarray:
    """Sample the value of each factor (columns) in each draw (rows) through each distribution's quantiles.

    With ``sobol``, Saltelli's design: two independent samples ``A`` and ``B`` of ``draws`` rows (one
    ``2d``-dimensional sample cut in halves) and, per base row, ``A``, ``B`` and ``A`` with each input in turn
    taken from ``B``: ``draws × (d + 2)`` rows (see :func:`pxnet.goals._ensemble_sobol.pick_freeze`).
    """
    d = len(factors)
    if not sobol:
        return _to_values(factors, unit_samples(d, draws, seed=seed, sampler=sampler))
    u = unit_samples(2 * d, draws, seed=seed, sampler=sampler)
    return _to_values(factors, pick_freeze(u[:, :d], u[:, d:]))


def wilson_interval(met: Any, n: Any, *, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion ``met / n`` (arrays allowed).

    Examples
    --------
    >>> lo, hi = wilson_interval(5, 10)
    >>> round(float(lo), 3), round(float(hi), 3)
    (0.237, 0.763)
    >>> [float(x) for x in wilson_interval(0, 8)][0], [float(x) for x in wilson_interval(8, 8)][1]
    (0.0, 1.0)
    """
    from scipy.stats import norm

    check_confidence(confidence)
    k, n = np.asarray(met, dtype=float), np.asarray(n, dtype=float)
    z = float(norm.ppf(0.5 + confidence / 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    low, high = np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)
    # The exact ends: with no draw met the lower bound is 0 (not 3.5e-18 of rounding), with all met the upper is 1.
    return np.where(k <= 0, 0.0, low), np.where(k >= n, 1.0, high)


# -- the result ------------------------------------------------------------------------------------------


def _ranked(out: pd.DataFrame, strength: pd.Series) -> pd.DataFrame:
    """Rank the factors of each goal and year by ``strength`` (1 = strongest, NaN last) and sort by that rank."""
    out["rank"] = (
        out.assign(strength=strength.fillna(-1.0))
        .groupby(["goal", "year"])["strength"]
        .rank(ascending=False, method="first")
        .astype(int)
    )
    return out.sort_values(["goal", "year", "rank"], kind="stable").reset_index(drop=True)


@dataclass
class Ensemble:
    """The verdicts of every goal in every year over many joint draws of the uncertain inputs.

    Attributes
    ----------
    results
        The tidy table: one row per evaluated input set, year and goal (columns :data:`RESULT_COLUMNS`):
        ``status`` as in :func:`pxnet.assess`, ``met`` (the check holds at the end of that year, whatever the
        deadline), the measured ``value``, the ``margin`` (positive inside the target) and its ``unit``.
    inputs
        One row per evaluated input set (index ``draw``), one column per uncertain input (opening dates as dates).
    factors
        The uncertain inputs with their distributions and sources.
    blocks
        With ``sobol=True``, the block of Saltelli's design each input set belongs to (index ``draw``): ``"A"``,
        ``"B"``, or the name of the input taken from ``B``; ``None`` for a plain sample.
    """

    results: pd.DataFrame
    inputs: pd.DataFrame
    factors: tuple[Factor, ...]
    seed: int
    sampler: str
    basis: str
    engine: str
    workers: int
    seconds: float
    network: Network | None = field(default=None, repr=False)
    blocks: pd.Series | None = field(default=None, repr=False)

    @property
    def sobol(self) -> bool:
        """Whether the draws follow Saltelli's design (``ensemble(..., sobol=True)``)."""
        return self.blocks is not None

    @property
    def draws(self) -> int:
        """Number of joint draws asked for (with ``sobol=True``, base rows: each is evaluated ``d + 2`` times)."""
        return len(self.inputs) // (len(self.factors) + 2) if self.sobol else len(self.inputs)

    def frame(self) -> pd.DataFrame:
        """:attr:`results` with each draw's inputs as extra columns (one wide, tidy table).

        With ``sobol=True`` a ``block`` column says which block of the design each draw belongs to.
        """
        inputs = self.inputs if self.blocks is None else self.inputs.join(self.blocks)
        return self.results.merge(inputs, left_on="draw", right_index=True, how="left")

    def _sample(self) -> pd.DataFrame:
        """Return the results of independent draws: all, or the ``A`` and ``B`` blocks of a Sobol design."""
        if self.blocks is None:
            return self.results
        independent = self.blocks.index[self.blocks.isin(["A", "B"])]
        return self.results[self.results["draw"].isin(independent)]

    def p_met(self, *, confidence: float = 0.95) -> pd.DataFrame:
        """P(met) per goal and year with a Wilson score interval.

        Returns
        -------
        pandas.DataFrame
            Columns ``goal``, ``year``, ``draws``, ``met`` (count), ``p_met``, ``low``, ``high``. The bounds lie
            in [0, 1], are exactly 0 with no draw met and 1 with all met, and are rounded to 4 decimals.

        Notes
        -----
        The interval treats the draws as independent; a Latin hypercube's stratification makes the estimate
        at least as precise for the monotone checks here, so the interval errs on the wide side. With
        ``sobol=True`` the ``2N`` draws of the design's ``A`` and ``B`` blocks are counted (the others share
        all inputs but one with an ``A`` draw).
        """
        g = self._sample().groupby(["goal", "year"], sort=False)["met"]
        out = pd.DataFrame({"draws": g.size(), "met": g.sum().astype(int)}).reset_index()
        out["p_met"] = out["met"] / out["draws"]
        low, high = wilson_interval(out["met"], out["draws"], confidence=confidence)
        out["low"], out["high"] = np.round(low, 4), np.round(high, 4)
        return out

    def margins(self, *, quantiles: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
        """Return the distribution of margins per goal and year: quantiles, mean, and the share of unreachable draws."""
        rows = []
        for (goal, year), g in self._sample().groupby(["goal", "year"], sort=False):
            m = g["margin"].astype(float).to_numpy()
            finite = m[np.isfinite(m)]
            row: dict[str, Any] = {"goal": goal, "year": year, "unit": g["unit"].iloc[0]}
            for q in quantiles:
                row[f"q{round(q * 100):02d}"] = float(np.quantile(finite, q)) if len(finite) else math.nan
            row["mean"] = float(finite.mean()) if len(finite) else math.nan
            row["unreachable"] = float(np.mean(np.isneginf(m)))
            rows.append(row)
        return pd.DataFrame(rows)

    def sensitivity(self, *, output: str = "met", confidence: float = 0.95) -> pd.DataFrame:
        """Which inputs decide each goal: first-order and total Sobol indices with bootstrap intervals, per year.

        Needs an ensemble run with ``sobol=True`` (Saltelli's design, ``draws × (d + 2)`` evaluations).

        Parameters
        ----------
        output
            ``"met"`` (default): indices of the verdict (1 met, 0 not), i.e. of what makes P(met) what it is;
            ``"margin"``: of the margin (NaN for a goal and year where some draw is unreachable, whose margin is
            −inf).
        confidence
            Level of the percentile bootstrap intervals (resampling the base draws).

        Returns
        -------
        pandas.DataFrame
            Columns :data:`SOBOL_COLUMNS`: ``S1`` (the share of the output's variance due to the input alone),
            ``ST`` (the share involving it, interactions included), each with ``_low`` and ``_high``;
            ``variance`` of the output (0: the goal's verdict does not vary, the indices are NaN); ``rank``
            (1 = largest ``ST``).

        Notes
        -----
        Estimators: Saltelli et al. (2010) for ``S1``, Jansen (1999) for ``ST``; see
        :mod:`pxnet.goals._ensemble_sobol`. Estimates are noisy: small negative values, or an ``S1`` above its
        ``ST``, are sampling noise, and an interval that contains 0 means the input's share cannot be told from
        none at this number of draws. ``ST − S1`` is the share the input owes to interactions (a transfer time
        matters only to a route with a change; an opening date only in the years around it). The inputs are
        sampled independently, as the indices assume.
        """
        check_choice("output", output, ("met", "margin"))
        check_confidence(confidence)
        if self.blocks is None:
            raise AnalysisError(
                "Sobol indices need Saltelli's design: run pxnet.ensemble(..., sobol=True); rank_correlations() "
                "works on any ensemble"
            )
        d = len(self.factors)
        names = [f.name for f in self.factors]
        rows = []
        for (goal, year), g in self.results.groupby(["goal", "year"], sort=False):
            g = g.sort_values("draw")
            y = g["met"].to_numpy(dtype=float) if output == "met" else g["margin"].to_numpy(dtype=float)
            if not np.isfinite(y).all():
                y = np.full_like(y, np.nan)
            r = sobol_indices(y.reshape(-1, d + 2), confidence=confidence, seed=self.seed)
            for i, name in enumerate(names):
                rows.append(
                    [
                        goal,
                        year,
                        name,
                        r.s1[i],
                        r.s1_low[i],
                        r.s1_high[i],
                        r.st[i],
                        r.st_low[i],
                        r.st_high[i],
                        r.variance,
                        0,
                    ]
                )
        out = pd.DataFrame(rows, columns=SOBOL_COLUMNS)
        return _ranked(out, out["ST"])

    def rank_correlations(self) -> pd.DataFrame:
        """Spearman rank correlation of each input with the margin, per goal and year (any ensemble).

        Returns
        -------
        pandas.DataFrame
            Columns ``goal``, ``year``, ``factor``, ``spearman`` (−1…1; positive: a higher input widens the
            margin), ``delta_p`` (P(met) in the draws where the input is above its median minus P(met) where it
            is below), ``noise`` (``2/√N``: a ``|spearman|`` below it cannot be told from chance), ``rank``
            (1 = largest ``|spearman|``).

        Notes
        -----
        A quick screen, not an apportioning: rank correlations see monotone effects of one input at a time over
        the joint sample and miss interactions. With many inputs, some will pass the noise line by chance
        (about one in twenty with no effect at all). :meth:`sensitivity` gives variance-based indices with
        intervals.
        """
        from scipy.stats import rankdata

        numeric = self._numeric_inputs()
        rows = []
        for (goal, year), g in self._sample().groupby(["goal", "year"], sort=False):
            g = g.sort_values("draw")
            margin = g["margin"].astype(float).to_numpy()
            met = g["met"].to_numpy(dtype=bool)
            keep = ~np.isnan(margin)
            for name in numeric.columns:
                x = numeric.loc[g["draw"], name].to_numpy()
                rho = math.nan
                if keep.sum() > 2 and np.ptp(x[keep]) > 0 and np.ptp(margin[keep]) > 0:
                    rho = float(np.corrcoef(rankdata(x[keep]), rankdata(margin[keep]))[0, 1])
                median = np.median(x)
                above, below = met[x > median], met[x <= median]
                delta = float(above.mean() - below.mean()) if len(above) and len(below) else math.nan
                noise = 2 / math.sqrt(max(1, int(keep.sum())))
                rows.append(
                    {"goal": goal, "year": year, "factor": name, "spearman": rho, "delta_p": delta, "noise": noise}
                )
        out = pd.DataFrame(rows, columns=["goal", "year", "factor", "spearman", "delta_p", "noise"])
        return _ranked(out, out["spearman"].abs())

    def _numeric_inputs(self) -> pd.DataFrame:
        out = self.inputs.copy()
        for f in self.factors:
            if f.kind == "opening":
                out[f.name] = [d.toordinal() for d in out[f.name]]
        return out.astype(float)


# -- the entry point -------------------------------------------------------------------------------------


def _batches(values: np.ndarray, group: int, workers: int, batch_size: int | None) -> list[Batch]:
    """Cut the input sets into batches of whole groups (a Sobol design's ``d + 2`` rows stay together)."""
    groups = len(values) // group
    return [
        Batch(k, np.arange(start * group, stop * group), values[start * group : stop * group])
        for k, (start, stop) in enumerate(batch_sizes(groups, workers, batch_size))
    ]


def _reporter(progress: bool | Progress | None, total: int) -> tuple[Bar, Progress]:
    if callable(progress):
        return Bar(total, desc="ensemble", show=False), progress
    if progress is not None and not isinstance(progress, bool):
        raise AnalysisError(f"progress must be True, False, None or a callable, got {progress!r}")
    bar = Bar(total, desc="ensemble", unit="draw", show=progress)
    return bar, bar.update


def _check_engine(engine: Any) -> None:
    if not (is_dask_client(engine) or (isinstance(engine, str) and engine == "local")):
        raise AnalysisError(f"engine must be 'local' or a dask.distributed.Client, not {engine!r}")


@spelled_out(EnsembleOptions, RunOptions)
def ensemble(
    goals: Sequence[str] | str | None = None,
    years: Iterable[int] | int = DEFAULT_YEARS,
    *,
    draws: int = 200,
    seed: int = 0,
    network: Network | None = None,
    basis: str = "expected",
    inputs: Sequence[str] | str | None = None,
    **options: Unpack[EnsembleOptions],
) -> Ensemble:
    """Evaluate goals in many joint draws of the uncertain inputs: how likely each goal is met by each year.

    Parameters
    ----------
    goals
        A goal id or a list of them (default: every goal that is not a milestone; milestones are dates, not model
        results). An empty list is refused.
    years
        Whole years from 2000 to 2100, without repeats: a list (or any iterable: a range, a NumPy array), or one
        year; each is evaluated at 31 December under ``basis``.
    draws
        Number of joint draws, 1 to 100,000 (:data:`MAX_DRAWS`). With ``sobol=True`` it is the number of base
        draws ``N`` (at least 2), and ``N × (d + 2)`` input sets are evaluated (``d`` inputs), which must stay
        within the same bound.
    seed
        Seed of the sampler, a whole number ≥ 0. The same seed gives the same results on any engine and number
        of workers.
    engine
        ``"local"`` (this process, or a pool of ``workers`` processes) or a ``dask.distributed.Client`` (every
        worker of its cluster; needs the ``pxnet[dask]`` extra).
    workers
        Local pool size, a whole number from 1 to 256 (1 evaluates in this process); ``None`` or ``"auto"``
        (default): one per CPU this process may use. The pool persists for later ensembles of this process.
    network
        The network (default: the bundled one). Its data folder's distributions are used
        (``distribution`` in ``parameters.yaml``, ``opening`` in ``projects.yaml``; see docs/data-model.md).
    basis
        ``expected`` (default), ``actual`` or ``plan``: the dates of projects without a sampled opening.
    sampler
        ``"lhs"`` (Latin hypercube, default) or ``"sobol"`` (scrambled Sobol; use a power of two of draws).
    inputs
        Which uncertain inputs to vary, a name or a list (names as in :attr:`Ensemble.factors`; default all); the
        others stay at their values (parameters) or dates (projects).
    sobol
        Draw with Saltelli's design so that :meth:`Ensemble.sensitivity` can give Sobol indices.
    batch_size
        Draws (base draws with ``sobol``) per task, 1 to 100,000 (default: about four tasks per worker).
    progress
        ``None`` (default): a bar in a notebook or on a terminal, none when piped or in CI; ``True`` or
        ``False`` to force it; or a callable, called with the number of draws finished after each batch.

    Returns
    -------
    Ensemble
        Its ``results`` are the tidy table; ``p_met()``, ``margins()``, ``sensitivity()`` and
        ``rank_correlations()`` summarise it.

    Raises
    ------
    UnknownGoalError
        For an unknown goal id.
    AnalysisError
        For a milestone goal, an argument out of its range above, an unknown input, sampler, basis or engine, or
        a pool whose workers keep dying.

    Examples
    --------
    >>> import pxnet
    >>> e = pxnet.ensemble(["hsr3h_guangzhou_station"], [2030], draws=8, seed=1, workers=1)
    >>> e.p_met()[["goal", "year", "draws"]].values.tolist()
    [['hsr3h_guangzhou_station', 2030, 8]]
    """
    started = time.perf_counter()
    whole_number("draws", draws, low=1, high=MAX_DRAWS)  # before the network is read; sobol's bound below
    years = check_years(years)
    seed = check_seed(seed)
    run = run_options(options)
    check_choice("basis", basis, BASES)
    engine, sampler, sobol = run.engine, run.sampler, run.sobol
    _check_engine(engine)
    goal_ids = check_names("goals", goals)
    input_names = check_names("inputs", inputs)
    net = network if network is not None else resolve_network(None)
    chosen = _chosen_goals(net, goal_ids)
    uncertainty: Uncertainty = net.cache.get("uncertainty") or load_uncertainty(
        net.folder, parameters=net.parameters, projects=net.projects
    )
    net.cache["uncertainty"] = uncertainty
    factors = uncertainty.select(input_names).factors
    draws = check_draws(draws, factors=len(factors), sobol=sobol)
    values = sample_inputs(factors, draws, seed=seed, sampler=sampler, sobol=sobol)
    job = Job(tuple(g.id for g in chosen), years, basis, factors)
    dask = is_dask_client(engine)
    n_workers = dask_workers(engine) if dask else local_workers(run.workers)
    group = len(factors) + 2 if sobol else 1
    batches = _batches(values, group, n_workers, run.batch_size)
    done: dict[int, list[tuple[Any, ...]]] = {}
    bar, report = _reporter(run.progress, len(values))

    def finished(number: int, rows: list[tuple[Any, ...]]) -> None:
        done[number] = rows
        report(len(batches[number].draws))

    try:
        used = (
            run_dask(engine, net, job, batches, finished) if dask else run_local(net, job, batches, n_workers, finished)
        )
    finally:
        bar.close()
    rows = [row for number in sorted(done) for row in done[number]]
    results, table, blocks = _tables(rows, values, factors, draws if sobol else None)
    seconds = time.perf_counter() - started
    engine_name = "dask" if dask else "local"
    return Ensemble(results, table, factors, seed, sampler, basis, engine_name, used, seconds, net, blocks)


def _tables(
    rows: list[tuple[Any, ...]], values: np.ndarray, factors: tuple[Factor, ...], sobol_base: int | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series | None]:
    # The result table, the input sets (opening dates as dates) and, with sobol, each set's block of the design.
    results = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    results["value"] = results["value"].astype(float)
    results["margin"] = results["margin"].astype(float)
    index = pd.RangeIndex(len(values), name="draw")
    table = pd.DataFrame(values, columns=[f.name for f in factors], index=index)
    for f in factors:
        if f.kind == "opening":
            table[f.name] = [dt.date.fromordinal(int(v)) for v in table[f.name]]
    blocks = None
    if sobol_base is not None:
        blocks = pd.Series(np.tile(["A", "B", *[f.name for f in factors]], sobol_base), index=index, name="block")
    return results, table, blocks


def _chosen_goals(net: Network, goals: list[str] | None) -> list[Goal]:
    chosen = select_goals(net, goals, measured_only=True)
    dated = [g for g in chosen if not g.goal_type.measured]
    if dated:
        kinds = "/".join(sorted({g.type for g in dated}))
        raise AnalysisError(
            f"{kinds} goal(s) {', '.join(g.id for g in dated)} record dates, not model results; an ensemble varies "
            "the model's inputs, so leave them out"
        )
    return chosen


__all__ = [
    "DEFAULT_YEARS",
    "MAX_DRAWS",
    "MAX_WORKERS",
    "MAX_YEAR",
    "MIN_YEAR",
    "RESULT_COLUMNS",
    "SAMPLERS",
    "SOBOL_COLUMNS",
    "Ensemble",
    "draw_changes",
    "ensemble",
    "sample_inputs",
    "unit_samples",
    "wilson_interval",
    "year_scenario",
]
