"""The ranking under the comparison says which neighbours the replicates resolve (issue 15)."""

import numpy as np
import pandas as pd

from cartelsim.experiment.compare import ranking


def _wide(deaths: dict[str, np.ndarray]) -> pd.DataFrame:
    rows = [
        {"replicate": r, "strategy": s, "od_deaths_per_year": v[r], "mx_homicides_per_year": 1.0}
        for s, v in deaths.items()
        for r in range(len(v))
    ]
    return pd.DataFrame(rows).set_index(["replicate", "strategy"])


def test_a_clear_gap_is_resolved_and_a_small_one_says_how_many_replicates_it_needs():
    noise = np.random.default_rng(1).normal(0, 100, 10)
    wide = _wide(
        {"baseline": 40_000 + noise, "scan": 38_000 + noise, "kingpin": 40_010 + noise[::-1]}
    )
    lines = ranking(wide, 0, ["baseline", "scan", "kingpin"])
    assert lines[0].startswith("US overdose deaths/yr, best first: scan < ")
    assert "≈" in lines[0]  # baseline and kingpin differ by noise only
    need = [line for line in lines if "replicates would resolve it" in line]
    assert len(need) == 1 and need[0].startswith("  not resolved at 10 replicates: baseline ≈")
    # Homicides are identical for all three: no replicate count resolves that.
    assert any("identical in every replicate" in line for line in lines)


def test_more_replicates_than_advised_resolve_the_pair():
    rng = np.random.default_rng(2)
    base = 40_000 + rng.normal(0, 100, 8)
    other = base - 30 + rng.normal(0, 100, 8)
    lines = ranking(_wide({"baseline": base, "other": other}), 0, ["baseline", "other"])
    advised = int(lines[1].split("about ")[1].split(" ")[0].replace(",", ""))
    n = 4 * advised
    base = 40_000 + rng.normal(0, 100, n)
    other = base - 30 + rng.normal(0, 100, n)
    lines = ranking(_wide({"baseline": base, "other": other}), 0, ["baseline", "other"])
    assert lines[0].endswith("other < baseline")


def test_too_few_replicates_or_no_mean_difference_are_said_plainly():
    one = _wide({"baseline": np.array([1.0]), "other": np.array([2.0])})
    assert ranking(one, 0, ["baseline", "other"]) == [
        "Not ranked: one replicate cannot tell a difference from noise."
    ]
    wide = _wide({"baseline": np.array([0.0, 0, 0, 0]), "other": np.array([1.0, -1, 1, -1])})
    lines = ranking(wide, 0, ["baseline", "other"])
    assert any("no difference on average" in line for line in lines)
    small = _wide({"baseline": np.array([0.0, 0, 0, 0]), "other": np.array([0.0, 0, 1, 1])})
    advice = [line for line in ranking(small, 0, ["baseline", "other"]) if "about" in line]
    assert all(int(line.split("about ")[1].split()[0]) > 4 for line in advice)
