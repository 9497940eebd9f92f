"""Variance-based (Sobol) sensitivity indices from Saltelli's pick-freeze design, with bootstrap intervals.

With ``d`` independent inputs, two independent samples ``A`` and ``B`` of ``N`` rows each, and for each input ``i``
the matrix ``AB_i`` (``A`` with column ``i`` taken from ``B``), the model output ``f`` evaluated on the
``N·(d + 2)`` rows gives

- the first-order index ``S1_i = mean(f(B)·(f(AB_i) − f(A))) / V`` (Saltelli et al. 2010, eq. (b) of Table 2):
  the share of the output's variance explained by input ``i`` alone;
- the total index ``ST_i = mean((f(A) − f(AB_i))²) / (2V)`` (Jansen 1999): the share that involves input ``i``,
  its interactions included;

where ``V`` is the variance of ``f`` over the ``2N`` rows of ``A`` and ``B``. Intervals come from resampling the
``N`` base rows with replacement (percentile bootstrap). References: A. Saltelli, P. Annoni, I. Azzini,
F. Campolongo, M. Ratto, S. Tarantola, "Variance based sensitivity analysis of model output. Design and estimator
for the total sensitivity index", Computer Physics Communications 181 (2010) 259–270; M. J. W. Jansen, "Analysis
of variance designs for model output", Computer Physics Communications 117 (1999) 35–43.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

#: Bootstrap resamples for the intervals.
RESAMPLES = 500


class SobolIndices(NamedTuple):
    """First-order and total indices of each input (arrays of length ``d``) with their interval bounds."""

    variance: float
    s1: np.ndarray
    s1_low: np.ndarray
    s1_high: np.ndarray
    st: np.ndarray
    st_low: np.ndarray
    st_high: np.ndarray


def pick_freeze(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Stack Saltelli's design: for each base row ``j`` the rows ``A_j``, ``B_j``, ``AB_j1`` … ``AB_jd``.

    Examples
    --------
    >>> pick_freeze(np.array([[1.0, 2.0]]), np.array([[3.0, 4.0]])).tolist()
    [[1.0, 2.0], [3.0, 4.0], [3.0, 2.0], [1.0, 4.0]]
    """
    n, d = a.shape
    out = np.empty((n, d + 2, d))
    out[:, 0], out[:, 1] = a, b
    for i in range(d):
        out[:, 2 + i] = a
        out[:, 2 + i, i] = b[:, i]
    return out.reshape(n * (d + 2), d)


def _estimate(fa: np.ndarray, fb: np.ndarray, fab: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Variance, S1 and ST over the last-but-one axis (the base rows); leading axes are resamples."""
    both = np.concatenate([fa, fb], axis=-1)
    variance = both.var(axis=-1, ddof=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        v = np.where(variance > 0, variance, np.nan)[..., None]
        s1 = np.mean(fb[..., None] * (fab - fa[..., None]), axis=-2) / v
        st = 0.5 * np.mean((fa[..., None] - fab) ** 2, axis=-2) / v
    return variance, s1, st


def sobol_indices(
    f: np.ndarray, *, confidence: float = 0.95, resamples: int = RESAMPLES, seed: int = 0
) -> SobolIndices:
    """Sobol indices from the outputs of a pick-freeze design (see the module notes).

    Parameters
    ----------
    f
        Outputs, shape ``(N, d + 2)``: per base row ``f(A)``, ``f(B)``, ``f(AB_1)`` … ``f(AB_d)``.
    confidence
        Level of the percentile bootstrap intervals.
    resamples
        Bootstrap resamples of the base rows.
    seed
        Seed of the resampling (the intervals are reproducible).

    Returns
    -------
    SobolIndices
        NaN indices where the output does not vary (``variance`` 0): nothing to apportion.

    Examples
    --------
    A sum of two independent uniform inputs with weights 1 and 2 gives S1 = ST = (1/5, 4/5):

    >>> rng = np.random.default_rng(0)
    >>> x = pick_freeze(rng.random((4000, 2)), rng.random((4000, 2)))
    >>> r = sobol_indices((x[:, 0] + 2 * x[:, 1]).reshape(4000, 4), resamples=50)
    >>> bool(np.allclose(r.s1, [0.2, 0.8], atol=0.1) and np.allclose(r.st, [0.2, 0.8], atol=0.1))
    True
    """
    f = np.asarray(f, dtype=float)
    n, d = f.shape[0], f.shape[1] - 2
    fa, fb, fab = f[:, 0], f[:, 1], f[:, 2:]
    variance, s1, st = _estimate(fa, fb, fab)
    rng = np.random.default_rng(seed)
    boot_s1 = np.empty((resamples, d))
    boot_st = np.empty((resamples, d))
    chunk = max(1, 4_000_000 // max(1, n * d))  # bound the (chunk, N, d) work arrays to ~32 MB
    for start in range(0, resamples, chunk):
        idx = rng.integers(0, n, size=(min(chunk, resamples - start), n))
        _, boot_s1[start : start + len(idx)], boot_st[start : start + len(idx)] = _estimate(fa[idx], fb[idx], fab[idx])
    tail = (1 - confidence) / 2
    with np.errstate(invalid="ignore"):
        lo1, hi1 = _quantiles(boot_s1, tail)
        lot, hit = _quantiles(boot_st, tail)
    return SobolIndices(float(variance), s1, lo1, hi1, st, lot, hit)


def _quantiles(boot: np.ndarray, tail: float) -> tuple[np.ndarray, np.ndarray]:
    finite = np.isfinite(boot).any(axis=0)
    lo, hi = np.full(boot.shape[1], np.nan), np.full(boot.shape[1], np.nan)
    if finite.any():
        lo[finite] = np.nanquantile(boot[:, finite], tail, axis=0)
        hi[finite] = np.nanquantile(boot[:, finite], 1 - tail, axis=0)
    return lo, hi


__all__ = ["RESAMPLES", "SobolIndices", "pick_freeze", "sobol_indices"]
