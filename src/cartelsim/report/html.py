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

from plotly.offline import get_plotlyjs

from cartelsim.analysis.explore import KIND
from cartelsim.analysis.targets import by_label
from cartelsim.errors import CartelsimError
from cartelsim.experiment.compare import NOT_MODELLED, paired_comparison, ranking, uncertainty
from cartelsim.experiment.store import read_only
from cartelsim.outcomes import FANS, HEADLINE
from cartelsim.params import SPECS
from cartelsim.policy.library import STRATEGIES
from cartelsim.report import charts
from cartelsim.world.world import load_world

META = ("strategies", "seed", "world")  # what the report cannot do without
SCRIPT_ESCAPES = {  # in JSON inside <script>: nothing can close or bend the element
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def load(folder: Path) -> dict[str, Any]:
    """Everything the report shows, read from the result store."""
    with read_only(folder) as store:
        meta = store.meta()
        long, weekly = store.summaries(), store.weekly()
        places, links = store.place_totals(), store.links()
    missing = [k for k in META if k not in meta]
    if missing:
        raise CartelsimError(f"{store.path}: its meta table lacks {', '.join(missing)}")
    if long.empty:
        raise CartelsimError(f"{store.path}: the store holds no finished replicate yet")
    wide = long.pivot_table(index=["replicate", "strategy"], columns="outcome", values="value")
    done = set(wide.index.get_level_values("strategy"))
    strategies = [s for s in meta["strategies"] if s in done]
    result = paired_comparison(wide.sort_index(), meta["seed"], strategies)
    return {
        "meta": meta,
        "result": result,
        "ranking": ranking(wide.sort_index(), meta["seed"], strategies),
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
    for series in FANS:
        charts_[f"fan_{series.name}"] = charts.fan(data["weekly"], series.name, series.fan.label)
    maps = {
        name: charts.flow_map(world, data["places"], data["links"], name)
        for name in result
        if name != "baseline"
    }
    return charts_, maps


def build_report(folder: Path) -> Path:
    with read_only(folder) as store:
        kind = store.meta().get("kind")
    if kind == KIND:  # `cartelsim explore`'s store has a report of its own
        from cartelsim.report.exploration import build_exploration_report

        return build_exploration_report(folder)
    data = load(folder)
    charts_, maps = figures(data)
    page = _page(
        data["meta"],
        data["result"],
        data["replicates"],
        charts_,
        maps,
        _validation(folder),
        data["ranking"],
    )
    return write_page(folder, page)


def write_page(folder: Path, page: str) -> Path:
    """FOLDER/report.html, written beside and then over the old one (a crash never leaves half
    a page), readable by all."""
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
    covered = by_label(rows, "covered")
    counts = "; ".join(
        f"{label}: {met} of {n} met, {covered[label][0]} covered"
        for label, (met, n) in by_label(rows).items()
    )
    body = "".join(
        f"<tr><td>{_text(r['id'])}</td><td>{_text(r.get('label') or 'unlabelled')}</td>"
        "<td style='text-align:left'>"
        f"{_text(r['fact'])}</td><td>{_text(r['published'])}</td>"
        f"<td>{_number(r['measured'], '{:.4g}')}</td>"
        f"<td>{_number(r['lo'], '{:.4g}')} to {_number(r['hi'], '{:.4g}')}</td>"
        f"<td>{'pass' if r['pass'] else '<b>FAIL</b>'}</td>"
        f"<td>{_covered(r.get('covered'))}</td></tr>"
        for r in rows
    )
    return (
        f"<p>Published targets, by what they can tell: {_text(counts)}. Only a <i>test</i> "
        "target was never used to choose a parameter; <i>covered</i>: the replicates' 90% "
        "interval meets the band (docs/validation.md).</p>"
        "<table><tr><th>id</th><th>label</th><th>fact</th><th>published</th><th>measured</th>"
        f"<th>90% of replicates</th><th>mean</th><th>interval</th></tr>{body}</table>"
    )


def script_json(value: Any) -> str:
    """JSON that can sit inside a <script> element whatever its strings hold: `</script>`,
    `<!--` and `&` cannot end or bend the element, and U+2028/U+2029 (line ends to old
    JavaScript) stay escaped. NaN and infinities become null, since JSON has neither."""
    text = json.dumps(_finite(value), separators=(",", ":"), allow_nan=False, ensure_ascii=False)
    for char, escaped in SCRIPT_ESCAPES.items():
        text = text.replace(char, escaped)
    return text


def _finite(value: Any) -> Any:
    """`value` with every non-finite float replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _text(value: Any) -> str:
    """Anything from the store or a file, as HTML text."""
    return html.escape(str(value))


STYLE = """
body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px;
       color: #222; line-height: 1.45; padding: 0 1em; }
table { border-collapse: collapse; font-size: 0.9em; margin: 1em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 4px 8px; text-align: right; }
th:first-child, td:first-child { text-align: left; }
.note { color: #555; font-size: 0.9em; } .chart { margin: 1.5em 0; }
"""


DRAW = """const DATA = JSON.parse(document.getElementById("report-data").textContent);
const CONFIG = {responsive: true, displaylogo: false};
for (const [id, fig] of Object.entries(DATA.figures)) {
  Plotly.newPlot(id, fig.data, fig.layout, CONFIG);
}"""  # draws every chart of a report's embedded data


def head(title: str, style: str = "") -> str:
    """A report's page up to its body: the shared style (and the page's own), Plotly inline."""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{STYLE}{style}</style>
<script>{get_plotlyjs()}</script>
</head><body>"""


def _page(meta, result, replicates, figures, maps, validation, ranked) -> str:
    figs = {k: json.loads(f.to_json()) for k, f in figures.items()}
    map_data = {k: json.loads(f.to_json()) for k, f in maps.items()}
    payload = script_json({"result": result, "figures": figs, "maps": map_data})
    first = next(iter(maps), "")
    options = "".join(f'<option value="{_text(n)}">{_text(n)}</option>' for n in maps)
    title = "cartelsim: strategies against the Mexican cartels compared"
    return f"""{head(title)}
<h1>{title}</h1>
<p class="note">Model {_text(meta.get("model_version"))} · world
{_text(meta.get("world"))} · {_text(meta.get("weeks"))} weeks from January 2025 · scale
{_text(meta.get("scale"))} · root seed {_text(meta.get("seed"))} · scenario
{_text(meta.get("digest"))}. {_text(_uncertainty(meta, replicates))}
Changes are paired differences against the baseline with 95% bootstrap intervals.</p>
<h2>Headline</h2>
{_headline(result)}
<p class="note">{"<br>".join(_text(line) for line in ranked)}</p>
<h2>Effects against the baseline</h2>
<div class="chart" id="effects"></div>
<h2>Over time</h2>
{"".join(f'<div class="chart" id="fan_{s.name}"></div>' for s in FANS)}
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
{DRAW}
function showMap(name) {{
  const fig = DATA.maps[name];
  if (fig) Plotly.react("map", fig.data, fig.layout, CONFIG);
}}
document.getElementById("map-choice").addEventListener("change", e => showMap(e.target.value));
showMap({script_json(first)});
</script>
</body></html>
"""


def _headline(result) -> str:
    head = "".join(f"<th>{html.escape(o.headline.label)}</th>" for o in HEADLINE)
    rows = []
    for name, body in result.items():
        cells = []
        for outcome in HEADLINE:
            m, fmt, scale = (
                body["metrics"][outcome.name],
                outcome.headline.fmt,
                outcome.headline.scale,
            )
            text = _number(m["mean"], fmt, scale)
            if name != "baseline":
                text += f"<br><small>{_change(m, fmt, scale)}</small>"
            cells.append(f"<td>{text}</td>")
        rows.append(f"<tr><td>{_text(name)}</td>{''.join(cells)}</tr>")
    return (
        f"<table><tr><th>strategy</th>{head}</tr>{''.join(rows)}</table>"
        f'<p class="note">{html.escape(NOT_MODELLED)}</p>'
    )


def _change(m: dict[str, Any], fmt: str, scale: float) -> str:
    """A strategy's paired change with its interval and share better, or "not modelled"."""
    if not m["modelled"]:
        return "not modelled"
    return (
        f"{_signed(m['diff_mean'], fmt, scale)} [{_signed(m['diff_lo'], fmt, scale)}, "
        f"{_signed(m['diff_hi'], fmt, scale)}] · better in {_number(m['p_better'], '{:.0%}')}"
    )


def _number(value: Any, fmt: str, scale: float = 1.0) -> str:
    """A metric as text; "n/a" where the store has no finite number (compare turns NaN and
    infinities into None)."""
    if not _is_finite(value):
        return "n/a"
    return fmt.format(value * scale)


def _signed(value: Any, fmt: str, scale: float = 1.0) -> str:
    if not _is_finite(value):
        return "n/a"
    return ("+" if value >= 0 else "−") + fmt.format(abs(value * scale))


def _is_finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _g(value: Any) -> str:
    """A parameter from the store's meta: a number in :g, anything else shown as text."""
    return f"{value:g}" if _is_finite(value) else _text(value)


def _assumptions(meta) -> str:
    params, priors = meta.get("params", {}), meta.get("priors", {})
    rows = []
    for s in SPECS:
        value = params.get(s.name, s.default)
        prior = priors.get(s.name)
        drawn = f"{_text(prior[0])}({_g(prior[1])}, {_g(prior[2])})" if prior else "fixed"
        rows.append(
            f"<tr><td><code>{s.name}</code></td><td>{_g(value)}</td>"
            f"<td>{html.escape(s.unit)}</td><td>{drawn}</td>"
            f"<td style='text-align:left'>{html.escape(s.source)}</td></tr>"
        )
    params_table = (
        "<table><tr><th>parameter</th><th>value</th><th>unit</th>"
        "<th>in this run</th><th>source</th></tr>" + "".join(rows) + "</table>"
    )
    custom = meta.get("custom_strategies", {})
    levers = [_levers(name, custom) for name in meta["strategies"]]
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


def _levers(name: str, custom: dict[str, Any]) -> str:
    """A strategy's row: its levers and sources, from the run's custom strategies or the
    library; a name in neither (a store from elsewhere) shows "levers unknown"."""
    body = custom.get(name) or (STRATEGIES[name].as_dict() if name in STRATEGIES else None)
    try:
        items = (
            "; ".join(f"{lv['lever']} {lv['intensity']:g} {lv['unit']}" for lv in body["levers"])
            or "no new policy"
        )
        sources = "; ".join(str(source) for source in body["sources"])
    except (KeyError, TypeError, ValueError):  # none, or malformed in a store from elsewhere
        items, sources = "levers unknown", ""
    return (
        f"<tr><td>{_text(name)}</td><td style='text-align:left'>"
        f"{_text(items)}</td><td style='text-align:left'>{_text(sources)}</td></tr>"
    )


def _uncertainty(meta: dict, replicates: int) -> str:
    # A store made before parameter modes holds only the scenario's priors.
    return uncertainty(replicates, meta.get("parameters", "fixed"), len(meta.get("priors") or {}))


def _covered(value: bool | None) -> str:
    # A validation file from before coverage was measured holds none.
    if value is None:
        return "—"
    return "covers" if value else "<b>misses</b>"
