"""Named random streams for common random numbers.

Each stochastic decision draws from its own stream, keyed by (root seed, stream name, week), so
a change that makes one process draw more or fewer numbers in one week leaves every other
draw of the run untouched: two strategies run on the same seed differ only through causes.
"""

from __future__ import annotations

import zlib

import numpy as np

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
