"""`cartelsim explore` (issue 16): Sobol indices that find what drives an effect, scenario
discovery that finds where a condition holds, and a store that resumes to the same answer."""

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from cartelsim.analysis.discovery import condition_holds, discover
from cartelsim.analysis.explore import (
    QUICK,
    Design,
    Exploration,
    explore,
    load,
    marginals,
    sample_values,
    sobol_indices,
)
from cartelsim.cli import main
from cartelsim.errors import ParameterError
from cartelsim.outcomes import HEADLINE
from cartelsim.world.world import load_world

A, B = "deterrence_strength", "succession_violence"  # two parameters with a prior
TINY = replace(QUICK, samples=2, weeks=10)  # 8 samples


def synthetic(effect, samples: int = 512, by: str = "parameter", names=(A, B)) -> Exploration:
    """An exploration whose effect on deaths is a known function of the unit-cube sample."""
    design = Design(strategies=("s",), names=names, samples=samples, by=by)
    u = design.unit_sample()
    frame = pd.DataFrame(u, columns=list(names))
    for o in HEADLINE:
        frame[f"baseline.{o.name}"] = 1.0
        frame[f"s.{o.name}"] = 1.0
    frame["s.od_deaths_per_year"] = 1.0 + effect(u)
    return Exploration(design, frame, sobol_indices(design, frame))


def test_sobol_indices_find_the_factor_that_drives_the_effect():
    """y = 4·a + b: a's share of the variance is 16/17, b's 1/17, and nothing interacts."""
    found = synthetic(lambda u: 4 * u[:, 0] + u[:, 1]).indices
    deaths = found[found["outcome"] == "od_deaths_per_year"].set_index("factor")
    assert deaths.at[A, "ST"] == pytest.approx(16 / 17, abs=0.05)
    assert deaths.at[B, "ST"] == pytest.approx(1 / 17, abs=0.03)
    assert deaths.at[A, "S1"] == pytest.approx(16 / 17, abs=0.08)
    assert (deaths["ST_conf"] < 0.1).all()
    unmoved = found[found["outcome"] == "us_arrivals_kg"]
    assert unmoved["ST"].isna().all()  # an effect that never varies has no index


def test_an_interaction_shows_in_the_total_index_only():
    """y = (a − ½)(b − ½): neither factor acts alone, both act together."""
    found = synthetic(lambda u: (u[:, 0] - 0.5) * (u[:, 1] - 0.5)).indices
    deaths = found[found["outcome"] == "od_deaths_per_year"].set_index("factor")
    assert (deaths["S1"].abs() < 0.1).all() and (deaths["ST"] > 0.8).all()


def test_sections_are_factors_of_their_own():
    names = (A, B, "labs")  # organizations ×2, production ×1
    found = synthetic(lambda u: u[:, 2], by="section", names=names).indices
    deaths = found[found["outcome"] == "od_deaths_per_year"].set_index("factor")
    assert set(deaths.index) == {"organizations", "production"}
    assert deaths.at["production", "ST"] > 0.9 > 0.1 > deaths.at["organizations", "ST"]


def test_prim_finds_the_box_where_the_condition_holds():
    e = synthetic(lambda u: np.where(u[:, 0] > 0.6, -1.0, 1.0), samples=128)
    box = discover(e, "s: od_deaths_per_year < baseline", threshold=0.95)
    assert list(box.limits.index) == [A]
    a = e.samples[A]
    assert a[a > 0.6].min() - 0.05 <= box.limits.at[A, "lo"] <= a[a > 0.6].min() + 0.05
    assert box.density > 0.95 and box.coverage > 0.9
    assert f"{A} ≥" in box.sentence and "holds in 4" in box.sentence
    assert len(box.trajectory) > 1 and box.trajectory["density"].iat[0] < box.density
    loose = discover(e, "s: od_deaths_per_year < baseline")  # density 0.8 buys coverage
    assert loose.coverage >= box.coverage and 0.8 <= loose.density <= box.density
    cart = discover(e, "s: od_deaths_per_year < baseline", method="cart")
    assert list(cart.limits.index) == [A] and cart.density > 0.95


def test_prim_takes_the_densest_box_where_none_is_dense_enough():
    """Where a > ½ the condition holds in 70% of the samples, elsewhere in 20%: no box reaches
    a density of 0.8, so the densest one (about a > ½) is reported, not the whole space."""
    rng = np.random.default_rng(5)

    def effect(u):
        chance = np.where(u[:, 0] > 0.5, 0.7, 0.2)
        return np.where(rng.random(len(u)) < chance, -1.0, 1.0)

    box = discover(synthetic(effect, samples=256), "s: od_deaths_per_year < baseline")
    assert A in box.limits.index and box.limits.at[A, "lo"] > 0.3
    assert 0.6 < box.density < 0.8 and box.coverage > 0.5


def test_conditions_read_outcomes_baseline_and_numbers():
    e = synthetic(lambda u: u[:, 0])  # deaths 1 + a against a baseline of 1
    _, holds = condition_holds(e, "s: od_deaths_per_year > 1.5*baseline")
    assert (holds == (e.samples[A] > 0.5)).all()
    _, both = condition_holds(e, "s: od_deaths_per_year > 1.2 and not od_deaths_per_year > 1.7")
    assert (both == ((e.samples[A] > 0.2) & (e.samples[A] <= 0.7))).all()


@pytest.mark.parametrize(
    "condition, message",
    [
        ("od_deaths < baseline", "write 'STRATEGY: CONDITION'"),
        ("kingpin: od_deaths < baseline", "'kingpin' was not explored"),
        ("s: od_deths_per_year < baseline", "did you mean od_deaths_per_year"),
        ("s: od_deaths_per_year == baseline", "compare with <, <=, > or >="),
        ("s: od_deaths_per_year < us_arrivals_kg", "each comparison names one outcome"),
        ("s: __import__('os')", "write comparisons joined by and, or, not"),
        ("s: od_deaths_per_year <", "is no condition"),
    ],
)
def test_bad_conditions_are_refused_by_name(condition, message):
    with pytest.raises(ParameterError, match=message.replace("(", r"\(")):
        condition_holds(synthetic(lambda u: u[:, 0], samples=4), condition)


def test_posterior_marginals_stay_inside_the_posterior():
    world = load_world()
    design = replace(QUICK, names=(world.posterior.names[0],), parameters="posterior")
    inverse = marginals(design, world)
    name = world.posterior.names[0]
    values = world.posterior.values[name]
    for u in (0.0, 0.3, 0.999):
        assert values.min() <= sample_values(design, inverse, np.array([u]))[name] <= values.max()
    held = sample_values(design, inverse, np.array([0.5]))
    assert held[B] == inverse[B](0.5)  # a parameter not explored stays at its median


@pytest.fixture(scope="module")
def stored(tmp_path_factory):
    folder = tmp_path_factory.mktemp("explore") / "out"
    return folder, explore(TINY, folder)


def test_an_exploration_is_stored_and_read_back(stored):
    folder, found = stored
    assert len(found.samples) == 8 and list(found.samples.columns[:2]) == [A, B]
    again = load(folder)
    assert again.samples.equals(found.samples) and again.indices.equals(found.indices)


def test_the_same_for_any_number_of_workers(stored, tmp_path):
    _, found = stored
    two = explore(TINY, tmp_path / "two", workers=2)
    assert two.samples.equals(found.samples)


def test_a_stopped_exploration_resumes_to_the_same_answer(stored, tmp_path):
    _, found = stored

    def stop(done, total, elapsed):
        if done == 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        explore(TINY, tmp_path / "x", progress=stop)
    with pytest.raises(Exception, match="4 of 8 samples are stored"):
        load(tmp_path / "x")
    with pytest.raises(Exception, match="use --resume"):
        explore(TINY, tmp_path / "x")
    resumed = explore(TINY, tmp_path / "x", resume=True)
    assert resumed.samples.equals(found.samples)


def test_the_command_line_explores_and_discovers(stored, capsys):
    folder, _ = stored
    argv = ["explore", "--quick", "--samples", "2", "--weeks", "10", "--out", str(folder)]
    where = "drone-strikes-joint: od_deaths_per_year <= baseline"
    assert main([*argv, "--resume", "--where", where]) == 0
    out = capsys.readouterr().out
    assert "drone-strikes-joint" in out and "deterrence_strength ST" in out
    assert "Scenario discovery (PRIM)" in out and "od_deaths_per_year <= baseline" in out
    asked = json.loads((folder / "discovery.json").read_text())
    assert asked["conditions"][0]["condition"] == where
    assert main([*argv, "--resume", "--where", "drone-strikes-joint: nope < 1"]) == 2
    assert "'nope' is no outcome of drone-strikes-joint" in capsys.readouterr().err


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--samples", "3"], "--samples: 3 is not a power of 2"),
        (["--strategies", "nope"], "--strategies: nope: choose from"),
        (["--params", "start_year"], "--params: no prior for: start_year"),
        (["--by", "parameter"], "--by parameter: name the parameters with --params"),
        (["--threshold", "2"], "--threshold: 2"),
        (["--params", f"{A},{A}"], f"--params: {A} given more than once"),
        (["--where", "drone-strikes-joint: od_deth < baseline"], "did you mean od_deaths"),
        (["--where", "kingpin: od_deaths < baseline"], "'kingpin' was not explored"),
    ],
)
def test_bad_flags_are_refused_by_name(flags, message, tmp_path, capsys):
    quick = [] if flags[0] == "--by" else ["--quick"]
    assert main(["explore", *quick, *flags, "--out", str(tmp_path / "o")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
