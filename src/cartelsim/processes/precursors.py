"""Precursor imports: chemicals ordered from abroad arrive at a Pacific seaport, some seized."""

from __future__ import annotations

import numpy as np

from cartelsim.rng import binomial
from cartelsim.state.assets import AssetKind


class Precursors:
    name = "precursors"

    def __init__(self, sim):
        world, assets, supply = sim.world, sim.assets, sim.supply
        labs = assets.of_kind(AssetKind.LAB)
        self.orgs = np.unique(assets.org[labs])
        seaports = np.flatnonzero(world.places["kind"].to_numpy() == "seaport")
        lat, lon = world.places["lat"].to_numpy(), world.places["lon"].to_numpy()
        self.port_of = np.zeros(world.orgs.n, np.int64)
        for org in self.orgs:
            home = np.bincount(assets.place[labs][assets.org[labs] == org]).argmax()
            self.port_of[org] = seaports[
                np.argmin(np.hypot(lat[seaports] - lat[home], lon[seaports] - lon[home]))
            ]
            supply.precursor_stock[org] = assets.add(
                1, kind=AssetKind.PRECURSOR, org=org, place=self.port_of[org]
            )[0]
        capacity = np.bincount(
            assets.org[labs], weights=assets.capacity[labs], minlength=world.orgs.n
        )
        p = sim.params
        # Stock target in grams: a few weeks of full capacity, as chemicals.
        self.target_g = np.floor(
            capacity[self.orgs] * p.precursor_cover_weeks / p.precursor_yield * 1000
        ).astype(np.int64)
        assets.stock[supply.precursor_stock[self.orgs]] = self.target_g
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
