"""This week's government effort: what the levers and the cooperation index set, and what the
processes read. Reset each week, so a lever at zero leaves the run as it would be without it.

Its fields are declared where they are set: the two that several levers share here, each
lever's own in its `effort` (`policy/lever.py`), so adding a lever touches no file but its own
and the process it drives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class PerPlace:
    """A field with one value per place, all `value` at the baseline."""

    value: float


SHARED: dict[str, Any] = {
    "mx_enforcement": 1.0,  # Mexican arrests, raids, seizures (set by cooperation)
    "inland": PerPlace(1.0),  # multiplier on inland seizure risk (troops, crackdowns)
    "cooperation_push": 0.0,  # change in cooperation this week from the levers that move it
}


class Effort:
    def __init__(self, n_places: int, levers: Iterable[Any]):
        self.n_places = n_places
        self.baseline = dict(SHARED)
        for lever in levers:
            for name, value in lever.effort.items():
                if name in self.baseline:
                    raise ValueError(f"effort {name!r} is declared twice (lever {lever.name!r})")
                self.baseline[name] = value
        self.reset()

    def reset(self) -> None:
        for name, value in self.baseline.items():
            if isinstance(value, PerPlace):
                value = np.full(self.n_places, value.value)
            setattr(self, name, value)
