"""Reading world CSV files with errors that name the file, line and column."""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from cartelsim import fields
from cartelsim.errors import DataError

Column = Callable[[str], Any]


def number(lo: float = float("-inf"), hi: float = float("inf")) -> Column:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise ValueError(f"expected a number, got {text!r}") from None
        if not math.isfinite(value):
            raise ValueError(f"expected a finite number, got {text!r}")
        if not lo <= value <= hi:
            raise ValueError(f"{value:g} is out of range [{lo:g}, {hi:g}]")
        return value

    return parse


def one_of(*choices: str) -> Column:
    def parse(text: str) -> str:
        if text not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}, got {text!r}")
        return text

    return parse


def date() -> Column:
    def parse(value: str) -> dt.date:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"expected a date as YYYY-MM-DD, got {value!r}") from None

    return parse


TEXT_LIMIT = 200  # characters in a name or label


def text(optional: bool = False) -> Column:
    def parse(value: str) -> str:
        if not value and not optional:
            raise ValueError("is empty")
        if len(value) > TEXT_LIMIT or not value.isprintable():
            raise ValueError(f"expected printable text of at most {TEXT_LIMIT} characters")
        return value

    return parse


def identifier() -> Column:
    """An id that is safe as it is in HTML, SQL and file names (`cartelsim.fields.NAME_RULE`)."""

    def parse(value: str) -> str:
        return fields.name(value)

    return parse


def read_csv(path: Path, schema: dict[str, Column]) -> list[dict[str, Any]]:
    """Rows as dicts of parsed values; any fault raises DataError naming file, line, column."""
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    try:
        return _read(path, schema)
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except csv.Error as exc:
        raise DataError(f"{path}: not a readable CSV file ({exc})") from None
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc.strerror})") from None


def _read(path: Path, schema: dict[str, Column]) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [c for c in schema if c not in header]
        if missing:
            raise DataError(f"{path}: missing column(s) {', '.join(missing)} (header: {header})")
        extra = [c for c in header if c not in schema]
        if extra or len(set(header)) < len(header):
            what = f"unknown column {extra[0]!r}" if extra else "a column appears twice"
            raise DataError(f"{path}, line 1: {what} (columns: {', '.join(schema)})")
        rows = []
        for row in reader:
            line = reader.line_num
            if None in row:
                raise DataError(f"{path}, line {line}: more values than columns")
            parsed = {}
            for column, parse in schema.items():
                raw = (row.get(column) or "").strip()
                try:
                    parsed[column] = parse(raw)
                except ValueError as exc:
                    raise DataError(f"{path}, line {line}, column {column!r}: {exc}") from None
            parsed["_line"] = line
            rows.append(parsed)
    if not rows:
        raise DataError(f"{path}: no rows")
    return rows
