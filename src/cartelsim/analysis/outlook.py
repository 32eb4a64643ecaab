"""The baseline's future US overdose deaths, year by year, as a result with an interval: over
seeds at the default parameters, over replicates that draw every uncertain parameter from its
prior (potency after 2025 among them), or that take the calibrated ones from the posterior."""

from __future__ import annotations

import numpy as np

from cartelsim.experiment.priors import replicate_parameters
from cartelsim.params import Params
from cartelsim.sim import Sim
from cartelsim.world.world import load_world

WEEKS = 260  # January 2025 to December 2029


def deaths_by_year(
    replicates: int, scale: float, parameters: str = "fixed", root_seed: int = 0
) -> dict:
    """{year: deaths of each replicate} for the baseline starting in 2025 (`parameters`: as
    `cartelsim run --parameters` takes them)."""
    world = load_world()
    years: dict[int, list[float]] = {}
    for replicate in range(replicates):
        drawn = replicate_parameters(parameters, {}, {}, world.posterior, root_seed, replicate)
        national = (
            Sim(world, params=Params(drawn), weeks=WEEKS, seed=replicate, scale=scale)
            .run()
            .national
        )
        per_year = national.groupby(national["date"].dt.year)["od_deaths"].sum()
        for year, deaths in per_year.items():
            if (national["date"].dt.year == year).sum() >= 52:  # whole years only
                years.setdefault(int(year), []).append(float(deaths))
    return years


def summary(years: dict[int, list[float]]) -> list[dict]:
    """Each year's mean and 5th–95th percentile."""
    return [
        {
            "year": year,
            "mean": float(np.mean(v)),
            "lo": float(np.percentile(v, 5)),
            "hi": float(np.percentile(v, 95)),
        }
        for year, v in sorted(years.items())
    ]
