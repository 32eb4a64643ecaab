"""The HTML report of an exploration: self-contained, faithful to the store and to scenario
discovery, it renders with no error and no request, and names from the store stay text."""

import base64
import html
import json
import re
import shutil
import sys
from dataclasses import replace
from html.parser import HTMLParser

import duckdb
import numpy as np
import pytest
from test_report import HOSTILE, _data, _render

from cartelsim.analysis.discovery import discover
from cartelsim.analysis.explore import Design, Exploration, default_design, explore, load
from cartelsim.cli import main
from cartelsim.outcomes import HEADLINE
from cartelsim.params import section, spec
from cartelsim.report.exploration import INDEX, _factors
from cartelsim.report.explore_charts import effect_scatter
from cartelsim.world.world import load_world

STRATEGY = "drone-strikes-joint"
NAMES = ("deterrence_strength", "succession_violence")
FACTOR = "<img src=x onerror=alert(7)>&amp;"  # a hostile name for deterrence_strength


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A tiny exploration and its report, asked two conditions: one that splits the samples
    at the median effect (PRIM finds a box), one that holds everywhere (nothing to find)."""
    out = tmp_path_factory.mktemp("explore") / "out"
    design = Design(strategies=(STRATEGY,), names=NAMES, samples=4, weeks=20, scale=0.02)
    found = explore(design, out)
    effect = found.effects(STRATEGY, "od_deaths_per_year")
    assert np.ptp(effect) > 0, "the fixture needs an effect that varies"
    split = f"{STRATEGY}: od_deaths_per_year < baseline + {float(np.median(effect))!r}"
    asked = [
        {"condition": split, "method": "prim", "threshold": 0.8},
        {"condition": f"{STRATEGY}: od_deaths_per_year > -1", "method": "prim"},
        {"condition": split, "method": "cart"},  # a tree on 16 samples: leaves of one at least
    ]
    (out / "discovery.json").write_text(json.dumps({"conditions": asked}), encoding="utf-8")
    assert not discover(found, split).limits.empty, "the fixture needs a box that restricts"
    assert main(["report", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def hostile(folder, tmp_path_factory):
    """The exploration with its strategy named as an attacker would, once per hostile name (each
    a copy of its rows), a parameter renamed to FACTOR, and hostile conditions: two answerable,
    one naming no strategy explored, one with a method that does not exist."""
    out = tmp_path_factory.mktemp("hostile") / "out"
    out.mkdir()
    shutil.copy(folder / "results.duckdb", out / "results.duckdb")
    db = duckdb.connect(str(out / "results.duckdb"))
    for table in ("runs", "summaries"):
        for name in HOSTILE:
            db.execute(
                f"INSERT INTO {table} SELECT * REPLACE (? AS strategy) FROM {table} "
                "WHERE strategy = ?",
                [name, STRATEGY],
            )
        db.execute(f"DELETE FROM {table} WHERE strategy = ?", [STRATEGY])
    db.execute("UPDATE meta SET value = ? WHERE key = 'strategies'", [json.dumps(HOSTILE)])
    db.execute("UPDATE meta SET value = ? WHERE key = 'names'", [json.dumps([FACTOR, NAMES[1]])])
    db.execute(
        "UPDATE runs SET params = replace(params, ?, ?)", [json.dumps(NAMES[0]), json.dumps(FACTOR)]
    )
    db.close()
    split = _asked(folder)[0]["condition"].partition(":")[2]
    asked = [
        {"condition": f"{HOSTILE[0]}:{split}", "method": "prim"},
        {"condition": f"{HOSTILE[4]}: od_deaths_per_year > -1", "method": "prim"},
        {"condition": "<script>alert(8)</script>: od_deaths_per_year < baseline"},
        {"condition": f"{HOSTILE[0]}:{split}", "method": "</script><b>9</b>"},
    ]
    (out / "discovery.json").write_text(json.dumps({"conditions": asked}), encoding="utf-8")
    assert main(["report", str(out)]) == 0
    return out


def _asked(folder) -> list[dict]:
    return json.loads((folder / "discovery.json").read_text(encoding="utf-8"))["conditions"]


def _page(folder) -> str:
    return (folder / "report.html").read_text(encoding="utf-8")


def _boxes(folder) -> list:
    exploration = load(folder)
    return [
        discover(exploration, a["condition"], a.get("method", "prim"), a.get("threshold", 0.8))
        for a in _asked(folder)
    ]


class _Text(HTMLParser):
    """The text of each element of the page, by tag, as a browser shows it."""

    def __init__(self) -> None:
        super().__init__()
        self.by_tag: dict[str, list[str]] = {}
        self.open: list[tuple[str, list[str]]] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("br", "meta", "link", "img", "input"):
            self.open.append((tag, []))

    def handle_endtag(self, tag):
        while self.open:
            name, parts = self.open.pop()
            text = "".join(parts)
            self.by_tag.setdefault(name, []).append(text)
            if self.open:
                self.open[-1][1].append(text)
            if name == tag:
                return

    def handle_data(self, data):
        if self.open and self.open[-1][0] not in ("script", "style"):
            self.open[-1][1].append(data)


def _texts(page: str) -> dict[str, list[str]]:
    parser = _Text()
    parser.feed(page)
    return parser.by_tag


def _array(value) -> np.ndarray:
    """A figure's array as the page holds it: a list, or Plotly's base64 typed array."""
    if isinstance(value, dict):
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        return flat.reshape([int(n) for n in str(value.get("shape", len(flat))).split(",")])
    return np.asarray(value)


def _expected_figures(folder) -> set[str]:
    ids = {f"tornado-0-{o.name}" for o in HEADLINE} | {"scatter-0"}
    for j, box in enumerate(_boxes(folder)):
        ids |= {f"peeling-{j}"} if not box.trajectory.empty else set()
        ids |= {f"limits-{j}"} if not box.limits.empty else set()
    return ids


def test_the_report_is_self_contained(folder):
    page = _page(folder)
    assert not re.search(
        r'<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["\']?(https?:)?//', page, re.I
    )
    assert "Plotly.newPlot" in page and len(page) > 1_000_000  # plotly.js is embedded
    figures = _data(page)["figures"]
    assert set(figures) == _expected_figures(folder)
    assert {"peeling-0", "limits-0"} <= set(figures)  # the split has a box and a trajectory
    for fid in figures:
        assert f'<div class="chart" id="{fid}"></div>' in page  # each has its place


def test_the_report_shows_what_the_store_holds(folder):
    """What was explored, and every index as the store's samples give it (recomputed here)."""
    page, exploration = _page(folder), load(folder)
    text = _texts(page)
    indices = exploration.indices
    shown = _data(page)["indices"]
    expected = json.loads(json.dumps(indices.to_dict("records")).replace("NaN", "null"))
    assert shown == expected
    for name in NAMES:
        prior = spec(name).prior
        assert f"{name} — prior {prior.dist}({prior.lo:g}, {prior.hi:g})" in text["li"]
    assert f"{len(exploration.samples)} samples in all" in page
    assert len(exploration.samples) == 4 * (len(NAMES) + 2)
    assert STRATEGY in text["h3"]
    rows = [r for r in text["tr"] if r]
    for r in indices.itertuples():
        label = next(o.headline.label for o in HEADLINE if o.name == r.outcome)
        if np.isnan(r.ST):
            assert f"{label}no variation" in rows
            continue
        st = f"{INDEX.format(r.ST)} ± {INDEX.format(r.ST_conf)}"
        s1 = f"{INDEX.format(r.S1)} ± {INDEX.format(r.S1_conf)}"
        assert f"{label}{r.factor}{st}{s1}" in rows
    glance = []  # at a glance: the factor with the largest total index of each effect
    for outcome in HEADLINE:
        rows_ = indices[indices.outcome == outcome.name]
        if rows_.ST.isna().all():
            glance.append("no variation")
        else:
            top = rows_.loc[rows_.ST.idxmax()]
            glance.append(f"{top.factor}ST {INDEX.format(top.ST)}")
    assert STRATEGY + "".join(glance) in rows


def test_the_charts_draw_the_indices_and_the_effects(folder):
    """Each tornado: the factors by total index, largest first, with their half-widths; an
    effect that never varies says so. The scatter's menu: each outcome's effect against its
    two factors with the largest total index, named on the axes."""
    page, exploration = _page(folder), load(folder)
    figures, indices = _data(page)["figures"], exploration.indices
    for outcome in HEADLINE:
        rows = indices[indices.outcome == outcome.name].sort_values(
            "ST", ascending=False, kind="stable"
        )
        fig = figures[f"tornado-0-{outcome.name}"]
        if rows.ST.isna().all():
            assert fig["data"] == [] and "no variation" in fig["layout"]["annotations"][0]["text"]
            continue
        total, alone = fig["data"]
        assert list(_array(total["y"])) == list(rows.factor) == list(_array(alone["y"]))
        assert list(_array(total["x"])) == list(rows.ST)
        assert list(_array(total["error_x"]["array"])) == list(rows.ST_conf)
        assert list(_array(alone["x"])) == list(rows.S1)
    scatter = figures["scatter-0"]
    buttons = scatter["layout"]["updatemenus"][0]["buttons"]
    assert [b["label"] for b in buttons] == [o.headline.label for o in HEADLINE]
    for k, (outcome, button) in enumerate(zip(HEADLINE, buttons, strict=True)):
        shows, axes = button["args"]
        assert shows["visible"] == [t // 2 == k for t in range(2 * len(HEADLINE))]
        rows = indices[indices.outcome == outcome.name].sort_values(
            "ST", ascending=False, kind="stable"
        )
        top = list(rows.factor[:2])
        assert [axes["xaxis.title.text"], axes["xaxis2.title.text"]] == top
        effect = exploration.effects(STRATEGY, outcome.name) * outcome.headline.scale
        for j, factor in enumerate(top):
            trace = scatter["data"][2 * k + j]
            assert _array(trace["x"]) == pytest.approx(exploration.samples[factor].to_numpy())
            assert _array(trace["y"]) == pytest.approx(effect)


def test_scenario_discovery_is_shown_as_found(folder):
    """Each condition's sentence, numbers, trade-off curve and box, as discovery finds them."""
    page = _page(folder)
    shown, figures, text = _data(page)["discovery"], _data(page)["figures"], _texts(page)
    boxes = _boxes(folder)
    assert [s["condition"] for s in shown] == [a["condition"] for a in _asked(folder)]
    for got, box in zip(shown, boxes, strict=True):
        assert box.sentence in text["p"]
        assert got["coverage"] == box.coverage and got["density"] == box.density
        assert got["mass"] == box.mass
        assert got["limits"] == [[n, lo, hi] for n, (lo, hi) in box.limits.iterrows()]
    split, everywhere, tree = boxes
    assert tree.method == "cart" and tree.trajectory.empty and "peeling-2" not in figures
    assert tree.limits.empty == ("limits-2" not in figures)
    curve = figures["peeling-0"]["data"]
    steps = split.trajectory
    assert list(_array(curve[0]["x"])) == list(steps["coverage"])
    assert list(_array(curve[0]["y"])) == list(steps["density"])
    assert list(_array(curve[0]["marker"]["color"])) == list(steps["res_dim"])
    chosen = steps.iloc[split.chosen]  # ringed
    assert [*_array(curve[1]["x"]), *_array(curve[1]["y"])] == [
        chosen["coverage"],
        chosen["density"],
    ]
    bars = figures["limits-0"]["data"][1]  # the box, on the scale of the sampled range
    assert list(_array(bars["y"])) == list(split.limits.index)
    span = load(folder).samples[list(split.limits.index)]
    low, width = span.min().to_numpy(), np.ptp(span.to_numpy(), axis=0)
    lo = np.maximum(split.limits["lo"].to_numpy(), low)
    hi = np.minimum(split.limits["hi"].to_numpy(), low + width)
    assert _array(bars["base"]) == pytest.approx((lo - low) / width)
    assert _array(bars["x"]) == pytest.approx((hi - lo) / width)
    assert "nothing to discover" in everywhere.sentence and everywhere.sentence in text["p"]
    assert "peeling-1" not in figures and "limits-1" not in figures


def test_the_report_renders_with_no_error_and_no_request(folder):
    """Every chart draws, the console stays clean, and the page asks for nothing beyond its
    own file."""
    shot = folder / "report-screenshot.png"
    seen = _render(folder / "report.html", screenshot=shot)
    assert seen["errors"] == [] and seen["dialogs"] == []
    assert all(url.startswith(("file:", "data:", "blob:")) for url in seen["requests"])
    assert seen["svgs"] >= 2 * len(_expected_figures(folder))  # each drew its SVG layers
    assert seen["headline"] == [STRATEGY]  # the table at a glance
    assert shot.stat().st_size > 50_000


def test_the_report_command_writes_it(folder, capsys):
    """`cartelsim report` tells an exploration's store from a comparison's."""
    (folder / "report.html").unlink()
    assert main(["report", str(folder)]) == 0
    assert f"Wrote {folder / 'report.html'}" in capsys.readouterr().out
    page = _page(folder)
    assert "an exploration" in _texts(page)["h1"][0] and "Sobol indices" in page
    assert (folder / "report.html").stat().st_mode & 0o777 == 0o644


def test_discovery_file_absent_or_malformed(folder, tmp_path, capsys):
    """No discovery.json: no section; one that is not the conditions: a clear error."""
    shutil.copy(folder / "results.duckdb", tmp_path / "results.duckdb")
    assert main(["report", str(tmp_path)]) == 0
    page = _page(tmp_path)
    assert "Scenario discovery" not in page and _data(page)["discovery"] is None
    (tmp_path / "discovery.json").write_text('{"conditions": [{"method": "prim"}]}')
    assert main(["report", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert str(tmp_path / "discovery.json") in err and "not the conditions" in err


def test_without_the_ema_workbench_discovery_says_so(folder, tmp_path, monkeypatch):
    """A condition PRIM must answer says what to install; one that always holds still shows."""
    for name in ("results.duckdb", "discovery.json"):
        shutil.copy(folder / name, tmp_path / name)
    for name in [m for m in sys.modules if m.startswith("ema_workbench.")] + ["ema_workbench"]:
        monkeypatch.setitem(sys.modules, name, None)  # `import` of it fails
    assert main(["report", str(tmp_path)]) == 0
    shown = _data(_page(tmp_path))["discovery"]
    assert "pip install 'cartelsim[explore]'" in shown[0]["error"]
    assert shown[1]["mass"] == 1.0 and "error" not in shown[1]


def test_hostile_names_stay_text(hostile):
    """Names and conditions written to do harm: no script runs, every chart draws, and each
    reads exactly as written, in the page's text and in the charts."""
    page = _page(hostile)
    seen = _render(hostile / "report.html")
    assert seen["dialogs"] == [] and seen["errors"] == []
    figures = _data(page)["figures"]
    assert seen["svgs"] >= 2 * len(figures)
    assert seen["headline"] == list(HOSTILE)
    for raw in [*HOSTILE, FACTOR, "<script>alert(8)", "<b>9</b>"]:
        if "<" in raw:
            assert raw not in page  # only ever as text: escaped in HTML or in JSON
    text = _texts(page)
    asked = [a["condition"] for a in _asked(hostile)]
    assert set(HOSTILE) | set(asked) <= set(text["h3"])
    assert any(FACTOR in li for li in text["li"]) and "unknown to this model" in page
    answered, everywhere, unexplored, no_method = _data(page)["discovery"]
    box = discover(load(hostile), asked[0])
    assert box.sentence in text["p"] and FACTOR in box.sentence
    assert answered["limits"][0][0] == FACTOR and "always holds" in everywhere["sentence"]
    assert "was not explored" in unexplored["error"] and "method" in no_method["error"]
    assert any(unexplored["error"] in p for p in text["p"])
    for i, name in enumerate(HOSTILE):
        tornado = figures[f"tornado-{i}-od_deaths_per_year"]
        assert _shown(tornado["layout"]["title"]["text"]) == f"{name}: {HEADLINE[0].headline.label}"
        assert FACTOR in [_shown(y) for y in _array(tornado["data"][0]["y"])]
    assert [_shown(y) for y in _array(figures["limits-0"]["data"][1]["y"])] == [FACTOR]


def _shown(label: str) -> str:
    """A label as Plotly shows it: it reads tags (<b>, <br>, <a>) in its text, so a name from
    the store must hold none; it decodes &lt; &gt; &amp;, so the name reads as written."""
    assert "<" not in label and ">" not in label, label
    return html.unescape(label)


def test_sections_as_factors(folder):
    """By section (how `cartelsim explore` runs by default): the header lists each section
    with its parameters and their distributions, the posterior's where calibrated, and the
    scatter stands a section for one of its parameters, named on the axis."""
    design = default_design()
    posterior = load_world(design.world).posterior
    calibrated = set(posterior.names) if design.parameters == "posterior" else set()
    listed = _texts(_factors(design))["li"]
    assert len(listed) == len(design.factors())
    for factor, item in zip(design.factors(), listed, strict=True):
        assert item.startswith(f"{factor}: ")
        for name in (n for n in design.names if section(n) == factor):
            drawn = "posterior (calibrated)" if name in calibrated else "prior "
            assert f"{name} — {drawn}" in item
    found = load(folder)
    group = section(NAMES[0])
    assert section(NAMES[1]) == group  # one factor of two parameters
    indices = found.indices[found.indices.factor == NAMES[0]].assign(factor=group)
    grouped = Exploration(replace(found.design, by="section"), found.samples, indices)
    scatter = effect_scatter(grouped, STRATEGY)
    assert len(scatter.data) == len(HEADLINE)  # one factor: one panel per outcome
    for k, button in enumerate(scatter.layout.updatemenus[0].buttons):
        title = button.args[1]["xaxis.title.text"]
        name = title.removesuffix(f" ({group})")
        assert name in NAMES and title == f"{name} ({group})"
        assert list(scatter.data[k].x) == list(found.samples[name])


def test_its_charts_as_files(folder):
    from cartelsim.report.images import write_images

    written = write_images(folder, formats=("svg",), only=("scatter-0", "peeling-0"))
    assert sorted(p.name for p in written) == ["peeling-0.svg", "scatter-0.svg"]
    assert all(p.read_text(encoding="utf-8").lstrip().startswith("<svg") for p in written)
