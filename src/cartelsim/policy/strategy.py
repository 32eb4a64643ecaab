"""A strategy: levers with their schedules and options, checked when it is made."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cartelsim.errors import ParameterError
from cartelsim.policy.levers import LEVERS
from cartelsim.policy.schedule import Schedule


@dataclass(frozen=True)
class LeverSetting:
    lever: str
    schedule: Schedule
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Strategy:
    name: str
    description: str
    settings: tuple[LeverSetting, ...] = ()
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for i, a in enumerate(self.settings):
            for b in self.settings[i + 1 :]:
                if a.lever == b.lever and _overlap(a.schedule, b.schedule):
                    raise ParameterError(
                        f"strategy {self.name!r}: two settings of lever {a.lever!r} overlap "
                        f"(weeks {a.schedule.start}.. and {b.schedule.start}..); one lever "
                        "acts once a week"
                    )

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "sources": list(self.sources),
            "levers": [
                {
                    "lever": s.lever,
                    "intensity": s.schedule.intensity,
                    "unit": LEVERS[s.lever].unit,
                    "start": s.schedule.start,
                    "end": s.schedule.end,
                    "ramp_weeks": s.schedule.ramp_weeks,
                    **dict(s.options),
                }
                for s in self.settings
            ],
        }


def _overlap(a: Schedule, b: Schedule) -> bool:
    a_end = a.end if a.end is not None else float("inf")
    b_end = b.end if b.end is not None else float("inf")
    return a.start <= b_end and b.start <= a_end


def setting(
    lever: str,
    intensity: float,
    *,
    start: int = 0,
    end: int | None = None,
    ramp_weeks: int = 0,
    where: str = "strategy",
    **options: Any,
) -> LeverSetting:
    """A checked lever setting; any fault names the lever and the field."""
    if lever not in LEVERS:
        raise ParameterError(f"{where}: unknown lever {lever!r} (levers: {', '.join(LEVERS)})")
    spec = LEVERS[lever]
    if (
        isinstance(intensity, bool)
        or not isinstance(intensity, int | float)
        or not (0 <= intensity <= spec.most)
    ):
        raise ParameterError(
            f"{where}: lever {lever!r}: intensity must be in [0, {spec.most:g}] "
            f"({spec.unit}), got {intensity!r}"
        )
    unknown = set(options) - set(spec.options)
    if unknown:
        raise ParameterError(
            f"{where}: lever {lever!r}: unknown option(s) {sorted(unknown)} "
            f"(options: {', '.join(spec.options) or 'none'})"
        )
    clean = {}
    for name, (default, check) in spec.options.items():
        try:
            clean[name] = check(options.get(name, default))
        except (TypeError, ValueError) as exc:
            raise ParameterError(f"{where}: lever {lever!r}, option {name!r}: {exc}") from None
    try:
        schedule = Schedule(float(intensity), start, end, ramp_weeks)
    except ParameterError as exc:
        raise ParameterError(f"{where}: lever {lever!r}: {exc}") from None
    return LeverSetting(lever, schedule, clean)
