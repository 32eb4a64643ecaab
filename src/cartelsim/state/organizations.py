"""Organizations as columns indexed by organization number.

The first `World.orgs.n` rows are the world's groups in its order; factions born of splits
take the free rows after them, up to a fixed capacity.
"""

from __future__ import annotations

import numpy as np

from cartelsim.world.world import Organizations

MAX_NEW_FACTIONS = 64  # rows kept free for factions born of splits


class OrgTable:
    """Dynamic organization state, per organization and per (organization, place); static
    facts stay in `World.orgs`."""

    def __init__(self, orgs: Organizations, succession_clarity: float, n_places: int):
        n = orgs.n
        cap = n + MAX_NEW_FACTIONS
        self.count = n
        self.active = np.zeros(cap, bool)
        self.active[:n] = True
        self.parent = np.full(cap, -1, np.int32)
        self.parent[:n] = orgs.faction_of
        self.designated = np.zeros(cap, bool)  # designated terrorist organization (2025)
        self.designated[:n] = orgs.designated
        self.fentanyl_factor = np.ones(cap)  # deterrence: share of fentanyl capacity still used
        self.income_factor = np.ones(cap)  # income per member against the start's (recruitment)
        self.fentanyl_revenue_usd = np.zeros(cap)  # a week, a moving average (border → here)
        self.income_ref_usd = np.zeros(cap)  # income a week per person at the start
        self.strike_threat = np.zeros(cap)  # how watched it feels while strikes are on, 0..1
        self.hiding = np.zeros(cap)  # share of its activity it gives up to hide from strikes
        self.succession_clarity = np.full(cap, succession_clarity)
        self.perceived_risk = np.zeros(cap)  # smoothed weekly share of members lost to the state
        self.leader = np.full(cap, -1, np.int64)
        self.contested_until = np.full(cap, -(10**6), np.int64)  # end of a contested succession
        self.born = np.zeros(cap, np.int64)  # week a faction split off
        self.rivalry = np.zeros((cap, cap))
        self.alliance = np.zeros((cap, cap))
        self.rivalry[:n, :n] = orgs.rivalry
        self.alliance[:n, :n] = orgs.alliance
        self.relations_version = 0  # bumped whenever a rivalry or an alliance changes
        self.lieutenant_at = np.full((cap, n_places), -1, np.int64)  # member id, -1 if none
        self.turmoil = np.zeros((cap, n_places))  # extra conflict after a removal (× conflict)
        self.losses_to_state = np.zeros(cap, np.int64)  # agents lost to the state this week
        self.cooks_needed = np.zeros(cap)  # cook agents the organization's labs need
        self.removals: list = []  # leaders and lieutenants removed, awaiting succession

    def set_relation(self, a: int, b: int, kind: str, weight: float) -> None:
        """a and b become rivals (or allies) with this weight, and stop being the other."""
        pair = (self.rivalry, self.alliance)
        target, other = pair if kind == "rival" else pair[::-1]
        target[a, b] = target[b, a] = weight
        other[a, b] = other[b, a] = 0.0
        self.relations_version += 1

    @property
    def capacity(self) -> int:
        return len(self.active)

    def conflict_kernel(self) -> np.ndarray:
        """Prieto-Curiel et al. (2023): K_ij = (R_ij + 1)/(A_i + 1), K_ii = 0, over live orgs."""
        k = (self.rivalry + 1.0) / (self.alliance.sum(axis=1, keepdims=True) + 1.0)
        np.fill_diagonal(k, 0.0)
        k[~self.active] = 0.0
        k[:, ~self.active] = 0.0
        return k

    def new_faction(self, parent: int, week: int) -> int:
        """A row for a faction splitting from parent: its relations, rival of its parent."""
        if self.count >= self.capacity:
            return -1
        new = self.count
        self.count += 1
        for m in (self.rivalry, self.alliance):
            m[new, :] = m[parent, :]
            m[:, new] = m[:, parent]
        self.alliance[new, parent] = self.alliance[parent, new] = 0.0
        self.rivalry[new, parent] = self.rivalry[parent, new] = 1.0
        self.rivalry[new, new] = self.alliance[new, new] = 0.0
        self.relations_version += 1
        self.active[new] = True
        self.parent[new] = parent
        self.designated[new] = self.designated[parent]
        self.succession_clarity[new] = self.succession_clarity[parent]
        self.born[new] = week
        return new
