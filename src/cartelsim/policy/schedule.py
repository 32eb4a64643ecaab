"""When a lever acts and how hard: start and end week, intensity, linear ramps."""

from __future__ import annotations

from dataclasses import dataclass

from cartelsim import fields
from cartelsim.errors import FieldError
from cartelsim.params import MAX_WEEKS


@dataclass(frozen=True)
class Schedule:
    intensity: float
    start: int = 0
    end: int | None = None  # last week it acts; None: to the end of the run
    ramp_weeks: int = 0  # weeks to reach the intensity from zero

    def __post_init__(self) -> None:
        for key in ("start", "end", "ramp_weeks"):
            value = getattr(self, key)
            if value is not None or key != "end":  # only `end` may be left open
                try:
                    fields.whole(value, 0, MAX_WEEKS)
                except ValueError as exc:
                    raise FieldError(key, str(exc)) from None
        if self.end is not None and self.end < self.start:
            raise FieldError("end", f"week {self.end} comes before start, week {self.start}")

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
