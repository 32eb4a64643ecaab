"""Loader of the 150 Mexican criminal groups and their alliances and rivalries.

The data (Prieto-Curiel, Campedelli & Hope, Science 2023; Dryad doi:10.5061/dryad.zw3r228d7, CC0)
is bundled in ``data/prieto-curiel-2023``. Edges are recorded per direction; the network is made
symmetric with max(w_ij, w_ji), as the authors' code does, because a rivalry or an alliance is a
relation between two groups, not an act of one on the other.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

import numpy as np
import pandas as pd

from cartelsim.errors import DataError

__all__ = ["GroupNetwork", "default_folder", "load_group_network", "load_trends"]

NODES_FILE = "BACRIM2020_Nodes.csv"
RIVALS_FILE = "BACRIM2020_Rivals.csv"
ALLIANCES_FILE = "BACRIM2020_Alliances.csv"
TRENDS_FILE = "Trends2012_2021.csv"

_NODE_COLUMNS = ("Node", "Group", "State", "ShortName")
_EDGE_COLUMNS = ("Node", "RNode", "weight")
_TRENDS_COLUMNS = {
    "YEAR": "year",
    "homicide": "homicide",
    "missings": "missings",
    "arrests": "arrests",
}


@dataclass(frozen=True, eq=False)
class GroupNetwork:
    """The criminal groups (in file order) and their symmetric rivalry and alliance weights.

    A weight is the number of states in which the pair is recorded as rivals (or allies). The
    matrices are read-only so that a shared network cannot be altered by one of its users.
    """

    node_ids: tuple[str, ...]
    names: tuple[str, ...]
    short_names: tuple[str, ...]
    home_states: tuple[str, ...]
    rivalry: np.ndarray
    alliance: np.ndarray
    _positions: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = len(self.node_ids)
        for label in ("names", "short_names", "home_states"):
            if len(getattr(self, label)) != n:
                raise DataError(
                    f"GroupNetwork: {label} has {len(getattr(self, label))} entries, "
                    f"node_ids has {n}"
                )
        positions: dict[str, int] = {}
        for i, node_id in enumerate(self.node_ids):
            if node_id in positions:
                raise DataError(f"GroupNetwork: node id {node_id!r} appears twice")
            positions[node_id] = i
        object.__setattr__(self, "_positions", positions)
        for label in ("rivalry", "alliance"):
            matrix = np.array(getattr(self, label), dtype=np.float64)
            if matrix.shape != (n, n):
                raise DataError(
                    f"GroupNetwork: {label} has shape {matrix.shape}, expected {(n, n)}"
                )
            matrix.setflags(write=False)
            object.__setattr__(self, label, matrix)

    def __len__(self) -> int:
        return len(self.node_ids)

    def index(self, node_id: str) -> int:
        """Position of a group in the network, or a DataError naming the unknown id."""
        try:
            return self._positions[node_id]
        except KeyError:
            raise DataError(f"unknown criminal group id {node_id!r}") from None

    @property
    def rival_strength(self) -> np.ndarray:
        """Total rivalry weight of each group (weighted degree)."""
        return self.rivalry.sum(axis=1)

    @property
    def alliance_strength(self) -> np.ndarray:
        """Total alliance weight of each group (weighted degree)."""
        return self.alliance.sum(axis=1)


def default_folder() -> Traversable:
    """The bundled data folder (works from a source tree and from an installed package)."""
    return resources.files("cartelsim.world") / "data" / "prieto-curiel-2023"


def _rows(
    folder: Path | Traversable, filename: str, columns: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, {column: value}) for each data row, checking the header first."""
    path = folder / filename
    if not path.is_file():
        raise DataError(f"{filename}: file not found in {folder}")
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        try:
            header = [name.strip() for name in next(reader)]
        except StopIteration:
            raise DataError(f"{filename}: file is empty") from None
        except csv.Error as exc:
            raise DataError(f"{filename}, row {reader.line_num}: {exc}") from None
        missing = [name for name in columns if name not in header]
        if missing:
            raise DataError(f"{filename}, row 1: missing column(s) {', '.join(missing)}")
        where = {name: header.index(name) for name in columns}
        try:
            for record in reader:
                line = reader.line_num
                if not record or all(not cell.strip() for cell in record):
                    continue
                if len(record) != len(header):
                    raise DataError(
                        f"{filename}, row {line}: {len(record)} fields, "
                        f"the header has {len(header)}"
                    )
                yield line, {name: record[i].strip() for name, i in where.items()}
        except csv.Error as exc:
            raise DataError(f"{filename}, row {reader.line_num}: {exc}") from None


def _weight(filename: str, line: int, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise DataError(f"{filename}, row {line}: weight {text!r} is not a number") from None
    if not math.isfinite(value) or value < 0:
        raise DataError(f"{filename}, row {line}: weight {text!r} must be a finite number >= 0")
    return value


def _edges(folder: Path | Traversable, filename: str, positions: dict[str, int]) -> np.ndarray:
    n = len(positions)
    matrix = np.zeros((n, n), dtype=np.float64)
    for line, row in _rows(folder, filename, _EDGE_COLUMNS):
        ends = []
        for column in ("Node", "RNode"):
            node_id = row[column]
            if node_id not in positions:
                raise DataError(
                    f"{filename}, row {line}: {column} {node_id!r} is not a node in {NODES_FILE}"
                )
            ends.append(positions[node_id])
        i, j = ends
        if i == j:
            raise DataError(f"{filename}, row {line}: group {row['Node']!r} is linked to itself")
        weight = _weight(filename, line, row["weight"])
        # Symmetric with max(w_ij, w_ji): both directions usually repeat the same relation.
        matrix[i, j] = max(matrix[i, j], weight)
        matrix[j, i] = matrix[i, j]
    return matrix


def load_group_network(folder: Path | None = None) -> GroupNetwork:
    """Read the nodes, rivalries and alliances; ``folder`` defaults to the bundled data."""
    source: Path | Traversable = default_folder() if folder is None else Path(folder)
    ids: list[str] = []
    names: list[str] = []
    short_names: list[str] = []
    states: list[str] = []
    positions: dict[str, int] = {}
    for line, row in _rows(source, NODES_FILE, _NODE_COLUMNS):
        node_id = row["Node"]
        if not node_id:
            raise DataError(f"{NODES_FILE}, row {line}: empty Node id")
        if node_id in positions:
            raise DataError(f"{NODES_FILE}, row {line}: Node id {node_id!r} appears twice")
        positions[node_id] = len(ids)
        ids.append(node_id)
        names.append(row["Group"])
        short_names.append(row["ShortName"] or row["Group"])
        states.append(row["State"])
    if not ids:
        raise DataError(f"{NODES_FILE}: no groups")
    return GroupNetwork(
        node_ids=tuple(ids),
        names=tuple(names),
        short_names=tuple(short_names),
        home_states=tuple(states),
        rivalry=_edges(source, RIVALS_FILE, positions),
        alliance=_edges(source, ALLIANCES_FILE, positions),
    )


def load_trends(folder: Path | None = None) -> pd.DataFrame:
    """National annual totals 2012–2021: year, homicide, missings (missing persons), arrests."""
    source: Path | Traversable = default_folder() if folder is None else Path(folder)
    records: list[dict[str, int]] = []
    for line, row in _rows(source, TRENDS_FILE, tuple(_TRENDS_COLUMNS)):
        record: dict[str, int] = {}
        for column, name in _TRENDS_COLUMNS.items():
            text = row[column]
            try:
                value = int(text)
            except ValueError:
                raise DataError(
                    f"{TRENDS_FILE}, row {line}: {column} {text!r} is not a whole number"
                ) from None
            if value < 0:
                raise DataError(f"{TRENDS_FILE}, row {line}: {column} {value} is negative")
            record[name] = value
        records.append(record)
    if not records:
        raise DataError(f"{TRENDS_FILE}: no rows")
    frame = pd.DataFrame.from_records(records, columns=list(_TRENDS_COLUMNS.values()))
    if frame["year"].duplicated().any():
        year = int(frame.loc[frame["year"].duplicated(), "year"].iloc[0])
        raise DataError(f"{TRENDS_FILE}: year {year} appears twice")
    return frame.sort_values("year", ignore_index=True).astype("int64")
