"""A strategy: levers with their schedules and options, checked when it is made."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from cartelsim import fields
from cartelsim.errors import FieldError, ParameterError
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
        try:
            fields.name(self.name)
        except ValueError as exc:
            raise ParameterError(f"strategy name: {exc}") from None
        try:
            fields.text(self.description)
        except ValueError as exc:
            raise FieldError("description", f"strategy {self.name!r}: {exc}") from None
        for i, a in enumerate(self.settings):
            for b in self.settings[i + 1 :]:
                if a.lever == b.lever and _overlap(a.schedule, b.schedule):
                    raise FieldError(
                        "levers",
                        f"strategy {self.name!r}: two settings of lever {a.lever!r} overlap "
                        f"(weeks {a.schedule.start}.. and {b.schedule.start}..); one lever "
                        "acts once a week",
                    )

    def check(self, world) -> None:
        """Refuse settings that do not fit the world, such as a crackdown on a place it lacks."""
        for i, s in enumerate(self.settings, start=1):
            try:
                LEVERS[s.lever].check(world, s.options)
            except FieldError as exc:
                raise FieldError(
                    f"levers[{i}].{exc.field}", f"strategy {self.name!r}: {exc.message}"
                ) from None

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
    **options: Any,
) -> LeverSetting:
    """A checked lever setting; a fault is a FieldError naming the field."""
    if not isinstance(lever, str) or lever not in LEVERS:
        raise FieldError("lever", f"unknown lever {lever!r} (levers: {', '.join(LEVERS)})")
    spec = LEVERS[lever]
    try:
        level = fields.real(intensity, 0.0, spec.most)
    except ValueError as exc:
        raise FieldError("intensity", f"lever {lever!r}: {exc} ({spec.unit})") from None
    unknown = sorted(set(options) - set(spec.options))
    if unknown:
        raise FieldError(
            unknown[0],
            f"lever {lever!r}: unknown option (options: {', '.join(spec.options) or 'none'})",
        )
    clean = {}
    for name, (default, check) in spec.options.items():
        try:
            clean[name] = check(options[name]) if name in options else default
        except ValueError as exc:
            raise FieldError(name, f"lever {lever!r}: {exc}") from None
    return LeverSetting(lever, Schedule(level, start, end, ramp_weeks), clean)
