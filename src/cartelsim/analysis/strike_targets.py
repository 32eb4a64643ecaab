"""The drone-strike targets (CALIBRATION.md R8, B14): deaths and civilian deaths per strike, and
the civilians' share, counted over three years of joint strikes (bands: targets.csv)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from cartelsim.params import Params
from cartelsim.sim import Sim
from cartelsim.world.world import World, load_world

WEEKS = 156


def values(
    seeds: Sequence[int],
    scale: float,
    world: World | None = None,
    draws: Sequence[Mapping] | None = None,
) -> dict[str, list[float]]:
    """One value per seed that saw a strike (`draws`: each replicate's own parameters); NaN
    where none did."""
    world = world or load_world()
    shares, deaths, civilians = [], [], []
    for i, seed in enumerate(seeds):
        params = Params(dict(draws[i]) if draws else {})
        sim = Sim(
            world, params, strategy="drone-strikes-joint", weeks=WEEKS, seed=seed, scale=scale
        )
        summary = sim.run().summary()
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
