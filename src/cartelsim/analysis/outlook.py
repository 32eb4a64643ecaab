"""The baseline's future US overdose deaths, year by year, as a result with an interval: over
seeds at the default parameters, and over replicates that also draw every uncertain parameter
from its prior (potency after 2025 among them)."""

from __future__ import annotations

import numpy as np

from cartelsim.experiment.priors import draw
from cartelsim.params import SPECS, Params
from cartelsim.sim import Sim

WEEKS = 260  # January 2025 to December 2029


def deaths_by_year(replicates: int, scale: float, priors: bool, root_seed: int = 0) -> dict:
    """{year: deaths of each replicate} for the baseline starting in 2025."""
    uncertain = {s.name: s.prior for s in SPECS if s.prior is not None} if priors else {}
    years: dict[int, list[float]] = {}
    for replicate in range(replicates):
        params = Params(draw(uncertain, root_seed, replicate))
        national = Sim(params=params, weeks=WEEKS, seed=replicate, scale=scale).run().national
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
