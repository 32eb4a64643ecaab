"""Who is where: member counts per (organization, place), kept in step with every change of
status, and sampling of members by count then index (O(events), never a pass over everyone).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from cartelsim.state.members import Members, Role, Status

ACTIVE, LEADER, COOK = int(Status.ACTIVE), int(Role.LEADER), int(Role.COOK)


class Roster:
    def __init__(self, members: Members, n_orgs: int, n_places: int):
        self.members = members
        self.counts = np.zeros((n_orgs, n_places), np.int64)
        active = members.status == Status.ACTIVE
        np.add.at(self.counts, (members.org[active], members.place[active]), 1)
        self.start = int(self.counts.sum())
        self.joined = 0  # members added since the start
        self.left = 0  # members who stopped being active since the start
        working = active & (members.role == Role.COOK)
        self.cooks = np.bincount(members.org[working], minlength=n_orgs)  # active, per org
        # Member ids by organization, each organization's block with room to grow, so that
        # recruits are written into it (O(recruits)) instead of shifting the whole index.
        self._index_count = -1
        self._order = np.zeros(0, np.int64)
        self._start = np.zeros(n_orgs, np.int64)
        self._size = np.zeros(n_orgs, np.int64)
        self._room = np.zeros(n_orgs, np.int64)

    def by_org(self) -> np.ndarray:
        return self.counts.sum(axis=1)

    def _refresh(self) -> None:
        """Member ids grouped by organization, in increasing id order within each: recruits
        (the newest ids) go at the end of their blocks; a block out of room, or a member moved
        between organizations, rebuilds the index with room for half as many again."""
        m = self.members
        n_orgs = self.counts.shape[0]
        new = np.arange(max(self._index_count, 0), m.count)
        org = m.org[new]
        added = np.bincount(org, minlength=n_orgs)
        if self._index_count >= 0 and (self._size + added <= self._room).all():
            ids, org = new, org
        else:
            ids = np.arange(m.count)
            org = m.org
            sizes = np.bincount(org, minlength=n_orgs)
            self._room = sizes + sizes // 2 + ROOM
            self._start = np.concatenate(([0], np.cumsum(self._room)[:-1]))
            self._size[:] = 0
            self._order = np.full(int(self._room.sum()), -1, np.int64)
            added = sizes
        by_org = np.argsort(org, kind="stable")
        ids, org = ids[by_org], org[by_org]
        rank = np.arange(ids.size) - np.searchsorted(org, org)
        self._order[self._start[org] + self._size[org] + rank] = ids
        self._size += added
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
        first, org_size = self._start[org], self._size[org]
        ratio = org_size / np.maximum(in_cell, 1)
        cap = 50 * org_size + 4
        place = place.astype(np.int64)
        chosen = np.zeros(0, np.int64)
        for _ in range(ROUNDS):  # each round takes more candidates where cells fell short
            draws = np.minimum(np.ceil(k * ratio * 1.5).astype(np.int64) + 4, cap)
            draws = np.where((in_cell > 0) & (org_size > 0), draws, 0)
            total = int(draws.sum())
            if total == 0:
                break
            ids, cell = _candidates(
                rng.random(total), draws, first, org_size, place, self._order,
                m.status, m.place, m.role, exclude_leaders, np.sort(chosen),
            )  # fmt: skip
            order = np.lexsort((rng.random(ids.size), cell))  # random order within each cell
            ids, cell = ids[order], cell[order]
            take = np.arange(cell.size) - np.searchsorted(cell, cell) < k[cell]
            chosen = np.concatenate((chosen, ids[take]))
            k = k - np.bincount(cell[take], minlength=k.size)
            if (k <= 0).all():
                break
        return chosen

    def remove(self, ids: np.ndarray, status: Status) -> None:
        """The active ones among ids leave with that status (the others already left)."""
        if ids.size:
            m = self.members
            self.left += _leave(
                ids, int(status), m.status, m.org, m.place, m.role, self.counts, self.cooks
            )

    def added(self, ids: np.ndarray) -> None:
        m = self.members
        np.add.at(self.counts, (m.org[ids], m.place[ids]), 1)
        np.add.at(self.cooks, m.org[ids[m.role[ids] == Role.COOK]], 1)
        self.joined += ids.size

    def set_role(self, member: int, role: Role) -> None:
        """An active member's new role (a promotion), keeping the cook counts."""
        m = self.members
        self.cooks[m.org[member]] += int(role == Role.COOK) - int(m.role[member] == Role.COOK)
        m.role[member] = role

    def headcount_error(self, active: int) -> int:
        """Counts kept by events against the status column and the flows: 0 when all agree."""
        by_status = int(np.count_nonzero(self.members.status == Status.ACTIVE))
        by_flows = self.start + self.joined - self.left
        return (active - by_status) or (active - by_flows)

    def moved_org(self, ids: np.ndarray, new_org: int) -> None:
        m = self.members
        active = ids[m.status[ids] == Status.ACTIVE]
        cooks = active[m.role[active] == Role.COOK]
        np.subtract.at(self.counts, (m.org[active], m.place[active]), 1)
        np.subtract.at(self.cooks, m.org[cooks], 1)
        m.org[ids] = new_org
        np.add.at(self.counts, (m.org[active], m.place[active]), 1)
        np.add.at(self.cooks, m.org[cooks], 1)
        self.invalidate()


ROOM = 64  # spare slots per organization block beyond half its size again
ROUNDS = 8  # rounds of candidates at most, each taking more where cells fell short


@njit(cache=True)
def _candidates(u, draws, first, size, place, order, status, where, role, no_leaders, chosen):
    """Candidates drawn uniformly from each cell's organization block (draws[c] of them, one
    uniform each), kept if active in the cell (not a leader when excluded, not in the sorted
    `chosen`): each member once, by id, with the cell that drew it first."""
    ids = np.empty(u.size, np.int64)
    cell = np.empty(u.size, np.int64)
    n = j = 0
    for c in range(draws.size):
        for _ in range(draws[c]):
            member = order[first[c] + np.int64(u[j] * size[c])]
            j += 1
            if status[member] != ACTIVE or (place[c] >= 0 and where[member] != place[c]):
                continue
            if no_leaders and role[member] == LEADER:
                continue
            at = np.searchsorted(chosen, member)
            if at < chosen.size and chosen[at] == member:
                continue
            ids[n], cell[n] = member, c
            n += 1
    by_id = np.argsort(ids[:n], kind="mergesort")
    keep = np.ones(n, np.bool_)
    for i in range(1, n):
        keep[i] = ids[by_id[i]] != ids[by_id[i - 1]]
    return ids[by_id[keep]], cell[by_id[keep]]


@njit(cache=True)
def _leave(ids, status, statuses, org, place, role, counts, cooks):
    left = 0
    for member in ids:
        if statuses[member] == ACTIVE:
            statuses[member] = status
            counts[org[member], place[member]] -= 1
            cooks[org[member]] -= role[member] == COOK
            left += 1
    return left
