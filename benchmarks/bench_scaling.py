"""Throughput of the main job (`cartelsim run`, every strategy, the report included) on the
local process pool and on local Dask clusters of 1, 2 and 4 workers, and what a cluster of N
cores would give.

    python benchmarks/bench_scaling.py [--reps 4] [--repeats 3]

Each setting runs the main job's command in a fresh process (so import and the compiled
kernels' cache load count, as they do for a user) with fewer replicates than the default 14,
and prints the median of the repeats. The projection splits a job into its serial part (start,
report) and its parallel part (replicates, each the baseline and the strategies from one
burn-in) from the 1- and 2-process times (Amdahl's law), with replicates as the unit of work.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

from cartelsim.defaults import REPLICATES
from cartelsim.policy.library import STRATEGIES


def timed(reps: int, flags: list[str]) -> float:
    folder = tempfile.mkdtemp(prefix="bench-")
    command = [sys.executable, "-m", "cartelsim", "run", "--reps", str(reps), "--out", folder]
    try:
        started = time.perf_counter()
        subprocess.run(command + flags, check=True, capture_output=True)
        return time.perf_counter() - started
    finally:
        shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from distributed import LocalCluster

    settings: list[tuple[str, list[str] | int]] = [
        ("process pool, 1 process", ["--workers", "1"]),
        ("process pool, 2 processes", ["--workers", "2"]),
        ("Dask, 1 worker", 1),
        ("Dask, 2 workers", 2),
        ("Dask, 4 workers", 4),
    ]
    rows = []
    for label, how in settings:
        if isinstance(how, int):
            with LocalCluster(
                n_workers=how, threads_per_worker=1, processes=True, dashboard_address=None
            ) as cluster:
                flags = ["--scheduler", cluster.scheduler_address]
                seconds = statistics.median(timed(args.reps, flags) for _ in range(args.repeats))
        else:
            seconds = statistics.median(timed(args.reps, how) for _ in range(args.repeats))
        rows.append((label, seconds))
        print(f"  {label}: {seconds:.1f} s", file=sys.stderr)
    runs = args.reps * len(STRATEGIES)
    print(
        f"The main job with {args.reps} replicates ({runs} runs: {len(STRATEGIES)} strategies, "
        f"the baseline among them), median of {args.repeats}, on {os.cpu_count()} cores\n"
    )
    print(f"{'executor':<28}{'seconds':>9}{'runs/min':>10}{'speed-up':>10}")
    one = rows[0][1]
    for label, seconds in rows:
        print(f"{label:<28}{seconds:>9.1f}{runs / seconds * 60:>10.1f}{one / seconds:>10.2f}")
    parallel = 2 * (rows[0][1] - rows[1][1])  # T(n) = serial + parallel / n
    serial = one - parallel
    per_rep = parallel / args.reps
    print(
        f"\nserial part {serial:.1f} s; one replicate ({len(STRATEGIES)} runs) "
        f"{per_rep:.1f} s of one core"
    )
    print(f"\nthe default main job ({REPLICATES} replicates) on a cluster of N cores:")
    for cores in (1, 2, 4, 8, 16, 32):
        waves = math.ceil(REPLICATES / cores)
        print(f"  N = {cores:>2}: about {serial + waves * per_rep:.0f} s")


if __name__ == "__main__":
    main()
