"""The kingpin targets (CALIBRATION.md R1–R4), measured with the paired leader-removal
experiment on the Sinaloa Cartel (bands: targets.csv)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from cartelsim.analysis.targets import Change, table
from cartelsim.experiment.leader_removal import LeaderRemoval, leader_removal
from cartelsim.world.world import World, load_world

ORG = "N10013"  # the Sinaloa Cartel: a large organization present in many places
WEEK = 4  # the removal week; a year of follow-up after it
WEEKS = WEEK + 56
SEAT, ORGANIZATION = 0, 1  # regions of LeaderRemoval
TARGETS = ("R1-6m", "R1-12m", "R2-6m", "R2-12m", "R3-clear", "R3-contested", "R4")


def values(
    replicates: int = 16,
    scale: float = 0.1,
    seed: int = 0,
    overrides: Mapping[str, Any] | None = None,
    world: World | None = None,
    draws: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, Change]:
    """R1–R4 on paired removals (`draws`: each replicate's own parameters)."""
    world = world or load_world()
    base = dict(overrides or {})

    def run(how: str = "capture", **params: float) -> LeaderRemoval:
        return leader_removal(
            ORG,
            week=WEEK,
            how=how,
            replicates=replicates,
            seed=seed,
            weeks=WEEKS,
            scale=scale,
            world=world,
            params={**base, **params},
            draws=draws,
        )

    capture, kill = run(), run("kill")
    clear = _change(run(succession_clarity=1.0), 0, 26, ORGANIZATION)
    contested = _change(run(succession_clarity=0.0), 0, 26, ORGANIZATION)
    return {
        "R1-6m": _change(capture, 0, 26, SEAT),
        "R1-12m": _change(capture, 39, 52, SEAT),
        "R2-6m": _change(capture, 0, 26, ORGANIZATION),
        "R2-12m": _change(capture, 39, 52, ORGANIZATION),
        "R3-clear": clear,
        "R3-contested": contested - clear,
        "R4": _change(kill, 0, 26, ORGANIZATION) - _change(capture, 0, 26, ORGANIZATION),
    }


def _change(exp: LeaderRemoval, start: int, stop: int, region: int) -> Change:
    """Relative change in homicides over weeks [start, stop) after the removal."""
    window = slice(exp.week + start, exp.week + stop)
    b = exp.baseline[:, region, window].sum(axis=1)
    t = exp.treated[:, region, window].sum(axis=1)
    return Change(t / np.maximum(b, 1e-9) - 1, t.sum() / max(b.sum(), 1e-9) - 1)


def measure(
    replicates: int = 16,
    scale: float = 0.1,
    seed: int = 0,
    overrides: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    return table(values(replicates, scale, seed, overrides))
