"""What a lever is: a named way to set this week's effort, with a unit, a bounded intensity
and a cost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from cartelsim import fields
from cartelsim.params import WEEKS_PER_YEAR

Option = tuple[Any, Callable[[Any], Any]]  # (default, validator that returns the clean value)
PLACES_LIMIT = 1000  # places one setting may name


class Lever:
    name: ClassVar[str]
    order: ClassVar[int]  # its place in the lever list (docs, cost columns)
    effort: ClassVar[dict[str, Any]] = {}  # the effort fields it sets, at their baseline
    unit: ClassVar[str]  # the unit of the intensity
    doc: ClassVar[str]  # what it acts on, and the evidence behind it
    cost: ClassVar[str]  # how its cost is counted
    most: ClassVar[float]  # the largest intensity that makes sense
    most_why: ClassVar[str] = ""  # where that bound comes from, when it is not a share
    options: ClassVar[dict[str, Option]] = {}
    # How it moves US–Mexico cooperation: (parameter, the intensity that parameter is per);
    # None for a programme one country runs alone, which the model lets cooperation ignore.
    cooperation: ClassVar[tuple[str, float] | None] = None

    def apply(self, sim, level: float, ramp: float, since: int, options: dict[str, Any]) -> float:
        """Set this week's effort at this level (`ramp`: the share of the full intensity
        reached, for options that ramp with it); return what it costs this week, in USD."""
        raise NotImplementedError

    def check(self, world, options: dict[str, Any]) -> None:
        """Refuse options that do not fit the world (before a run writes anything), with a
        FieldError naming the option."""


def per_week(usd_per_year: float) -> float:
    return usd_per_year / WEEKS_PER_YEAR


def choice(*values: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if not isinstance(value, str) or value not in values:
            raise ValueError(f"expected one of {', '.join(values)}, got {value!r}")
        return value

    return check


def share(value: Any) -> float:
    return fields.real(value, 0.0, 1.0)


def between(lo: float, hi: float) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        return fields.real(value, lo, hi)

    return check


def place_list(value: Any) -> tuple[str, ...]:
    """Place ids, each once; whether they exist is checked against the world (`check`)."""
    if not isinstance(value, list) or not value:
        raise ValueError(f"expected a non-empty list of place ids, got {value!r}")
    if len(value) > PLACES_LIMIT:
        raise ValueError(f"more than {PLACES_LIMIT} places")
    ids = tuple(fields.name(v) for v in value)
    repeated = sorted({v for v in ids if ids.count(v) > 1})
    if repeated:
        raise ValueError(f"place(s) named twice: {', '.join(repeated)}")
    return ids
