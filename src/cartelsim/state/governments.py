"""The US–Mexico relationship: the cooperation index, and the strikes on Mexican soil since the
index last took them in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Governments:
    cooperation: float  # index 0..1
    unilateral_strikes: int = 0  # strikes without consent not yet felt by the index
    joint_strikes: int = 0  # strikes Mexico consented to, not yet felt by the index
