"""The organization targets (CALIBRATION.md B1–B3, B12, R5): a baseline ensemble and the peer
model's two policy scenarios on the same seeds (bands: targets.csv)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from cartelsim.analysis.targets import table
from cartelsim.params import Params
from cartelsim.sim import Sim
from cartelsim.world.world import World, load_world

TARGETS = (
    "B1-start",
    "B1-growth",
    "B2",
    "B3",
    "B12",
    "R5-halve-members",
    "R5-halve-homicides",
    "R5-arrests-members",
)
BASELINE = {  # the targets one baseline's summary gives
    "B1-start": lambda b: b["members_start"],
    "B1-growth": lambda b: b["members_end"] / b["members_start"],
    "B2": lambda b: b["recruits_per_week"],
    "B3": lambda b: b["mx_homicides_per_year"],
    "B12": lambda b: b["active_orgs_end"],
}


def values(
    seeds: range = range(4),
    scale: float = 1.0,
    weeks: int = 260,
    overrides: Mapping[str, Any] | None = None,
    world: World | None = None,
    draws: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, list[float]]:
    """Each target's value on every replicate (paired: one seed, three scenarios; `draws`:
    each replicate's own parameters)."""
    world = world or load_world()
    out: dict[str, list[float]] = {k: [] for k in TARGETS}
    for i, s in enumerate(seeds):
        base = Params({**(draws[i] if draws else {}), **(overrides or {})})
        halve = base.replace(recruitment_rate=base.recruitment_rate / 2)
        double = base.replace(incapacitation_per_week=2 * base.incapacitation_per_week)
        b, h, d = (
            Sim(world, p, weeks=weeks, seed=s, scale=scale).run().summary()
            for p in (base, halve, double)
        )
        for target, measure in BASELINE.items():
            out[target].append(measure(b))
        out["R5-halve-members"].append(h["members_end"] / b["members_end"] - 1)
        out["R5-halve-homicides"].append(
            h["mx_homicides_per_year"] / b["mx_homicides_per_year"] - 1
        )
        out["R5-arrests-members"].append(d["members_end"] / d["members_start"])
    return out


def measure(
    seeds: range = range(4),
    scale: float = 1.0,
    weeks: int = 260,
    overrides: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    return table(values(seeds, scale, weeks, overrides))
