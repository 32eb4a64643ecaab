"""The published targets (CALIBRATION.md) as data, and how a measurement is judged against
them: one table of bands (targets.csv) for the tests, the docs and `cartelsim validate`."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

# What a target can tell (issue 15): only a `test` is evidence that the model is right.
LABELS = {
    "input": "echoes an input: the model is given the figure, or a formula of chosen parameters",
    "identity": "true by construction: a sign or an equality the mechanisms force",
    "fitted": "used to choose parameters, so meeting it is not evidence",
    "test": "never used to choose anything",
}


@dataclass(frozen=True)
class Target:
    id: str
    fact: str
    published: str
    lo: float
    hi: float
    source: str
    confidence: str
    informs: str
    label: str


@dataclass(frozen=True)
class Change:
    """Per-replicate values with the ensemble's own point estimate (a ratio of sums, which a
    few quiet replicates cannot swing as a mean of ratios can)."""

    values: np.ndarray
    point: float

    def __sub__(self, other: Change) -> Change:
        return Change(self.values - other.values, self.point - other.point)


def targets() -> list[Target]:
    text = (resources.files("cartelsim.analysis") / "targets.csv").read_text(encoding="utf-8")
    out = []
    for line, r in enumerate(csv.DictReader(text.splitlines()), start=2):
        if r["label"] not in LABELS:
            raise ValueError(
                f"targets.csv, line {line}, column 'label': {r['label']!r} is not one of "
                f"{', '.join(LABELS)}"
            )
        out.append(
            Target(
                r["id"],
                r["fact"],
                r["published"],
                float(r["lo"]),
                float(r["hi"]),
                r["source"],
                r["confidence"],
                r["informs"],
                r["label"],
            )
        )
    return out


def by_label(rows: list[dict[str, Any]], key: str = "pass") -> dict[str, tuple[int, int]]:
    """(met, measured) for each label — or (covered, measured) with key="covered": those of
    `LABELS` in their order, then any other (a validation file from elsewhere may carry none:
    "unlabelled")."""
    found = [r.get("label") or "unlabelled" for r in rows]
    order = [k for k in LABELS if k in found] + list(dict.fromkeys(found) - LABELS.keys())
    counts = {}
    for label in order:
        mine = [r for r, k in zip(rows, found, strict=True) if k == label]
        counts[label] = (sum(bool(r.get(key)) for r in mine), len(mine))
    return counts


def judge(values: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per target measured: mean (or point), 5th–95th percentile over replicates,
    the band, and whether the mean falls in it. Rows follow targets.csv."""
    rows = []
    for t in targets():
        if t.id not in values:
            continue
        found = values[t.id]
        v = np.asarray(found.values if isinstance(found, Change) else found, dtype=float)
        mean = float(found.point if isinstance(found, Change) else v.mean())
        rows.append(
            {
                "id": t.id,
                "label": t.label,
                "fact": t.fact,
                "published": t.published,
                "measured": mean,
                "lo": float(np.percentile(v, 5)),
                "hi": float(np.percentile(v, 95)),
                "band": [t.lo, t.hi],
                "pass": bool(t.lo <= mean <= t.hi),
                # The replicates' 90% interval meets the band (with parameters drawn from the
                # posterior, a posterior-predictive check).
                "covered": bool(np.percentile(v, 95) >= t.lo and np.percentile(v, 5) <= t.hi),
                "source": t.source,
                "informs": t.informs,
                "replicates": int(v.size),
            }
        )
    return rows


def table(values: dict[str, Any]) -> pd.DataFrame:
    """`judge` as a DataFrame, the band in two columns."""
    frame = pd.DataFrame(judge(values))
    frame[["band_lo", "band_hi"]] = pd.DataFrame(frame.pop("band").tolist(), index=frame.index)
    return frame
