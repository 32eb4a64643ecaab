"""A pyabc sampler whose every particle is seeded from (root seed, generation, index), so a
calibration gives the same posterior for any number of workers and any finishing order."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import cloudpickle
import numpy as np
from pyabc.sampler import Sampler

from cartelsim.experiment.workers import spread


class SeededSampler(Sampler):
    def __init__(
        self,
        seed: int,
        workers: int,
        client: Any = None,
        progress: Callable[[int, int, float], None] | None = None,
        log: Callable[[str], None] = lambda line: None,
    ) -> None:
        super().__init__()
        self.seed, self.workers, self.client = seed, workers, client
        self.progress, self.log = progress, log

    def sample_until_n_accepted(self, n, simulate_one, t, **_ignored):
        # `t` is −1 for pyabc's first draw from the prior, then 0, 1, ...
        task = partial(_particle, cloudpickle.dumps(simulate_one), self.sample_factory)
        items = [(i, (self.seed, t + 1, i)) for i in range(n)]
        found: dict[int, tuple[Any, int]] = {}
        started = time.perf_counter()
        for index, sample, count in spread(task, items, self.workers, self.client):
            found[index] = (sample, count)
            if self.progress:
                self.progress(len(found), n, time.perf_counter() - started)
        total = self._create_empty_sample()
        for i in range(n):
            total += found[i][0]
        self.nr_evaluations_ = sum(count for _, count in found.values())
        self.log(
            f"generation {t + 1}: {n} accepted of {self.nr_evaluations_} runs "
            f"({n / self.nr_evaluations_:.0%}) in {time.perf_counter() - started:.0f} s"
        )
        return total


def _particle(pickled: bytes, factory: Any, item: tuple[int, tuple[int, int, int]]):
    """Simulate until one particle is accepted, from this particle's own seed."""
    index, key = item
    simulate_one = cloudpickle.loads(pickled)
    seed = int(np.random.SeedSequence(list(key)).generate_state(1)[0])
    np.random.seed(seed)
    random.seed(seed)
    sample, count = factory(), 0
    while True:
        particle = simulate_one()
        count += 1
        sample.append(particle)
        if particle.accepted:
            return index, sample, count
