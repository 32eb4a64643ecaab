"""Overdose deaths: proportional to the fentanyl consumed, steeper when more pills hold a
lethal dose, and lowered where naloxone is at hand.
"""

from __future__ import annotations

import numpy as np

from cartelsim.processes.process import Process
from cartelsim.rng import poisson


class Health(Process):
    name = "health"
    section = "7.7"
    does = (
        "overdose deaths per market from the fentanyl consumed this week, steeper with "
        "potency, lowered by naloxone and treatment"
    )
    burn_in = True

    def __init__(self, sim):
        markets = sim.world.markets
        self.places = markets["place"].to_numpy()
        self.demand = markets["demand_share"].to_numpy()
        self.coverage = markets["naloxone_coverage"].to_numpy()

    def step(self, sim, week: int) -> None:
        p, row = sim.params, sim.row
        consumed_kg = sim.ledger.consumed_kg
        inputs = sim.inputs
        potency = (inputs.lethal_share[row] / p.lethal_share_ref) ** p.potency_elasticity
        effort = sim.effort
        coverage = np.minimum(
            self.coverage * inputs.naloxone_index[row] + effort.naloxone_added, 1.0
        )
        treated = 1.0 - effort.treatment * p.treatment_death_reduction
        expected = (
            p.deaths_per_kg
            * consumed_kg
            * potency
            * self.demand
            * (1.0 - p.naloxone_effect * coverage)
            * treated
        )
        deaths = poisson(sim.streams("health.deaths", week), expected)
        sim.out.place_deaths[row, self.places] = deaths
        sim.out.national["od_deaths"][row] = deaths.sum()
