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
        assets, supply, plan, effort = sim.assets, sim.supply, sim.routes, sim.effort
        # One uniform per route and step, used or not: each route keeps its own random numbers
        # across paired runs whatever the others do.
        u = sim.streams("transport.inland", week).random((plan.path_nodes.shape[1], plan.org.size))
        trade, seized_here, on_link, lost, grouped, start, seized = _ship(
            week, u, assets.stock, assets.status, assets.ready_week, assets.org, self.vehicles,
            supply.staging_stash, supply.in_transit, supply.origin_stash, plan.org, plan.origin,
            plan.share, plan.crossing, plan.path_nodes, plan.path_links, supply.inland_risk,
            effort.inland, effort.mx_enforcement, sim.params.ship_fraction,
            self.load_mg, sim.graph.is_mexican, supply.perceived_place_risk,
            sim.params.risk_learning_rate, len(sim.world.links),
        )  # fmt: skip
        self._lose_vehicles(sim, week, lost, grouped, start)
        out, row = sim.out, sim.row
        out.place_flow_mg[row] += trade
        out.link_flow_mg[row] += on_link
        out.place_seized_mg[row] += seized_here
        supply.seized_mg["inland"] += seized
        sim.places.observe_trade(trade)
        seized_kg = seized / 1e6
        out.national["seized_inland_kg"][row] = seized_kg
        supply.shipments_last_week = {"seized_inland_kg": seized_kg}  # border adds its part

    def _lose_vehicles(self, sim, week, lost, grouped, start) -> None:
        """Each organization loses a vehicle on the road per load seized (at most all it has),
        drawn without replacement from its active vehicles (`grouped[start[org]:start[org+1]]`)."""
        orgs = np.flatnonzero(lost)
        if orgs.size == 0:
            return
        rng = sim.streams("transport.vehicles", week)
        assets = sim.assets
        for org in orgs:
            mine = grouped[start[org] : start[org + 1]]
            gone = rng.choice(mine, min(int(lost[org]), mine.size), replace=False)
            assets.status[gone] = AssetStatus.SEIZED
            assets.ready_week[gone] = week + VEHICLE_REPLACE_WEEKS


ACTIVE, SEIZED = int(AssetStatus.ACTIVE), int(AssetStatus.SEIZED)


@njit(cache=True)
def _ship(
    week, u, stock, status, ready_week, asset_org, vehicles, staging, in_transit, origin_stash,
    org, origin, share, crossing, nodes, links, inland_risk, inland, mx, ship_fraction,
    load_mg, mexican, perceived, learning_rate, n_links,
):  # fmt: skip
    """The week's transport in one pass (its arithmetic in NumPy's order, for identical
    results): last week's shipments reach staging, seized vehicles come back, loads leave
    the origin stashes within each organization's trips, the walk (`_carry`), perceived risk
    learnt. Returns flow per place (leaving + passing), seized per place, flow per link, loads
    lost per organization, active vehicles grouped by organization (ids, offsets), mg seized."""
    n_orgs, n_places, n_routes = staging.shape[0], mexican.size, org.size
    for o in range(n_orgs):
        for c in range(staging.shape[1]):
            if staging[o, c] >= 0:
                stock[staging[o, c]] += in_transit[o, c]
            in_transit[o, c] = 0
    # Plain loops throughout (no array expressions): they compile fastest.
    on_road = np.zeros(n_orgs, np.int64)
    for v in vehicles:
        if status[v] == SEIZED and ready_week[v] <= week:
            status[v] = ACTIVE
        if status[v] == ACTIVE:
            on_road[asset_org[v]] += 1
    start = np.zeros(n_orgs + 1, np.int64)
    for o in range(n_orgs):
        start[o + 1] = start[o] + on_road[o]
    grouped = np.zeros(start[n_orgs], np.int64)
    filled = np.zeros(n_orgs, np.int64)
    for v in vehicles:
        if status[v] == ACTIVE:
            grouped[start[asset_org[v]] + filled[asset_org[v]]] = v
            filled[asset_org[v]] += 1
    wanted = np.zeros(n_routes)
    by_org = np.zeros(n_orgs)
    for i in range(n_routes):
        wanted[i] = stock[origin_stash[org[i], origin[i]]] * ship_fraction * share[i]
        by_org[org[i]] += wanted[i]
    room = np.ones(n_orgs)
    for o in range(n_orgs):
        if by_org[o] > 0:
            room[o] = min(on_road[o] * (VEHICLE_TRIPS_PER_WEEK * load_mg) / by_org[o], 1.0)
    amount = np.zeros(n_routes, np.int64)
    loads = np.zeros(n_routes, np.int64)
    trade = np.zeros(n_places)
    for i in range(n_routes):
        amount[i] = math.floor(wanted[i] * room[org[i]])
        stock[origin_stash[org[i], origin[i]]] -= amount[i]
        loads[i] = -(-amount[i] // load_mg)
        trade[origin[i]] += amount[i]
    risk = np.zeros(n_places)
    for at in range(n_places):
        risk[at] = min(inland_risk[at] * inland[at] * mx, 1.0)
    passing, seized_here, on_link = np.zeros(n_places), np.zeros(n_places), np.zeros(n_links)
    caught = _carry(u, nodes, links, amount, loads, risk, mexican, passing, seized_here, on_link)
    lost = np.zeros(n_orgs, np.int64)
    for i in range(n_routes):
        in_transit[org[i], crossing[i]] += amount[i]
        lost[org[i]] += caught[i]
    seized = 0
    for at in range(n_places):
        trade[at] += passing[at]
        seized += int(seized_here[at])
        if passing[at] > 0 and mexican[at]:  # perceived risk moves toward the seizure rate
            perceived[at] += learning_rate * (seized_here[at] / passing[at] - perceived[at])
    return trade, seized_here, on_link, lost, grouped, start, seized


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
            caught = binomial_one(u[k, i], left[i], p)
            taken = math.floor(moving[i] * (caught / left[i]))
            moving[i] -= taken
            left[i] -= caught
            caught_total[i] += caught
            seized[at] += taken
    return caught_total
