"""`cartelsim validate`: the model measured against the published evidence."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from cartelsim.analysis.targets import LABELS, by_label
from cartelsim.analysis.validate import FULL, QUICK, validate
from cartelsim.cli.output import jsonable, write_whole
from cartelsim.errors import CartelsimError, ParameterError
from cartelsim.experiment.priors import default_mode
from cartelsim.experiment.scenario import PARAMETER_MODES
from cartelsim.world.world import load_world


def add(sub) -> None:
    check = sub.add_parser("validate", help="measure the model against the published evidence")
    check.add_argument("--quick", action="store_true", help="a small ensemble (about two minutes)")
    check.add_argument("--json", action="store_true", help="print the targets as JSON")
    check.add_argument(
        "--parameters",
        choices=PARAMETER_MODES,
        help="each replicate's parameters, as `cartelsim run` takes them (default: the "
        "world's posterior where it ships one, else fixed)",
    )
    check.add_argument(
        "--out",
        type=Path,
        help="also save validation.json there (the report of a comparison in that folder shows it)",
    )
    check.set_defaults(handler=validate_main)


def validate_main(args: argparse.Namespace) -> int:
    mode = args.parameters or default_mode(load_world().posterior)
    try:
        rows = validate(QUICK if args.quick else FULL, mode)
    except ParameterError as exc:
        raise CartelsimError(f"--parameters {mode}: {exc}") from None
    if args.out is not None:
        try:
            args.out.mkdir(parents=True, exist_ok=True)
            text = json.dumps(jsonable({"targets": rows}), indent=2, sort_keys=True)
            write_whole(args.out, "validation.json", text)
        except OSError as exc:
            raise CartelsimError(f"--out {args.out}: cannot write there ({exc.strerror})") from None
    if args.json:
        keep = ("id", "label", "published", "measured", "lo", "hi", "pass", "covered", "band")
        keep += ("replicates",)
        covered = by_label(rows, "covered")
        labels = {
            k: {"met": met, "of": n, "covered": covered[k][0]}
            for k, (met, n) in by_label(rows).items()
        }
        print(
            json.dumps(
                {
                    "targets": [jsonable({k: r[k] for k in keep}) for r in rows],
                    "labels": labels,
                    "parameters": mode,
                },
                indent=2,
                sort_keys=True,
            )
        )
    else:
        counts, covered = by_label(rows), by_label(rows, "covered")
        print(f"Parameters: {MODES[mode]}\n")
        for label, (met, n) in counts.items():
            print(f"{label} targets: {LABELS[label]}\n")
            print(
                f"{'id':<19}{'measured':>12}  {'[5%, 95%]':<24}{'band':<24}{'mean':>5}"
                f"{'90%':>9}  fact"
            )
            for r in (r for r in rows if r["label"] == label):
                band = f"[{_num(r['band'][0])}, {_num(r['band'][1])}]"
                spread = f"[{_num(r['lo'])}, {_num(r['hi'])}]"
                mark = "pass" if r["pass"] else "FAIL"
                meets = "covers" if r.get("covered") else "misses"
                print(
                    f"{r['id']:<19}{_num(r['measured']):>12}  {spread:<24}{band:<24}{mark:>5}"
                    f"{meets:>9}  {r['fact']}"
                )
            print(
                f"{met} of {n} {label} targets met; the 90% interval meets the band for "
                f"{covered[label][0]} of {n}\n"
            )
        print(
            "; ".join(
                f"{label}: {met} of {n} met, {covered[label][0]} covered"
                for label, (met, n) in counts.items()
            )
        )
    return 0 if all(r["pass"] for r in rows) else 1


MODES = {
    "posterior": "an accepted set of the world's posterior per replicate, every other prior "
    "drawn: the [5%, 95%] column is the posterior-predictive 90% interval",
    "prior": "every prior drawn per replicate (not conditioned on any target)",
    "fixed": "the defaults, fixed (hand-chosen against several targets, so the `test` label "
    "holds for the posterior only): the interval is stochastic noise alone",
}


def _num(value: float) -> str:
    if not math.isfinite(value):
        return "∞" if value > 0 else "−∞"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
