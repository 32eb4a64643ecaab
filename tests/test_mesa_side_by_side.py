"""The Mesa side-by-side benchmark (issue 17): both versions of the organizations' core follow
the deterministic peer model within the noise that their Poisson and binomial draws predict, and
the cartelsim version keeps its headcount. No timings are asserted."""

import contextlib
import importlib.util
import io
import math
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("mesa")

PATH = Path(__file__).resolve().parents[1] / "benchmarks" / "mesa_side_by_side.py"
SCALE, WEEKS, SEEDS = 0.05, 20, 10
Z = 4.0  # standard errors allowed between the mean over seeds and the reference


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("mesa_side_by_side", PATH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being made
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def scenario(bench):
    params, network = bench.ReferenceParams(), bench.load_group_network()
    start = bench.start_agents(SCALE, params, network)
    rates = bench.AgentRates.at_scale(SCALE, params, network)
    ref = bench.reference_trajectory(start, rates, WEEKS, params, network)
    return start, rates, ref, bench.expected_variance(ref)


def cumulative(bench, trajectory) -> dict[str, np.ndarray]:
    flows = {name: np.cumsum(getattr(trajectory, name)) for name in bench.FLOWS}
    return {"members": np.asarray(trajectory.members, float)} | flows


@pytest.mark.parametrize("version", ["mesa", "cartelsim"])
def test_follows_the_reference_within_noise(bench, scenario, version):
    start, rates, ref, variance = scenario
    runner = bench.RUNNERS[version]
    runs = [cumulative(bench, runner(start, rates, WEEKS, seed)[0]) for seed in range(SEEDS)]
    want = cumulative(bench, ref)
    assert want["members"][0] == start.sum() == runs[0]["members"][0]
    for name, expected in want.items():
        values = np.array([run[name] for run in runs])  # (seeds, weeks or weeks + 1)
        assert values.shape[1] == expected.size
        mean = values.mean(axis=0)
        se = np.sqrt(variance[name] / SEEDS)
        # Every week's members and running flow totals: the mean over seeds within Z predicted
        # standard errors of the reference (at 0.05 over 20 weeks, Z s.e. is ±28 of 5,837 members,
        # ±22 of 293 recruits, ±13 of 110 incapacitated, ±10 of 68 killed, ±7 of 28 saturated).
        moving = se > 0
        z = (mean[moving] - expected[moving]) / se[moving]
        assert np.abs(z).max() < Z, (name, np.round(z, 2))
        # And the spread is the predicted one, not none or far more (10 seeds: a 99% band).
        ratio = values[:, -1].std(ddof=1) / math.sqrt(variance[name][-1])
        assert 0.4 < ratio < 1.8, (name, ratio)


def test_the_flows_are_not_trivial(scenario):
    """Each flow the check covers is several predicted standard errors away from zero over the
    run, so dropping one of them would fail the test above."""
    _, _, ref, variance = scenario
    for name, values in variance.items():
        total = ref.totals()[name]
        assert total / math.sqrt(values[-1] / SEEDS) > 3 * Z, name


def test_cartelsim_version_conserves_headcount(bench, scenario):
    start, rates, _, _ = scenario
    core = bench.ArrayCore(start, rates, seed=7)
    for week in range(WEEKS):
        core.step(week)
        t = core.trajectory
        losses = sum(sum(getattr(t, name)) for name in ("incapacitated", "killed", "saturated"))
        active = int(np.count_nonzero(core.members.status == bench.Status.ACTIVE))
        assert start.sum() + sum(t.recruits) - losses == t.members[-1] == active
        assert core.headcount_error() == 0
        assert (
            core.roster.counts[:, 0]
            == np.bincount(
                core.members.org[core.members.status == bench.Status.ACTIVE], minlength=start.size
            )
        ).all()


def test_quick_run_prints_the_table_and_passes(bench):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = bench.main(["--quick"])
    text = out.getvalue()
    assert code == 0, text
    assert "| 0.01 | 1,150 |" in text
    assert "PASS" in text
