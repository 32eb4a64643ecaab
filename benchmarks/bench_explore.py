"""The default exploration (`cartelsim explore` with no flags) on the local pool: its wall time,
throughput and the width of the top factors' total-index intervals.

    python benchmarks/bench_explore.py [--samples 32] [--workers 2] [--repeats 1]

Prints one row per repeat and their median; each repeat explores into a fresh folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from cartelsim.analysis.explore import default_design, explore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, help="Sobol base samples (the default design's)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeats", type=int, default=1)
    args = parser.parse_args()
    design = default_design()
    if args.samples:
        design = replace(design, samples=args.samples)
    rows = []
    for _ in range(args.repeats):
        folder = Path(tempfile.mkdtemp(prefix="bench-explore-"))
        try:
            started = time.perf_counter()
            found = explore(design, folder / "out", workers=args.workers)
            seconds = time.perf_counter() - started
        finally:
            shutil.rmtree(folder)
        top = (
            found.indices.sort_values("ST", ascending=False)
            .groupby(["strategy", "outcome"], sort=False)
            .head(1)
        )  # the top factor of each effect
        top = top.dropna(subset=["ST"])
        rows.append(
            (len(found.samples), seconds, 2 * top["ST_conf"].median(), 2 * top["ST_conf"].max())
        )
    runs = len(design.strategies) + 1
    print(
        f"{len(design.factors())} factors ({design.by}s), N = {design.samples}, "
        f"{len(design.strategies)} strategies + baseline, {design.weeks} weeks, scale "
        f"{design.scale:g}, {args.workers} workers"
    )
    print(
        f"{'samples':>8}{'runs':>7}{'seconds':>9}{'runs/s':>8}  top ST interval width: median, max"
    )
    for samples, seconds, median, widest in rows:
        print(
            f"{samples:>8}{samples * runs:>7}{seconds:>9.0f}{samples * runs / seconds:>8.2f}"
            f"  {median:.2f}, {widest:.2f}"
        )
    if len(rows) > 1:
        print(f"median seconds: {statistics.median(r[1] for r in rows):.0f}")


if __name__ == "__main__":
    main()
