"""Morris screening (issue 15, item 2): the effects it reports are the model's."""

import pytest

from cartelsim.analysis.screening import TARGETS, problem, screen
from cartelsim.cli import main

NAMES = ["overdose_hazard", "scan_gain", "relapse_per_year"]


@pytest.fixture(scope="module")
def table():
    return screen(trajectories=2, scale=0.02, names=NAMES, seed=3)


def test_every_target_gets_every_parameter_ranked(table):
    assert set(table["target"]) == set(TARGETS)
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
    one = screen(trajectories=2, scale=0.02, names=["scan_gain"], seed=4)
    two = screen(trajectories=2, scale=0.02, names=["scan_gain"], seed=4, workers=2)
    assert one.equals(two)


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
