"""The baseline's outlook: yearly deaths with an interval, from seeds or from prior draws."""

import pytest

from cartelsim.analysis.outlook import deaths_by_year, summary


def test_summary_gives_mean_and_percentiles():
    rows = summary({2026: [1.0, 2.0, 3.0], 2025: [10.0] * 3})
    assert [r["year"] for r in rows] == [2025, 2026]
    assert rows[1]["mean"] == 2.0 and rows[1]["lo"] == pytest.approx(1.1)
    assert rows[1]["hi"] == pytest.approx(2.9) and rows[0]["lo"] == rows[0]["hi"] == 10.0


def test_drawing_the_priors_widens_the_interval():
    fixed = deaths_by_year(2, 0.02, "fixed")
    drawn = deaths_by_year(2, 0.02, "prior")
    assert sorted(fixed) == sorted(drawn) == list(range(2025, 2030))

    def spread(years):
        return sum(max(v) - min(v) for v in years.values())

    assert spread(drawn) > 2 * spread(fixed)
