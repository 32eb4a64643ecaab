"""`cartelsim calibrate`: likelihood-free Bayesian calibration (ABC-SMC, pyabc) of the parameters
the fitted targets inform, on the figures up to 2023 only; 2024–2025 stay held out as tests.

pyabc because it is maintained, does sequential Monte Carlo with adaptive tolerances and
proposal kernels, and keeps every generation in a database a run can be resumed from. Its own
samplers reseed each worker from the operating system; `abc_sampler` derives every particle's
seed from the root seed, the generation and the particle's index instead, so a calibration is
identical for any number of workers.

The distance is the largest, over the fitted targets, of |value − band centre| ÷ half the band's
width: a tolerance ε ≤ 1 keeps only parameter sets that put every fitted target inside its band.
Every other parameter with a prior is drawn from it in each simulation (a nuisance, integrated
out), as `cartelsim run` draws it beside the posterior.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cartelsim import defaults
from cartelsim.analysis import supply_targets
from cartelsim.analysis.targets import targets
from cartelsim.errors import CartelsimError
from cartelsim.experiment.priors import draw, quantile
from cartelsim.params import SPECS, Params, spec
from cartelsim.results import Results
from cartelsim.sim import Sim
from cartelsim.version import __version__
from cartelsim.world.world import World, load_world

START_YEAR = 2022
WEEKS = 104  # January 2022 to December 2023: nothing from 2024 on informs the fit


def _homicides_2022(res: Results, p: Params) -> float:
    national = res.national
    return float(national.loc[national["date"].dt.year == 2022, "mx_homicides"].sum())


# The fitted targets (targets.csv, label `fitted`) whose figures are for 2023 or earlier.
FITTED: dict[str, Callable[[Results, Params], float]] = {
    "B3": _homicides_2022,
    **{
        k: supply_targets.MEASURES[k]
        for k in ("B4-2022", "B4-2023", "B6-poe", "B6-between", "B6-checkpoint", "B8-AZ", "B8-CA")
    },
}

# The parameters calibrated: those whose Morris μ* reaches half a fitted target's band
# (docs/screening.csv, the first full screen). Every other prior is drawn as a nuisance.
CALIBRATED = (
    "labs",
    "lab_capacity_kg_week",
    "demand_ref_kg_week",
    "between_ports_cost",
    "oud_people_2022",
    "overdose_hazard",
    "checkpoint_detect",
    "supply_price_elasticity",
    "civilians_per_member_killed",
    "between_ports_detect",
    "detect_unscanned",
    "courier_min_pool",
    "courier_trips_per_week",
    "risk_learning_rate",
    "route_temperature",
    "relapse_per_year",
    "scan_gain",
    "utilization_ref",
    "non_oc_homicide_share",
)
NUISANCE_STREAM = 0x4E55495  # the nuisance draws' stream, apart from the prior draws of a run
DB_NAME = "calibration.db"
SETTINGS_NAME = "calibration.json"


@dataclass(frozen=True)
class Settings:
    population: int = 200
    generations: int = 8  # in all, a resumed calibration's earlier ones included
    budget: int = 4000  # simulations in all, over every generation
    epsilon: float = 1.0  # stop once every fitted target is inside its band
    scale: float = 0.1
    seed: int = 0
    workers: int = 1
    world: str = defaults.WORLD


# What a resumed calibration must share with the one it carries on.
FIXED_ON_RESUME = ("population", "scale", "seed", "world")
QUICK = Settings(population=4, generations=1, budget=20, scale=0.02)


@functools.cache  # read once: every simulation of a calibration scores against them
def bands() -> dict[str, tuple[float, float]]:
    """The band of every target the calibration fits (checked: fitted, and closed)."""
    found = {}
    for t in (t for t in targets() if t.id in FITTED):
        if t.label != "fitted" or not (math.isfinite(t.lo) and math.isfinite(t.hi)):
            raise CartelsimError(f"targets.csv: {t.id} cannot be fitted (label or open band)")
        found[t.id] = (t.lo, t.hi)
    return found


def simulate(
    values: dict[str, float], seed: int, scale: float, world: str = defaults.WORLD
) -> dict[str, float]:
    """The fitted targets on one run, each as its distance from the band's centre in
    half-widths (0: the centre; ±1: the band's edges)."""
    nuisance = {s.name: s.prior for s in SPECS if s.prior is not None and s.name not in values}
    drawn = draw(nuisance, seed, NUISANCE_STREAM)
    params = Params({"start_year": START_YEAR, **drawn, **_typed(values)})
    res = Sim(_world(world), params=params, weeks=WEEKS, seed=seed, scale=scale).run()
    out = {}
    for key, (lo, hi) in bands().items():
        value = float(FITTED[key](res, params))
        out[key] = (value - (lo + hi) / 2) / ((hi - lo) / 2) if math.isfinite(value) else 1e9
    return out


def _typed(values: dict[str, float]) -> dict[str, float]:
    return {k: (round(v) if spec(k).integer else float(v)) for k, v in values.items()}


@cache
def _world(name: str) -> World:
    return load_world(name)


def _model(scale: float, world: str) -> Callable[[dict], dict[str, float]]:
    def model(parameters: dict) -> dict[str, float]:
        # The sampler seeded NumPy's global generator for this particle: the run's seed is
        # the next draw from it.
        return simulate(dict(parameters), int(np.random.randint(2**31 - 1)), scale, world)

    return model


def prior(names: Iterable[str] = CALIBRATED):
    """pyabc's prior: each calibrated parameter's prior from its declaration."""
    import pyabc

    rvs = {}
    for name in names:
        p = spec(name).prior
        if p is None:
            raise CartelsimError(f"{name}: has no prior to calibrate")
        if p.dist == "uniform":
            rvs[name] = pyabc.RV("uniform", p.lo, p.hi - p.lo)
        elif p.dist == "loguniform":
            rvs[name] = pyabc.RV("loguniform", p.lo, p.hi)
        else:
            c = (p.mode - p.lo) / (p.hi - p.lo)
            rvs[name] = pyabc.RV("triang", c, p.lo, p.hi - p.lo)
    return pyabc.Distribution(**rvs)


def calibrate(
    out: Path,
    settings: Settings = Settings(),
    *,
    resume: bool = False,
    client: Any = None,
    progress: Callable[[int, int, float], None] | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> pd.DataFrame:
    """Run (or carry on) the ABC-SMC into `out`; write posterior.csv and posterior.json there
    and return the posterior (one row per particle, with its weight)."""
    import pyabc

    logging.getLogger("ABC").setLevel(logging.WARNING)
    db = out / DB_NAME
    if db.exists() and not resume:
        raise CartelsimError(
            f"{db}: a calibration is already there; --resume carries it on, or choose another --out"
        )
    if resume and not db.exists():
        raise CartelsimError(f"{db}: no calibration to resume")
    out.mkdir(parents=True, exist_ok=True)
    _same_settings(out, settings, resume)
    from cartelsim.analysis.abc_sampler import SeededSampler

    sampler = SeededSampler(settings.seed, settings.workers, client, progress, log)
    abc = pyabc.ABCSMC(
        _model(settings.scale, settings.world),
        prior(),
        pyabc.PNormDistance(p=np.inf),
        population_size=settings.population,
        sampler=sampler,
    )
    url = f"sqlite:///{db}"
    history = abc.load(url, 1) if resume else abc.new(url, {key: 0.0 for key in FITTED})
    if not _finished(history, settings):
        history = abc.run(
            minimum_epsilon=settings.epsilon,
            max_nr_populations=settings.generations - _generations(history),
            max_total_nr_simulations=settings.budget,
        )
    posterior = _posterior(history)
    _write(out, posterior, history, settings)
    return posterior


def _same_settings(out: Path, settings: Settings, resume: bool) -> None:
    """Keep the settings beside the database; a resumed calibration may change only when it
    stops (generations, budget, tolerance), never what its particles are."""
    path = out / SETTINGS_NAME
    mine = {k: getattr(settings, k) for k in FIXED_ON_RESUME}
    if resume and path.exists():
        stored = json.loads(path.read_text(encoding="utf-8"))
        changed = [k for k in FIXED_ON_RESUME if stored.get(k) != mine[k]]
        if changed:
            raise CartelsimError(
                f"{out}: the calibration there was made with "
                + ", ".join(f"{k} {stored.get(k)!r}" for k in changed)
                + "; resume it with the same, or start another --out"
            )
    path.write_text(json.dumps(mine, indent=2) + "\n", encoding="utf-8")


def _generations(history) -> int:
    return max(history.max_t + 1, 0)


def _finished(history, settings: Settings) -> bool:
    """Whether a stored calibration already meets a stopping rule — the tolerance, the number
    of generations, or the budget, each counted over the whole calibration — so that resuming
    it only writes its posterior."""
    if _generations(history) == 0:
        return False
    populations = history.get_all_populations()
    return bool(
        populations["epsilon"].iloc[-1] <= settings.epsilon
        or _generations(history) >= settings.generations
        or populations["samples"].sum() >= settings.budget
    )


def _posterior(history) -> pd.DataFrame:
    frame, weights = history.get_distribution(m=0, t=history.max_t)
    frame = frame[list(CALIBRATED)].reset_index(drop=True)
    for name in CALIBRATED:
        if spec(name).integer:
            frame[name] = frame[name].round().astype(int)
    frame["weight"] = np.asarray(weights) / np.sum(weights)
    return frame


def _write(out: Path, posterior: pd.DataFrame, history, settings: Settings) -> None:
    import pyabc

    everything = history.get_all_populations()
    populations = everything[everything["t"] >= 0]
    provenance = {
        "created": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "method": "ABC-SMC (pyabc), p = ∞ distance in half-band units, uniform weights on targets",
        "versions": {"cartelsim": __version__, "pyabc": pyabc.__version__, "numpy": np.__version__},
        "fitted_targets": {k: list(v) for k, v in bands().items()},
        "fit_window": f"January {START_YEAR} to December {START_YEAR + WEEKS // 52 - 1}",
        "calibrated": list(CALIBRATED),
        "nuisance": "every other parameter with a prior, drawn from it in each simulation",
        "settings": {
            "population": settings.population,
            "generations": settings.generations,
            "budget": settings.budget,
            "target_epsilon": settings.epsilon,
            "scale": settings.scale,
            "world": settings.world,
            "seed": settings.seed,
        },
        "generations": [
            {"t": int(r.t), "epsilon": float(r.epsilon), "simulations": int(r.samples)}
            for r in populations.itertuples()
        ],
        # With the first draw from the prior (pyabc's generation −1), as the budget counts.
        "simulations": int(everything["samples"].sum()),
        "epsilon": float(populations["epsilon"].iloc[-1]),
        "particles": len(posterior),
    }
    posterior.to_csv(out / "posterior.csv", index=False, float_format="%.6g")
    (out / "posterior.json").write_text(json.dumps(provenance, indent=2) + "\n", encoding="utf-8")


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order]) / np.sum(weights)
    return float(values[order][min(np.searchsorted(cumulative, q), len(values) - 1)])


def marginals(values: pd.DataFrame, weights: np.ndarray) -> list[dict[str, Any]]:
    """Each calibrated parameter: its prior, the posterior's mean and 90% interval, and the
    share of the prior's 90% width that the posterior keeps."""
    rows = []
    for name in values.columns:
        x = values[name].to_numpy(dtype=float)
        p = spec(name).prior
        lo, hi = weighted_quantile(x, weights, 0.05), weighted_quantile(x, weights, 0.95)
        rows.append(
            {
                "name": name,
                "prior": p,
                "mean": float(np.average(x, weights=weights)),
                "lo": lo,
                "hi": hi,
                "kept": (hi - lo) / (quantile(p, 0.95) - quantile(p, 0.05)),
            }
        )
    return rows


def summary(posterior: pd.DataFrame) -> str:
    """The marginals as a table for the terminal."""
    lines = [f"{'parameter':<30}{'prior':>22}{'posterior mean [5%, 95%]':>36}{'kept':>7}"]
    values = posterior.drop(columns="weight")
    for r in marginals(values, posterior["weight"].to_numpy()):
        p = r["prior"]
        shown = f"{r['mean']:.3g} [{r['lo']:.3g}, {r['hi']:.3g}]"
        lines.append(
            f"{r['name']:<30}{f'[{p.lo:.3g}, {p.hi:.3g}]':>22}{shown:>36}{r['kept']:>7.0%}"
        )
    lines.append("kept: the posterior's 90% interval as a share of the prior's.")
    return "\n".join(lines)
