"""Which assumptions decide which target: Morris elementary effects (SALib) of the parameters
that have a prior, on the targets a baseline measures — the supply side on a run from January
2022 (`supply_targets`), the organizations on a five-year run from 2025. Every sample runs on
the same seed (common random numbers), so an effect is the parameter's, not the noise's."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial

import numpy as np
import pandas as pd

from cartelsim.analysis import supply_targets
from cartelsim.analysis.targets import targets
from cartelsim.params import SPECS, Params
from cartelsim.sim import Sim

ORGANIZATION = {  # target: the scalar of a five-year baseline it reads
    "B1-growth": lambda s: s["members_end"] / s["members_start"],
    "B2": lambda s: s["recruits_per_week"],
    "B3": lambda s: s["mx_homicides_per_year"],
    "B12": lambda s: s["active_orgs_end"],
}
TARGETS = tuple(supply_targets.MEASURES) + tuple(ORGANIZATION)


def problem(names: Sequence[str] | None = None) -> dict:
    """SALib's problem: every parameter with a prior (or those named), over its prior's range
    (all priors are uniform)."""
    specs = [s for s in SPECS if s.prior is not None and (names is None or s.name in names)]
    unknown = set(names or ()) - {s.name for s in specs}
    if unknown:
        raise ValueError(f"no prior for: {', '.join(sorted(unknown))}")
    return {
        "num_vars": len(specs),
        "names": [s.name for s in specs],
        "bounds": [[s.prior.lo, s.prior.hi] for s in specs],
        "integer": [s.integer for s in specs],
    }


def measure_sample(values: dict[str, float], seed: int, scale: float) -> dict[str, float]:
    """Every screened target on one parameter set."""
    params = Params({"start_year": 2022, **values})
    supply = Sim(params=params, weeks=supply_targets.WEEKS, seed=seed, scale=scale).run()
    out = {k: float(fn(supply, params)) for k, fn in supply_targets.MEASURES.items()}
    summary = Sim(params=Params(values), weeks=260, seed=seed, scale=scale).run().summary()
    out.update({k: float(fn(summary)) for k, fn in ORGANIZATION.items()})
    return out


def screen(
    trajectories: int = 4,
    levels: int = 4,
    seed: int = 0,
    scale: float = 0.05,
    names: Sequence[str] | None = None,
    workers: int = 1,
    progress: Callable[[int, int, float], None] | None = None,
) -> pd.DataFrame:
    """One row per (target, parameter): μ* (the mean absolute elementary effect), its 95%
    bootstrap half-width, σ, μ* per unit of the target's band, and the parameter's rank."""
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    spec = problem(names)
    x = sample.sample(_salib(spec), trajectories, num_levels=levels, seed=seed)
    rows = [_values(spec, row) for row in x]
    started = time.perf_counter()
    results = []
    run = partial(measure_sample, seed=seed, scale=scale)
    with ProcessPoolExecutor(workers) if workers > 1 else _Serial() as pool:
        for done, result in enumerate(pool.map(run, rows), 1):
            results.append(result)
            if progress is not None:
                progress(done, len(rows), time.perf_counter() - started)
    bands = {t.id: t.hi - t.lo for t in targets()}
    frames = []
    for target in TARGETS:
        y = np.array([r[target] for r in results])
        found = analyze.analyze(
            _salib(spec), x, y, num_levels=levels, seed=seed, print_to_console=False
        )
        width = bands.get(target, math.inf)
        frame = pd.DataFrame(
            {
                "target": target,
                "parameter": spec["names"],
                "mu_star": found["mu_star"],
                "mu_star_conf": found["mu_star_conf"],
                "sigma": found["sigma"],
                "mu_star_per_band": found["mu_star"] / width if math.isfinite(width) else np.nan,
            }
        )
        frame["rank"] = frame["mu_star"].rank(ascending=False, method="min").astype(int)
        frames.append(frame.sort_values("rank"))
    return pd.concat(frames, ignore_index=True)


def _salib(spec: dict) -> dict:
    return {k: spec[k] for k in ("num_vars", "names", "bounds")}


def _values(spec: dict, row: np.ndarray) -> dict[str, float]:
    return {
        name: (round(v) if integer else float(v))
        for name, v, integer in zip(spec["names"], row, spec["integer"], strict=True)
    }


class _Serial:
    """The executor's `map` in this process (one worker: no pool to start)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def map(self, fn, *iterables):
        return map(fn, *iterables)
