"""The Prieto-Curiel, Campedelli & Hope (2023) reference model reproduces the published figures.

Published (Science 381:1312, abstract and text; CALIBRATION.md B1, B2, R5): 160,000–185,000
members by 2022; 350–370 recruits a week; losses ≈ 235/week by 2022 (≈125 killed in conflict, 110
incapacitated); status quo to 2027: +26% members, +40% victims; halving recruitment: ≈11% fewer
members by 2027; doubling incapacitation: members and homicides still rise.
"""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy.integrate import solve_ivp

from cartelsim.errors import ParameterError
from cartelsim.reference.prieto_curiel import (
    ReferenceParams,
    ReferenceRun,
    conflict_matrix,
    initial_sizes,
    scenarios,
    simulate,
)
from cartelsim.world.bacrim import GroupNetwork, load_group_network, load_trends

WEEKS_2012_2022 = 520


@pytest.fixture(scope="module")
def network() -> GroupNetwork:
    return load_group_network()


@pytest.fixture(scope="module")
def run(network: GroupNetwork) -> ReferenceRun:
    return simulate(network=network)


@pytest.fixture(scope="module")
def policy() -> pd.DataFrame:
    return scenarios(2027).set_index("scenario")


def test_defaults_are_the_authors_values() -> None:
    p = ReferenceParams()
    assert (p.rho, p.eta, p.theta, p.omega) == (2.527474e-3, 110.0, 1.549231e-8, 4e-8)
    assert (p.start_members, p.start_year) == (115_000, 2012)


def test_run_spans_2012_to_2022_in_weeks(run: ReferenceRun) -> None:
    w = run.weekly
    assert list(w.columns) == [
        "week",
        "year",
        "members",
        "recruits",
        "incapacitated",
        "conflict_deaths",
        "saturation_losses",
    ]
    assert len(w) == WEEKS_2012_2022 + 1
    assert w["year"].iloc[0] == 2012 and w["year"].iloc[-1] == 2022
    assert w["members"].iloc[0] == pytest.approx(115_000)
    np.testing.assert_allclose(run.final_sizes, run.sizes[-1])
    assert run.at_year(2022)["week"] == WEEKS_2012_2022


def test_members_in_2022(run: ReferenceRun) -> None:
    assert 160_000 <= run.at_year(2022)["members"] <= 185_000


def test_mean_recruits_per_week_2012_2022(run: ReferenceRun) -> None:
    # The abstract: "Recruiting between 350 and 370 people per week is essential to avoid their
    # collapse because of aggregate losses." In the model this is the mean weekly recruitment
    # ρ·C over 2012–2022 (what the cartels had to recruit to lose ~235–300 a week and still grow
    # from 115k to ~175k), not the break-even at 2022 (losses then are ~300/week with saturation).
    mean_recruits = run.weekly["recruits"].iloc[:WEEKS_2012_2022].mean()
    assert 300 <= mean_recruits <= 420
    assert 350 <= mean_recruits <= 370  # the published range itself


def test_flows_in_2022(run: ReferenceRun) -> None:
    row = run.at_year(2022)
    assert 400 <= row["recruits"] <= 480  # the authors' model: ≈440/week by 2022
    assert 110 <= row["conflict_deaths"] <= 140  # ≈125
    assert 215 <= row["conflict_deaths"] + row["incapacitated"] <= 255  # ≈235
    np.testing.assert_allclose(run.weekly["incapacitated"], 110.0)  # η is a total per week


def test_conflict_deaths_are_a_tenth_of_homicides_and_missing(run: ReferenceRun) -> None:
    # The authors fitted θ so conflict deaths match 10% of (homicides + missing persons).
    trends = load_trends()
    deaths = run.weekly["conflict_deaths"].to_numpy()
    model_by_year = np.array(
        [deaths[(y - 2012) * 52 : (y - 2011) * 52].sum() for y in trends["year"]]
    )
    observed_by_year = 0.1 * (trends["homicide"] + trends["missings"]).to_numpy()
    assert model_by_year.sum() / observed_by_year.sum() == pytest.approx(1.0, abs=0.1)
    ratio = model_by_year / observed_by_year
    assert ((ratio > 0.7) & (ratio < 1.4)).all()


def test_headcount_balances_every_week(run: ReferenceRun) -> None:
    w = run.weekly
    expected = (
        w["members"]
        + w["recruits"]
        - w["incapacitated"]
        - w["conflict_deaths"]
        - w["saturation_losses"]
    ).to_numpy()[:-1]
    np.testing.assert_allclose(w["members"].to_numpy()[1:], expected, rtol=1e-6)
    np.testing.assert_allclose(run.sizes.sum(axis=1), w["members"], rtol=1e-12)
    assert (run.sizes > 0).all()


def test_status_quo_to_2027(policy: pd.DataFrame) -> None:
    sq = policy.loc["status_quo"]
    assert 0.15 <= sq["members_change"] <= 0.40  # published +26%
    assert 0.25 <= sq["conflict_deaths_change"] <= 0.55  # published +40% victims


def test_halving_recruitment(policy: pd.DataFrame) -> None:
    half, sq = policy.loc["halve_recruitment"], policy.loc["status_quo"]
    assert half["members_end"] < sq["members_end"]
    assert -0.20 <= half["members_change"] <= -0.03  # published ≈ −11% by 2027
    assert half["conflict_deaths_end"] < half["conflict_deaths_2022"]


def test_doubling_incapacitation_does_not_shrink_cartels(policy: pd.DataFrame) -> None:
    double, sq = policy.loc["double_incapacitation"], policy.loc["status_quo"]
    assert double["members_end"] > double["members_2022"]
    assert double["conflict_deaths_end"] > double["conflict_deaths_2022"]
    assert double["members_end"] < sq["members_end"]


def test_conflict_matrix(network: GroupNetwork) -> None:
    k = conflict_matrix(network)
    cjng, nfm, cuinis = (network.index(x) for x in ("N10025", "N10076", "N10096"))
    allies_cjng = network.alliance[cjng].sum()
    assert k[cjng, nfm] == pytest.approx((13 + 1) / (allies_cjng + 1))
    assert k[cjng, cuinis] == pytest.approx(1 / (allies_cjng + 1))  # non-rivals still clash
    assert k[nfm, cjng] == pytest.approx(14 / (network.alliance[nfm].sum() + 1))
    np.testing.assert_array_equal(np.diag(k), 0.0)


def test_initial_sizes_follow_one_over_rank(network: GroupNetwork) -> None:
    sizes = initial_sizes(network, 115_000)
    assert sizes.sum() == pytest.approx(115_000)
    harmonic = (1.0 / np.arange(1, 151)).sum()
    np.testing.assert_allclose(np.sort(sizes)[::-1], 115_000 / np.arange(1, 151) / harmonic)
    # CJNG has the highest total weighted degree (132), Sinaloa the second (53).
    assert sizes[network.index("N10025")] == pytest.approx(115_000 / harmonic)
    assert sizes[network.index("N10013")] == pytest.approx(115_000 / 2 / harmonic)


def test_weekly_euler_agrees_with_the_continuous_model(
    network: GroupNetwork, run: ReferenceRun
) -> None:
    # The authors' main run integrates the ODE (deSolve); their fit uses weekly Euler steps.
    p, k = ReferenceParams(), conflict_matrix(network)

    def rate(_t: float, c: np.ndarray) -> np.ndarray:
        return p.rho * c - p.eta * c / c.sum() - p.theta * c * (k @ c) - p.omega * c * c

    c0 = initial_sizes(network, p.start_members)
    ode = solve_ivp(rate, (0, WEEKS_2012_2022), c0, rtol=1e-8, atol=1e-6).y[:, -1]
    assert run.final_sizes.sum() == pytest.approx(ode.sum(), rel=2e-3)


def test_800_weeks_run_well_under_a_second(network: GroupNetwork) -> None:
    start = time.perf_counter()
    long = simulate(weeks=800, network=network)
    assert time.perf_counter() - start < 1.0
    assert len(long.weekly) == 801


def test_start_sizes_and_determinism(network: GroupNetwork, run: ReferenceRun) -> None:
    again = simulate(network=network)
    pd.testing.assert_frame_equal(again.weekly, run.weekly)
    later = simulate(
        replace(ReferenceParams(), start_year=2022),
        weeks=52,
        start_sizes=run.final_sizes,
        network=network,
    )
    assert later.weekly["members"].iloc[0] == pytest.approx(run.weekly["members"].iloc[-1])
    assert later.weekly["year"].iloc[-1] == 2023


@pytest.mark.parametrize("field", ["rho", "eta", "theta", "omega", "start_members"])
def test_negative_parameters_are_rejected(field: str) -> None:
    with pytest.raises(ParameterError, match=field):
        ReferenceParams(**{field: -1.0})


def test_bad_start_sizes_are_rejected(network: GroupNetwork) -> None:
    with pytest.raises(ParameterError, match="shape"):
        simulate(network=network, start_sizes=np.ones(3))
    with pytest.raises(ParameterError):
        simulate(network=network, start_sizes=-np.ones(150))
    with pytest.raises(ParameterError):
        simulate(network=network, weeks=-1)
