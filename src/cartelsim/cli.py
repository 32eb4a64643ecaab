"""The command line: `cartelsim run` (the comparison), `simulate` (one run), `init`,
`strategies`, `params`."""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from cartelsim import __version__
from cartelsim.analysis.validate import FULL, QUICK, validate
from cartelsim.cli_run import add_run, init_main
from cartelsim.errors import CartelsimError, FieldError, ParameterError
from cartelsim.fields import shown
from cartelsim.outcomes import TABLE
from cartelsim.params import SPECS, Params
from cartelsim.policy.library import STRATEGIES
from cartelsim.report.html import build_report
from cartelsim.report.images import write_images
from cartelsim.results import Results
from cartelsim.sim import Sim
from cartelsim.world.world import load_world

_WHOLE = re.compile(r"[+-]?[0-9]+")


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a name that is not UTF-8 still prints
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except CartelsimError as exc:
        print(f"cartelsim: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("cartelsim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (e.g. `| head`): not an error of ours
        sys.stderr.close()
        return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cartelsim",
        description="Simulate the campaign against the Mexican cartels and its alternatives.",
    )
    parser.add_argument("--version", action="version", version=f"cartelsim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    add_run(sub)
    run = sub.add_parser("simulate", help="one run of the model, with a detailed summary")
    run.add_argument(
        "--world", default="mexico-2025", help="bundled world name or folder (default: mexico-2025)"
    )
    run.add_argument("--weeks", type=int, default=260, help="horizon in weeks (default: 260)")
    run.add_argument("--seed", type=int, default=0, help="root random seed (default: 0)")
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
    run.set_defaults(handler=_simulate)

    init = sub.add_parser("init", help="write a commented example scenario file")
    init.add_argument("path", type=Path, nargs="?", default=Path("scenario.toml"))
    init.set_defaults(handler=init_main)

    report = sub.add_parser("report", help="write the HTML report of a comparison's results")
    report.add_argument("folder", type=Path, help="the output folder of `cartelsim run`")
    report.add_argument(
        "--images",
        action="store_true",
        help="also write every chart as PNG, SVG and PDF in FOLDER/figures",
    )
    report.set_defaults(handler=_report)

    check = sub.add_parser("validate", help="measure the model against the published evidence")
    check.add_argument("--quick", action="store_true", help="a small ensemble (about 30 s)")
    check.add_argument("--json", action="store_true", help="print the targets as JSON")
    check.add_argument(
        "--out",
        type=Path,
        help="also save validation.json there (the report of a comparison in that folder shows it)",
    )
    check.set_defaults(handler=_validate)

    strategies = sub.add_parser("strategies", help="list the named strategies and their levers")
    strategies.add_argument("--json", action="store_true", help="print as JSON")
    strategies.set_defaults(handler=_strategies)

    params = sub.add_parser("params", help="list the model's parameters")
    params.add_argument("--json", action="store_true", help="print as JSON")
    params.set_defaults(handler=_params)
    return parser


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


def _simulate(args: argparse.Namespace) -> int:
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
        print(json.dumps(_jsonable(results.summary()), indent=2, sort_keys=True))
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
        "summary.json": json.dumps(_jsonable(results.summary()), indent=2, sort_keys=True),
        "run.json": json.dumps(_jsonable(run), indent=2, sort_keys=True),
    }
    for name, text in files.items():
        with tempfile.NamedTemporaryFile("w", dir=folder, delete=False, suffix=".tmp") as tmp:
            tmp.write(text)
        os.replace(tmp.name, folder / name)


def _report(args: argparse.Namespace) -> int:
    print(f"Wrote {build_report(args.folder)}")
    if args.images:
        written = write_images(args.folder)
        print(f"Wrote {len(written)} chart files in {args.folder / 'figures'}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    rows = validate(QUICK if args.quick else FULL)
    if args.out is not None:
        try:
            args.out.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", dir=args.out, delete=False, suffix=".tmp") as tmp:
                json.dump(_jsonable({"targets": rows}), tmp, indent=2, sort_keys=True)
            os.replace(tmp.name, args.out / "validation.json")
        except OSError as exc:
            raise CartelsimError(f"--out {args.out}: cannot write there ({exc.strerror})") from None
    if args.json:
        keep = ("id", "published", "measured", "lo", "hi", "pass", "band", "replicates")
        print(
            json.dumps(
                {"targets": [_jsonable({k: r[k] for k in keep}) for r in rows]},
                indent=2,
                sort_keys=True,
            )
        )
    else:
        print(f"{'id':<19}{'measured':>12}  {'[5%, 95%]':<24}{'band':<24}{'':>5}  fact")
        for r in rows:
            band = f"[{_num(r['band'][0])}, {_num(r['band'][1])}]"
            spread = f"[{_num(r['lo'])}, {_num(r['hi'])}]"
            mark = "pass" if r["pass"] else "FAIL"
            print(
                f"{r['id']:<19}{_num(r['measured']):>12}  {spread:<24}{band:<24}{mark:>5}  "
                f"{r['fact']}"
            )
        passed = sum(r["pass"] for r in rows)
        print(f"\n{passed} of {len(rows)} targets met")
    return 0 if all(r["pass"] for r in rows) else 1


def _num(value: float) -> str:
    if not math.isfinite(value):
        return "∞" if value > 0 else "−∞"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def _strategies(args: argparse.Namespace) -> int:
    rows = [s.as_dict() for s in STRATEGIES.values()]
    if args.json:
        print(json.dumps(_jsonable(rows), indent=2))
        return 0
    for row in rows:
        print(f"{row['name']}\n  {row['description']}")
        for lever in row["levers"]:
            extra = {
                k: v
                for k, v in lever.items()
                if k not in ("lever", "intensity", "unit", "start", "end", "ramp_weeks")
            }
            when = f" from week {lever['start']}" if lever["start"] else ""
            ramp = f", reached over {lever['ramp_weeks']} weeks" if lever["ramp_weeks"] else ""
            more = "".join(f", {k} {v}" for k, v in extra.items())
            print(f"  - {lever['lever']}: {lever['intensity']:g} {lever['unit']}{when}{ramp}{more}")
        for source in row["sources"]:
            print(f"  source: {source}")
        print()
    return 0


def _params(args: argparse.Namespace) -> int:
    rows = [
        {
            "name": s.name,
            "default": s.default,
            "unit": s.unit,
            "min": s.lo,
            "max": s.hi,
            "prior": None if s.prior is None else [s.prior.dist, s.prior.lo, s.prior.hi],
            "source": s.source,
            "meaning": s.doc,
        }
        for s in SPECS
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(r["name"]) for r in rows)
    for r in rows:
        prior = (
            ""
            if r["prior"] is None
            else f"  prior {r['prior'][0]}({r['prior'][1]:g}, {r['prior'][2]:g})"
        )
        print(f"{r['name']:<{width}}  {r['default']:>10g} {r['unit']}{prior}")
        print(f"{'':<{width}}  {r['meaning']} [{r['source']}]")
    return 0


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


if __name__ == "__main__":
    sys.exit(main())
