"""The HTML report: self-contained, faithful to the store, and it renders."""

import json
import re
import shutil

import duckdb
import pytest

from cartelsim.cli import main
from cartelsim.experiment.compare import compare as paired
from cartelsim.report.charts import effects, flow_map, outlines
from cartelsim.report.html import load
from cartelsim.report.images import write_images


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
    assert set(data["figures"]) >= {
        "effects",
        "tradeoff",
        "cost",
        "fan_od_deaths",
        "fan_mx_homicides",
    }
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


def test_the_report_renders_with_no_error_and_no_request(folder):
    """Headless Chromium (Debian's, driven by Playwright): every chart draws, the console
    stays clean, and the page asks for nothing beyond its own file."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    errors, requests = [], []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto((folder / "report.html").as_uri(), wait_until="networkidle")
        page.wait_for_timeout(500)
        svgs = page.locator(".main-svg").count()
        page.select_option("#map-choice", "drone-strikes-unilateral")
        page.wait_for_timeout(300)
        title = page.locator("#map .gtitle").text_content()
        page.screenshot(path=str(folder / "report-screenshot.png"), full_page=True)
        browser.close()
    assert errors == []
    assert all(url.startswith(("file:", "data:", "blob:")) for url in requests), requests
    assert svgs >= 2 * 8  # each of the eight charts and the map drew its SVG layers
    assert "drone-strikes-unilateral" in title  # the menu redraws the map
    assert (folder / "report-screenshot.png").stat().st_size > 50_000


def test_charts_as_files_for_papers(folder):
    if shutil.which("chromium") is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    written = write_images(folder, only=("tradeoff",))
    assert sorted(p.suffix for p in written) == [".pdf", ".png", ".svg"]
    png, svg, pdf = (folder / "figures" / f"tradeoff.{x}" for x in ("png", "svg", "pdf"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    assert b"<svg" in svg.read_bytes()[:500] and b"deaths averted" in svg.read_bytes()
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_the_report_shows_the_validation_status(folder):
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "Not validated in this folder" in page
    rows = [
        {
            "id": "B3",
            "fact": "homicides",
            "published": "32,000",
            "measured": 32500.0,
            "lo": 31000.0,
            "hi": 34000.0,
            "band": [25600, 38400],
            "pass": True,
        },
        {
            "id": "B8-CA",
            "fact": "California",
            "published": "46%",
            "measured": 0.16,
            "lo": 0.13,
            "hi": 0.18,
            "band": [0.38, 0.54],
            "pass": False,
        },
    ]
    (folder / "validation.json").write_text(json.dumps({"targets": rows}), encoding="utf-8")
    try:
        assert main(["report", str(folder)]) == 0
        page = (folder / "report.html").read_text(encoding="utf-8")
        assert "1 of 2 published targets met" in page and "<b>FAIL</b>" in page
    finally:
        (folder / "validation.json").unlink()
        main(["report", str(folder)])
