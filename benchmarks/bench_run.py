"""Time one run of the default world and each weekly process; state memory per member.

    python benchmarks/bench_run.py [--repeats 5] [--weeks 260] [--scale 1.0] [--strategy NAME]

Prints the median of several runs as a table (the way Starsim and LASER time components).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np

import cartelsim as cs
from cartelsim.sim import BURN_IN_WEEKS
from cartelsim.state.assets import Assets
from cartelsim.state.members import Members


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--weeks", type=int, default=260)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--strategy", default="baseline")
    args = parser.parse_args()

    started = time.perf_counter()
    world = cs.load_world()
    load_seconds = time.perf_counter() - started
    totals, parts, members, start = [], [], 0, 0
    for seed in range(args.repeats):
        started = time.perf_counter()
        sim = cs.Sim(world, weeks=args.weeks, seed=seed, scale=args.scale, strategy=args.strategy)
        res = sim.run()
        totals.append(time.perf_counter() - started)
        parts.append(res.timings)
        members = sim.members.count
        start = int(sim.roster.start)
    names = list(parts[0])
    total = statistics.median(totals)
    print(
        f"cartelsim {cs.__version__} · Python {platform.python_version()} · numpy "
        f"{np.__version__} · {platform.machine()}"
    )
    print(
        f"strategy {args.strategy}, {args.weeks} weeks (+{BURN_IN_WEEKS} burn-in), "
        f"scale {args.scale:g}, "
        f"{start:,} member agents at the start and {members:,} rows at the end (recruits "
        f"added, the departed kept), median of {args.repeats} runs (world loaded once)\n"
    )
    print(f"{'component':<14}{'seconds':>10}{'share':>9}")
    print("-" * 33)
    for name in names:
        value = statistics.median(p[name] for p in parts)
        print(f"{name:<14}{value:>10.3f}{value / total:>9.1%}")
    print("-" * 33)
    print(f"{'total':<14}{total:>10.3f}{'':>9}  (min {min(totals):.3f}, max {max(totals):.3f})")
    print(f"loading the world files once: {load_seconds:.3f} s")
    row = Members().nbytes_per_row()
    print(
        f"\nmemory: {row} bytes per member row ({len(Members.columns)} columns), "
        f"{Assets().nbytes_per_row()} bytes per asset row; "
        f"{members * row / 2**20:.1f} MiB for {members:,} member rows"
    )


if __name__ == "__main__":
    main()
