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
from numba import njit

from cartelsim.processes.process import Process
from cartelsim.processes.removals import note_lieutenants
from cartelsim.rng import poisson
from cartelsim.state.build import RANK_OF_ROLE, rank_and_file_roles
from cartelsim.state.members import Role, Status

COOK = int(Role.COOK)
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
        size = roster.counts.sum(axis=1)
        income = self.income_factor(sim, size / sim.scale)
        orgs.income_factor = income
        prevented = 1.0 - (1.0 - p.recruitment_prevention) * (
            1.0 - sim.effort.recruitment_prevention
        )
        joining, leaving = _rates(
            roster.counts, size, income, self.pool, self.start_room, self.mexican,
            p.recruitment_rate * (1.0 - prevented), self.omega,
        )  # fmt: skip
        recruits = poisson(sim.streams("recruitment.recruits", week), joining)
        hired = int(recruits.sum())
        self._hire(sim, recruits, hired, week, sim.streams("recruitment.roles", week))

        ids = roster.sample(
            sim.streams("recruitment.who_leaves", week),
            np.arange(size.size),
            np.full(size.size, -1),
            poisson(sim.streams("recruitment.leaving", week), leaving),
        )
        note_lieutenants(sim, ids, np.full(ids.size, "retire"), week)
        roster.remove(ids, Status.RETIRED)
        out.national["recruits"][row] = hired / sim.scale
        out.national["retired"][row] = ids.size / sim.scale

    def _hire(self, sim, recruits: np.ndarray, hired: int, week: int, rng) -> None:
        if hired == 0:
            return
        role = rank_and_file_roles(rng, hired)
        orgs, roster = sim.orgs, sim.roster
        org, place, rank, boss = _recruits(
            recruits, role, orgs.cooks_needed, roster.cooks, orgs.lieutenant_at, orgs.leader,
            RANK_OF_ROLE,
        )  # fmt: skip
        ids = sim.members.add(
            hired,
            org=org,
            place=place,
            role=role,
            rank=rank,
            superior=boss,
            status=Status.ACTIVE,
            joined=week,
        )
        roster.added(ids)


@njit(cache=True)
def _rates(counts, size, income, pool, start_room, mexican, rate, omega):
    """Recruits expected per (organization, place): the rate × members × the income factor ×
    the labour pool's room against the start's (none outside Mexico); members expected to
    leave per organization: ω·size²."""
    n_orgs, n_places = counts.shape
    in_place = np.zeros(n_places, np.int64)
    for i in range(n_orgs):
        for p in range(n_places):
            in_place[p] += counts[i, p]
    labor = np.zeros(n_places)
    for p in range(n_places):
        if mexican[p]:
            room = min(max(1.0 - in_place[p] / max(pool[p], 1.0), 0.0), 1.0)
            labor[p] = room / start_room[p]
    joining = np.empty((n_orgs, n_places))
    leaving = np.empty(n_orgs)
    for i in range(n_orgs):
        for p in range(n_places):
            joining[i, p] = rate * counts[i, p] * income[i] * labor[p]
        leaving[i] = omega * (float(size[i]) * float(size[i]))
    return joining, leaving


@njit(cache=True)
def _recruits(recruits, role, cooks_needed, cooks, lieutenant_at, leader, rank_of_role):
    """Each recruit's organization and place (row order) and rank, and boss: the lieutenant
    there, else the leader. The first recruits of an organization replace the cooks it has
    lost (three a lab): `role` becomes COOK for them."""
    n_orgs, n_places = recruits.shape
    org = np.empty(role.size, np.int64)
    place = np.empty(role.size, np.int64)
    rank = np.empty(role.size, np.int8)
    boss = np.empty(role.size, np.int64)
    k = 0
    for i in range(n_orgs):
        missing = max(np.ceil(cooks_needed[i]) - cooks[i], 0.0)
        first = k
        for p in range(n_places):
            for _ in range(recruits[i, p]):
                if k - first < missing:
                    role[k] = COOK
                org[k] = i
                place[k] = p
                rank[k] = rank_of_role[role[k]]
                boss[k] = lieutenant_at[i, p] if lieutenant_at[i, p] >= 0 else leader[i]
                k += 1
    return org, place, rank, boss
