"""The leader-removal experiment: remove an organization's leader (or a lieutenant) at a given
week, by capture or by killing, and compare homicides with the same seed without it.

Used to check the model against the kingpin literature (CALIBRATION.md R1–R4): Calderón et al.
2015, Lindo & Padilla-Romo 2018, Jones 2013, Dickenson 2014, Phillips 2015.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from cartelsim import defaults
from cartelsim.errors import ParameterError
from cartelsim.params import Params
from cartelsim.rng import replicate_seed
from cartelsim.sim import Sim
from cartelsim.world.world import World, load_world

REGIONS = ("seat", "organization", "neighbours")


@dataclass
class LeaderRemoval:
    """Homicides per week in each region, baseline and treated, for every replicate."""

    org: str
    target: str
    how: str
    week: int
    seat: str
    regions: dict[str, list[str]]
    baseline: np.ndarray  # (replicates, regions, weeks)
    treated: np.ndarray
    seeds: list[int]

    def change(self, start: int, stop: int) -> pd.DataFrame:
        """Relative change in homicides over weeks [start, stop) after the removal, per region:
        the ensemble's ratio of sums, and the 5th–95th percentile of replicates' ratios."""
        window = slice(self.week + start, self.week + stop)
        base = self.baseline[:, :, window].sum(axis=2)
        treat = self.treated[:, :, window].sum(axis=2)
        per_rep = np.divide(treat, base, out=np.full(base.shape, np.nan), where=base > 0) - 1
        rows = []
        for r, region in enumerate(REGIONS):
            rows.append(
                {
                    "region": region,
                    "change": treat[:, r].sum() / max(base[:, r].sum(), 1e-12) - 1,
                    "lo": np.nanpercentile(per_rep[:, r], 5),
                    "hi": np.nanpercentile(per_rep[:, r], 95),
                    "baseline_per_week": base[:, r].mean() / (stop - start),
                }
            )
        return pd.DataFrame(rows).set_index("region")

    def weekly(self) -> pd.DataFrame:
        """Mean homicides per week and region, baseline and treated, weeks from the removal."""
        weeks = np.arange(self.baseline.shape[2]) - self.week
        frames = []
        for r, region in enumerate(REGIONS):
            frames.append(
                pd.DataFrame(
                    {
                        "weeks_from_removal": weeks,
                        "region": region,
                        "baseline": self.baseline[:, r].mean(axis=0),
                        "treated": self.treated[:, r].mean(axis=0),
                    }
                )
            )
        return pd.concat(frames, ignore_index=True)


def leader_removal(
    org: str = "N10013",
    *,
    week: int = 26,
    how: str = "capture",
    target: str = "leader",
    place: str | None = None,
    replicates: int = 20,
    seed: int = 0,
    weeks: int = 104,
    scale: float = defaults.SCALE,
    params: Params | Mapping[str, Any] | None = None,
    world: World | str = defaults.WORLD,
    draws: Sequence[Mapping[str, Any]] | None = None,
) -> LeaderRemoval:
    """Paired runs with and without the removal, on the same seeds (common random numbers);
    `draws`: each replicate's own parameters, under `params`.

    Regions: the place of the removal (the leader's seat, or the lieutenant's place); the other
    places where the organization has members; the road neighbours of the seat.
    """
    if how not in ("capture", "kill"):
        raise ParameterError(f"how must be 'capture' or 'kill', got {how!r}")
    if target not in ("leader", "lieutenant"):
        raise ParameterError(f"target must be 'leader' or 'lieutenant', got {target!r}")
    if target == "lieutenant" and place is None:
        raise ParameterError("a lieutenant's removal needs its place")
    if not 0 <= week < weeks:
        raise ParameterError(f"week must be in [0, {weeks}), got {week}")
    world = world if isinstance(world, World) else load_world(world)
    if draws is not None and isinstance(params, Params):
        raise ParameterError("with draws, give params as the overrides that win over them")
    fixed = dict(params or {})
    by_replicate = [Params({**(draws[r] if draws else {}), **fixed}) for r in range(replicates)]
    org_index = world.orgs.index(org)
    place_index = world.place_index(place) if place is not None else -1
    seeds = [replicate_seed(seed, r) for r in range(replicates)]
    baseline, treated, regions = [], [], None
    for rep_seed, params in zip(seeds, by_replicate, strict=True):
        base_sim = Sim(world, params, weeks=weeks, seed=rep_seed, scale=scale)
        cells = _regions(base_sim, org_index, target, place_index)
        regions = regions or cells
        base = base_sim.run()
        sim = Sim(world, params, weeks=weeks, seed=rep_seed, scale=scale)
        sim.schedule_removal(week, org_index, target, how, place_index)
        res = sim.run()
        baseline.append(_by_region(base.place_homicides, cells))
        treated.append(_by_region(res.place_homicides, cells))
    ids = world.places["id"].to_numpy()
    return LeaderRemoval(
        org=org,
        target=target,
        how=how,
        week=week,
        seat=str(ids[regions[0][0]]),
        regions={name: ids[idx].tolist() for name, idx in zip(REGIONS, regions, strict=True)},
        baseline=np.stack(baseline),
        treated=np.stack(treated),
        seeds=seeds,
    )


def _regions(sim: Sim, org: int, target: str, place: int) -> list[np.ndarray]:
    if target == "leader":
        place = int(sim.members.place[sim.orgs.leader[org]])
    present = np.flatnonzero(sim.roster.counts[org] > 0)
    neighbours = np.flatnonzero(sim.graph.road_neighbours[:, place] > 0)
    return [np.array([place]), present[present != place], neighbours[neighbours != place]]


def _by_region(homicides: np.ndarray, regions: list[np.ndarray]) -> np.ndarray:
    return np.stack([homicides[:, idx].sum(axis=1) for idx in regions])
