"""`cartelsim explore`: Sobol indices of each strategy's effects over the uncertain parameters,
and scenario discovery (PRIM or CART) for conditions given with --where."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from dataclasses import replace
from pathlib import Path

from cartelsim import defaults, fields
from cartelsim.analysis import discovery
from cartelsim.analysis.explore import QUICK, Design, check, default_design, explore, summary
from cartelsim.cli.output import check_flag, whole_flags, write_whole
from cartelsim.errors import CartelsimError
from cartelsim.experiment.ensemble import progress_bar
from cartelsim.world.world import world_folder

LIMITS = {  # flag: (lowest, highest)
    "samples": (2, 2**20),
    "weeks": (1, 5200),
    "seed": (0, 2**63 - 1),
    "workers": (1, 256),
    "top": (1, 1000),
}


def add(sub) -> None:
    explore = sub.add_parser(
        "explore",
        help="which uncertain assumptions decide each strategy's effects (Sobol indices), and "
        "where a condition holds (scenario discovery)",
        description="Sobol first-order and total indices (SALib) of each strategy's paired "
        "effect on each headline outcome over the uncertain parameters, with bootstrap "
        "intervals; with --where, the parameter ranges where a condition holds (PRIM or CART, "
        "EMA Workbench). Stored in --out a sample at a time: --resume carries on.",
    )
    explore.add_argument("--strategies", help="comma-separated (drone-strikes-joint,kingpin)")
    explore.add_argument(
        "--params", help="comma-separated parameters with a prior (default: every one of them)"
    )
    explore.add_argument(
        "--by",
        choices=("parameter", "section"),
        help="Sobol factors: each parameter, or each section of the parameter table as one "
        "factor (the default with no --params)",
    )
    explore.add_argument(
        "--parameters",
        choices=("prior", "posterior"),
        help="their distributions: the priors, or the world's posterior for the calibrated "
        "ones (the default where the world ships one)",
    )
    explore.add_argument("--samples", type=int, help="Sobol base samples N, a power of 2 (32)")
    explore.add_argument("--weeks", type=int, help="weeks each run lasts (104)")
    explore.add_argument("--scale", type=float, help="agents per member (0.05)")
    explore.add_argument("--seed", type=int, help="seed of the design and of every run (0)")
    explore.add_argument("--world", help="bundled world name or folder (mexico-2025)")
    explore.add_argument("--workers", type=int, default=1, help="local processes (1)")
    explore.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler")
    explore.add_argument("--out", type=Path, default=Path("exploration"), help="(exploration)")
    explore.add_argument("--resume", action="store_true", help="carry on the exploration in --out")
    explore.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="CONDITION",
        help="'STRATEGY: CONDITION' on its outcomes, e.g. 'drone-strikes-joint: od_deaths < "
        "baseline and mx_homicides_per_year < 1.1*baseline' (repeatable)",
    )
    explore.add_argument("--method", choices=("prim", "cart"), default="prim", help="(prim)")
    explore.add_argument(
        "--threshold", type=float, default=0.8, help="least density of a box (0.8)"
    )
    explore.add_argument("--top", type=int, default=3, help="factors shown per effect (3)")
    explore.add_argument(
        "--quick", action="store_true", help="a tiny exploration (a test); flags override it"
    )
    explore.set_defaults(handler=explore_main)


def explore_main(args: argparse.Namespace) -> int:
    try:
        import SALib  # noqa: F401
    except ImportError:
        raise CartelsimError("exploring needs SALib: pip install 'cartelsim[explore]'") from None
    design = design_from(args)
    if args.where:  # a typo, or no Workbench, is refused before anything runs
        if importlib.util.find_spec("ema_workbench") is None:
            raise CartelsimError(
                "--where needs the EMA Workbench: pip install 'cartelsim[explore]'"
            )
        for condition in args.where:
            discovery.check_condition(condition, design.strategies)
    found = explore(
        design,
        args.out,
        workers=args.workers,
        scheduler=args.scheduler,
        resume=args.resume,
        progress=progress_bar(sys.stderr, unit="samples"),
    )
    print(summary(found, args.top))
    if args.where:
        boxes = [discovery.discover(found, c, args.method, args.threshold) for c in args.where]
        asked = [{"condition": c, "method": args.method, "threshold": args.threshold}
                 for c in args.where]  # fmt: skip
        write_whole(args.out, discovery.FILE, json.dumps({"conditions": asked}, indent=2) + "\n")
        print("\nScenario discovery (" + args.method.upper() + "):")
        for box in boxes:
            print(f"- {box.sentence}")
    print(f"\nStored in {args.out}; `cartelsim report {args.out}` draws it.")
    return 0


def design_from(args: argparse.Namespace) -> Design:
    """The design the flags ask for: the defaults (or --quick's), then each flag given."""
    from cartelsim.world.world import load_world

    whole_flags(args, LIMITS)
    if args.scale is not None:
        check_flag("scale", lambda v: fields.real(v, 1e-4, 1.0), args.scale)
    check_flag("threshold", lambda v: fields.real(v, 0.0, 1.0), args.threshold)
    if args.out.exists() and not args.out.is_dir():
        raise CartelsimError(f"--out {args.out}: not a folder")
    world = args.world or defaults.WORLD
    try:
        world_folder(world)
    except CartelsimError as exc:
        raise CartelsimError(f"--world: {exc}") from None
    chosen = QUICK if args.quick else default_design(world)
    given = {k: getattr(args, k) for k in ("samples", "weeks", "scale", "seed", "by", "parameters")}
    given = {k: v for k, v in given.items() if v is not None}
    if args.strategies:
        given["strategies"] = tuple(s.strip() for s in args.strategies.split(","))
    if args.params:
        given["names"] = tuple(n.strip() for n in args.params.split(","))
        given.setdefault("by", "parameter")
    if args.world:
        given["world"] = args.world
    design = replace(chosen, **given)
    if "names" not in given and design.by == "parameter" and not args.quick:
        raise CartelsimError(
            "--by parameter: name the parameters with --params (every parameter one at a time "
            "is too many Sobol factors); --by section screens them all"
        )
    try:
        check(design, load_world(world))
    except CartelsimError as exc:
        raise CartelsimError(f"--{exc}") from None
    return design
