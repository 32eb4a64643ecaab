"""When a lever acts and how hard: start and end week, intensity, linear ramps."""

from __future__ import annotations

from dataclasses import dataclass

from cartelsim.errors import ParameterError


@dataclass(frozen=True)
class Schedule:
    intensity: float
    start: int = 0
    end: int | None = None  # last week it acts; None: to the end of the run
    ramp_weeks: int = 0  # weeks to reach the intensity from zero

    def __post_init__(self) -> None:
        if self.start < 0 or (self.end is not None and self.end < self.start):
            raise ParameterError(f"schedule: weeks {self.start}..{self.end} are not a period")
        if self.ramp_weeks < 0:
            raise ParameterError(f"schedule: ramp_weeks must be ≥ 0, got {self.ramp_weeks}")

    def active(self, week: int) -> bool:
        return week >= self.start and (self.end is None or week <= self.end)

    def ramp(self, week: int) -> float:
        """The share of the full intensity reached this week (0 outside the window)."""
        if not self.active(week):
            return 0.0
        if self.ramp_weeks == 0:
            return 1.0
        return min(1.0, (week - self.start + 1) / self.ramp_weeks)

    def level(self, week: int) -> float:
        return self.intensity * self.ramp(week)
