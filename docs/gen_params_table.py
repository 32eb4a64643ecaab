"""Print the markdown tables of docs/model.md that are generated from the code.

    PYTHONPATH=src python docs/gen_params_table.py            # parameter table (params.SPECS)
    PYTHONPATH=src python docs/gen_params_table.py --series   # weekly national series
    PYTHONPATH=src python docs/gen_params_table.py --scalars  # summary scalars

The series and the scalars come from their declarations (outcomes.SERIES, outcomes.SCALARS).
Paste the output between the markers `<!-- params:start -->` and `<!-- params:end -->` (or
`series`, or `scalars`) in docs/model.md; tests/test_docs.py checks that the pasted tables equal
what this script prints now.
"""

from __future__ import annotations

import sys

from cartelsim.outcomes import SCALARS, SERIES
from cartelsim.params import SPECS, Prior, Spec


def _number(value: float) -> str:
    if float(value) == int(value) and abs(value) < 1e12:
        return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
    return f"{value:g}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|") if text else "—"


def _prior(prior: Prior | None) -> str:
    if prior is None:
        return "fixed"
    args = [_number(prior.lo), _number(prior.hi)]
    if prior.mode is not None:
        args.append(f"mode {_number(prior.mode)}")
    return f"{prior.dist}({', '.join(args)})"


def _row(s: Spec) -> str:
    cells = [
        f"`{s.name}`",
        _number(s.default),
        _cell(s.unit),
        f"[{_number(s.lo)}, {_number(s.hi)}]",
        _prior(s.prior),
        _cell(s.doc),
        _cell(s.source),
    ]
    return "| " + " | ".join(cells) + " |"


def params_table() -> str:
    head = "| name | default | unit | range | prior | meaning | source |"
    rule = "|---|---|---|---|---|---|---|"
    return "\n".join([head, rule, *(_row(s) for s in SPECS)])


def series_table() -> str:
    lines = ["| series | unit | meaning |", "|---|---|---|"]
    for s in SERIES:
        lines.append(f"| `{s.name}` | {_cell(s.unit)} | {_cell(s.doc)} |")
    return "\n".join(lines)


def scalars_table() -> str:
    """The summary scalars in the order of `Results.summary()`: which way each is better (a
    comparison's p_better counts lower as better for "neither"), and how it is computed."""
    lines = ["| scalar | unit | better | meaning | computed as |", "|---|---|---|---|---|"]
    for s in SCALARS:
        cells = [f"`{s.name}`", _cell(s.unit), s.better.value, _cell(s.doc), _cell(s.calc.text)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


TABLES = {"--series": series_table, "--scalars": scalars_table}


def main(argv: list[str]) -> int:
    print(next((TABLES[a] for a in argv if a in TABLES), params_table)())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
