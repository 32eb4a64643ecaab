"""An outcome no lever of a strategy can reach is marked "not modelled", not shown as a change of
+0 [+0, +0]: by the comparison, and in the table, the report and the docs that read it."""

from __future__ import annotations

import importlib.util
from html import escape
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cartelsim.cli import main
from cartelsim.experiment.compare import NOT_MODELLED, paired_comparison, table
from cartelsim.outcomes import HEADLINE
from cartelsim.report import charts, html

ROOT = Path(__file__).resolve().parents[1]
SHOWN = [*(s.name for s in HEADLINE), "strikes"]  # what the table, report and docs read


def _wide(columns: dict[str, tuple[list[float], list[float]]]) -> pd.DataFrame:
    """Each outcome's values in the baseline and under the strategy `lever`, replicate by
    replicate."""
    reps = len(next(iter(columns.values()))[0])
    index = pd.MultiIndex.from_product(
        [range(reps), ["baseline", "lever"]], names=["replicate", "strategy"]
    )
    return pd.DataFrame(
        {name: np.ravel(np.column_stack([base, lever])) for name, (base, lever) in columns.items()},
        index=index,
    )


def _metrics(wide: pd.DataFrame) -> dict[str, dict]:
    result = paired_comparison(wide, 0, ["baseline", "lever"])
    return {name: body["metrics"] for name, body in result.items()}


def test_an_outcome_identical_in_every_replicate_is_not_modelled():
    base = [10.0, 20.0, 30.0, 40.0]
    nudged = [10.0, 20.0, np.nextafter(30.0, 31.0), 40.0]
    with_nan = [10.0, np.nan, 30.0, 40.0]
    metrics = _metrics(
        _wide(
            {
                "same": (base, base),
                "tiny": (base, nudged),
                "same_nan": (with_nan, with_nan),
                "nan_in_one": (base, with_nan),
            }
        )
    )
    assert {k: m["modelled"] for k, m in metrics["lever"].items()} == {
        "same": False,
        "tiny": True,
        "same_nan": False,
        "nan_in_one": True,
    }
    same = metrics["lever"]["same"]
    assert (same["diff_mean"], same["diff_lo"], same["diff_hi"], same["p_better"]) == (
        0,
        0,
        0,
        0.5,
    )  # the numbers are kept
    assert all(m["modelled"] for m in metrics["baseline"].values())  # never the baseline's row


def test_one_replicate_proves_nothing():
    metrics = _metrics(_wide({"same": ([10.0], [10.0])}))
    assert metrics["lever"]["same"]["modelled"] is True


@pytest.fixture
def result() -> dict:
    """Every outcome shown falls by a tenth under `lever`, except the overdose deaths."""
    base = [100.0, 120.0, 140.0]
    columns = {name: (base, [0.9 * v for v in base]) for name in SHOWN}
    columns["od_deaths_per_year"] = (base, base)
    return paired_comparison(_wide(columns), 0, ["baseline", "lever"])


def _block(text: str, label: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(label)
    return lines[start : lines.index("", start)]


def test_the_table_says_not_modelled_in_place_of_the_change(result):
    text = table(result, 3)
    deaths = _block(text, HEADLINE[0].headline.label)
    assert deaths[-1].split() == ["lever", "120", "not", "modelled"]
    arrivals = _block(text, HEADLINE[1].headline.label)
    assert "not modelled" not in arrivals[-1] and arrivals[-1].endswith("100%")
    assert text.splitlines()[-1] == NOT_MODELLED


def test_the_report_says_not_modelled_in_its_headline_and_effects(result):
    shown, note = html._headline(result).split("</table>")
    rows = shown.split("<tr>")[2:]  # after the header: baseline, lever
    assert rows[0].count("not modelled") == 0
    assert rows[1].count("not modelled") == 1 and rows[1].count("better in") == len(HEADLINE) - 1
    trace = charts.effects(result).data[0]  # the overdose deaths
    assert escape(NOT_MODELLED) in note
    assert list(trace.text) == ["not modelled"] and list(trace.marker.opacity) == [0.0]
    assert list(charts.effects(result).data[1].text) == [""]


def test_the_docs_table_says_not_modelled(result):
    spec = importlib.util.spec_from_file_location("gen_numbers", ROOT / "docs" / "gen_numbers.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    lever = gen._comparison_table({"strategies": result}).splitlines()[-1].split(" | ")
    assert lever[2] == "not modelled"  # the overdose deaths' change
    assert lever[5].startswith("−10.0% [")  # the homicides'


def test_cartelsim_run_says_what_scanning_cannot_reach(tmp_path, capsys):
    """Scanning at the border has no way to a strike: the model's own zero, through the CLI."""
    args = ["run", "--reps", "2", "--weeks", "6", "--scale", "0.02", "--workers", "1"]
    assert main([*args, "--strategies", "border-scanning", "--out", str(tmp_path / "o")]) == 0
    strikes = next(s.headline.label for s in HEADLINE if s.name == "strike_civilians_per_year")
    shown = _block(capsys.readouterr().out, strikes)
    assert shown[-1].split()[0] == "border-scanning" and shown[-1].endswith("not modelled")
