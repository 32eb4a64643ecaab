"""The EMA Workbench adapter (issue 16, item 3): perform_experiments and prim on a small design."""

import warnings

import numpy as np
import pytest

pytest.importorskip("ema_workbench")
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from ema_workbench import ScalarOutcome, perform_experiments
    from ema_workbench.analysis import prim

from cartelsim import ema
from cartelsim.params import SPECS


@pytest.fixture(scope="module")
def design():
    m = ema.model(["harm-reduction"], weeks=6, scale=0.02)
    experiments, outcomes = perform_experiments(m, scenarios=6, policies=2)
    return m, experiments, outcomes


def test_the_model_declares_priors_levers_and_outcomes_with_their_direction(design):
    m, _, _ = design
    assert {u.name for u in m.uncertainties} == {s.name for s in SPECS if s.prior is not None}
    assert [lever.name for lever in m.levers] == [
        "harm-reduction.naloxone",
        "harm-reduction.treatment",
    ]
    kinds = {o.name: o.kind for o in m.outcomes}
    assert kinds["harm-reduction.od_deaths_per_year"] == ScalarOutcome.MINIMIZE
    assert kinds["harm-reduction.cooperation_end"] == ScalarOutcome.MAXIMIZE
    assert kinds["baseline.od_deaths_per_year"] == ScalarOutcome.INFO


def test_an_experiment_is_the_run_cartelsim_gives_for_its_values(design):
    m, experiments, outcomes = design
    assert len(experiments) == 12
    row = experiments.iloc[3]
    names = [u.name for u in m.uncertainties] + [lever.name for lever in m.levers]
    again = m.function(**{k: row[k] for k in names})
    for key, values in outcomes.items():
        assert again[key] == pytest.approx(values[3]), key
    # The levers act: naloxone's intensity differs between experiments, and so do deaths.
    effect = outcomes["harm-reduction.od_deaths_per_year"]
    assert np.ptp(experiments["harm-reduction.naloxone"]) > 0 and np.ptp(effect) > 0
    assert (effect < 0).all()  # more naloxone and treatment never add deaths


def test_prim_finds_a_box_in_the_uncertainties(design):
    m, experiments, outcomes = design
    x = experiments[[u.name for u in m.uncertainties]]
    deaths = outcomes["baseline.od_deaths_per_year"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        box = prim.Prim(x, deaths > np.median(deaths), threshold=0.6).find_box()
    limits = box.box_lims[-1]
    assert set(limits.columns) <= set(x.columns)
    assert 0 < box.coverage <= 1 and 0 < box.density <= 1
