import json
import shutil
import subprocess
import sys

import pytest

from cartelsim.cli import main
from cartelsim.world.world import world_folder


def test_run_prints_a_summary_table(capsys):
    assert main(["simulate", "--weeks", "8", "--scale", "0.05"]) == 0
    out = capsys.readouterr().out
    assert "US overdose deaths" in out and "Fentanyl reaching US markets" in out


def test_run_json_is_deterministic(capsys):
    args = ["simulate", "--weeks", "8", "--scale", "0.05", "--seed", "4", "--json"]
    main(args)
    first = capsys.readouterr().out
    main(args)
    assert capsys.readouterr().out == first
    summary = json.loads(first)
    for key in [
        "us_arrivals_kg",
        "seized_kg",
        "od_deaths",
        "od_deaths_per_year",
        "price_per_pill_usd",
    ]:
        assert summary[key] > 0


def test_run_writes_results(tmp_path, capsys):
    out = tmp_path / "res"
    assert (
        main(
            [
                "simulate",
                "--weeks",
                "6",
                "--scale",
                "0.05",
                "--out",
                str(out),
                "--set",
                "scan_pov=0.3",
            ]
        )
        == 0
    )
    for name in ["weekly.csv", "places.csv", "links.csv", "summary.json", "run.json"]:
        assert (out / name).stat().st_size > 0
    run = json.loads((out / "run.json").read_text())
    assert run["params"]["scan_pov"] == 0.3 and run["seed"] == 0
    assert not list(out.glob("*.tmp"))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["simulate", "--set", "nonsense=1"], "'nonsense': unknown parameter"),
        (["simulate", "--set", "labs=-3"], "'labs' = -3 is out of range"),
        (["simulate", "--set", "labs"], "expected NAME=VALUE"),
        (["simulate", "--set", "labs=many"], "'labs': expected a number"),
        (["simulate", "--scale", "3"], "--scale: 3.0 is out of range [0.0001, 1]"),
        (["simulate", "--world", "/nonexistent"], "no such bundled world or folder"),
    ],
)
def test_bad_input_exits_2_with_a_message(args, message, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_bad_world_file_keeps_earlier_results(tmp_path):
    """A failing run leaves what an earlier run stored untouched."""
    out = tmp_path / "res"
    assert main(["simulate", "--weeks", "4", "--scale", "0.05", "--out", str(out)]) == 0
    before = (out / "summary.json").read_bytes()
    assert main(["simulate", "--weeks", "4", "--out", str(out), "--set", "labs=0"]) == 2
    assert (out / "summary.json").read_bytes() == before


def test_console_script_exit_code_and_no_traceback():
    proc = subprocess.run(
        [sys.executable, "-m", "cartelsim.cli", "simulate", "--set", "x=1"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert "unknown parameter" in proc.stderr and "Traceback" not in proc.stderr


def test_params_lists_every_parameter(capsys):
    assert main(["params", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    names = {r["name"] for r in rows}
    assert {"scan_pov", "overdose_hazard", "demand_elasticity"} <= names
    assert all(r["source"] for r in rows)


def test_malformed_world_folder_exits_2_naming_file_and_line(tmp_path, capsys):
    folder = tmp_path / "w"
    shutil.copytree(world_folder(), folder)
    with (folder / "crossings.csv").open("a", encoding="utf-8") as f:
        f.write("nogales_az,AZ,lots,0,0\n")
    assert main(["simulate", "--weeks", "2", "--world", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "crossings.csv, line" in err and "'pov_per_week'" in err and "Traceback" not in err
