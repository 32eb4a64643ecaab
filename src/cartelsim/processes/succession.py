"""Succession and fragmentation, one mechanism for every removal, scaled by rank: a removed
commander is replaced at once when a clear successor exists; otherwise the succession is
contested — turmoil, inside the organization and with its rivals, everywhere a leader's group
operates, or where a lieutenant held his place — and a leader's contest may end in a split. A
crackdown that arrests a large share of a place's members leaves its holders' command broken
as if the plaza boss were gone, inviting rivals (Dell 2015). Turmoil in a place never exceeds
what one contested succession of a killed leader leaves at his seat, and fades once settled.
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
        "turmoil fades where no succession is contested; leaders and lieutenants removed since "
        "the last step are replaced at once (clear successor) or their succession is "
        "contested (bounded turmoil where the leader's group operates or where the lieutenant "
        "held his place; retaliation after a killing); a crackdown that arrests a large share "
        "of a place's members breaks its holders' command likewise; contested leader "
        "successions that end may split the organization, then get a leader; organizations "
        "with no members become inactive"
    )

    def __init__(self, sim):
        p = sim.params
        self.decay = 1.0 - p.turmoil_decay
        # The most turmoil a place can hold: one killed leader's contested succession at his seat.
        self.cap = p.succession_violence + p.seat_violence + p.retaliation_strength

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
                self._lieutenant_gone(sim, event, rng)
        self._crackdown_contests(sim, week)
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

    def _shake(self, sim, org: int, places, shock: float) -> None:
        """Add turmoil to the organization at these places, never beyond the cap."""
        turmoil = sim.orgs.turmoil
        turmoil[org, places] = np.minimum(turmoil[org, places] + shock, self.cap)

    def _clarity(self, sim, event: Removal) -> float:
        """Chance of a clear successor: lower after a killing, higher when a captured commander
        keeps some command from a Mexican prison."""
        p = sim.params
        clarity = sim.orgs.succession_clarity[event.org]
        if event.how == "kill":
            return clarity * p.kill_clarity_factor
        if event.how == "capture_prison":
            return min(1.0, clarity + p.prison_command)
        return clarity

    def _leader_gone(self, sim, event: Removal, rng) -> None:
        orgs, p, org = sim.orgs, sim.params, event.org
        orgs.leader[org] = -1
        clarity = self._clarity(sim, event)
        present = np.flatnonzero(sim.roster.counts[org] > 0)
        if event.how == "kill":  # revenge on the state and on whoever is blamed
            self._shake(sim, org, present, p.retaliation_strength)
        if rng.random() < clarity:
            _promote_leader(sim, org, rng)
            return
        orgs.contested_until[org] = event.week + round(p.contest_weeks)
        sim.out.national["contested_successions"][sim.row] += 1
        self._shake(sim, org, present, p.succession_violence)
        self._shake(sim, org, event.place, p.seat_violence)

    def _lieutenant_gone(self, sim, event: Removal, rng) -> None:
        """A plaza boss is replaced locally; a contested replacement shakes that place alone."""
        p = sim.params
        contested = rng.random() >= self._clarity(sim, event)
        _replace_lieutenant(sim, event.org, event.place, rng)
        shock = p.retaliation_strength if event.how == "kill" else 0.0
        if contested:
            shock += p.lieutenant_violence * p.succession_violence
            sim.out.national["contested_local_successions"][sim.row] += 1
        if shock > 0:
            self._shake(sim, event.org, event.place, shock)

    def _crackdown_contests(self, sim, week: int) -> None:
        """Arresting a share x of a place's members in a week breaks each holder's command
        there with chance x / plaza_collapse_share, as a contested lieutenant's succession."""
        arrested = sim.effort.crackdown_arrests
        places = np.flatnonzero(arrested > 0)
        if places.size == 0:
            return
        p, counts = sim.params, sim.roster.counts[:, places]
        people = counts.sum(axis=0) / sim.scale
        share = np.divide(arrested[places], people, out=np.zeros(places.size), where=people > 0)
        chance = np.minimum(share / p.plaza_collapse_share, 1.0)
        u = sim.streams("succession.crackdown", week).random(counts.shape)
        org, col = np.nonzero((counts > 0) & (u < chance[None, :]))
        for o, place in zip(org, places[col], strict=True):
            self._shake(sim, int(o), int(place), p.lieutenant_violence * p.succession_violence)
        sim.out.national["contested_local_successions"][sim.row] += org.size

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
        # The faction judges its income against its parent's; the trade stays with the parent.
        orgs.income_ref_usd[new] = orgs.income_ref_usd[org]
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
    sim.roster.set_role(new, Role.LEADER)
    m.rank[new], m.superior[new] = 3, -1
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
    sim.roster.set_role(new, Role.LIEUTENANT)
    m.rank[new] = 2
    m.superior[new] = max(int(sim.orgs.leader[org]), -1)
    sim.orgs.lieutenant_at[org, place] = new
    if old >= 0:
        theirs = np.flatnonzero(m.superior == old)
        m.superior[theirs[m.status[theirs] == Status.ACTIVE]] = new
