"""What changes about places week to week: how violent each usually is, and last week's
violence above that usual level, which spills over to the neighbours."""

from __future__ import annotations

import numpy as np


class PlaceState:
    def __init__(self, n_places: int):
        self.usual_conflict_deaths = np.zeros(n_places)  # persons a week, a moving average
        self.excess_conflict_deaths = np.zeros(n_places)  # last week's deaths above it
