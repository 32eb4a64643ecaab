"""Dated rivalries and the plaza tolls they set (docs/model.md, relations and routing)."""

import numpy as np
import pytest

from cartelsim.params import Params
from cartelsim.processes.routing import plaza_holders, tolls
from cartelsim.sim import Sim
from cartelsim.state.build import relation_changes
from cartelsim.state.inputs import dates
from cartelsim.state.organizations import OrgTable


@pytest.fixture(scope="module")
def ids(world):
    return {
        label: world.orgs.index(node)
        for label, node in [
            ("mayiza", "N10013"),
            ("chapitos", "N10091"),
            ("cjng", "N10025"),
            ("juarez", "N10005"),
            ("linea", "N10075"),
        ]
    }


def test_the_sinaloa_war_breaks_out_in_its_week(world, ids):
    a, b = ids["mayiza"], ids["chapitos"]
    sim = Sim(world, Params({"start_year": 2024}), weeks=52, scale=0.02, seed=1)
    assert sim.orgs.alliance[a, b] > sim.orgs.rivalry[a, b]  # allies, as in 2020
    war = relation_changes(world, 2024)[0][0]
    assert dates(2024, war + 1)[war].date() <= world.orgs.changes[0].since
    sim._advance(sim.rows - sim.weeks + war)  # the burn-in and the weeks before the war
    assert sim.orgs.alliance[a, b] > 0
    sim._advance(sim.rows - sim.weeks + war + 1)
    assert sim.orgs.rivalry[a, b] == 2 and sim.orgs.alliance[a, b] == 0


def test_a_run_that_starts_after_the_war_begins_with_it(world, ids):
    sim = Sim(world, Params({"start_year": 2025}), weeks=4, scale=0.02, seed=1)
    a, b = ids["mayiza"], ids["chapitos"]
    assert sim.orgs.rivalry[a, b] == 2 and sim.orgs.alliance[a, b] == 0


def test_the_leading_family_holds_the_plaza_through_its_strongest_group(world, ids):
    holder = plaza_holders(world)
    # Tijuana: CJNG 0.7 against the Sinaloa family, Los Chapitos 0.7 + La Mayiza 0.5.
    assert holder[world.place_index("tijuana")] == ids["chapitos"]
    # Ciudad Juárez: La Línea (1.0) is the Juárez cartel's armed wing (0.8); Sinaloa has 1.0.
    assert holder[world.place_index("ciudad_juarez")] == ids["linea"]
    empty = world.presence.sum(axis=1) == 0
    assert (holder[empty] == -1).all() and (holder[~empty] >= 0).all()


def test_factions_pass_free_until_they_are_at_war(world, ids):
    p = Params()
    orgs = OrgTable(world.orgs, 0.5, world.n_places)
    holder = plaza_holders(world)
    mayiza_ground = np.flatnonzero(holder == ids["mayiza"])
    chapitos, cjng = ids["chapitos"], ids["cjng"]
    before = tolls(orgs, holder, world.orgs.n, p)
    assert mayiza_ground.size and (before[chapitos, mayiza_ground] == 0).all()
    assert (before[cjng, mayiza_ground] == p.rival_toll).all()  # CJNG: Sinaloa's rival
    orgs.set_relation(ids["mayiza"], chapitos, "rival", 2)
    after = tolls(orgs, holder, world.orgs.n, p)
    assert (after[chapitos, mayiza_ground] == p.rival_toll).all()
    own = holder == chapitos
    assert (after[chapitos, own] == 0).all()
