"""Scenario files, ensembles, paired comparisons, executors and the result store."""

import json

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cartelsim.cli import main
from cartelsim.cli.run import INIT_TEXT
from cartelsim.errors import CartelsimError
from cartelsim.experiment.api import compare
from cartelsim.experiment.scenario import load_scenario, parse_scenario
from cartelsim.experiment.store import read_only

SMALL = ["--reps", "3", "--weeks", "12", "--scale", "0.03"]


def test_the_example_scenario_parses(tmp_path, capsys):
    path = tmp_path / "s.toml"
    assert main(["init", str(path)]) == 0
    scenario = load_scenario(path)
    assert scenario.strategies[0] == "baseline" and "my-package" in scenario.strategies
    assert set(scenario.priors) == {"deterrence_strength", "unilateral_erosion"}
    assert main(["init", str(path)]) == 2  # never overwrites


BAD = [
    ("[run]\nweeks = 0\n", "line 2, field 'run.weeks'"),
    ('[run]\nweeks = "long"\n', "field 'run.weeks': expected a whole number"),
    ("[run]\nweeks = 1.5\n", "line 2, field 'run.weeks': expected a whole number"),
    ("[run]\nhorizon = 5\n", "line 2, field 'run.horizon': unknown key"),
    ('[run]\nstrategies = ["napalm"]\n', "unknown strategy 'napalm'"),
    ("[params]\nlabs = -1\n", "line 2, field 'params.labs'"),
    ("[params]\nlab_capacity = 1\n", "field 'params.lab_capacity': unknown parameter"),
    (
        '[priors]\nlabs = { dist = "normal", lo = 1, hi = 2 }\n',
        "'priors.labs.dist': must be one of",
    ),
    ("[priors]\nscan_pov = { lo = 0.5, hi = 0.1 }\n", "lo = 0.5 is above hi = 0.1"),
    ("[priors]\nscan_pov = { lo = true, hi = 0.1 }\n", "'priors.scan_pov.lo': expected a number"),
    (
        '[strategies.x]\ndescription = "d"\n[[strategies.x.levers]]\nlever = "napalm"\n'
        "intensity = 1\n",
        "unknown lever 'napalm'",
    ),
    (
        '[strategies.x]\n[[strategies.x.levers]]\nlever = "scanning"\nintensity = 3\n',
        "line 4, field 'strategies.x.levers[1].intensity': lever 'scanning': 3 is out of range",
    ),
    ("[surprise]\nx = 1\n", "field 'surprise': unknown section"),
    ("[run\nweeks = 3\n", "not valid TOML"),
]


@pytest.mark.parametrize(("text", "fragment"), BAD)
def test_bad_scenarios_name_file_line_and_field(tmp_path, capsys, text, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    assert main(["run", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and fragment in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()  # nothing written


SCALARS = st.one_of(
    st.integers(-5, 10**6),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.booleans(),
    st.lists(st.text(max_size=4), max_size=3),
)
KEYS = st.sampled_from(
    [
        "weeks",
        "scale",
        "seed",
        "replicates",
        "strategies",
        "world",
        "x",
        "labs",
        "scan_pov",
        "overdose_hazard",
        "parameters",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(["run", "params", "priors", "strategies", "junk"]),
        st.one_of(
            SCALARS,
            st.dictionaries(
                KEYS,
                st.one_of(
                    SCALARS,
                    st.dictionaries(
                        st.sampled_from(["dist", "lo", "hi", "q"]), SCALARS, max_size=3
                    ),
                ),
                max_size=4,
            ),
        ),
        max_size=4,
    )
)
def test_malformed_scenarios_never_raise_anything_but_a_clear_error(data):
    try:
        parse_scenario(data, where="generated")
    except CartelsimError as exc:
        assert "generated" in str(exc)


def _json(args, tmp_path, name, workers):
    out = tmp_path / name
    code = main(["run", *args, "--out", str(out), "--workers", str(workers), "--json"])
    assert code == 0
    return out


def test_results_are_identical_for_any_worker_count(tmp_path, capsys):
    args = [*SMALL, "--strategies", "border-scanning,kingpin"]
    _json(args, tmp_path, "one", 1)
    one = capsys.readouterr().out
    _json(args, tmp_path, "two", 2)
    two = capsys.readouterr().out
    assert one == two
    result = json.loads(one)
    assert set(result["strategies"]) == {"baseline", "border-scanning", "kingpin"}
    m = result["strategies"]["border-scanning"]["metrics"]["od_deaths"]
    assert set(m) == {"mean", "lo", "hi", "diff_mean", "diff_lo", "diff_hi", "p_better", "modelled"}
    assert m["diff_lo"] <= m["diff_mean"] <= m["diff_hi"] and 0 <= m["p_better"] <= 1
    base = result["strategies"]["baseline"]["metrics"]["od_deaths"]
    assert base["diff_mean"] == 0 and base["p_better"] == 0.5 and base["modelled"] is True


def test_dask_gives_the_same_results(tmp_path, capsys):
    distributed = pytest.importorskip("distributed")
    args = [*SMALL, "--strategies", "border-scanning"]
    _json(args, tmp_path, "local", 2)
    local = capsys.readouterr().out
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        out = tmp_path / "dask"
        assert (
            main(
                [
                    "run",
                    *args,
                    "--out",
                    str(out),
                    "--scheduler",
                    cluster.scheduler_address,
                    "--json",
                ]
            )
            == 0
        )
    assert capsys.readouterr().out == local


def test_store_holds_whole_replicates_and_parquet(tmp_path):
    c = compare(
        ["harm-reduction"], replicates=2, weeks=10, scale=0.03, workers=1, out=tmp_path / "s"
    )
    db = duckdb.connect(str(tmp_path / "s" / "results.duckdb"), read_only=True)
    per_rep = db.execute("SELECT replicate, count(*) FROM runs GROUP BY 1 ORDER BY 1").fetchall()
    assert per_rep == [(0, 2), (1, 2)]
    weeks = db.execute("SELECT count(*) FROM weekly").fetchone()[0]
    assert weeks == 2 * 2 * 10
    places = db.execute("SELECT count(DISTINCT place), count(DISTINCT week) FROM places")
    assert places.fetchone() == (80, 10)
    assert (tmp_path / "s" / "summaries.parquet").stat().st_size > 0
    assert c.summaries.shape[0] == 4
    db.close()


def test_the_store_reads_back_what_the_run_wrote(tmp_path):
    c = compare(["harm-reduction"], replicates=2, weeks=6, scale=0.03, workers=1, out=tmp_path)
    with read_only(tmp_path) as store:
        meta, long, weekly = store.meta(), store.summaries(), store.weekly()
        places, links = store.place_totals(), store.links()
    assert meta["strategies"] == ["baseline", "harm-reduction"] and meta["weeks"] == 6
    assert meta["digest"] == c.scenario.digest()  # the one value stored as it is, not as JSON
    wide = long.pivot_table(index=["replicate", "strategy"], columns="outcome", values="value")
    pd.testing.assert_frame_equal(wide.sort_index(), c.summaries)
    keys = weekly[["replicate", "strategy", "week"]]
    assert len(keys) == 2 * 2 * 6 and keys.equals(keys.sort_values(list(keys), ignore_index=True))
    assert list(places.columns) == ["replicate", "strategy", "place", "homicides", "seized_kg"]
    assert (
        len(places) == 2 * 2 * 80
        and not places.duplicated(["replicate", "strategy", "place"]).any()
    )
    assert set(links["strategy"]) == {"baseline", "harm-reduction"}


def test_resume_refuses_another_scenario(tmp_path, capsys):
    out = tmp_path / "o"
    assert main(["run", *SMALL, "--strategies", "kingpin", "--out", str(out)]) == 0
    before = (out / "results.duckdb").read_bytes()
    capsys.readouterr()
    assert (
        main(
            ["run", *SMALL, "--strategies", "kingpin", "--seed", "9", "--out", str(out), "--resume"]
        )
        == 2
    )
    assert "another scenario" in capsys.readouterr().err
    assert (out / "results.duckdb").read_bytes() == before
    assert main(["run", *SMALL, "--strategies", "kingpin", "--out", str(out)]) == 2


def test_scenario_file_runs(tmp_path, capsys):
    path = tmp_path / "s.toml"
    path.write_text(
        INIT_TEXT.replace("weeks = 260", "weeks = 10")
        .replace("scale = 0.1", "scale = 0.03")
        .replace("replicates = 14", "replicates = 2"),
        encoding="utf-8",
    )
    assert main(["run", str(path), "--out", str(tmp_path / "o"), "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert "my-package" in out and "US overdose deaths/yr" in out


def test_bad_flags_exit_2(tmp_path, capsys):
    assert main(["run", "--reps", "0", "--out", str(tmp_path / "o")]) == 2
    assert "--reps: 0 is out of range" in capsys.readouterr().err
    assert main(["run", "--workers", "0", "--out", str(tmp_path / "o")]) == 2
    assert (
        main(
            [
                "run",
                "--scheduler",
                "tcp://127.0.0.1:9",
                "--reps",
                "1",
                "--weeks",
                "2",
                "--out",
                str(tmp_path / "p"),
            ]
        )
        == 2
    )
    assert "scheduler" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["o'q", "x' (FORMAT CSV); COPY meta TO 'escaped.csv"])
def test_an_output_folder_with_quotes_is_only_a_name(tmp_path, name, capsys, monkeypatch):
    """Paths reach SQL quoted: a quote in --out neither breaks the run nor writes elsewhere."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / name
    args = ["run", "--reps", "1", "--weeks", "4", "--scale", "0.03", "--workers", "1"]
    assert main([*args, "--strategies", "kingpin", "--out", str(out)]) == 0
    assert main([*args, "--strategies", "kingpin", "--out", str(out), "--resume"]) == 0
    assert {p.name for p in out.glob("*.parquet")} == {
        f"{t}.parquet" for t in ("runs", "summaries", "weekly", "places", "links")
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # nothing beside it


def test_a_run_refused_by_the_checks_writes_nothing(tmp_path, capsys):
    path = tmp_path / "s.toml"
    path.write_text(
        '[run]\nstrategies = ["c"]\n[strategies.c]\n[[strategies.c.levers]]\n'
        'lever = "crackdown"\nintensity = 1\nplaces = ["nowhere"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{path}, line 7, field 'strategies.c.levers[1].places': " in err
    assert "unknown place 'nowhere'" in err and not out.exists()
    for flags in (["--world", "nowhere"], ["--scheduler", "nope:1"], ["--workers", "999"]):
        assert main(["run", "--reps", "1", "--out", str(out), *flags]) == 2
        assert flags[0].lstrip("-") in capsys.readouterr().err and not out.exists()


def test_check_reports_the_plan_and_writes_nothing(tmp_path, capsys):
    path = tmp_path / "s.toml"
    assert main(["init", str(path)]) == 0
    out = tmp_path / "out"
    assert main(["run", str(path), "--check", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "ready to run 4 strategies × 14 replicates" in text and not out.exists()
    late = path.read_text().replace("start = 26", "start = 300")
    path.write_text(late, encoding="utf-8")
    assert main(["run", str(path), "--check", "--out", str(out)]) == 0
    assert "starts in week 300, after the last week (259): it never acts" in capsys.readouterr().out


def test_an_empty_store_left_by_a_kill_does_not_block_the_next_run(tmp_path, capsys):
    """A store that never finished a replicate holds nothing to lose: it is begun again."""
    from cartelsim.experiment.scenario import parse_scenario
    from cartelsim.experiment.store import Store

    out = tmp_path / "o"
    other = parse_scenario({"run": {"seed": 9}})
    Store(out, other.digest(), {}, resume=False).close()  # as a SIGKILL before replicate 1
    assert main(["run", *SMALL, "--strategies", "kingpin", "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["seed"] == 0
