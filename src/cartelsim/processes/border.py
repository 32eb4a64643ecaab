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
        return np.broadcast_to(self.per_mode(sim, row), (self.between.size, 4))

    def per_mode(self, sim, row: int) -> np.ndarray:
        """Chance that one load is found, per mode (the same at every crossing)."""
        p = sim.params
        effort = sim.effort
        scan_pov = max(sim.inputs.baseline_scan_pov[row], effort.min_scan_pov)
        scan_truck = max(sim.inputs.baseline_scan_truck[row], effort.min_scan_truck)
        scanned = p.detect_unscanned + p.scan_gain * (1 - p.detect_unscanned)
        return np.array(
            [
                scan_pov * scanned + (1 - scan_pov) * p.detect_unscanned,
                scan_truck * scanned + (1 - scan_truck) * p.detect_unscanned,
                p.detect_pedestrian,
                min(p.between_ports_detect * effort.between_ports, 1.0),
            ]
        )

    def step(self, sim, week: int) -> None:
        p, supply, out, row = sim.params, sim.supply, sim.out, sim.row
        orgs = np.flatnonzero((supply.staging_stash >= 0).any(axis=1))
        mode_share = self.mode_share(sim)
        # Four uniforms per (organization, crossing, mode), one for each chance a load meets.
        u = sim.streams("border.crossing", week).random((4, orgs.size, self.between.size, 4))
        flows, totals, revenue, supply.courier_pool = _week(
            sim.assets.stock,
            supply.staging_stash[orgs],
            mode_share,
            self.load_mg,
            mode_share @ self.load_mg,
            supply.courier_pool,
            p.courier_trips_per_week,
            p.ship_fraction,
            supply.crossing_utilization,
            supply.perceived_utilization,
            u,
            self.per_mode(sim, row),
            self.citizen_factor,
            np.array(
                [
                    p.citizen_courier_share,
                    min(p.checkpoint_detect * sim.effort.checkpoint, 1.0),
                    p.risk_learning_rate,
                    p.courier_hire_rate,
                    wholesale_usd_per_kg(sim),
                ]
            ),
            self.between,
            self.pool_target,
            supply.perceived_crossing_risk,
            supply.perceived_mode_risk,
            orgs,
            sim.orgs.fentanyl_revenue_usd,
        )
        cbp, shipped, per_crossing = flows
        (
            at_ports,
            between,
            checkpoints,
            car,
            truck,
            foot,
            between_ports,
            arrests,
            arrests_poe,
            arrests_poe_citizen,
            crossed,
            arrived,
        ) = totals
        supply.seized_mg["port_of_entry"] += int(at_ports)
        supply.seized_mg["between_ports"] += int(between)
        supply.seized_mg["checkpoint"] += int(checkpoints)
        np.add.at(out.place_seized_mg[row], sim.graph.crossings, cbp)
        np.add.at(out.place_flow_mg[row], sim.graph.crossings, shipped)
        supply.us_stock_mg += int(arrived)
        out.place_flow_mg[row] += per_crossing @ sim.graph.us_place_share
        out.link_flow_mg[row] += per_crossing @ sim.graph.us_link_share
        n = out.national
        n["crossed_kg"][row] = crossed_kg = crossed / 1e6
        n["crossed_car_kg"][row], n["crossed_truck_kg"][row] = car / 1e6, truck / 1e6
        n["crossed_on_foot_kg"][row] = foot / 1e6 + between_ports / 1e6
        n["seized_poe_kg"][row] = poe_kg = at_ports / 1e6
        n["seized_between_ports_kg"][row] = between_kg = between / 1e6
        n["seized_checkpoint_kg"][row] = checkpoint_kg = checkpoints / 1e6
        supply.shipments_last_week.update(  # what producers learn from next week
            crossed_kg=crossed_kg,
            seized_poe_kg=poe_kg,
            seized_between_ports_kg=between_kg,
            seized_checkpoint_kg=checkpoint_kg,
        )
        n["us_arrivals_kg"][row] = arrived / 1e6
        n["courier_arrests"][row] = arrests
        n["courier_arrests_poe"][row] = arrests_poe
        n["courier_arrests_poe_citizen"][row] = arrests_poe_citizen
        n["cartel_revenue_usd"][row] = revenue.sum()


def relative_price(sim) -> float:
    """Last week's retail price against its reference (1 before the first sale)."""
    price = sim.supply.price_usd_per_mg
    return price / sim.inputs.price_ref_usd_per_mg if np.isfinite(price) else 1.0


def wholesale_usd_per_kg(sim) -> float:
    """What a kg pure fetches at the border: prices move in proportion along the chain (the
    multiplicative markup model, Caulkins 1994), so it follows the retail price."""
    return sim.params.wholesale_usd_per_kg * relative_price(sim)


@njit(cache=True)
def _week(
    stock,
    stash,
    mode_share,
    load_mg,
    per_load,
    pool,
    trips,
    ship_fraction,
    utilization,
    seen,
    u,
    found,
    citizen_factor,
    rates,
    between,
    pool_target,
    crossing_risk,
    mode_risk,
    orgs,
    average,
):
    """The week's crossings in one pass (the step's arithmetic, in NumPy's order): loads
    wanted against the courier pool, the crossings, what the traffickers learn, and the
    organizations' income. Writes the stock, utilization, perceived risks and average
    income in place; returns per crossing the mg seized, shipped and arrived, the week's
    totals, each organization's revenue, and the new courier pool."""
    citizen_share, checkpoint, learning_rate, hire_rate, usd_per_kg = rates
    n_orgs, n_cross = stash.shape
    held = np.empty((n_orgs, n_cross), np.int64)
    wanted = np.empty((n_orgs, n_cross))
    total = np.zeros(n_cross)
    for o in range(n_orgs):
        for c in range(n_cross):
            held[o, c] = stock[stash[o, c]]
            wanted[o, c] = np.floor(held[o, c] * ship_fraction)
            total[c] += wanted[o, c]
    # Courier pool: when more loads wait than couriers can carry, the rest wait a week.
    room = np.ones(n_cross)
    for c in range(n_cross):
        loads_wanted = total[c] / per_load[c]
        capacity = pool[c] * trips
        # A crossing whose couriers are all gone is as crowded as if one were left.
        utilization[c] = loads_wanted / max(capacity, trips)
        # Traffickers learn how crowded a crossing is as they learn its risk: reacting to
        # last week alone, they would all rush to last week's quiet crossing and crowd it.
        seen[c] += learning_rate * (utilization[c] - seen[c])
        if loads_wanted > 0:
            room[c] = min(1.0, capacity / loads_wanted)
    amount = np.empty((n_orgs, n_cross), np.int64)
    for o in range(n_orgs):
        for c in range(n_cross):
            amount[o, c] = np.int64(np.floor(wanted[o, c] * room[c]))
            stock[stash[o, c]] = held[o, c] - amount[o, c]
    chance = np.empty((4, n_cross, 4))
    for c in range(n_cross):
        for d in range(4):
            chance[0, c, d] = citizen_share
            chance[1, c, d] = min(found[d] * citizen_factor[0], 1.0)
            chance[2, c, d] = min(found[d] * citizen_factor[1], 1.0)
            chance[3, c, d] = checkpoint
    by_mode, caught_cit, caught, seized, checked, at_checkpoint = _cross(
        amount, mode_share, load_mg, u, chance
    )

    flows = np.zeros((3, n_cross), np.int64)  # seized by CBP, shipped, arrived
    totals = np.zeros(12, np.int64)
    lost = np.zeros(n_cross, np.int64)  # couriers arrested
    sent = np.zeros((n_cross, 4), np.int64)
    stopped = np.zeros((n_cross, 4), np.int64)
    arrived = np.zeros(n_orgs, np.int64)
    for o in range(n_orgs):
        for c in range(n_cross):
            flows[1, c] += amount[o, c]
            totals[10] += amount[o, c]
            for d in range(4):
                found_mg = seized[o, c, d] + at_checkpoint[o, c, d]
                through = by_mode[o, c, d] - seized[o, c, d] - at_checkpoint[o, c, d]
                flows[0, c] += found_mg
                flows[2, c] += through
                arrived[o] += through
                sent[c, d] += by_mode[o, c, d]
                stopped[c, d] += found_mg
                lost[c] += caught[o, c, d] + checked[o, c, d]
                if between[c]:
                    totals[1] += seized[o, c, d]
                else:
                    totals[0] += seized[o, c, d]
                    totals[8] += caught[o, c, d]
                    totals[9] += caught_cit[o, c, d]
                totals[2] += at_checkpoint[o, c, d]
                totals[3 + d] += by_mode[o, c, d]
                totals[7] += caught[o, c, d] + checked[o, c, d]
                totals[11] += through

    new_pool = np.empty(n_cross)
    for c in range(n_cross):
        left = pool[c] - lost[c]
        left = left if left >= 0.0 else 0.0
        new_pool[c] = left + hire_rate * (pool_target[c] - left)
        if flows[1, c] > 0:
            crossing_risk[c] += learning_rate * (flows[0, c] / flows[1, c] - crossing_risk[c])
        for d in range(4):
            if sent[c, d] > 0:
                mode_risk[c, d] += learning_rate * (stopped[c, d] / sent[c, d] - mode_risk[c, d])
    revenue = np.empty(n_orgs)
    this_week = np.zeros(average.size)
    for o in range(n_orgs):
        revenue[o] = arrived[o] / 1e6 * usd_per_kg
        this_week[orgs[o]] = revenue[o]
    for i in range(average.size):
        average[i] += (this_week[i] - average[i]) / INCOME_WEEKS
    return flows, totals, revenue, new_pool


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
                citizens = binomial_one(u[0, o, c, d], n, chance[0, c, d])
                caught_cit[o, c, d] = binomial_one(u[1, o, c, d], citizens, chance[1, c, d])
                found = caught_cit[o, c, d] + binomial_one(
                    u[2, o, c, d], n - citizens, chance[2, c, d]
                )
                seized[o, c, d] = math.floor(by_mode[o, c, d] * (found / n)) if n > 0 else 0
                left = n - found
                checked[o, c, d] = binomial_one(u[3, o, c, d], left, chance[3, c, d])
                through = by_mode[o, c, d] - seized[o, c, d]
                at_checkpoint[o, c, d] = (
                    math.floor(through * (checked[o, c, d] / left)) if left > 0 else 0
                )
                caught[o, c, d] = found
    return out
