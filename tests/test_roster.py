"""The roster: counts kept by events, the index by organization, sampling by count then index."""

import numpy as np
import pytest
from scipy import stats

from cartelsim.state.members import Members, Role, Status
from cartelsim.state.roster import Roster


def _members(orgs, places, roles=None) -> Members:
    m = Members(capacity=4)
    n = len(orgs)
    roles = np.full(n, Role.ENFORCER) if roles is None else np.asarray(roles)
    m.add(n, org=np.asarray(orgs), place=np.asarray(places), role=roles, status=Status.ACTIVE)
    return m


def _blocks(roster: Roster) -> dict[int, list[int]]:
    roster._refresh()
    return {
        org: roster._order[roster._start[org] : roster._start[org] + roster._size[org]].tolist()
        for org in range(roster.counts.shape[0])
    }


def _expected_blocks(m: Members, n_orgs: int) -> dict[int, list[int]]:
    return {org: np.flatnonzero(m.org == org).tolist() for org in range(n_orgs)}


def test_the_index_holds_each_organizations_members_in_id_order_as_recruits_join():
    rng = np.random.default_rng(0)
    m = _members(rng.integers(0, 3, 50), rng.integers(0, 4, 50))
    roster = Roster(m, 3, 4)
    assert _blocks(roster) == _expected_blocks(m, 3)
    for week in range(40):  # enough recruits to fill some blocks' room and rebuild
        n = int(rng.integers(1, 12))
        ids = m.add(n, org=rng.integers(0, 3, n), place=rng.integers(0, 4, n), status=Status.ACTIVE)
        roster.added(ids)
        if week % 7 == 0:
            assert _blocks(roster) == _expected_blocks(m, 3)
    assert _blocks(roster) == _expected_blocks(m, 3)
    roster.moved_org(np.flatnonzero(m.org == 1)[:5], 2)
    assert _blocks(roster) == _expected_blocks(m, 3)
    assert roster.headcount_error(int(roster.counts.sum())) == 0


def test_a_sample_is_distinct_active_members_of_each_cell_and_never_a_leader():
    rng = np.random.default_rng(1)
    roles = np.where(np.arange(400) % 50 == 0, Role.LEADER, Role.ENFORCER)
    m = _members(rng.integers(0, 4, 400), rng.integers(0, 5, 400), roles)
    roster = Roster(m, 4, 5)
    roster.remove(np.arange(0, 400, 3), Status.ARRESTED)
    org, place = np.array([0, 1, 2, 3, 3]), np.array([0, 2, -1, 1, 4])
    k = np.array([3, 100, 10, 1, 2])
    ids = roster.sample(np.random.default_rng(2), org, place, k)
    assert np.unique(ids).size == ids.size
    assert (m.status[ids] == Status.ACTIVE).all() and (m.role[ids] != Role.LEADER).all()
    for c in range(org.size):
        mine = (m.org[ids] == org[c]) & ((place[c] < 0) | (m.place[ids] == place[c]))
        can = (m.org == org[c]) & (m.status == Status.ACTIVE) & (m.role != Role.LEADER)
        if place[c] >= 0:
            can &= m.place == place[c]
        assert mine.sum() == min(k[c], can.sum())  # all of a cell with fewer than asked
    again = roster.sample(np.random.default_rng(2), org, place, k)
    assert np.array_equal(ids, again)  # the same stream, the same members


def test_each_member_of_a_cell_is_equally_likely_to_be_drawn():
    m = _members(
        np.r_[np.zeros(200, int), np.ones(12, int)], np.r_[np.zeros(200, int), 3 * np.ones(12, int)]
    )
    roster = Roster(m, 2, 4)
    draws = np.concatenate(
        [
            roster.sample(np.random.default_rng(seed), np.array([1]), np.array([3]), np.array([2]))
            for seed in range(3000)
        ]
    )
    seen = np.bincount(draws - 200, minlength=12)
    assert seen.sum() == 6000
    assert stats.chisquare(seen).pvalue > 0.001


@pytest.mark.parametrize("role", [Role.LEADER, Role.LIEUTENANT])
def test_cook_counts_follow_removals_moves_and_promotions(role):
    roles = [Role.COOK] * 6 + [Role.ENFORCER] * 4
    m = _members([0] * 5 + [1] * 5, [0] * 10, roles)
    roster = Roster(m, 3, 1)
    assert roster.cooks.tolist() == [5, 1, 0]
    roster.remove(np.array([0, 1]), Status.KILLED)
    roster.set_role(2, role)
    roster.moved_org(np.array([3, 5, 6]), 2)
    assert roster.cooks.tolist() == [1, 0, 2]
    working = (m.status == Status.ACTIVE) & (m.role == Role.COOK)
    assert roster.cooks.tolist() == np.bincount(m.org[working], minlength=3).tolist()
