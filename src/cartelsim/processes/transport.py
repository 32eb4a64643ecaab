"""Transport inside Mexico: loads leave the lab stashes along the planned routes; at each place
they pass, Mexican enforcement may seize them; survivors reach the border staging a week later.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from cartelsim.processes.process import Process
from cartelsim.rng import binomial_one
from cartelsim.state.assets import AssetKind, AssetStatus
from cartelsim.state.build import VEHICLE_TRIPS_PER_WEEK

VEHICLE_REPLACE_WEEKS = 2  # assumption: a seized vehicle is replaced in two weeks


class Transport(Process):
    name = "transport"
    section = "7.4"
    does = (
        "last week's shipments reach the staging stashes; new loads leave the origin stashes "
        "along the route plan, limited by the organization's vehicles; Mexican enforcement "
        "may seize them at each place; traffickers update perceived place risk"
    )
    burn_in = True

    def __init__(self, sim):
        self.vehicles = sim.assets.of_kind(AssetKind.VEHICLE)
        self.load_mg = int(sim.params.inland_load_kg * 1e6)

    def step(self, sim, week: int) -> None:
        assets, supply, plan = sim.assets, sim.supply, sim.routes
        out, row = sim.out, sim.row
        # Last week's shipments reach the border staging.
        staging = supply.staging_stash
        has = staging >= 0
        assets.stock[staging[has]] += supply.in_transit[has]
        supply.in_transit[:] = 0

        vehicles = self.vehicles
        status = assets.status[vehicles]
        back = (status == AssetStatus.SEIZED) & (assets.ready_week[vehicles] <= week)
        assets.status[vehicles[back]] = AssetStatus.ACTIVE
        on_road = vehicles[assets.status[vehicles] == AssetStatus.ACTIVE]
        n_orgs = sim.world.orgs.n
        trip_mg = np.bincount(assets.org[on_road], minlength=n_orgs) * (
            VEHICLE_TRIPS_PER_WEEK * self.load_mg
        )

        stash = supply.origin_stash[plan.org, plan.origin]
        wanted = assets.stock[stash] * sim.params.ship_fraction * plan.share
        by_org = np.bincount(plan.org, weights=wanted, minlength=n_orgs)
        room = np.divide(trip_mg, by_org, out=np.ones(n_orgs), where=by_org > 0)
        amount = np.floor(wanted * np.minimum(room, 1.0)[plan.org]).astype(np.int64)
        np.subtract.at(assets.stock, stash, amount)

        loads = -(-amount // self.load_mg)
        rng = sim.streams("transport.inland", week)
        effort = sim.effort
        risk = np.minimum(supply.inland_risk * effort.inland * effort.mx_enforcement, 1.0)
        flow_place, seized_place = out.place_flow_mg[row], out.place_seized_mg[row]
        flow_link = out.link_flow_mg[row]
        n_places, n_links = sim.world.n_places, len(sim.world.links)
        leaving = np.bincount(plan.origin, weights=amount, minlength=n_places)
        flow_place += leaving
        seized_before = supply.seized_mg["inland"]
        mexican_place = sim.graph.is_mexican
        live = np.flatnonzero(amount > 0)  # only routes with a load do any work
        # One uniform per route and step, used or not: each route keeps its own random numbers
        # across paired runs whatever the others do.
        steps = plan.path_nodes.shape[1]
        u = rng.random((steps, amount.size))[:, live]
        moving, left = amount[live], loads[live]
        passing, seized_here, on_link = np.zeros(n_places), np.zeros(n_places), np.zeros(n_links)
        caught_total = _carry(
            u, plan.path_nodes[live], plan.path_links[live], moving, left, risk,
            mexican_place, passing, seized_here, on_link,
        )  # fmt: skip
        flow_link += on_link
        supply.seized_mg["inland"] += int(seized_here.sum())
        seized_place += seized_here
        arrived = np.zeros_like(supply.in_transit)
        np.add.at(arrived, (plan.org[live], plan.crossing[live]), moving)
        supply.in_transit += arrived
        seized_loads_total = np.bincount(
            plan.org[live], weights=caught_total, minlength=n_orgs
        ).astype(np.int64)
        self._lose_vehicles(sim, week, sim.streams("transport.vehicles", week), seized_loads_total)
        flow_place += passing
        sim.places.observe_trade(leaving + passing)
        seized_kg = (supply.seized_mg["inland"] - seized_before) / 1e6
        out.national["seized_inland_kg"][row] = seized_kg
        supply.shipments_last_week = {"seized_inland_kg": seized_kg}  # border adds its part
        self._learn(sim, passing, seized_here)

    def _lose_vehicles(self, sim, week, rng, seized_loads) -> None:
        assets = sim.assets
        active = self.vehicles[assets.status[self.vehicles] == AssetStatus.ACTIVE]
        owner = assets.org[active]
        for org in np.flatnonzero(seized_loads):
            mine = active[owner == org]
            lost = rng.choice(mine, min(int(seized_loads[org]), mine.size), replace=False)
            assets.status[lost] = AssetStatus.SEIZED
            assets.ready_week[lost] = week + VEHICLE_REPLACE_WEEKS

    def _learn(self, sim, flow, seized) -> None:
        """Perceived risk moves toward last week's seizure rate where loads passed."""
        seen = (flow > 0) & sim.graph.is_mexican
        rate = sim.params.risk_learning_rate
        observed = seized[seen] / flow[seen]
        risk = sim.supply.perceived_place_risk
        risk[seen] += rate * (observed - risk[seen])


@njit(cache=True)
def _carry(u, nodes, links, moving, left, risk, mexican, passing, seized, on_link):
    """Walk each route's loads place by place: at each Mexican place each load is seized with
    that place's risk (a binomial from the route's uniform for the step); crossings count what
    reaches them. Updates moving, left, passing, seized and on_link in place; returns the
    loads caught on each route."""
    caught_total = np.zeros(moving.size, np.int64)
    for i in range(moving.size):
        for k in range(nodes.shape[1]):
            at = nodes[i, k]
            if moving[i] <= 0 or at < 0:
                break
            on_link[links[i, k]] += moving[i]
            if not mexican[at]:
                continue
            passing[at] += moving[i]
            p = risk[at]
            if left[i] <= 0 or p <= 0.0:
                continue
            caught = left[i] if p >= 1.0 else binomial_one(u[k, i], left[i], p)
            taken = math.floor(moving[i] * (caught / left[i]))
            moving[i] -= taken
            left[i] -= caught
            caught_total[i] += caught
            seized[at] += taken
    return caught_total
