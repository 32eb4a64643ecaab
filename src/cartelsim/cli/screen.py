"""`cartelsim screen`: which parameters decide which target (Morris screening)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cartelsim import fields
from cartelsim.cli.output import check_flag, whole_flags, write_whole
from cartelsim.errors import CartelsimError
from cartelsim.experiment.ensemble import progress_bar

LIMITS = {  # flag: (lowest, highest)
    "trajectories": (2, 1000),
    "levels": (2, 100),
    "seed": (0, 2**63 - 1),
    "workers": (1, 256),
    "top": (1, 1000),
}


def add(sub) -> None:
    screen = sub.add_parser(
        "screen",
        help="Morris screening: which parameters with a prior move which target",
    )
    screen.add_argument(
        "--targets",
        default="baseline",
        help="comma-separated target sets: baseline (the default: the targets a baseline "
        "measures), kingpin (R1-R4), strikes (R8, B14), precursors (R9), campaign (B15), or "
        "experiments (the last four; ≈25 s a sample)",
    )
    screen.add_argument(
        "--by",
        choices=("parameter", "section"),
        default="parameter",
        help="screen each parameter (default), or move each section of the parameter table as "
        "one factor: every parameter screened in (sections + 1) samples a trajectory",
    )
    screen.add_argument("--trajectories", type=int, default=4, help="Morris trajectories (4)")
    screen.add_argument("--levels", type=int, default=4, help="grid levels (4)")
    screen.add_argument("--scale", type=float, default=0.05, help="agents per member (0.05)")
    screen.add_argument("--seed", type=int, default=0, help="seed of the sample and every run")
    screen.add_argument("--workers", type=int, default=1, help="processes (1)")
    screen.add_argument("--params", help="screen only these parameters (comma-separated)")
    screen.add_argument("--top", type=int, default=5, help="parameters shown per target (5)")
    screen.add_argument("--out", type=Path, help="save screening.csv in this folder")
    screen.set_defaults(handler=screen_main)


def screen_main(args: argparse.Namespace) -> int:
    try:
        from cartelsim.analysis.screening import EXPERIMENTS, TARGET_SETS, problem, screen
    except ImportError:
        raise CartelsimError("screening needs SALib: pip install 'cartelsim[calibrate]'") from None
    whole_flags(args, LIMITS)
    check_flag("scale", lambda v: fields.real(v, 1e-4, 1.0), args.scale)
    names = [n.strip() for n in args.params.split(",")] if args.params else None
    target_sets = [t.strip() for t in args.targets.split(",")]
    if "experiments" in target_sets:
        target_sets.remove("experiments")
        target_sets += [t for t in EXPERIMENTS if t not in target_sets]
    target_sets = list(dict.fromkeys(target_sets))
    unknown = [t for t in target_sets if t not in TARGET_SETS]
    if unknown:
        raise CartelsimError(
            f"--targets: {', '.join(unknown)}: choose from {', '.join(TARGET_SETS)}, experiments"
        )
    check_flag("params", problem, names)
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        raise CartelsimError(f"--out {args.out}: not a folder")
    table = screen(
        trajectories=args.trajectories,
        levels=args.levels,
        seed=args.seed,
        scale=args.scale,
        names=names,
        target_sets=target_sets,
        by=args.by,
        workers=args.workers,
        progress=progress_bar(sys.stderr, unit="samples"),
    )
    if args.out is not None:
        try:
            args.out.mkdir(parents=True, exist_ok=True)
            write_whole(args.out, "screening.csv", table.to_csv(index=False))
        except OSError as exc:
            raise CartelsimError(f"--out {args.out}: cannot write there ({exc.strerror})") from None
    for target, rows in table.groupby("target", sort=False):
        first = rows.head(args.top).itertuples()
        shown = ", ".join(f"{r.parameter} {r.mu_star:.3g}" for r in first)
        print(f"{target:<16}{shown}")
    print(f"\nμ*: the mean absolute change in the target over each {args.by}'s prior range.")
    return 0
