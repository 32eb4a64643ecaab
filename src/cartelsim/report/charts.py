"""The report's charts as Plotly figures: usable in a notebook (`fig.show()`) and embedded in
the HTML report. No chart loads anything from the network: the map draws its own outlines."""

from __future__ import annotations

import json
from html import escape
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cartelsim.outcomes import HEADLINE

COLOURS = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#666666",
    "#1f78b4",
    "#b2df8a",
    "#fb9a99",
    "#cab2d6",
    "#fdbf6f",
)


def _plain(text: str) -> str:
    """Text from the store (a strategy's name, a place) as Plotly shows it: Plotly reads a
    subset of HTML in labels and titles, so tags are escaped; it decodes &lt; &gt; &amp; for
    display, so the label reads as written (quotes stay as they are: it knows no &quot;)."""
    return escape(str(text), quote=False)


def _metric(result: dict[str, Any], names: list[str], key: str, field: str) -> np.ndarray:
    """One field of one outcome for each strategy; NaN (a point left out) where the store had
    no finite value, which compare reports as None."""
    return np.array([result[n]["metrics"][key][field] for n in names], dtype=float)


def _layout(fig: go.Figure, title: str, height: int = 420) -> go.Figure:
    fig.update_layout(
        title=title,
        height=height,
        template="plotly_white",
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        font={"family": "Helvetica, Arial, sans-serif", "size": 13},
    )
    return fig


def effects(result: dict[str, Any]) -> go.Figure:
    """Dot and whisker: each strategy's paired change against baseline, per headline outcome,
    with its 95% interval; a change the model cannot make is labelled "not modelled", so its
    zero is not read as a measured one."""
    names = [n for n in result if n != "baseline"]
    fig = go.Figure()
    for i, outcome in enumerate(HEADLINE):
        label, scale = outcome.headline.label, outcome.headline.scale
        x = _metric(result, names, outcome.name, "diff_mean") * scale
        lo = _metric(result, names, outcome.name, "diff_lo") * scale
        hi = _metric(result, names, outcome.name, "diff_hi") * scale
        modelled = [result[n]["metrics"][outcome.name]["modelled"] for n in names]
        fig.add_trace(
            go.Scatter(
                x=x,
                y=[_plain(n) for n in names],
                mode="markers+text",
                text=["" if m else "not modelled" for m in modelled],
                textposition="middle right",
                name=label,
                visible=(i == 0),
                marker={
                    "size": 10,
                    "color": COLOURS[i],
                    "opacity": [1.0 if m else 0.0 for m in modelled],  # the text stands in
                },
                error_x={"type": "data", "symmetric": False, "array": hi - x, "arrayminus": x - lo},
                hovertemplate="%{y}: %{x:,.3g} %{text}<extra>" + label + "</extra>",
            )
        )
    labels = [outcome.headline.label for outcome in HEADLINE]
    buttons = [
        {
            "label": label,
            "method": "update",
            "args": [
                {"visible": [j == i for j in range(len(labels))]},
                {"xaxis.title.text": f"change vs baseline: {label}"},
            ],
        }
        for i, label in enumerate(labels)
    ]
    fig.update_layout(
        updatemenus=[
            {"buttons": buttons, "x": 1, "y": 1.02, "xanchor": "right", "yanchor": "bottom"}
        ],
        yaxis={"automargin": True},
        xaxis_title=f"change vs baseline: {labels[0]}",
    )
    fig.add_vline(x=0, line={"color": "#999", "dash": "dot"})
    return _layout(fig, "Effects against the baseline (95% intervals)", 160 + 32 * len(names))


def fan(weekly: pd.DataFrame, series: str, label: str) -> go.Figure:
    """Median and 10–90% band over replicates, week by week, for each strategy."""
    fig = go.Figure()
    for i, (name, rows) in enumerate(weekly.groupby("strategy", sort=False)):
        by_week = rows.groupby("week")[series]
        q = by_week.quantile([0.1, 0.5, 0.9]).unstack()
        colour = COLOURS[i % len(COLOURS)]
        weeks = q.index.to_numpy()
        shown = _plain(name)
        fig.add_trace(
            go.Scatter(
                x=np.concatenate([weeks, weeks[::-1]]),
                y=np.concatenate([q[0.9], q[0.1][::-1]]),
                fill="toself",
                fillcolor=colour,
                opacity=0.15,
                line={"width": 0},
                hoverinfo="skip",
                legendgroup=shown,
                showlegend=False,
            )
        )
        fig.add_trace(
            go.Scatter(
                x=weeks,
                y=q[0.5],
                name=shown,
                legendgroup=shown,
                line={"color": colour, "width": 2},
                visible=True if name == "baseline" or i < 4 else "legendonly",
            )
        )
    fig.update_layout(xaxis_title="week from January 2025", yaxis_title=label)
    return _layout(fig, f"{label}: median and 10–90% of replicates")


def _averted_and_cost(result: dict[str, Any]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The strategies other than the baseline, the US overdose deaths each averts a year
    (paired mean) and its cost in billion USD."""
    names = [n for n in result if n != "baseline"]
    averted = -_metric(result, names, "od_deaths_per_year", "diff_mean")
    cost = _metric(result, names, "cost_usd", "mean") / 1e9
    return names, averted, cost


def tradeoff(result: dict[str, Any]) -> go.Figure:
    """US overdose deaths averted a year against Mexican homicides added; size: cost."""
    names, averted, cost = _averted_and_cost(result)
    added = _metric(result, names, "mx_homicides_per_year", "diff_mean") + _metric(
        result, names, "strike_civilians_per_year", "diff_mean"
    )
    fig = go.Figure(
        go.Scatter(
            x=averted,
            y=added,
            mode="markers+text",
            cliponaxis=False,
            text=[_plain(n) for n in names],
            textposition="top center",
            marker={
                "size": 8 + 4 * np.sqrt(np.clip(np.nan_to_num(cost), 0, None)),
                "color": COLOURS[1],
                "opacity": 0.7,
            },
            customdata=cost,
            hovertemplate="%{text}<br>deaths averted/yr %{x:,.0f}<br>homicides added/yr "
            "%{y:,.0f}<br>cost %{customdata:.1f} bn USD<extra></extra>",
        )
    )
    fig.add_hline(y=0, line={"color": "#999", "dash": "dot"})
    fig.add_vline(x=0, line={"color": "#999", "dash": "dot"})
    fig.update_layout(
        xaxis_title="US overdose deaths averted per year",
        yaxis_title="homicides added in Mexico per year (incl. strike civilians)",
    )
    return _layout(
        fig,
        "Trade-off: deaths averted in the US against violence in Mexico (marker size: cost)",
        520,
    )


def cost_effect(result: dict[str, Any]) -> go.Figure:
    """What each strategy costs against the US overdose deaths it averts a year."""
    names, averted, cost = _averted_and_cost(result)
    lo = -_metric(result, names, "od_deaths_per_year", "diff_hi")
    hi = -_metric(result, names, "od_deaths_per_year", "diff_lo")
    fig = go.Figure(
        go.Scatter(
            x=cost,
            y=averted,
            mode="markers+text",
            text=[_plain(n) for n in names],
            textposition="top center",
            cliponaxis=False,
            marker={"size": 10, "color": COLOURS[0]},
            error_y={
                "type": "data",
                "symmetric": False,
                "array": hi - averted,
                "arrayminus": averted - lo,
            },
            hovertemplate="%{text}<br>cost %{x:.1f} bn USD<br>deaths averted/yr %{y:,.0f}"
            "<extra></extra>",
        )
    )
    fig.add_hline(y=0, line={"color": "#999", "dash": "dot"})
    fig.update_layout(
        xaxis_title="cost over the horizon, billion USD (all levers)",
        yaxis_title="US overdose deaths averted per year (95% interval)",
    )
    return _layout(fig, "Cost against US overdose deaths averted", 480)


def outlines() -> dict[str, list]:
    path = resources.files("cartelsim.report") / "data" / "outlines.json"
    return json.loads(path.read_text(encoding="utf-8"))["rings"]


def flow_map(world, places: pd.DataFrame, links: pd.DataFrame, strategy: str) -> go.Figure:
    """Mexico and the US border: fentanyl flow on the links (baseline), and the change in
    homicides per Mexican place under a strategy against the baseline."""
    fig = go.Figure()
    for rings in outlines().values():
        xs, ys = [], []
        for ring in rings:
            xs += [p[0] for p in ring] + [None]
            ys += [p[1] for p in ring] + [None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": "#bbb", "width": 1},
                hoverinfo="skip",
                showlegend=False,
            )
        )
    coords = world.places.set_index("id")[["lon", "lat"]]
    known = links["source"].isin(coords.index) & links["target"].isin(coords.index)
    links = links[known]  # a store from elsewhere may name places this world lacks
    base = links[links["strategy"] == "baseline"].groupby(["source", "target"])["flow_kg"].mean()
    top = max(base.max(), 1e-9)
    for share in (0.02, 0.1, 0.3, 1.0):
        part = (
            base[(base > share * top / 3.3) & (base <= share * top)]
            if share < 1
            else base[base > 0.3 * top]
        )
        xs, ys = [], []
        for s, t in part.index:
            xs += [coords.at[s, "lon"], coords.at[t, "lon"], None]
            ys += [coords.at[s, "lat"], coords.at[t, "lat"], None]
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                hoverinfo="skip",
                line={"color": "#d95f02", "width": 1 + 6 * share},
                opacity=0.7,
                name=f"fentanyl flow ≤ {share:.0%} of the largest",
                showlegend=True,
            )
        )
    per = places.groupby(["strategy", "place"])[["homicides", "seized_kg"]].mean()
    base_h = per.loc["baseline", "homicides"]
    mine = per.loc[strategy, "homicides"] if strategy in per.index.get_level_values(0) else base_h
    mx = world.places[world.places["country"] == "MX"]["id"]
    change = (mine - base_h).reindex(mx).fillna(0.0)
    fig.add_trace(
        go.Scatter(
            x=coords.loc[mx, "lon"],
            y=coords.loc[mx, "lat"],
            mode="markers",
            name="homicides",
            text=[_plain(p) for p in mx],
            customdata=np.c_[base_h.reindex(mx).fillna(0), change],
            marker={
                "size": 6 + 14 * np.sqrt(base_h.reindex(mx).fillna(0) / max(base_h.max(), 1)),
                "color": change,
                "colorscale": "RdBu_r",
                "cmid": 0,
                "colorbar": {"title": "Δ homicides", "x": 1.02, "len": 0.6},
                "line": {"width": 0.5, "color": "#333"},
            },
            hovertemplate="%{text}<br>baseline %{customdata[0]:,.0f} homicides<br>"
            "change %{customdata[1]:+,.0f}<extra></extra>",
        )
    )
    seized = per.loc["baseline", "seized_kg"]
    us = world.places[world.places["kind"].isin(["port_of_entry", "between_ports"])]["id"]
    fig.add_trace(
        go.Scatter(
            x=coords.loc[us, "lon"],
            y=coords.loc[us, "lat"],
            mode="markers",
            name="CBP seizures",
            text=[_plain(p) for p in us],
            customdata=seized.reindex(us).fillna(0),
            marker={
                "symbol": "square",
                "size": 5
                + 12 * np.sqrt(seized.reindex(us).fillna(0) / max(seized.reindex(us).max(), 1e-9)),
                "color": "#1b9e77",
            },
            hovertemplate="%{text}: %{customdata:,.0f} kg seized<extra></extra>",
        )
    )
    fig.update_layout(legend={"orientation": "h", "y": -0.02, "x": 0})
    fig.update_xaxes(range=[-118.5, -86], visible=False)
    fig.update_yaxes(range=[14, 36], visible=False, scaleanchor="x", scaleratio=1.15)
    title = f"Flows (baseline) and the change in homicides under {_plain(strategy)}"
    return _layout(fig, title, 640)
