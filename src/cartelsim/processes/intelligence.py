"""Intelligence: surveillance flights (and Mexican intelligence, with cooperation) detect
members and locate labs and stash houses; what is known goes stale. Detecting a member also
exposes their superior a little (network analysis): that is how leaders become identifiable.
"""

from __future__ import annotations

import numpy as np

from cartelsim.processes.process import Process
from cartelsim.processes.removals import persons
from cartelsim.rng import poisson
from cartelsim.state.assets import AssetKind

STREAM = {AssetKind.LAB: "intelligence.labs", AssetKind.STASH: "intelligence.stashes"}


class Intelligence(Process):
    name = "intelligence"
    section = "7.15"
    does = (
        "what is known of members and labs goes stale; surveillance flights (with Mexican "
        "intelligence) detect members of the designated cartels, expose their superiors a "
        "little, and locate labs and stash houses; members of organizations hiding from strikes "
        "are seen less"
    )

    def __init__(self, sim):
        self.sites = {kind: sim.assets.of_kind(kind) for kind in (AssetKind.LAB, AssetKind.STASH)}
        self.watching = False  # nothing to decay until something was detected

    def step(self, sim, week: int) -> None:
        p, m, assets = sim.params, sim.members, sim.assets
        if self.watching:
            np.multiply(m.exposure, 1.0 - p.knowledge_decay, out=m.exposure)
            for sites in self.sites.values():
                assets.exposure[sites] *= 1.0 - p.knowledge_decay
        hours = sim.effort.flight_hours
        if hours <= 0:
            return
        self.watching = True
        boost = 1.0 + p.mexican_intel_boost * sim.governments.cooperation
        targets = np.flatnonzero(sim.orgs.designated & sim.orgs.active)  # designated cartels
        # Members hiding from strikes are seen less (Mir & Moore 2019).
        size = sim.roster.by_org()[targets].astype(float)
        seen = size * (1.0 - sim.orgs.hiding[targets])
        per_org = (
            hours * p.detections_per_flight_hour * boost * sim.scale * seen / max(size.sum(), 1)
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
        people = persons(sim, ids)
        keep = bosses >= 0
        bosses, weights = bosses[keep], people[keep]
        if bosses.size:
            exposed, index = np.unique(bosses, return_inverse=True)
            weight = np.bincount(index, weights=weights)
            unknown = (1.0 - p.exposure_gain * p.link_gain) ** weight
            m.exposure[exposed] = 1.0 - (1.0 - m.exposure[exposed]) * unknown
        for kind, sites in self.sites.items():
            self._locate(sim, week, kind, sites, hours * boost)
        sim.out.national["members_detected"][sim.row] = people.sum()

    def _locate(self, sim, week: int, kind: AssetKind, sites: np.ndarray, hours: float) -> None:
        """Flights locate labs (and, at the same rate, stash houses) of the designated cartels."""
        p, assets = sim.params, sim.assets
        sites = sites[sim.orgs.designated[assets.org[sites]]]
        rng = sim.streams(STREAM[kind], week)
        located = sites[
            rng.random(sites.size) < hours * p.lab_detections_per_flight_hour / max(sites.size, 1)
        ]
        assets.exposure[located] = np.minimum(assets.exposure[located] + p.exposure_gain, 1.0)
