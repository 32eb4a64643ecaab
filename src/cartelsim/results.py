"""Outputs: weekly national series, per-place and per-link series, and summary scalars."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cartelsim.params import WEEKS_PER_YEAR
from cartelsim.policy.levers import LEVERS

# name: (unit, meaning). Every weekly national series; the docs table is made from this.
NATIONAL_SERIES: dict[str, tuple[str, str]] = {
    "produced_kg": ("kg pure", "fentanyl made in Mexican labs"),
    "labs_active": ("labs", "labs working this week"),
    "labs_raided": ("labs", "labs closed by Mexican raids"),
    "precursor_seized_kg": ("kg", "precursor chemicals seized at Mexican seaports"),
    "seized_inland_kg": ("kg pure", "fentanyl seized in transit inside Mexico"),
    "crossed_kg": ("kg pure", "fentanyl sent across the border (before US seizures)"),
    "seized_poe_kg": ("kg pure", "seized at ports of entry"),
    "seized_between_ports_kg": ("kg pure", "seized between ports by the Border Patrol"),
    "seized_checkpoint_kg": ("kg pure", "seized at interior checkpoints"),
    "us_arrivals_kg": ("kg pure", "fentanyl reaching US markets"),
    "courier_arrests": ("persons", "couriers caught with a load"),
    "courier_arrests_poe": ("persons", "couriers caught at ports of entry"),
    "courier_arrests_poe_citizen": ("persons", "US citizens among them"),
    "cartel_revenue_usd": ("USD", "cartel revenue from fentanyl delivered in the US"),
    "consumed_kg": ("kg pure", "fentanyl sold at retail and used"),
    "price_per_pill_usd": ("USD", "retail price of a counterfeit pill"),
    "pills_m": ("million pills", "pill equivalents consumed"),
    "od_deaths": ("deaths", "US synthetic-opioid overdose deaths"),
    "stash_kg": ("kg pure", "fentanyl held in cartel stashes (end of week)"),
    "in_transit_kg": ("kg pure", "fentanyl on the road to the border (end of week)"),
    "us_stock_kg": ("kg pure", "US retail stock (end of week)"),
    "members": ("persons", "active cartel members (end of week)"),
    "recruits": ("persons", "members recruited"),
    "arrests": ("persons", "members arrested by Mexican forces"),
    "killed_by_state": ("persons", "members killed in confrontations with the state"),
    "killed_in_conflict": ("persons", "members killed by other members (between or inside groups)"),
    "retired": ("persons", "members who left (saturation)"),
    "civilians_killed_oc": ("persons", "non-members killed in cartel violence"),
    "homicides_other": ("persons", "homicides not linked to organized crime"),
    "mx_homicides": ("persons", "all homicides in Mexico"),
    "active_orgs": ("organizations", "organizations with members"),
    "contested_successions": ("events", "leader removals without a clear successor"),
    "splits": ("events", "organizations that split into two factions"),
    "cooperation": ("index 0..1", "US–Mexico cooperation"),
    "immigration_cooperation": ("index 0..1", "cooperation on immigration (follows cooperation)"),
    "members_detected": ("persons", "members detected by surveillance and intelligence"),
    "operations": ("operations", "joint kingpin operations carried out"),
    "operations_refused": ("operations", "operations Mexico refused (cooperation too low)"),
    "commanders_removed": ("persons", "leaders and lieutenants removed by operations"),
    "extraditions": ("events", "captured leaders and lieutenants extradited to the US"),
    "strikes": ("strikes", "drone strikes carried out"),
    "strikes_refused": ("strikes", "joint strikes Mexico refused (cooperation too low)"),
    "strike_misidentified": ("strikes", "strikes aimed at a misidentified target"),
    "killed_by_strikes": ("persons", "members killed by strikes"),
    "strike_civilian_deaths": ("persons", "civilians killed by strikes"),
    "strike_deaths": ("persons", "everyone killed by strikes"),
    "labs_struck": ("labs", "labs destroyed by strikes"),
    "cost_usd": ("USD", "cost of all levers"),
}

LB_PER_KG = 2.20462
LEVER_INDEX = {name: i for i, name in enumerate(LEVERS)}


class WeeklyOutput:
    """Preallocated arrays the processes write into, one row per simulated week."""

    def __init__(self, rows: int, n_places: int, n_links: int):
        self.national = {name: np.zeros(rows) for name in NATIONAL_SERIES}
        self.place_flow_mg = np.zeros((rows, n_places))
        self.place_seized_mg = np.zeros((rows, n_places))
        self.place_precursor_seized_g = np.zeros((rows, n_places))
        self.place_deaths = np.zeros((rows, n_places))
        self.link_flow_mg = np.zeros((rows, n_links))
        self.place_homicides = np.zeros((rows, n_places))
        self.place_homicides_oc = np.zeros((rows, n_places))
        self.place_killed_by_state = np.zeros((rows, n_places))
        self.place_strike_deaths = np.zeros((rows, n_places))
        self.lever_cost = np.zeros((rows, len(LEVERS)))


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


def dates(start_year: int, weeks: int) -> pd.DatetimeIndex:
    """Monday of each simulated week, from the first Monday of the start year."""
    first = dt.date(start_year, 1, 1)
    first += dt.timedelta(days=(7 - first.weekday()) % 7)
    return pd.date_range(first, periods=weeks, freq="7D")


def summarize(
    national: pd.DataFrame,
    seized_by_state: dict[str, float],
    phoenix_flow_kg: float,
    border_purity: float,
) -> dict:
    """Summary scalars, named so that they become columns directly (docs/model.md lists them)."""
    years = len(national) / WEEKS_PER_YEAR
    total = national.drop(columns="date").sum()
    cbp = total["seized_poe_kg"] + total["seized_between_ports_kg"] + total["seized_checkpoint_kg"]
    state_total = sum(seized_by_state.values())
    return {
        "weeks": len(national),
        "produced_kg": total["produced_kg"],
        "us_arrivals_kg": total["us_arrivals_kg"],
        "seized_kg": total["seized_inland_kg"] + cbp,
        "seized_inland_kg": total["seized_inland_kg"],
        "cbp_seized_kg": cbp,
        "cbp_seized_gross_lb_per_year": cbp / border_purity * LB_PER_KG / years,
        "seized_share_poe": _share(total["seized_poe_kg"], cbp),
        "seized_share_between_ports": _share(total["seized_between_ports_kg"], cbp),
        "seized_share_checkpoint": _share(total["seized_checkpoint_kg"], cbp),
        "seized_share_az": _share(seized_by_state.get("AZ", 0.0), state_total),
        "seized_share_ca": _share(seized_by_state.get("CA", 0.0), state_total),
        "poe_arrests_citizen_share": _share(
            total["courier_arrests_poe_citizen"], total["courier_arrests_poe"]
        ),
        "phoenix_flow_share": _share(phoenix_flow_kg, total["us_arrivals_kg"]),
        "precursor_seized_kg": total["precursor_seized_kg"],
        "labs_raided": total["labs_raided"],
        "od_deaths": total["od_deaths"],
        "od_deaths_per_year": total["od_deaths"] / years,
        "price_per_pill_usd": national["price_per_pill_usd"].mean(),
        "cartel_revenue_usd": total["cartel_revenue_usd"],
        "members_end": national["members"].iloc[-1],
        "recruits_per_week": national["recruits"].mean(),
        "arrests": total["arrests"],
        "mx_homicides_per_year": total["mx_homicides"] / years,
        "civilian_homicides_per_year": (
            total["civilians_killed_oc"]
            + total["homicides_other"]
            + total["strike_civilian_deaths"]
        )
        / years,
        "active_orgs_end": national["active_orgs"].iloc[-1],
        "strikes": total["strikes"],
        "strike_deaths": total["strike_deaths"],
        "strike_civilian_deaths": total["strike_civilian_deaths"],
        "extraditions": total["extraditions"],
        "cooperation_end": national["cooperation"].iloc[-1],
        "cost_usd": total["cost_usd"],
    }


def _share(part: float, whole: float) -> float:
    return float(part / whole) if whole > 0 else float("nan")


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
