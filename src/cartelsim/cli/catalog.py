"""`cartelsim strategies` and `cartelsim params`: what the model offers, listed."""

from __future__ import annotations

import argparse
import json

from cartelsim.cli.output import jsonable
from cartelsim.params import SPECS
from cartelsim.policy.library import STRATEGIES


def add(sub) -> None:
    strategies = sub.add_parser("strategies", help="list the named strategies and their levers")
    strategies.add_argument("--json", action="store_true", help="print as JSON")
    strategies.set_defaults(handler=strategies_main)

    params = sub.add_parser("params", help="list the model's parameters")
    params.add_argument("--json", action="store_true", help="print as JSON")
    params.set_defaults(handler=params_main)


def strategies_main(args: argparse.Namespace) -> int:
    rows = [s.as_dict() for s in STRATEGIES.values()]
    if args.json:
        print(json.dumps(jsonable(rows), indent=2))
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


def params_main(args: argparse.Namespace) -> int:
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
