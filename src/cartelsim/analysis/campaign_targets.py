"""The campaign-level kingpin target (CALIBRATION.md B15): Mexico's 2007–2012 campaign removed
about seven top leaders a year (25 of the 37 "most wanted" of 2009 by October 2012), while
homicides rose from 8,867 (2007) to 27,213 (2011). The literature gives no national share to
the removals; its estimates span about 100 extra homicides a year (Dickenson 2014: ≈415 over
four years) to a generous aggregation of the local effects (Calderón et al. 2015: +36.5% where
a leader falls; Lindo & Padilla-Romo 2018: +80% there, +30% for six months wherever his group
operates), about 30% of the rise. The experiment removes as many leaders of the designated
cartels from the default world, paired against the baseline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from cartelsim.params import WEEKS_PER_YEAR, Params
from cartelsim.sim import Sim
from cartelsim.world.world import World, load_world

LEADERS_A_YEAR = 7  # 25 of the 37 most wanted in 3.5 years
YEARS = 4
KILLED_SHARE = 0.2  # most were captured; a few died in the operations (assumption)


def values(
    seeds: Sequence[int],
    scale: float,
    world: World | None = None,
    draws: Sequence[Mapping] | None = None,
) -> dict[str, list[float]]:
    """Extra homicides a year in Mexico during the campaign, one value per seed (`draws`:
    each replicate's own parameters)."""
    world = world or load_world()
    weeks = round(YEARS * WEEKS_PER_YEAR)
    years = weeks / WEEKS_PER_YEAR
    extra = []
    for i, seed in enumerate(seeds):
        params = Params(dict(draws[i]) if draws else {})
        base = Sim(world, params, weeks=weeks, seed=seed, scale=scale)
        base.burn_in()
        treated = base.fork("baseline")
        rng = np.random.default_rng([seed, 0xB15])
        designated = np.flatnonzero(treated.orgs.designated & treated.orgs.active)
        count = LEADERS_A_YEAR * YEARS
        removal_weeks = np.sort(rng.integers(0, weeks - 1, count))
        for week in removal_weeks:
            how = "kill" if rng.random() < KILLED_SHARE else "capture"
            treated.schedule_removal(int(week), int(rng.choice(designated)), "leader", how)
        gap = (
            treated.run().weekly()["mx_homicides"].sum() - base.run().weekly()["mx_homicides"].sum()
        )
        extra.append(gap / years)
    return {"B15": extra}
