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


FULL = Size(seeds=8, scale=0.1, kingpin_replicates=16)
# The kingpin responses are noisy (a few contested successions dominate a small ensemble), so
# even the quick check runs the full number of paired removals.
QUICK = Size(seeds=2, scale=0.05, kingpin_replicates=16)


def validate(size: Size = FULL) -> list[dict]:
    """One row per target: measured mean, 5th–95th percentile over replicates, pass."""
    values: dict = {}
    world = load_world()
    seeds = range(size.seeds)
    values.update(supply_targets.values(seeds, size.scale))
    values.update(organization_targets.values(seeds, size.scale, world=world))
    values.update(kingpin_targets.values(size.kingpin_replicates, world=world))
    values.update(_strikes(world, seeds, size.scale))
    values.update(campaign_targets.values(seeds, size.scale, world=world))
    values.update(_precursors(world, seeds, size.scale))
    values.update(_parameters(world))
    return judge(values)


def _strikes(world, seeds, scale) -> dict[str, list[float]]:
    shares, deaths, civilians = [], [], []
    for s in seeds:
        r = Sim(world, strategy="drone-strikes-joint", weeks=156, seed=s, scale=scale)
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


def _precursors(world, seeds, scale) -> dict[str, list[float]]:
    control = Strategy("r9", "R9 experiment", (setting("precursor-controls", 0.9, start=5),))
    months = []
    for s in seeds:
        base = Sim(world, weeks=104, seed=s, scale=scale).run().weekly()["price_per_pill_usd"]
        hit = (
            Sim(world, strategy=control, weeks=104, seed=s, scale=scale)
            .run()
            .weekly()["price_per_pill_usd"]
        )
        ratio = (hit / base).to_numpy()
        peak = 5 + int(np.argmax(ratio[5:]))
        faded = np.flatnonzero(np.abs(ratio[peak:] - 1) <= 0.10)
        weeks = (peak + (faded[0] if faded.size else len(ratio) - peak)) - 5
        months.append(weeks / WEEKS_PER_YEAR * 12)
    return {"R9": months}


def _parameters(world) -> dict[str, list[float]]:
    p = Params()
    coverage = float((world.markets["naloxone_coverage"] * world.markets["demand_share"]).sum())
    return {
        "R6": [p.demand_elasticity],
        "R7": [-p.naloxone_effect * coverage],
        "B10": [float(world.series.loc[2024, "lethal_share"])],
    }  # an input series
