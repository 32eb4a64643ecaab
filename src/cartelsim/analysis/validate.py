"""`cartelsim validate`: every target of CALIBRATION.md (as data in targets.csv) measured on an
ensemble, with the replicates' spread, beside the published value and its band."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cartelsim.analysis import (
    campaign_targets,
    kingpin_targets,
    organization_targets,
    supply_targets,
)
from cartelsim.analysis.targets import judge
from cartelsim.experiment.priors import default_mode, replicate_parameters
from cartelsim.params import WEEKS_PER_YEAR, Params
from cartelsim.policy.strategy import Strategy, setting
from cartelsim.sim import Sim
from cartelsim.world.world import load_world


@dataclass(frozen=True)
class Size:
    """How large each experiment is."""

    seeds: int  # replicates of the supply, organization, strike and precursor experiments
    scale: float
    kingpin_replicates: int


FULL = Size(seeds=12, scale=0.1, kingpin_replicates=16)
# The kingpin responses are noisy (a few contested successions dominate a small ensemble), so
# even the quick check runs the full number of paired removals.
QUICK = Size(seeds=2, scale=0.05, kingpin_replicates=16)
SEED = 0  # the root seed of the replicates' parameter draws


def validate(size: Size = FULL, parameters: str | None = None) -> list[dict]:
    """One row per target: measured mean, 5th–95th percentile over replicates (with
    parameters drawn, the posterior-predictive 90% interval), pass, and covered. Parameters
    as `cartelsim run --parameters` takes them; by default the world's posterior."""
    values: dict = {}
    world = load_world()
    parameters = parameters or default_mode(world.posterior)
    seeds = range(size.seeds)
    draws = [
        replicate_parameters(parameters, {}, {}, world.posterior, SEED, r)
        for r in range(max(size.seeds, size.kingpin_replicates))
    ]
    values.update(supply_targets.values(seeds, size.scale, draws=draws))
    values.update(organization_targets.values(seeds, size.scale, world=world, draws=draws))
    values.update(kingpin_targets.values(size.kingpin_replicates, world=world, draws=draws))
    values.update(_strikes(world, seeds, size.scale, draws))
    values.update(campaign_targets.values(seeds, size.scale, world=world, draws=draws))
    values.update(_precursors(world, seeds, size.scale, draws))
    values.update(_parameters(world, draws[: size.seeds]))
    return judge(values)


def _strikes(world, seeds, scale, draws) -> dict[str, list[float]]:
    shares, deaths, civilians = [], [], []
    for s in seeds:
        params = Params(draws[s])
        r = Sim(world, params, strategy="drone-strikes-joint", weeks=156, seed=s, scale=scale)
        summary = r.run().summary()
        if summary["strikes"] > 0:
            deaths.append(summary["strike_deaths"] / summary["strikes"])
            civilians.append(summary["strike_civilian_deaths"] / summary["strikes"])
        if summary["strike_deaths"] > 0:
            shares.append(summary["strike_civilian_deaths"] / summary["strike_deaths"])
    return {
        "R8": shares or [math.nan],
        "B14-deaths": deaths or [math.nan],
        "B14-civilians": civilians or [math.nan],
    }


def _precursors(world, seeds, scale, draws) -> dict[str, list[float]]:
    control = Strategy("r9", "R9 experiment", (setting("precursor-controls", 0.9, start=5),))
    months = []
    for s in seeds:
        params = Params(draws[s])
        base = Sim(world, params, weeks=104, seed=s, scale=scale).run()
        base = base.weekly()["price_per_pill_usd"]
        hit = (
            Sim(world, params, strategy=control, weeks=104, seed=s, scale=scale)
            .run()
            .weekly()["price_per_pill_usd"]
        )
        ratio = (hit / base).to_numpy()
        peak = 5 + int(np.argmax(ratio[5:]))
        faded = np.flatnonzero(np.abs(ratio[peak:] - 1) <= 0.10)
        weeks = (peak + (faded[0] if faded.size else len(ratio) - peak)) - 5
        months.append(weeks / WEEKS_PER_YEAR * 12)
    return {"R9": months}


def _parameters(world, draws) -> dict[str, list[float]]:
    coverage = float((world.markets["naloxone_coverage"] * world.markets["demand_share"]).sum())
    params = [Params(d) for d in draws]
    return {
        "R6": [p.demand_elasticity for p in params],
        "R7": [-p.naloxone_effect * coverage for p in params],
        "B10": [float(world.series.loc[2024, "lethal_share"])],
    }  # an input series
