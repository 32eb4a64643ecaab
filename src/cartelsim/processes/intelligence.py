"""Intelligence: surveillance flights (and Mexican intelligence, with cooperation) detect
members and locate labs; what is known goes stale. Detecting a member also exposes their
superior a little (network analysis): that is how leaders become identifiable.
"""

from __future__ import annotations

import numpy as np

from cartelsim.processes.process import Process
from cartelsim.rng import poisson
from cartelsim.state.assets import AssetKind
from cartelsim.state.members import Role


class Intelligence(Process):
    name = "intelligence"
    section = "7.15"
    does = (
        "what is known of members and labs goes stale; surveillance flights (with Mexican "
        "intelligence) detect members of the designated cartels, expose their superiors a "
        "little, and locate labs"
    )

    def __init__(self, sim):
        self.labs = sim.assets.of_kind(AssetKind.LAB)
        self.watching = False  # nothing to decay until something was detected

    def step(self, sim, week: int) -> None:
        p, m, assets = sim.params, sim.members, sim.assets
        if self.watching:
            np.multiply(m.exposure, 1.0 - p.knowledge_decay, out=m.exposure)
            assets.exposure[self.labs] *= 1.0 - p.knowledge_decay
        hours = sim.effort.flight_hours
        if hours <= 0:
            return
        self.watching = True
        boost = 1.0 + p.mexican_intel_boost * sim.governments.cooperation
        targets = np.flatnonzero(sim.orgs.designated & sim.orgs.active)  # designated cartels
        size = sim.roster.by_org()[targets].astype(float)
        per_org = (
            hours * p.detections_per_flight_hour * boost * sim.scale * size / max(size.sum(), 1)
        )
        found = poisson(sim.streams("intelligence.members", week), per_org)
        ids = sim.roster.sample(
            sim.streams("intelligence.who", week),
            targets,
            np.full(targets.size, -1),
            found,
            exclude_leaders=False,
        )
        m.exposure[ids] = np.minimum(m.exposure[ids] + p.exposure_gain, 1.0)
        bosses = m.superior[ids]
        # A detected rank-and-file agent stands for 1/scale people, each of whom exposes the
        # same superior a little; a detected commander is one person at any scale. Knowledge
        # combines as independent chances: 1 − (1 − e)(1 − g)^(people).
        people = np.where(m.role[ids] <= Role.LIEUTENANT, 1.0, 1.0 / sim.scale)
        keep = bosses >= 0
        bosses, people = bosses[keep], people[keep]
        if bosses.size:
            exposed, index = np.unique(bosses, return_inverse=True)
            weight = np.bincount(index, weights=people)
            unknown = (1.0 - p.exposure_gain * p.link_gain) ** weight
            m.exposure[exposed] = 1.0 - (1.0 - m.exposure[exposed]) * unknown
        labs = self.labs[sim.orgs.designated[assets.org[self.labs]]]
        rng = sim.streams("intelligence.labs", week)
        located = rng.random(labs.size) < hours * p.lab_detections_per_flight_hour * boost / max(
            labs.size, 1
        )
        assets.exposure[labs[located]] = np.minimum(
            assets.exposure[labs[located]] + p.exposure_gain, 1.0
        )
        sim.out.national["members_detected"][sim.row] = ids.size / sim.scale
