"""Precursor imports: organizations order chemicals from suppliers in China, India and
elsewhere, up to their stock target; controls block a share of what an origin's suppliers can
ship, or raise the chance that its shipments are seized in Mexico (at a seaport, or at an
airport for what comes by air)."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from cartelsim.processes.process import Process
from cartelsim.rng import SUMMED_UP_TO, binomial_from, binomial_one
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
        self.n_places = sim.world.n_places
        capacity = lab_capacity_by_org(assets, sim.world.orgs.n)[self.orgs]
        self.target_g = precursor_target_g(capacity, p)
        usual_g = capacity * p.utilization_ref / p.precursor_yield * 1000
        share = origin_shares(p)
        self.supply_g = np.floor(share[:, None] * usual_g[None] * p.precursor_supply_ratio).astype(
            np.int64
        )  # (origins, organizations)
        # Each way in (WAYS): the chance that a consignment is found, its size in grams.
        self.chance = np.array([p.seaport_seizure_prob, p.airport_seizure_prob])
        self.size_g = np.array(
            [int(p.precursor_shipment_kg * 1000), int(p.precursor_parcel_kg * 1000)]
        )

    def step(self, sim, week: int) -> None:
        p, supply, effort = sim.params, sim.supply, sim.effort
        # One uniform per origin and organization for each way in.
        u = np.empty((len(WAYS), *self.supply_g.shape))
        for way, cells in zip(WAYS, u, strict=True):
            sim.streams(f"precursors.{way}", week).random(out=cells)
        controls = np.array([effort.precursor_blocked, effort.precursor_seizure], dtype=float)
        args = (
            u, self.orgs, self.supply_g, self.target_g, supply.precursor_stock,
            supply.precursor_port, sim.assets.stock, controls, p.precursor_blocked,
            p.precursor_air_share, self.chance, effort.mx_enforcement, self.size_g, self.n_places,
        )  # fmt: skip
        caught = np.full(u.shape, -1)
        done, consignments, found, at_port, seized, received = _import(caught, *args)
        if not done:  # means beyond what the compiled inversion sums: SciPy's CDFs
            bad = caught < 0
            caught[bad] = binomial_from(u[bad], consignments[bad], found[bad])
            done, consignments, found, at_port, seized, received = _import(caught, *args)
        sim.out.place_precursor_seized_g[sim.row] += at_port
        n = sim.out.national
        n["precursor_seized_kg"][sim.row] = seized / 1000
        n["precursor_received_kg"][sim.row] = received / 1000


WAYS = ("seaport", "airport")  # sea in containers, air in small consignments (an airport)


@njit(cache=True)
def _import(
    caught, u, orgs, supply_g, target_g, precursor_stock, port, stock, controls, blocked,
    air_share, chance, mx, size_g, n_places,
):  # fmt: skip
    """The week's imports in one pass (NumPy's arithmetic, for identical results). Each
    organization orders up to its stock target what its origins can ship (less what controls
    block); each origin ships its part in proportion to what it can ship (the rounding rest
    from the one that can ship most), by air or by sea; consignments are found with the chance
    at the port (raised by cooperation and by controls). The consignments found are binomial
    counts from `u`, into `caught` where it is −1; where a mean is beyond what the compiled
    inversion sums, returns (False, consignments, chance per cell, …) with the state untouched.
    Otherwise adds what gets through to the stocks and returns (True, …, g seized at each
    seaport, g seized, g received)."""
    n_origins, n = supply_g.shape
    order = np.zeros(n, np.int64)
    by_way = np.zeros((2, n_origins, n), np.int64)
    consignments = np.zeros((2, n_origins, n), np.int64)
    found = np.zeros((2, n_origins, n))
    done = True
    available = np.zeros(n_origins, np.int64)
    for j in range(n):  # plain loops (no array expressions): they compile fastest
        can = most = 0
        for o in range(n_origins):
            shut = 1.0 - (1.0 - blocked) * (1.0 - controls[0, o])
            available[o] = math.floor(supply_g[o, j] * (1.0 - shut))
            can += available[o]
            if available[o] > available[most]:
                most = o
        order[j] = min(max(target_g[j] - stock[precursor_stock[orgs[j]]], 0), can)
        rest = order[j]
        for o in range(n_origins):
            part = math.floor(order[j] * (available[o] / can)) if can > 0 else 0
            by_way[0, o, j] = part
            rest -= part
        by_way[0, most, j] += rest
        for o in range(n_origins):
            air = math.floor(by_way[0, o, j] * air_share)
            by_way[0, o, j] -= air
            by_way[1, o, j] = air
            for w in range(2):
                k = -(-by_way[w, o, j] // size_g[w])
                p = min(chance[w] * mx + controls[1, o], 1.0)
                consignments[w, o, j], found[w, o, j] = k, p
                if caught[w, o, j] >= 0:
                    continue
                if 0.0 < p < 1.0 and k * p > SUMMED_UP_TO:
                    done = False
                else:
                    caught[w, o, j] = binomial_one(u[w, o, j], k, p)
    at_port = np.zeros(n_places)
    seized = received = 0
    if not done:
        return done, consignments, found, at_port, seized, received
    for j in range(n):
        lost = 0
        for w in range(2):
            for o in range(n_origins):
                lost += min(caught[w, o, j] * size_g[w], by_way[w, o, j])
            if w == 0:
                at_port[port[orgs[j]]] += lost
        stock[precursor_stock[orgs[j]]] += order[j] - lost
        seized += lost
        received += order[j] - lost
    return done, consignments, found, at_port, seized, received


def origin_shares(p) -> np.ndarray:
    """Each origin's share of supply (in `PRECURSOR_ORIGINS` order); drawn from priors, India and
    the others may claim more than all of it: then they are scaled down and China ships none."""
    india, other = p.precursor_share_india, p.precursor_share_other
    rest = max(india + other, 1.0)
    return np.array([1.0 - (india + other) / rest, india / rest, other / rest])
