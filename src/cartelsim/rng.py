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


def salib_seed(root_seed: int) -> int:
    """A seed for SALib's bootstraps derived from the root seed: SALib takes a seed of 0 for
    none and draws from the global generator, so its intervals would change run to run."""
    return replicate_seed(root_seed, 0x5A11B) | 1


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
        largest = mu.max()
        if not largest < np.inf:  # a bug upstream: stop there rather than draw nonsense
            raise ValueError("a Poisson rate is not finite")
        guess = mu + np.sqrt(mu) * ndtri(uu)
        out.ravel()[idx] = _invert(uu, guess, largest, mu, pdtr, (mu,), np.inf)
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
        mean = nn * pp
        guess = mean + np.sqrt(mean * (1 - pp)) * ndtri(uu)
        out.ravel()[idx] = _invert(uu, guess, nn.max(), mean, bdtr, (nn, pp), nn)
    return out


FAST_STEPS = 16  # steps from the normal guess before the search turns to bisection
NORMAL_FROM = 1e12  # mean above which the normal quantile is the count, to float precision


def _invert(u, guess, bound: float, mean, cdf, args: tuple, top) -> np.ndarray:
    """The smallest k with cdf(k, *args) ≥ u, searched from a normal guess (a step or two).
    Where the guess is far off, bisection ends the search in O(log k) steps; a mean beyond
    NORMAL_FROM (`bound` caps every mean) takes the guess itself as the count, so no mean can
    make the search run long."""
    k = np.clip(np.floor(guess), 0, top)
    if bound > NORMAL_FROM:
        return _with_huge_means(u, guess, k, mean, cdf, args, top)
    below = cdf(k, *args) < u
    for _ in range(FAST_STEPS):  # too low: step up
        if not below.any():
            break
        k = np.where(below, k + 1, k)
        below = cdf(k, *args) < u
    else:
        return _bisect(u, cdf, args, top, k)
    above = (k > 0) & (cdf(k - 1, *args) >= u)
    for _ in range(FAST_STEPS):  # too high: step down
        if not above.any():
            return k.astype(np.int64)
        k = np.where(above, k - 1, k)
        above = (k > 0) & (cdf(k - 1, *args) >= u)
    return k.astype(np.int64) if not above.any() else _bisect(u, cdf, args, top, k)


def _with_huge_means(u, guess, k, mean, cdf, args: tuple, top) -> np.ndarray:
    """The normal quantile where the mean is beyond NORMAL_FROM, the exact search elsewhere."""
    out = np.minimum(k, np.iinfo(np.int64).max // 2).astype(np.int64)
    rest = mean <= NORMAL_FROM
    if rest.any():
        top = np.broadcast_to(np.asarray(top, dtype=float), u.shape)[rest]
        sub = [a[rest] for a in args]
        out[rest] = _invert(u[rest], guess[rest], 0.0, mean[rest], cdf, sub, top)
    return out


def _bisect(u, cdf, args: tuple, top, start) -> np.ndarray:
    """The smallest k with cdf(k) ≥ u, by bisection between -1 and a bound found by doubling
    (every k here is below 2**53, so halving always makes progress)."""
    hi = np.maximum(start, 1.0)
    low = cdf(hi, *args) < u
    while low.any():
        hi = np.where(low, np.minimum(hi * 2, top), hi)
        low = cdf(hi, *args) < u
    lo = np.full_like(hi, -1.0)
    while np.any(hi - lo > 1):
        mid = np.floor((lo + hi) / 2)
        ok = cdf(mid, *args) >= u
        hi, lo = np.where(ok, mid, hi), np.where(ok, lo, mid)
    return hi.astype(np.int64)
