"""Outputs: weekly national series, per-place and per-link series, and summary scalars."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cartelsim.outcomes import SCALARS, SERIES, Inputs
from cartelsim.policy.levers import LEVERS

# name: (unit, meaning) of every weekly national series, from their declarations.
NATIONAL_SERIES: dict[str, tuple[str, str]] = {s.name: (s.unit, s.doc) for s in SERIES}
LEVER_INDEX = {name: i for i, name in enumerate(LEVERS)}


class WeeklyOutput:
    """Preallocated arrays the processes write into, one row per simulated week."""

    def __init__(self, rows: int, n_places: int, n_links: int):
        self.national = {name: np.zeros(rows) for name in NATIONAL_SERIES}
        self.place_flow_mg = np.zeros((rows, n_places))
        self.place_seized_mg = np.zeros((rows, n_places))
        self.place_precursor_seized_g = np.zeros((rows, n_places))
        self.place_deaths = np.zeros((rows, n_places))
        self.link_flow_mg = np.zeros((rows, n_links))
        self.place_homicides = np.zeros((rows, n_places))
        self.lever_cost = np.zeros((rows, len(LEVERS)))


@dataclass
class Results:
    """One run's outputs in real-world units, whatever the scale."""

    national: pd.DataFrame
    place_ids: list[str]
    link_ends: list[tuple[str, str]]
    place_flow_kg: np.ndarray
    place_seized_kg: np.ndarray
    place_deaths: np.ndarray
    place_homicides: np.ndarray
    place_precursor_seized_kg: np.ndarray
    link_flow_kg: np.ndarray
    lever_costs: pd.DataFrame  # USD per week and lever
    territory: pd.DataFrame  # who holds each Mexican place at the end, and who contests it
    scalars: dict[str, float]
    seed: int
    timings: dict[str, float]

    def weekly(self) -> pd.DataFrame:
        return self.national.copy()

    def places(self) -> pd.DataFrame:
        """Per-place weekly series, long format: week, place, flow_kg, seized_kg,
        precursor_seized_kg, od_deaths (US markets), homicides (Mexico)."""
        weeks, n = self.place_flow_kg.shape
        return pd.DataFrame(
            {
                "week": np.repeat(np.arange(weeks), n),
                "place": np.tile(self.place_ids, weeks),
                "flow_kg": self.place_flow_kg.ravel(),
                "seized_kg": self.place_seized_kg.ravel(),
                "precursor_seized_kg": self.place_precursor_seized_kg.ravel(),
                "od_deaths": self.place_deaths.ravel(),
                "homicides": self.place_homicides.ravel(),
            }
        )

    def links(self) -> pd.DataFrame:
        """Per-link weekly flows, long format: week, source, target, flow_kg."""
        weeks, n = self.link_flow_kg.shape
        source, target = zip(*self.link_ends, strict=True)
        return pd.DataFrame(
            {
                "week": np.repeat(np.arange(weeks), n),
                "source": np.tile(source, weeks),
                "target": np.tile(target, weeks),
                "flow_kg": self.link_flow_kg.ravel(),
            }
        )

    def summary(self) -> dict[str, float]:
        return dict(self.scalars)


def dates(start_year: int, weeks: int) -> pd.DatetimeIndex:
    """Monday of each simulated week, from the first Monday of the start year."""
    first = dt.date(start_year, 1, 1)
    first += dt.timedelta(days=(7 - first.weekday()) % 7)
    return pd.date_range(first, periods=weeks, freq="7D")


def summarize(
    national: pd.DataFrame,
    seized_by_state: dict[str, float],
    phoenix_flow_kg: float,
    border_purity: float,
) -> dict:
    """The summary scalars computed from the weekly series, in declared order (outcomes.py);
    the simulation adds those it sets itself."""
    run = Inputs(national, seized_by_state, phoenix_flow_kg, border_purity)
    return {s.name: s.calc.compute(run) for s in SCALARS if s.calc.compute is not None}


def territory(counts: np.ndarray, orgs, world, scale: float) -> pd.DataFrame:
    """Each Mexican place at the end: the organization with most members there, its share,
    and the largest rival present; contested when that rival has at least half as many."""
    labels = list(world.orgs.labels)
    for i in range(world.orgs.n, orgs.capacity):  # factions, and factions of factions
        parent = orgs.parent[i]
        labels.append(f"{labels[parent]} (split {i})" if 0 <= parent < i else "")
    rows = []
    mexican = (world.places["country"] == "MX").to_numpy()
    for place in np.flatnonzero(mexican):
        here = counts[:, place]
        holder = int(np.argmax(here))
        rivals = here * (orgs.rivalry[holder] > 0)
        rival = int(np.argmax(rivals))
        rows.append(
            {
                "place": world.places.at[place, "id"],
                "holder": labels[holder],
                "holder_share": here[holder] / max(here.sum(), 1),
                "rival": labels[rival] if rivals[rival] > 0 else "",
                "contested": bool(rivals[rival] >= 0.5 * here[holder] > 0),
                "members": here.sum() / scale,
            }
        )
    return pd.DataFrame(rows)
