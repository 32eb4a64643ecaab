"""Adaptation: organizations learn their risk from recent losses to the state, and deterrence
moves capacity from fentanyl to other rackets when that risk rises above what they are used to.
Under a strike campaign the designated cartels hide (Mir & Moore 2019: under a US drone
programme, attacks fell mostly because militants could not tell when they were watched): they
give up a share of their activity — trafficking, fighting, being seen — that grows with the
surveillance over them while strikes are on, learned at the rate they learn risk.
"""

from __future__ import annotations

import numpy as np

from cartelsim.params import spec
from cartelsim.processes.process import Process

PRIOR_MEMBERS = 2_000  # assumption: weight of the usual loss rate in perceived risk
WATCH_HOURS = 504.0  # assumption: three drone orbits around the clock, the library's campaign


class Adaptation(Process):
    name = "adaptation"
    section = "7.10"
    does = (
        "each organization updates its perceived risk from its losses to the state, and "
        "deterrence sets how much of its lab capacity it still uses for fentanyl; under "
        "surveillance while strikes are on, the designated cartels hide, giving up a share of "
        "their activity"
    )

    def __init__(self, sim):
        p = sim.params
        # What organizations are used to: the peer model's baseline arrests, whatever the lever.
        self.reference = spec("incapacitation_per_week").default / p.members_start
        sim.orgs.perceived_risk[:] = self.reference

    def step(self, sim, week: int) -> None:
        p, orgs = sim.params, sim.orgs
        size = sim.roster.by_org()
        lost = orgs.losses_to_state
        # Shrunk toward the usual rate with the weight of PRIOR_MEMBERS people: one arrest in
        # a small group (or one agent at small scale) is not taken for a campaign against it.
        prior = PRIOR_MEMBERS * sim.scale
        observed = (lost + self.reference * prior) / (size + lost + prior)
        seen = size + lost > 0
        orgs.perceived_risk[seen] += p.risk_learning_rate * (
            observed[seen] - orgs.perceived_risk[seen]
        )
        lost[:] = 0
        pressure = np.maximum(orgs.perceived_risk / self.reference - 1.0, 0.0)
        effort = sim.effort
        watched = 1.0 - np.exp(-effort.flight_hours / WATCH_HOURS) if effort.strikes > 0 else 0.0
        threat = orgs.strike_threat
        threat += p.risk_learning_rate * (watched * orgs.designated - threat)
        orgs.hiding = p.strike_hiding * threat
        orgs.fentanyl_factor = np.maximum(1.0 - p.deterrence_strength * pressure, 0.0) * (
            1.0 - orgs.hiding
        )
