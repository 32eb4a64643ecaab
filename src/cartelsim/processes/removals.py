"""Taking members out: the state's removals (capture, extradition, killing) and the
successions that removing a leader or lieutenant leaves behind, used by every process that
removes people."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cartelsim.state.members import Role, Status


@dataclass(frozen=True)
class Removal:
    """A leader or lieutenant taken out: by capture or by killing."""

    org: int
    role: Role
    place: int
    how: str  # "capture" | "kill" | "rival" (killed in conflict)
    week: int


def commander(sim, org: int, target: str, place: int = -1) -> int:
    """The member id of an organization's leader, or of its lieutenant at a place; -1 if none."""
    if target == "leader":
        member = int(sim.orgs.leader[org])
    else:
        member = int(sim.orgs.lieutenant_at[org, place]) if place >= 0 else -1
    if member < 0 or sim.members.status[member] != Status.ACTIVE:
        return -1
    return member


REMOVED_AS = {
    "capture": Status.ARRESTED,
    "capture_prison": Status.ARRESTED,
    "extradite": Status.EXTRADITED,
    "kill": Status.KILLED,
}


def take_out(sim, member: int, how: str, week: int, *, by_strike: bool = False) -> None:
    """The state removes a member: capture (kept in Mexico: "capture_prison"), extradition or
    killing (by a strike, or in an operation); a leader or lieutenant leaves a succession."""
    member_ids = np.array([member])
    note_lieutenants(sim, member_ids, np.array([how]), week)
    sim.roster.remove(member_ids, REMOVED_AS[how])
    sim.orgs.losses_to_state[sim.members.org[member]] += 1
    out, row, place = sim.out, sim.row, sim.members.place[member]
    person = 1.0 / sim.scale  # every agent stands for 1/scale people, leaders included
    if how != "kill":
        out.national["arrests"][row] += person
        out.national["extraditions"][row] += how == "extradite"  # events: one per commander
    elif by_strike:
        out.national["killed_by_strikes"][row] += person
        sim.ledger.strike_deaths[place] += person
    else:
        out.national["killed_by_state"][row] += person
        sim.ledger.killed_by_state[place] += person


def note_lieutenants(sim, ids: np.ndarray, how: np.ndarray, week: int) -> None:
    """Queue a succession for every leader or lieutenant among the members removed."""
    m = sim.members
    command = np.flatnonzero(m.role[ids] <= Role.LIEUTENANT)
    for i in command:
        member = ids[i]
        sim.orgs.removals.append(
            Removal(
                int(m.org[member]), Role(m.role[member]), int(m.place[member]), str(how[i]), week
            )
        )
