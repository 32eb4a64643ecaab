"""Production: Mexican raids close labs, raided labs are rebuilt, active labs cook fentanyl."""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from cartelsim.params import WEEKS_PER_YEAR
from cartelsim.processes.process import Process
from cartelsim.state.assets import AssetKind, AssetStatus
from cartelsim.state.members import cook_share


class Production(Process):
    name = "production"
    section = "7.2"
    does = (
        "raided labs come back; Mexican forces raid labs; producers update the price and the "
        "seizure share they expect (last week's); working labs turn precursor into fentanyl "
        "in the origin stashes, scaled by each organization's `fentanyl_factor`, "
        "`income_factor` and cooks"
    )
    burn_in = True

    def __init__(self, sim):
        assets, supply = sim.assets, sim.supply
        self.labs = assets.of_kind(AssetKind.LAB)
        self.stash_of_lab = supply.origin_stash[assets.org[self.labs], assets.place[self.labs]]
        self.raid_rate = sim.params.lab_raid_rate

    def step(self, sim, week: int) -> None:
        p, assets, supply, orgs = sim.params, sim.assets, sim.supply, sim.orgs
        # One uniform per lab, active or not: each lab keeps its own draw across paired runs.
        u = sim.streams("production.raids", week).random(self.labs.size)
        raid_prob = 1.0 - np.exp(-self.raid_rate * sim.effort.mx_enforcement / WEEKS_PER_YEAR)
        if np.isfinite(supply.price_usd_per_mg):
            supply.expected_price_usd_per_mg += p.price_expectation_rate * (
                supply.price_usd_per_mg - supply.expected_price_usd_per_mg
            )
        _learn_loss(sim)
        # Enforcement risk: producers weigh the price by the share of shipments that get through.
        ratio = (supply.expected_price_usd_per_mg * (1 - supply.expected_loss)) / (
            sim.inputs.price_ref_usd_per_mg * (1 - p.interdiction_ref)
        )
        utilization = min(1.0, p.utilization_ref * ratio**p.supply_price_elasticity)
        # NumPy keeps lab output in float32 (the capacities') unless utilization is a NumPy
        # float64 (once the expected loss is one): the kernel rounds the same way.
        single = np.result_type(assets.capacity, utilization) == np.float32
        raided, made, working = _produce(
            week, u, raid_prob, max(round(p.lab_rebuild_weeks), 1), self.labs, self.stash_of_lab,
            assets.status, assets.ready_week, assets.capacity, assets.org, assets.stock,
            utilization, single, orgs.fentanyl_factor, orgs.income_factor,
            cook_share(sim.roster.cooks, orgs.cooks_needed), supply.precursor_stock,
            p.precursor_yield * 1000.0,
        )  # fmt: skip
        supply.produced_mg += made
        n, row = sim.out.national, sim.row
        n["labs_raided"][row] = raided
        n["produced_kg"][row] = made / 1e6
        n["labs_active"][row] = working


def _learn_loss(sim) -> None:
    """Last week's share of shipments seized, inland and at the border, smoothed."""
    supply = sim.supply
    last = supply.shipments_last_week
    if last is None:  # the first week of the burn-in
        return
    seized = (
        last["seized_inland_kg"]
        + last["seized_poe_kg"]
        + last["seized_between_ports_kg"]
        + last["seized_checkpoint_kg"]
    )
    shipped = last["crossed_kg"] + last["seized_inland_kg"]
    if shipped > 0:
        rate = sim.params.risk_learning_rate
        supply.expected_loss += rate * (min(seized / shipped, 0.99) - supply.expected_loss)


ACTIVE, DESTROYED = int(AssetStatus.ACTIVE), int(AssetStatus.DESTROYED)


@njit(cache=True)
def _produce(
    week, u, raid_prob, rebuild_weeks, labs, stash_of_lab, status, ready_week, capacity,
    asset_org, stock, utilization, single, fentanyl_factor, income_factor, staffed, precursor_stock,
    mg_per_g,
):  # fmt: skip
    """The week's production in one pass (NumPy's arithmetic and roundings, for identical
    results): raided labs come back, raids, each lab's output (its capacity in use, slowed by
    deterrence, income and the share of its cooks at work), precursor used per organization,
    fentanyl made, shared out to the labs' stashes in whole mg (the rounding rest to each
    organization's busiest lab). Returns labs raided, mg made, labs working."""
    n_orgs = precursor_stock.size
    raided = 0
    working = 0
    lab_kg = np.zeros(labs.size)
    want_kg = np.zeros(n_orgs)
    busiest = np.empty(n_orgs, np.int64)  # plain loops (no array expressions) compile fastest
    for o in range(n_orgs):
        busiest[o] = -1
    for j in range(labs.size):
        lab = labs[j]
        if status[lab] == DESTROYED and ready_week[lab] <= week:
            status[lab] = ACTIVE
        if status[lab] == ACTIVE and u[j] < raid_prob:
            status[lab] = DESTROYED
            ready_week[lab] = week + rebuild_weeks
            raided += 1
        if status[lab] != ACTIVE:
            continue
        working += 1
        o = asset_org[lab]
        kg = capacity[lab] * np.float32(utilization) if single else capacity[lab] * utilization
        # Deterrence moves capacity to other rackets; labs slow when income per member falls
        # (never speed up); struck or arrested cooks idle them.
        kg = _round(kg * (fentanyl_factor[o] * min(income_factor[o], 1.0)), single)
        lab_kg[j] = _round(kg * staffed[o], single)
        want_kg[o] += lab_kg[j]
        if busiest[o] < 0 or lab_kg[j] > lab_kg[busiest[o]]:
            busiest[o] = j
    made = np.zeros(n_orgs, np.int64)
    rest = np.zeros(n_orgs, np.int64)
    total = 0
    for o in range(n_orgs):
        row = precursor_stock[o]
        if row >= 0:
            use_g = min(math.floor(want_kg[o] * 1e6 / mg_per_g), stock[row])
            stock[row] -= use_g
            made[o] = rest[o] = math.floor(use_g * mg_per_g)
            total += made[o]
    lab_mg = np.zeros(labs.size, np.int64)
    for j in range(labs.size):
        o = asset_org[labs[j]]
        if want_kg[o] > 0:
            lab_mg[j] = math.floor(_round(lab_kg[j] / want_kg[o], single) * made[o])
            rest[o] -= lab_mg[j]
    for o in range(n_orgs):
        if busiest[o] >= 0:
            lab_mg[busiest[o]] += rest[o]
    for j in range(labs.size):
        stock[stash_of_lab[j]] += lab_mg[j]
    return raided, total, working


@njit(cache=True)
def _round(x, single):
    """x as NumPy stores it in the lab arrays: float32 when they are."""
    return float(np.float32(x)) if single else x
