"""Who is where: member counts per (organization, place), kept in step with every change of
status, and sampling of members by count then index (O(events), never a pass over everyone).
"""

from __future__ import annotations

import numpy as np

from cartelsim.state.members import Members, Role, Status


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
        chosen = []
        for _ in range(8):  # a few rounds: each takes more candidates where cells fell short
            in_cell = np.where(
                place >= 0, self.counts[org, np.maximum(place, 0)], self.counts[org].sum(axis=1)
            )
            org_size = self._offsets[org + 1] - self._offsets[org]
            ratio = org_size / np.maximum(in_cell, 1)
            draws = np.minimum(np.ceil(k * ratio * 1.5).astype(np.int64) + 4, 50 * org_size + 4)
            draws = np.where((in_cell > 0) & (org_size > 0), draws, 0)
            cell = np.repeat(np.arange(org.size), draws)
            if cell.size == 0:
                break
            pick = self._offsets[org[cell]] + (rng.random(cell.size) * org_size[cell]).astype(
                np.int64
            )
            ids = self._order[pick]
            ok = m.status[ids] == Status.ACTIVE
            ok &= (place[cell] < 0) | (m.place[ids] == place[cell])
            if exclude_leaders:
                ok &= m.role[ids] != Role.LEADER
            if chosen:
                ok &= ~np.isin(ids, np.concatenate(chosen))
            ids, cell = ids[ok], cell[ok]
            ids, first = np.unique(ids, return_index=True)
            cell = cell[first]
            order = np.lexsort((rng.random(ids.size), cell))  # random order within each cell
            ids, cell = ids[order], cell[order]
            rank = np.arange(cell.size) - np.searchsorted(cell, cell)
            take = rank < k[cell]
            chosen.append(ids[take])
            got = np.bincount(cell[take], minlength=org.size)
            k = k - got
            if (k <= 0).all():
                break
        return np.concatenate(chosen) if chosen else np.zeros(0, np.int64)

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
