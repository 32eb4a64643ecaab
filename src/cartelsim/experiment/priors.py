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
    for name in sorted(priors):  # a fixed order: the same names always get the same numbers
        value = quantile(priors[name], rng.random())
        out[name] = round(value) if spec(name).integer else value
    return out


def quantile(p: Prior, u: float) -> float:
    """The prior's value at cumulative probability u (inverse CDF)."""
    if p.dist == "uniform":
        return p.lo + u * (p.hi - p.lo)
    if p.dist == "loguniform":
        return math.exp(math.log(p.lo) + u * (math.log(p.hi) - math.log(p.lo)))
    if p.hi == p.lo:
        return p.lo
    cut = (p.mode - p.lo) / (p.hi - p.lo)
    if u < cut:
        return p.lo + math.sqrt(u * (p.hi - p.lo) * (p.mode - p.lo))
    return p.hi - math.sqrt((1 - u) * (p.hi - p.lo) * (p.hi - p.mode))


def default_mode(posterior: Posterior | None) -> str:
    """The world's posterior where it ships one, else the fixed defaults."""
    return "posterior" if posterior is not None else "fixed"


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
    own priors replace the declared ones (one draw, so no two share a random number), and its
    fixed values win."""
    declared = {s.name: s.prior for s in SPECS if s.prior is not None}
    values = draw(
        {**(declared if mode in ("prior", "posterior") else {}), **priors}, root_seed, replicate
    )
    if mode == "posterior":
        if posterior is None:
            raise ParameterError("parameters = 'posterior', but the world ships no posterior")
        row = posterior.row(root_seed, replicate)
        values.update({k: v for k, v in row.items() if k not in priors})
    return {k: v for k, v in values.items() if k not in params} | params
