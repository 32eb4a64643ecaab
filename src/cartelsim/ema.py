"""cartelsim as an EMA Workbench model (issue 16): `model(strategies)` gives the uncertainties
(every parameter with a prior, over its prior's range), the levers (the intensity of each lever
setting of the strategies) and the outcomes (each headline outcome's paired change against the
baseline, with the direction in which it improves), so an EMA user runs cartelsim with
`perform_experiments`, `prim`, many-objective search and the rest.

Every experiment runs on the same seed (common random numbers): an outcome is then a function of
the uncertainties and levers alone, which scenario discovery needs. Install with
`pip install 'cartelsim[ema]'`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from cartelsim import defaults
from cartelsim.analysis.explore import paired_summaries
from cartelsim.outcomes import HEADLINE, Better, better
from cartelsim.params import SPECS, Params
from cartelsim.policy.levers import LEVERS
from cartelsim.policy.library import STRATEGIES
from cartelsim.policy.strategy import Strategy
from cartelsim.world.world import load_world

with warnings.catch_warnings():  # it warns that an optional evaluator is missing
    warnings.simplefilter("ignore")
    import ema_workbench as ema


def lever_names(strategy: Strategy) -> list[str]:
    """One EMA lever per setting: 'strategy.lever', numbered where a lever appears twice."""
    names = [f"{strategy.name}.{s.lever}" for s in strategy.settings]
    return [n if names.count(n) == 1 else f"{n}.{i}" for i, n in enumerate(names, start=1)]


def outcome_name(strategy: str, outcome: str) -> str:
    return f"{strategy}.{outcome}"


def model(
    strategies: Sequence[str] = ("drone-strikes-joint",),
    *,
    weeks: int = defaults.WEEKS,
    scale: float = defaults.SCALE,
    seed: int = defaults.SEED,
    world: str = defaults.WORLD,
) -> ema.Model:
    chosen = [STRATEGIES[name] for name in strategies if name != "baseline"]
    loaded = load_world(world)
    names = {s.name for s in SPECS}

    def run(**values: Any) -> dict[str, float]:
        params = Params({k: v for k, v in values.items() if k in names})
        strategies = [with_intensities(s, values) for s in chosen]
        found = paired_summaries(loaded, params, strategies, weeks, seed, scale)
        baseline = found["baseline"]
        out = {outcome_name("baseline", o.name): baseline[o.name] for o in HEADLINE}
        for strategy in chosen:
            for o in HEADLINE:
                change = found[strategy.name][o.name] - baseline[o.name]
                out[outcome_name(strategy.name, o.name)] = change
        return out

    m = ema.Model("cartelsim", function=run)
    m.uncertainties = [
        (ema.IntegerParameter if s.integer else ema.RealParameter)(s.name, s.prior.lo, s.prior.hi)
        for s in SPECS
        if s.prior is not None
    ]
    m.levers = [
        ema.RealParameter(name, 0.0, float(LEVERS[setting.lever].most))
        for strategy in chosen
        for name, setting in zip(lever_names(strategy), strategy.settings, strict=True)
    ]
    # The baseline's outcomes are context (no lever moves them); the effects are objectives.
    m.outcomes = [
        ema.ScalarOutcome(outcome_name("baseline", o.name), kind=ema.ScalarOutcome.INFO)
        for o in HEADLINE
    ] + [
        ema.ScalarOutcome(outcome_name(c.name, o.name), kind=_kind(o.name))
        for c in chosen
        for o in HEADLINE
    ]
    return m


def with_intensities(strategy: Strategy, values: dict[str, Any]) -> Strategy:
    """The strategy with each setting's intensity taken from its lever in `values` (its own
    where `values` lacks it)."""
    settings = tuple(
        replace(
            s, schedule=replace(s.schedule, intensity=float(values.get(name, s.schedule.intensity)))
        )
        for name, s in zip(lever_names(strategy), strategy.settings, strict=True)
    )
    return replace(strategy, settings=settings)


def _kind(outcome: str) -> int:
    direction = better(outcome)
    if direction is Better.HIGHER:
        return ema.ScalarOutcome.MAXIMIZE
    if direction is Better.LOWER:
        return ema.ScalarOutcome.MINIMIZE
    return ema.ScalarOutcome.INFO
