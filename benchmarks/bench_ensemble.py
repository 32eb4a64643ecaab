"""Runs per minute of ensembles, on the local process pool and on a local Dask cluster.

    python benchmarks/bench_ensemble.py [--reps 8]

Each replicate runs the baseline and one other strategy (two runs, the burn-in shared). Prints
the median of three repeats per setting.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time

from cartelsim.experiment.api import compare


def timed(reps: int, scale: float, workers: int | None = None, scheduler: str | None = None):
    folder = tempfile.mkdtemp(prefix="bench-")
    try:
        started = time.perf_counter()
        compare(
            ["border-scanning"],
            replicates=reps,
            scale=scale,
            workers=workers,
            scheduler=scheduler,
            out=folder,
        )
        return time.perf_counter() - started
    finally:
        shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=8)
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    rows = []
    for scale in (0.1, 1.0):
        reps = args.reps if scale < 1 else max(args.reps // 2, 2)
        for label, kwargs in (("1 process", {"workers": 1}), (f"{cores} processes", {})):
            seconds = statistics.median(timed(reps, scale, **kwargs) for _ in range(3))
            rows.append((scale, label, reps, seconds))
        from distributed import LocalCluster

        with LocalCluster(
            n_workers=cores, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            seconds = statistics.median(
                timed(reps, scale, scheduler=cluster.scheduler_address) for _ in range(3)
            )
        rows.append((scale, f"Dask, {cores} workers", reps, seconds))
    print(f"{'scale':>6}  {'executor':<18}{'replicates':>11}{'seconds':>9}{'runs/min':>10}")
    for scale, label, reps, seconds in rows:
        print(f"{scale:>6g}  {label:<18}{reps:>11}{seconds:>9.1f}{2 * reps / seconds * 60:>10.1f}")


if __name__ == "__main__":
    main()
