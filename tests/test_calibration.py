"""Calibration (issue 15): the ABC-SMC sampler is reproducible, a world's posterior is read
strictly, and each replicate's parameters come from the mode asked for."""

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from cartelsim.cli import main
from cartelsim.errors import DataError, ParameterError
from cartelsim.experiment.priors import replicate_parameters
from cartelsim.experiment.scenario import ScenarioError, parse_scenario
from cartelsim.params import SPECS, Params, Prior, spec
from cartelsim.world.posterior import load_posterior
from cartelsim.world.world import load_world, world_folder

pyabc = pytest.importorskip("pyabc")


def _toy_posterior(workers: int, seed: int = 3) -> np.ndarray:
    from cartelsim.analysis.abc_sampler import SeededSampler

    def model(p):
        return {"y": p["a"] + np.random.normal(0, 0.1)}

    abc = pyabc.ABCSMC(
        model,
        pyabc.Distribution(a=pyabc.RV("uniform", 0, 5)),
        pyabc.PNormDistance(p=2),
        population_size=12,
        sampler=SeededSampler(seed, workers),
    )
    abc.new("sqlite://", {"y": 2.5})
    history = abc.run(max_nr_populations=3)
    frame, _ = history.get_distribution()
    return frame["a"].to_numpy()


def test_the_posterior_is_the_same_for_any_number_of_workers():
    one, two = _toy_posterior(1), _toy_posterior(2)
    np.testing.assert_array_equal(one, two)
    assert abs(np.median(one) - 2.5) < 1.0  # and it learnt something: the prior is U(0, 5)
    assert not np.array_equal(one, _toy_posterior(1, seed=4))


def test_a_quick_calibration_writes_a_posterior_a_world_can_ship(tmp_path, capsys):
    out = tmp_path / "cal"
    assert main(["calibrate", "--quick", "--out", str(out)]) == 0
    posterior = load_posterior(out)
    assert posterior is not None and len(posterior.values) >= 4
    assert np.isclose(posterior.weights.sum(), 1.0)
    provenance = posterior.provenance
    assert set(provenance["fitted_targets"]) >= {"B4-2022", "B4-2023", "B3"}
    assert provenance["versions"]["pyabc"] == pyabc.__version__
    assert provenance["simulations"] >= len(posterior.values)
    assert "kept" in capsys.readouterr().out
    # A second calibration into the same folder is refused; --resume carries it on.
    assert main(["calibrate", "--quick", "--out", str(out)]) == 2
    assert "already there" in capsys.readouterr().err
    assert main(["calibrate", "--quick", "--out", str(out), "--resume", "--generations", "2"]) == 0
    resumed = load_posterior(out).provenance
    assert len(resumed["generations"]) == len(provenance["generations"]) + 1
    assert resumed["epsilon"] <= provenance["epsilon"]
    # A calibration that already meets its stopping rules only writes its posterior again.
    again = ["calibrate", "--quick", "--out", str(out), "--resume", "--generations", "2"]
    assert main(again) == 0
    assert load_posterior(out).provenance["generations"] == resumed["generations"]
    # What the particles are cannot change on resume.
    assert main([*again, "--scale", "0.03"]) == 2
    assert "made with scale 0.02" in capsys.readouterr().err


@pytest.mark.parametrize(
    "flags, message",
    [
        (["--population", "1"], "--population"),
        (["--scale", "0"], "--scale"),
        (["--resume"], "no calibration to resume"),
    ],
)
def test_bad_calibration_flags_are_refused(tmp_path, capsys, flags, message):
    assert main(["calibrate", "--quick", "--out", str(tmp_path / "c"), *flags]) == 2
    assert message in capsys.readouterr().err


def _world_with(tmp_path: Path, table: str, provenance: bool = True) -> Path:
    folder = tmp_path / "w"
    shutil.copytree(world_folder(), folder)
    (folder / "posterior.csv").write_text(table, encoding="utf-8")
    (folder / "posterior.json").unlink(missing_ok=True)
    if provenance:
        (folder / "posterior.json").write_text(json.dumps({"method": "test"}), encoding="utf-8")
    return folder


def test_a_world_reads_its_posterior(tmp_path):
    folder = _world_with(tmp_path, "labs,overdose_hazard,weight\n300,0.02,1\n900,0.03,3\n")
    posterior = load_world(folder).posterior
    assert posterior.names == ["labs", "overdose_hazard"]
    np.testing.assert_allclose(posterior.weights, [0.25, 0.75])
    picks = {posterior.row(0, r)["labs"] for r in range(40)}
    assert picks == {300, 900}  # both sets are taken, by weight


@pytest.mark.parametrize(
    "table, provenance, message",
    [
        ("labs,made_up,weight\n300,1,1\n", True, "column 'made_up' is not a parameter"),
        ("labs,weight\n300,1\n5,1\n", True, "line 3, column 'labs'"),
        ("labs\n300\n", True, "'weight' column"),
        ("labs,weight\n300,0\n", True, "weights sum to zero"),
        ("labs,weight\n300,1\n", False, "posterior.json: missing"),
    ],
)
def test_a_bad_posterior_names_the_file_and_line(tmp_path, table, provenance, message):
    folder = _world_with(tmp_path, table, provenance)
    with pytest.raises(DataError, match=message):
        load_world(folder)


def test_each_mode_takes_its_parameters_from_where_it_says():
    world = load_world()
    fixed = replicate_parameters("fixed", {"labs": 400}, {}, None, 0, 1)
    assert fixed == {"labs": 400}
    prior = replicate_parameters("prior", {"labs": 400}, {}, None, 0, 1)
    with_prior = {s.name for s in SPECS if s.prior is not None}
    assert set(prior) == with_prior and prior["labs"] == 400  # a fixed value wins
    assert prior != replicate_parameters("prior", {}, {}, None, 0, 2)
    Params(prior)  # every draw is a valid parameter set
    folder_posterior = world.posterior
    if folder_posterior is None:
        with pytest.raises(ParameterError, match="ships no posterior"):
            replicate_parameters("posterior", {}, {}, None, 0, 1)
        return
    drawn = replicate_parameters("posterior", {}, {}, folder_posterior, 0, 1)
    row = folder_posterior.row(0, 1)
    assert {k: drawn[k] for k in row} == row  # the calibrated ones from one accepted set
    assert set(drawn) == with_prior  # the others from their priors


def test_a_scenario_prior_gets_a_random_number_of_its_own():
    own = {"naloxone_effect": Prior("uniform", 0.0, 1.0)}
    declared = spec("airport_seizure_prob").prior
    shares = []
    for r in range(8):
        drawn = replicate_parameters("prior", {}, own, None, 0, r)
        u = (drawn["airport_seizure_prob"] - declared.lo) / (declared.hi - declared.lo)
        shares.append((round(drawn["naloxone_effect"], 9), round(u, 9)))
    assert all(a != b for a, b in shares)  # they once shared one uniform, in lockstep


def test_the_old_sample_priors_key_says_what_replaced_it():
    with pytest.raises(ScenarioError, match=r'run\.parameters = "prior"'):
        parse_scenario({"run": {"sample_priors": True}})
    with pytest.raises(ScenarioError, match=r"run\.parameters"):
        parse_scenario({"run": {"parameters": "guess"}})


def test_a_run_records_where_its_parameters_came_from(tmp_path, capsys):
    from cartelsim.experiment.store import read_only

    folder = _world_with(tmp_path, "labs,overdose_hazard,weight\n300,0.02,1\n900,0.03,1\n")
    out = tmp_path / "out"
    args = ["run", "--world", str(folder), "--strategies", "baseline,border-scanning"]
    args += ["--reps", "6", "--weeks", "2", "--scale", "0.02", "--workers", "1"]
    assert main([*args, "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["parameters"] == "posterior"
    with read_only(out) as store:
        assert store.meta()["parameters"] == "posterior"
        runs = store.db.execute("SELECT replicate, strategy, params FROM runs").fetchall()
    drawn = {(r, s): json.loads(p) for r, s, p in runs}
    assert {drawn[r, "baseline"]["labs"] for r in range(6)} == {300, 900}
    for r in range(6):  # both strategies of a replicate run on the same parameters
        assert drawn[r, "baseline"] == drawn[r, "border-scanning"]
    # Fixed parameters are another scenario: the store refuses to mix them.
    assert main([*args, "--out", str(out), "--parameters", "fixed", "--resume"]) == 2
    assert "results of another scenario" in capsys.readouterr().err
