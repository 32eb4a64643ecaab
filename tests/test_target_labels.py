"""Every target says what it can tell (issue 15): input, identity, fitted or test."""

import pytest

from cartelsim.analysis import targets as targets_module
from cartelsim.analysis.targets import LABELS, by_label, targets


def test_every_target_has_a_known_label():
    found = {t.id: t.label for t in targets()}
    assert set(found.values()) <= set(LABELS)
    # The labels the issue names: B9 is B5 measured twice; R3-clear and the signs of R4 and R5
    # hold by construction; B1's start, B7, B10, R6 and R7 echo inputs.
    assert found["B9"] == "identity" and found["R3-clear"] == "identity"
    assert {found[k] for k in ("B1-start", "B7", "B10", "R6", "R7")} == {"input"}
    # What the calibration fits (figures to 2023) or a hand choice used is fitted; 2024–2025
    # are held out as tests.
    assert {found[k] for k in ("B4-2022", "B4-2023", "B8-AZ", "R1-6m", "R8")} == {"fitted"}
    assert {found[k] for k in ("B4-2024", "B4-2025", "B5", "R10", "B15")} == {"test"}
    # B11's band is the prior of the reference price it is measured against.
    assert found["B11"] == "input"


def test_the_calibration_fits_only_fitted_targets_from_before_2024():
    from cartelsim.analysis.calibration import FITTED, bands

    found = {t.id: t for t in targets()}
    assert set(bands()) == set(FITTED)
    for key in FITTED:
        assert found[key].label == "fitted", key
        assert not any(year in found[key].fact for year in ("2024", "2025")), key


def test_an_unknown_label_names_the_line(monkeypatch):
    class Fake:
        def __truediv__(self, name):
            return self

        def read_text(self, encoding):
            header = "id,fact,published,lo,hi,source,confidence,informs,label\n"
            return header + "X,f,p,0,1,s,A,i,test\nY,f,p,0,1,s,A,i,guessed\n"

    monkeypatch.setattr(targets_module.resources, "files", lambda package: Fake())
    with pytest.raises(ValueError, match="line 3, column 'label': 'guessed'"):
        targets()


def test_counts_by_label_keep_the_order_and_the_unlabelled_apart():
    rows = [
        {"label": "test", "pass": False},
        {"label": "fitted", "pass": True},
        {"pass": True},
        {"label": "test", "pass": True},
    ]
    assert list(by_label(rows).items()) == [
        ("fitted", (1, 1)),
        ("test", (1, 2)),
        ("unlabelled", (1, 1)),
    ]
    rows[0]["covered"] = True
    assert by_label(rows, "covered")["test"] == (1, 2)
