"""The supply-chain baseline targets (CALIBRATION.md B4–B11, R10) measured on a small ensemble.

Runs start in 2022 so that the figures of 2022 to August 2025 can all be read off one run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

import pandas as pd

from cartelsim.analysis.targets import table
from cartelsim.outcomes import LB_PER_KG
from cartelsim.params import Params
from cartelsim.results import Results
from cartelsim.sim import Sim
from cartelsim.world.world import load_world


def _year(res: Results, year: int) -> pd.DataFrame:
    national = res.national
    return national[national["date"].dt.year == year]


def _deaths(year: int):
    return lambda res, p: _year(res, year)["od_deaths"].sum()


def _deaths_between(first: str, last: str):
    """Deaths in a 12-month window CDC reports (first and last day, inclusive)."""
    return lambda res, p: res.national.set_index("date")["od_deaths"][first:last].sum()


def _cbp_lb(res: Results, p: Params, year: int = 2024) -> float:
    rows = _year(res, year)
    kg = rows[["seized_poe_kg", "seized_between_ports_kg", "seized_checkpoint_kg"]].sum().sum()
    return kg / p.border_purity * LB_PER_KG


def _summary(name: str):
    return lambda res, p: res.scalars[name]


@cache
def _default_crossings() -> pd.DataFrame:
    """The crossings of the default world, which every run of `values` uses (read once)."""
    return load_world().crossings


def _state_share(state: str, year: int = 2023):
    """This state's share of CBP seizures at the crossings in the year the figure is for."""

    def measure(res: Results, p: Params) -> float:
        crossings = _default_crossings()
        rows = (res.national["date"].dt.year == year).to_numpy()
        seized = res.place_seized_kg[rows][:, crossings["place"]].sum(axis=0)
        here = seized[(crossings["us_state"] == state).to_numpy()].sum()
        return float(here / seized.sum()) if seized.sum() > 0 else 0.0

    return measure


WEEKS = 192  # January 2022 to September 2025

# What each target measures on one run that starts in January 2022 (bands: targets.csv).
MEASURES: dict[str, Callable[[Results, Params], float]] = {
    "B4-2022": _deaths(2022),
    "B4-2023": _deaths(2023),
    "B4-2024": _deaths(2024),
    "B4-2025": _deaths_between("2024-09-01", "2025-08-31"),
    "B5": _cbp_lb,
    "B5-rise": lambda res, p: _cbp_lb(res, p, 2024) / _cbp_lb(res, p, 2022),
    "B6-poe": _summary("seized_share_poe"),
    "B6-between": _summary("seized_share_between_ports"),
    "B6-checkpoint": _summary("seized_share_checkpoint"),
    "B7": _summary("poe_arrests_citizen_share"),
    "B8-AZ": _state_share("AZ"),
    "B8-CA": _state_share("CA"),
    "B9": _cbp_lb,  # the FY2024 scanning rates are the baseline series
    "B11": lambda res, p: _year(res, 2024)["price_per_pill_usd"].mean(),
    "R10": lambda res, p: 1 - _deaths(2024)(res, p) / _deaths(2022)(res, p),
}


def values(
    seeds: range = range(4),
    scale: float = 0.1,
    overrides: dict | None = None,
    draws: Sequence[Mapping[str, Any]] | None = None,
) -> dict[str, list[float]]:
    """Each target's value on every replicate (`draws`: each replicate's own parameters)."""
    out: dict[str, list[float]] = {key: [] for key in MEASURES}
    for i, seed in enumerate(seeds):
        params = Params({"start_year": 2022, **(draws[i] if draws else {}), **(overrides or {})})
        run = Sim(params=params, weeks=WEEKS, seed=seed, scale=scale).run()
        for key, fn in MEASURES.items():
            out[key].append(fn(run, params))
    return out


def measure(
    seeds: range = range(4), scale: float = 0.1, overrides: dict | None = None
) -> pd.DataFrame:
    """Each target's published value and band beside the ensemble mean and its spread."""
    return table(values(seeds, scale, overrides))
