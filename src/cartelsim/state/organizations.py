"""Organizations as columns indexed by organization number (the world's order)."""

from __future__ import annotations

import numpy as np

from cartelsim.world.world import Organizations


class OrgTable:
    """Dynamic organization state; static facts stay in `World.orgs`."""

    def __init__(self, orgs: Organizations):
        n = orgs.n
        self.active = np.ones(n, bool)
        self.parent = orgs.faction_of.astype(np.int16)
        self.fentanyl_share = orgs.fentanyl_share.astype(np.float64)
        self.cash_usd = np.zeros(n)
        self.revenue_usd = np.zeros(n)  # cumulative
        self.cohesion = np.ones(n, np.float32)
        self.succession_clarity = np.full(n, 0.5, np.float32)
        self.perceived_risk = np.zeros(n, np.float32)
        self.leader = np.full(n, -1, np.int32)

    @property
    def n(self) -> int:
        return len(self.active)
