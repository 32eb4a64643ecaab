"""`cartelsim.compare(...)`: the ensemble comparison from Python (a notebook, a script)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from cartelsim import defaults
from cartelsim.experiment.compare import paired_comparison, ranking, table
from cartelsim.experiment.ensemble import run_ensemble, summaries_frame
from cartelsim.experiment.preflight import preflight
from cartelsim.experiment.scenario import Scenario, parse_scenario
from cartelsim.experiment.store import stops_held
from cartelsim.params import Params
from cartelsim.version import __version__


@dataclass
class Comparison:
    scenario: Scenario
    summaries: pd.DataFrame  # (replicate, strategy) × outcome
    result: dict[str, Any]
    out: Path

    def table(self) -> str:
        s = self.scenario
        lines = ranking(self.summaries, s.seed, list(s.strategies))
        return "\n".join(
            [table(self.result, s.replicates, s.parameters_mode(), len(s.priors)), "", *lines]
        )

    def as_dict(self) -> dict[str, Any]:
        """The machine-readable summary: deterministic, no paths, no timestamps."""
        s = self.scenario
        return {
            "model_version": __version__,
            "world": s.world,
            "weeks": s.weeks,
            "scale": s.scale,
            "seed": s.seed,
            "replicates": s.replicates,
            "parameters": s.parameters_mode(),
            "scenario_digest": s.digest(),
            "strategies": self.result,
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2, sort_keys=True)


def run_comparison(
    scenario: Scenario,
    out: Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: Callable[[int, int, float], None] | None = None,
) -> Comparison:
    """Check the run (`preflight`), then run the scenario into the store in `out`."""
    preflight(scenario, out, resume=resume, workers=workers, scheduler=scheduler)
    store = run_ensemble(
        scenario, out, workers=workers, scheduler=scheduler, resume=resume, progress=progress
    )
    with stops_held():  # Ctrl-C waits for these queries, then stops the run cleanly
        try:
            wide = summaries_frame(store)
            store.export_parquet()
        finally:
            store.close()
    return Comparison(
        scenario, wide, paired_comparison(wide, scenario.seed, list(scenario.strategies)), out
    )


def compare(
    strategies: Sequence[str] | None = None,
    *,
    replicates: int = defaults.REPLICATES,
    weeks: int = defaults.WEEKS,
    scale: float = defaults.SCALE,
    seed: int = defaults.SEED,
    params: Mapping[str, float] | None = None,
    parameters: str | None = None,
    world: str = defaults.WORLD,
    out: str | Path | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
) -> Comparison:
    """Compare strategies against the baseline over paired replicates.

    >>> c = compare(["border-scanning"], replicates=2, weeks=20, scale=0.03, workers=1)
    >>> sorted(c.result)
    ['baseline', 'border-scanning']
    """
    run: dict[str, Any] = {
        "world": str(world),
        "weeks": weeks,
        "scale": scale,
        "seed": seed,
        "replicates": replicates,
    }
    if parameters is not None:
        run["parameters"] = parameters
    if strategies is not None:
        run["strategies"] = list(strategies)
    Params(dict(params or {}))  # fail early, naming the field
    scenario = parse_scenario({"run": run, "params": dict(params or {})}, where="compare()")
    folder = Path(out) if out is not None else Path(tempfile.mkdtemp(prefix="cartelsim-"))
    return run_comparison(scenario, folder, workers=workers, scheduler=scheduler, resume=resume)
