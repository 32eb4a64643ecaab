"""Cartel members: one row per agent (at scale 1, one per person)."""

from __future__ import annotations

from enum import IntEnum
from typing import ClassVar

import numpy as np

from cartelsim.state.table import Table


class Role(IntEnum):
    LEADER = 0
    LIEUTENANT = 1
    COOK = 2
    LOGISTICS = 3
    ENFORCER = 4
    LOOKOUT = 5
    LAUNDERER = 6


class Status(IntEnum):
    ACTIVE = 0
    ARRESTED = 1
    EXTRADITED = 2
    KILLED = 3
    RETIRED = 4


class Members(Table):
    columns: ClassVar[dict[str, np.dtype]] = {
        "org": np.dtype(np.int16),
        "role": np.dtype(np.int8),
        "rank": np.dtype(np.int8),
        "superior": np.dtype(np.int32),  # member id, -1 for a leader
        "place": np.dtype(np.int16),
        "status": np.dtype(np.int8),
        "exposure": np.dtype(np.float32),  # what intelligence knows of the member, 0..1
        "joined": np.dtype(np.int16),  # week of joining; negative for members of week 0
    }


def cook_share(have: np.ndarray, cooks_needed: np.ndarray) -> np.ndarray:
    """Share of the cooks its labs need that each organization has (1 without labs), from
    its active cooks (`Roster.cooks`)."""
    return np.where(cooks_needed > 0, np.minimum(have / np.maximum(cooks_needed, 1e-9), 1.0), 1.0)
