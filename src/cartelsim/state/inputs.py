"""The yearly inputs of the world's `series.csv` as weekly values, and what is derived from
the parameters once: inputs every process may read, that no process changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cartelsim.params import WEEKS_PER_YEAR, Params
from cartelsim.world.world import World


@dataclass(frozen=True)
class WeeklyInputs:
    lethal_share: np.ndarray  # share of pills with a lethal dose, per row (burn-in included)
    mg_per_pill: np.ndarray
    naloxone_index: np.ndarray
    baseline_scan_pov: np.ndarray  # share of passenger vehicles scanned without a lever
    baseline_scan_truck: np.ndarray
    price_ref_usd_per_mg: float  # the reference retail price, per mg pure


def weekly_inputs(world: World, p: Params, rows: int, burn_in: int) -> WeeklyInputs:
    """Yearly inputs as weekly values, linear between mid-year points; the burn-in takes the
    value at the start."""
    t = int(p.start_year) + np.maximum(np.arange(rows) - burn_in, 0) / WEEKS_PER_YEAR

    def scan(column: str, value: float) -> np.ndarray:
        return series_at(world, p, column, t) if value < 0 else np.full(rows, value)

    return WeeklyInputs(
        lethal_share=series_at(world, p, "lethal_share", t),
        mg_per_pill=series_at(world, p, "mg_per_pill", t),
        naloxone_index=series_at(world, p, "naloxone_index", t),
        baseline_scan_pov=scan("scan_pov", p.scan_pov),
        baseline_scan_truck=scan("scan_truck", p.scan_truck),
        price_ref_usd_per_mg=p.price_ref_usd_per_pill / p.mg_per_pill_ref,
    )


def series_at(world: World, p: Params, column: str, t: np.ndarray) -> np.ndarray:
    """A yearly input at times `t` (years), linear between mid-year points. After the last
    year the series holds, except the share of pills with a lethal dose, which follows
    `potency_trend`: the future of potency is a scenario, not a flat line."""
    table = world.series
    mid = table.index.to_numpy() + 0.5
    values = np.interp(t, mid, table[column].to_numpy())
    if column == "lethal_share":
        beyond = np.maximum(np.asarray(t, dtype=float) - mid[-1], 0.0)
        values = np.minimum(values * np.exp(p.potency_trend * beyond), 1.0)
    return values


def dates(start_year: int, weeks: int) -> pd.DatetimeIndex:
    """Monday of each simulated week, from the first Monday of the start year."""
    first = dt.date(start_year, 1, 1)
    first += dt.timedelta(days=(7 - first.weekday()) % 7)
    return pd.date_range(first, periods=weeks, freq="7D")
