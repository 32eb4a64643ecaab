"""The supply side against CALIBRATION.md B4–B11 and R10 (docs/model.md, calibration)."""

import pytest

from cartelsim.analysis.supply_targets import MEASURES, measure

# Not met, with the reason (docs/model.md): production sits in Sinaloa and the Sonora corridor
# to Arizona is shorter than any way into Baja California, so California's share stays low.
KNOWN_MISSES = {"B8-CA"}


@pytest.fixture(scope="module")
def table():
    return measure(seeds=range(4), scale=0.1).set_index("id")


@pytest.mark.parametrize("target", [t for t in MEASURES if t not in KNOWN_MISSES])
def test_baseline_target_is_met(table, target):
    row = table.loc[target]
    assert row["band_lo"] <= row["measured"] <= row["band_hi"], row.to_dict()


@pytest.mark.parametrize("target", sorted(KNOWN_MISSES))
def test_known_misses_are_still_missed(table, target):
    """When a change fixes one, move it out of KNOWN_MISSES and update docs/model.md."""
    row = table.loc[target]
    assert not row["pass"]
