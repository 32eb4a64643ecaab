"""Precursor imports: chemicals ordered from abroad arrive at a Pacific seaport, some seized."""

from __future__ import annotations

import numpy as np

from cartelsim.processes.process import Process
from cartelsim.rng import binomial
from cartelsim.state.assets import AssetKind
from cartelsim.state.build import lab_capacity_by_org, precursor_target_g


class Precursors(Process):
    name = "precursors"
    section = "7.1"
    does = (
        "organizations order precursor chemicals up to their stock target, less what controls "
        "block; shipments arriving at a Mexican seaport may be seized"
    )
    burn_in = True

    def __init__(self, sim):
        assets, p = sim.assets, sim.params
        self.orgs = np.unique(assets.org[assets.of_kind(AssetKind.LAB)])
        self.port_of = sim.supply.precursor_port
        capacity = lab_capacity_by_org(assets, sim.world.orgs.n)
        self.target_g = precursor_target_g(capacity[self.orgs], p)
        self.supply_g = np.floor(
            capacity[self.orgs] * p.precursor_supply_ratio / p.precursor_yield * 1000
        ).astype(np.int64)

    def step(self, sim, week: int) -> None:
        p, assets = sim.params, sim.assets
        rng = sim.streams("precursors.seaport", week)
        rows = sim.supply.precursor_stock[self.orgs]
        blocked = 1.0 - (1.0 - p.precursor_blocked) * (1.0 - sim.effort.precursor_blocked)
        available = np.floor(self.supply_g * (1.0 - blocked)).astype(np.int64)
        order = np.minimum(np.maximum(self.target_g - assets.stock[rows], 0), available)
        shipment_g = int(p.precursor_shipment_kg * 1000)
        shipments = -(-order // shipment_g)
        caught = binomial(
            rng, shipments, min(p.seaport_seizure_prob * sim.effort.mx_enforcement, 1.0)
        )
        seized = np.minimum(caught * shipment_g, order)
        assets.stock[rows] += order - seized
        np.add.at(sim.out.place_precursor_seized_g[sim.row], self.port_of[self.orgs], seized)
        sim.out.national["precursor_seized_kg"][sim.row] = seized.sum() / 1000
