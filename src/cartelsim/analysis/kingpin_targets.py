"""The kingpin targets (CALIBRATION.md R1–R4) measured with the leader-removal experiment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from cartelsim.experiment.leader_removal import leader_removal

ORG = "N10013"  # the Sinaloa Cartel: a large organization present in many places
WEEK = 4  # the removal week; a year of follow-up after it
WEEKS = WEEK + 56


def measure(
    replicates: int = 8,
    scale: float = 0.1,
    seed: int = 0,
    overrides: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """R1–R4 as rows: measured value, the band it must fall in, pass."""
    base = dict(overrides or {})

    def run(how: str = "capture", **params: float):
        return leader_removal(
            ORG,
            week=WEEK,
            how=how,
            replicates=replicates,
            seed=seed,
            weeks=WEEKS,
            scale=scale,
            params={**base, **params},
        )

    capture, kill = run("capture"), run("kill")
    clear, contested = run(succession_clarity=1.0), run(succession_clarity=0.0)
    first, later = capture.change(0, 26), capture.change(39, 52)
    rows = [
        (
            "R1-6m",
            "homicides where the leader is captured, first 6 months",
            first.at["seat", "change"],
            0.25,
            1.00,
        ),
        (
            "R1-12m",
            "same place, months 9–12 (still above zero)",
            later.at["seat", "change"],
            0.01,
            float("inf"),
        ),
        (
            "R2-6m",
            "other places of the organization, first 6 months",
            first.at["organization", "change"],
            0.15,
            0.45,
        ),
        (
            "R2-12m",
            "other places of the organization, months 9–12",
            later.at["organization", "change"],
            -float("inf"),
            0.10,
        ),
        (
            "R3-clear",
            "clear successor: change in the organization's places, 6 months",
            clear.change(0, 26).at["organization", "change"],
            -0.05,
            0.05,
        ),
        (
            "R3-contested",
            "contested minus clear succession, 6 months",
            contested.change(0, 26).at["organization", "change"]
            - clear.change(0, 26).at["organization", "change"],
            0.0,
            float("inf"),
        ),
        (
            "R4",
            "killing minus capture, the organization's places, 6 months",
            kill.change(0, 26).at["organization", "change"] - first.at["organization", "change"],
            0.0,
            float("inf"),
        ),
    ]
    table = pd.DataFrame(rows, columns=["id", "what", "measured", "lo", "hi"])
    table["pass"] = (table["lo"] <= table["measured"]) & (table["measured"] <= table["hi"])
    return table
