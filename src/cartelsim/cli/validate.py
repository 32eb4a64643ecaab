"""`cartelsim validate`: the model measured against the published evidence."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from cartelsim.analysis.targets import LABELS, by_label
from cartelsim.analysis.validate import FULL, QUICK, validate
from cartelsim.cli.output import jsonable, write_whole
from cartelsim.errors import CartelsimError


def add(sub) -> None:
    check = sub.add_parser("validate", help="measure the model against the published evidence")
    check.add_argument("--quick", action="store_true", help="a small ensemble (about 30 s)")
    check.add_argument("--json", action="store_true", help="print the targets as JSON")
    check.add_argument(
        "--out",
        type=Path,
        help="also save validation.json there (the report of a comparison in that folder shows it)",
    )
    check.set_defaults(handler=validate_main)


def validate_main(args: argparse.Namespace) -> int:
    rows = validate(QUICK if args.quick else FULL)
    if args.out is not None:
        try:
            args.out.mkdir(parents=True, exist_ok=True)
            text = json.dumps(jsonable({"targets": rows}), indent=2, sort_keys=True)
            write_whole(args.out, "validation.json", text)
        except OSError as exc:
            raise CartelsimError(f"--out {args.out}: cannot write there ({exc.strerror})") from None
    if args.json:
        keep = ("id", "label", "published", "measured", "lo", "hi", "pass", "band", "replicates")
        labels = {k: {"met": met, "of": n} for k, (met, n) in by_label(rows).items()}
        print(
            json.dumps(
                {"targets": [jsonable({k: r[k] for k in keep}) for r in rows], "labels": labels},
                indent=2,
                sort_keys=True,
            )
        )
    else:
        counts = by_label(rows)
        for label, (met, n) in counts.items():
            print(f"{label} targets: {LABELS[label]}\n")
            print(f"{'id':<19}{'measured':>12}  {'[5%, 95%]':<24}{'band':<24}{'':>5}  fact")
            for r in (r for r in rows if r["label"] == label):
                band = f"[{_num(r['band'][0])}, {_num(r['band'][1])}]"
                spread = f"[{_num(r['lo'])}, {_num(r['hi'])}]"
                mark = "pass" if r["pass"] else "FAIL"
                print(
                    f"{r['id']:<19}{_num(r['measured']):>12}  {spread:<24}{band:<24}{mark:>5}  "
                    f"{r['fact']}"
                )
            print(f"{met} of {n} {label} targets met\n")
        print("; ".join(f"{label}: {met} of {n} met" for label, (met, n) in counts.items()))
    return 0 if all(r["pass"] for r in rows) else 1


def _num(value: float) -> str:
    if not math.isfinite(value):
        return "∞" if value > 0 else "−∞"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
