"""Taking members out: the state's removals (capture, extradition, killing) and the
successions that removing a leader or lieutenant leaves behind, used by every process that
removes people."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cartelsim.state.members import Role, Status

# Roles up to this one command (leader, lieutenant); a plain int: comparing an array with the
# enum costs twice as much as the comparison itself.
COMMAND = int(Role.LIEUTENANT)


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


def persons(sim, ids: np.ndarray) -> np.ndarray:
    """The people each agent stands for: a leader or lieutenant is one person at any scale,
    every other agent 1/scale people, so counts of people do not depend on the scale."""
    return np.where(sim.members.role[ids] <= COMMAND, 1.0, 1.0 / sim.scale)


def take_out(
    sim, member: int, how: str, week: int, *, by_strike: bool = False, counted: float | None = None
) -> None:
    """The state removes a member: capture (kept in Mexico: "capture_prison"), extradition or
    killing (by a strike, or in an operation); a leader or lieutenant leaves a succession.
    `counted`: the people this removal stands for (by default those the agent stands for)."""
    member_ids = np.array([member])
    people = float(persons(sim, member_ids)[0]) if counted is None else counted
    note_lieutenants(sim, member_ids, np.array([how]), week)
    sim.roster.remove(member_ids, REMOVED_AS[how])
    sim.orgs.losses_to_state[sim.members.org[member]] += 1
    out, row, place = sim.out, sim.row, int(sim.members.place[member])
    if how != "kill":
        out.national["arrests"][row] += people
        out.national["extraditions"][row] += people if how == "extradite" else 0.0
    else:
        count_killed(sim, place, people, by_strike=by_strike)


def count_killed(sim, place: int, people: float, *, by_strike: bool) -> None:
    """Members killed by the state: in the week's homicides and in the series of who killed
    them."""
    if by_strike:
        sim.out.national["killed_by_strikes"][sim.row] += people
        sim.ledger.strike_deaths[place] += people
    else:
        sim.out.national["killed_by_state"][sim.row] += people
        sim.ledger.killed_by_state[place] += people


def note_lieutenants(sim, ids: np.ndarray, how: np.ndarray, week: int) -> None:
    """Queue a succession for every leader or lieutenant among the members removed."""
    if ids.size == 0:
        return
    m = sim.members
    command = np.flatnonzero(m.role[ids] <= COMMAND)
    for i in command:
        member = ids[i]
        sim.orgs.removals.append(
            Removal(
                int(m.org[member]), Role(m.role[member]), int(m.place[member]), str(how[i]), week
            )
        )
