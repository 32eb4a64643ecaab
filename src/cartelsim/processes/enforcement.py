"""Mexican enforcement against members: the baseline arrests of the peer model (a national
number a week shared by size), a few of them deadly, and removals scheduled by experiments.
"""

from __future__ import annotations

import numpy as np

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
        people = persons(sim, ids)
        np.add.at(sim.ledger.killed_by_state, m.place[ids[deadly]], people[deadly])
        sim.orgs.losses_to_state += np.bincount(m.org[ids], minlength=by_org.size)
        n = out.national
        n["arrests"][row] += people[~deadly].sum()
        n["killed_by_state"][row] += people[deadly].sum()
