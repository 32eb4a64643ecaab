"""The organizations against CALIBRATION.md B1–B3, R1–R5 (docs/model.md, calibration)."""

import pytest

from cartelsim.analysis import kingpin_targets, organization_targets


@pytest.fixture(scope="module")
def organizations():
    return organization_targets.measure(seeds=range(4), scale=1.0).set_index("id")  # full scale


@pytest.fixture(scope="module")
def kingpin():
    return kingpin_targets.measure(replicates=8, scale=0.1).set_index("id")


@pytest.mark.parametrize(
    "target",
    [
        "B1-start",
        "B1-growth",
        "B2",
        "B3",
        "B12",
        "R5-halve-members",
        "R5-halve-homicides",
        "R5-arrests-members",
    ],
)
def test_organization_target_is_met(organizations, target):
    row = organizations.loc[target]
    assert row["band_lo"] <= row["measured"] <= row["band_hi"], row.to_dict()


@pytest.mark.parametrize(
    "target", ["R1-6m", "R1-12m", "R2-6m", "R2-12m", "R3-clear", "R3-contested", "R4"]
)
def test_kingpin_target_is_met(kingpin, target):
    row = kingpin.loc[target]
    assert row["band_lo"] <= row["measured"] <= row["band_hi"], row.to_dict()
