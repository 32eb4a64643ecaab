"""`cartelsim explore`: which uncertain assumptions decide each strategy's effect. A Sobol design
(SALib's scrambled Sobol sequence, Saltelli's scheme without second-order terms) over the chosen
parameters' distributions; each sample runs the baseline and every strategy from one shared
burn-in on one seed (common random numbers), so an effect is a function of the parameters; the
samples go into a result store a sample at a time, so a stopped exploration resumes.

The distributions: in `prior` mode each parameter's prior; in `posterior` mode the calibrated
parameters' posterior marginals (weighted quantiles; Sobol indices need independent inputs, so
the posterior's correlations are dropped) and the priors of the rest. Parameters not explored are
held at their distribution's median (a parameter without a prior at its default)."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Sequence
from contextlib import closing
from dataclasses import asdict, dataclass
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cartelsim.errors import CartelsimError, ParameterError
from cartelsim.experiment.ensemble import dask_client
from cartelsim.experiment.priors import quantile
from cartelsim.experiment.store import Store, read_only, stops_held
from cartelsim.experiment.workers import sigterm_interrupts, spread
from cartelsim.outcomes import HEADLINE
from cartelsim.params import SPECS, Params, Prior, section, spec
from cartelsim.policy.library import STRATEGIES
from cartelsim.policy.strategy import Strategy
from cartelsim.rng import salib_seed
from cartelsim.sim import Sim
from cartelsim.version import __version__
from cartelsim.world.posterior import posterior_digest
from cartelsim.world.world import World, load_world

KIND = "exploration"  # the store's meta "kind": `cartelsim report` tells the two apart
CHUNK = 4  # samples a worker runs before it reports: the start of a process is amortised
RESAMPLES = 500  # bootstrap resamples of each Sobol index (its 95% interval)


@dataclass(frozen=True)
class Design:
    """What an exploration runs: every field goes into its digest."""

    strategies: tuple[str, ...]  # compared with the baseline, which every sample also runs
    names: tuple[str, ...]  # the parameters explored
    samples: int  # Sobol base samples N (a power of 2); N·(factors + 2) runs of each strategy
    parameters: str = "prior"  # prior | posterior
    by: str = "parameter"  # parameter | section (Sobol indices of groups of parameters)
    weeks: int = 260
    scale: float = 0.1
    seed: int = 0
    world: str = "mexico-2025"

    def factors(self) -> list[str]:
        return list(dict.fromkeys(self.groups())) if self.by == "section" else list(self.names)

    def groups(self) -> list[str]:
        return [section(n) for n in self.names]

    def problem(self) -> dict[str, Any]:
        """SALib's problem on the unit cube: each coordinate is a quantile of its parameter."""
        problem = {
            "num_vars": len(self.names),
            "names": list(self.names),
            "bounds": [[0.0, 1.0]] * len(self.names),
        }
        if self.by == "section":
            problem["groups"] = self.groups()
        return problem

    def unit_sample(self) -> np.ndarray:
        """The design's rows on the unit cube: N·(factors + 2) of them."""
        from SALib.sample import sobol

        return sobol.sample(
            self.problem(), self.samples, calc_second_order=False, scramble=True, seed=self.seed
        )

    def digest(self) -> str:
        """A hash of everything that decides the samples: the design, the strategies'
        settings, every prior (the medians and the explored ones), the posterior in that mode,
        and the design's rows themselves (another SALib could scramble them otherwise)."""
        payload = {
            **asdict(self),
            "model_version": __version__,
            "strategy_settings": [STRATEGIES[s].as_dict() for s in self.strategies],
            "priors": {
                s.name: [s.prior.dist, s.prior.lo, s.prior.hi, s.prior.mode]
                for s in SPECS
                if s.prior is not None
            },
            "posterior": posterior_digest(self.world) if self.parameters == "posterior" else None,
            "rows": hashlib.sha256(self.unit_sample().tobytes()).hexdigest(),
        }
        text = json.dumps(payload, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


QUICK = Design(  # a tiny exploration for the test suite
    strategies=("drone-strikes-joint",),
    names=("deterrence_strength", "succession_violence"),
    samples=4,
    weeks=20,
    scale=0.02,
)


def default_design(world: str = "mexico-2025") -> Design:
    """Every parameter with a prior, one factor per section of the parameter table, on the
    world's posterior where it ships one."""
    loaded = load_world(world)
    return Design(
        strategies=("drone-strikes-joint", "kingpin"),
        names=tuple(s.name for s in SPECS if s.prior is not None),
        samples=32,
        parameters="posterior" if loaded.posterior is not None else "prior",
        by="section",
        weeks=104,
        scale=0.05,
        world=world,
    )


def check(design: Design, world: World) -> None:
    """Refuse what cannot run, naming the field."""
    unknown = [s for s in design.strategies if s not in STRATEGIES or s == "baseline"]
    if unknown or not design.strategies:
        raise ParameterError(
            f"strategies: {', '.join(unknown) or 'none given'}: choose from "
            f"{', '.join(s for s in STRATEGIES if s != 'baseline')}"
        )
    for field in ("strategies", "names"):
        values = getattr(design, field)
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice:
            field = "params" if field == "names" else field
            raise ParameterError(f"{field}: {', '.join(twice)} given more than once")
    no_prior = [n for n in design.names if _prior_of(n) is None]
    if no_prior or not design.names:
        raise ParameterError(f"params: no prior for: {', '.join(no_prior) or 'none given'}")
    if design.samples < 2 or design.samples & (design.samples - 1):
        raise ParameterError(f"samples: {design.samples} is not a power of 2 (Sobol sequences)")
    if design.by not in ("parameter", "section"):
        raise ParameterError(f"by: {design.by!r} is not parameter or section")
    if not 1 <= design.weeks <= 5200 or not 0 < design.scale <= 1:
        raise ParameterError(f"weeks, scale: {design.weeks}, {design.scale} (1–5200, 0–1)")
    if design.parameters not in ("prior", "posterior"):
        raise ParameterError(f"parameters: {design.parameters!r} is not prior or posterior")
    if design.parameters == "posterior" and world.posterior is None:
        raise ParameterError("parameters: posterior, but the world ships no posterior")


def marginals(design: Design, world: World) -> dict[str, Callable[[float], float]]:
    """Each parameter's inverse CDF: every parameter with a prior, for the medians and the
    explored ones."""
    out = {s.name: partial(quantile, s.prior) for s in SPECS if s.prior is not None}
    if design.parameters == "posterior":
        post = world.posterior
        for name in post.names:
            out[name] = partial(_weighted_quantile, post.values[name].to_numpy(), post.weights)
    return out


def sample_values(
    design: Design, inverse: dict[str, Callable[[float], float]], row: np.ndarray
) -> dict[str, float]:
    """One sample's parameters: the explored ones at their quantiles, the rest at medians."""
    values = {name: fn(0.5) for name, fn in inverse.items()}
    values.update(
        {name: inverse[name](float(u)) for name, u in zip(design.names, row, strict=True)}
    )
    return {k: (round(v) if spec(k).integer else float(v)) for k, v in values.items()}


def paired_summaries(
    world: World,
    params: Params,
    strategies: Sequence[str | Strategy],
    weeks: int,
    seed: int,
    scale: float,
) -> dict[str, dict[str, float]]:
    """The baseline's and each strategy's summary scalars, forked from one burn-in on one seed."""
    base = Sim(world, params, weeks=weeks, seed=seed, scale=scale).burn_in()
    out = {"baseline": base.fork("baseline").run().summary()}
    for strategy in strategies:
        name = strategy if isinstance(strategy, str) else strategy.name
        out[name] = base.fork(strategy).run().summary()
    return {k: {o: float(v) for o, v in s.items()} for k, s in out.items()}


def run_chunk(design: Design, chunk: list[tuple[int, np.ndarray]]) -> list[list[dict]]:
    """The store's records of a few samples (one list per sample)."""
    world = load_world(design.world)
    inverse = marginals(design, world)
    out = []
    for index, row in chunk:
        values = sample_values(design, inverse, row)
        found = paired_summaries(
            world, Params(values), design.strategies, design.weeks, design.seed, design.scale
        )
        out.append(
            [
                {
                    "replicate": index,
                    "strategy": name,
                    "seed": design.seed,
                    "params": {n: values[n] for n in design.names},
                    "summary": summary,
                }
                for name, summary in found.items()
            ]
        )
    return out


def explore(
    design: Design,
    out: Path,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    resume: bool = False,
    progress: Callable[[int, int, float], None] | None = None,
) -> Exploration:
    """Run what the store in `out` does not hold yet, then analyse every sample."""
    world = load_world(design.world)
    check(design, world)
    rows = design.unit_sample()
    meta = {"kind": KIND, **asdict(design), "model_version": __version__}
    with sigterm_interrupts(), dask_client(scheduler) as client:
        store = None
        try:
            with stops_held():
                store = Store(out, design.digest(), meta, resume=resume)
                done = store.done()
            todo = [(i, row) for i, row in enumerate(rows) if i not in done]
            chunks = [todo[i : i + CHUNK] for i in range(0, len(todo), CHUNK)]
            finished, started = len(done), time.perf_counter()
            if progress:
                progress(finished, len(rows), 0.0)
            task = partial(run_chunk, design)
            with closing(spread(task, chunks, min(workers, len(chunks) or 1), client)) as results:
                for samples in results:
                    for records in samples:
                        with stops_held():
                            store.write_replicate(records)
                        finished += 1
                        if progress:
                            progress(finished, len(rows), time.perf_counter() - started)
        except BaseException:
            if store is not None:
                with stops_held():
                    store.discard()
            raise
        with stops_held():
            store.close()
    return load(out)


@dataclass
class Exploration:
    """A finished exploration, as the report and the command line show it."""

    design: Design
    samples: pd.DataFrame  # one row per sample: the explored parameters, then "strategy.outcome"
    indices: pd.DataFrame  # strategy, outcome, factor, S1, S1_conf, ST, ST_conf

    def effects(self, strategy: str, outcome: str) -> np.ndarray:
        """The strategy's paired change in the outcome, one value per sample."""
        return _effect(self.samples, strategy, outcome)


def load(folder: Path) -> Exploration:
    """An exploration's store, read back and analysed; an unfinished one is a clear error."""
    with read_only(folder) as store:
        meta = store.meta()
        if meta.get("kind") != KIND:
            raise CartelsimError(f"{store.path}: a comparison's store, not an exploration's")
        long = store.summaries()
        params = store.db.execute(
            "SELECT replicate, params FROM runs WHERE strategy = 'baseline' ORDER BY replicate"
        ).fetchall()
    fields = {k: meta[k] for k in Design.__dataclass_fields__}
    design = Design(
        **{**fields, "strategies": tuple(fields["strategies"]), "names": tuple(fields["names"])}
    )
    expected = len(design.unit_sample())
    if len(params) < expected:
        raise CartelsimError(
            f"{folder}: {len(params)} of {expected} samples are stored; "
            "carry on with `cartelsim explore --resume` and the same settings"
        )
    inputs = pd.DataFrame([json.loads(p) for _, p in params], index=[r for r, _ in params])
    wide = long.pivot_table(index="replicate", columns=["strategy", "outcome"], values="value")
    wide.columns = [f"{s}.{o}" for s, o in wide.columns]
    samples = inputs[list(design.names)].join(wide).sort_index()
    return Exploration(design, samples, sobol_indices(design, samples))


def sobol_indices(design: Design, samples: pd.DataFrame) -> pd.DataFrame:
    """First-order and total Sobol indices of each strategy's paired effect on each headline
    outcome, with 95% bootstrap intervals (SALib; Jansen's and Saltelli's estimators). An
    effect that never varies has no index: its rows are NaN."""
    from SALib.analyze import sobol

    rows = []
    factors = design.factors()
    for strategy in design.strategies:
        for outcome in (o.name for o in HEADLINE):
            y = _effect(samples, strategy, outcome)
            if np.isfinite(y).all() and np.ptp(y) > 0:
                found = sobol.analyze(
                    design.problem(),
                    y,
                    calc_second_order=False,
                    num_resamples=RESAMPLES,
                    seed=salib_seed(design.seed),
                )
            else:
                found = dict.fromkeys(
                    ("S1", "S1_conf", "ST", "ST_conf"), np.full(len(factors), np.nan)
                )
            for i, factor in enumerate(factors):
                rows.append(
                    {
                        "strategy": strategy,
                        "outcome": outcome,
                        "factor": factor,
                        **{k: float(found[k][i]) for k in ("S1", "S1_conf", "ST", "ST_conf")},
                    }
                )
    return pd.DataFrame(rows)


def summary(exploration: Exploration, top: int = 3) -> str:
    """The indices as text: per strategy and outcome, the factors with the largest total index."""
    d = exploration.design
    lines = [
        "Sobol indices of each strategy's effect (strategy − baseline), "
        f"{len(exploration.samples)} samples of {len(d.factors())} factors "
        f"({d.by}s; {d.parameters} distributions), "
        f"{d.weeks} weeks at scale {d.scale:g}, seed {d.seed}.",
        "ST: share of the effect's variance due to the factor with its interactions; S1: alone; "
        "± the 95% bootstrap half-width.",
    ]
    for strategy, rows in exploration.indices.groupby("strategy", sort=False):
        lines.append(f"\n{strategy}")
        for outcome, found in rows.groupby("outcome", sort=False):
            if found["ST"].isna().all():
                finite = np.isfinite(exploration.effects(strategy, outcome)).all()
                lines.append(
                    f"  {outcome:<30}{'no variation' if finite else 'not finite: no index'}"
                )
                continue
            best = found.sort_values("ST", ascending=False).head(top)
            shown = "; ".join(
                f"{r.factor} ST {r.ST:.2f}±{r.ST_conf:.2f} S1 {r.S1:.2f}" for r in best.itertuples()
            )
            lines.append(f"  {outcome:<30}{shown}")
    return "\n".join(lines)


def _effect(samples: pd.DataFrame, strategy: str, outcome: str) -> np.ndarray:
    return (samples[f"{strategy}.{outcome}"] - samples[f"baseline.{outcome}"]).to_numpy()


def _prior_of(name: str) -> Prior | None:
    try:
        return spec(name).prior
    except KeyError:
        return None


def _weighted_quantile(values: np.ndarray, weights: np.ndarray, u: float) -> float:
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return float(
        values[order][min(np.searchsorted(cumulative, u * cumulative[-1]), len(values) - 1)]
    )
