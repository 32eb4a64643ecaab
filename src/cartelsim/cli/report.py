"""`cartelsim report`: the HTML report of a comparison or an exploration, and its charts as
files."""

from __future__ import annotations

import argparse
from pathlib import Path

from cartelsim.report.html import build_report
from cartelsim.report.images import write_images


def add(sub) -> None:
    report = sub.add_parser(
        "report", help="write the HTML report of a comparison's or an exploration's results"
    )
    report.add_argument(
        "folder", type=Path, help="the output folder of `cartelsim run` or `cartelsim explore`"
    )
    report.add_argument(
        "--images",
        action="store_true",
        help="also write every chart as PNG, SVG and PDF in FOLDER/figures",
    )
    report.set_defaults(handler=report_main)


def report_main(args: argparse.Namespace) -> int:
    print(f"Wrote {build_report(args.folder)}")
    if args.images:
        written = write_images(args.folder)
        print(f"Wrote {len(written)} chart files in {args.folder / 'figures'}")
    return 0
