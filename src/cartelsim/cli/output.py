"""What the commands print and save: JSON that any reader takes (NaN and infinity as null),
and files written whole or not at all."""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cartelsim import fields
from cartelsim.errors import CartelsimError


def jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_whole(folder: Path, name: str, text: str) -> None:
    """A crash never leaves a half-written file: write beside it, then replace it."""
    with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".tmp") as tmp:
        tmp.write(text)
    os.replace(tmp.name, folder / name)


def check_flag(flag: str, check: Callable[[Any], Any], value: Any) -> None:
    """A flag's value through its check; a fault names the flag (exit code 2)."""
    try:
        check(value)
    except ValueError as exc:
        raise CartelsimError(f"--{flag}: {exc}") from None


def whole_flags(args: Any, limits: dict[str, tuple[int, int]]) -> dict[str, int]:
    """The whole-number flags given (not None), each checked against its (lowest, highest)."""
    given = {}
    for flag, (lo, hi) in limits.items():
        if (value := getattr(args, flag)) is not None:
            check_flag(flag, lambda v, lo=lo, hi=hi: fields.whole(v, lo, hi), value)
            given[flag] = value
    return given
