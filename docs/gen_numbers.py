"""The numbers the docs quote, measured on this version and pasted into the docs.

    PYTHONPATH=src python docs/gen_numbers.py --run     # measure: about 12 minutes on 2 cores
    PYTHONPATH=src python docs/gen_numbers.py --write   # paste them between the markers

`--run` runs the main job (`cartelsim run` with no arguments) and the full validation
(`cartelsim validate`), and saves what they give in docs/numbers.json, with a fingerprint of the
model's code. `--write` renders every block between `<!-- numbers:NAME -->` and
`<!-- /numbers:NAME -->` in README.md and the docs from that file. tests/test_docs_numbers.py
checks that each block is what the file renders, and that the file was measured on the model
as it is now: change the model, and these two commands bring the docs back in step.
"""

from __future__ import annotations

import argparse
import ast
import hashlib
import json
import math
import os
import re
import tempfile
import time
from pathlib import Path

from cartelsim.analysis.targets import by_label
from cartelsim.outcomes import HEADLINE

ROOT = Path(__file__).resolve().parents[1]
NUMBERS = ROOT / "docs" / "numbers.json"
PACKAGE = ROOT / "src" / "cartelsim"
DOCUMENTS = (
    "README.md",
    "docs/levers.md",
    "docs/validation.md",
    "docs/model.md",
    "docs/explore.md",
)
# What the numbers do not depend on: presentation, input checking, storage, the command line.
NOT_MODEL = (
    "report/",
    "cli/",
    "__main__.py",
    "errors.py",
    "fields.py",
    "experiment/api.py",
    "experiment/preflight.py",
    "experiment/scenario.py",
    "experiment/store.py",
    "experiment/workers.py",
)
OUTLOOK_SEEDS, OUTLOOK_REPLICATES = 8, 16  # the baseline's future: seeds, and prior draws
EXPLORE_EXAMPLE = [  # docs/explore.md's worked example, run as written
    "explore",
    "--strategies",
    "drone-strikes-joint",
    "--params",
    "deterrence_strength,strike_hiding,succession_violence,stakes_elasticity",
    "--samples",
    "16",
    "--weeks",
    "104",
    "--scale",
    "0.05",
    "--workers",
    "2",
    "--where",
    "drone-strikes-joint: od_deaths_per_year < baseline and mx_homicides_per_year < 1.1*baseline",
]
BLOCK = re.compile(r"(<!-- numbers:([a-z-]+) -->)(.*?)(<!-- /numbers:\2 -->)", re.S)


def fingerprint() -> str:
    """A hash of the model's code (without comments, docstrings or layout) and data."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        name = path.relative_to(PACKAGE).as_posix()
        if not path.is_file() or "__pycache__" in name or name.startswith(NOT_MODEL):
            continue
        if path.suffix == ".py":
            content = _code(path.read_text(encoding="utf-8")).encode()
        elif path.suffix in (".csv", ".json"):
            content = path.read_bytes()
        else:
            continue
        digest.update(name.encode() + b"\0" + content + b"\0")
    return digest.hexdigest()[:16]


def _code(source: str) -> str:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree)


def measure() -> dict:
    """Run the main job and the full validation; what they give, as docs/numbers.json."""
    from cartelsim import defaults
    from cartelsim.analysis.outlook import deaths_by_year, summary
    from cartelsim.analysis.validate import FULL, validate
    from cartelsim.experiment.api import run_comparison
    from cartelsim.experiment.compare import ranking
    from cartelsim.experiment.scenario import parse_scenario

    scenario = parse_scenario(
        {"run": {"scale": defaults.SCALE, "replicates": defaults.REPLICATES}}, where="docs"
    )
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        result = run_comparison(scenario, Path(folder) / "out")
        comparison = result.as_dict()
        ranked = ranking(result.summaries, scenario.seed, list(scenario.strategies))
    main_seconds = time.perf_counter() - started
    started = time.perf_counter()
    rows = validate(FULL, "posterior")
    validation_seconds = time.perf_counter() - started
    outlook = {
        mode: summary(deaths_by_year(n, defaults.SCALE, mode))
        for mode, n in (
            ("fixed", OUTLOOK_SEEDS),
            ("prior", OUTLOOK_REPLICATES),
            ("posterior", OUTLOOK_REPLICATES),
        )
    }
    exploration = _explore_example()
    keep = ("id", "label", "fact", "published", "measured", "lo", "hi", "band", "pass")
    keep += ("covered",)
    return {
        "fingerprint": fingerprint(),
        "cores": os.cpu_count(),
        "main_job": {
            "seconds": round(main_seconds),
            "comparison": comparison,
            "ranking": ranked,
        },
        "validation": {
            "seconds": round(validation_seconds),
            "targets": [{k: _plain(r[k]) for k in keep} for r in rows],
        },
        "outlook": outlook,
        "explore_example": exploration,
    }


def _explore_example() -> dict:
    """docs/explore.md's command, run here as a user would; what it printed and how long."""
    import contextlib
    import io

    from cartelsim.cli import main

    printed = io.StringIO()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder, contextlib.redirect_stdout(printed):
        code = main([*EXPLORE_EXAMPLE, "--out", str(Path(folder) / "explore-example")])
    if code != 0:
        raise RuntimeError(f"the exploration example failed ({code})")
    text = printed.getvalue().split("\nStored in")[0].rstrip()
    return {"seconds": round(time.perf_counter() - started), "output": text}


def _plain(value):
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


# --- rendering ------------------------------------------------------------------------------


def blocks(numbers: dict) -> dict[str, str]:
    """Every generated block, by name."""
    main, validation = numbers["main_job"], numbers["validation"]
    rows = validation["targets"]
    comparison = main["comparison"]
    minutes = _duration(main["seconds"])
    missed = [r["id"] for r in rows if not r["pass"]]
    return {
        "main-job-time": f"{comparison['replicates']} paired replicates, {minutes} on 2 cores",
        "validation-summary": (
            _by_label(rows)
            + " (full ensemble, parameters from the posterior)"
            + (f"; mean outside the band: {', '.join(missed)}" if missed else "")
        ),
        "test-coverage": _coverage(rows),
        "ranking": "\n".join(f"    {line}" for line in main["ranking"]),
        "calibration": _calibration_table(),
        "comparison": _comparison_table(comparison),
        "validation-table": _validation_table(rows, validation["seconds"]),
        "supply-targets": _target_table(rows, r"^(B[4-9]|B1[01]|R10)"),
        "organization-targets": _target_table(rows, r"^(B1-|B2|B3|B12|R5)"),
        "kingpin-targets": _target_table(rows, r"^R[1-4]"),
        "baseline-outlook": _outlook_table(numbers["outlook"]),
        "explore-example": _explore_block(numbers["explore_example"]),
    }


def _explore_block(example: dict) -> str:
    quoted = [a if a.startswith("-") or " " not in a else f"'{a}'" for a in EXPLORE_EXAMPLE]
    pairs = [" ".join(quoted[i : i + 2]) for i in range(1, len(quoted), 2)]
    command = " \\\n    ".join([f"$ cartelsim {quoted[0]}", *pairs])
    return (
        f"```console\n{command}\n{example['output']}\n```\n\n"
        f"It took {_duration(example['seconds'])} on 2 cores."
    )


def _outlook_table(outlook: dict) -> str:
    head = (
        f"| year | default parameters, {OUTLOOK_SEEDS} seeds "
        f"| every prior drawn, {OUTLOOK_REPLICATES} replicates "
        f"| the posterior, {OUTLOOK_REPLICATES} replicates |"
    )
    lines = [head, "|---|---|---|---|"]
    for years in zip(outlook["fixed"], outlook["prior"], outlook["posterior"], strict=True):
        cells = [f"{r['mean']:,.0f} [{r['lo']:,.0f}, {r['hi']:,.0f}]" for r in years]
        lines.append(f"| {years[0]['year']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _coverage(rows: list[dict]) -> str:
    tests = [r for r in rows if r.get("label") == "test"]
    covered = [r["id"] for r in tests if r.get("covered")]
    missed = [r["id"] for r in tests if not r.get("covered")]
    share = len(covered) / len(tests) if tests else 0.0
    return (
        f"{len(covered)} of {len(tests)} test targets ({share:.0%}) covered by the "
        "posterior-predictive 90% interval"
        + (f"; not covered: {', '.join(missed)}" if missed else "")
    )


def _calibration_table() -> str:
    """The shipped posterior against its priors, and how it was made (posterior.json)."""
    from cartelsim.analysis.calibration import marginals
    from cartelsim.world.world import load_world

    posterior = load_world().posterior
    made = posterior.provenance
    lines = [
        f"{made['particles']} accepted parameter sets; tolerance ε = {made['epsilon']:.2f} "
        f"half-bands after {len(made['generations'])} generations and "
        f"{made['simulations']:,} runs; fitted on {', '.join(made['fitted_targets'])} "
        f"({made['fit_window']}); made {made['created'][:10]} with pyabc "
        f"{made['versions']['pyabc']}.",
        "",
        "| parameter | prior | posterior mean [5%, 95%] | prior width kept |",
        "|---|---|---|---|",
    ]
    for r in marginals(posterior.values, posterior.weights):
        p = r["prior"]
        lines.append(
            f"| `{r['name']}` | [{p.lo:.3g}, {p.hi:.3g}] | {r['mean']:.3g} "
            f"[{r['lo']:.3g}, {r['hi']:.3g}] | {r['kept']:.0%} |"
        )
    return "\n".join(lines)


def _duration(seconds: float) -> str:
    return f"about {seconds:.0f} s" if seconds < 120 else f"about {seconds / 60:.0f} minutes"


# The comparison table's columns: the headline outcomes, in their order, with the strikes
# carried out beside the civilians they killed; those in CHANGED with their change against the
# baseline. A headline outcome is shown by its declaration (outcomes.py: label, scale, format);
# the strikes as given here.
COLUMNS = (
    "od_deaths_per_year",
    "us_arrivals_kg",
    "mx_homicides_per_year",
    "civilians_killed_oc_per_year",
    "strike_civilians_per_year",
    "strikes",
    "members_end",
    "cooperation_end",
    "cost_usd",
)
CHANGED = (
    "od_deaths_per_year",
    "mx_homicides_per_year",
    "civilians_killed_oc_per_year",
    "members_end",
)
OWN = {"strikes": ("strikes", 1.0, "{:,.0f}")}  # label, scale, format


def _shown(name: str) -> tuple[str, float, str]:
    """A column's label, and the scale and format of its values."""
    if name in OWN:
        return OWN[name]
    headline = next(s.headline for s in HEADLINE if s.name == name)
    return headline.label, headline.scale, headline.fmt


def _comparison_table(comparison: dict) -> str:
    strategies = comparison["strategies"]
    base = strategies["baseline"]["metrics"]
    head = ["strategy"]
    for name in COLUMNS:
        head += [_shown(name)[0], *(["change [95% CI]"] if name in CHANGED else [])]
    lines = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for strategy, body in strategies.items():
        m = body["metrics"]
        cells = [f"`{strategy}`"]
        for name in COLUMNS:
            _, scale, fmt = _shown(name)
            cells.append(fmt.format(m[name]["mean"] * scale))
            if name in CHANGED:
                changed = "—" if strategy == "baseline" else _change(m[name], base[name]["mean"])
                cells.append(changed)
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _change(metric: dict, base: float) -> str:
    """The paired change: absolute, and as a share of the baseline, with its interval; or
    "not modelled" where the model has no way from the levers to the outcome."""
    if not metric["modelled"]:
        return "not modelled"
    if not base:
        return f"{metric['diff_mean']:+,.0f}"
    pct = [100 * metric[k] / base for k in ("diff_mean", "diff_lo", "diff_hi")]
    return f"{pct[0]:+.1f}% [{pct[1]:+.1f}%, {pct[2]:+.1f}%]".replace("-", "−")


def _number(value) -> str:
    if value in ("inf", "-inf"):
        return "∞" if value == "inf" else "−∞"
    if value is None:
        return "n/a"
    text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"
    return text.replace("-", "−")


def _target_table(rows: list[dict], pattern: str) -> str:
    lines = [
        "| id | label | what | published | band | measured | 5%–95% of replicates | met "
        "| interval meets band |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if re.match(pattern, r["id"]):
            lines.append(
                f"| {r['id']} | {r.get('label', '')} | {r['fact']} | {r['published']} | "
                f"[{_number(r['band'][0])}, {_number(r['band'][1])}] | "
                f"{_number(r['measured'])} | [{_number(r['lo'])}, {_number(r['hi'])}] | "
                f"{'yes' if r['pass'] else '**no**'} | "
                f"{'yes' if r.get('covered') else '**no**'} |"
            )
    return "\n".join(lines)


def _by_label(rows: list[dict]) -> str:
    """Pass rates per label, never one headline for all (issue 15)."""
    covered = by_label(rows, "covered")
    return "; ".join(
        f"{label} targets {met} of {n} met ({covered[label][0]} covered)"
        for label, (met, n) in by_label(rows).items()
    )


def _validation_table(rows: list[dict], seconds: float) -> str:
    return f"{_by_label(rows)}; {_duration(seconds)} on 2 cores.\n\n" + _target_table(rows, ".")


def render(text: str, generated: dict[str, str]) -> str:
    """`text` with every block replaced by its generated content; an unknown block is an error."""

    def fill(match: re.Match) -> str:
        name = match.group(2)
        if name not in generated:
            raise KeyError(f"no generated block {name!r}")
        body = generated[name]
        on_own_lines = match.group(3).startswith("\n")  # as the document lays the block out
        inner = f"\n{body}\n" if on_own_lines else body
        return f"{match.group(1)}{inner}{match.group(4)}"

    return BLOCK.sub(fill, text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", action="store_true", help="measure, into docs/numbers.json")
    parser.add_argument("--write", action="store_true", help="paste the blocks into the docs")
    args = parser.parse_args()
    if args.run:
        NUMBERS.write_text(json.dumps(measure(), indent=1, sort_keys=True) + "\n", "utf-8")
        print(f"wrote {NUMBERS}")
    if args.write:
        generated = blocks(json.loads(NUMBERS.read_text(encoding="utf-8")))
        for name in DOCUMENTS:
            path = ROOT / name
            path.write_text(render(path.read_text(encoding="utf-8"), generated), "utf-8")
        print(f"rendered the blocks of {', '.join(DOCUMENTS)}")


if __name__ == "__main__":
    main()
