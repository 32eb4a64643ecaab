"""Each lever moves what it acts on the right way, costs what it says, and does nothing at
zero; the strategy library runs."""

import json

import numpy as np
import pandas as pd
import pytest

from cartelsim import Sim
from cartelsim.cli import main
from cartelsim.errors import FieldError, ParameterError
from cartelsim.policy.levers import LEVERS
from cartelsim.policy.library import STRATEGIES, get_strategy
from cartelsim.policy.strategy import Strategy, setting

WEEKS, SCALE, SEED = 40, 0.05, 12


def run(world, *settings, params=None, weeks=WEEKS):
    strategy = Strategy("test", "a test", tuple(settings))
    sim = Sim(world, params, strategy=strategy, weeks=weeks, scale=SCALE, seed=SEED)
    return sim, sim.run()


@pytest.fixture(scope="module")
def baseline(world):
    return run(world)


ZERO = [
    setting("surveillance", 0),
    setting("strikes", 0, consent="unilateral"),
    setting("kingpin", 0),
    setting("scanning", 0, truck=0.0),
    setting("troops", 0),
    setting("crackdown", 0, places=["culiacan"]),
    setting("follow-the-money", 0),
    setting("precursor-controls", 0),
    setting("naloxone", 0),
    setting("treatment", 0),
    setting("recruitment-prevention", 0),
]


def test_every_lever_is_covered_by_the_zero_test():
    assert {s.lever for s in ZERO} == set(LEVERS)


@pytest.mark.parametrize("zero", ZERO, ids=lambda s: s.lever)
def test_a_lever_at_zero_changes_nothing(world, baseline, zero):
    _, res = run(world, zero)
    pd.testing.assert_frame_equal(res.weekly(), baseline[1].weekly())
    assert res.summary()["cost_usd"] == 0


def test_strikes_kill_targets_and_some_civilians_and_cost(world, baseline):
    sim, res = run(
        world,
        setting("surveillance", 500),
        setting("strikes", 5, start=4, doctrine="lieutenants"),
        weeks=80,
    )
    s = res.summary()
    assert s["strikes"] > 0 and s["strike_deaths"] > 0
    assert 0 < s["strike_civilian_deaths"] < s["strike_deaths"]
    assert s["cost_strikes_usd"] == pytest.approx(s["strikes"] * sim.params.cost_strike_usd)
    assert s["cost_surveillance_usd"] == pytest.approx(80 * 500 * sim.params.cost_flight_hour_usd)
    assert res.weekly()["killed_by_strikes"].sum() > 0
    assert s["cost_usd"] == pytest.approx(s["cost_strikes_usd"] + s["cost_surveillance_usd"])


def test_strikes_need_targets_identified_first(world):
    _, blind = run(world, setting("strikes", 3))
    assert blind.summary()["strikes"] == 0


def test_unilateral_strikes_erode_cooperation_more_than_joint_ones(world):
    flights = setting("surveillance", 500)
    _, alone = run(world, flights, setting("strikes", 3, consent="unilateral"))
    _, joint = run(world, flights, setting("strikes", 3))
    assert alone.summary()["strikes"] > 0
    # Same seed, same targets: the strikes are the same until cooperation parts them.
    assert alone.summary()["cooperation_end"] < joint.summary()["cooperation_end"]
    assert alone.weekly()["cooperation"].min() < alone.weekly()["cooperation"].iloc[0]


def test_joint_strikes_and_operations_need_cooperation(world):
    low = {"cooperation_start": 0.2, "joint_threshold": 0.4}
    _, res = run(
        world,
        setting("surveillance", 500),
        setting("strikes", 3),
        setting("kingpin", 2),
        params=low,
    )
    s, w = res.summary(), res.weekly()
    assert s["strikes"] == 0 and w["strikes_refused"].sum() > 0
    assert w["operations"].sum() == 0 and w["operations_refused"].sum() > 0


def test_kingpin_removes_commanders_and_extradites(world, baseline):
    sim, res = run(world, setting("kingpin", 3))
    w = res.weekly()
    assert w["commanders_removed"].sum() > 0 and res.summary()["extraditions"] > 0
    assert res.summary()["cost_kingpin_usd"] == pytest.approx(
        w["operations"].sum() * sim.params.cost_operation_usd
    )


def test_scanning_raises_port_seizures(world, baseline):
    _, res = run(world, setting("scanning", 0.4, truck=0.7))
    assert res.weekly()["seized_poe_kg"].sum() > 1.3 * baseline[1].weekly()["seized_poe_kg"].sum()
    assert res.summary()["cost_scanning_usd"] > 0


def test_troops_raise_the_risk_between_ports_and_displace_loads(world, baseline):
    """Troops make a load crossing between ports likelier to be seized, so traffickers move
    loads to the ports of entry, and checkpoints find more."""
    _, res = run(world, setting("troops", 10_000))
    between = np.flatnonzero(world.places["kind"] == "between_ports")

    def crossed_and_seized(r):
        return r.place_flow_kg[:, between].sum(), r.weekly()["seized_between_ports_kg"].sum()

    (flow, seized), (flow0, seized0) = crossed_and_seized(res), crossed_and_seized(baseline[1])
    assert seized / flow > 1.2 * seized0 / flow0  # a load between ports is riskier
    assert flow < 0.5 * flow0  # and fewer take that way
    assert (
        res.weekly()["seized_checkpoint_kg"].sum()
        > baseline[1].weekly()["seized_checkpoint_kg"].sum()
    )
    assert res.summary()["cost_troops_usd"] == pytest.approx(WEEKS * 10_000 * 1_000.0)


def test_crackdown_drives_flow_away_and_arrests_up(world, baseline):
    place = world.place_index("hermosillo")
    _, res = run(world, setting("crackdown", 1.0, places=["hermosillo"]))
    base = baseline[1]
    assert res.place_seized_kg[:, place].sum() > 2 * base.place_seized_kg[:, place].sum()
    assert res.place_flow_kg[:, place].sum() < 0.95 * base.place_flow_kg[:, place].sum()
    assert res.summary()["arrests"] > base.summary()["arrests"]


def test_follow_the_money_cuts_income_and_recruits(world, baseline):
    sim, res = run(world, setting("follow-the-money", 0.5))
    base_sim, base = baseline
    n = world.orgs.n
    cut, usual = sim.orgs.income_factor[:n], base_sim.orgs.income_factor[:n]
    assert (cut <= usual).all() and (cut < usual).any()
    assert res.weekly()["recruits"].sum() < base.weekly()["recruits"].sum()


def test_precursor_controls_cut_production_then_wear_off(world, baseline):
    _, res = run(world, setting("precursor-controls", 0.9, start=5), weeks=100)
    _, base = run(world, weeks=100)
    made, made_base = res.weekly()["produced_kg"], base.weekly()["produced_kg"]
    early = slice(10, 18)
    assert made.iloc[early].sum() < 0.8 * made_base.iloc[early].sum()
    price, price_base = res.weekly()["price_per_pill_usd"], base.weekly()["price_per_pill_usd"]
    assert price.iloc[early].max() > 2 * price_base.iloc[early].max()  # R9: prices jump
    assert made.iloc[80:].sum() > 0.9 * made_base.iloc[80:].sum()  # R9: it wears off
    assert res.summary()["cost_precursor_controls_usd"] > 0


def test_naloxone_and_treatment_lower_deaths(world, baseline):
    base = baseline[1].summary()["od_deaths"]
    _, nal = run(world, setting("naloxone", 0.5))
    _, treat = run(world, setting("treatment", 0.3))
    assert nal.summary()["od_deaths"] < 0.95 * base
    # Treatment fills over months (people leave it at moud_exit_per_year): by week 40 most of
    # the added share is in, and the treated risk death less.
    b, t = baseline[1].national.iloc[-1], treat.national.iloc[-1]
    added = t["people_in_treatment"] - b["people_in_treatment"]
    assert added > 0.15 * (b["people_using"] + b["people_in_treatment"])
    assert treat.summary()["od_deaths"] < 0.97 * base
    assert nal.summary()["cost_naloxone_usd"] > 0 and treat.summary()["cost_treatment_usd"] > 0
    assert treat.summary()["price_per_pill_usd"] < baseline[1].summary()["price_per_pill_usd"]


def test_recruitment_prevention_lowers_recruits(world, baseline):
    _, res = run(world, setting("recruitment-prevention", 0.5))
    assert res.summary()["recruits_per_week"] < 0.6 * baseline[1].summary()["recruits_per_week"]


def test_ramps_and_windows(world):
    _sim, res = run(world, setting("scanning", 0.5, start=10, end=19, ramp_weeks=5))
    cost = res.lever_costs["scanning"]
    assert (cost.iloc[:10] == 0).all() and (cost.iloc[20:] == 0).all()
    assert (np.diff(cost.iloc[10:15]) > 0).all()  # ramping up


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"lever": "napalm", "intensity": 1}, "field 'lever': unknown lever 'napalm'"),
        ({"lever": "scanning", "intensity": 1.5}, "field 'intensity': lever 'scanning': 1.5 is"),
        ({"lever": "strikes", "intensity": 60}, r"field 'intensity'.*out of range \[0, 50\]"),
        ({"lever": "troops", "intensity": float("inf")}, "field 'intensity'.*finite"),
        ({"lever": "kingpin", "intensity": True}, "field 'intensity'.*expected a number"),
        ({"lever": "strikes", "intensity": 2, "doctrine": "everyone"}, "field 'doctrine'"),
        ({"lever": "strikes", "intensity": 2, "civilian_limit": float("inf")}, "civilian_limit"),
        ({"lever": "strikes", "intensity": 2, "colour": "red"}, "field 'colour'.*unknown option"),
        ({"lever": "crackdown", "intensity": 1, "places": "culiacan"}, "list of place ids"),
        ({"lever": "crackdown", "intensity": 1, "places": ["tijuana"] * 2}, "named twice"),
        ({"lever": "troops", "intensity": 10, "start": 5, "end": 2}, "field 'end'.*before start"),
        ({"lever": "troops", "intensity": 10, "start": 1.5}, "field 'start'.*whole number"),
        ({"lever": "troops", "intensity": 10, "ramp_weeks": True}, "field 'ramp_weeks'"),
        ({"lever": "troops", "intensity": 10, "end": 10**9}, "field 'end'.*out of range"),
    ],
)
def test_bad_settings_name_the_lever_and_field(kwargs, fragment):
    lever = kwargs.pop("lever")
    intensity = kwargs.pop("intensity")
    with pytest.raises(FieldError, match=fragment):
        setting(lever, intensity, **kwargs)


def test_every_lever_has_a_finite_bound_with_a_reason():
    for lever in LEVERS.values():
        assert 0 < lever.most < float("inf")
        assert lever.most == 1 or lever.most_why, lever.name


@pytest.mark.parametrize("name", ["", "Kingpin", "a b", "</script>", "x" * 65, "-a", "a\nb"])
def test_strategy_names_are_restricted_to_a_safe_set(name):
    with pytest.raises(ParameterError, match="strategy name"):
        Strategy(name, "d")


def test_a_crackdown_must_name_mexican_places_of_the_world(world):
    for places, fragment in ((["nowhere"], "unknown place"), (["phoenix"], "not in Mexico")):
        strategy = Strategy("c", "c", (setting("crackdown", 1, places=places),))
        with pytest.raises(FieldError, match=fragment):
            Sim(world, strategy=strategy, weeks=2, scale=0.02)
    with pytest.raises(FieldError, match="needs places"):
        Sim(world, strategy=Strategy("c", "c", (setting("crackdown", 1),)), weeks=2, scale=0.02)


def test_unknown_strategy_is_named():
    with pytest.raises(ParameterError, match="unknown strategy 'napalm'"):
        get_strategy("napalm")


def test_the_library_has_the_strategies_the_issue_names():
    assert set(STRATEGIES) >= {
        "baseline",
        "drone-strikes-joint",
        "drone-strikes-unilateral",
        "kingpin",
        "border-scanning",
        "border-troops",
        "follow-the-money",
        "precursor-controls",
        "harm-reduction",
        "recruitment-prevention",
        "law-enforcement-package",
        "combined",
    }


@pytest.mark.parametrize("name", list(STRATEGIES))
def test_every_strategy_runs(world, name):
    res = Sim(world, strategy=name, weeks=12, scale=0.03, seed=1).run()
    s = res.summary()
    assert np.isfinite(s["cost_usd"]) and (s["cost_usd"] > 0) == (name != "baseline")


def test_strategies_command_lists_levers(capsys):
    assert main(["strategies", "--json"]) == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["border-scanning"]["levers"][0]["truck"] == 0.7
    assert main(["simulate", "--strategy", "napalm"]) == 2
    assert "unknown strategy" in capsys.readouterr().err


def test_overlapping_settings_of_one_lever_are_refused():
    with pytest.raises(ParameterError, match="overlap"):
        Strategy("x", "x", (setting("surveillance", 500), setting("surveillance", 100, start=10)))
    Strategy("y", "y", (setting("troops", 5000, end=9), setting("troops", 10000, start=10)))


def test_trucks_ramp_with_cars(world):
    _, res = run(world, setting("scanning", 0.4, truck=0.7, ramp_weeks=20))
    costs = res.lever_costs["scanning"]
    assert costs.iloc[0] < costs.iloc[19] / 5  # the first week scans a twentieth of the way


def test_strikes_on_cooks_idle_labs_until_recruits_replace_them(world, baseline):
    from cartelsim.state.members import Role, Status, cook_share

    strikes = setting("strikes", 20, doctrine="logistics", consent="unilateral")
    sim, res = run(world, setting("surveillance", 2000), strikes)
    assert res.summary()["strikes"] > 100
    assert res.summary()["produced_kg"] < 0.99 * baseline[1].summary()["produced_kg"]
    m = sim.members
    working = (m.status == Status.ACTIVE) & (m.role == Role.COOK)
    recount = np.bincount(m.org[working], minlength=sim.orgs.capacity)
    assert np.array_equal(sim.roster.cooks, recount)  # kept by events, through the strikes
    share = cook_share(sim.roster.cooks, sim.orgs.cooks_needed)
    assert (share <= 1).all() and (share >= 0).all() and share.min() < 1
