"""Members' life cycle, succession, splits and violence."""

import numpy as np
import pytest

from cartelsim import Sim
from cartelsim.errors import ParameterError
from cartelsim.experiment.leader_removal import leader_removal
from cartelsim.state.members import Role, Status

SCALE = 0.05


LOSSES = ["arrests", "killed_by_state", "killed_in_conflict", "killed_by_strikes", "retired"]


@pytest.mark.parametrize("strategy", ["baseline", "combined"])
def test_headcount_is_conserved_week_by_week(world, strategy):
    """members(t+1) = members(t) + recruits − every cause of loss, whatever removes them. At
    scale 1: below it, losses are counted in persons (a commander is one person at any scale)
    while the stock counts agents, each 1/scale people."""
    sim = Sim(world, strategy=strategy, weeks=60, scale=1.0, seed=2)
    sim.schedule_removal(5, world.orgs.index("N10025"), "leader", "kill")
    res = sim.run()  # the run also checks its own counts every week
    w = res.weekly()
    net = w["recruits"] - w[LOSSES].sum(axis=1)
    np.testing.assert_allclose(w["members"].diff().iloc[1:], net.iloc[1:], atol=1e-6)
    start = res.summary()["members_start"]
    assert w["members"].iloc[0] == pytest.approx(start + net.iloc[0])


def _command_is_consistent(sim):
    m = sim.members
    active = np.flatnonzero(m.status == Status.ACTIVE)
    leaders = active[m.role[active] == Role.LEADER]
    assert (sim.orgs.leader[m.org[leaders]] == leaders).all()
    rank_and_file = active[m.role[active] > Role.LIEUTENANT]
    boss = m.superior[rank_and_file]
    ok = boss >= 0
    assert (m.org[boss[ok]] == m.org[rank_and_file[ok]]).all()
    assert (m.role[boss[ok]] <= Role.LIEUTENANT).all()
    lt = sim.orgs.lieutenant_at
    held = lt[lt >= 0]
    assert (m.role[held] == Role.LIEUTENANT).all()
    # A lieutenant lost this week is replaced at next week's succession step.
    pending = {(e.org, e.place) for e in sim.orgs.removals}
    gone = held[m.status[held] != Status.ACTIVE]
    assert all((int(m.org[g]), int(m.place[g])) in pending for g in gone)
    counts = np.zeros_like(sim.roster.counts)
    np.add.at(counts, (m.org[active], m.place[active]), 1)
    np.testing.assert_array_equal(counts, sim.roster.counts)


def test_contested_removal_can_split_an_organization(world):
    """With no clear successor and a certain split, the Sinaloa Cartel breaks in two: the
    faction takes part of the members and territory, and becomes its parent's rival."""
    params = {"succession_clarity": 0.0, "split_prob": 1.0, "contest_weeks": 4}
    sim = Sim(world, params, weeks=20, scale=SCALE, seed=4)
    org = world.orgs.index("N10013")
    before = sim.roster.counts[org].sum()
    sim.schedule_removal(2, org, "leader", "capture")
    res = sim.run()
    born = np.arange(world.orgs.n, sim.orgs.count)  # factions take the free rows
    (new,) = born[sim.orgs.parent[born] == org]  # Sinaloa split once
    assert sim.orgs.active[new]
    assert sim.orgs.rivalry[org, new] > 0 and sim.orgs.alliance[org, new] == 0
    both = sim.roster.counts[org].sum() + sim.roster.counts[new].sum()
    assert 0.3 * before < sim.roster.counts[new].sum() < 0.7 * both
    assert sim.orgs.leader[new] >= 0 and sim.orgs.leader[org] >= 0
    # Other leaders can fall to ordinary arrests and fights meanwhile, and split too.
    w = res.weekly()
    assert w["splits"].sum() == born.size and w["contested_successions"].sum() >= born.size
    assert res.summary()["active_orgs_end"] == sim.orgs.active.sum()
    _command_is_consistent(sim)


def test_a_clear_successor_takes_over_at_once(world):
    sim = Sim(world, {"succession_clarity": 1.0}, weeks=8, scale=SCALE, seed=5)
    org = world.orgs.index("N10025")
    old = int(sim.orgs.leader[org])
    sim.schedule_removal(1, org, "leader", "capture")  # a killing halves the clarity
    res = sim.run()
    new = int(sim.orgs.leader[org])
    assert new != old and sim.members.status[old] == Status.ARRESTED
    assert sim.members.role[new] == Role.LEADER and sim.members.status[new] == Status.ACTIVE
    assert res.weekly()["contested_successions"].sum() == 0
    _command_is_consistent(sim)


def test_removed_lieutenant_is_replaced_locally(world):
    sim = Sim(world, weeks=6, scale=SCALE, seed=6)
    org, place = world.orgs.index("N10025"), world.place_index("guadalajara")
    old = int(sim.orgs.lieutenant_at[org, place])
    sim.schedule_removal(1, org, "lieutenant", "capture", place)
    sim.run()
    new = int(sim.orgs.lieutenant_at[org, place])
    assert new >= 0 and new != old and sim.members.status[old] == Status.ARRESTED
    assert sim.members.place[new] == place
    _command_is_consistent(sim)


def test_command_stays_consistent_over_a_long_run(world):
    sim = Sim(world, weeks=120, scale=SCALE, seed=8)
    sim.run()
    _command_is_consistent(sim)


def test_removal_changes_nothing_before_it_happens(world):
    """Common random numbers: the paired runs agree exactly until the removal week, and the
    homicides not linked to organized crime never differ."""
    a = Sim(world, weeks=30, scale=SCALE, seed=9).run().weekly()
    sim = Sim(world, weeks=30, scale=SCALE, seed=9)
    sim.schedule_removal(10, world.orgs.index("N10013"), "leader", "kill")
    b = sim.run().weekly()
    assert a.iloc[:10].equals(b.iloc[:10])
    assert not a.equals(b)
    np.testing.assert_array_equal(a["homicides_other"], b["homicides_other"])


def test_more_arrests_more_arrests_recorded(world):
    base = Sim(world, weeks=40, scale=SCALE, seed=3).run().summary()
    more = Sim(world, {"incapacitation_per_week": 330}, weeks=40, scale=SCALE, seed=3).run()
    assert more.summary()["arrests"] > 2.5 * base["arrests"]


def test_deterrence_moves_capacity_out_of_fentanyl_only_when_switched_on(world):
    """Five times the usual arrests: with deterrence on, producers leave fentanyl; off, not."""
    org = world.orgs.index("N10091")

    def run(deterrence):
        params = {"deterrence_strength": deterrence, "incapacitation_per_week": 550}
        sim = Sim(world, params, weeks=30, scale=SCALE, seed=3)
        res = sim.run()
        return res.summary()["produced_kg"], sim.orgs.fentanyl_factor[org]

    none, factor_none = run(0.0)
    some, factor_some = run(0.1)
    assert factor_none == 1.0 and 0.0 <= factor_some < 0.9
    assert some < 0.9 * none


def test_leader_removal_experiment_reports_regions(world):
    res = leader_removal(
        "N10025",
        week=3,
        weeks=20,
        replicates=2,
        scale=SCALE,
        how="kill",
        world=world,
        params={"succession_clarity": 0.0},
    )
    assert res.seat in res.regions["seat"] and res.seat not in res.regions["organization"]
    table = res.change(0, 10)
    assert set(table.index) == {"seat", "organization", "neighbours"}
    assert table.at["organization", "change"] > 0  # a contested succession is violent
    weekly = res.weekly()
    assert len(weekly) == 3 * 20
    before = weekly[weekly["weeks_from_removal"] < 0]
    np.testing.assert_array_equal(before["baseline"], before["treated"])


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"how": "poison"}, "how must be"),
        ({"target": "accountant"}, "target must be"),
        ({"target": "lieutenant"}, "needs its place"),
        ({"week": 500}, "week must be"),
    ],
)
def test_leader_removal_rejects_bad_settings(world, kwargs, fragment):
    with pytest.raises(ParameterError, match=fragment):
        leader_removal("N10013", world=world, replicates=1, **kwargs)


def test_territory_names_holders_and_contests(world):
    res = Sim(world, weeks=30, scale=SCALE, seed=4).run()
    t = res.territory
    assert len(t) == int((world.places["country"] == "MX").sum())
    assert t["holder_share"].between(0, 1).all()
    assert (t.loc[t["contested"], "rival"] != "").all()
    sinaloa = world.orgs.index("N10013")
    family = {
        world.orgs.labels[i]
        for i in range(world.orgs.n)
        if i == sinaloa or world.orgs.faction_of[i] == sinaloa
    }
    assert t.set_index("place").loc["culiacan", "holder"] in family
    assert t["contested"].any() and not t["contested"].all()
