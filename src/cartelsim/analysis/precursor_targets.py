"""The precursor-control target (CALIBRATION.md R9): months until a control's effect on the
retail price fades to within 10% of the baseline, paired on one seed (band: targets.csv)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from cartelsim.params import WEEKS_PER_YEAR, Params
from cartelsim.policy.strategy import Strategy, setting
from cartelsim.sim import Sim
from cartelsim.world.world import World, load_world

START, WEEKS = 5, 104
CONTROL = Strategy("r9", "R9 experiment", (setting("precursor-controls", 0.9, start=START),))


def values(
    seeds: Sequence[int],
    scale: float,
    world: World | None = None,
    draws: Sequence[Mapping] | None = None,
) -> dict[str, list[float]]:
    """One value per seed (`draws`: each replicate's own parameters)."""
    world = world or load_world()
    months = []
    for i, seed in enumerate(seeds):
        params = Params(dict(draws[i]) if draws else {})
        prices = [
            Sim(world, params, strategy=strategy, weeks=WEEKS, seed=seed, scale=scale)
            .run()
            .weekly()["price_per_pill_usd"]
            .to_numpy()
            for strategy in ("baseline", CONTROL)
        ]
        ratio = prices[1] / prices[0]
        peak = START + int(np.argmax(ratio[START:]))
        faded = np.flatnonzero(np.abs(ratio[peak:] - 1) <= 0.10)
        weeks = (peak + (faded[0] if faded.size else len(ratio) - peak)) - START
        months.append(weeks / WEEKS_PER_YEAR * 12)
    return {"R9": months}
