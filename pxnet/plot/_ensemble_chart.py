"""P(met) by year for each goal, with its confidence band, from :func:`pxnet.ensemble`."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from ..goals import Ensemble


def figure_ensemble(ensemble: Ensemble, *, goals: Sequence[str] | None = None, confidence: float = 0.95) -> Any:
    """One line per goal: the share of draws in which it is met at the end of each year, with a Wilson band.

    Parameters
    ----------
    ensemble
        The result of :func:`pxnet.ensemble`.
    goals
        Goal ids to draw (default: all in the ensemble).
    confidence
        Level of the band.

    Examples
    --------
    >>> import pxnet
    >>> e = pxnet.ensemble(["hsr_hub_2020"], [2028, 2031], draws=4, seed=0, workers=1)
    >>> figure_ensemble(e).axes[0].get_ylabel()
    '达成概率 P(met)'
    """
    import matplotlib.pyplot as plt

    from ._fonts import register_cjk_font

    register_cjk_font()
    table = ensemble.p_met(confidence=confidence)
    chosen = list(goals) if goals is not None else list(dict.fromkeys(table["goal"]))
    names = {}
    if ensemble.network is not None:
        names = {g.id: g.name_zh for g in ensemble.network.goals}
    fig, ax = plt.subplots(figsize=(10, 5.5))
    cmap = plt.get_cmap("tab10")
    for k, goal in enumerate(chosen):
        rows = table[table["goal"] == goal].sort_values("year")
        color = cmap(k % 10)
        label = textwrap.shorten(names.get(goal, goal), 34, placeholder="…")
        # A small sideways offset per goal keeps equal curves from hiding each other.
        x = rows["year"] + (k - (len(chosen) - 1) / 2) * 0.08
        ax.fill_between(x, rows["low"], rows["high"], color=color, alpha=0.12, linewidth=0)
        ax.plot(x, rows["p_met"], marker="o", color=color, label=label, alpha=0.9)
    ax.set_ylim(-0.03, 1.03)
    ax.set_xticks(sorted(set(table["year"])))
    ax.set_xlabel("年末 end of year")
    ax.set_ylabel("达成概率 P(met)")
    ax.set_title(f"目标达成概率 How likely each goal is met ({ensemble.draws} draws, {ensemble.basis} dates)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="center left", bbox_to_anchor=(1.01, 0.5), frameon=False)
    fig.text(
        0.01,
        0.01,
        f"Bands: {confidence:.0%} Wilson intervals; goals offset sideways a little. Inputs sampled jointly "
        f"({ensemble.sampler}, seed {ensemble.seed}) from the distributions in parameters.yaml and projects.yaml; "
        "see docs/assessment.md.",
        fontsize=7,
        color="#555555",
    )
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


__all__ = ["figure_ensemble"]
