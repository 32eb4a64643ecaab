"""Who is where: member counts per (organization, place), kept in step with every change of
status, and sampling of members by count then index (O(events), never a pass over everyone).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from cartelsim.state.members import Members, Role, Status

ACTIVE, LEADER = int(Status.ACTIVE), int(Role.LEADER)


class Roster:
    def __init__(self, members: Members, n_orgs: int, n_places: int):
        self.members = members
        self.counts = np.zeros((n_orgs, n_places), np.int64)
        active = members.status == Status.ACTIVE
        np.add.at(self.counts, (members.org[active], members.place[active]), 1)
        self.start = int(self.counts.sum())
        self.joined = 0  # members added since the start
        self.left = 0  # members who stopped being active since the start
        self._index_count = -1
        self._order = np.zeros(0, np.int64)
        self._offsets = np.zeros(n_orgs + 1, np.int64)

    def by_org(self) -> np.ndarray:
        return self.counts.sum(axis=1)

    def _refresh(self) -> None:
        """Member ids grouped by organization: a stable sort of the org column, or, when only
        recruits were added since, their insertion at the end of their organizations' blocks."""
        m = self.members
        n_orgs = self.counts.shape[0]
        if 0 <= self._index_count < m.count:
            new = np.arange(self._index_count, m.count)
            org = m.org[new]
            order = np.argsort(org, kind="stable")
            self._order = np.insert(self._order, self._offsets[org[order] + 1], new[order])
            self._offsets[1:] += np.cumsum(np.bincount(org, minlength=n_orgs))
        else:
            self._order = np.argsort(m.org, kind="stable")
            sizes = np.bincount(m.org, minlength=n_orgs)
            self._offsets = np.concatenate(([0], np.cumsum(sizes)))
        self._index_count = m.count

    def invalidate(self) -> None:
        self._index_count = -1

    def sample(
        self,
        rng: np.random.Generator,
        org: np.ndarray,
        place: np.ndarray,
        k: np.ndarray,
        exclude_leaders: bool = True,
    ) -> np.ndarray:
        """Up to k[c] distinct active members of (org[c], place[c]) for each cell c.

        place[c] = -1 means anywhere. Candidates are drawn from the organization's members and
        kept if they fit, so the work grows with the events asked for, not the population.
        """
        keep = k > 0
        org, place, k = org[keep], place[keep], k[keep]
        if k.sum() == 0:
            return np.zeros(0, np.int64)
        if self._index_count != self.members.count:
            self._refresh()
        m = self.members
        in_cell = np.where(
            place >= 0, self.counts[org, np.maximum(place, 0)], self.counts[org].sum(axis=1)
        )
        return _sample(
            rng, org.astype(np.int64), place.astype(np.int64), k.astype(np.int64), in_cell,
            self._offsets, self._order, m.status, m.place, m.role, exclude_leaders,
        )  # fmt: skip

    def remove(self, ids: np.ndarray, status: Status) -> None:
        m = self.members
        ids = ids[m.status[ids] == Status.ACTIVE]
        m.status[ids] = status
        np.subtract.at(self.counts, (m.org[ids], m.place[ids]), 1)
        self.left += ids.size

    def added(self, ids: np.ndarray) -> None:
        m = self.members
        np.add.at(self.counts, (m.org[ids], m.place[ids]), 1)
        self.joined += ids.size

    def headcount_error(self, active: int) -> int:
        """Counts kept by events against the status column and the flows: 0 when all agree."""
        by_status = int(np.count_nonzero(self.members.status == Status.ACTIVE))
        by_flows = self.start + self.joined - self.left
        return (active - by_status) or (active - by_flows)

    def moved_org(self, ids: np.ndarray, new_org: int) -> None:
        m = self.members
        active = ids[m.status[ids] == Status.ACTIVE]
        np.subtract.at(self.counts, (m.org[active], m.place[active]), 1)
        m.org[ids] = new_org
        np.add.at(self.counts, (m.org[active], m.place[active]), 1)
        self.invalidate()


ROUNDS = 8  # rounds of candidates, each taking more where cells fell short


@njit(cache=True)
def _sample(rng, org, place, k, in_cell, offsets, order, status, where, role, exclude_leaders):
    """Draws candidates from each cell's organization, uniformly over its members, keeps those
    active in the cell (not leaders when excluded, not already chosen), and takes up to k per
    cell in a random order; cells that fell short draw again (see `Roster.sample`)."""
    k = k.copy()
    org_size = offsets[org + 1] - offsets[org]
    chosen = np.zeros(0, np.int64)
    for _ in range(ROUNDS):
        draws = np.zeros(org.size, np.int64)
        for c in range(org.size):
            if in_cell[c] > 0 and org_size[c] > 0:
                ratio = org_size[c] / max(in_cell[c], 1)
                draws[c] = min(np.int64(math.ceil(k[c] * ratio * 1.5)) + 4, 50 * org_size[c] + 4)
        total = draws.sum()
        if total == 0:
            break
        u = rng.random(total)
        taken_before = np.sort(chosen)
        ids = np.empty(total, np.int64)
        cell = np.empty(total, np.int64)
        n = 0
        j = 0
        for c in range(org.size):
            for _d in range(draws[c]):
                member = order[offsets[org[c]] + np.int64(u[j] * org_size[c])]
                j += 1
                if status[member] != ACTIVE:
                    continue
                if place[c] >= 0 and where[member] != place[c]:
                    continue
                if exclude_leaders and role[member] == LEADER:
                    continue
                at = np.searchsorted(taken_before, member)
                if at < taken_before.size and taken_before[at] == member:
                    continue
                ids[n] = member
                cell[n] = c
                n += 1
        # Each member once, in the cell where it was first drawn.
        by_id = np.argsort(ids[:n], kind="mergesort")
        unique = np.empty(n, np.int64)
        unique_cell = np.empty(n, np.int64)
        n_unique = 0
        for i in by_id:
            if n_unique == 0 or unique[n_unique - 1] != ids[i]:
                unique[n_unique] = ids[i]
                unique_cell[n_unique] = cell[i]
                n_unique += 1
        unique, unique_cell = unique[:n_unique], unique_cell[:n_unique]
        # A random order within each cell: by cell, then by a uniform each.
        key = rng.random(n_unique)
        by_key = np.argsort(key, kind="mergesort")
        shuffled = by_key[np.argsort(unique_cell[by_key], kind="mergesort")]
        got = np.zeros(org.size, np.int64)
        keep = np.empty(n_unique, np.int64)
        n_keep = 0
        for i in shuffled:
            c = unique_cell[i]
            if got[c] < k[c]:
                got[c] += 1
                keep[n_keep] = unique[i]
                n_keep += 1
        chosen = np.concatenate((chosen, keep[:n_keep]))
        k -= got
        if (k <= 0).all():
            break
    return chosen
