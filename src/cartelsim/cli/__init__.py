"""The command line: `cartelsim run` (the comparison, the main job), `simulate` (one run),
`init`, `report`, `validate`, `screen`, `calibrate`, `explore`, `strategies` and `params`; one
module each."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from cartelsim.cli import calibrate, catalog, explore, report, run, screen, simulate, validate
from cartelsim.errors import CartelsimError
from cartelsim.version import __version__


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
    for command in (run, simulate, report, validate, screen, calibrate, explore, catalog):
        command.add(sub)
    return parser
