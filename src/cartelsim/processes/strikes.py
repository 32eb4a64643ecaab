"""Drone strikes on identified targets: a strike aimed at a misidentified target kills the
wrong people; one that hits kills its target, some members nearby and, depending on where it
falls, civilians (CALIBRATION.md R8). Strikes on labs destroy them for a while.
"""

from __future__ import annotations

import numpy as np

from cartelsim.processes.process import Process
from cartelsim.processes.removals import note_lieutenants, take_out
from cartelsim.rng import poisson
from cartelsim.state.assets import AssetKind, AssetStatus
from cartelsim.state.members import Role, Status

DENSITY = {"rural": 0.5, "mixed": 1.0, "urban": 2.0}  # collateral deaths relative to mixed
DOCTRINE_ROLES = {
    "leaders": (Role.LEADER,),
    "lieutenants": (Role.LIEUTENANT,),
    "logistics": (Role.LOGISTICS, Role.COOK),
}


class Strikes(Process):
    name = "strikes"
    section = "7.17"
    does = (
        "drone strikes on identified targets, if Mexico consents or they are unilateral: some "
        "targets are misidentified; hits kill the target and members nearby; civilians die by "
        "misidentification and collateral damage"
    )

    def __init__(self, sim):
        self.density = sim.world.places["density"].map(DENSITY).to_numpy()
        self.labs = sim.assets.of_kind(AssetKind.LAB)

    def expected_civilians(self, sim, place: np.ndarray, exposure: np.ndarray) -> np.ndarray:
        p = sim.params
        return (
            self.misidentified(sim, exposure) * p.misidentified_civilians
            + p.collateral_civilians * self.density[place]
        )

    def misidentified(self, sim, exposure: np.ndarray) -> np.ndarray:
        """Chance the target is not who intelligence thinks: the parameter's value at the
        identification threshold, falling to zero as exposure reaches 1."""
        p = sim.params
        room = max(1.0 - p.identified_threshold, 1e-9)
        return p.misidentification * np.clip((1.0 - exposure) / room, 0.0, 1.0)

    def step(self, sim, week: int) -> None:
        effort, p, n, row = sim.effort, sim.params, sim.out.national, sim.row
        if effort.strikes <= 0:
            return
        if effort.strike_consent == "joint" and sim.governments.cooperation < p.joint_threshold:
            n["strikes_refused"][row] = effort.strikes
            return
        planned = int(poisson(sim.streams("strikes.count", week), np.array([effort.strikes]))[0])
        targets, places, exposure, is_lab = self._targets(sim, effort.strike_doctrine)
        # Nothing known about a target (exposure 0, possible at identified_threshold = 0)
        # gives nothing to aim at.
        allowed = (exposure > 0) & (
            self.expected_civilians(sim, places, exposure) <= effort.strike_civilian_limit
        )
        targets, places, exposure = targets[allowed], places[allowed], exposure[allowed]
        rng = sim.streams("strikes", week)
        count = min(planned, targets.size)
        if count == 0:
            return
        pick = rng.choice(targets.size, count, replace=False, p=exposure / exposure.sum())
        wrong = rng.random(count) < self.misidentified(sim, exposure[pick])
        hit = ~wrong & (rng.random(count) < p.strike_hit_prob)
        civilians = poisson(
            rng,
            np.where(wrong, p.misidentified_civilians, 0.0)
            + p.collateral_civilians * self.density[places[pick]],
        )
        killed = self._hit(sim, week, rng, targets[pick][hit], places[pick][hit], is_lab)
        if effort.strike_consent == "unilateral":
            sim.governments.unilateral_strikes += count
        sim.add_cost("strikes", count * p.cost_strike_usd)
        np.add.at(sim.ledger.strike_deaths, places[pick], civilians)
        n["strikes"][row] = count
        n["strike_misidentified"][row] = wrong.sum()
        n["strike_civilian_deaths"][row] = civilians.sum()
        n["strike_deaths"][row] = civilians.sum() + killed
        n["labs_struck"][row] = hit.sum() if is_lab else 0

    def _targets(self, sim, doctrine: str):
        """Identified targets of the designated cartels: ids, places, exposure, and whether
        they are labs."""
        p = sim.params
        if doctrine == "labs":
            a = sim.assets
            labs = self.labs[
                (a.status[self.labs] == AssetStatus.ACTIVE)
                & (a.exposure[self.labs] >= p.identified_threshold)
                & sim.orgs.designated[a.org[self.labs]]
            ]
            return labs, a.place[labs].astype(np.int64), a.exposure[labs].astype(float), True
        m = sim.members
        known = np.flatnonzero((m.exposure >= p.identified_threshold) & (m.status == Status.ACTIVE))
        known = known[sim.orgs.designated[m.org[known]]]
        if doctrine == "network":
            active = m.status == Status.ACTIVE
            under = np.bincount(m.superior[active & (m.superior >= 0)], minlength=m.count)
            known = known[np.argsort(-under[known], kind="stable")[: max(known.size // 10, 1)]]
        else:
            known = known[np.isin(m.role[known], DOCTRINE_ROLES[doctrine])]
        return known, m.place[known].astype(np.int64), m.exposure[known].astype(float), False

    def _hit(self, sim, week, rng, targets, places, is_lab) -> int:
        """Apply the hits; return the members killed (in persons)."""
        p = sim.params
        if is_lab:
            a = sim.assets
            a.status[targets] = AssetStatus.DESTROYED
            a.ready_week[targets] = week + max(round(p.lab_rebuild_weeks), 1)
            a.exposure[targets] = 0.0
            return 0
        m = sim.members
        orgs = m.org[targets].astype(np.int64)
        for member in targets:
            take_out(sim, int(member), "kill", week, by_strike=True)
        near = poisson(rng, np.full(targets.size, p.bystander_members * sim.scale))
        nearby = sim.roster.sample(rng, orgs, places, near, exclude_leaders=False)
        note_lieutenants(sim, nearby, np.full(nearby.size, "kill"), week)
        sim.roster.remove(nearby, Status.KILLED)
        np.add.at(sim.orgs.losses_to_state, m.org[nearby], 1)
        person = 1.0 / sim.scale  # every agent stands for 1/scale people
        np.add.at(sim.ledger.strike_deaths, m.place[nearby], person)
        sim.out.national["killed_by_strikes"][sim.row] += nearby.size * person
        # A target is one person at any scale; a bystander agent stands for 1/scale people.
        return targets.size + nearby.size * person
