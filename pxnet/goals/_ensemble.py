"""How likely is each goal to be met by a given year? Ensembles over the model's uncertain inputs.

:func:`ensemble` draws joint samples of every uncertain input (each parameter over its range, each uncertain
project's opening date; the distributions are data, read by :func:`pxnet.io.load_uncertainty`) with a Latin
hypercube or a scrambled Sobol sequence, evaluates every goal at the end of each year for each draw, and returns
an :class:`Ensemble`: a tidy table of verdicts and margins, P(met) with confidence intervals, the spread of the
margins, and which inputs decide each goal (rank correlations).

The draws are generated up front in the calling process and each draw's result depends only on its own inputs,
so a seed gives the same table on any engine and any number of workers. Engines: ``"local"`` (a process pool;
each worker receives the prepared network once, through the pool's initializer) or a
``dask.distributed.Client`` (the network is scattered to every worker once).
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import os
import pickle
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from ..errors import AnalysisError
from ..io import Factor, Goal, Uncertainty, load_uncertainty
from ..model import ScenarioSpec
from ..network import Network
from ..scenario import Scenario, resolve_network
from ._assess import select_goals
from ._checks import GoalEvaluator

#: Years evaluated when none are given: the plan's horizon, two in the 长赣 window, and a later one.
DEFAULT_YEARS = (2025, 2028, 2030, 2035)
#: Columns of :attr:`Ensemble.results`.
RESULT_COLUMNS = ["draw", "year", "goal", "status", "met", "value", "margin", "unit"]
SAMPLERS = ("lhs", "sobol")

Progress = Callable[[int], None]


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

    if sampler not in SAMPLERS:
        raise AnalysisError(f"unknown sampler {sampler!r}; use one of {', '.join(SAMPLERS)}")
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


def sample_inputs(factors: Sequence[Factor], draws: int, *, seed: int, sampler: str = "lhs") -> np.ndarray:
    """Sample the value of each factor (columns) in each draw (rows) through each distribution's quantiles."""
    u = unit_samples(len(factors), draws, seed=seed, sampler=sampler)
    values = np.empty_like(u)
    for j, factor in enumerate(factors):
        values[:, j] = factor.distribution.ppf(u[:, j])
        if factor.kind == "opening":
            values[:, j] = np.floor(values[:, j])  # whole days
    return values


def wilson_interval(met: Any, n: Any, *, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a proportion ``met / n`` (arrays allowed).

    Examples
    --------
    >>> lo, hi = wilson_interval(5, 10)
    >>> round(float(lo), 3), round(float(hi), 3)
    (0.237, 0.763)
    """
    from scipy.stats import norm

    k, n = np.asarray(met, dtype=float), np.asarray(n, dtype=float)
    z = float(norm.ppf(0.5 + confidence / 2))
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return np.clip(centre - half, 0.0, 1.0), np.clip(centre + half, 0.0, 1.0)


# -- evaluating draws ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Job:
    """What a worker needs besides the network: goals, years, basis and the factors' meaning."""

    goals: tuple[str, ...]
    years: tuple[int, ...]
    basis: str
    factors: tuple[Factor, ...]


class _Batch(NamedTuple):
    number: int
    draws: np.ndarray
    values: np.ndarray


def year_scenario(network: Network, year: int, basis: str = "expected") -> Scenario:
    """Build the network at the end of ``year`` under ``basis`` (``expected``: actual dates, then current schedules)."""
    cache: dict[tuple[int, str], Scenario] = network.cache.setdefault("ensemble_years", {})
    if (year, basis) not in cache:
        spec = ScenarioSpec(
            name=f"{basis}-{year}",
            date=dt.date(year, 12, 31),
            basis=basis,
            description=f"the network at the end of {year} ({basis} dates), base of an ensemble",
        )
        cache[(year, basis)] = Scenario(network, spec)
    return cache[(year, basis)]


def draw_changes(factors: Sequence[Factor], values: Sequence[float], date: dt.date) -> dict[str, Any]:
    """Return the :meth:`~pxnet.Scenario.derive` changes of one draw for a scenario at ``date``.

    Parameters go into ``parameters`` (default speeds as ``speed_kph``); a project whose sampled opening is
    on or before ``date`` is enabled, one opening later is disabled.
    """
    parameters: dict[str, Any] = {}
    enable: list[str] = []
    disable: list[str] = []
    for factor, value in zip(factors, values, strict=True):
        if factor.kind == "opening":
            opened = dt.date.fromordinal(int(value))
            (enable if opened <= date else disable).append(factor.target)
        elif factor.target.startswith("speed_kph."):
            parameters.setdefault("speed_kph", {})[factor.target.removeprefix("speed_kph.")] = float(value)
        else:
            parameters[factor.target] = float(value)
    changes: dict[str, Any] = {}
    if parameters:
        changes["parameters"] = parameters
    if enable:
        changes["enable"] = enable
    if disable:
        changes["disable"] = disable
    return changes


def _evaluate_batch(net: Network, job: _Job, batch: _Batch) -> list[tuple[Any, ...]]:
    by_id = {g.id: g for g in net.goals}
    goals = [by_id[g] for g in job.goals]
    # A fresh evaluator per batch: its baseline memo is keyed by the draw's parameters and would otherwise grow.
    evaluator = GoalEvaluator(net)
    rows: list[tuple[Any, ...]] = []
    for draw, values in zip(batch.draws, batch.values, strict=True):
        for year in job.years:
            base = year_scenario(net, year, job.basis)
            changes = draw_changes(job.factors, values, base.date)
            sc = base.derive(name=f"{base.name} draw {int(draw)}", **changes) if changes else base
            for goal in goals:
                r = evaluator.evaluate(goal, sc, trace=False)
                rows.append((int(draw), year, goal.id, r.status, bool(r.satisfied), r.value, r.margin, r.unit))
    return rows


_WORKER: dict[str, tuple[Network, _Job]] = {}


def _install(token: str, payload: bytes) -> tuple[Network, _Job]:
    if token not in _WORKER:
        _WORKER.clear()  # one ensemble at a time per worker process
        _WORKER[token] = pickle.loads(payload)
    return _WORKER[token]


def _pool_init(token: str, payload: bytes) -> None:
    _install(token, payload)


def _pool_batch(token: str, batch: _Batch) -> tuple[int, list[tuple[Any, ...]]]:
    net, job = _WORKER[token]
    return batch.number, _evaluate_batch(net, job, batch)


def _dask_batch(payload: bytes, token: str, batch: _Batch) -> tuple[int, list[tuple[Any, ...]]]:
    net, job = _install(token, payload)
    return batch.number, _evaluate_batch(net, job, batch)


def _payload(net: Network, job: _Job) -> bytes:
    """Pickle the network and the job once: the network without its memo of scenarios and routers."""
    clone = copy.copy(net)
    clone.cache = {}
    return pickle.dumps((clone, job), protocol=pickle.HIGHEST_PROTOCOL)


def _is_dask_client(engine: Any) -> bool:
    return all(hasattr(engine, name) for name in ("scatter", "submit", "scheduler_info"))


def _run(
    net: Network, job: _Job, batches: list[_Batch], engine: Any, workers: int | None, progress: Progress | None
) -> tuple[list[tuple[Any, ...]], str, int]:
    """Evaluate the batches on the engine; rows in draw order, the engine's name and its number of workers."""
    done: dict[int, list[tuple[Any, ...]]] = {}

    def finished(index: int, rows: list[tuple[Any, ...]]) -> None:
        done[index] = rows
        if progress is not None:
            progress(len(batches[index].draws))

    if _is_dask_client(engine):
        from distributed import as_completed as dask_completed

        n_workers = len(engine.scheduler_info().get("workers", {})) or 1
        token = uuid.uuid4().hex
        shared = engine.scatter(_payload(net, job), broadcast=True)
        futures = [engine.submit(_dask_batch, shared, token, b, pure=False) for b in batches]
        for future in dask_completed(futures):  # type: ignore[no-untyped-call]  # distributed has no hints
            finished(*future.result())
        name = "dask"
    elif engine == "local":
        n_workers = max(1, min(workers or os.cpu_count() or 1, len(batches)))
        if n_workers == 1:
            for b in batches:
                finished(b.number, _evaluate_batch(net, job, b))
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor, as_completed

            token = uuid.uuid4().hex
            # "spawn": a clean interpreter per worker, safe even when the caller runs threads (e.g. a Dask client).
            with ProcessPoolExecutor(
                max_workers=n_workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_pool_init,
                initargs=(token, _payload(net, job)),
            ) as pool:
                pending = [pool.submit(_pool_batch, token, b) for b in batches]
                for future in as_completed(pending):
                    finished(*future.result())
        name = "local"
    else:
        raise AnalysisError(f"engine must be 'local' or a dask.distributed.Client, not {engine!r}")
    rows = [row for index in sorted(done) for row in done[index]]
    return rows, name, n_workers


# -- the result ------------------------------------------------------------------------------------------


@dataclass
class Ensemble:
    """The verdicts of every goal in every year over many joint draws of the uncertain inputs.

    Attributes
    ----------
    results
        The tidy table: one row per draw, year and goal (columns :data:`RESULT_COLUMNS`): ``status`` as in
        :func:`pxnet.assess`, ``met`` (the check holds at the end of that year, whatever the deadline), the
        measured ``value``, the ``margin`` (positive inside the target) and its ``unit``.
    inputs
        One row per draw (index ``draw``), one column per uncertain input (opening dates as dates).
    factors
        The uncertain inputs with their distributions and sources.
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

    @property
    def draws(self) -> int:
        """Number of joint draws."""
        return len(self.inputs)

    def frame(self) -> pd.DataFrame:
        """:attr:`results` with each draw's inputs as extra columns (one wide, tidy table)."""
        return self.results.merge(self.inputs, left_on="draw", right_index=True, how="left")

    def p_met(self, *, confidence: float = 0.95) -> pd.DataFrame:
        """P(met) per goal and year with a Wilson score interval.

        Returns
        -------
        pandas.DataFrame
            Columns ``goal``, ``year``, ``draws``, ``met`` (count), ``p_met``, ``low``, ``high``.

        Notes
        -----
        The interval treats the draws as independent; a Latin hypercube's stratification makes the estimate
        at least as precise for the monotone checks here, so the interval errs on the wide side.
        """
        g = self.results.groupby(["goal", "year"], sort=False)["met"]
        out = pd.DataFrame({"draws": g.size(), "met": g.sum().astype(int)}).reset_index()
        out["p_met"] = out["met"] / out["draws"]
        out["low"], out["high"] = wilson_interval(out["met"], out["draws"], confidence=confidence)
        return out

    def margins(self, *, quantiles: Sequence[float] = (0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
        """Return the distribution of margins per goal and year: quantiles, mean, and the share of unreachable draws."""
        rows = []
        for (goal, year), g in self.results.groupby(["goal", "year"], sort=False):
            m = g["margin"].astype(float).to_numpy()
            finite = m[np.isfinite(m)]
            row: dict[str, Any] = {"goal": goal, "year": year, "unit": g["unit"].iloc[0]}
            for q in quantiles:
                row[f"q{round(q * 100):02d}"] = float(np.quantile(finite, q)) if len(finite) else math.nan
            row["mean"] = float(finite.mean()) if len(finite) else math.nan
            row["unreachable"] = float(np.mean(np.isneginf(m)))
            rows.append(row)
        return pd.DataFrame(rows)

    def sensitivity(self) -> pd.DataFrame:
        """Which inputs decide each goal: Spearman rank correlation of each input with the margin, per year.

        Returns
        -------
        pandas.DataFrame
            Columns ``goal``, ``year``, ``factor``, ``spearman`` (−1…1; positive: a higher input widens the
            margin), ``p_value`` (two-sided, t approximation), ``delta_p`` (P(met) in the draws where the input
            is above its median minus P(met) where it is below), ``rank`` (1 = largest ``|spearman|``).

        Notes
        -----
        Rank correlations measure monotone effects of one input at a time over the joint sample. They do not
        apportion interactions (a transfer time matters only to a route with a change; an opening date only
        around the years it falls in), and with N draws ``|spearman|`` below about ``2/√N`` is
        indistinguishable from noise. Sobol indices would apportion interactions, at N·(d+2) evaluations.
        """
        from scipy.stats import rankdata
        from scipy.stats import t as student

        numeric = self._numeric_inputs()
        rows = []
        for (goal, year), g in self.results.groupby(["goal", "year"], sort=False):
            g = g.sort_values("draw")
            margin = g["margin"].astype(float).to_numpy()
            met = g["met"].to_numpy(dtype=bool)
            keep = ~np.isnan(margin)
            for name in numeric.columns:
                x = numeric.loc[g["draw"], name].to_numpy()
                rho = math.nan
                if keep.sum() > 2 and np.ptp(x[keep]) > 0 and np.ptp(margin[keep]) > 0:
                    rho = float(np.corrcoef(rankdata(x[keep]), rankdata(margin[keep]))[0, 1])
                n = int(keep.sum())
                p_value = math.nan
                if math.isfinite(rho) and n > 2:
                    tstat = rho * math.sqrt((n - 2) / max(1e-300, 1 - rho * rho))
                    p_value = float(2 * student.sf(abs(tstat), n - 2))
                median = np.median(x)
                above, below = met[x > median], met[x <= median]
                delta = float(above.mean() - below.mean()) if len(above) and len(below) else math.nan
                rows.append(
                    {"goal": goal, "year": year, "factor": name, "spearman": rho, "p_value": p_value, "delta_p": delta}
                )
        out = pd.DataFrame(rows, columns=["goal", "year", "factor", "spearman", "p_value", "delta_p"])
        out["rank"] = (
            out.assign(strength=out["spearman"].abs().fillna(-1.0))
            .groupby(["goal", "year"])["strength"]
            .rank(ascending=False, method="first")
            .astype(int)
        )
        return out.sort_values(["goal", "year", "rank"], kind="stable").reset_index(drop=True)

    def _numeric_inputs(self) -> pd.DataFrame:
        out = self.inputs.copy()
        for f in self.factors:
            if f.kind == "opening":
                out[f.name] = [d.toordinal() for d in out[f.name]]
        return out.astype(float)


# -- the entry point -------------------------------------------------------------------------------------


def ensemble(
    goals: Sequence[str] | None = None,
    years: Sequence[int] = DEFAULT_YEARS,
    *,
    draws: int = 200,
    seed: int = 0,
    engine: Any = "local",
    workers: int | None = None,
    network: Network | None = None,
    basis: str = "expected",
    sampler: str = "lhs",
    inputs: Sequence[str] | None = None,
    batch_size: int | None = None,
    progress: Progress | None = None,
) -> Ensemble:
    """Evaluate goals in many joint draws of the uncertain inputs: how likely each goal is met by each year.

    Parameters
    ----------
    goals
        Goal ids (default: every goal that is not a milestone; milestones are dates, not model results).
    years
        Years; each is evaluated at 31 December under ``basis``.
    draws
        Number of joint draws.
    seed
        Seed of the sampler. The same seed gives the same results on any engine and number of workers.
    engine
        ``"local"`` (a process pool of ``workers`` processes; 1 runs in this process) or a
        ``dask.distributed.Client`` (every worker of its cluster; needs the ``pxnet[dask]`` extra).
    workers
        Local pool size (default: the number of CPUs).
    network
        The network (default: the bundled one). Its data folder's distributions are used
        (``distribution`` in ``parameters.yaml``, ``opening`` in ``projects.yaml``; see docs/data-model.md).
    basis
        ``expected`` (default), ``actual`` or ``plan``: the dates of projects without a sampled opening.
    sampler
        ``"lhs"`` (Latin hypercube, default) or ``"sobol"`` (scrambled Sobol; use a power of two of draws).
    inputs
        Which uncertain inputs to vary (names as in :attr:`Ensemble.factors`; default all); the others stay at
        their values (parameters) or dates (projects).
    batch_size
        Draws per task (default: about four tasks per worker).
    progress
        Called with the number of draws finished after each batch (the CLI's progress bar).

    Returns
    -------
    Ensemble
        Its ``results`` are the tidy table; ``p_met()``, ``margins()`` and ``sensitivity()`` summarise it.

    Raises
    ------
    UnknownGoalError
        For an unknown goal id.
    AnalysisError
        For a milestone goal, no years, fewer than one draw, an unknown input, sampler or engine.

    Examples
    --------
    >>> import pxnet
    >>> e = pxnet.ensemble(["hsr3h_guangzhou_station"], [2030], draws=8, seed=1, workers=1)
    >>> e.p_met()[["goal", "year", "draws"]].values.tolist()
    [['hsr3h_guangzhou_station', 2030, 8]]
    """
    started = time.perf_counter()
    net = network if network is not None else resolve_network(None)
    chosen = _chosen_goals(net, goals)
    years = tuple(int(y) for y in years)
    if not years:
        raise AnalysisError("give at least one year")
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise AnalysisError(f"draws must be a whole number >= 1, got {draws!r}")
    if batch_size is not None and (not isinstance(batch_size, int) or batch_size < 1):
        raise AnalysisError(f"batch_size must be a whole number >= 1, got {batch_size!r}")
    uncertainty: Uncertainty = net.cache.get("uncertainty") or load_uncertainty(
        net.folder, parameters=net.parameters, projects=net.projects
    )
    net.cache["uncertainty"] = uncertainty
    factors = uncertainty.select(inputs).factors
    values = sample_inputs(factors, draws, seed=seed, sampler=sampler)
    job = _Job(tuple(g.id for g in chosen), years, basis, factors)
    n_workers = workers or os.cpu_count() or 1
    if _is_dask_client(engine):
        n_workers = len(engine.scheduler_info().get("workers", {})) or 1
    size = batch_size or max(1, math.ceil(draws / (4 * n_workers)))
    batches = [
        _Batch(k, np.arange(start, min(start + size, draws)), values[start : start + size])
        for k, start in enumerate(range(0, draws, size))
    ]
    rows, engine_name, used = _run(net, job, batches, engine, workers, progress)
    results = pd.DataFrame(rows, columns=RESULT_COLUMNS)
    results["value"] = results["value"].astype(float)
    results["margin"] = results["margin"].astype(float)
    table = pd.DataFrame(values, columns=[f.name for f in factors], index=pd.RangeIndex(draws, name="draw"))
    for f in factors:
        if f.kind == "opening":
            table[f.name] = [dt.date.fromordinal(int(v)) for v in table[f.name]]
    return Ensemble(
        results, table, factors, seed, sampler, basis, engine_name, used, time.perf_counter() - started, net
    )


def _chosen_goals(net: Network, goals: Sequence[str] | str | None) -> list[Goal]:
    chosen = select_goals(net, [goals] if isinstance(goals, str) else goals, measured_only=True)
    milestones = [g.id for g in chosen if g.type == "milestone"]
    if milestones:
        raise AnalysisError(
            f"milestone goal(s) {', '.join(milestones)} record dates, not model results; an ensemble varies "
            "the model's inputs, so leave them out"
        )
    return chosen


__all__ = [
    "DEFAULT_YEARS",
    "RESULT_COLUMNS",
    "SAMPLERS",
    "Ensemble",
    "draw_changes",
    "ensemble",
    "sample_inputs",
    "unit_samples",
    "wilson_interval",
    "year_scenario",
]
