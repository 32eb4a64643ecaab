"""The organizations against CALIBRATION.md B1–B3, B12 and R5 (docs/model.md, calibration).
R1–R4, the leader removals, are checked by the quick validation (tests/test_validate.py)."""

import pytest

from cartelsim.analysis import organization_targets


@pytest.fixture(scope="module")
def organizations():
    return organization_targets.measure(seeds=range(4), scale=1.0).set_index("id")  # full scale


@pytest.mark.parametrize("target", organization_targets.TARGETS)
def test_organization_target_is_met(organizations, target):
    row = organizations.loc[target]
    assert row["band_lo"] <= row["measured"] <= row["band_hi"], row.to_dict()
