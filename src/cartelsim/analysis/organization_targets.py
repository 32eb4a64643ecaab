"""The organization targets (CALIBRATION.md B1–B3, R5) measured on a baseline ensemble and on
the peer model's two policy scenarios."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from cartelsim.params import Params
from cartelsim.sim import Sim

INF = float("inf")


def _ensemble(params: Params, seeds: range, scale: float, weeks: int) -> list[dict]:
    return [Sim(params=params, weeks=weeks, seed=s, scale=scale).run().summary() for s in seeds]


def measure(
    seeds: range = range(4),
    scale: float = 1.0,
    weeks: int = 260,
    overrides: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    base = Params(dict(overrides or {}))
    runs = {
        "baseline": _ensemble(base, seeds, scale, weeks),
        "halve_recruitment": _ensemble(
            base.replace(recruitment_rate=base.recruitment_rate / 2), seeds, scale, weeks
        ),
        "double_incapacitation": _ensemble(
            base.replace(incapacitation_per_week=2 * base.incapacitation_per_week),
            seeds,
            scale,
            weeks,
        ),
    }

    def mean(run: str, key: str) -> float:
        return float(np.mean([s[key] for s in runs[run]]))

    growth = mean("baseline", "members_end") / mean("baseline", "members_start")
    rows = [
        (
            "B1-start",
            "cartel members at the start",
            mean("baseline", "members_start"),
            160_000,
            210_000,
        ),
        ("B1-growth", "members at the end / at the start, no new policy", growth, 0.9, 1.35),
        (
            "B2",
            "recruits per week, mean over the horizon",
            mean("baseline", "recruits_per_week"),
            300,
            550,
        ),
        (
            "B3",
            "homicides in Mexico per year",
            mean("baseline", "mx_homicides_per_year"),
            25_600,
            38_400,
        ),
        (
            "R5-halve-members",
            "halving recruitment: members at the end vs baseline",
            mean("halve_recruitment", "members_end") / mean("baseline", "members_end") - 1,
            -INF,
            0.0,
        ),
        (
            "R5-halve-homicides",
            "halving recruitment: homicides vs baseline",
            mean("halve_recruitment", "mx_homicides_per_year")
            / mean("baseline", "mx_homicides_per_year")
            - 1,
            -INF,
            0.0,
        ),
        (
            "R5-arrests-members",
            "doubling arrests: members at the end / at the start",
            mean("double_incapacitation", "members_end")
            / mean("double_incapacitation", "members_start"),
            0.95,
            INF,
        ),
    ]
    table = pd.DataFrame(rows, columns=["id", "what", "measured", "lo", "hi"])
    table["pass"] = (table["lo"] <= table["measured"]) & (table["measured"] <= table["hi"])
    return table
