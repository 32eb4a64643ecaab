"""The count draws and the named streams: compiled inversion equal to SciPy's CDFs, one uniform
per cell, streams equal to NumPy's SeedSequence."""

import zlib

import numpy as np
import pytest
from scipy import stats
from scipy.special import bdtr, ndtri, pdtr

from cartelsim import rng as R


def _scipy_poisson(u, mu):
    guess = mu + np.sqrt(mu) * ndtri(u)
    return R._invert(u, guess, mu.max(), mu, pdtr, (mu,), np.inf)


def _scipy_binomial(u, n, p):
    mean = n * p
    guess = mean + np.sqrt(mean * (1 - p)) * ndtri(u)
    return R._invert(u, guess, n.max(), mean, bdtr, (n, p), n)


def test_compiled_poisson_draws_equal_the_inversion_of_scipys_cdf():
    g = np.random.default_rng(0)
    mu = np.exp(g.uniform(np.log(1e-9), np.log(R.SUMMED_UP_TO), 200_000))
    u = g.random(mu.size)
    assert np.array_equal(R._poisson_cells(u, mu), _scipy_poisson(u, mu))


def test_compiled_binomial_draws_equal_the_inversion_of_scipys_cdf():
    g = np.random.default_rng(1)
    n = np.floor(np.exp(g.uniform(0, np.log(2e5), 200_000))).astype(np.int64)
    p = np.exp(g.uniform(np.log(1e-7), np.log(0.999), n.size))
    n = np.where(n * p > R.SUMMED_UP_TO, 50, n)
    u = g.random(n.size)
    assert np.array_equal(R._binomial_cells(u, n, p), _scipy_binomial(u, n, p))


def test_each_count_is_the_smallest_whose_cdf_reaches_its_uniform():
    g = np.random.default_rng(2)
    mu = np.array([0.01, 0.7, 3.0, 45.0, 900.0, 2e4, 3e6, 1e14])  # the last two: SciPy's path
    lam = np.repeat(mu, 500)
    k = R.poisson(np.random.default_rng(3), lam)
    u = np.random.default_rng(3).random(lam.size)
    exact = lam < R.NORMAL_FROM
    assert (pdtr(k[exact], lam[exact]) >= u[exact]).all()
    below = pdtr(np.maximum(k[exact] - 1, 0), lam[exact]) < u[exact]
    assert ((k[exact] == 0) | below).all()
    huge = ~exact  # the normal quantile, to float precision
    assert np.allclose(k[huge], lam[huge] + np.sqrt(lam[huge]) * ndtri(u[huge]), rtol=1e-12)
    n = g.integers(1, 10**6, 4000)
    p = g.random(n.size)
    b = R.binomial_from(np.random.default_rng(4).random(n.size), n, p)
    u = np.random.default_rng(4).random(n.size)
    assert (bdtr(b, n, p) >= u).all()
    assert ((b == 0) | (bdtr(np.maximum(b - 1, 0), n, p) < u)).all()


def test_the_counts_follow_their_distributions():
    draws = R.poisson(np.random.default_rng(5), np.full(20_000, 3.7))
    seen = np.bincount(draws, minlength=15)[:15]
    expected = stats.poisson.pmf(np.arange(15), 3.7) * draws.size
    assert stats.chisquare(seen, expected * seen.sum() / expected.sum()).pvalue > 0.001
    draws = R.binomial_from(np.random.default_rng(6).random(20_000), np.full(20_000, 12), 0.3)
    seen = np.bincount(draws, minlength=13)
    expected = stats.binom.pmf(np.arange(13), 12, 0.3) * draws.size
    assert stats.chisquare(seen, expected).pvalue > 0.001


def test_edge_cases_of_the_counts():
    n = np.array([0, 5, 5, 5, 7])
    p = np.array([0.5, 0.0, np.nan, 1.0, 2.0])
    assert R.binomial_from(np.random.default_rng(0).random(5), n, p).tolist() == [0, 0, 0, 5, 7]
    lam = np.array([0.0, -1.0, np.nan])
    assert R.poisson(np.random.default_rng(0), lam).tolist() == [0, 0, 0]
    with pytest.raises(ValueError, match="not finite"):
        R.poisson(np.random.default_rng(0), np.array([1.0, np.inf]))


def test_one_uniform_per_cell_keeps_the_other_cells_draws():
    lam = np.random.default_rng(7).uniform(0, 30, (40, 50))
    moved = lam.copy()
    moved[3, 4] *= 10  # one cell's rate changes, in a run paired with the first
    a = R.poisson(np.random.default_rng(8), lam)
    b = R.poisson(np.random.default_rng(8), moved)
    differ = a != b
    assert differ[3, 4] and differ.sum() == 1


def test_streams_equal_numpys_seed_sequence():
    g = np.random.default_rng(9)
    for _ in range(2000):
        words = [int(w) for w in g.integers(0, 2**32, 3)]
        words[0] = 0 if g.random() < 0.1 else words[0]
        assert np.array_equal(
            R._seed_sequence_state(*words),
            np.random.SeedSequence(words).generate_state(4, np.uint64),
        )
    for seed in (0, 7, 2**32 - 1, 2**40 + 3):  # the last beyond 32 bits: SeedSequence itself
        words = [seed, zlib.crc32(b"violence.deaths"), -3 + R.WEEK_OFFSET]
        expected = np.random.Generator(np.random.PCG64(np.random.SeedSequence(words)))
        assert np.array_equal(R.Streams(seed)("violence.deaths", -3).random(5), expected.random(5))
