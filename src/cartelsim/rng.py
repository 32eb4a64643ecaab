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
