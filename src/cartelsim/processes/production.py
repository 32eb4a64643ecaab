"""Production: Mexican raids close labs, raided labs are rebuilt, active labs cook fentanyl."""

from __future__ import annotations

import numpy as np

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
        p, assets, supply = sim.params, sim.assets, sim.supply
        labs = self.labs
        status = assets.status[labs]
        back = (status == AssetStatus.DESTROYED) & (assets.ready_week[labs] <= week)
        assets.status[labs[back]] = AssetStatus.ACTIVE

        # One uniform per lab, active or not: each lab keeps its own draw across paired runs.
        u = sim.streams("production.raids", week).random(labs.size)
        raid_prob = 1.0 - np.exp(-self.raid_rate * sim.effort.mx_enforcement / WEEKS_PER_YEAR)
        raided = labs[(assets.status[labs] == AssetStatus.ACTIVE) & (u < raid_prob)]
        assets.status[raided] = AssetStatus.DESTROYED
        assets.ready_week[raided] = week + max(round(p.lab_rebuild_weeks), 1)
        sim.out.national["labs_raided"][sim.row] = raided.size

        working = assets.status[labs] == AssetStatus.ACTIVE
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
        org = assets.org[labs]
        # Deterrence: an organization under pressure moves capacity to other rackets.
        lab_kg = np.where(working, assets.capacity[labs], 0.0) * utilization
        # Labs slow when income per member falls (money seized, revenue lost), never speed up.
        lab_kg *= sim.orgs.fentanyl_factor[org] * np.minimum(sim.orgs.income_factor[org], 1.0)
        # Labs need cooks: struck or arrested cooks idle them.
        lab_kg *= cook_share(sim.roster.cooks, sim.orgs.cooks_needed)[org]
        want_kg = np.bincount(org, weights=lab_kg, minlength=sim.world.orgs.n)
        stock_rows = supply.precursor_stock
        has = stock_rows >= 0
        mg_per_g = p.precursor_yield * 1000.0
        use_g = np.zeros_like(stock_rows)
        use_g[has] = np.minimum(
            np.floor(want_kg[has] * 1e6 / mg_per_g).astype(np.int64), assets.stock[stock_rows[has]]
        )
        assets.stock[stock_rows[has]] -= use_g[has]
        made_mg = np.floor(use_g * mg_per_g).astype(np.int64)
        # Each lab's share of its organization's output, in whole mg; the remainder of the
        # division (which rounding can make −1) goes to the organization's busiest lab, so
        # nothing is lost and no lab's output is negative.
        share = np.divide(lab_kg, want_kg[org], out=np.zeros_like(lab_kg), where=want_kg[org] > 0)
        lab_mg = np.floor(share * made_mg[org]).astype(np.int64)
        rest = made_mg - np.bincount(org, weights=lab_mg, minlength=made_mg.size).astype(np.int64)
        busiest = np.lexsort((-lab_kg, org))
        orgs, first = np.unique(org[busiest], return_index=True)
        lab_mg[busiest[first]] += rest[orgs]
        np.add.at(assets.stock, self.stash_of_lab, lab_mg)
        supply.produced_mg += int(made_mg.sum())
        sim.out.national["produced_kg"][sim.row] = made_mg.sum() / 1e6
        sim.out.national["labs_active"][sim.row] = int(working.sum())


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
