"""The self-contained HTML report of an exploration (`cartelsim explore`): which uncertain
assumptions decide each strategy's effect (Sobol indices), how the effect moves with them, and
where the conditions asked with --where hold (scenario discovery). Like a comparison's report,
Plotly's JavaScript and all the data are embedded: it opens offline and asks no other host."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import plotly.graph_objects as go

from cartelsim.analysis.discovery import FILE as DISCOVERY_FILE
from cartelsim.analysis.discovery import THRESHOLD, Box, discover
from cartelsim.analysis.explore import Design, Exploration
from cartelsim.analysis.explore import load as load_exploration
from cartelsim.errors import CartelsimError
from cartelsim.experiment.store import read_only
from cartelsim.outcomes import HEADLINE
from cartelsim.params import section, spec
from cartelsim.report import explore_charts
from cartelsim.report.html import DRAW, _g, _number, _text, head, script_json, write_page

INDEX = "{:.2f}"  # a Sobol index or its half-width: a share of variance, two decimals say enough
SOBOL = (
    "Sobol indices split the variance of a strategy's effect (its difference from the baseline "
    "in the same sample, same seed) among the factors. <b>S1</b>, first order: the share of that "
    "variance due to the factor alone. <b>ST</b>, total: the share including its interactions "
    "with the other factors, so ST is at least S1, and a factor whose ST is near 0 does not "
    "matter over the ranges explored. The ± and the error bars are 95% bootstrap half-widths: "
    "with few samples they are wide, and an estimate may fall a little below 0 or above 1. "
    "<i>No variation</i>: the effect is the same in every sample, so it has no indices."
)


@dataclass(frozen=True)
class Unanswered:
    """A condition of discovery.json that scenario discovery could not answer, and why."""

    condition: str
    method: str
    why: str


def build_exploration_report(folder: Path) -> Path:
    """Write FOLDER/report.html for the exploration stored in FOLDER, whole or not at all."""
    data = load(folder)
    return write_page(folder, _page(data, figures(data)))


def load(folder: Path) -> dict[str, Any]:
    """Everything the report shows: the store's meta, the exploration read back and analysed,
    and scenario discovery's answer to each condition in discovery.json (None without one)."""
    try:
        import SALib  # noqa: F401
    except ImportError:
        raise CartelsimError(
            "the report of an exploration needs SALib: pip install 'cartelsim[explore]'"
        ) from None
    with read_only(folder) as store:
        meta = store.meta()
    exploration = load_exploration(folder)
    asked = _asked(folder)
    found = None if asked is None else [_discover(exploration, *a) for a in asked]
    return {"meta": meta, "exploration": exploration, "discovery": found}


def figures(data: dict[str, Any]) -> dict[str, go.Figure]:
    """The report's charts, by the id of the element each is drawn in (ids never hold a name
    from the store)."""
    exploration: Exploration = data["exploration"]
    out = {}
    for i, strategy in enumerate(exploration.design.strategies):
        for outcome in HEADLINE:
            out[f"tornado-{i}-{outcome.name}"] = explore_charts.tornado(
                exploration.indices, strategy, outcome.name
            )
    for i, strategy in enumerate(exploration.design.strategies):
        out[f"scatter-{i}"] = explore_charts.effect_scatter(exploration, strategy)
    for j, box in enumerate(data["discovery"] or []):
        if isinstance(box, Box) and not box.trajectory.empty:
            out[f"peeling-{j}"] = explore_charts.peeling(box)
        if isinstance(box, Box) and not box.limits.empty:
            out[f"limits-{j}"] = explore_charts.box_limits(box, exploration.samples)
    return out


def _asked(folder: Path) -> list[tuple[str, str, float]] | None:
    """The conditions saved with the exploration: (condition, method, threshold) each."""
    path = folder / DISCOVERY_FILE
    if not path.is_file():
        return None
    try:
        items = json.loads(path.read_text(encoding="utf-8"))["conditions"]
        return [
            (
                str(a["condition"]),
                str(a.get("method", "prim")),
                float(a.get("threshold", THRESHOLD)),
            )
            for a in items
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CartelsimError(
            f"{path}: not the conditions `cartelsim explore --where` saves ({exc!r})"
        ) from None


def _discover(
    exploration: Exploration, condition: str, method: str, threshold: float
) -> Box | Unanswered:
    """The box of one condition; a condition that cannot be answered (written by hand, or for
    another version of the model) is said so in its place, and the rest of the report stands."""
    try:
        return discover(exploration, condition, method, threshold)
    except CartelsimError as exc:
        return Unanswered(condition, method, str(exc))
    except ImportError as exc:
        why = (
            f"scenario discovery needs the EMA Workbench ({exc}): pip install 'cartelsim[explore]'"
        )
        return Unanswered(condition, method, why)


GRID = """.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1em; }
.grid .chart { margin: 0.5em 0; min-width: 0; }
"""  # two charts a row


def _page(data: dict[str, Any], figs: dict[str, go.Figure]) -> str:
    meta, exploration = data["meta"], data["exploration"]
    design = exploration.design
    payload = script_json(
        {
            "figures": {k: json.loads(f.to_json()) for k, f in figs.items()},
            "indices": exploration.indices.to_dict("records"),
            "discovery": None if data["discovery"] is None else _boxes(data["discovery"]),
        }
    )
    title = "cartelsim: what decides each strategy's effect (an exploration)"
    strategies = ", ".join(f"<b>{_text(s)}</b>" for s in design.strategies)
    return f"""{head(title, GRID)}
<h1>{title}</h1>
<p class="note">Model {_text(meta.get("model_version"))} · world {_text(design.world)} ·
{_g(design.weeks)} weeks · scale {_g(design.scale)} · seed {_g(design.seed)} · design
{_text(meta.get("digest"))}.</p>
<h2>What was explored</h2>
<p>Strategies, each against the baseline forked from the same burn-in on the same seed:
{strategies}.</p>
<p>{_g(design.samples)} base samples of a scrambled Sobol sequence (Saltelli's scheme, no
second-order terms): {len(exploration.samples)} samples in all, each a run of the baseline and
of every strategy. {_factors_text(design)}</p>
{_factors(design)}
<p>{SOBOL}</p>
<h2>At a glance</h2>
<p class="note">For each effect, the factor with the largest total index (ST).</p>
{_glance(exploration)}
<h2>Sobol indices</h2>
<p class="note">Factors sorted by their total index; an interval wider than the axis runs off it
(the table has its numbers).</p>
{"".join(_strategy_indices(i, s, exploration) for i, s in enumerate(design.strategies))}
<h2>The effects against the factors that decide them</h2>
<p class="note">Each point is a sample: the strategy's change against the baseline, by the two
factors with the largest total index of that effect (the menu picks the outcome).</p>
{"".join(f'<div class="chart" id="scatter-{i}"></div>' for i in range(len(design.strategies)))}
{_discovery(data["discovery"], exploration)}
<script type="application/json" id="report-data">{payload}</script>
<script>
{DRAW}
</script>
</body></html>
"""


def _factors_text(design: Design) -> str:
    if design.parameters == "posterior":
        drawn = (
            "the world's posterior marginals for the calibrated parameters (their correlations "
            "dropped: Sobol indices need independent inputs) and the priors of the rest"
        )
    else:
        drawn = "their priors"
    grouped = (
        " Each section of the parameter table is one factor." if design.by == "section" else ""
    )
    return (
        f"{len(design.factors())} factors, drawn from {drawn}; parameters not explored are held at "
        f"their median (one without a prior at its default).{grouped}"
    )


def _factors(design: Design) -> str:
    """Each factor with the distribution of each parameter in it."""
    calibrated = _calibrated(design)
    items = []
    for factor in design.factors():
        if design.by == "section":
            members = [n for n in design.names if _section(n) == factor]
            body = "; ".join(f"<code>{_text(n)}</code> {_drawn(n, calibrated)}" for n in members)
            items.append(f"<li>{_text(factor)}: {body}</li>")
        else:
            items.append(f"<li><code>{_text(factor)}</code> {_drawn(factor, calibrated)}</li>")
    return f"<ul>{''.join(items)}</ul>"


def _calibrated(design: Design) -> set[str]:
    """The parameters drawn from the world's posterior: none in prior mode."""
    if design.parameters != "posterior":
        return set()
    from cartelsim.world.world import load_world

    posterior = load_world(design.world).posterior
    return set(posterior.names) if posterior is not None else set()


def _drawn(name: str, calibrated: set[str]) -> str:
    if name in calibrated:
        return "— posterior (calibrated)"
    try:
        prior = spec(name).prior
    except KeyError:  # a store from elsewhere may name a parameter this model lacks
        return "— unknown to this model"
    if prior is None:
        return "— no prior"
    shape = (
        (_g(prior.lo), _g(prior.mode), _g(prior.hi))
        if prior.mode is not None
        else (
            _g(prior.lo),
            _g(prior.hi),
        )
    )
    return f"— prior {_text(prior.dist)}({', '.join(shape)})"


def _section(name: str) -> str | None:
    try:
        return section(name)
    except ValueError:
        return None


def _glance(exploration: Exploration) -> str:
    """Strategies by headline outcome: the factor with the largest total index of each effect."""
    head = "".join(f"<th>{_text(o.headline.label)}</th>" for o in HEADLINE)
    rows = []
    for strategy in exploration.design.strategies:
        cells = []
        for outcome in HEADLINE:
            ranked = explore_charts.ranked(exploration.indices, strategy, outcome.name)
            if not explore_charts.varies(ranked):
                cells.append("<td>no variation</td>")
                continue
            top = ranked.iloc[0]
            cells.append(
                f"<td>{_text(top['factor'])}<br><small>ST {_number(top['ST'], INDEX)}</small></td>"
            )
        rows.append(f"<tr><td>{_text(strategy)}</td>{''.join(cells)}</tr>")
    table = f"<table><tr><th>strategy</th>{head}</tr>{''.join(rows)}</table>"
    return f"<div style='overflow-x:auto'>{table}</div>"


def _strategy_indices(i: int, strategy: str, exploration: Exploration) -> str:
    """One strategy's tornado charts, one per headline outcome, and the table of their numbers."""
    charts = "".join(f'<div class="chart" id="tornado-{i}-{o.name}"></div>' for o in HEADLINE)
    rows = []
    for outcome in HEADLINE:
        ranked = explore_charts.ranked(exploration.indices, strategy, outcome.name)
        label = _text(outcome.headline.label)
        if not explore_charts.varies(ranked):
            none = "<td colspan='3' style='text-align:left'>no variation</td>"
            rows.append(f"<tr><td>{label}</td>{none}</tr>")
            continue
        for r in ranked.itertuples():
            rows.append(
                f"<tr><td>{label}</td><td>{_text(r.factor)}</td>"
                f"<td>{_plus_minus(r.ST, r.ST_conf)}</td>"
                f"<td>{_plus_minus(r.S1, r.S1_conf)}</td></tr>"
            )
    table = (
        "<table><tr><th>outcome</th><th>factor</th><th>ST (total)</th><th>S1 (alone)</th></tr>"
        f"{''.join(rows)}</table>"
    )
    return f"<h3>{_text(strategy)}</h3><div class='grid'>{charts}</div>{table}"


def _plus_minus(value: float, half: float) -> str:
    return f"{_number(value, INDEX)} ± {_number(half, INDEX)}"


def _discovery(found: list[Box | Unanswered] | None, exploration: Exploration) -> str:
    """The section of scenario discovery: none where no condition was asked."""
    if found is None:
        return ""
    parts = [
        "<h2>Scenario discovery</h2><p class='note'>For each condition asked, the ranges of the "
        "explored parameters where it mostly holds (PRIM or CART, EMA Workbench). "
        "<i>Coverage</i>: the share of the samples where it holds that lie in the box; "
        "<i>density</i>: the share of the box's samples where it holds; <i>mass</i>: the "
        "share of all samples in the box.</p>"
    ]
    for j, box in enumerate(found):
        parts.append(f"<h3>{_text(box.condition)}</h3>")
        if isinstance(box, Unanswered):
            parts.append(f"<p><b>Not answered</b> ({_text(box.method)}): {_text(box.why)}</p>")
            continue
        parts.append(f"<p>{_text(box.sentence)}</p>")
        parts.append(
            f"<p class='note'>{_text(box.method.upper())}: coverage "
            f"{_number(box.coverage, '{:.0%}')}, density {_number(box.density, '{:.0%}')}, mass "
            f"{_number(box.mass, '{:.0%}')}: {int(box.inside.sum())} of {len(box.inside)} "
            f"samples in the box; the condition holds in {int(box.holds.sum())}.</p>"
        )
        if not box.limits.empty:
            parts.append(_limits(box, exploration))
            parts.append(f'<div class="chart" id="limits-{j}"></div>')
        else:
            parts.append("<p class='note'>The box restricts no parameter.</p>")
        if not box.trajectory.empty:
            parts.append(f'<div class="chart" id="peeling-{j}"></div>')
    return "".join(parts)


def _limits(box: Box, exploration: Exploration) -> str:
    span = exploration.samples[list(box.limits.index)].agg(["min", "max"])
    rows = "".join(
        f"<tr><td>{_text(name)}</td><td>{_number(lo, '{:.4g}')}</td>"
        f"<td>{_number(hi, '{:.4g}')}</td><td>{_number(span.at['min', name], '{:.4g}')}</td>"
        f"<td>{_number(span.at['max', name], '{:.4g}')}</td></tr>"
        for name, (lo, hi) in box.limits[["lo", "hi"]].iterrows()
    )
    return (
        "<table><tr><th>parameter</th><th>box from</th><th>to</th><th>sampled from</th>"
        f"<th>to</th></tr>{rows}</table>"
    )


def _boxes(found: list[Box | Unanswered]) -> list[dict[str, Any]]:
    """Scenario discovery's numbers, as the page's data holds them."""
    out = []
    for box in found:
        if isinstance(box, Unanswered):
            out.append({"condition": box.condition, "method": box.method, "error": box.why})
            continue
        out.append(
            {
                "condition": box.condition,
                "strategy": box.strategy,
                "method": box.method,
                "coverage": float(box.coverage),
                "density": float(box.density),
                "mass": float(box.mass),
                "limits": [
                    [str(name), float(lo), float(hi)]
                    for name, (lo, hi) in box.limits[["lo", "hi"]].iterrows()
                ],
                "sentence": box.sentence,
            }
        )
    return out
