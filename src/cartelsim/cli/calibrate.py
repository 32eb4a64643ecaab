"""`cartelsim calibrate`: ABC-SMC of the influential parameters on the fitted targets."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from cartelsim import fields
from cartelsim.cli.output import check_flag, whole_flags
from cartelsim.errors import CartelsimError
from cartelsim.experiment.ensemble import dask_client, progress_bar
from cartelsim.world.world import world_folder

LIMITS = {  # flag: (lowest, highest)
    "population": (2, 100_000),
    "generations": (1, 1000),
    "budget": (2, 10_000_000),
    "seed": (0, 2**63 - 1),
    "workers": (1, 256),
}


def add(sub) -> None:
    cal = sub.add_parser(
        "calibrate",
        help="ABC-SMC: condition the influential parameters on the fitted targets (to 2023)",
        description="Likelihood-free calibration (ABC-SMC, pyabc) of the parameters the fitted "
        "targets inform, on the figures of 2022-2023; writes posterior.csv and posterior.json "
        "(copy both into a world folder to make them its posterior).",
    )
    cal.add_argument("--out", type=Path, default=Path("calibration"), help="folder (calibration)")
    cal.add_argument("--population", type=int, help="particles per generation (200)")
    cal.add_argument(
        "--generations", type=int, help="at most this many in all, earlier ones included (8)"
    )
    cal.add_argument(
        "--budget",
        type=int,
        help="stop after the generation that reaches this many runs in all, earlier ones "
        "included (4000)",
    )
    cal.add_argument(
        "--epsilon",
        type=float,
        help="stop at this tolerance, in half-band units (1, the default: every target inside "
        "its band)",
    )
    cal.add_argument("--scale", type=float, help="agents per member (0.1)")
    cal.add_argument("--seed", type=int, help="root seed (0)")
    cal.add_argument("--workers", type=int, help="local processes (1)")
    cal.add_argument("--scheduler", metavar="ADDRESS", help="a running Dask scheduler")
    cal.add_argument("--world", help="bundled world name or folder (default: mexico-2025)")
    cal.add_argument("--resume", action="store_true", help="carry on the calibration in --out")
    cal.add_argument(
        "--quick", action="store_true", help="a tiny calibration (a test); flags override it"
    )
    cal.set_defaults(handler=calibrate_main)


def calibrate_main(args: argparse.Namespace) -> int:
    try:
        from cartelsim.analysis import calibration
    except ImportError:
        raise CartelsimError(
            "calibration needs pyabc: pip install 'cartelsim[calibrate]'"
        ) from None
    chosen = calibration.QUICK if args.quick else calibration.Settings()
    given = whole_flags(args, LIMITS)
    for flag, (lo, hi) in (("scale", (1e-4, 1.0)), ("epsilon", (0.0, 1e9))):
        if (value := getattr(args, flag)) is not None:
            check_flag(flag, lambda v, lo=lo, hi=hi: fields.real(v, lo, hi), value)
            given[flag] = value
    if args.world is not None:
        try:
            world_folder(args.world)
        except CartelsimError as exc:
            raise CartelsimError(f"--world: {exc}") from None
        given["world"] = args.world
    chosen = replace(chosen, **given)
    if args.out.exists() and not args.out.is_dir():
        raise CartelsimError(f"--out {args.out}: not a folder")
    with dask_client(args.scheduler) as client:
        posterior = calibration.calibrate(
            args.out,
            chosen,
            resume=args.resume,
            client=client,
            progress=progress_bar(sys.stderr, unit="particles"),
            log=lambda line: print(line, file=sys.stderr),
        )
    print(calibration.summary(posterior))
    print(f"\nPosterior: {args.out}/posterior.csv, provenance in {args.out}/posterior.json.")
    return 0
