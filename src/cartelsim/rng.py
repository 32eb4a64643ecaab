"""Named random streams for common random numbers.

Each stochastic decision draws from its own stream, keyed by (root seed, stream name, week), so
a change that makes one process draw more or fewer numbers in one week leaves every other
draw of the run untouched: two strategies run on the same seed differ only through causes.
"""

from __future__ import annotations

import zlib

import numpy as np
from scipy.special import bdtr, ndtri, pdtr

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
    idx = np.flatnonzero(lam.ravel() > 0)
    if idx.size:
        mu, uu = lam.ravel()[idx], u.ravel()[idx]
        out.ravel()[idx] = _invert(uu, mu + np.sqrt(mu) * ndtri(uu), lambda k: pdtr(k, mu), np.inf)
    return out


def binomial(rng: np.random.Generator, n: np.ndarray, p: np.ndarray | float) -> np.ndarray:
    """Binomial counts by inverting the CDF of one uniform per cell (see `poisson`)."""
    n = np.asarray(n, dtype=np.int64)
    return binomial_from(rng.random(n.shape), n, p)


def binomial_from(u: np.ndarray, n: np.ndarray, p: np.ndarray | float) -> np.ndarray:
    """Binomial counts from given uniforms: for drawing a fixed number of uniforms and
    using only those of the cells that need one."""
    n = np.asarray(n, dtype=np.int64)
    p = np.broadcast_to(np.asarray(p, dtype=float), n.shape)
    out = np.zeros(n.shape, np.int64)
    full = (p >= 1) & (n > 0)
    out[full] = n[full]
    idx = np.flatnonzero(((n > 0) & (p > 0) & (p < 1)).ravel())
    if idx.size:
        nn, pp, uu = n.ravel()[idx], p.ravel()[idx], u.ravel()[idx]
        guess = nn * pp + np.sqrt(nn * pp * (1 - pp)) * ndtri(uu)
        out.ravel()[idx] = _invert(uu, guess, lambda k: bdtr(k, nn, pp), nn)
    return out


def _invert(u: np.ndarray, guess: np.ndarray, cdf, top) -> np.ndarray:
    """The smallest k with cdf(k) ≥ u, searched from a normal guess (a step or two)."""
    k = np.clip(np.floor(guess), 0, top)
    below = cdf(k) < u
    while below.any():  # too low: step up
        k = np.where(below, k + 1, k)
        below = cdf(k) < u
    above = (k > 0) & (cdf(k - 1) >= u)
    while above.any():  # too high: step down
        k = np.where(above, k - 1, k)
        above = (k > 0) & (cdf(k - 1) >= u)
    return k.astype(np.int64)
