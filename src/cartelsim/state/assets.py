"""Assets: labs, stash houses, vehicles and precursor stocks, one row each."""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar

import numpy as np

from cartelsim.state.table import Table


class AssetKind(IntEnum):
    LAB = 0
    STASH = 1  # fentanyl inventory, in mg pure
    VEHICLE = 2
    PRECURSOR = 3  # precursor chemicals, in g


class AssetStatus(IntEnum):
    ACTIVE = 0
    DESTROYED = 1  # raided or struck; back in service at ready_week
    SEIZED = 2


class Assets(Table):
    columns: ClassVar[dict[str, np.dtype]] = {
        "kind": np.dtype(np.int8),
        "org": np.dtype(np.int16),
        "place": np.dtype(np.int16),
        "capacity": np.dtype(np.float32),  # labs: kg pure per week; vehicles: kg per trip
        "stock": np.dtype(np.int64),  # stash: mg pure; precursor: g (integers keep mass exact)
        "status": np.dtype(np.int8),
        "ready_week": np.dtype(np.int16),
        "exposure": np.dtype(np.float32),  # what intelligence knows of where it is, 0..1
    }

    def of_kind(self, kind: AssetKind) -> np.ndarray:
        return np.flatnonzero(self.kind == kind)
