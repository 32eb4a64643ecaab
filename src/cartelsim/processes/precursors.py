"""Precursor imports: organizations order chemicals from suppliers in China, India and
elsewhere, up to their stock target; controls block a share of what an origin's suppliers can
ship, or raise the chance that its shipments are seized in Mexico (at a seaport, or at an
airport for what comes by air)."""

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
        "China, India and elsewhere, less what controls block; shipments by sea or air "
        "may be seized in Mexico"
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
        # Each origin's part goes by air (in small consignments) or by sea (in containers).
        by_air = np.floor(by_origin * p.precursor_air_share).astype(np.int64)
        by_sea = by_origin - by_air
        at_sea = _seized(
            sim, week, "seaport", by_sea, p.precursor_shipment_kg, p.seaport_seizure_prob
        )
        by_plane = _seized(
            sim, week, "airport", by_air, p.precursor_parcel_kg, p.airport_seizure_prob
        )
        seized = at_sea + by_plane
        np.add.at(sim.out.place_precursor_seized_g[sim.row], self.port_of[self.orgs], at_sea)
        received = order - seized
        assets.stock[rows] += received
        n = sim.out.national
        n["precursor_seized_kg"][sim.row] = seized.sum() / 1000
        n["precursor_received_kg"][sim.row] = received.sum() / 1000


def _seized(sim, week: int, where: str, part_g, size_kg: float, chance: float) -> np.ndarray:
    """Grams seized per organization of what each origin sends this way: consignments of
    `size_kg`, each found with the chance there (raised by cooperation and by controls)."""
    size_g = int(size_kg * 1000)
    consignments = -(-part_g // size_g)
    extra = np.array(sim.effort.precursor_seizure)[:, None]
    found = np.minimum(chance * sim.effort.mx_enforcement + extra, 1.0)
    caught = binomial(sim.streams(f"precursors.{where}", week), consignments, found)
    return np.minimum(caught * size_g, part_g).sum(axis=0)


def origin_shares(p) -> np.ndarray:
    """Each origin's share of supply (in `PRECURSOR_ORIGINS` order); drawn from priors, India and
    the others may claim more than all of it: then they are scaled down and China ships none."""
    india, other = p.precursor_share_india, p.precursor_share_other
    rest = max(india + other, 1.0)
    return np.array([1.0 - (india + other) / rest, india / rest, other / rest])
