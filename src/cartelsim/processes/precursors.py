"""Precursor imports: organizations order chemicals from suppliers in China, India and
elsewhere, up to their stock target; controls block a share of what an origin's suppliers can
ship, or raise the chance that its shipments are seized at the Mexican seaport."""

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
        "organizations order precursor chemicals up to their stock target from suppliers in "
        "China, India and elsewhere, less what controls block; shipments arriving at a "
        "Mexican seaport may be seized"
    )
    burn_in = True

    def __init__(self, sim):
        assets, p = sim.assets, sim.params
        self.orgs = np.unique(assets.org[assets.of_kind(AssetKind.LAB)])
        self.port_of = sim.supply.precursor_port
        capacity = lab_capacity_by_org(assets, sim.world.orgs.n)[self.orgs]
        self.target_g = precursor_target_g(capacity, p)
        usual_g = capacity * p.utilization_ref / p.precursor_yield * 1000
        share = origin_shares(p)
        self.supply_g = np.floor(share[:, None] * usual_g[None] * p.precursor_supply_ratio).astype(
            np.int64
        )  # (origins, organizations)

    def step(self, sim, week: int) -> None:
        p, assets, effort = sim.params, sim.assets, sim.effort
        rng = sim.streams("precursors.seaport", week)
        rows = sim.supply.precursor_stock[self.orgs]
        blocked = 1.0 - (1.0 - p.precursor_blocked) * (1.0 - np.array(effort.precursor_blocked))
        available = np.floor(self.supply_g * (1.0 - blocked)[:, None]).astype(np.int64)
        can = available.sum(axis=0)
        order = np.minimum(np.maximum(self.target_g - assets.stock[rows], 0), can)
        # Each origin ships its part of the order, in proportion to what it can ship; the
        # rounding rest goes to the origin that can ship most.
        by_origin = np.floor(
            order * np.divide(available, can, out=np.zeros(available.shape), where=can > 0)
        ).astype(np.int64)
        most = np.argmax(available, axis=0)
        by_origin[most, np.arange(order.size)] += order - by_origin.sum(axis=0)
        shipment_g = int(p.precursor_shipment_kg * 1000)
        shipments = -(-by_origin // shipment_g)
        chance = np.minimum(
            p.seaport_seizure_prob * effort.mx_enforcement + np.array(effort.precursor_seizure),
            1.0,
        )
        caught = binomial(rng, shipments, chance[:, None])
        seized = np.minimum(caught * shipment_g, by_origin).sum(axis=0)
        received = order - seized
        assets.stock[rows] += received
        np.add.at(sim.out.place_precursor_seized_g[sim.row], self.port_of[self.orgs], seized)
        n = sim.out.national
        n["precursor_seized_kg"][sim.row] = seized.sum() / 1000
        n["precursor_received_kg"][sim.row] = received.sum() / 1000


def origin_shares(p) -> np.ndarray:
    """Each origin's share of supply (in `PRECURSOR_ORIGINS` order); drawn from priors, India and
    the others may claim more than all of it: then they are scaled down and China ships none."""
    india, other = p.precursor_share_india, p.precursor_share_other
    rest = max(india + other, 1.0)
    return np.array([1.0 - (india + other) / rest, india / rest, other / rest])
