"""Mexican enforcement against members: the baseline arrests of the peer model (a national
number a week shared by size), a few of them deadly, and removals scheduled by experiments.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cartelsim.rng import poisson
from cartelsim.state.members import Role, Status


@dataclass(frozen=True)
class Removal:
    """A leader or lieutenant taken out: by capture or by killing."""

    org: int
    role: Role
    place: int
    how: str  # "capture" | "kill" | "rival" (killed in conflict)
    week: int


class Enforcement:
    name = "enforcement"

    def __init__(self, sim):
        self.scheduled: dict[int, list[tuple[int, str, str, int]]] = {}
        self.per_week = sim.params.incapacitation_per_week * sim.scale  # in agents

    def schedule(self, week: int, org: int, target: str, how: str, place: int = -1) -> None:
        self.scheduled.setdefault(week, []).append((org, target, how, place))

    def step(self, sim, week: int) -> None:
        m, roster, out, row = sim.members, sim.roster, sim.out, sim.row
        for org, target, how, place in self.scheduled.pop(week, []):
            member = commander(sim, org, target, place)
            if member >= 0:
                take_out(sim, member, how, week)
        counts = roster.counts
        by_org = counts.sum(axis=1)
        national = self.per_week * sim.effort.mx_enforcement * by_org / max(by_org.sum(), 1)
        # A crackdown's extra arrests fall on whoever is in the place, in proportion.
        in_place = counts.sum(axis=0)
        local = counts * np.divide(
            sim.effort.crackdown_arrests * sim.scale,
            in_place,
            out=np.zeros(in_place.size),
            where=in_place > 0,
        )
        org, place = np.nonzero(local)
        wanted = np.concatenate([national, local[org, place]])
        cells_org = np.concatenate([np.arange(by_org.size), org])
        cells_place = np.concatenate([np.full(by_org.size, -1), place])
        arrests = poisson(sim.streams("enforcement.arrests", week), wanted)
        ids = roster.sample(
            sim.streams("enforcement.who", week),
            cells_org,
            cells_place,
            arrests,
            exclude_leaders=False,
        )
        deadly = (
            sim.streams("enforcement.deadly", week).random(ids.size)
            < sim.params.confrontation_lethality
        )
        note_lieutenants(sim, ids, np.where(deadly, "kill", "capture"), week)
        roster.remove(ids[~deadly], Status.ARRESTED)
        roster.remove(ids[deadly], Status.KILLED)
        np.add.at(out.place_killed_by_state[row], m.place[ids[deadly]], 1.0 / sim.scale)
        sim.losses_to_state += np.bincount(m.org[ids], minlength=by_org.size)
        n = out.national
        n["arrests"][row] += (~deadly).sum() / sim.scale
        n["killed_by_state"][row] += deadly.sum() / sim.scale


def commander(sim, org: int, target: str, place: int = -1) -> int:
    """The member id of an organization's leader, or of its lieutenant at a place; -1 if none."""
    if target == "leader":
        member = int(sim.orgs.leader[org])
    else:
        member = int(sim.lieutenant_at[org, place]) if place >= 0 else -1
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
    sim.losses_to_state[sim.members.org[member]] += 1
    out, row, place = sim.out, sim.row, sim.members.place[member]
    person = 1.0 / sim.scale  # every agent stands for 1/scale people, leaders included
    if how != "kill":
        out.national["arrests"][row] += person
        out.national["extraditions"][row] += how == "extradite"  # events: one per commander
    elif by_strike:
        out.national["killed_by_strikes"][row] += person
        out.place_strike_deaths[row, place] += person
    else:
        out.national["killed_by_state"][row] += person
        out.place_killed_by_state[row, place] += person


def note_lieutenants(sim, ids: np.ndarray, how: np.ndarray, week: int) -> None:
    """Queue a succession for every leader or lieutenant among the members removed."""
    m = sim.members
    command = np.flatnonzero(m.role[ids] <= Role.LIEUTENANT)
    for i in command:
        member = ids[i]
        sim.removals.append(
            Removal(
                int(m.org[member]), Role(m.role[member]), int(m.place[member]), str(how[i]), week
            )
        )
