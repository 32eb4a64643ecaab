"""The outcomes' declarations (outcomes.py) drive every consumer: the series the model writes,
the summary, the comparison's directions and headline, the store, the report and the CLI."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import cartelsim.sim
from cartelsim.cli import main
from cartelsim.experiment.compare import paired_comparison, table
from cartelsim.experiment.store import read_only
from cartelsim.outcomes import (
    CBP,
    FANS,
    HEADLINE,
    SCALARS,
    SERIES,
    STORED_WEEKLY,
    TABLE,
    Better,
    Inputs,
    better,
    end,
    mean,
    per_year,
    share,
    total,
)
from cartelsim.output import WeeklyOutput
from cartelsim.params import WEEKS_PER_YEAR
from cartelsim.report.html import figures, load
from cartelsim.results import summarize

PACKAGE = Path(cartelsim.sim.__file__).parent
NAMES = [s.name for s in SERIES]


class _Touched(dict):
    """The weekly national arrays, noting each name the model asks for."""

    def __init__(self, arrays):
        super().__init__(arrays)
        self.names = set()

    def __getitem__(self, name):
        self.names.add(name)
        return super().__getitem__(name)


class _Watched(WeeklyOutput):
    def __init__(self, rows, n_places, n_links):
        super().__init__(rows, n_places, n_links)
        self.national = _Touched(self.national)


@pytest.fixture(scope="module")
def run():
    """A short run whose weekly national arrays note the names the model touches."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cartelsim.sim, "WeeklyOutput", _Watched)
        sim = cartelsim.sim.Sim(weeks=10, scale=0.02)
        results = sim.run()
    return results, sim.out.national.names


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("outcomes") / "out"
    args = ["run", "--reps", "2", "--weeks", "6", "--scale", "0.02", "--workers", "1"]
    assert main([*args, "--strategies", "border-scanning", "--out", str(out)]) == 0
    return out


def test_every_series_the_model_writes_is_declared_and_every_declared_one_is_written():
    """Read off the code, so that writes in branches a short run does not take count too."""
    write = re.compile(r'\["([a-z0-9_]+)"\]\[(?:sim\.)?row\]')
    written = {m for path in PACKAGE.rglob("*.py") for m in write.findall(path.read_text())}
    assert written == set(NAMES)


def test_a_run_records_exactly_the_declared_series(run):
    results, touched = run
    assert list(results.weekly().columns) == ["date", *NAMES]
    assert touched <= set(NAMES)


def test_the_summary_holds_every_declared_scalar_in_declared_order(run):
    results, _ = run
    assert list(results.summary()) == [s.name for s in SCALARS]


@pytest.fixture
def national():
    """Four weeks of hand-made series (zero unless set), with their `date` column."""
    frame = pd.DataFrame(0.0, index=range(4), columns=NAMES)
    frame["od_deaths"] = [1.0, 2.0, 3.0, 4.0]
    frame["recruits"] = [10.0, 20.0, 30.0, 40.0]
    frame["members"] = [5.0, 6.0, 7.0, 8.0]
    frame["seized_inland_kg"] = 2.0
    frame["seized_poe_kg"] = 1.0
    frame["seized_between_ports_kg"] = [0.0, 1.0, 0.0, 1.0]
    frame["seized_checkpoint_kg"] = [0.0, 0.0, 1.0, 0.0]
    frame["us_arrivals_kg"] = 10.0
    frame["civilians_killed_oc"] = 1.0
    frame["homicides_other"] = 2.0
    frame["strike_civilian_deaths"] = [0.0, 0.0, 0.0, 4.0]
    frame.insert(0, "date", pd.date_range("2025-01-06", periods=4, freq="7D"))
    return frame


def test_each_way_of_computing_gives_what_it_says(national):
    run = Inputs(national, {}, 0.0, 0.1)
    years = 4 / WEEKS_PER_YEAR
    assert total("od_deaths").compute(run) == 10
    assert total("seized_inland_kg", CBP).compute(run) == 8 + 7
    assert per_year("od_deaths").compute(run) == pytest.approx(10 / years, rel=1e-15)
    assert mean("recruits").compute(run) == 25
    assert end("members").compute(run) == 8
    assert share("seized_poe_kg", CBP).compute(run) == pytest.approx(4 / 7, rel=1e-15)
    assert np.isnan(share("courier_arrests_poe_citizen", "courier_arrests_poe").compute(run))


def test_the_special_scalars_and_the_summary(national):
    years = 4 / WEEKS_PER_YEAR
    s = summarize(national, {"AZ": 3.0, "CA": 1.0, "TX": 0.0}, 30.0, 0.1)
    assert s["weeks"] == 4
    assert s["cbp_seized_gross_lb_per_year"] == pytest.approx(7 / 0.1 * 2.20462 / years)
    assert (s["seized_share_az"], s["seized_share_ca"]) == (0.75, 0.25)
    assert s["phoenix_flow_share"] == 30 / 40
    assert s["civilian_homicides_per_year"] == pytest.approx((4 + 8 + 4) / years)
    assert s["od_deaths_per_year"] == pytest.approx(10 / years)
    assert np.isnan(s["poe_arrests_citizen_share"])  # no courier caught at a port
    assert list(s) == [s.name for s in SCALARS if s.calc.compute is not None]
    none_seized = summarize(national, {}, 0.0, 0.1)
    assert np.isnan(none_seized["seized_share_az"])


def test_directions_drive_p_better():
    """Each outcome rises under the strategy: better where more is better, and not otherwise
    (lower counts as better for an outcome with no direction, or none declared)."""
    outcomes = {"seized_kg": Better.HIGHER, "od_deaths": Better.LOWER}
    outcomes |= {"seized_share_poe": Better.NEITHER}
    declared = {s.name: s.better for s in SCALARS}
    assert {k: declared[k] for k in outcomes} == outcomes
    index = pd.MultiIndex.from_product(
        [range(4), ["baseline", "up"]], names=["replicate", "strategy"]
    )
    wide = pd.DataFrame(
        {name: np.tile([1.0, 2.0], 4) for name in [*outcomes, "undeclared"]}, index=index
    )
    metrics = paired_comparison(wide, 0, ["baseline", "up"])["up"]["metrics"]
    assert {k: m["p_better"] for k, m in metrics.items()} == {
        "seized_kg": 1.0,
        "od_deaths": 0.0,
        "seized_share_poe": 0.0,
        "undeclared": 0.0,
    }


def test_the_store_keeps_the_declared_weekly_columns(folder):
    with read_only(folder) as store:
        columns = list(store.weekly().columns)
    assert columns == ["replicate", "strategy", "week", *STORED_WEEKLY]


def test_the_stored_weekly_columns_keep_their_order():
    """A file format: a resumed store inserts a replicate's weekly rows by position."""
    assert STORED_WEEKLY == (
        "od_deaths",
        "us_arrivals_kg",
        "mx_homicides",
        "strike_civilian_deaths",
        "strike_deaths",
        "cooperation",
        "cost_usd",
        "members",
        "price_per_pill_usd",
        "seized_poe_kg",
        "produced_kg",
    )


def test_the_report_draws_a_fan_for_each_declared_one(folder):
    assert all(s.name in STORED_WEEKLY for s in FANS)  # the report reads them from the store
    charts, _ = figures(load(folder))
    fans = {k: fig for k, fig in charts.items() if k.startswith("fan_")}
    assert list(fans) == [f"fan_{s.name}" for s in FANS]
    assert [fig.layout.yaxis.title.text for fig in fans.values()] == [s.fan.label for s in FANS]


def test_the_headline_comes_from_the_declarations(folder):
    lines = table(load(folder)["result"], 2).splitlines()
    titles = [lines[i - 1] for i, line in enumerate(lines) if line.startswith("  strategy ")]
    assert titles == [s.headline.label for s in HEADLINE]


def test_the_headline_shows_civilian_harm_whole_and_the_cartels():
    assert [s.name for s in HEADLINE] == [
        "od_deaths_per_year",
        "us_arrivals_kg",
        "mx_homicides_per_year",
        "civilians_killed_oc_per_year",
        "strike_civilians_per_year",
        "members_end",
        "cooperation_end",
        "cost_usd",
    ]


def test_civilians_killed_in_cartel_violence_a_year(national):
    s = summarize(national, {}, 0.0, 0.1)
    assert s["civilians_killed_oc_per_year"] == pytest.approx(4 / (4 / WEEKS_PER_YEAR))


def test_the_summary_counts_the_strikes_planned_and_why_they_were_not_carried_out(national):
    national["strikes_planned"] = 5.0
    national["strikes"] = [1.0, 0.0, 0.0, 1.0]
    national["strikes_refused"] = [1.0, 0.0, 0.0, 0.0]
    national["strikes_no_target"] = [2.0, 4.0, 3.0, 3.0]
    national["strikes_over_civilian_limit"] = [1.0, 1.0, 2.0, 1.0]
    s = summarize(national, {}, 0.0, 0.1)
    reasons = ("strikes", "strikes_refused", "strikes_no_target", "strikes_over_civilian_limit")
    assert [s[name] for name in ("strikes_planned", *reasons)] == [20, 2, 1, 12, 5]
    assert {better(name) for name in ("strikes_planned", *reasons)} == {Better.NEITHER}


def test_the_simulate_table_shows_exactly_the_declared_rows(capsys):
    assert main(["simulate", "--weeks", "6", "--scale", "0.02"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rule = [i for i, line in enumerate(lines) if line == "-" * 72]
    rows = lines[rule[0] + 1 : rule[1]]
    assert [(r[:42].rstrip(), r[60:]) for r in rows] == [(s.row.label, s.unit) for s in TABLE]
    for row, outcome in zip(rows, TABLE, strict=True):
        value = row[42:58].strip()
        decimals = len(value.partition(".")[2])
        assert value == "n/a" or decimals == outcome.row.digits, row


def test_the_comparison_says_what_its_intervals_hold(folder):
    """With fixed parameters the intervals are stochastic noise only, and the table says so;
    with parameters drawn it says they hold parameter uncertainty too, and from where."""
    result = load(folder)["result"]
    plain = table(result, 2)
    assert "stochastic variation only" in plain and "parameter and" not in plain
    own = table(result, 2, "fixed", 7)
    assert "same draws of the scenario's 7 priors" in own
    for mode, source in (("posterior", "accepted by the world's calibration"), ("prior", "not")):
        drawn = table(result, 2, mode)
        assert source in drawn and "parameter and stochastic uncertainty" in drawn
