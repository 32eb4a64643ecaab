"""The self-contained HTML report of a comparison: Plotly's JavaScript and all the data are
embedded, so it opens offline and makes no request to any other host."""

from __future__ import annotations

import html
import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any

import duckdb
from plotly.offline import get_plotlyjs

from cartelsim.errors import CartelsimError
from cartelsim.experiment.compare import HEADLINE, compare
from cartelsim.experiment.store import FILE
from cartelsim.params import SPECS
from cartelsim.policy.library import STRATEGIES
from cartelsim.report import charts
from cartelsim.world.world import load_world

FANS = (
    ("od_deaths", "US overdose deaths a week"),
    ("mx_homicides", "homicides in Mexico a week"),
    ("us_arrivals_kg", "fentanyl reaching the US, kg a week"),
    ("cooperation", "US–Mexico cooperation index"),
)


def load(folder: Path) -> dict[str, Any]:
    """Everything the report shows, read from the result store."""
    path = folder / FILE
    if not path.is_file():
        raise CartelsimError(f"{folder}: no result store ({FILE}); run `cartelsim run` first")
    db = duckdb.connect(str(path), read_only=True)
    try:
        meta = {
            k: (v if k == "digest" else json.loads(v))
            for k, v in db.execute("SELECT key, value FROM meta").fetchall()
        }
        long = db.execute("SELECT * FROM summaries ORDER BY replicate, strategy, outcome").df()
        weekly = db.execute("SELECT * FROM weekly ORDER BY replicate, strategy, week").df()
        places = db.execute(
            "SELECT replicate, strategy, place, sum(homicides) AS homicides, "
            "sum(seized_kg) AS seized_kg FROM places GROUP BY ALL ORDER BY ALL"
        ).df()
        links = db.execute("SELECT * FROM links ORDER BY ALL").df()
    finally:
        db.close()
    if long.empty:
        raise CartelsimError(f"{path}: the store holds no finished replicate yet")
    wide = long.pivot_table(index=["replicate", "strategy"], columns="outcome", values="value")
    done = set(wide.index.get_level_values("strategy"))
    strategies = [s for s in meta["strategies"] if s in done]
    result = compare(wide.sort_index(), meta["seed"], strategies)
    return {
        "meta": meta,
        "result": result,
        "weekly": weekly,
        "places": places,
        "links": links,
        "replicates": int(wide.index.get_level_values(0).nunique()),
    }


def figures(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The report's charts (by name) and its maps (by strategy)."""
    result = data["result"]
    world = load_world(data["meta"]["world"])
    charts_ = {
        "effects": charts.effects(result),
        "tradeoff": charts.tradeoff(result),
        "cost": charts.cost_effect(result),
    }
    for series, label in FANS:
        charts_[f"fan_{series}"] = charts.fan(data["weekly"], series, label)
    maps = {
        name: charts.flow_map(world, data["places"], data["links"], name)
        for name in result
        if name != "baseline"
    }
    return charts_, maps


def build_report(folder: Path) -> Path:
    data = load(folder)
    charts_, maps = figures(data)
    page = _page(
        data["meta"], data["result"], data["replicates"], charts_, maps, _validation(folder)
    )
    target = folder / "report.html"
    with tempfile.NamedTemporaryFile(
        "w", dir=folder, delete=False, suffix=".tmp", encoding="utf-8"
    ) as tmp:
        tmp.write(page)
    os.chmod(tmp.name, 0o644)
    os.replace(tmp.name, target)
    return target


def _validation(folder: Path) -> str:
    """The status of `cartelsim validate --out FOLDER`, if it was run."""
    path = folder / "validation.json"
    if not path.is_file():
        return (
            "<p>Not validated in this folder: run <code>cartelsim validate --out "
            f"{html.escape(str(folder))}</code> and rebuild the report "
            "(<code>cartelsim report</code>).</p>"
        )
    rows = json.loads(path.read_text(encoding="utf-8"))["targets"]
    met = sum(r["pass"] for r in rows)
    body = "".join(
        f"<tr><td>{html.escape(r['id'])}</td><td style='text-align:left'>"
        f"{html.escape(r['fact'])}</td><td>{html.escape(r['published'])}</td>"
        f"<td>{r['measured']:.4g}</td><td>{'pass' if r['pass'] else '<b>FAIL</b>'}</td></tr>"
        for r in rows
    )
    return (
        f"<p>{met} of {len(rows)} published targets met (docs/validation.md).</p>"
        "<table><tr><th>id</th><th>fact</th><th>published</th><th>measured</th>"
        f"<th></th></tr>{body}</table>"
    )


def _page(meta, result, replicates, figures, maps, validation) -> str:
    figs = {k: json.loads(f.to_json()) for k, f in figures.items()}
    map_data = {k: json.loads(f.to_json()) for k, f in maps.items()}
    payload = json.dumps(
        {"result": result, "figures": figs, "maps": map_data},
        separators=(",", ":"),
        allow_nan=False,
    )
    first = next(iter(maps), "")
    options = "".join(f'<option value="{html.escape(n)}">{html.escape(n)}</option>' for n in maps)
    title = "cartelsim: strategies against the Mexican cartels compared"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px;
       color: #222; line-height: 1.45; padding: 0 1em; }}
table {{ border-collapse: collapse; font-size: 0.9em; margin: 1em 0; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: right; }}
th:first-child, td:first-child {{ text-align: left; }}
.note {{ color: #555; font-size: 0.9em; }} .chart {{ margin: 1.5em 0; }}
</style>
<script>{get_plotlyjs()}</script>
</head><body>
<h1>{title}</h1>
<p class="note">Model {html.escape(str(meta.get("model_version")))} · world
{html.escape(str(meta.get("world")))} · {meta.get("weeks")} weeks from January 2025 · scale
{meta.get("scale")} · {replicates} paired replicates (root seed {meta.get("seed")}) · scenario
{html.escape(str(meta.get("digest")))}. Every strategy ran on the same seeds and parameter
draws; changes are paired differences against the baseline with 95% bootstrap intervals.</p>
<h2>Headline</h2>
{_headline(result)}
<h2>Effects against the baseline</h2>
<div class="chart" id="effects"></div>
<h2>Over time</h2>
{"".join(f'<div class="chart" id="fan_{s}"></div>' for s, _ in FANS)}
<h2>Trade-offs</h2>
<div class="chart" id="tradeoff"></div>
<div class="chart" id="cost"></div>
<h2>Map</h2>
<p>Strategy: <select id="map-choice">{options}</select></p>
<div class="chart" id="map"></div>
<p class="note">Country outlines: Natural Earth 1:50m (public domain), via world-atlas.</p>
<h2>Assumptions</h2>
{_assumptions(meta)}
<h2>Validation</h2>
{validation}
<script type="application/json" id="report-data">{payload}</script>
<script>
const DATA = JSON.parse(document.getElementById("report-data").textContent);
const CONFIG = {{responsive: true, displaylogo: false}};
for (const [id, fig] of Object.entries(DATA.figures)) {{
  Plotly.newPlot(id, fig.data, fig.layout, CONFIG);
}}
function showMap(name) {{
  const fig = DATA.maps[name];
  if (fig) Plotly.react("map", fig.data, fig.layout, CONFIG);
}}
document.getElementById("map-choice").addEventListener("change", e => showMap(e.target.value));
showMap({json.dumps(first)});
</script>
</body></html>
"""


def _headline(result) -> str:
    head = "".join(f"<th>{html.escape(label)}</th>" for _, label, _, _ in HEADLINE)
    rows = []
    for name, body in result.items():
        cells = []
        for key, _, unit, fmt in HEADLINE:
            m = body["metrics"][key]
            text = fmt.format(m["mean"] * unit)
            if name != "baseline":
                text += (
                    f"<br><small>{_signed(m['diff_mean'] * unit, fmt)} "
                    f"[{_signed(m['diff_lo'] * unit, fmt)}, "
                    f"{_signed(m['diff_hi'] * unit, fmt)}] · better in "
                    f"{m['p_better']:.0%}</small>"
                )
            cells.append(f"<td>{text}</td>")
        rows.append(f"<tr><td>{html.escape(name)}</td>{''.join(cells)}</tr>")
    return f"<table><tr><th>strategy</th>{head}</tr>{''.join(rows)}</table>"


def _signed(value: float, fmt: str) -> str:
    if not math.isfinite(value):
        return "n/a"
    return ("+" if value >= 0 else "−") + fmt.format(abs(value))


def _assumptions(meta) -> str:
    params, priors = meta.get("params", {}), meta.get("priors", {})
    rows = []
    for s in SPECS:
        value = params.get(s.name, s.default)
        prior = priors.get(s.name)
        drawn = f"{prior[0]}({prior[1]:g}, {prior[2]:g})" if prior else "fixed"
        rows.append(
            f"<tr><td><code>{s.name}</code></td><td>{value:g}</td>"
            f"<td>{html.escape(s.unit)}</td><td>{drawn}</td>"
            f"<td style='text-align:left'>{html.escape(s.source)}</td></tr>"
        )
    params_table = (
        "<table><tr><th>parameter</th><th>value</th><th>unit</th>"
        "<th>in this run</th><th>source</th></tr>" + "".join(rows) + "</table>"
    )
    custom = meta.get("custom_strategies", {})
    levers = []
    for name in meta["strategies"]:
        body = custom.get(name) or STRATEGIES[name].as_dict()
        items = (
            "; ".join(f"{lv['lever']} {lv['intensity']:g} {lv['unit']}" for lv in body["levers"])
            or "no new policy"
        )
        sources = "; ".join(body["sources"])
        levers.append(
            f"<tr><td>{html.escape(name)}</td><td style='text-align:left'>"
            f"{html.escape(items)}</td><td style='text-align:left'>"
            f"{html.escape(sources)}</td></tr>"
        )
    strategies = (
        "<table><tr><th>strategy</th><th>levers</th><th>sources</th></tr>"
        + "".join(levers)
        + "</table>"
    )
    return (
        f"<h3>Strategies</h3>{strategies}<h3>Parameters</h3>"
        f"<p class='note'>Defaults and their sources (docs/model.md); the run's overrides "
        f"and priors are applied.</p>{params_table}"
    )
