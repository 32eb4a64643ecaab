"""`cartelsim validate --quick`: every target of CALIBRATION.md measured and judged."""

import json
import math

import pytest

from cartelsim.analysis.targets import targets
from cartelsim.cli import main


@pytest.fixture(scope="module")
def quick(quick_validation):
    return quick_validation


def test_every_target_is_measured(quick):
    _, result = quick
    ids = [r["id"] for r in result["targets"]]
    assert ids == [t.id for t in targets()]
    assert len(ids) >= 30 and {"B1-start", "B4-2022", "R1-6m", "R8", "R9", "R10"} <= set(ids)
    for r in result["targets"]:
        assert set(r) >= {"id", "published", "measured", "lo", "hi", "pass"}
        assert math.isfinite(r["measured"]) and r["lo"] <= r["hi"]


def test_pass_follows_the_band_and_the_exit_code_follows_pass(quick):
    code, result = quick
    for r in result["targets"]:
        lo, hi = r["band"]  # JSON has no infinity: null means unbounded
        lo = -math.inf if lo is None else lo
        hi = math.inf if hi is None else hi
        assert r["pass"] == (lo <= r["measured"] <= hi), r["id"]
    assert code == (0 if all(r["pass"] for r in result["targets"]) else 1)


# Misses explained in docs/validation.md, each to be closed by calibration (issue 15).
KNOWN_MISSES = {
    # Since issue 13 (bounded turmoil, lieutenant contests) the seat's violence is back at
    # baseline by months 9–12 (−4% over 16 paired removals, range −45% to +50%); the
    # succession parameters fitted to R1/R2 were not refitted.
    "R1-12m",
    # Since issue 14 deaths follow the people who use; the potency elasticity that meets CDC's
    # 2025 figure leaves the 2022→2024 fall at ≈20% against ≈35% (B4-2022…2025 all met).
    "R10",
    # The campaign-level kingpin test (issue 13): the model's response to ≈7 leader removals a
    # year lies above the band set from the literature, in the full ensemble too.
    "B15",
}


def test_the_quick_validation_meets_every_target_but_the_known_misses(quick):
    code, result = quick
    failed = {r["id"]: r["measured"] for r in result["targets"] if not r["pass"]}
    assert set(failed) <= KNOWN_MISSES, failed
    assert code == (1 if failed else 0)


def test_validation_can_be_saved_for_the_report(tmp_path, monkeypatch, capsys):
    import cartelsim.cli.validate as cli

    fake = [
        {
            "id": "B3",
            "label": "fitted",
            "fact": "f",
            "published": "p",
            "measured": 1.0,
            "lo": 0.5,
            "hi": 1.5,
            "band": [0.0, 2.0],
            "pass": True,
            "covered": True,
            "source": "s",
            "informs": "i",
            "replicates": 2,
        }
    ]
    monkeypatch.setattr(cli, "validate", lambda size, mode: fake)
    assert main(["validate", "--quick", "--out", str(tmp_path / "o")]) == 0
    saved = json.loads((tmp_path / "o" / "validation.json").read_text())
    assert saved["targets"][0]["id"] == "B3" and saved["targets"][0]["label"] == "fitted"
    printed = capsys.readouterr().out
    assert "fitted targets: used to choose parameters" in printed
    assert printed.rstrip().endswith("fitted: 1 of 1 met, 1 covered")


def test_targets_data_names_sources_and_what_each_informs():
    for t in targets():
        assert t.source and t.informs and t.confidence and t.lo <= t.hi, t.id
