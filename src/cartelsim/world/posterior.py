"""A world's posterior: parameter sets accepted by `cartelsim calibrate` (posterior.csv, one row
each, with its weight) and how they were made (posterior.json). Optional: a world without one
runs on its defaults and priors."""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cartelsim.errors import DataError
from cartelsim.params import SPECS
from cartelsim.world.csvtable import number, read_csv

TABLE, PROVENANCE = "posterior.csv", "posterior.json"
POSTERIOR_STREAM = 0x504F5354  # which accepted set a replicate takes, apart from other draws


@dataclass(frozen=True)
class Posterior:
    values: pd.DataFrame  # one column per calibrated parameter
    weights: np.ndarray  # sum to 1
    provenance: dict[str, Any]

    @property
    def names(self) -> list[str]:
        return list(self.values.columns)

    def row(self, root_seed: int, replicate: int) -> dict[str, float]:
        """The accepted set a replicate runs on, chosen by weight; the same for every strategy."""
        rng = np.random.default_rng([root_seed, replicate, POSTERIOR_STREAM])
        pick = int(rng.choice(len(self.weights), p=self.weights))
        return {k: column.iat[pick].item() for k, column in self.values.items()}


def load_posterior(folder: Path) -> Posterior | None:
    path = folder / TABLE
    if not path.exists():
        return None
    header = _header(path)
    priors = {s.name: s for s in SPECS if s.prior is not None}
    schema = {}
    for column in header:
        if column == "weight":
            schema[column] = number(0, float("inf"))
        elif column in priors:  # a posterior lies inside its prior
            schema[column] = number(priors[column].prior.lo, priors[column].prior.hi)
        else:
            raise DataError(
                f"{path}, line 1: column {column!r} is not a parameter with a prior "
                "(see `cartelsim params`) nor 'weight'"
            )
    if "weight" not in schema or len(schema) < 2:
        raise DataError(f"{path}, line 1: needs a 'weight' column and one parameter or more")
    rows = read_csv(path, schema)
    frame = pd.DataFrame(rows).drop(columns="_line")
    weights = frame.pop("weight").to_numpy(dtype=float)
    if weights.sum() <= 0:
        raise DataError(f"{path}: the weights sum to zero")
    for s in (priors[c] for c in frame.columns if priors[c].integer):
        frame[s.name] = frame[s.name].round().astype(int)
    return Posterior(frame, weights / weights.sum(), _provenance(folder / PROVENANCE))


def _header(path: Path) -> list[str]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: cannot read ({exc})") from None


def _provenance(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise DataError(f"{path}: missing; a posterior ships with how it was made")
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"{path}: not readable JSON ({exc})") from None
    if not isinstance(found, dict):
        raise DataError(f"{path}: expected a JSON object")
    return found


def posterior_digest(world: str) -> str:
    """The digest of a world's posterior.csv, or "" where it ships none (or is not found:
    reading the world reports that)."""
    from cartelsim.world.world import world_folder

    try:
        path = world_folder(world) / TABLE
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16] if path.is_file() else ""
    except (DataError, OSError):
        return ""
