"""`cartelsim simulate`: one run of the model, with a detailed summary."""

from __future__ import annotations

import argparse
import json
import math
import re
import time
from pathlib import Path

from cartelsim import defaults
from cartelsim.cli.output import jsonable, write_whole
from cartelsim.errors import CartelsimError, FieldError, ParameterError
from cartelsim.fields import shown
from cartelsim.outcomes import TABLE
from cartelsim.params import Params
from cartelsim.results import Results
from cartelsim.sim import Sim
from cartelsim.version import __version__
from cartelsim.world.world import load_world

_WHOLE = re.compile(r"[+-]?[0-9]+")


def add(sub) -> None:
    run = sub.add_parser("simulate", help="one run of the model, with a detailed summary")
    run.add_argument(
        "--world",
        default=defaults.WORLD,
        help=f"bundled world name or folder (default: {defaults.WORLD})",
    )
    run.add_argument(
        "--weeks",
        type=int,
        default=defaults.WEEKS,
        help=f"horizon in weeks (default: {defaults.WEEKS})",
    )
    run.add_argument(
        "--seed",
        type=int,
        default=defaults.SEED,
        help=f"root random seed (default: {defaults.SEED})",
    )
    run.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="people per agent is 1/scale; 0.1 runs ten times lighter (default: 1)",
    )
    run.add_argument(
        "--strategy",
        default="baseline",
        help="a named strategy (see `cartelsim strategies`; default: baseline)",
    )
    run.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a parameter (repeatable); see `cartelsim params`",
    )
    run.add_argument("--json", action="store_true", help="print the summary as JSON")
    run.add_argument("--out", type=Path, help="write weekly, per-place and per-link series here")
    run.add_argument(
        "--check", action="store_true", help="check every input; run nothing, write nothing"
    )
    run.set_defaults(handler=simulate)


def _overrides(pairs: list[str]) -> dict[str, float]:
    """--set NAME=VALUE pairs as numbers; Params then checks each against its declaration."""
    out: dict[str, float] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name:
            raise ParameterError(f"--set {shown(pair)}: expected NAME=VALUE")
        if name in out:
            raise ParameterError(f"--set {shown(name)}: given twice")
        try:
            out[name] = int(value) if _WHOLE.fullmatch(value) else float(value)
        except ValueError:
            raise ParameterError(
                f"--set {shown(name)}: expected a number, got {shown(value)}"
            ) from None
    return out


def simulate(args: argparse.Namespace) -> int:
    try:
        world = load_world(args.world)
    except CartelsimError as exc:
        raise CartelsimError(f"--world {shown(args.world)}: {exc}") from None
    try:
        sim = Sim(
            world,
            Params(_overrides(args.set), origin="--set"),
            strategy=args.strategy,
            weeks=args.weeks,
            seed=args.seed,
            scale=args.scale,
        )
    except FieldError as exc:
        raise CartelsimError(f"--{exc.field}: {exc.message}") from None
    if args.out is not None and args.out.exists() and not args.out.is_dir():
        raise CartelsimError(f"--out {args.out}: not a folder")
    if args.check:
        print(
            f"ready: strategy {sim.strategy.name!r} on world {sim.world.name!r}, "
            f"{sim.weeks} weeks, seed {sim.seed}, scale {sim.scale:g}"
        )
        return 0
    if args.out is not None:  # find out now, not after the run, that it cannot be written
        try:
            args.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CartelsimError(f"--out {args.out}: cannot create it ({exc.strerror})") from None
    started = time.perf_counter()
    results = sim.run()
    elapsed = time.perf_counter() - started + sim.timings["init"]
    if args.out is not None:
        try:
            write_results(args.out, results, sim)
        except OSError as exc:
            raise CartelsimError(f"--out {args.out}: cannot write there ({exc.strerror})") from None
    if args.json:
        print(json.dumps(jsonable(results.summary()), indent=2, sort_keys=True))
    else:
        print(_summary_table(results, sim, elapsed))
        if args.out is not None:
            print(f"\nResults written to {args.out}/")
    return 0


def _summary_table(results: Results, sim: Sim, elapsed: float) -> str:
    s = results.summary()
    head = (
        f"cartelsim {__version__} · strategy {sim.strategy.name} · world {sim.world.name} · "
        f"{sim.weeks} weeks from "
        f"{int(sim.params.start_year)} · seed {sim.seed} · scale {sim.scale:g}"
    )
    lines = [head, "", f"{'outcome':<42}{'value':>16}  unit", "-" * 72]
    for outcome in TABLE:
        value, row = s[outcome.name], outcome.row
        missing = isinstance(value, float) and math.isnan(value)
        text = "n/a" if missing else f"{value:,.{row.digits}f}"
        lines.append(f"{row.label:<42}{text:>16}  {outcome.unit}")
    lines.append("-" * 72)
    lines.append(
        f"Ran in {elapsed:.2f} s. Use --json for every summary scalar, --out DIR for the series."
    )
    return "\n".join(lines)


def write_results(folder: Path, results: Results, sim: Sim) -> None:
    """Write each file whole or not at all: a crash never leaves a half-written file."""
    folder.mkdir(parents=True, exist_ok=True)
    run = {
        "strategy": sim.strategy.as_dict(),
        "version": __version__,
        "world": sim.world.name,
        "weeks": sim.weeks,
        "seed": sim.seed,
        "scale": sim.scale,
        "params": dict(sim.params),
    }
    files = {
        "weekly.csv": results.weekly().to_csv(),
        "places.csv": results.places().to_csv(index=False),
        "links.csv": results.links().to_csv(index=False),
        "summary.json": json.dumps(jsonable(results.summary()), indent=2, sort_keys=True),
        "run.json": json.dumps(jsonable(run), indent=2, sort_keys=True),
    }
    for name, text in files.items():
        write_whole(folder, name, text)
