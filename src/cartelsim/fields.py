"""Strict reading of typed values from scenario files, flags and lever settings.

TOML and Python both let a bool pass for a number and `nan` or `inf` for a quantity; none of
these is ever meant, so each reader refuses them with a message that says what was expected.
Names that reach HTML, SQL and file names are restricted to one safe character set.
"""

from __future__ import annotations

import math
import re
from typing import Any

NAME_RULE = "lowercase letters, digits, '-' and '_', starting with a letter or digit, 1–64 long"
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
TEXT_LIMIT = 2000  # characters in a free-text field (a description)


def whole(value: Any, lo: int, hi: int) -> int:
    """A whole number in [lo, hi]; 3.0 is not taken for 3, since weeks and counts are never
    written as decimals on purpose."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {shown(value)}")
    if not lo <= value <= hi:
        raise ValueError(f"{shown(value)} is out of range [{lo}, {hi}]")
    return value


def real(value: Any, lo: float, hi: float) -> float:
    """A finite number in [lo, hi] (a whole number is taken as one)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, got {shown(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"expected a finite number, got {value!r}")
    if not lo <= value <= hi:
        raise ValueError(f"{shown(value)} is out of range [{lo:g}, {hi:g}]")
    return float(value)


def flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {shown(value)}")
    return value


def text(value: Any, limit: int = TEXT_LIMIT) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {shown(value)}")
    if len(value) > limit:
        raise ValueError(f"longer than {limit} characters")
    return value


def is_name(value: Any) -> bool:
    return isinstance(value, str) and _NAME.fullmatch(value) is not None


def name(value: Any) -> str:
    """A name that is safe as it is in HTML, SQL, a file name and a terminal."""
    if not is_name(value):
        raise ValueError(f"{shown(value)} is not a valid name ({NAME_RULE})")
    return value


def shown(value: Any) -> str:
    """A value as a message can quote it: repr, cut short."""
    shown = repr(value)
    return shown if len(shown) <= 80 else shown[:77] + "..."
