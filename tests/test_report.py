"""The HTML report: self-contained, faithful to the store, and it renders."""

import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import duckdb
import numpy as np
import pytest
from playwright.sync_api import sync_playwright

from cartelsim.cli import main
from cartelsim.errors import CartelsimError
from cartelsim.experiment.compare import paired_comparison
from cartelsim.outcomes import HEADLINE
from cartelsim.report import offline_chromium
from cartelsim.report.charts import cost_effect, effects, flow_map, outlines
from cartelsim.report.html import load, script_json
from cartelsim.report.images import map_names, write_images

HOSTILE = (
    "</script><script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "\u2028x",
    "a'b\"c&d",
    "<b onmouseover=alert(3)>x</b>",
)


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


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A comparison whose store names its strategies as an attacker would: each hostile
    name holds a copy of border-scanning's rows, in every table and in the meta."""
    out = tmp_path_factory.mktemp("hostile") / "out"
    args = ["run", "--reps", "2", "--weeks", "8", "--scale", "0.03", "--workers", "1"]
    assert main([*args, "--strategies", "border-scanning", "--out", str(out)]) == 0
    db = duckdb.connect(str(out / "results.duckdb"))
    for table in ("runs", "summaries", "weekly", "places", "links"):
        for name in HOSTILE:
            db.execute(
                f"INSERT INTO {table} SELECT * REPLACE (? AS strategy) FROM {table} "
                "WHERE strategy = 'border-scanning'",
                [name],
            )
        db.execute(f"DELETE FROM {table} WHERE strategy = 'border-scanning'")
    db.execute(
        "UPDATE meta SET value = ? WHERE key = 'strategies'", [json.dumps(["baseline", *HOSTILE])]
    )
    db.close()
    assert main(["report", str(out)]) == 0
    return out


def _data(page: str) -> dict:
    blob = re.search(
        r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S
    ).group(1)
    return json.loads(blob, parse_constant=lambda c: pytest.fail(f"{c} in the JSON payload"))


def _tool(name: str) -> str:
    """A program the tests need; missing, it is a failure, not a skip."""
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed: run tools/setup-debian (installs chromium, strace)")
    return path


def _render(report, maps=(), screenshot=None) -> dict:
    """The report in headless Chromium (Debian's, driven by Playwright): what went wrong,
    what it asked for, what it drew, and the text it shows."""
    seen = {"errors": [], "dialogs": [], "requests": [], "titles": {}}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=_tool("chromium"), args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("console", lambda m: seen["errors"].append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: seen["errors"].append(str(e)))
        page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
        page.on("request", lambda r: seen["requests"].append(r.url))
        page.goto(report.as_uri(), wait_until="networkidle")
        page.wait_for_timeout(500)
        seen["svgs"] = page.locator(".main-svg").count()
        seen["headline"] = (
            page.locator("table").first.locator("tr td:first-child").all_text_contents()
        )
        seen["legend"] = page.locator("#fan_od_deaths .legendtext").all_text_contents()
        for name in maps:
            page.select_option("#map-choice", name)
            page.wait_for_timeout(300)
            seen["titles"][name] = "".join(page.locator("#map .gtitle").all_text_contents())
        if screenshot is not None:
            page.screenshot(path=str(screenshot), full_page=True)
        browser.close()
    return seen


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
    expected = paired_comparison(wide, seed, list(shown))
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
    assert len(effects(data["result"]).data) == len(HEADLINE)
    from cartelsim.world.world import load_world

    fig = flow_map(load_world(), data["places"], data["links"], "border-scanning")
    assert any(trace.name == "homicides" for trace in fig.data)
    assert set(outlines()) == {"MX", "US"}


def test_the_report_renders_with_no_error_and_no_request(folder):
    """Every chart draws, the console stays clean, and the page asks for nothing beyond its
    own file."""
    shot = folder / "report-screenshot.png"
    seen = _render(folder / "report.html", maps=["drone-strikes-unilateral"], screenshot=shot)
    assert seen["errors"] == [] and seen["dialogs"] == []
    assert all(url.startswith(("file:", "data:", "blob:")) for url in seen["requests"])
    assert seen["svgs"] >= 2 * 8  # each of the eight charts and the map drew its SVG layers
    assert "drone-strikes-unilateral" in seen["titles"]["drone-strikes-unilateral"]
    assert shot.stat().st_size > 50_000


def test_charts_as_files_for_papers(folder):
    _tool("chromium")
    environ = dict(os.environ)
    written = write_images(folder, only=("tradeoff",))
    assert dict(os.environ) == environ  # the browser is passed, not set in the environment
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
            "label": "fitted",
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
        # A row without a label (a file from before labels) is counted apart, never as a test.
        assert "fitted: 1 of 1 met, 0 covered; unlabelled: 0 of 1 met, 0 covered" in page
        assert "<b>FAIL</b>" in page
    finally:
        (folder / "validation.json").unlink()
        main(["report", str(folder)])


def test_json_in_a_script_cannot_close_or_bend_it():
    """The one helper every embedding goes through: the element cannot be ended or commented
    out from inside, and the text reads back exactly, NaN as null."""
    value = {"names": [*HOSTILE, "<!--", "\u2029"], "nan": float("nan"), "inf": [float("inf")]}
    text = script_json(value)
    assert not set(text) & set("<>&\u2028\u2029")
    assert json.loads(text) == {**value, "nan": None, "inf": [None]}


def test_map_file_names_are_slugs():
    """A strategy's name never reaches a file name: it is slugged, and slugs that collide are
    told apart."""
    names = map_names([*HOSTILE, "../../x", "a b", "a/b", "A-B", "a-b", "a-b-2", "border-scanning"])
    assert all(re.fullmatch(r"map_[a-z0-9_-]+", n) for n in names)
    assert len(set(names)) == len(names)
    assert names[-1] == "map_border-scanning"  # a name that is already safe stays as it is


@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # compare, on infinities
def test_a_metric_that_is_not_finite_shows_na(folder, tmp_path):
    """NaN and infinities in the store (compare turns them into None) show as "n/a" and leave
    the point out of the charts; the page's JSON stays strict."""
    shutil.copy(folder / "results.duckdb", tmp_path / "results.duckdb")
    db = duckdb.connect(str(tmp_path / "results.duckdb"))
    db.execute(
        "UPDATE summaries SET value = 'NaN' "
        "WHERE strategy = 'border-scanning' AND outcome = 'od_deaths_per_year'"
    )
    db.execute(
        "UPDATE summaries SET value = 'Infinity' "
        "WHERE strategy = 'drone-strikes-unilateral' AND outcome = 'cost_usd'"
    )
    db.execute("UPDATE weekly SET od_deaths = 'NaN' WHERE week = 3")
    db.close()
    assert main(["report", str(tmp_path)]) == 0
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    result = _data(page)["result"]
    assert result["border-scanning"]["metrics"]["od_deaths_per_year"]["mean"] is None
    assert "n/a" in page
    cost = cost_effect(load(tmp_path)["result"]).data[0].x  # each strategy's cost
    assert np.isfinite(cost[0]) and np.isnan(cost[1])  # NaN: Plotly leaves the point out
    seen = _render(tmp_path / "report.html")
    assert seen["errors"] == [] and seen["svgs"] >= 2 * 8


def _hold_open(path):
    """A second process that holds the store open read-write, as a run does."""
    code = (
        "import duckdb, sys, time; db = duckdb.connect(sys.argv[1]); "
        "print('open', flush=True); time.sleep(120)"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "open"
    return holder


def test_a_store_in_use_is_a_clear_error(folder, tmp_path, capsys):
    shutil.copy(folder / "results.duckdb", tmp_path / "results.duckdb")
    holder = _hold_open(tmp_path / "results.duckdb")
    try:
        with pytest.raises(CartelsimError, match="in use by another process") as caught:
            load(tmp_path)
        assert str(tmp_path / "results.duckdb") in str(caught.value)
        assert main(["report", str(tmp_path)]) == 2
        assert "a run still going?" in capsys.readouterr().err
    finally:
        holder.kill()
        holder.wait()


def _not_duckdb(path, store):
    path.write_text("name,value\na,1\n", encoding="utf-8")


def _no_tables(path, store):
    duckdb.connect(str(path)).close()


def _no_strategies(path, store):
    shutil.copy(store, path)
    db = duckdb.connect(str(path))
    db.execute("DELETE FROM meta WHERE key = 'strategies'")
    db.close()


def _meta_not_json(path, store):
    shutil.copy(store, path)
    db = duckdb.connect(str(path))
    db.execute("UPDATE meta SET value = '{' WHERE key = 'seed'")
    db.close()


def _no_replicate(path, store):
    shutil.copy(store, path)
    db = duckdb.connect(str(path))
    db.execute("DELETE FROM summaries")
    db.close()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_not_duckdb, "cannot open it as a result store"),
        (_no_tables, "not a result store of `cartelsim run`"),
        (_no_strategies, "its meta table lacks strategies"),
        (_meta_not_json, "a value in its meta table is not JSON"),
        (_no_replicate, "the store holds no finished replicate yet"),
    ],
)
def test_a_file_that_is_not_a_store_is_a_clear_error(folder, tmp_path, capsys, make, message):
    make(tmp_path / "results.duckdb", folder / "results.duckdb")
    assert main(["report", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert message in err and str(tmp_path / "results.duckdb") in err


def _running(pid: int) -> bool:
    """Whether a process is alive (a zombie, waiting to be reaped, is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_chart_export_failures_are_clear_errors(folder, tmp_path, monkeypatch):
    """A browser that exits at once, or never answers, is a CartelsimError saying so; the
    stuck one is killed, and the wrapper script's folder is gone either way."""
    hang = tmp_path / "hang"
    hang.write_text(f"#!/bin/sh\necho $$ > {tmp_path / 'pid'}\nexec sleep 600\n")
    hang.chmod(0o755)
    monkeypatch.setattr(offline_chromium, "START_S", 3)
    wrappers = set(Path(tempfile.gettempdir()).glob("cartelsim-chromium-*"))
    for browser, message in ((_tool("false"), "failed: "), (hang, "did not start within 3 s")):
        monkeypatch.setenv("BROWSER_PATH", str(browser))
        with pytest.raises(CartelsimError, match=message):
            write_images(folder, formats=("png",), only=("tradeoff",))
    assert not _running(int((tmp_path / "pid").read_text()))
    assert set(Path(tempfile.gettempdir()).glob("cartelsim-chromium-*")) == wrappers
    monkeypatch.delenv("BROWSER_PATH")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CartelsimError, match="need Chromium"):
        write_images(folder)


INET = re.compile(r'sa_family=AF_INET6?, sin6?_port=htons\((\d+)\).*?"([0-9a-fA-F:.]+)"')


def _remote(log: str) -> list[str]:
    """The calls in an strace log that reach an address other than loopback, or DNS."""
    far = []
    for line in log.splitlines():
        if "sa_family=AF_INET" not in line:
            continue  # AF_UNIX and AF_NETLINK stay on the machine
        found = INET.search(line)
        if found is None:
            far.append(f"(unparsed) {line}")
            continue
        port, address = int(found.group(1)), ipaddress.ip_address(found.group(2))
        mapped = getattr(address, "ipv4_mapped", None) or address
        if port == 53 or not mapped.is_loopback:
            far.append(line)
    return far


def test_the_chart_export_opens_no_network_socket(folder, tmp_path):
    """`cartelsim report --images` under strace, which follows Chromium's processes: every
    Internet address any of them connects or sends to is loopback, and none is DNS."""
    log = tmp_path / "strace.log"
    calls = "trace=connect,sendto,sendmsg,sendmmsg,execve"
    command = [sys.executable, "-m", "cartelsim", "report", str(folder), "--images"]
    chromium = _tool("chromium")
    run = subprocess.run(
        [_tool("strace"), "-f", "--seccomp-bpf", "-qq", "-e", calls, "-o", str(log), *command],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    text = log.read_text(encoding="utf-8", errors="replace")
    assert f'execve("{chromium}"' in text, "strace did not follow the export into Chromium"
    assert _remote(text) == []


def test_hostile_names_stay_text(hostile):
    """Strategy names written to do harm: no script runs, every chart draws, and each name
    reads exactly as written, in the table and in the charts."""
    seen = _render(hostile / "report.html", maps=HOSTILE)
    assert seen["dialogs"] == [] and seen["errors"] == []
    assert seen["svgs"] >= 2 * 8
    assert seen["headline"][1:] == list(HOSTILE)
    assert set(HOSTILE) <= set(seen["legend"])
    for name, title in seen["titles"].items():
        assert title.endswith(f"under {name}")
    page = (hostile / "report.html").read_text(encoding="utf-8")
    assert set(_data(page)["maps"]) == set(HOSTILE)
    assert "levers unknown" in page  # in neither the library nor the run's own strategies


def test_hostile_names_write_files_only_in_figures(hostile):
    """Each hostile name's map is a file in OUT/figures, named by its slug, and nothing is
    written anywhere else."""
    before = set(hostile.parent.rglob("*"))
    written = write_images(hostile, formats=("svg",))
    new = set(hostile.parent.rglob("*")) - before
    figures = (hostile / "figures").resolve()
    assert all(p.resolve().parent == figures for p in written)
    assert {p for p in new if p.is_file()} <= set(written)
    assert len([p for p in written if p.name.startswith("map_")]) == len(HOSTILE)
