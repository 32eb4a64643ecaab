"""The HTML report: self-contained, faithful to the store, and it renders."""

import json
import re
import shutil
import subprocess

import duckdb
import pytest

from cartelsim.cli import main
from cartelsim.experiment.compare import compare as paired
from cartelsim.report.charts import effects, flow_map, outlines
from cartelsim.report.html import load


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "out"
    args = [
        "run",
        "--reps",
        "3",
        "--weeks",
        "16",
        "--scale",
        "0.03",
        "--workers",
        "1",
        "--strategies",
        "border-scanning,drone-strikes-unilateral",
        "--out",
        str(out),
    ]
    assert main(args) == 0
    return out


def _data(page: str) -> dict:
    blob = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S
    ).group(1)
    return json.loads(blob)


def test_the_report_is_self_contained(folder):
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert not re.search(
        r'<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["\']?(https?:)?//', page, re.I
    )
    assert "Plotly.newPlot" in page and len(page) > 1_000_000  # plotly.js is embedded
    assert "Natural Earth" in page  # the map's attribution
    data = _data(page)
    assert set(data["figures"]) >= {"effects", "tradeoff", "fan_od_deaths", "fan_mx_homicides"}
    assert set(data["maps"]) == {"border-scanning", "drone-strikes-unilateral"}


def test_the_report_shows_what_the_store_holds(folder):
    page = (folder / "report.html").read_text(encoding="utf-8")
    shown = _data(page)["result"]
    db = duckdb.connect(str(folder / "results.duckdb"), read_only=True)
    long = db.execute("SELECT * FROM summaries").df()
    seed = json.loads(dict(db.execute("SELECT key, value FROM meta").fetchall())["seed"])
    db.close()
    wide = long.pivot_table(
        index=["replicate", "strategy"], columns="outcome", values="value"
    ).sort_index()
    expected = paired(wide, seed, list(shown))
    assert shown == json.loads(json.dumps(expected))
    assert shown["border-scanning"]["metrics"]["od_deaths"]["mean"] == pytest.approx(
        long[(long.strategy == "border-scanning") & (long.outcome == "od_deaths")].value.mean()
    )


def test_report_command_and_missing_store(folder, tmp_path, capsys):
    assert main(["report", str(folder)]) == 0
    assert main(["report", str(tmp_path)]) == 2
    assert "no result store" in capsys.readouterr().err


def test_charts_are_available_from_python(folder):
    data = load(folder)
    assert len(effects(data["result"]).data) == 6
    from cartelsim.world.world import load_world

    fig = flow_map(load_world(), data["places"], data["links"], "border-scanning")
    assert any(trace.name == "homicides" for trace in fig.data)
    assert set(outlines()) == {"MX", "US"}


def test_the_report_renders_in_headless_chromium(folder, tmp_path):
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    dom = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--virtual-time-budget=10000",
            "--dump-dom",
            (folder / "report.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    # Each chart and the map drew its SVG.
    assert dom.count('class="main-svg"') >= 2 * 7
    shot = tmp_path / "report.png"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            f"--user-data-dir={tmp_path / 'profile2'}",
            "--window-size=1200,3000",
            "--virtual-time-budget=10000",
            f"--screenshot={shot}",
            (folder / "report.html").as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    assert shot.stat().st_size > 50_000
    kept = folder / "report-screenshot.png"
    shutil.copy(shot, kept)  # kept beside the report for a person to look at
