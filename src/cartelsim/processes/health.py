"""Overdose deaths: the people at risk times their overdose rate, which rises with potency
and with how much each buys, and falls where naloxone is at hand."""

from __future__ import annotations

import numpy as np

from cartelsim.processes.process import Process
from cartelsim.rng import poisson
from cartelsim.state.people import overdose_rate


class Health(Process):
    name = "health"
    section = "7.7"
    does = (
        "overdose deaths per market: people at risk (treatment lowers it) × an overdose rate "
        "that rises with potency and with how much each buys, lowered by naloxone"
    )
    burn_in = True

    def __init__(self, sim):
        markets = sim.world.markets
        self.places = markets["place"].to_numpy()
        self.demand = markets["demand_share"].to_numpy()
        self.coverage = markets["naloxone_coverage"].to_numpy()

    def step(self, sim, week: int) -> None:
        p, row, ledger = sim.params, sim.row, sim.ledger
        coverage = np.minimum(
            self.coverage * sim.inputs.naloxone_index[row] + sim.effort.naloxone_added, 1.0
        )
        rate = overdose_rate(p, sim.inputs.lethal_share[row], coverage)
        # Risk in proportion to use: buying less than at the reference supply, people use less.
        expected = rate * self.demand * sim.people.at_risk(p) * ledger.use_factor
        deaths = poisson(sim.streams("health.deaths", week), expected)
        ledger.od_deaths = float(deaths.sum())
        sim.out.place_deaths[row, self.places] = deaths
        sim.out.national["od_deaths"][row] = deaths.sum()
