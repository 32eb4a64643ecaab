"""Paired comparisons against the baseline: per outcome the mean and spread of each strategy,
the paired difference with a bootstrap interval, and the share of replicates it does better."""

from __future__ import annotations

import math
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

from cartelsim.outcomes import HEADLINE, Better, better

BOOTSTRAP = 2000
NOT_MODELLED = (
    "'not modelled': no mechanism in the model links the strategy's levers to this outcome — "
    "the paired difference is exactly zero in every replicate, which common random numbers "
    "make possible."
)


def paired_comparison(
    wide: pd.DataFrame, seed: int, strategies: list[str], baseline: str = "baseline"
) -> dict[str, Any]:
    """`wide`: index (replicate, strategy), one column per outcome; results in the order of
    `strategies`. An outcome a strategy leaves identical in every replicate is marked
    `modelled: False` (never the baseline's own row), so that no one reads +0 as an effect
    measured to be nil."""
    base = wide.xs(baseline, level="strategy")
    n = len(base)
    picks = _picks(seed, n)
    out: dict[str, Any] = {}
    for name in strategies:
        rows = wide.xs(name, level="strategy").loc[base.index]
        metrics = {}
        for outcome in wide.columns:
            x, b = rows[outcome].to_numpy(), base[outcome].to_numpy()
            d = x - b
            means = d[picks].mean(axis=1)
            # With no better direction (or none declared) lower counts as better: p_better is
            # then the share of replicates in which it falls, as every store so far says.
            improved = (d > 0) if better(outcome) is Better.HIGHER else (d < 0)
            metrics[outcome] = _clean(
                {
                    "mean": x.mean(),
                    "lo": np.percentile(x, 2.5),
                    "hi": np.percentile(x, 97.5),
                    "diff_mean": d.mean(),
                    "diff_lo": np.percentile(means, 2.5),
                    "diff_hi": np.percentile(means, 97.5),
                    "p_better": (improved.sum() + 0.5 * (d == 0).sum()) / n,
                }
            ) | {"modelled": name == baseline or not _identical(x, b)}
        out[name] = {"metrics": metrics}
    return out


def _identical(x: np.ndarray, b: np.ndarray) -> bool:
    """Equal in every replicate, a NaN matching a NaN; one replicate proves nothing."""
    return len(x) >= 2 and np.array_equal(x, b, equal_nan=True)


def _clean(values: dict[str, float]) -> dict[str, float | None]:
    """Plain floats, rounded to 12 significant digits so output is stable across platforms."""
    return {
        k: (None if not math.isfinite(v) else float(f"{float(v):.12g}")) for k, v in values.items()
    }


def uncertainty(replicates: int, parameters: str = "fixed", own_priors: int = 0) -> str:
    """What the intervals hold: the replicates' seeds and, unless every parameter is fixed,
    their parameter draws (every strategy of a replicate sees the same seed and the same
    draws)."""
    paired = f"{replicates} paired replicates, every strategy on the same seeds"
    together = "so the intervals hold parameter and stochastic uncertainty together."
    if parameters == "posterior":
        return (
            f"{paired} and the same parameters: one set accepted by the world's calibration "
            f"(its posterior) per replicate, every other uncertain parameter drawn from its "
            f"prior, {together}"
        )
    if parameters == "prior":
        return (
            f"{paired} and the same parameters, every uncertain one drawn from its prior "
            f"(not conditioned on any target), {together}"
        )
    if own_priors:
        return f"{paired} and the same draws of the scenario's {own_priors} priors, {together}"
    return (
        f"{paired}; no parameter drawn (the defaults, fixed), so the intervals hold the "
        "model's stochastic variation only."
    )


def table(
    result: dict[str, Any], replicates: int, parameters: str = "fixed", own_priors: int = 0
) -> str:
    """The headline outcomes, one block each: every strategy's mean, its paired change
    against baseline with a 95% bootstrap interval, and the share of replicates it does
    better."""
    lines = []
    for outcome in HEADLINE:
        head = outcome.headline
        fmt, scale = head.fmt, head.scale
        lines.append(head.label)
        lines.append(
            f"  {'strategy':<26}{'mean':>14}  {'change vs baseline [95% CI]':<36}{'better':>7}"
        )
        for name, body in result.items():
            m = body["metrics"][outcome.name]
            mean = fmt.format(m["mean"] * scale)
            if name == "baseline":
                lines.append(f"  {name:<26}{mean:>14}")
                continue
            if not m["modelled"]:
                lines.append(f"  {name:<26}{mean:>14}  not modelled")
                continue
            change = (
                f"{_signed(m['diff_mean'] * scale, fmt)} "
                f"[{_signed(m['diff_lo'] * scale, fmt)}, {_signed(m['diff_hi'] * scale, fmt)}]"
            )
            lines.append(f"  {name:<26}{mean:>14}  {change:<36}{m['p_better']:>7.0%}")
        lines.append("")
    lines.append(
        f"Means over {uncertainty(replicates, parameters, own_priors)} 'better' is the share "
        "of replicates in which the strategy beats the baseline."
    )
    lines.append(NOT_MODELLED)
    return "\n".join(lines)


def _signed(value: float, fmt: str) -> str:
    text = fmt.format(abs(value))
    return ("+" if value >= 0 else "−") + text


RANKED = ("od_deaths_per_year", "mx_homicides_per_year")  # the two the debate turns on
MOST_ADVISED = 10_000  # replicates: beyond, a difference is too small to matter here


def ranking(
    wide: pd.DataFrame, seed: int, strategies: list[str], outcomes: tuple[str, ...] = RANKED
) -> list[str]:
    """Per outcome, the strategies ranked best first; each neighbour pair joined by '<' when
    the 95% bootstrap interval of their paired difference excludes zero, and by '≈' when it
    does not, with about how many replicates would resolve it (an interval narrows as 1/√n)."""
    n = wide.index.get_level_values("replicate").nunique()
    if n < 2:
        return ["Not ranked: one replicate cannot tell a difference from noise."]
    picks = _picks(seed, n)  # the table's own resamples: both say the same of a pair
    lines = []
    for outcome in (o for o in HEADLINE if o.name in outcomes and o.name in wide.columns):
        values = {s: wide.xs(s, level="strategy")[outcome.name].sort_index() for s in strategies}
        if not all(np.isfinite(v.to_numpy()).all() for v in values.values()):
            lines.append(f"{outcome.headline.label}: not ranked (not finite in every replicate)")
            continue
        sign = -1.0 if better(outcome.name) is Better.HIGHER else 1.0
        order = sorted(strategies, key=lambda s: sign * values[s].mean())
        text, pending = [order[0]], []
        for a, b in pairwise(order):
            d = (values[b] - values[a]).to_numpy()
            lo, hi = np.percentile(d[picks].mean(axis=1), [2.5, 97.5])
            if lo > 0 or hi < 0:
                text.append(f"< {b}")
                continue
            text.append(f"≈ {b}")
            pending.append(f"{a} ≈ {b}: {_advice(d, n, (hi - lo) / 2)}")
        lines.append(f"{outcome.headline.label}, best first: " + " ".join(text))
        lines += [f"  not resolved at {n} replicates: {p}" for p in pending]
    return lines


def _picks(seed: int, n: int) -> np.ndarray:
    """The bootstrap's resamples of n paired replicates."""
    return np.random.default_rng([seed, 0xB007]).integers(0, n, size=(BOOTSTRAP, n))


def _advice(d: np.ndarray, n: int, half_width: float) -> str:
    """How many replicates would resolve a difference of this size, at this spread."""
    if np.all(d == 0):
        return "identical in every replicate"
    gap = abs(d.mean())
    if gap == 0:
        return "no difference on average: more replicates would not resolve it"
    need = max(math.ceil(n * (half_width / gap) ** 2), n + 1)
    if need > MOST_ADVISED:
        return f"too small to resolve (over {MOST_ADVISED:,} replicates)"
    return f"about {need:,} replicates would resolve it"
