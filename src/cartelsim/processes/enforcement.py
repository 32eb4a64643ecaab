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
            take_out(sim, org, target, how, place, week)
        counts = roster.by_org()
        total = counts.sum()
        arrests = poisson(
            sim.streams("enforcement.arrests", week), self.per_week * counts / max(total, 1)
        )
        ids = roster.sample(
            sim.streams("enforcement.who", week),
            np.arange(counts.size),
            np.full(counts.size, -1),
            arrests,
        )
        deadly = (
            sim.streams("enforcement.deadly", week).random(ids.size)
            < sim.params.confrontation_lethality
        )
        note_lieutenants(sim, ids, np.where(deadly, "kill", "capture"), week)
        roster.remove(ids[~deadly], Status.ARRESTED)
        roster.remove(ids[deadly], Status.KILLED)
        np.add.at(out.place_killed_by_state[row], m.place[ids[deadly]], 1.0 / sim.scale)
        lost = np.bincount(m.org[ids], minlength=counts.size)
        sim.losses_to_state += lost
        n = out.national
        n["arrests"][row] = (~deadly).sum() / sim.scale
        n["killed_by_state"][row] = deadly.sum() / sim.scale


def take_out(sim, org: int, target: str, how: str, place: int, week: int) -> int:
    """Remove an organization's leader, or its lieutenant at a place; returns the member id."""
    m = sim.members
    if target == "leader":
        member = int(sim.orgs.leader[org])
    else:
        member = int(sim.lieutenant_at[org, place]) if place >= 0 else -1
    if member < 0 or m.status[member] != Status.ACTIVE:
        return -1
    note_lieutenants(sim, np.array([member]), np.array([how]), week)
    sim.roster.remove(np.array([member]), Status.KILLED if how == "kill" else Status.ARRESTED)
    sim.losses_to_state[org] += 1
    return member


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
