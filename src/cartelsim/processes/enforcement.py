"""Mexican enforcement against members: the baseline arrests of the peer model (a national
number a week shared by size), a few of them deadly, and removals scheduled by experiments.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from cartelsim.processes.process import Process
from cartelsim.processes.removals import commander, note_lieutenants, persons, take_out
from cartelsim.rng import poisson
from cartelsim.state.members import Status


class Enforcement(Process):
    name = "enforcement"
    section = "7.8"
    does = (
        "removals scheduled by an experiment happen; then the baseline Mexican arrests of the "
        "peer model (a national number a week shared among organizations by size, scaled by "
        "`mx_enforcement`) and a crackdown's local arrests, a few of them deadly"
    )

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
        wanted, cells_org, cells_place = _rates(
            roster.counts,
            self.per_week * sim.effort.mx_enforcement,
            sim.effort.crackdown_arrests,
            sim.scale,
        )
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
        people = persons(sim, ids)
        np.add.at(sim.ledger.killed_by_state, m.place[ids[deadly]], people[deadly])
        sim.orgs.losses_to_state += np.bincount(m.org[ids], minlength=roster.counts.shape[0])
        n = out.national
        n["arrests"][row] += people[~deadly].sum()
        n["killed_by_state"][row] += people[deadly].sum()


@njit(cache=True)
def _rates(counts, national, crackdown, scale):
    """Arrests expected: each organization's share by size of the national number (cells
    anywhere: place -1), then a crackdown's in each (organization, place) cell by headcount
    (the cells where that is not 0, in row order)."""
    n_orgs, n_places = counts.shape
    by_org = np.zeros(n_orgs, np.int64)
    in_place = np.zeros(n_places, np.int64)
    total = 0
    for i in range(n_orgs):
        for p in range(n_places):
            by_org[i] += counts[i, p]
            in_place[p] += counts[i, p]
        total += by_org[i]
    local = np.zeros(n_places)
    for p in range(n_places):
        if in_place[p] > 0:
            local[p] = crackdown[p] * scale / in_place[p]
    wanted = np.empty(n_orgs + counts.size)
    org = np.empty(wanted.size, np.int64)
    place = np.empty(wanted.size, np.int64)
    for i in range(n_orgs):
        wanted[i] = national * by_org[i] / max(total, 1)
        org[i], place[i] = i, -1
    n = n_orgs
    for i in range(n_orgs):
        for p in range(n_places):
            if local[p] != 0.0 and counts[i, p] * local[p] != 0.0:
                wanted[n] = counts[i, p] * local[p]
                org[n], place[n] = i, p
                n += 1
    return wanted[:n], org[:n], place[:n]
