"""The route plan: for each producing organization's lab stash and each crossing, the share of
the stash's shipments sent there and the path they take. Routing writes it each week;
transport follows it."""

from __future__ import annotations

import numpy as np


class RoutePlan:
    def __init__(self, origin_stash: np.ndarray, crossings: np.ndarray):
        self.orgs = np.flatnonzero((origin_stash >= 0).any(axis=1))  # producing organizations
        # Sources: the lab stashes, as (row of self.orgs, place).
        self.source_block, self.source_place = np.nonzero(origin_stash[self.orgs] >= 0)
        n_cross = crossings.size
        # Routes: every (source, crossing) pair.
        self.source = np.repeat(np.arange(self.source_place.size), n_cross)
        self.crossing = np.tile(np.arange(n_cross), self.source_place.size)  # crossing slot
        self.org = self.orgs[self.source_block[self.source]]
        self.origin = self.source_place[self.source]
        self.share = np.zeros(self.source.size)  # of the source's shipments, this week
        self.path_nodes = np.full((self.source.size, 1), -1, np.int64)  # places on the way
        self.path_links = self.path_nodes.copy()  # world link of each step
