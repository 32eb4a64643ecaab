"""Morris screening (issue 15, item 2): the effects it reports are the model's."""

import numpy as np
import pytest

from cartelsim.analysis.screening import BASELINE, problem, screen
from cartelsim.cli import main
from cartelsim.params import SPECS, section

NAMES = ["overdose_hazard", "scan_gain", "relapse_per_year"]


@pytest.fixture(scope="module")
def table():
    return screen(trajectories=2, scale=0.02, names=NAMES, seed=3)


def test_every_target_gets_every_parameter_ranked(table):
    assert set(table["target"]) == set(BASELINE)
    for _, rows in table.groupby("target"):
        assert sorted(rows["parameter"]) == sorted(NAMES)
        assert rows["rank"].min() == 1 and (rows["mu_star"] >= 0).all()


def test_the_screen_finds_the_mechanisms(table):
    """The overdose hazard moves deaths most; scanning moves seizures most; neither the hazard
    nor relapse acts on CBP's seizure shares by ports as much as the scan gain does."""
    top = table[table["rank"] == 1].set_index("target")["parameter"]
    assert top["B4-2024"] == "overdose_hazard" and top["B5"] == "scan_gain"
    deaths = table[table["target"] == "B4-2022"].set_index("parameter")["mu_star"]
    assert deaths["overdose_hazard"] > 5 * deaths["scan_gain"]


def test_the_screen_is_reproducible_for_any_number_of_workers():
    """(On the precursor experiment: two runs of two years a sample, the cheapest.)"""
    kwargs = {"trajectories": 2, "scale": 0.02, "seed": 4, "target_sets": ("precursors",)}
    one = screen(names=["precursor_adaptation_weeks"], **kwargs)
    two = screen(names=["precursor_adaptation_weeks"], workers=2, **kwargs)
    assert one.equals(two) and one["mu_star"].iat[0] > 0


def test_the_problem_spans_every_prior():
    everything = problem()
    assert everything["num_vars"] > 100 and len(everything["bounds"]) == everything["num_vars"]
    with pytest.raises(ValueError, match="no prior for: start_year"):
        problem(["start_year"])


def test_bad_flags_are_refused_by_name(capsys):
    assert main(["screen", "--params", "overdose_hazard,nope"]) == 2
    assert "--params: no prior for: nope" in capsys.readouterr().err
    assert main(["screen", "--trajectories", "1"]) == 2
    assert "--trajectories: 1 is out of range" in capsys.readouterr().err


def test_the_progress_bar_counts_in_its_unit():
    import io

    from cartelsim.experiment.ensemble import progress_bar

    out = io.StringIO()
    progress_bar(out, unit="samples")(3, 10, 6.0)
    assert "3/10 samples" in out.getvalue() and "ETA 0:14" in out.getvalue()


def test_an_experiment_screen_finds_its_mechanism():
    """Civilians per strike rest on the civilians each strike kills, not on port scanning."""
    table = screen(
        trajectories=2,
        scale=0.05,
        names=["collateral_civilians", "scan_gain"],
        seed=3,
        target_sets=("strikes",),
    )
    assert set(table["target"]) == {"R8", "B14-deaths", "B14-civilians"}
    civilians = table[table["target"] == "B14-civilians"].set_index("parameter")
    assert (
        civilians.at["collateral_civilians", "mu_star"] > 3 * civilians.at["scan_gain", "mu_star"]
    )
    assert (civilians["effects"] <= 2).all() and civilians["effects"].sum() >= 3


def test_sections_move_as_one_factor():
    grouped = problem(["labs", "lab_capacity_kg_week", "scan_gain"], grouped=True)
    assert grouped["groups"] == ["production", "production", "crossing"]
    assert {section(s.name) for s in SPECS if s.prior is not None} >= {
        "precursors",
        "organizations",
        "policy levers: costs",
    }


def test_the_elementary_effects_are_salibs_and_survive_an_undefined_run():
    """On a complete sample they are SALib's; a run with no value drops only its two steps."""
    from SALib.analyze import morris as analyze
    from SALib.sample import morris as sample

    from cartelsim.analysis.screening import _salib, elementary_effects, morris_statistics

    spec = problem(["labs", "scan_gain", "overdose_hazard"])
    x = sample.sample(_salib(spec), 6, num_levels=4, seed=1)
    y = x[:, 0] ** 2 / 1e4 + 3 * x[:, 1] * x[:, 2]
    effects = elementary_effects(spec, x, y, 4)
    ours = morris_statistics(effects, seed=1)
    theirs = analyze.analyze(_salib(spec), x, y, num_levels=4, seed=1)
    assert np.allclose(ours["mu_star"], theirs["mu_star"])
    assert np.allclose(ours["sigma"], theirs["sigma"])
    y[5] = np.nan  # trajectory 2, its second row: the steps into and out of it are undefined
    hole = morris_statistics(elementary_effects(spec, x, y, 4), seed=1)
    assert sum(hole["effects"]) == 6 * 3 - 2 and np.isfinite(hole["mu_star"]).all()
