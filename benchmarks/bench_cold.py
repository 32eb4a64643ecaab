"""What the compiled kernels cost a cold start: Numba builds them on the first run after
install (once; they are cached beside the package) and loads them from that cache afterwards.

    python benchmarks/bench_cold.py [--repeats 3]

Each repeat gives Numba an empty cache folder (NUMBA_CACHE_DIR), then runs two fresh
processes on it: the first compiles (cold), the second loads (warm). Each process imports
cartelsim and times two short runs of the `combined` strategy, which calls every kernel.
Prints medians, and each kernel's compile time from Numba's own timers.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

PROBE = r"""
import json, sys, time
started = time.perf_counter()
import cartelsim as cs
imported = time.perf_counter()
cs.Sim(weeks=8, scale=0.1, seed=0, strategy="combined").run()
first = time.perf_counter()
cs.Sim(weeks=8, scale=0.1, seed=0, strategy="combined").run()
second = time.perf_counter()
from numba.core.dispatcher import Dispatcher
compiled = {}
for name, module in list(sys.modules.items()):
    if not name.startswith("cartelsim"):
        continue
    for attr, value in vars(module).items():
        if isinstance(value, Dispatcher) and value.__module__ == name:
            seconds = [(c.metadata or {}).get("timers", {}).get("compiler_lock", 0.0)
                       for c in value.overloads.values()]
            compiled[f"{name.removeprefix('cartelsim.')}.{attr}"] = sum(seconds)
print(json.dumps({"import": imported - started, "first": first - imported,
                  "second": second - first, "compiled": compiled}))
"""


def probe(cache: str) -> dict:
    env = dict(os.environ, NUMBA_CACHE_DIR=cache)
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    cold, warm = [], []
    for _ in range(args.repeats):
        with tempfile.TemporaryDirectory(prefix="numba-cache-") as cache:
            cold.append(probe(cache))
            warm.append(probe(cache))
    print(f"median of {args.repeats}, two runs of 8 weeks at scale 0.1 (`combined`)\n")
    print(f"{'start':<8}{'import':>9}{'first run':>11}{'second run':>12}")
    for label, runs in (("cold", cold), ("warm", warm)):
        row = [statistics.median(r[k] for r in runs) for k in ("import", "first", "second")]
        print(f"{label:<8}{row[0]:>9.2f}{row[1]:>11.2f}{row[2]:>12.2f}")
    kernels = sorted(cold[0]["compiled"], key=lambda k: -cold[0]["compiled"][k])
    print("\ncompile time per kernel on the cold start (s; a kernel's includes the kernels it")
    print("calls that were compiled with it):")
    for name in kernels:
        seconds = statistics.median(r["compiled"].get(name, 0.0) for r in cold)
        print(f"  {name:<46}{seconds:>6.2f}")
    extra = statistics.median(c["first"] - w["first"] for c, w in zip(cold, warm, strict=True))
    print(f"\nthe first run after install takes {extra:.1f} s longer than later first runs")
    recompiled = max(sum(r["compiled"].values()) for r in warm)
    print(f"warm starts compiled {recompiled:.2f} s (0: every kernel came from the cache)")


if __name__ == "__main__":
    main()
