"""`cartelsim validate`: every target of CALIBRATION.md (as data in targets.csv) measured on an
ensemble, with the replicates' spread, beside the published value and its band."""

from __future__ import annotations

from dataclasses import dataclass

from cartelsim.analysis import (
    campaign_targets,
    kingpin_targets,
    organization_targets,
    precursor_targets,
    strike_targets,
    supply_targets,
)
from cartelsim.analysis.targets import judge
from cartelsim.experiment.priors import default_mode, replicate_parameters
from cartelsim.params import Params
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
    values.update(strike_targets.values(seeds, size.scale, world=world, draws=draws))
    values.update(campaign_targets.values(seeds, size.scale, world=world, draws=draws))
    values.update(precursor_targets.values(seeds, size.scale, world=world, draws=draws))
    values.update(_parameters(world, draws[: size.seeds]))
    return judge(values)


def _parameters(world, draws) -> dict[str, list[float]]:
    coverage = float((world.markets["naloxone_coverage"] * world.markets["demand_share"]).sum())
    params = [Params(d) for d in draws]
    return {
        "R6": [p.demand_elasticity for p in params],
        "R7": [-p.naloxone_effect * coverage for p in params],
        "B10": [float(world.series.loc[2024, "lethal_share"])],
    }  # an input series
