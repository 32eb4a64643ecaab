"""The weekly ledger: what one process hands another within the same week, cleared before
the week starts. With the state tables it is the only channel between processes: processes
write the outputs (`Sim.out`) and never read them (tests/test_architecture.py)."""

from __future__ import annotations

import numpy as np


class Ledger:
    def __init__(self, n_places: int):
        self.killed_by_state = np.zeros(n_places)  # persons, per place: arrests gone wrong,
        # operations and strikes on their targets → violence
        self.strike_deaths = np.zeros(n_places)  # persons other than targets killed by strikes
        self.use_factor = 0.0  # sold ÷ demand at the reference price: market → health
        self.od_deaths = 0.0  # this week's overdose deaths: health → users

    def clear(self) -> None:
        self.killed_by_state[:] = 0.0
        self.strike_deaths[:] = 0.0
        self.use_factor = 0.0
        self.od_deaths = 0.0
