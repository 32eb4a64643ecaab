"""The supply side against CALIBRATION.md B4–B11 and R10 (docs/model.md, calibration)."""

import pytest

from cartelsim.analysis.supply_targets import MEASURES, measure


@pytest.fixture(scope="module")
def table():
    return measure(seeds=range(4), scale=0.1).set_index("id")


@pytest.mark.parametrize("target", list(MEASURES))
def test_baseline_target_is_met(table, target):
    row = table.loc[target]
    assert row["band_lo"] <= row["measured"] <= row["band_hi"], row.to_dict()
