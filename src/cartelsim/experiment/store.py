"""The result store: a DuckDB database in the output folder. Each finished replicate is
written in one transaction, so a run killed at any point leaves whole replicates or none, and
`--resume` carries on from there."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from cartelsim.errors import CartelsimError

FILE = "results.duckdb"
WEEKLY = (
    "od_deaths",
    "us_arrivals_kg",
    "mx_homicides",
    "strike_civilian_deaths",
    "strike_deaths",
    "cooperation",
    "cost_usd",
    "members",
    "price_per_pill_usd",
    "seized_poe_kg",
    "produced_kg",
)


class StoreError(CartelsimError):
    """The output folder holds results of another scenario, or cannot be written."""


class Store:
    def __init__(self, folder: Path, digest: str, meta: dict[str, Any], *, resume: bool):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"--out {folder}: cannot create it ({exc.strerror})") from None
        path = folder / FILE
        if path.exists() and not resume:
            raise StoreError(f"{path} exists: use --resume to carry on, or another --out")
        try:
            self.db = duckdb.connect(str(path))
        except duckdb.Error as exc:
            raise StoreError(f"{path}: cannot open the result store ({exc})") from None
        self._schema()
        stored = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        if stored and stored.get("digest") != digest:
            raise StoreError(
                f"{path} holds results of another scenario (digest "
                f"{stored.get('digest')}, this one {digest}); nothing was changed"
            )
        if not stored:
            with self.transaction():
                for key, value in {**meta, "digest": digest}.items():
                    self.db.execute(
                        "INSERT INTO meta VALUES (?, ?)",
                        [key, json.dumps(value) if key != "digest" else value],
                    )
        self.folder = folder

    def _schema(self) -> None:
        weekly = ", ".join(f"{c} DOUBLE" for c in WEEKLY)
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
        """All the strategies of one replicate, in one transaction."""
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
                    "new_weekly": rec["weekly"],
                    "new_places": rec["places"],
                    "new_links": rec["links"],
                }
                for name, frame in frames.items():
                    self.db.register(name, frame)
                    table = name.removeprefix("new_")
                    self.db.execute(f"INSERT INTO {table} SELECT * FROM {name}")
                    self.db.unregister(name)

    def summaries(self) -> pd.DataFrame:
        return self.db.execute("SELECT * FROM summaries ORDER BY replicate, strategy, outcome").df()

    def export_parquet(self) -> list[Path]:
        paths = []
        for table in ("runs", "summaries", "weekly", "places", "links"):
            path = self.folder / f"{table}.parquet"
            tmp = path.with_suffix(".parquet.tmp")
            self.db.execute(
                f"COPY (SELECT * FROM {table} ORDER BY ALL) TO '{tmp}' (FORMAT PARQUET)"
            )
            tmp.replace(path)
            paths.append(path)
        return paths

    def close(self) -> None:
        self.db.close()


class _Transaction:
    def __init__(self, db):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN TRANSACTION")

    def __exit__(self, kind, value, traceback):
        self.db.execute("ROLLBACK" if kind else "COMMIT")
