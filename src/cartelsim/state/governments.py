"""The US–Mexico relationship: the cooperation index, immigration cooperation that follows
it, and the unilateral strikes since the index last took them in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Governments:
    cooperation: float  # index 0..1
    immigration: float  # index 0..1, follows cooperation with a lag
    unilateral_strikes: int = 0  # strikes without consent not yet felt by the index
