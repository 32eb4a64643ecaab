"""Adaptation: organizations learn their risk from recent losses to the state, and deterrence
moves capacity from fentanyl to other rackets when that risk rises above what they are used to.
"""

from __future__ import annotations

import numpy as np


class Adaptation:
    name = "adaptation"

    def __init__(self, sim):
        p = sim.params
        self.reference = p.incapacitation_per_week / p.members_start  # baseline weekly loss share
        sim.orgs.perceived_risk[:] = self.reference

    def step(self, sim, week: int) -> None:
        p, orgs = sim.params, sim.orgs
        size = sim.roster.by_org()
        lost = sim.losses_to_state
        seen = size + lost > 0
        observed = np.divide(lost, size + lost, out=np.zeros(size.size), where=seen)
        orgs.perceived_risk[seen] += p.risk_learning_rate * (
            observed[seen] - orgs.perceived_risk[seen]
        )
        lost[:] = 0
        pressure = np.maximum(orgs.perceived_risk / self.reference - 1.0, 0.0)
        orgs.fentanyl_factor = np.maximum(1.0 - p.deterrence_strength * pressure, 0.0)
