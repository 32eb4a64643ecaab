"""Which assumptions decide which target: Morris elementary effects (SALib) of the parameters
that have a prior. Two groups of targets: those a baseline measures (the supply side on a run
from January 2022, the organizations on a five-year run from 2025) and those the paired
experiments measure (leader removals, joint strikes, a precursor control, the 2007–12
campaign; one replicate each). Every sample runs on the same seed (common random numbers), so
an effect is the parameter's, not the noise's."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from functools import partial

import numpy as np
import pandas as pd

from cartelsim.analysis import (
    campaign_targets,
    kingpin_targets,
    organization_targets,
    precursor_targets,
    strike_targets,
    supply_targets,
)
from cartelsim.analysis.targets import targets
from cartelsim.experiment.workers import spread
from cartelsim.params import SPECS, Params, section
from cartelsim.rng import salib_seed
from cartelsim.sim import Sim

ORGANIZATION = {  # the organization targets a baseline gives (B1-start is an input)
    k: m for k, m in organization_targets.BASELINE.items() if k != "B1-start"
}
BASELINE = tuple(supply_targets.MEASURES) + tuple(ORGANIZATION)
EXPERIMENTS = {  # each paired experiment: the targets it measures, from one replicate
    "kingpin": kingpin_targets.TARGETS,
    "strikes": ("R8", "B14-deaths", "B14-civilians"),
    "precursors": ("R9",),
    "campaign": ("B15",),
}
TARGET_SETS = {"baseline": BASELINE, **EXPERIMENTS}
RUNS = {  # the experiments but the kingpin one, which gives a Change per target
    "strikes": strike_targets.values,
    "precursors": precursor_targets.values,
    "campaign": campaign_targets.values,
}


def problem(names: Sequence[str] | None = None, grouped: bool = False) -> dict:
    """SALib's problem: every parameter with a prior (or those named), over its prior's range
    (all priors are uniform); `grouped` moves them together by section of the parameter table
    (Campolongo et al. 2007: one screen of every parameter for (sections + 1) samples a
    trajectory)."""
    specs = [s for s in SPECS if s.prior is not None and (names is None or s.name in names)]
    unknown = set(names or ()) - {s.name for s in specs}
    if unknown:
        raise ValueError(f"no prior for: {', '.join(sorted(unknown))}")
    spec = {
        "num_vars": len(specs),
        "names": [s.name for s in specs],
        "bounds": [[s.prior.lo, s.prior.hi] for s in specs],
        "integer": [s.integer for s in specs],
    }
    if grouped:
        spec["groups"] = [section(s.name) for s in specs]
    return spec


def measure_baseline(values: dict[str, float], seed: int, scale: float) -> dict[str, float]:
    """Every baseline target on one parameter set."""
    params = Params({"start_year": 2022, **values})
    supply = Sim(params=params, weeks=supply_targets.WEEKS, seed=seed, scale=scale).run()
    out = {k: float(fn(supply, params)) for k, fn in supply_targets.MEASURES.items()}
    summary = Sim(params=Params(values), weeks=260, seed=seed, scale=scale).run().summary()
    out.update({k: float(fn(summary)) for k, fn in ORGANIZATION.items()})
    return out


def measure_experiment(
    name: str, values: dict[str, float], seed: int, scale: float
) -> dict[str, float]:
    """The targets of one paired experiment on one parameter set, one replicate."""
    draws = [values]
    if name == "kingpin":
        removal = kingpin_targets.values(1, scale, seed, draws=draws)
        return {k: float(change.point) for k, change in removal.items()}
    found = RUNS[name]([seed], scale, draws=draws)
    return {k: float(v[0]) for k, v in found.items()}


def measure(
    target_sets: Sequence[str], values: dict[str, float], seed: int, scale: float
) -> dict[str, float]:
    """Every target of the sets on one parameter set."""
    out = measure_baseline(values, seed, scale) if "baseline" in target_sets else {}
    for name in target_sets:
        if name != "baseline":
            out.update(measure_experiment(name, values, seed, scale))
    return out


def screen(
    trajectories: int = 4,
    levels: int = 4,
    seed: int = 0,
    scale: float = 0.05,
    names: Sequence[str] | None = None,
    target_sets: Sequence[str] = ("baseline",),
    by: str = "parameter",
    workers: int = 1,
    progress: Callable[[int, int, float], None] | None = None,
) -> pd.DataFrame:
    """One row per (target of the sets, parameter or section, `by`): μ* (the mean absolute
    elementary effect), its 95% bootstrap half-width, σ, μ* per unit of the target's band, the
    rank, and how many elementary effects it rests on (a step with an undefined end, a run with
    no strike, say, has none)."""
    from SALib.sample import morris as sample

    unknown = [t for t in target_sets if t not in TARGET_SETS]
    if unknown or by not in ("parameter", "section"):
        raise ValueError(f"target sets {unknown} or by {by!r} unknown")
    spec = problem(names, grouped=by == "section")
    factors = _factors(spec)
    x = sample.sample(_salib(spec), trajectories, num_levels=levels, seed=seed)
    rows = [_values(spec, row) for row in x]
    started = time.perf_counter()
    results: list[dict[str, float]] = [{} for _ in rows]
    run = partial(_indexed, partial(measure, tuple(target_sets), seed=seed, scale=scale))
    for done, (index, result) in enumerate(spread(run, list(enumerate(rows)), workers, None), 1):
        results[index] = result
        if progress is not None:
            progress(done, len(rows), time.perf_counter() - started)
    bands = {t.id: t.hi - t.lo for t in targets()}
    frames = []
    for target in (t for name in target_sets for t in TARGET_SETS[name]):
        effects = elementary_effects(spec, x, np.array([r[target] for r in results]), levels)
        found = morris_statistics(effects, salib_seed(seed))
        if by == "section":  # a group's members move each in its own direction: σ has no sign
            size = pd.Series(spec["groups"]).value_counts()
            found["sigma"] = [
                np.nan if size[f] > 1 else v for f, v in zip(factors, found["sigma"], strict=True)
            ]
        width = bands.get(target, math.inf)
        frame = pd.DataFrame({"target": target, "parameter": factors, **found})
        frame["mu_star_per_band"] = frame["mu_star"] / width if math.isfinite(width) else np.nan
        frame["rank"] = frame["mu_star"].rank(ascending=False, method="min").astype("Int64")
        frames.append(frame.sort_values("rank"))
    return pd.concat(frames, ignore_index=True)


def elementary_effects(spec: dict, x: np.ndarray, y: np.ndarray, levels: int) -> np.ndarray:
    """Morris's elementary effects, one row per trajectory and one column per factor (as SALib
    computes them: the change in y as the factor rises by Δ, in units of its range, over Δ);
    NaN where either end of the step is undefined."""
    factors = _factors(spec)
    column_factor = [factors.index(g) for g in spec.get("groups", spec["names"])]
    delta = levels / (2 * (levels - 1))
    per = len(factors) + 1
    effects = np.full((len(y) // per, len(factors)), np.nan)
    for t in range(len(y) // per):
        for k in range(t * per, (t + 1) * per - 1):
            step = x[k + 1] - x[k]
            moved = int(np.flatnonzero(step)[0])
            sign = 1.0 if step[moved] > 0 else -1.0
            effects[t, column_factor[moved]] = sign * (y[k + 1] - y[k]) / delta
    return effects


def morris_statistics(effects: np.ndarray, seed: int, resamples: int = 1000) -> dict:
    """μ*, its 95% bootstrap half-width, σ, and the count of defined effects, per factor."""
    rng = np.random.default_rng(seed)
    out: dict[str, list[float]] = {"mu_star": [], "mu_star_conf": [], "sigma": [], "effects": []}
    for column in effects.T:
        defined = np.abs(column[~np.isnan(column)])
        out["effects"].append(len(defined))
        if not len(defined):
            out["mu_star"] += [np.nan]
            out["mu_star_conf"] += [np.nan]
            out["sigma"] += [np.nan]
            continue
        boot = rng.choice(defined, (resamples, len(defined))).mean(axis=1)
        out["mu_star"].append(float(defined.mean()))
        out["mu_star_conf"].append(float(1.96 * boot.std(ddof=1)) if len(defined) > 1 else np.nan)
        out["sigma"].append(
            float(np.std(column[~np.isnan(column)], ddof=1)) if len(defined) > 1 else np.nan
        )
    return out


def _factors(spec: dict) -> list[str]:
    """The screen's factors: the parameters, or the sections they are grouped in."""
    return list(dict.fromkeys(spec.get("groups", spec["names"])))


def _indexed(task: Callable, item: tuple[int, dict]) -> tuple[int, dict[str, float]]:
    """The result with its sample's index: workers finish in any order."""
    return item[0], task(item[1])


def _salib(spec: dict) -> dict:
    return {k: spec[k] for k in ("num_vars", "names", "bounds", "groups") if k in spec}


def _values(spec: dict, row: np.ndarray) -> dict[str, float]:
    return {
        name: (round(v) if integer else float(v))
        for name, v, integer in zip(spec["names"], row, spec["integer"], strict=True)
    }
