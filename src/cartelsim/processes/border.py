"""Crossing into the US: couriers (most of them US citizens, hired per load) carry the staged
fentanyl through the ports of entry in cars, trucks and on foot, or between the ports; officers
find loads at a rate set by inspection and scanning; interior checkpoints catch a few more.
At a port, traffickers move loads away from the mode whose seizures they have seen rise.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from cartelsim.processes.process import Process
from cartelsim.rng import binomial_one
from cartelsim.state.build import courier_pool_target

INCOME_WEEKS = 13  # assumption: organizations judge their income over a quarter

# Crossing modes, in the columns of the per-mode arrays.
POV, TRUCK, PEDESTRIAN, BETWEEN_PORTS = range(4)


class Border(Process):
    name = "border"
    section = "7.5"
    does = (
        "couriers carry staged loads across, limited by the courier pool; CBP officers and "
        "the Border Patrol find some; interior checkpoints find a few more; the rest joins "
        "the US retail stock; cartels are paid at a wholesale price that follows the retail "
        "price; the perceived risk of each crossing and of each mode at it, and congestion, "
        "are updated"
    )
    burn_in = True

    def __init__(self, sim):
        p, world, graph = sim.params, sim.world, sim.graph
        crossings = world.crossings
        self.between = crossings["between_ports"].to_numpy()
        self.pool_target = courier_pool_target(world, p)
        share = np.zeros((graph.crossings.size, 4))
        # Drawn from priors, cars and trucks may claim more than all loads: scale them down.
        cars, trucks = p.pov_share, p.truck_share
        total = max(cars + trucks, 1.0)
        share[~self.between] = [cars / total, trucks / total, 1 - (cars + trucks) / total, 0]
        share[self.between, BETWEEN_PORTS] = 1.0
        self.start_share = share
        load_kg = np.array(
            [p.load_kg_pov, p.load_kg_truck, p.load_kg_pedestrian, p.load_kg_between_ports]
        )
        self.load_mg = (load_kg * 1e6).astype(np.int64)
        s, r = p.citizen_courier_share, p.citizen_inspection_ratio
        self.citizen_factor = np.array([r, 1.0]) / (s * r + 1 - s)  # keeps the mean rate
        # Traffickers start out expecting each crossing's and mode's seizure rate at the
        # start's effort.
        self.start_risk = self.detection(sim, 0).copy()
        sim.supply.perceived_mode_risk = self.start_risk.copy()
        sim.supply.perceived_crossing_risk = (self.start_risk * share).sum(axis=1)

    def mode_share(self, sim) -> np.ndarray:
        """Each mode's share of a crossing's loads: the starting shares, tilted away from the
        modes whose seizure chance traffickers have seen rise (a logit in the risk)."""
        rise = sim.supply.perceived_mode_risk - self.start_risk
        weight = self.start_share * np.exp(-sim.params.mode_risk_aversion * rise)
        return weight / weight.sum(axis=1, keepdims=True)

    def detection(self, sim, row: int) -> np.ndarray:
        """Chance that one load is found, per crossing and mode."""
        p = sim.params
        effort = sim.effort
        scan_pov = max(sim.inputs.baseline_scan_pov[row], effort.min_scan_pov)
        scan_truck = max(sim.inputs.baseline_scan_truck[row], effort.min_scan_truck)
        scanned = p.detect_unscanned + p.scan_gain * (1 - p.detect_unscanned)
        per_mode = np.array(
            [
                scan_pov * scanned + (1 - scan_pov) * p.detect_unscanned,
                scan_truck * scanned + (1 - scan_truck) * p.detect_unscanned,
                p.detect_pedestrian,
                min(p.between_ports_detect * effort.between_ports, 1.0),
            ]
        )
        return np.broadcast_to(per_mode, (self.between.size, 4))

    def step(self, sim, week: int) -> None:
        p, assets, supply, out, row = sim.params, sim.assets, sim.supply, sim.out, sim.row
        orgs = np.flatnonzero((supply.staging_stash >= 0).any(axis=1))
        stash = supply.staging_stash[orgs]  # (orgs, crossings)
        wanted = np.floor(assets.stock[stash] * p.ship_fraction)
        # Courier pool: when more loads wait than couriers can carry, the rest wait a week.
        mode_share = self.mode_share(sim)
        loads_wanted = wanted.sum(axis=0) / (mode_share @ self.load_mg)
        capacity = supply.courier_pool * p.courier_trips_per_week
        # A crossing whose couriers are all gone is as crowded as if one were left.
        one_courier = p.courier_trips_per_week
        supply.crossing_utilization[:] = loads_wanted / np.maximum(capacity, one_courier)
        # Traffickers learn how crowded a crossing is as they learn its risk: reacting to last
        # week alone, they would all rush to last week's quiet crossing and crowd it in turn.
        seen = supply.perceived_utilization
        seen += p.risk_learning_rate * (supply.crossing_utilization - seen)
        room = np.minimum(
            1.0,
            np.divide(capacity, loads_wanted, out=np.ones_like(capacity), where=loads_wanted > 0),
        )
        amount = np.floor(wanted * room).astype(np.int64)
        assets.stock[stash] -= amount

        # Four uniforms per (organization, crossing, mode), one for each chance a load meets.
        u = sim.streams("border.crossing", week).random((4, *amount.shape, 4))
        found = self.detection(sim, row)
        chance = np.stack(
            [
                np.full(found.shape, p.citizen_courier_share),
                np.minimum(found * self.citizen_factor[0], 1),
                np.minimum(found * self.citizen_factor[1], 1),
                np.full(found.shape, min(p.checkpoint_detect * sim.effort.checkpoint, 1.0)),
            ]
        )
        by_mode, caught_cit, caught, seized, checked, at_checkpoint = _cross(
            amount, mode_share, self.load_mg, u, chance
        )
        through = by_mode - seized
        arrived = (through - at_checkpoint).sum(axis=2)  # (orgs, crossings)

        ports = ~self.between
        at_ports = seized[:, ports].sum()
        between = seized[:, self.between].sum()
        checkpoints = at_checkpoint.sum()
        supply.seized_mg["port_of_entry"] += int(at_ports)
        supply.seized_mg["between_ports"] += int(between)
        supply.seized_mg["checkpoint"] += int(checkpoints)
        pool = np.maximum(
            supply.courier_pool - caught.sum(axis=(0, 2)) - checked.sum(axis=(0, 2)), 0
        )
        supply.courier_pool = pool + p.courier_hire_rate * (self.pool_target - pool)

        cbp = (seized + at_checkpoint).sum(axis=(0, 2))  # per crossing
        np.add.at(out.place_seized_mg[row], sim.graph.crossings, cbp)
        np.add.at(out.place_flow_mg[row], sim.graph.crossings, amount.sum(axis=0))
        learned = amount.sum(axis=0) > 0
        observed = cbp[learned] / amount.sum(axis=0)[learned]
        risk = supply.perceived_crossing_risk
        risk[learned] += p.risk_learning_rate * (observed - risk[learned])
        sent = by_mode.sum(axis=0)  # (crossings, modes)
        tried = sent > 0
        seen = (seized + at_checkpoint).sum(axis=0)[tried] / sent[tried]
        mode_risk = supply.perceived_mode_risk
        mode_risk[tried] += p.risk_learning_rate * (seen - mode_risk[tried])

        per_crossing = arrived.sum(axis=0)
        supply.us_stock_mg += int(per_crossing.sum())
        out.place_flow_mg[row] += per_crossing @ sim.graph.us_place_share
        out.link_flow_mg[row] += per_crossing @ sim.graph.us_link_share
        revenue = arrived.sum(axis=1) / 1e6 * wholesale_usd_per_kg(sim)
        this_week = np.zeros(sim.orgs.capacity)
        this_week[orgs] = revenue
        average = sim.orgs.fentanyl_revenue_usd
        average += (this_week - average) / INCOME_WEEKS
        n = out.national
        n["crossed_kg"][row] = crossed_kg = amount.sum() / 1e6
        sent_kg = sent.sum(axis=0) / 1e6
        n["crossed_car_kg"][row], n["crossed_truck_kg"][row] = sent_kg[POV], sent_kg[TRUCK]
        n["crossed_on_foot_kg"][row] = sent_kg[PEDESTRIAN] + sent_kg[BETWEEN_PORTS]
        n["seized_poe_kg"][row] = poe_kg = at_ports / 1e6
        n["seized_between_ports_kg"][row] = between_kg = between / 1e6
        n["seized_checkpoint_kg"][row] = checkpoint_kg = checkpoints / 1e6
        supply.shipments_last_week.update(  # what producers learn from next week
            crossed_kg=crossed_kg,
            seized_poe_kg=poe_kg,
            seized_between_ports_kg=between_kg,
            seized_checkpoint_kg=checkpoint_kg,
        )
        n["us_arrivals_kg"][row] = per_crossing.sum() / 1e6
        n["courier_arrests"][row] = caught.sum() + checked.sum()
        n["courier_arrests_poe"][row] = caught[:, ports].sum()
        n["courier_arrests_poe_citizen"][row] = caught_cit[:, ports].sum()
        n["cartel_revenue_usd"][row] = revenue.sum()


def relative_price(sim) -> float:
    """Last week's retail price against its reference (1 before the first sale)."""
    price = sim.supply.price_usd_per_mg
    return price / sim.inputs.price_ref_usd_per_mg if np.isfinite(price) else 1.0


def wholesale_usd_per_kg(sim) -> float:
    """What a kg pure fetches at the border: prices move in proportion along the chain (the
    multiplicative markup model, Caulkins 1994), so it follows the retail price."""
    return sim.params.wholesale_usd_per_kg * relative_price(sim)


def _ratio(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    return np.divide(part, whole, out=np.zeros(part.shape), where=whole > 0)


@njit(cache=True)
def _cross(amount, mode_share, load_mg, u, chance):
    """Each (organization, crossing)'s amount split over the modes (the rounding rest on foot)
    into loads; per mode, binomial draws from the four uniforms: couriers who are citizens,
    citizens caught, others caught (chance[1], chance[2] per crossing and mode), loads found
    at an interior checkpoint (chance[3]); seized mg in proportion to the loads found."""
    shape = (amount.shape[0], amount.shape[1], load_mg.size)
    out = np.zeros((6, *shape), np.int64)
    by_mode, caught_cit, caught, seized, checked, at_checkpoint = (
        out[0],
        out[1],
        out[2],
        out[3],
        out[4],
        out[5],
    )
    for o in range(shape[0]):
        for c in range(shape[1]):
            rest = amount[o, c]
            for d in range(shape[2]):
                by_mode[o, c, d] = math.floor(amount[o, c] * mode_share[c, d])
                rest -= by_mode[o, c, d]
            by_mode[o, c, PEDESTRIAN] += rest
            for d in range(shape[2]):
                n = -(-by_mode[o, c, d] // load_mg[d])
                citizens = _binomial(u[0, o, c, d], n, chance[0, c, d])
                caught_cit[o, c, d] = _binomial(u[1, o, c, d], citizens, chance[1, c, d])
                found = caught_cit[o, c, d] + _binomial(
                    u[2, o, c, d], n - citizens, chance[2, c, d]
                )
                seized[o, c, d] = math.floor(by_mode[o, c, d] * (found / n)) if n > 0 else 0
                left = n - found
                checked[o, c, d] = _binomial(u[3, o, c, d], left, chance[3, c, d])
                through = by_mode[o, c, d] - seized[o, c, d]
                at_checkpoint[o, c, d] = (
                    math.floor(through * (checked[o, c, d] / left)) if left > 0 else 0
                )
                caught[o, c, d] = found
    return out


@njit(cache=True)
def _binomial(u, n, p):
    if n <= 0 or not p > 0.0:
        return 0
    return n if p >= 1.0 else binomial_one(u, n, p)
