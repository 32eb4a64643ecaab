"""One run's results: the weekly national, per-place and per-link series and the summary
scalars, in real-world units, collected from the output buffer at the end of a run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cartelsim.outcomes import SCALARS, Inputs, lever_cost_name
from cartelsim.output import LEVER_INDEX
from cartelsim.state.inputs import dates

if TYPE_CHECKING:
    from cartelsim.sim import Sim


@dataclass
class Results:
    """One run's outputs in real-world units, whatever the scale."""

    national: pd.DataFrame
    place_ids: list[str]
    link_ends: list[tuple[str, str]]
    place_flow_kg: np.ndarray
    place_seized_kg: np.ndarray
    place_deaths: np.ndarray
    place_homicides: np.ndarray
    place_precursor_seized_kg: np.ndarray
    link_flow_kg: np.ndarray
    lever_costs: pd.DataFrame  # USD per week and lever
    territory: pd.DataFrame  # who holds each Mexican place at the end, and who contests it
    scalars: dict[str, float]
    seed: int
    timings: dict[str, float]

    def weekly(self) -> pd.DataFrame:
        return self.national.copy()

    def places(self) -> pd.DataFrame:
        """Per-place weekly series, long format: week, place, flow_kg, seized_kg,
        precursor_seized_kg, od_deaths (US markets), homicides (Mexico)."""
        weeks, n = self.place_flow_kg.shape
        return pd.DataFrame(
            {
                "week": np.repeat(np.arange(weeks), n),
                "place": np.tile(self.place_ids, weeks),
                "flow_kg": self.place_flow_kg.ravel(),
                "seized_kg": self.place_seized_kg.ravel(),
                "precursor_seized_kg": self.place_precursor_seized_kg.ravel(),
                "od_deaths": self.place_deaths.ravel(),
                "homicides": self.place_homicides.ravel(),
            }
        )

    def links(self) -> pd.DataFrame:
        """Per-link weekly flows, long format: week, source, target, flow_kg."""
        weeks, n = self.link_flow_kg.shape
        source, target = zip(*self.link_ends, strict=True)
        return pd.DataFrame(
            {
                "week": np.repeat(np.arange(weeks), n),
                "source": np.tile(source, weeks),
                "target": np.tile(target, weeks),
                "flow_kg": self.link_flow_kg.ravel(),
            }
        )

    def summary(self) -> dict[str, float]:
        return dict(self.scalars)


def summarize(
    national: pd.DataFrame,
    seized_by_state: dict[str, float],
    phoenix_flow_kg: float,
    border_purity: float,
) -> dict:
    """The summary scalars computed from the weekly series, in declared order (outcomes.py);
    the simulation adds those it sets itself."""
    run = Inputs(national, seized_by_state, phoenix_flow_kg, border_purity)
    return {s.name: s.calc.compute(run) for s in SCALARS if s.calc.compute is not None}


def territory(counts: np.ndarray, orgs, world, scale: float) -> pd.DataFrame:
    """Each Mexican place at the end: the organization with most members there, its share,
    and the largest rival present; contested when that rival has at least half as many."""
    labels = list(world.orgs.labels)
    for i in range(world.orgs.n, orgs.capacity):  # factions, and factions of factions
        parent = orgs.parent[i]
        labels.append(f"{labels[parent]} (split {i})" if 0 <= parent < i else "")
    rows = []
    mexican = (world.places["country"] == "MX").to_numpy()
    for place in np.flatnonzero(mexican):
        here = counts[:, place]
        holder = int(np.argmax(here))
        rivals = here * (orgs.rivalry[holder] > 0)
        rival = int(np.argmax(rivals))
        rows.append(
            {
                "place": world.places.at[place, "id"],
                "holder": labels[holder],
                "holder_share": here[holder] / max(here.sum(), 1),
                "rival": labels[rival] if rivals[rival] > 0 else "",
                "contested": bool(rivals[rival] >= 0.5 * here[holder] > 0),
                "members": here.sum() / scale,
            }
        )
    return pd.DataFrame(rows)


def collect(sim: Sim, burn_in: int) -> Results:
    """The recorded weeks of a run's outputs (the burn-in's left out), as results."""
    keep = slice(burn_in, None)
    out, world = sim.out, sim.world
    national = pd.DataFrame({k: v[keep] for k, v in out.national.items()})
    national.insert(0, "date", dates(int(sim.params.start_year), sim.weeks))
    national.index.name = "week"
    place_ids = world.places["id"].tolist()
    link_ends = [
        (place_ids[s], place_ids[t])
        for s, t in zip(world.links["source"], world.links["target"], strict=True)
    ]
    flow = out.place_flow_mg[keep] / 1e6
    crossings = world.crossings
    seized = out.place_seized_mg[keep][:, crossings["place"]].sum(axis=0) / 1e6
    by_state = pd.Series(seized).groupby(crossings["us_state"].to_numpy()).sum()
    phoenix = flow[:, world.place_index("phoenix")].sum() if "phoenix" in place_ids else 0.0
    scalars = summarize(national, by_state.to_dict(), phoenix, sim.params.border_purity)
    scalars["members_start"] = sim.roster.start / sim.scale
    costs = pd.DataFrame(out.lever_cost[keep], columns=list(LEVER_INDEX))
    for lever in LEVER_INDEX:
        scalars[lever_cost_name(lever)] = float(costs[lever].sum())
    return Results(
        national=national,
        place_ids=place_ids,
        link_ends=link_ends,
        place_flow_kg=flow,
        place_seized_kg=out.place_seized_mg[keep] / 1e6,
        place_deaths=out.place_deaths[keep],
        place_homicides=out.place_homicides[keep],
        place_precursor_seized_kg=out.place_precursor_seized_g[keep] / 1e3,
        link_flow_kg=out.link_flow_mg[keep] / 1e6,
        lever_costs=costs,
        territory=territory(sim.roster.counts, sim.orgs, world, sim.scale),
        scalars=scalars,
        seed=sim.seed,
        timings=dict(sim.timings),
    )
