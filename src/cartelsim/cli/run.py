"""`cartelsim run`: compare strategies over paired replicates — the main job."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cartelsim import defaults
from cartelsim.experiment.api import run_comparison
from cartelsim.experiment.ensemble import progress_bar
from cartelsim.experiment.preflight import preflight
from cartelsim.experiment.scenario import (
    PARAMETER_MODES,
    Scenario,
    ScenarioError,
    load_scenario,
    parse_scenario,
    with_flags,
)
from cartelsim.report.html import build_report


def add(sub) -> None:
    run = sub.add_parser(
        "run",
        help="compare strategies over paired replicates (the main job)",
        description="Compare strategies against the baseline. With no arguments: every "
        "built-in strategy on the default world, 14 replicates at scale 0.1.",
    )
    run.add_argument(
        "scenario", type=Path, nargs="?", help="a scenario file (TOML); see `cartelsim init`"
    )
    run.add_argument("--strategies", help="comma-separated strategy names (default: all)")
    run.add_argument("--reps", type=int, help=f"replicates (default: {defaults.REPLICATES})")
    run.add_argument("--weeks", type=int, help="horizon in weeks (default: 260)")
    run.add_argument("--scale", type=float, help=f"agent scale (default: {defaults.SCALE})")
    run.add_argument("--seed", type=int, help="root seed (default: 0)")
    run.add_argument("--world", help="bundled world name or folder (default: mexico-2025)")
    run.add_argument(
        "--parameters",
        choices=PARAMETER_MODES,
        help="each replicate's parameters: an accepted set of the world's posterior with every "
        "other prior drawn (the default where the world ships one), every prior drawn, or the "
        "fixed defaults",
    )
    run.add_argument("--workers", type=int, help="local processes (default: all cores)")
    run.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler")
    run.add_argument(
        "--out",
        type=Path,
        default=Path("cartelsim-out"),
        help="output folder with the result store (default: cartelsim-out)",
    )
    run.add_argument(
        "--resume",
        action="store_true",
        help="carry on a run that stopped, keeping its finished replicates",
    )
    run.add_argument(
        "--json", action="store_true", help="print the comparison as JSON (deterministic)"
    )
    run.add_argument(
        "--check",
        action="store_true",
        help="check the scenario, the world, the flags and the output folder; run nothing, "
        "write nothing",
    )
    run.set_defaults(handler=run_main)

    init = sub.add_parser("init", help="write a commented example scenario file")
    init.add_argument("path", type=Path, nargs="?", default=Path("scenario.toml"))
    init.set_defaults(handler=init_main)


def scenario_from(args: argparse.Namespace) -> Scenario:
    if args.scenario is not None:
        scenario = load_scenario(args.scenario)
    else:
        scenario = parse_scenario(
            {"run": {"scale": defaults.SCALE, "replicates": defaults.REPLICATES}},
            where="command line",
        )
    flags = {
        "weeks": ("weeks", args.weeks),
        "scale": ("scale", args.scale),
        "seed": ("seed", args.seed),
        "reps": ("replicates", args.reps),
        "world": ("world", args.world),
        "strategies": ("strategies", args.strategies),
        "parameters": ("parameters", args.parameters),
    }
    return with_flags(scenario, {k: v for k, v in flags.items() if v[1] is not None})


def run_main(args: argparse.Namespace) -> int:
    scenario = scenario_from(args)
    plan = preflight(
        scenario, args.out, resume=args.resume, workers=args.workers, scheduler=args.scheduler
    )
    if args.check:
        print(plan.describe())
        return 0
    for note in plan.notes:
        print(f"cartelsim: note: {note}", file=sys.stderr)
    result = run_comparison(
        scenario,
        args.out,
        workers=args.workers,
        scheduler=args.scheduler,
        resume=args.resume,
        progress=progress_bar(sys.stderr),
    )
    report = build_report(args.out)
    if args.json:
        print(result.to_json())
    else:
        print(result.table())
        print(f"\nResults: {args.out}/results.duckdb (and Parquet files beside it).")
        print(f"Report: {report} (opens offline in any browser).")
    return 0


INIT_TEXT = """# A cartelsim scenario. Run it with: cartelsim run scenario.toml
# Every key is optional; the values shown are the defaults unless marked.

[run]
world = "mexico-2025"        # a bundled world, or a folder of world files
weeks = 260                  # five years from January 2025
scale = 0.1                  # one agent for ten members; 1.0 is every member
seed = 0                     # the root seed; each replicate's seed is derived from it
replicates = 14              # paired replicates: every strategy runs on the same ones
strategies = ["baseline", "border-scanning", "drone-strikes-unilateral", "my-package"]
parameters = "posterior"     # or "prior" (every prior drawn) or "fixed" (the defaults)

[params]                     # fixed overrides of the defaults (see `cartelsim params`)
# naloxone_effect = 0.15

[priors]                     # uncertain parameters, drawn once per replicate
deterrence_strength = { dist = "uniform", lo = 0.0, hi = 1.0 }
unilateral_erosion = { dist = "uniform", lo = 0.0, hi = 0.08 }

[strategies.my-package]      # a custom strategy built from levers (see docs/levers.md)
description = "Scanning and money, with naloxone"

[[strategies.my-package.levers]]
lever = "scanning"
intensity = 0.4              # share of passenger vehicles scanned
truck = 0.7
ramp_weeks = 52

[[strategies.my-package.levers]]
lever = "follow-the-money"
intensity = 0.1

[[strategies.my-package.levers]]
lever = "naloxone"
intensity = 0.2
start = 26                   # from week 26
"""


def init_main(args: argparse.Namespace) -> int:
    try:
        with args.path.open("x", encoding="utf-8") as handle:  # never overwrites
            handle.write(INIT_TEXT)
    except FileExistsError:
        raise ScenarioError(f"{args.path} exists; choose another path") from None
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ScenarioError(f"{args.path}: cannot write it ({reason})") from None
    print(f"Wrote {args.path}; run it with: cartelsim run {args.path}")
    return 0
