"""Recruitment and attrition: recruits replace losses at the peer model's per-capita rate,
limited by the organization's cash and by the local labor pool; saturation makes members leave.
"""

from __future__ import annotations

import numpy as np

from cartelsim.processes.process import Process
from cartelsim.processes.removals import note_lieutenants
from cartelsim.rng import poisson
from cartelsim.state.build import RANK_OF_ROLE, rank_and_file_roles
from cartelsim.state.members import Role, Status, active_cooks


class Recruitment(Process):
    name = "recruitment"
    section = "7.11"
    does = (
        "organizations collect their other income (less what anti-money-laundering seizes) "
        "and pay wages; cash and the local labour pool limit recruits, who join each "
        "(organization, place) at the peer model's rate less prevention; saturation makes "
        "members leave. At week 0 the books start afresh (the burn-in paid revenue but no "
        "wages)"
    )

    def __init__(self, sim):
        p, world = sim.params, sim.world
        start = sim.roster.counts.sum(axis=0)
        # The pool is at least 10% above the starting membership: small places at small scale
        # would otherwise start full (lieutenants are whole agents at any scale).
        pool = world.places["population"].to_numpy() * p.labor_pool_share * sim.scale
        self.pool = np.maximum(pool, 1.1 * start)
        self.mexican = sim.graph.is_mexican
        self.start_room = np.maximum(1.0 - start / np.maximum(self.pool, 1), 1e-9)
        self.omega = p.saturation_omega / sim.scale  # the quadratic term, in agent units
        counts = sim.roster.by_org()
        self.start_cash = counts / sim.scale * p.wage_usd_per_week * p.cash_weeks

    def start(self, sim) -> None:
        """The burn-in paid revenue but no wages: the books start afresh at week 0."""
        sim.orgs.cash_usd[:] = self.start_cash

    def step(self, sim, week: int) -> None:
        p, roster, orgs, out, row = sim.params, sim.roster, sim.orgs, sim.out, sim.row
        counts = roster.counts
        size = counts.sum(axis=1)
        people = size / sim.scale
        # Other rackets pay the wages and a little more; fentanyl revenue comes on top (border).
        income = people * p.wage_usd_per_week * p.other_income_ratio
        orgs.cash_usd += income * (1.0 - sim.effort.aml_share) - people * p.wage_usd_per_week
        payroll = people * p.wage_usd_per_week * p.cash_weeks
        cash = np.clip(
            np.divide(orgs.cash_usd, payroll, out=np.ones_like(payroll), where=payroll > 0),
            0.0,
            1.0,
        )
        room = np.clip(1.0 - counts.sum(axis=0) / np.maximum(self.pool, 1), 0.0, 1.0)
        labor = np.where(self.mexican, room / self.start_room, 0.0)
        orgs.cash_factor = cash  # lab work slows too when cash runs short
        prevented = 1.0 - (1.0 - p.recruitment_prevention) * (
            1.0 - sim.effort.recruitment_prevention
        )
        rate = p.recruitment_rate * (1.0 - prevented)
        recruits = poisson(
            sim.streams("recruitment.recruits", week),
            rate * counts * cash[:, None] * labor[None, :],
        )
        self._hire(sim, recruits, week, sim.streams("recruitment.roles", week))

        leaving = poisson(
            sim.streams("recruitment.leaving", week), self.omega * size.astype(float) ** 2
        )
        ids = roster.sample(
            sim.streams("recruitment.who_leaves", week),
            np.arange(size.size),
            np.full(size.size, -1),
            leaving,
        )
        note_lieutenants(sim, ids, np.full(ids.size, "retire"), week)
        roster.remove(ids, Status.RETIRED)
        out.national["recruits"][row] = recruits.sum() / sim.scale
        out.national["retired"][row] = ids.size / sim.scale

    def _hire(self, sim, recruits: np.ndarray, week: int, rng) -> None:
        org, place = np.nonzero(recruits)
        n = recruits[org, place]
        org, place = np.repeat(org, n), np.repeat(place, n)
        if org.size == 0:
            return
        role = rank_and_file_roles(rng, org.size)
        # Recruits first replace the cooks an organization has lost (three a lab).
        missing = np.maximum(
            np.ceil(sim.orgs.cooks_needed) - active_cooks(sim.members, sim.orgs.capacity), 0
        )
        first = np.searchsorted(org, org)  # org is sorted: np.nonzero gives row order
        role[np.arange(org.size) - first < missing[org]] = Role.COOK
        boss = sim.orgs.lieutenant_at[org, place]
        boss = np.where(boss >= 0, boss, sim.orgs.leader[org])
        ids = sim.members.add(
            org.size,
            org=org,
            place=place,
            role=role,
            rank=RANK_OF_ROLE[role],
            superior=boss,
            status=Status.ACTIVE,
            joined=week,
        )
        sim.roster.added(ids)
