"""Issue 14: the people who use, precursor origins and adaptation, and the border's mode
choice act as their mechanisms say, and can be switched off by their priors."""

import numpy as np
import pytest

from cartelsim import Sim
from cartelsim.params import Params
from cartelsim.policy.strategy import Strategy, setting
from cartelsim.state.people import starting_people

SCALE, SEED = 0.05, 5


def run(world, *settings, weeks=80, **params):
    strategy = Strategy("t", "a test", tuple(settings))
    sim = Sim(world, params, strategy=strategy, weeks=weeks, scale=SCALE, seed=SEED)
    return sim, sim.run()


def test_people_are_conserved(world):
    """Everyone alive at the start, plus those who started, is alive or dead at the end."""
    sim = Sim(world, weeks=120, scale=SCALE, seed=SEED)
    before = sim.people.alive()
    res = sim.run()
    people = sim.people
    assert people.alive() + people.died - people.started == pytest.approx(before, rel=1e-12)
    assert people.died == pytest.approx(res.national["od_deaths"].sum(), rel=1e-9)
    assert min(people.using, people.treated, people.remission) > 0


def test_every_start_year_shares_one_history(world):
    """Demand is normalized on mid-2024 whatever the start; later starts find fewer using."""
    early = starting_people(world, Params({"start_year": 2022}))
    late = starting_people(world, Params({"start_year": 2025}))
    assert early.reference == pytest.approx(late.reference, rel=1e-12)
    assert late.using < early.using and late.remission > early.remission == 0
    assert early.treated / (early.using + early.treated) == pytest.approx(0.25)


def test_future_potency_is_a_scenario(world):
    """potency_trend moves deaths after the series ends, and nothing before."""
    rising = run(world, weeks=156, potency_trend=0.3)[1].national
    falling = run(world, weeks=156, potency_trend=-0.3)[1].national
    first_half = slice(0, 26)  # before mid-2025, where the series ends
    assert rising["od_deaths"][first_half].sum() == falling["od_deaths"][first_half].sum()
    assert rising["od_deaths"].iloc[-52:].sum() > 1.2 * falling["od_deaths"].iloc[-52:].sum()


def test_precursor_controls_depend_on_slack_and_lasting_share(world):
    control = setting("precursor-controls", 0.5)
    late = slice(-26, None)

    def produced(*settings, **params):
        return run(world, *settings, weeks=104, **params)[1].national["produced_kg"][late].sum()

    # No slack and an effect that lasts: the block binds for good.
    tight = {"precursor_supply_ratio": 1.0, "precursor_lasting_share": 1.0}
    assert produced(control, **tight) < 0.75 * produced(**tight)
    # Slack, and an effect that fades to nothing: two years on, production is back.
    loose = {"precursor_supply_ratio": 1.5, "precursor_lasting_share": 0.0}
    assert produced(control, **loose) == pytest.approx(produced(**loose), rel=0.03)


def test_precursor_controls_act_on_the_origins_named(world):
    tight = {"precursor_supply_ratio": 1.0, "precursor_lasting_share": 1.0}
    late = slice(-26, None)

    def received(*settings):
        return (
            run(world, *settings, weeks=52, **tight)[1]
            .national["precursor_received_kg"][late]
            .sum()
        )

    everywhere = received(setting("precursor-controls", 0.5))
    india_only = received(setting("precursor-controls", 0.5, origins=["india"]))
    none = received()
    assert everywhere < india_only < none
    seized = run(world, setting("precursor-controls", 0.3, by="seizure"), weeks=52)[1]
    assert (
        seized.summary()["precursor_seized_kg"]
        > 3 * run(world, weeks=52)[1].summary()["precursor_seized_kg"]
    )


def _mode_shares(res):
    sent = res.national[["crossed_car_kg", "crossed_truck_kg", "crossed_on_foot_kg"]]
    total = sent.iloc[-26:].sum()
    return total / total.sum()


def test_scanning_cars_moves_loads_to_other_modes(world):
    scan = setting("scanning", 0.5)
    base, scanned = _mode_shares(run(world)[1]), _mode_shares(run(world, scan)[1])
    assert scanned["crossed_car_kg"] < base["crossed_car_kg"] - 0.03
    assert scanned["crossed_on_foot_kg"] > base["crossed_on_foot_kg"]
    # Without risk aversion the shares at the ports stay where they started.
    still = _mode_shares(run(world, scan, mode_risk_aversion=0.0)[1])
    fixed = _mode_shares(run(world, mode_risk_aversion=0.0)[1])
    assert still["crossed_truck_kg"] / still["crossed_car_kg"] == pytest.approx(
        fixed["crossed_truck_kg"] / fixed["crossed_car_kg"], rel=0.02
    )


def test_a_scan_that_finds_nothing_more_changes_nothing(world):
    """The prior on scan_gain includes zero; there the scanning lever only costs money."""
    base = run(world, scan_gain=0.0)[1]
    scanned = run(world, setting("scanning", 0.8, truck=0.8), scan_gain=0.0)[1]
    for series in ("seized_poe_kg", "us_arrivals_kg", "od_deaths"):
        np.testing.assert_array_equal(base.national[series], scanned.national[series])
    assert scanned.summary()["cost_scanning_usd"] > 0
