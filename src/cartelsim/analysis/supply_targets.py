"""The supply-chain baseline targets (CALIBRATION.md B4–B11, R10) measured on a small ensemble.

Runs start in 2022 so that the 2022 and 2024 figures can both be read off one run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cartelsim.params import Params
from cartelsim.results import LB_PER_KG, Results
from cartelsim.sim import Sim


@dataclass(frozen=True)
class Target:
    id: str
    what: str
    published: float
    lo: float
    hi: float
    measure: Callable[[Results, Params], float]


def _year(res: Results, year: int) -> pd.DataFrame:
    national = res.national
    return national[national["date"].dt.year == year]


def _deaths(year: int):
    return lambda res, p: _year(res, year)["od_deaths"].sum()


def _cbp_lb(res: Results, p: Params, year: int = 2024) -> float:
    rows = _year(res, year)
    kg = rows[["seized_poe_kg", "seized_between_ports_kg", "seized_checkpoint_kg"]].sum().sum()
    return kg / p.border_purity * LB_PER_KG


def _summary(name: str):
    return lambda res, p: res.scalars[name]


TARGETS = (
    Target("B4-2022", "US synthetic-opioid deaths, 2022", 73_838, 62_762, 84_914, _deaths(2022)),
    Target("B4-2024", "US synthetic-opioid deaths, 2024", 48_422, 41_159, 55_685, _deaths(2024)),
    Target("B5", "CBP fentanyl seizures, lb gross, 2024", 21_889, 17_511, 26_267, _cbp_lb),
    Target(
        "B6-poe",
        "share of CBP seizures at ports of entry",
        0.88,
        0.83,
        0.93,
        _summary("seized_share_poe"),
    ),
    Target(
        "B6-between",
        "share of CBP seizures between ports",
        0.08,
        0.03,
        0.13,
        _summary("seized_share_between_ports"),
    ),
    Target(
        "B6-checkpoint",
        "share of CBP seizures at interior checkpoints",
        0.04,
        0.0,
        0.09,
        _summary("seized_share_checkpoint"),
    ),
    Target(
        "B7",
        "US citizens among couriers caught at ports",
        0.80,
        0.75,
        0.85,
        _summary("poe_arrests_citizen_share"),
    ),
    Target("B8-AZ", "Arizona's share of seizures", 0.51, 0.43, 0.59, _summary("seized_share_az")),
    Target(
        "B8-CA", "California's share of seizures", 0.46, 0.38, 0.54, _summary("seized_share_ca")
    ),
    Target(
        "B11",
        "retail price of a pill, 2024, USD",
        4.0,
        3.0,
        5.0,
        lambda res, p: _year(res, 2024)["price_per_pill_usd"].mean(),
    ),
    Target(
        "R10",
        "fall in deaths 2022→2024",
        0.35,
        0.25,
        0.45,
        lambda res, p: 1 - _deaths(2024)(res, p) / _deaths(2022)(res, p),
    ),
)


def measure(
    seeds: range = range(4), scale: float = 0.1, overrides: dict | None = None
) -> pd.DataFrame:
    """Each target's published value and band beside the ensemble mean and its range."""
    params = Params({"start_year": 2022, **(overrides or {})})
    runs = [Sim(params=params, weeks=156, seed=s, scale=scale).run() for s in seeds]
    rows = []
    for t in TARGETS:
        values = np.array([t.measure(r, params) for r in runs])
        mean = float(values.mean())
        rows.append(
            {
                "id": t.id,
                "what": t.what,
                "published": t.published,
                "lo": t.lo,
                "hi": t.hi,
                "measured": mean,
                "min": values.min(),
                "max": values.max(),
                "pass": bool(t.lo <= mean <= t.hi),
            }
        )
    return pd.DataFrame(rows)
