"""The result store: a DuckDB database in the output folder. Each finished replicate is
written in one transaction, so a run killed at any point leaves whole replicates or none, and
`--resume` carries on from there."""

from __future__ import annotations

import json
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from cartelsim.errors import CartelsimError
from cartelsim.outcomes import STORED_WEEKLY

STOPS = (signal.SIGINT, signal.SIGTERM)

FILE = "results.duckdb"


class StoreError(CartelsimError):
    """The output folder holds results of another scenario, or cannot be written; or a store
    to read is missing, in use, or no result store."""


class StoreReader:
    """The read side of a result store, over an open connection: what a comparison and its
    report read. A query that fails names the file as no result store of `cartelsim run`."""

    def __init__(self, db: duckdb.DuckDBPyConnection, path: Path):
        self.db, self.path = db, path

    def meta(self) -> dict[str, Any]:
        """The meta table's values: JSON, but the digest."""
        rows = self._query("SELECT key, value FROM meta").fetchall()
        try:
            return {k: (v if k == "digest" else json.loads(v)) for k, v in rows}
        except ValueError as exc:
            raise StoreError(
                f"{self.path}: a value in its meta table is not JSON ({exc})"
            ) from None

    def summaries(self) -> pd.DataFrame:
        """One row per replicate, strategy and summary scalar (`outcome`, `value`)."""
        return self._query("SELECT * FROM summaries ORDER BY replicate, strategy, outcome").df()

    def weekly(self) -> pd.DataFrame:
        """The stored weekly series, one row per replicate, strategy and week."""
        return self._query("SELECT * FROM weekly ORDER BY replicate, strategy, week").df()

    def place_totals(self) -> pd.DataFrame:
        """Each place's homicides and seizures summed over the weeks, per replicate and
        strategy."""
        return self._query(
            "SELECT replicate, strategy, place, sum(homicides) AS homicides, "
            "sum(seized_kg) AS seized_kg FROM places GROUP BY ALL ORDER BY ALL"
        ).df()

    def links(self) -> pd.DataFrame:
        """Each link's flow over the horizon, per replicate and strategy."""
        return self._query("SELECT * FROM links ORDER BY ALL").df()

    def _query(self, sql: str) -> duckdb.DuckDBPyConnection:
        try:
            return self.db.execute(sql)
        except duckdb.Error as exc:
            raise StoreError(
                f"{self.path}: not a result store of `cartelsim run` ({exc})"
            ) from None


@contextmanager
def read_only(folder: Path) -> Iterator[StoreReader]:
    """The store in `folder`, open read-only for the `with` block, which Ctrl-C and SIGTERM
    wait for (the milliseconds of its queries: DuckDB would make them a traceback). No store,
    a store in use and a file that is no store are clear errors."""
    path = folder / FILE
    if not path.is_file():
        raise StoreError(
            f"{folder}: no result store ({FILE}); run `cartelsim run` or `cartelsim explore` first"
        )
    with stops_held():
        db = connect(path, read_only=True)
        try:
            yield StoreReader(db, path)
        finally:
            db.close()


class Store(StoreReader):
    """The store of one scenario, written a replicate at a time and read as any store. A store
    that holds no finished replicate is begun afresh, and removed again by `discard` when the
    run fails before finishing one: nothing is lost, and a corrected rerun is not refused."""

    def __init__(self, folder: Path, digest: str, meta: dict[str, Any], *, resume: bool):
        self.folder, self.path = folder, folder / FILE
        self.created = check_out(folder, digest, resume=resume) == 0
        self._made_folder = not folder.exists()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"--out {folder}: cannot create it ({exc.strerror})") from None
        super().__init__(connect(self.path), self.path)
        with self.transaction():  # a kill in the middle leaves an empty database, not half a store
            self._schema()
            if self.created:
                self.db.execute("DELETE FROM meta")
                for key, value in {**meta, "digest": digest}.items():
                    self.db.execute(
                        "INSERT INTO meta VALUES (?, ?)",
                        [key, json.dumps(value) if key != "digest" else value],
                    )

    def _schema(self) -> None:
        weekly = ", ".join(f"{c} DOUBLE" for c in STORED_WEEKLY)
        for statement in (
            "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
            "CREATE TABLE IF NOT EXISTS runs (replicate INTEGER, strategy VARCHAR, "
            "seed UBIGINT, params VARCHAR, PRIMARY KEY (replicate, strategy))",
            "CREATE TABLE IF NOT EXISTS summaries (replicate INTEGER, strategy VARCHAR, "
            "outcome VARCHAR, value DOUBLE)",
            f"CREATE TABLE IF NOT EXISTS weekly (replicate INTEGER, strategy VARCHAR, "
            f"week INTEGER, {weekly})",
            "CREATE TABLE IF NOT EXISTS places (replicate INTEGER, strategy VARCHAR, "
            "week INTEGER, place VARCHAR, flow_kg DOUBLE, seized_kg DOUBLE, "
            "homicides DOUBLE, od_deaths DOUBLE)",
            "CREATE TABLE IF NOT EXISTS links (replicate INTEGER, strategy VARCHAR, "
            "source VARCHAR, target VARCHAR, flow_kg DOUBLE)",
        ):
            self.db.execute(statement)

    def transaction(self):
        return _Transaction(self.db)

    def done(self) -> set[int]:
        rows = self.db.execute("SELECT DISTINCT replicate FROM runs").fetchall()
        return {r[0] for r in rows}

    def write_replicate(self, records: list[dict[str, Any]]) -> None:
        """All the strategies of one replicate (or sample of an exploration), in one
        transaction."""
        with self.transaction():
            for rec in records:
                key = [rec["replicate"], rec["strategy"]]
                self.db.execute(
                    "INSERT INTO runs VALUES (?, ?, ?, ?)",
                    [*key, rec["seed"], json.dumps(rec["params"], sort_keys=True)],
                )
                frames = {
                    "new_summaries": pd.DataFrame(
                        {
                            "replicate": rec["replicate"],
                            "strategy": rec["strategy"],
                            "outcome": list(rec["summary"]),
                            "value": [float(v) for v in rec["summary"].values()],
                        }
                    ),
                    # an exploration keeps the summaries only
                    **{f"new_{t}": rec[t] for t in ("weekly", "places", "links") if t in rec},
                }
                for name, frame in frames.items():
                    self.db.register(name, frame)
                    table = name.removeprefix("new_")
                    self.db.execute(f"INSERT INTO {table} SELECT * FROM {name}")
                    self.db.unregister(name)

    def export_parquet(self) -> list[Path]:
        paths = []
        for table in ("runs", "summaries", "weekly", "places", "links"):
            path = self.folder / f"{table}.parquet"
            tmp = path.with_suffix(".parquet.tmp")
            self.db.execute(
                f"COPY (SELECT * FROM {table} ORDER BY ALL) TO {_quoted(str(tmp))} (FORMAT PARQUET)"
            )
            tmp.replace(path)
            paths.append(path)
        return paths

    def close(self) -> None:
        self.db.close()

    def discard(self) -> None:
        """Close, and remove the store if this run made it and it holds no finished
        replicate (with its folder, if this run made that too and it is left empty)."""
        empty = not self.done()
        self.db.close()
        if not (self.created and empty):
            return
        for path in (self.path, self.path.with_name(FILE + ".wal")):
            path.unlink(missing_ok=True)
        if self._made_folder and not any(self.folder.iterdir()):
            self.folder.rmdir()


@contextmanager
def stops_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back for the milliseconds a store query takes, then deliver
    them: DuckDB would turn them into a RuntimeError in mid-query, with a traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    before = {s: signal.signal(s, lambda n, _: caught.append(n)) for s in STOPS}
    try:
        yield
    finally:
        for s, handler in before.items():
            signal.signal(s, signal.SIG_DFL if handler is None else handler)
        for s in caught:
            signal.raise_signal(s)


def check_out(folder: Path, digest: str, *, resume: bool) -> int:
    """How many replicates the store in `folder` has finished (0 if there is none), read
    without writing; a store this scenario may not use is a StoreError."""
    path = folder / FILE
    try:
        if folder.exists() and not folder.is_dir():
            raise StoreError(f"--out {folder}: not a folder")
        if not path.exists():
            _writable(folder)
            return 0
    except OSError as exc:
        raise StoreError(f"--out {folder}: not usable ({exc.strerror})") from None
    db = connect(path, read_only=True)
    try:
        tables = {row[0] for row in db.execute("SHOW TABLES").fetchall()}
        if not tables:  # made, and killed before its tables were: it holds nothing
            return 0
        if not {"meta", "runs"} <= tables:
            raise StoreError(f"{path} is not a cartelsim result store; choose another --out")
        stored = dict(db.execute("SELECT key, value FROM meta").fetchall())
        finished = db.execute("SELECT count(DISTINCT replicate) FROM runs").fetchone()[0]
    finally:
        db.close()
    if finished and not resume:
        raise StoreError(
            f"{path} holds {finished} finished replicate(s) (samples, for an exploration): "
            "use --resume to carry on, "
            "or another --out"
        )
    if finished and stored.get("digest") != digest:
        raise StoreError(
            f"{path} holds results of another scenario (digest {stored.get('digest')}, "
            f"this one {digest}); nothing was changed"
        )
    return finished


def _writable(folder: Path) -> None:
    """Make and remove a folder where the store would go, so a run that cannot write there
    stops before it starts (an OSError says why)."""
    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise StoreError(f"--out {folder}: {existing} is not a folder")
    tempfile.TemporaryDirectory(dir=existing).cleanup()


def connect(path: Path, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open a result store; a store in use, or a file that is no store, is a clear error."""
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        if "lock" in str(exc).lower():
            raise StoreError(
                f"{path} is in use by another process (a run still going?); "
                "try again when it has finished"
            ) from None
        raise StoreError(f"{path}: cannot open it as a result store ({exc})") from None


def _quoted(text: str) -> str:
    """A SQL string literal: COPY takes no bound parameter for its file in every version."""
    return "'" + text.replace("'", "''") + "'"


class _Transaction:
    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN TRANSACTION")

    def __exit__(self, kind, value, traceback):
        self.db.execute("ROLLBACK" if kind else "COMMIT")
