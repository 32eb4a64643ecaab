"""The charts of an exploration's report as Plotly figures: which factors decide a strategy's
effect (Sobol indices), how the effect moves with them, and scenario discovery's boxes. Usable
in a notebook (`fig.show()`) and embedded in the HTML report; none loads anything."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from cartelsim.outcomes import HEADLINE
from cartelsim.report.charts import COLOURS, _layout, _plain

if TYPE_CHECKING:
    from cartelsim.analysis.discovery import Box
    from cartelsim.analysis.explore import Exploration

NO_VARIATION = "no variation: the effect is the same in every sample"


def ranked(indices: pd.DataFrame, strategy: str, outcome: str) -> pd.DataFrame:
    """One effect's rows of the indices, the largest total index first; an effect that never
    varies (all NaN) keeps the design's order."""
    rows = indices[(indices["strategy"] == strategy) & (indices["outcome"] == outcome)]
    return rows.sort_values("ST", ascending=False, na_position="last", kind="stable")


def varies(rows: pd.DataFrame) -> bool:
    """Whether an effect has indices at all (SALib cannot analyse a constant)."""
    return not rows.empty and bool(rows["ST"].notna().any())


def tornado(indices: pd.DataFrame, strategy: str, outcome: str) -> go.Figure:
    """Horizontal bars of each factor's total (ST) and first-order (S1) index of one effect,
    with their 95% bootstrap half-widths, the factor that matters most on top. The axis keeps
    to [0, 1] and the values: an interval wider than that runs off it (the table has it)."""
    rows = ranked(indices, strategy, outcome)
    label = _label(outcome)
    fig = go.Figure()
    title = f"{_plain(strategy)}: {label}"
    if not varies(rows):
        fig.add_annotation(
            text=NO_VARIATION, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper"
        )
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return _layout(fig, title, 200)
    names = [_plain(f) for f in rows["factor"]]
    for key, colour, shown in (("ST", COLOURS[1], "total (ST)"), ("S1", COLOURS[0], "alone (S1)")):
        fig.add_trace(
            go.Bar(
                x=rows[key],
                y=names,
                orientation="h",
                name=shown,
                marker={"color": colour},
                error_x={"type": "data", "array": rows[f"{key}_conf"], "color": "#444"},
                customdata=rows[f"{key}_conf"],
                hovertemplate="%{y}: %{x:.2f} ± %{customdata:.2f}<extra>" + shown + "</extra>",
            )
        )
    values = rows[["S1", "ST"]].to_numpy(dtype=float)
    lo = min(0.0, float(np.nanmin(values))) - 0.05
    hi = max(1.0, float(np.nanmax(values))) + 0.05
    fig.update_layout(
        barmode="group",
        xaxis={"title": "share of the effect's variance", "range": [lo, hi]},
        yaxis={"autorange": "reversed", "automargin": True},
        legend={"orientation": "h", "x": 1, "xanchor": "right", "y": 1.0, "yanchor": "bottom"},
    )
    fig.add_vline(x=0, line={"color": "#999", "width": 1})
    return _layout(fig, title, 190 + 34 * len(names))


def effect_scatter(exploration: Exploration, strategy: str) -> go.Figure:
    """The strategy's effect on a headline outcome (a menu picks which) against the two
    factors with the largest total index of that effect: each point is a sample. A factor that
    is a section of parameters is shown by its parameter that moves most with the effect."""
    design, indices = exploration.design, exploration.indices
    columns = 2 if len(design.factors()) > 1 else 1
    fig = make_subplots(rows=1, cols=columns, shared_yaxes=True, horizontal_spacing=0.06)
    titles = []
    for i, outcome in enumerate(HEADLINE):
        effect = exploration.effects(strategy, outcome.name) * outcome.headline.scale
        top = list(ranked(indices, strategy, outcome.name)["factor"])[:columns]
        shown = []
        for j, factor in enumerate(top):
            name = _parameter_of(exploration, factor, effect)
            shown.append(name if name == factor else f"{name} ({factor})")
            fig.add_trace(
                go.Scatter(
                    x=exploration.samples[name],
                    y=effect,
                    mode="markers",
                    marker={"size": 6, "color": COLOURS[i % len(COLOURS)], "opacity": 0.6},
                    name=_label(outcome.name),
                    showlegend=False,
                    visible=(i == 0),
                    hovertemplate="%{x:.3g}: %{y:,.3g}<extra></extra>",
                ),
                row=1,
                col=j + 1,
            )
        titles.append([_plain(s) for s in shown])
    per = len(fig.data) // len(HEADLINE)
    buttons = []
    for i, outcome in enumerate(HEADLINE):
        axes = {f"xaxis{'' if j == 0 else j + 1}.title.text": t for j, t in enumerate(titles[i])}
        buttons.append(
            {
                "label": outcome.headline.label,
                "method": "update",
                "args": [
                    {"visible": [k // per == i for k in range(len(fig.data))]},
                    {"yaxis.title.text": f"change vs baseline: {outcome.headline.label}", **axes},
                ],
            }
        )
    fig.update_layout(
        updatemenus=[
            {"buttons": buttons, "x": 1, "y": 1.02, "xanchor": "right", "yanchor": "bottom"}
        ],
        yaxis_title=f"change vs baseline: {HEADLINE[0].headline.label}",
    )
    for j, text in enumerate(titles[0]):
        fig.update_xaxes(title_text=text, row=1, col=j + 1)
    return _layout(fig, f"{_plain(strategy)}: its effect against the factors that decide it", 440)


def peeling(box: Box) -> go.Figure:
    """PRIM's trade-off: each box of the peeling trajectory by its coverage (share of the
    samples where the condition holds that it keeps) and density (share of its samples where
    it holds), coloured by how many parameters it restricts; the box chosen is ringed."""
    steps = box.trajectory
    fig = go.Figure(
        go.Scatter(
            x=steps["coverage"],
            y=steps["density"],
            mode="lines+markers",
            line={"color": "#bbb", "width": 1},
            marker={
                "size": 9,
                "color": steps["res_dim"],
                "colorscale": "Viridis",
                "colorbar": {"title": "restricted<br>parameters", "dtick": 1},
            },
            customdata=np.c_[steps.index, steps["mass"], steps["res_dim"]],
            hovertemplate="box %{customdata[0]}: coverage %{x:.0%}, density %{y:.0%}<br>"
            "mass %{customdata[1]:.0%}, %{customdata[2]} restricted<extra></extra>",
            showlegend=False,
        )
    )
    chosen = steps.iloc[box.chosen]
    fig.add_trace(
        go.Scatter(
            x=[chosen["coverage"]],
            y=[chosen["density"]],
            mode="markers+text",
            marker={"size": 18, "color": "rgba(0,0,0,0)", "line": {"color": "#d62728", "width": 2}},
            text=["chosen"],
            textposition="middle left",
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.update_layout(
        xaxis={"title": "coverage", "tickformat": ".0%", "range": [-0.03, 1.05]},
        yaxis={"title": "density", "tickformat": ".0%", "range": [-0.03, 1.05]},
    )
    return _layout(fig, "PRIM's trade-off: coverage against density", 420)


def box_limits(box: Box, samples: pd.DataFrame) -> go.Figure:
    """Each restricted parameter's limits in the box (coloured) within the range the samples
    span (grey), on a common scale: 0 is the lowest value sampled, 1 the highest."""
    names = list(box.limits.index)
    span = samples[names].agg(["min", "max"]).T
    width = (span["max"] - span["min"]).where(lambda w: w > 0, 1.0)
    lo = box.limits["lo"].clip(lower=span["min"], upper=span["max"])
    hi = box.limits["hi"].clip(lower=span["min"], upper=span["max"])
    shown = [_plain(n) for n in names]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            x=[1.0] * len(names),
            y=shown,
            orientation="h",
            marker={"color": "#e5e5e5"},
            name="sampled range",
            customdata=np.c_[span["min"], span["max"]],
            hovertemplate="%{y}: sampled %{customdata[0]:.3g} to %{customdata[1]:.3g}"
            "<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            base=(lo - span["min"]) / width,
            x=(hi - lo) / width,
            y=shown,
            orientation="h",
            marker={"color": COLOURS[2]},
            name="the box",
            text=[f"{a:.3g} to {b:.3g}" for a, b in zip(lo, hi, strict=True)],
            textposition="inside",
            insidetextanchor="middle",
            customdata=np.c_[lo, hi],
            hovertemplate="%{y}: %{customdata[0]:.3g} to %{customdata[1]:.3g}<extra></extra>",
        )
    )
    fig.update_layout(
        barmode="overlay",
        xaxis={"title": "share of the sampled range", "range": [0, 1], "tickformat": ".0%"},
        yaxis={"autorange": "reversed", "automargin": True},
        legend={"orientation": "h", "y": -0.3, "x": 0},
    )
    return _layout(fig, "The box: the restricted parameters' limits", 200 + 40 * len(names))


def _label(outcome: str) -> str:
    return next(o.headline.label for o in HEADLINE if o.name == outcome)


def _parameter_of(exploration: Exploration, factor: str, effect: np.ndarray) -> str:
    """The sample column that stands for a factor: the parameter itself or, for a section, its
    parameter whose rank moves most with the effect."""
    samples = exploration.samples
    if factor in samples.columns:
        return factor
    design = exploration.design
    members = [n for n, g in zip(design.names, design.groups(), strict=True) if g == factor]
    ranks = pd.Series(effect, index=samples.index).rank()
    moves = {n: abs(samples[n].rank().corr(ranks)) for n in members}
    return max(members, key=lambda n: np.nan_to_num(moves[n]))
