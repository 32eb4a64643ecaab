"""Succession and fragmentation: a removed leader is replaced at once when a clear successor
exists; otherwise the succession is contested — violence inside the organization and from its
rivals — and may end in a split into two factions. Removed lieutenants are replaced locally.
"""

from __future__ import annotations

import numpy as np

from cartelsim.processes.process import Process
from cartelsim.processes.removals import Removal
from cartelsim.state.members import Role, Status

NO_CONTEST = -(10**6)


class Succession(Process):
    name = "succession"
    section = "7.9"
    does = (
        "turmoil fades where no succession is contested; leaders removed since the last step "
        "are replaced at once (clear successor) or their succession is contested (turmoil, "
        "retaliation); contested successions that end may split the organization, then get a "
        "leader; removed lieutenants are replaced locally; organizations with no members "
        "become inactive"
    )

    def __init__(self, sim):
        self.decay = 1.0 - sim.params.turmoil_decay

    def step(self, sim, week: int) -> None:
        orgs, p, out, row = sim.orgs, sim.params, sim.out, sim.row
        calm = orgs.contested_until[:, None] < week
        sim.orgs.turmoil *= np.where(calm, self.decay, 1.0)
        removals, orgs.removals = orgs.removals, []
        for event in removals:  # last week's losses first, so no one dead is promoted
            rng = _stream(sim, event.org, week)
            if event.role == Role.LEADER:
                self._leader_gone(sim, event, rng)
            else:
                _replace_lieutenant(sim, event.org, event.place, rng)
        # Leaderless organizations whose contest is over (or that found no one): settle it.
        settle = np.flatnonzero(orgs.active & (orgs.leader < 0) & (orgs.contested_until <= week))
        for org in settle:
            rng = _stream(sim, org, week)
            contested = orgs.contested_until[org] >= 0  # a contest ran, rather than no one left
            if contested and rng.random() < p.split_prob and self._split(sim, org, week, rng) >= 0:
                out.national["splits"][row] += 1
            _promote_leader(sim, org, rng)
        orgs.active[: orgs.count] &= sim.roster.by_org()[: orgs.count] > 0
        out.national["active_orgs"][row] = orgs.active.sum()

    def _leader_gone(self, sim, event: Removal, rng) -> None:
        orgs, p, org = sim.orgs, sim.params, event.org
        orgs.leader[org] = -1
        clarity = orgs.succession_clarity[org]
        if event.how == "kill":
            clarity *= p.kill_clarity_factor
        elif event.how == "capture_prison":  # he keeps some command from a Mexican prison
            clarity = min(1.0, clarity + p.prison_command)
        present = sim.roster.counts[org] > 0
        if event.how == "kill":  # revenge on the state and on whoever is blamed
            sim.orgs.turmoil[org, present] += p.retaliation_strength
        if rng.random() < clarity:
            _promote_leader(sim, org, rng)
            return
        orgs.contested_until[org] = event.week + round(p.contest_weeks)
        sim.out.national["contested_successions"][sim.row] += 1
        sim.orgs.turmoil[org, present] += p.succession_violence
        sim.orgs.turmoil[org, event.place] += p.seat_violence

    def _split(self, sim, org: int, week: int, rng) -> int:
        """Half the lieutenants, with the members under them, leave to form a rival faction."""
        m, orgs = sim.members, sim.orgs
        lieutenants = sim.orgs.lieutenant_at[org]
        held = np.flatnonzero(_alive(sim, lieutenants))
        if held.size < 2:
            return -1
        new = orgs.new_faction(org, week)
        if new < 0:
            return -1
        leaving = rng.permutation(held)[: held.size // 2]
        bosses = lieutenants[leaving]
        movers = np.flatnonzero(
            np.isin(m.superior, bosses) & (m.org == org) & (m.status == Status.ACTIVE)
        )
        sim.roster.moved_org(np.concatenate([bosses, movers]), new)
        sim.orgs.lieutenant_at[new, leaving] = bosses
        sim.orgs.lieutenant_at[org, leaving] = -1
        shared = np.count_nonzero((sim.roster.counts[org] > 0) & (sim.roster.counts[new] > 0))
        orgs.rivalry[org, new] = orgs.rivalry[new, org] = max(shared, 1)
        sim.orgs.turmoil[new] = sim.orgs.turmoil[org]
        share = sim.roster.counts[new].sum() / max(
            sim.roster.counts[new].sum() + sim.roster.counts[org].sum(), 1
        )
        orgs.cash_usd[new] = orgs.cash_usd[org] * share  # the faction takes its share of cash
        orgs.cash_usd[org] -= orgs.cash_usd[new]
        _promote_leader(sim, new, rng)
        return new


def _stream(sim, org: int, week: int):
    """One stream per organization: one group's succession never shifts another's draws."""
    return sim.streams(f"succession.{org}", week)


def _alive(sim, ids: np.ndarray) -> np.ndarray:
    """Which of these member ids (−1 for none) are active members."""
    return (ids >= 0) & (sim.members.status[np.maximum(ids, 0)] == Status.ACTIVE)


def _promote_leader(sim, org: int, rng) -> None:
    """The lieutenant of the organization's largest place becomes its leader."""
    m, orgs = sim.members, sim.orgs
    orgs.contested_until[org] = NO_CONTEST
    lieutenants = sim.orgs.lieutenant_at[org]
    places = np.flatnonzero(_alive(sim, lieutenants))
    if places.size:
        seat = places[np.argmax(sim.roster.counts[org, places])]
        new = int(lieutenants[seat])
    else:
        found = sim.roster.sample(rng, np.array([org]), np.array([-1]), np.array([1]))
        if found.size == 0:
            return
        new, seat = int(found[0]), int(m.place[found[0]])
    m.role[new], m.rank[new], m.superior[new] = Role.LEADER, 3, -1
    orgs.leader[org] = new
    if lieutenants[seat] == new:
        sim.orgs.lieutenant_at[org, seat] = -1
        _replace_lieutenant(sim, org, seat, rng, old=new)
    rest = sim.orgs.lieutenant_at[org]
    m.superior[rest[rest >= 0]] = new


def _replace_lieutenant(sim, org: int, place: int, rng, old: int = -1) -> None:
    """A member at the place steps up; the old lieutenant's people now answer to him."""
    m = sim.members
    if old < 0:
        old = int(sim.orgs.lieutenant_at[org, place])
    sim.orgs.lieutenant_at[org, place] = -1
    found = sim.roster.sample(rng, np.array([org]), np.array([place]), np.array([1]))
    if found.size == 0:
        return
    new = int(found[0])
    m.role[new], m.rank[new] = Role.LIEUTENANT, 2
    m.superior[new] = max(int(sim.orgs.leader[org]), -1)
    sim.orgs.lieutenant_at[org, place] = new
    if old >= 0:
        m.superior[(m.superior == old) & (m.status == Status.ACTIVE)] = new
