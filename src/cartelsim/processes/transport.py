"""Transport inside Mexico: loads leave the lab stashes along the planned routes; at each place
they pass, Mexican enforcement may seize them; survivors reach the border staging a week later.
"""

from __future__ import annotations

import numpy as np

from cartelsim.rng import binomial
from cartelsim.state.assets import AssetKind, AssetStatus

VEHICLE_TRIPS_PER_WEEK = 2  # assumption: a vehicle makes two runs north a week
VEHICLE_REPLACE_WEEKS = 2  # assumption: a seized vehicle is replaced in two weeks


class Transport:
    name = "transport"

    def __init__(self, sim):
        p, assets, supply = sim.params, sim.assets, sim.supply
        n_orgs = sim.world.orgs.n
        for org in np.flatnonzero((supply.origin_stash >= 0).any(axis=1)):
            for slot, place in enumerate(sim.graph.crossings):
                supply.staging_stash[org, slot] = supply.add_stash(assets, org, place)
        labs = assets.of_kind(AssetKind.LAB)
        capacity = np.bincount(assets.org[labs], weights=assets.capacity[labs], minlength=n_orgs)
        fleet = np.ceil(2 * capacity / (p.inland_load_kg * VEHICLE_TRIPS_PER_WEEK)).astype(int)
        fleet = np.where(capacity > 0, np.maximum(fleet, 2), 0)
        org = np.repeat(np.arange(n_orgs), fleet)
        home = np.argmax(sim.world.presence, axis=0)
        self.vehicles = assets.add(
            org.size, kind=AssetKind.VEHICLE, org=org, place=home[org], capacity=p.inland_load_kg
        )
        self.load_mg = int(p.inland_load_kg * 1e6)

    def step(self, sim, week: int) -> None:
        assets, supply, routing = sim.assets, sim.supply, sim.routing
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

        stash = supply.origin_stash[routing.route_org, routing.route_origin]
        wanted = assets.stock[stash] * sim.params.ship_fraction * routing.share
        by_org = np.bincount(routing.route_org, weights=wanted, minlength=n_orgs)
        room = np.divide(trip_mg, by_org, out=np.ones(n_orgs), where=by_org > 0)
        amount = np.floor(wanted * np.minimum(room, 1.0)[routing.route_org]).astype(np.int64)
        np.subtract.at(assets.stock, stash, amount)

        loads = -(-amount // self.load_mg)
        rng = sim.streams("transport.inland", week)
        effort = sim.effort
        risk = np.minimum(supply.inland_risk * effort.inland * effort.mx_enforcement, 1.0)
        flow_place, seized_place = out.place_flow_mg[row], out.place_seized_mg[row]
        flow_link = out.link_flow_mg[row]
        np.add.at(flow_place, routing.route_origin, amount)
        seized_loads_total = np.zeros(n_orgs, np.int64)
        passing = np.zeros_like(flow_place)
        seized_before = supply.seized_mg["inland"]
        mexican_place = sim.graph_is_mexican
        for k in range(routing.path_nodes.shape[1]):
            node = routing.path_nodes[:, k]
            go = (amount > 0) & (node >= 0)
            if not go.any():
                break
            at = np.maximum(node, 0)
            # Seizure is drawn for every route at every step (zero loads where none pass) so
            # that each route keeps its own random number across paired runs.
            inland = go & mexican_place[at]  # the crossing itself counts what crosses (border)
            np.add.at(passing, at[inland], amount[inland])
            np.add.at(flow_link, routing.path_links[go, k], amount[go])
            caught = binomial(rng, np.where(inland, loads, 0), risk[at])
            taken = np.floor(
                amount * np.divide(caught, loads, out=np.zeros(loads.size), where=loads > 0)
            ).astype(np.int64)
            amount -= taken
            loads -= caught
            np.add.at(seized_place, at, taken)
            np.add.at(seized_loads_total, routing.route_org, caught)
            supply.seized_mg["inland"] += int(taken.sum())
        np.add.at(supply.in_transit, (routing.route_org, routing.route_crossing), amount)
        self._lose_vehicles(sim, week, sim.streams("transport.vehicles", week), seized_loads_total)
        flow_place += passing
        out.national["seized_inland_kg"][row] = (supply.seized_mg["inland"] - seized_before) / 1e6
        self._learn(sim, passing, seized_place)

    def _lose_vehicles(self, sim, week, rng, seized_loads) -> None:
        assets = sim.assets
        for org in np.flatnonzero(seized_loads):
            mine = self.vehicles[
                (assets.org[self.vehicles] == org)
                & (assets.status[self.vehicles] == AssetStatus.ACTIVE)
            ]
            lost = rng.choice(mine, min(int(seized_loads[org]), mine.size), replace=False)
            assets.status[lost] = AssetStatus.SEIZED
            assets.ready_week[lost] = week + VEHICLE_REPLACE_WEEKS

    def _learn(self, sim, flow, seized) -> None:
        """Perceived risk moves toward last week's seizure rate where loads passed."""
        seen = (flow > 0) & sim.graph_is_mexican
        rate = sim.params.risk_learning_rate
        observed = seized[seen] / flow[seen]
        risk = sim.supply.perceived_place_risk
        risk[seen] += rate * (observed - risk[seen])
