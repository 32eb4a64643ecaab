"""What a lever is: a named way to set this week's effort, with a unit and a cost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from cartelsim.params import WEEKS_PER_YEAR

Option = tuple[Any, Callable[[Any], Any]]  # (default, validator that returns the clean value)


class Lever:
    name: ClassVar[str]
    unit: ClassVar[str]  # the unit of the intensity
    doc: ClassVar[str]  # what it acts on, and the evidence behind it
    cost: ClassVar[str]  # how its cost is counted
    most: ClassVar[float] = float("inf")  # the largest intensity that makes sense
    options: ClassVar[dict[str, Option]] = {}

    def apply(self, sim, level: float, ramp: float, since: int, options: dict[str, Any]) -> float:
        """Set this week's effort at this level (`ramp`: the share of the full intensity
        reached, for options that ramp with it); return what it costs this week, in USD."""
        raise NotImplementedError


def per_week(usd_per_year: float) -> float:
    return usd_per_year / WEEKS_PER_YEAR


def choice(*values: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in values:
            raise ValueError(f"expected one of {', '.join(values)}, got {value!r}")
        return value

    return check


def share(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(f"expected a share between 0 and 1, got {value!r}")
    return float(value)


def non_negative(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise ValueError(f"expected a number ≥ 0, got {value!r}")
    return float(value)


def place_list(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not all(isinstance(v, str) for v in value) or not value:
        raise ValueError(f"expected a list of place ids, got {value!r}")
    return tuple(value)
