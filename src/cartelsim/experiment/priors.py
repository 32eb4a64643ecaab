"""Each replicate's parameters: fixed, drawn from the priors, or taken from the posterior."""

from __future__ import annotations

import math

import numpy as np

from cartelsim.errors import ParameterError
from cartelsim.params import SPECS, Prior, spec
from cartelsim.world.posterior import Posterior

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


def replicate_parameters(
    mode: str,
    params: dict[str, float],
    priors: dict[str, Prior],
    posterior: Posterior | None,
    root_seed: int,
    replicate: int,
) -> dict[str, float]:
    """One replicate's parameters, the same for every strategy. `fixed`: the defaults. `prior`:
    every parameter with a prior drawn from it. `posterior`: as `prior`, then the calibrated
    parameters from one accepted set of the world's posterior. In every mode the scenario's
    own priors are drawn next, and its fixed values win."""
    values: dict[str, float] = {}
    if mode in ("prior", "posterior"):
        values = draw({s.name: s.prior for s in SPECS if s.prior is not None}, root_seed, replicate)
    if mode == "posterior":
        if posterior is None:
            raise ParameterError("parameters = 'posterior', but the world ships no posterior")
        values.update(posterior.row(root_seed, replicate))
    values.update(draw(priors, root_seed, replicate))
    return {k: v for k, v in values.items() if k not in params} | params
