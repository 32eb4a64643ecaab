"""Struct-of-arrays tables: one NumPy column per attribute, preallocated, rows never deleted."""

from __future__ import annotations

from typing import ClassVar

import numpy as np


class Table:
    """Columns with a capacity and a count; ids are row numbers and stay stable for a run.

    Rows that leave the model are marked through their status column, never removed, so ids
    held elsewhere (a superior, a target) stay valid.
    """

    columns: ClassVar[dict[str, np.dtype]] = {}

    def __init__(self, capacity: int = 0):
        self.count = 0
        self._data = {
            name: np.zeros(max(capacity, 1), dtype) for name, dtype in self.columns.items()
        }

    @property
    def allocated(self) -> int:
        return len(next(iter(self._data.values())))

    def __getattr__(self, name: str) -> np.ndarray:
        data = self.__dict__.get("_data")
        if data is None or name not in data:
            raise AttributeError(name)
        return data[name][: self.__dict__["count"]]

    def __setattr__(self, name: str, value) -> None:
        if name in type(self).columns:
            raise AttributeError(f"{name} is a column: write into it (x[...] = v), not over it")
        super().__setattr__(name, value)

    def add(self, n: int, **values: np.ndarray | float) -> np.ndarray:
        """Append n rows (growing the columns by doubling when full); returns their ids."""
        unknown = set(values) - set(self._data)
        if unknown:
            raise KeyError(f"{type(self).__name__} has no column(s) {sorted(unknown)}")
        if self.count + n > self.allocated:
            self._grow(self.count + n)
        ids = np.arange(self.count, self.count + n)
        for name, column in self._data.items():
            column[ids] = values.get(name, 0)
        self.count += n
        return ids

    def _grow(self, needed: int) -> None:
        size = max(needed, 2 * self.allocated)
        for name, column in self._data.items():
            grown = np.zeros(size, column.dtype)
            grown[: self.count] = column[: self.count]
            self._data[name] = grown

    def nbytes_per_row(self) -> int:
        return sum(np.dtype(d).itemsize for d in self.columns.values())
