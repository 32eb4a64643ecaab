"""Named random streams for common random numbers.

Each stochastic decision draws from its own stream, keyed by (root seed, stream name, week), so
a change that makes one process draw more or fewer numbers in one week leaves every other
draw of the run untouched: two strategies run on the same seed differ only through causes.
"""

from __future__ import annotations

import math
import zlib

import numpy as np
from numba import njit
from numpy.random.bit_generator import ISeedSequence
from scipy.special import bdtr, ndtri, pdtr

WEEK_OFFSET = 1 << 20


class Streams:
    def __init__(self, seed: int):
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
        self.seed = int(seed)
        self.keys: dict[str, int] = {}

    def __call__(self, name: str, week: int = 0) -> np.random.Generator:
        key = self.keys.get(name)
        if key is None:
            key = self.keys[name] = zlib.crc32(name.encode())
        # Weeks before 0 (burn-in) are negative; SeedSequence takes non-negative words.
        if self.seed > WORD:  # a seed beyond 32 bits: SeedSequence splits it into words
            words = [self.seed, key, week + WEEK_OFFSET]
            return np.random.Generator(np.random.PCG64(np.random.SeedSequence(words)))
        state = _seed_sequence_state(self.seed, key, week + WEEK_OFFSET)
        return np.random.Generator(np.random.PCG64(_Hashed(state)))


class _Hashed(ISeedSequence):
    """The state NumPy's SeedSequence would give PCG64, hashed ahead (in compiled code: building
    a SeedSequence costs more than most of the draws made from a stream)."""

    __slots__ = ("state",)

    def __init__(self, state: np.ndarray):
        self.state = state

    def generate_state(self, n_words: int, dtype=np.uint32) -> np.ndarray:
        if n_words != 4 or np.dtype(dtype) != np.uint64:
            raise ValueError("hashed ahead for PCG64 only")
        return self.state


WORD = 0xFFFFFFFF
# NumPy's SeedSequence constants (numpy/random/bit_generator.pyx, after O'Neill's seed_seq_fe).
INIT_A, MULT_A, INIT_B, MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
MIX_MULT_L, MIX_MULT_R, POOL = 0xCA01F9DD, 0x4973F715, 4


@njit(cache=True)
def _seed_sequence_state(seed, key, week):
    """SeedSequence([seed, key, week]).generate_state(4, np.uint64), each a 32-bit word."""
    words = (np.uint64(seed), np.uint64(key), np.uint64(week), np.uint64(0))
    pool = np.zeros(POOL, np.uint64)
    hash_const = np.uint64(INIT_A)
    for i in range(POOL):
        value = words[i]
        value, hash_const = _hashmix(value, hash_const)
        pool[i] = value
    for i_src in range(POOL):
        for i_dst in range(POOL):
            if i_src != i_dst:
                hashed, hash_const = _hashmix(pool[i_src], hash_const)
                pool[i_dst] = _mix(pool[i_dst], hashed)
    out = np.zeros(4, np.uint64)
    hash_const = np.uint64(INIT_B)
    for i in range(8):
        value = pool[i % POOL] ^ hash_const
        hash_const = (hash_const * np.uint64(MULT_B)) & np.uint64(WORD)
        value = (value * hash_const) & np.uint64(WORD)
        value ^= value >> np.uint64(16)
        out[i // 2] |= value << np.uint64(32 * (i % 2))
    return out


@njit(cache=True)
def _hashmix(value, hash_const):
    value ^= hash_const
    hash_const = (hash_const * np.uint64(MULT_A)) & np.uint64(WORD)
    value = (value * hash_const) & np.uint64(WORD)
    return value ^ (value >> np.uint64(16)), hash_const


@njit(cache=True)
def _mix(x, y):
    result = (np.uint64(MIX_MULT_L) * x - np.uint64(MIX_MULT_R) * y) & np.uint64(WORD)
    return result ^ (result >> np.uint64(16))


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
    lam = np.ascontiguousarray(lam, dtype=float)
    u = rng.random(lam.shape)
    out = _poisson_cells(u.ravel(), lam.ravel())
    if (out < 0).any():  # rates beyond SUMMED_UP_TO
        rest = np.flatnonzero(out < 0)
        mu, uu = lam.ravel()[rest], u.ravel()[rest]
        largest = mu.max()
        if not largest < np.inf:  # a bug upstream: stop there rather than draw nonsense
            raise ValueError("a Poisson rate is not finite")
        guess = mu + np.sqrt(mu) * ndtri(uu)
        out[rest] = _invert(uu, guess, largest, mu, pdtr, (mu,), np.inf)
    return out.reshape(lam.shape)


def binomial_from(u: np.ndarray, n: np.ndarray, p: np.ndarray | float) -> np.ndarray:
    """Binomial counts by inverting the CDF of one given uniform per cell (see `poisson`): the
    caller draws them, so that a cell keeps its uniform whether or not it needs one."""
    n = np.ascontiguousarray(n, dtype=np.int64)
    p = np.ascontiguousarray(np.broadcast_to(np.asarray(p, dtype=float), n.shape))
    out = _binomial_cells(np.ascontiguousarray(u).ravel(), n.ravel(), p.ravel())
    if (out < 0).any():  # means beyond SUMMED_UP_TO
        rest = np.flatnonzero(out < 0)
        nn, pp, uu = n.ravel()[rest], p.ravel()[rest], u.ravel()[rest]
        mean = nn * pp
        guess = mean + np.sqrt(mean * (1 - pp)) * ndtri(uu)
        out[rest] = _invert(uu, guess, nn.max(), mean, bdtr, (nn, pp), nn)
    return out.reshape(n.shape)


# Means up to this are inverted by summing the probabilities in compiled code (a few dozen terms
# around the mean, exact to rounding); larger ones (-1 from the compiled loops) by the
# vectorised search on SciPy's CDFs.
SUMMED_UP_TO = 1e5
TAIL = 1e-20  # terms this small against the mode's no longer change a sum in double precision


@njit(cache=True)
def _poisson_cells(u, lam):
    out = np.zeros(u.size, np.int64)
    for i in range(u.size):
        mu = lam[i]
        if not mu > 0:
            continue
        if not mu <= SUMMED_UP_TO:
            out[i] = -1
            continue
        m = math.floor(mu)
        log_mode = m * math.log(mu) - mu - math.lgamma(m + 1.0)
        out[i] = _search(u[i], m, math.exp(log_mode), mu, 0.0, 0.0, -1.0)
    return out


@njit(cache=True)
def _binomial_cells(u, n, p):
    out = np.zeros(u.size, np.int64)
    for i in range(u.size):
        if 0.0 < p[i] < 1.0 and n[i] * p[i] > SUMMED_UP_TO:
            out[i] = -1
        else:
            out[i] = binomial_one(u[i], n[i], p[i])
    return out


@njit(cache=True)
def binomial_one(u: float, n: int, p: float) -> int:
    """One binomial count from its uniform, for compiled loops: 0 where n ≤ 0 or p is not
    above 0, n where p ≥ 1; summed at any mean (callers that must match SciPy's CDFs exactly
    send means beyond SUMMED_UP_TO there instead)."""
    if n <= 0 or not p > 0.0:
        return 0
    if p >= 1.0:
        return n
    m = min(math.floor(n * p), n)
    log_mode = (
        math.lgamma(n + 1.0)
        - math.lgamma(m + 1.0)
        - math.lgamma(n - m + 1.0)
        + m * math.log(p)
        + (n - m) * math.log1p(-p)
    )
    return _search(u, m, math.exp(log_mode), 0.0, float(n), p / (1.0 - p), float(n))


@njit(cache=True)
def _search(u, mode, at_mode, mu, n, odds, top):
    """The smallest k with P(X ≤ k) ≥ u, the pmf summed outward from the mode by its ratio
    recurrence: Poisson when mu > 0 (pmf(k+1) = pmf(k)·mu/(k+1)), else binomial(n, odds)
    (pmf(k+1) = pmf(k)·odds·(n−k)/(k+1)); top is the largest count (−1: none)."""
    # The lower tail, from the smallest term that matters up to the mode, summed in rising
    # order so that rounding does not depend on where the walk started.
    low = mode
    term = at_mode
    while low > 0:
        down = term * low / mu if mu > 0 else term * low / (odds * (n - low + 1.0))
        if down < TAIL * at_mode:
            break
        term = down
        low -= 1
    cdf = 0.0
    k = low
    while True:
        cdf += term
        if cdf >= u or k == top or (k > mode and term < TAIL * at_mode):
            return k
        term = term * mu / (k + 1.0) if mu > 0 else term * odds * (n - k) / (k + 1.0)
        k += 1


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
