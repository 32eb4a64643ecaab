"""What changes about places week to week: how violent each usually is, last week's violence
above that usual level, which spills over to the neighbours, and the fentanyl that passes."""

from __future__ import annotations

import numpy as np

TRADE_WEEKS = 13  # assumption: a quarter's memory of what a place's trade is worth


class PlaceState:
    def __init__(self, n_places: int):
        self.usual_conflict_deaths = np.zeros(n_places)  # persons a week, a moving average
        self.excess_conflict_deaths = np.zeros(n_places)  # last week's deaths above it
        self.trade_mg = np.zeros(n_places)  # fentanyl leaving or passing a Mexican place a week,
        # a moving average over TRADE_WEEKS

    def observe_trade(self, mg: np.ndarray) -> None:
        self.trade_mg += (mg - self.trade_mg) / TRADE_WEEKS
