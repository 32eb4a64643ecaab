"""Named random streams for common random numbers.

Each stochastic decision draws from its own stream, keyed by (root seed, stream name, week), so
a change that makes one process draw more or fewer numbers in one week leaves every other
draw of the run untouched: two strategies run on the same seed differ only through causes.
"""

from __future__ import annotations

import zlib

import numpy as np
from scipy.special import ndtri

WEEK_OFFSET = 1 << 20


class Streams:
    def __init__(self, seed: int):
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        self.seed = int(seed)

    def __call__(self, name: str, week: int = 0) -> np.random.Generator:
        key = zlib.crc32(name.encode())
        # Weeks before 0 (burn-in) are negative; SeedSequence takes non-negative words.
        words = [self.seed, key, week + WEEK_OFFSET]
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence(words)))


def replicate_seed(root_seed: int, replicate: int) -> int:
    """The seed of one replicate, derived from the root seed (stored with its results)."""
    seq = np.random.SeedSequence([int(root_seed), int(replicate)])
    return int(seq.generate_state(1, np.uint32)[0])


def poisson(rng: np.random.Generator, lam: np.ndarray) -> np.ndarray:
    """Poisson counts by inverting the CDF of one uniform per cell.

    One uniform per cell, whatever the rates, keeps common random numbers cell by cell: two runs
    that differ in one cell's rate draw the same counts everywhere else (NumPy's own sampler
    uses a varying number of uniforms per draw, which would reshuffle every later cell).
    """
    lam = np.asarray(lam, dtype=float)
    u = rng.random(lam.shape)
    out = np.zeros(lam.shape, np.int64)
    large = lam > 200  # exp(-λ) underflows; the normal approximation is exact enough there
    out[large] = np.maximum(np.round(lam[large] + np.sqrt(lam[large]) * ndtri(u[large])), 0)
    idx = np.flatnonzero((lam > 0) & ~large)
    term = np.exp(-lam.ravel()[idx])
    cdf = term.copy()
    k = np.zeros(idx.size, np.int64)
    flat_u, flat_lam = u.ravel()[idx], lam.ravel()[idx]
    going = np.flatnonzero(flat_u > cdf)
    while going.size:
        k[going] += 1
        term[going] *= flat_lam[going] / k[going]
        cdf[going] += term[going]
        going = going[flat_u[going] > cdf[going]]
    out.ravel()[idx] = k
    return out


def binomial(rng: np.random.Generator, n: np.ndarray, p: np.ndarray | float) -> np.ndarray:
    """Binomial counts by inverting the CDF of one uniform per cell (see `poisson`)."""
    n = np.asarray(n, dtype=np.int64)
    p = np.broadcast_to(np.asarray(p, dtype=float), n.shape)
    u = rng.random(n.shape)
    out = np.zeros(n.shape, np.int64)
    mean = n * p
    large = (mean > 200) & (n * (1 - p) > 200)  # normal approximation, exact enough there
    sd = np.sqrt(mean[large] * (1 - p[large]))
    out[large] = np.clip(np.round(mean[large] + sd * ndtri(u[large])), 0, n[large])
    full = (p >= 1) & ~large
    out[full] = n[full]
    idx = np.flatnonzero(((n > 0) & (p > 0) & (p < 1) & ~large).ravel())
    nn, pp, uu = n.ravel()[idx], p.ravel()[idx], u.ravel()[idx]
    odds = pp / (1 - pp)
    term = np.exp(nn * np.log1p(-pp))
    cdf = term.copy()
    k = np.zeros(idx.size, np.int64)
    going = np.flatnonzero((uu > cdf) & (k < nn))
    while going.size:
        term[going] *= (nn[going] - k[going]) / (k[going] + 1) * odds[going]
        k[going] += 1
        cdf[going] += term[going]
        going = going[(uu[going] > cdf[going]) & (k[going] < nn[going])]
    out.ravel()[idx] = k
    return out
