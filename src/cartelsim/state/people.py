"""The people in the US with opioid use disorder who use illicit opioids, in three
compartments, and their weekly flows (a compartment model in the line of the SOURCE and
Stanford–Lancet opioid policy models: Lim et al., PNAS 119 (2022); Rao, Humphreys & Brandeau,
Lancet Reg Health Am 3 (2021)). They are counts of persons, not agents: on the US side only the
numbers matter (how many buy, how many are at risk), never who. Counted from January 2022; the
years before the start are run without noise, at the reference supply, so a run starting in
any year begins from the same history."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cartelsim.params import WEEKS_PER_YEAR, Params
from cartelsim.state.inputs import series_at
from cartelsim.world.world import World

FIRST_YEAR = 2022  # oud_people_2022 and moud_share_2022 count January of this year
REFERENCE_YEAR = 2024.5  # demand_ref_kg_week and price_ref_usd_per_pill are mid-2024 (B11)


@dataclass
class People:
    using: float  # untreated, buying illicit opioids
    treated: float  # in medication treatment (MOUD)
    remission: float  # stopped using
    reference: float  # buyers in mid-2024, when the reference demand and price were observed
    entry_rate: float  # per week into treatment: the rate that kept 2022's treated share
    started: float = 0.0  # people who started using, from week 0
    died: float = 0.0  # overdose deaths, from week 0

    def buyers(self, p: Params) -> float:
        """People buying, in full-time equivalents: the treated buy less."""
        return self.using + (1.0 - p.treatment_demand_reduction) * self.treated

    def at_risk(self, p: Params) -> float:
        """People at overdose risk, in untreated equivalents: treatment lowers the risk."""
        return self.using + (1.0 - p.treatment_death_reduction) * self.treated

    def alive(self) -> float:
        return self.using + self.treated + self.remission


def overdose_rate(p: Params, lethal_share: float, coverage: np.ndarray) -> np.ndarray:
    """Overdose deaths a week per person at risk, per market, at the reference supply: higher
    when more pills hold a lethal dose, lower where naloxone is at hand."""
    potency = (lethal_share / p.lethal_share_ref) ** p.potency_elasticity
    return p.overdose_hazard / WEEKS_PER_YEAR * potency * (1.0 - p.naloxone_effect * coverage)


def advance(people: People, p: Params, deaths: float, extra_entries: float = 0.0) -> None:
    """One week of flows. The dead are taken from the untreated and the treated in proportion
    to their risk; leaving treatment is going back to use (Williams et al., Am J Psychiatry 177
    (2020))."""
    week = 1.0 / WEEKS_PER_YEAR
    using, treated, remission = people.using, people.treated, people.remission
    risk_using = using / max(people.at_risk(p), 1e-9)
    dead_using = min(deaths * risk_using, using)
    dead_treated = min(deaths - dead_using, treated)
    started = p.initiation_per_year * week
    enter = min(using * people.entry_rate + extra_entries, using)
    stop = using * p.remission_per_year * week
    leave = treated * p.moud_exit_per_year * week
    relapse = remission * p.relapse_per_year * week
    people.using = max(using + started - dead_using - enter - stop + leave + relapse, 0.0)
    people.treated = treated + enter - leave - dead_treated
    people.remission = remission + stop - relapse
    people.started += started
    people.died += dead_using + dead_treated


def starting_people(world: World, p: Params) -> People:
    """The compartments in week 0, from January 2022 through the years before the start (the
    weekly inputs of those years, expected deaths, the reference supply)."""
    total = p.oud_people_2022
    treated = total * p.moud_share_2022
    using = total - treated
    people = People(
        using=using,
        treated=treated,
        remission=0.0,
        reference=float("nan"),
        entry_rate=p.moud_exit_per_year * treated / max(using, 1.0) / WEEKS_PER_YEAR,
    )
    markets = world.markets
    share = markets["demand_share"].to_numpy()
    coverage = markets["naloxone_coverage"].to_numpy()
    start = int(p.start_year)
    weeks = int(np.ceil((max(start, REFERENCE_YEAR) - FIRST_YEAR) * WEEKS_PER_YEAR)) + 1
    t = FIRST_YEAR + np.arange(weeks + 1) / WEEKS_PER_YEAR
    lethal = series_at(world, p, "lethal_share", t)
    naloxone = series_at(world, p, "naloxone_index", t)
    at_start = None
    for i in range(weeks + 1):
        if t[i] >= REFERENCE_YEAR and np.isnan(people.reference):
            people.reference = people.buyers(p)
        if t[i] >= start and at_start is None:
            at_start = People(**vars(people))
        rate = overdose_rate(p, lethal[i], np.minimum(coverage * naloxone[i], 1.0))
        advance(people, p, float(share @ rate) * people.at_risk(p))
    at_start.reference = people.reference
    at_start.started = at_start.died = 0.0
    return at_start
