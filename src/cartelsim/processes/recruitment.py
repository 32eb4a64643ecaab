"""Recruitment and attrition: recruits replace losses at the peer model's per-capita rate,
moved by the organization's income per member against the start's and limited by the local
labour pool; saturation makes members leave.

Income is fentanyl revenue (at the price the market pays) plus other rackets — extortion, fuel
theft, other drugs, migrant smuggling — earned in proportion to members, less what
anti-money-laundering seizes. A group whose income per member falls hires less (lost revenue
shrinks payrolls); one whose income rises hires more, up to twice the peer model's rate.
"""

from __future__ import annotations

import numpy as np

from cartelsim.processes.process import Process
from cartelsim.processes.removals import note_lieutenants
from cartelsim.rng import poisson
from cartelsim.state.build import RANK_OF_ROLE, rank_and_file_roles
from cartelsim.state.members import Role, Status

MOST_FACTOR = 2.0  # assumption: income can at most double the peer model's recruitment rate


class Recruitment(Process):
    name = "recruitment"
    section = "7.11"
    does = (
        "organizations' income per member (fentanyl revenue and other rackets, less what "
        "anti-money-laundering seizes) against the start's and the local labour pool set "
        "the recruits, who join each (organization, place) at the peer model's rate less "
        "prevention; saturation makes members leave. At week 0 each organization's income "
        "per member becomes its reference"
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
        self.rackets_per_person = 0.0  # set at week 0, from the fentanyl share of income

    def start(self, sim) -> None:
        """Other rackets earn per member what makes fentanyl its share of all income at week
        0; each organization's income per member then is its reference."""
        p, orgs = sim.params, sim.orgs
        people = sim.roster.by_org() / sim.scale
        fentanyl = orgs.fentanyl_revenue_usd
        share = p.fentanyl_income_share
        self.rackets_per_person = fentanyl.sum() * (1.0 - share) / share / max(people.sum(), 1)
        orgs.income_ref_usd[:] = np.divide(
            fentanyl + self.rackets_per_person * people,
            people,
            out=np.zeros_like(people),
            where=people > 0,
        )

    def income_factor(self, sim, people: np.ndarray) -> np.ndarray:
        """(income per member ÷ the reference) ^ elasticity, at most MOST_FACTOR; 1 for a group
        with no reference (none yet)."""
        orgs = sim.orgs
        income = (orgs.fentanyl_revenue_usd + self.rackets_per_person * people) * (
            1.0 - sim.effort.aml_share
        )
        per_person = np.divide(income, people, out=np.zeros_like(people), where=people > 0)
        ref = orgs.income_ref_usd
        ratio = np.divide(per_person, ref, out=np.ones_like(ref), where=ref > 0)
        return np.minimum(ratio**sim.params.recruitment_income_elasticity, MOST_FACTOR)

    def step(self, sim, week: int) -> None:
        p, roster, orgs, out, row = sim.params, sim.roster, sim.orgs, sim.out, sim.row
        counts = roster.counts
        size = counts.sum(axis=1)
        income = self.income_factor(sim, size / sim.scale)
        orgs.income_factor = income
        room = np.clip(1.0 - counts.sum(axis=0) / np.maximum(self.pool, 1), 0.0, 1.0)
        labor = np.where(self.mexican, room / self.start_room, 0.0)
        prevented = 1.0 - (1.0 - p.recruitment_prevention) * (
            1.0 - sim.effort.recruitment_prevention
        )
        rate = p.recruitment_rate * (1.0 - prevented)
        recruits = poisson(
            sim.streams("recruitment.recruits", week),
            rate * counts * income[:, None] * labor[None, :],
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
        missing = np.maximum(np.ceil(sim.orgs.cooks_needed) - sim.roster.cooks, 0)
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
