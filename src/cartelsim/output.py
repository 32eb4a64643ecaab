"""The weekly output buffer: preallocated arrays the processes write into, one row per
simulated week (burn-in included), and that no process reads (docs/model.md §3)."""

from __future__ import annotations

import numpy as np

from cartelsim.outcomes import SERIES
from cartelsim.policy.levers import LEVERS

LEVER_INDEX = {name: i for i, name in enumerate(LEVERS)}  # column of each lever's cost


class WeeklyOutput:
    def __init__(self, rows: int, n_places: int, n_links: int):
        self.national = {s.name: np.zeros(rows) for s in SERIES}
        self.place_flow_mg = np.zeros((rows, n_places))
        self.place_seized_mg = np.zeros((rows, n_places))
        self.place_precursor_seized_g = np.zeros((rows, n_places))
        self.place_deaths = np.zeros((rows, n_places))
        self.link_flow_mg = np.zeros((rows, n_links))
        self.place_homicides = np.zeros((rows, n_places))
        self.lever_cost = np.zeros((rows, len(LEVERS)))
