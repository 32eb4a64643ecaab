"""Drawing the uncertain parameters of one replicate from their priors."""

from __future__ import annotations

import math

import numpy as np

from cartelsim.params import Prior, spec

PRIOR_STREAM = 0x5052494F  # keeps prior draws apart from the model's own streams


def draw(priors: dict[str, Prior], root_seed: int, replicate: int) -> dict[str, float]:
    """One value per uncertain parameter; the same for every strategy of the replicate."""
    rng = np.random.default_rng([root_seed, replicate, PRIOR_STREAM])
    out = {}
    for name in sorted(priors):  # a fixed order, so adding a prior does not shift the others
        p = priors[name]
        u = rng.random()
        if p.dist == "uniform":
            value = p.lo + u * (p.hi - p.lo)
        elif p.dist == "loguniform":
            value = math.exp(math.log(p.lo) + u * (math.log(p.hi) - math.log(p.lo)))
        else:
            value = _triangular(u, p.lo, p.mode, p.hi)
        out[name] = round(value) if spec(name).integer else value
    return out


def _triangular(u: float, lo: float, mode: float, hi: float) -> float:
    if hi == lo:
        return lo
    cut = (mode - lo) / (hi - lo)
    if u < cut:
        return lo + math.sqrt(u * (hi - lo) * (mode - lo))
    return hi - math.sqrt((1 - u) * (hi - lo) * (hi - mode))
