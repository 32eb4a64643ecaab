"""Outcomes: one declaration each, for the weekly national series and the summary scalars.

As `params.SPECS` is for the parameters, these declarations are the single place an outcome's
metadata is written: its unit and meaning, whether more of it is better, how a summary scalar is
computed from the weekly series, and where it is shown — the store's weekly columns, the
report's fan charts, the headline of a comparison, the table of `cartelsim simulate`. Every
consumer, and the tables of `docs/model.md`, is made from them.
"""

from __future__ import annotations

import enum
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property, reduce
from typing import TypeVar

import pandas as pd

from cartelsim.params import WEEKS_PER_YEAR
from cartelsim.policy.levers import LEVERS

LB_PER_KG = 2.20462

T = TypeVar("T")


class Better(enum.Enum):
    """Which way an outcome improves; a comparison counts the replicates in which it does."""

    HIGHER = "higher"
    LOWER = "lower"
    NEITHER = "neither"  # context: a share, a count of means used, a figure of the setup


@dataclass(frozen=True)
class Fan:
    """A fan chart of a stored weekly series in the report: its place among them, its axis."""

    position: int
    label: str


@dataclass(frozen=True)
class Series:
    """A weekly national series; `store_column` is its place among the weekly columns kept per
    replicate by `cartelsim run` (a file format: a resumed store inserts by position)."""

    name: str
    unit: str
    doc: str
    store_column: int | None = None
    fan: Fan | None = None


@dataclass(frozen=True)
class Inputs:
    """What the summary scalars are computed from: the weekly national series (with their
    `date` column) and the three figures that are not national series."""

    national: pd.DataFrame
    seized_by_state: Mapping[str, float]  # CBP seizures at the crossings of each US state
    phoenix_flow_kg: float
    border_purity: float

    @cached_property
    def total(self) -> pd.Series:
        """Each series summed over the recorded weeks."""
        return self.national.drop(columns="date").sum()

    @property
    def years(self) -> float:
        return len(self.national) / WEEKS_PER_YEAR


# A series, or terms added left to right (the order fixes the last bit of a float).
Terms = str | tuple["Terms", ...]


@dataclass(frozen=True)
class Calc:
    """How a summary scalar is computed, in words for the docs and as a function of the run;
    `compute` is None for a scalar the simulation sets itself (`Sim`), from its own state."""

    text: str
    compute: Callable[[Inputs], float] | None


def total(*terms: Terms) -> Calc:
    """The total over the recorded weeks."""
    return Calc(f"total of {_named(terms)}", lambda run: _added(run.total, terms))


def per_year(*terms: Terms) -> Calc:
    """The total over the recorded weeks, per year (years = weeks / 52.1775)."""
    return Calc(
        f"total of {_named(terms, grouped=True)} / years",
        lambda run: _added(run.total, terms) / run.years,
    )


def mean(series: str) -> Calc:
    """The mean over the recorded weeks."""
    return Calc(f"mean of `{series}`", lambda run: run.national[series].mean())


def end(series: str) -> Calc:
    """The value in the last recorded week."""
    return Calc(f"`{series}` in the last week", lambda run: run.national[series].iloc[-1])


def share(part: Terms, whole: Terms) -> Calc:
    """One total as a share of another; NaN when the other is zero."""
    return Calc(
        f"total of {_named(part)} / total of {_named(whole, grouped=True)} (NaN if 0)",
        lambda run: _share(_added(run.total, part), _added(run.total, whole)),
    )


def special(text: str, compute: Callable[[Inputs], float]) -> Calc:
    """A computation of its own, named: for what the vocabulary above cannot say."""
    return Calc(text, compute)


def given(text: str) -> Calc:
    """Set by the simulation from its own state, not from the weekly national series."""
    return Calc(text, None)


def _added(totals: pd.Series, terms: Terms) -> float:
    if isinstance(terms, str):
        return totals[terms]
    return reduce(operator.add, (_added(totals, t) for t in terms))


def _named(terms: Terms, *, grouped: bool = False) -> str:
    """The terms as the docs write them; `grouped`, a sum of several is put in brackets."""
    names = _flat(terms)
    text = " + ".join(f"`{n}`" for n in names)
    return f"({text})" if grouped and len(names) > 1 else text


def _flat(terms: Terms) -> list[str]:
    return [terms] if isinstance(terms, str) else [n for t in terms for n in _flat(t)]


def _share(part: float, whole: float) -> float:
    return float(part / whole) if whole > 0 else float("nan")


CBP = ("seized_poe_kg", "seized_between_ports_kg", "seized_checkpoint_kg")


def _weeks(run: Inputs) -> int:
    return len(run.national)


def _cbp_gross_lb_per_year(run: Inputs) -> float:
    """CBP reports seizures in gross pounds: the pure kg at the border's purity, per year."""
    return _added(run.total, CBP) / run.border_purity * LB_PER_KG / run.years


def _state_share(state: str) -> Callable[[Inputs], float]:
    """The share of CBP's seizures at the crossings that fell at one state's crossings."""

    def compute(run: Inputs) -> float:
        by_state = run.seized_by_state
        return _share(by_state.get(state, 0.0), sum(by_state.values()))

    return compute


def _phoenix_share(run: Inputs) -> float:
    return _share(run.phoenix_flow_kg, run.total["us_arrivals_kg"])


@dataclass(frozen=True)
class Headline:
    """A headline outcome of a comparison: its place among them, its label, and its value as
    shown (`fmt` of the value times `scale`)."""

    position: int
    label: str
    fmt: str
    scale: float = 1.0


@dataclass(frozen=True)
class Row:
    """A row of the `cartelsim simulate` table: its place, its label, the digits shown."""

    position: int
    label: str
    digits: int


@dataclass(frozen=True)
class Scalar:
    """A summary scalar: one number per run, named so that it becomes a column directly."""

    name: str
    unit: str
    doc: str
    better: Better
    calc: Calc
    headline: Headline | None = None
    row: Row | None = None


def lever_cost_name(lever: str) -> str:
    """The summary scalar of a lever's cost: `cost_follow_the_money_usd` for follow-the-money."""
    return f"cost_{lever.replace('-', '_')}_usd"


HIGHER, LOWER, NEITHER = Better.HIGHER, Better.LOWER, Better.NEITHER

# fmt: off
SERIES: tuple[Series, ...] = (
    Series("produced_kg", "kg pure", "fentanyl made in Mexican labs", store_column=11),
    Series("labs_active", "labs", "labs working this week"),
    Series("labs_raided", "labs", "labs closed by Mexican raids"),
    Series("precursor_seized_kg", "kg", "precursor chemicals seized at Mexican seaports"),
    Series("precursor_received_kg", "kg", "precursor chemicals that reached the cartels' stock"),
    Series("seized_inland_kg", "kg pure", "fentanyl seized in transit inside Mexico"),
    Series("crossed_kg", "kg pure", "fentanyl sent across the border (before US seizures)"),
    Series("crossed_car_kg", "kg pure", "sent through the ports in passenger vehicles"),
    Series("crossed_truck_kg", "kg pure", "sent through the ports in commercial trucks"),
    Series("crossed_on_foot_kg", "kg pure", "sent on foot, through the ports or between them"),
    Series("seized_poe_kg", "kg pure", "seized at ports of entry", store_column=10),
    Series("seized_between_ports_kg", "kg pure", "seized between ports by the Border Patrol"),
    Series("seized_checkpoint_kg", "kg pure", "seized at interior checkpoints"),
    Series("us_arrivals_kg", "kg pure", "fentanyl reaching US markets", store_column=2,
           fan=Fan(3, "fentanyl reaching the US, kg a week")),
    Series("courier_arrests", "persons", "couriers caught with a load"),
    Series("courier_arrests_poe", "persons", "couriers caught at ports of entry"),
    Series("courier_arrests_poe_citizen", "persons", "US citizens among them"),
    Series("cartel_revenue_usd", "USD", "cartel revenue from fentanyl delivered in the US"),
    Series("consumed_kg", "kg pure", "fentanyl sold at retail and used"),
    Series("price_per_pill_usd", "USD", "retail price of a counterfeit pill", store_column=9),
    Series("pills_m", "million pills", "pill equivalents consumed"),
    Series("od_deaths", "deaths", "US synthetic-opioid overdose deaths", store_column=1,
           fan=Fan(1, "US overdose deaths a week")),
    Series("people_using", "persons", "people with opioid use disorder using illicit opioids, "
           "untreated (end of week)"),
    Series("people_in_treatment", "persons", "people in medication treatment (end of week)"),
    Series("people_in_remission", "persons", "people who stopped using (end of week)"),
    Series("stash_kg", "kg pure", "fentanyl held in cartel stashes (end of week)"),
    Series("in_transit_kg", "kg pure", "fentanyl on the road to the border (end of week)"),
    Series("us_stock_kg", "kg pure", "US retail stock (end of week)"),
    Series("members", "persons", "active cartel members (end of week)", store_column=8),
    Series("recruits", "persons", "members recruited"),
    Series("arrests", "persons", "members arrested by Mexican forces"),
    Series("killed_by_state", "persons", "members killed in confrontations with the state"),
    Series("killed_in_conflict", "persons",
           "members killed by other members (between or inside groups)"),
    Series("retired", "persons", "members who left (saturation)"),
    Series("civilians_killed_oc", "persons", "non-members killed in cartel violence"),
    Series("homicides_other", "persons", "homicides not linked to organized crime"),
    Series("mx_homicides", "persons", "all homicides in Mexico", store_column=3,
           fan=Fan(2, "homicides in Mexico a week")),
    Series("active_orgs", "organizations", "organizations with members"),
    Series("contested_successions", "events", "leader removals without a clear successor"),
    Series("splits", "events", "organizations that split into two factions"),
    Series("contested_local_successions", "events",
           "places whose command broke: a lieutenant's contested succession, or a crackdown"),
    Series("cooperation", "index 0..1", "US–Mexico cooperation", store_column=6,
           fan=Fan(4, "US–Mexico cooperation index")),
    Series("members_detected", "persons", "members detected by surveillance and intelligence"),
    Series("operations", "operations", "joint kingpin operations carried out"),
    Series("operations_refused", "operations", "operations Mexico refused (cooperation too low)"),
    Series("commanders_removed", "persons", "leaders and lieutenants removed by operations"),
    Series("extraditions", "events", "captured leaders and lieutenants extradited to the US"),
    Series("strikes", "strikes", "drone strikes carried out"),
    Series("strikes_planned", "strikes",
           "strikes the campaign planned (before consent, targets and the civilian-risk limit)"),
    Series("strikes_refused", "strikes", "joint strikes Mexico refused (cooperation too low)"),
    Series("strikes_no_target", "strikes", "planned strikes with no identified target to aim at"),
    Series("strikes_over_civilian_limit", "strikes",
           "planned strikes called off because every identified target's expected civilian "
           "deaths exceeded the limit"),
    Series("strike_misidentified", "strikes", "strikes aimed at a misidentified target"),
    Series("killed_by_strikes", "persons", "members killed by strikes"),
    Series("strike_civilian_deaths", "persons", "civilians killed by strikes", store_column=4),
    Series("strike_deaths", "persons", "everyone killed by strikes", store_column=5),
    Series("labs_struck", "labs", "labs destroyed by strikes"),
    Series("destroyed_by_strikes_kg", "kg pure",
           "fentanyl destroyed by strikes on stash houses and on loads in transit"),
    Series("cost_usd", "USD", "cost of all levers", store_column=7),
)

# In the order of `Results.summary()`.
SCALARS: tuple[Scalar, ...] = (
    Scalar("weeks", "weeks", "recorded weeks (the burn-in excluded)", NEITHER,
           special("number of recorded weeks", _weeks)),
    Scalar("produced_kg", "kg pure", "fentanyl produced in Mexico", LOWER, total("produced_kg"),
           row=Row(1, "Fentanyl produced in Mexico", 0)),
    Scalar("us_arrivals_kg", "kg pure", "fentanyl reaching US markets", LOWER,
           total("us_arrivals_kg"),
           headline=Headline(2, "fentanyl reaching US (t)", "{:,.1f}", 1e-3),
           row=Row(2, "Fentanyl reaching US markets", 0)),
    Scalar("seized_kg", "kg pure", "all fentanyl seized: inside Mexico and by CBP", HIGHER,
           total("seized_inland_kg", CBP), row=Row(3, "Fentanyl seized (Mexico and US)", 0)),
    Scalar("seized_inland_kg", "kg pure", "fentanyl seized inside Mexico", HIGHER,
           total("seized_inland_kg")),
    Scalar("cbp_seized_kg", "kg pure",
           "fentanyl seized by CBP: at ports of entry, between ports, at interior checkpoints",
           HIGHER, total(*CBP)),
    Scalar("cbp_seized_gross_lb_per_year", "lb gross / year",
           "CBP seizures in gross pounds a year, as CBP reports them (B5)", HIGHER,
           special("CBP total / `border_purity` × 2.20462 / years", _cbp_gross_lb_per_year),
           row=Row(4, "CBP seizures", 0)),
    Scalar("seized_share_poe", "share", "share of CBP seizures at ports of entry (B6)", NEITHER,
           share("seized_poe_kg", CBP), row=Row(5, "  at ports of entry", 3)),
    Scalar("seized_share_between_ports", "share", "share of CBP seizures between ports (B6)",
           NEITHER, share("seized_between_ports_kg", CBP), row=Row(6, "  between ports", 3)),
    Scalar("seized_share_checkpoint", "share",
           "share of CBP seizures at interior checkpoints (B6)", NEITHER,
           share("seized_checkpoint_kg", CBP), row=Row(7, "  at interior checkpoints", 3)),
    Scalar("seized_share_az", "share", "share of CBP seizures at Arizona crossings (B8)", NEITHER,
           special("seizures at Arizona crossings / at all crossings", _state_share("AZ"))),
    Scalar("seized_share_ca", "share", "share of CBP seizures at California crossings (B8)",
           NEITHER,
           special("seizures at California crossings / at all crossings", _state_share("CA"))),
    Scalar("poe_arrests_citizen_share", "share",
           "US citizens among couriers caught at ports of entry (B7)", NEITHER,
           share("courier_arrests_poe_citizen", "courier_arrests_poe"),
           row=Row(8, "US citizens among couriers caught", 3)),
    Scalar("phoenix_flow_share", "share",
           "share of US arrivals passing through Phoenix (the \"60% through Phoenix\" figure)",
           NEITHER, special("flow through the `phoenix` place / total of `us_arrivals_kg`",
                            _phoenix_share),
           row=Row(9, "Arrivals passing through Phoenix", 3)),
    Scalar("precursor_seized_kg", "kg", "precursor chemicals seized at Mexican seaports", HIGHER,
           total("precursor_seized_kg")),
    Scalar("labs_raided", "labs", "labs closed by Mexican raids", HIGHER, total("labs_raided"),
           row=Row(14, "Labs raided by Mexican forces", 0)),
    Scalar("od_deaths", "deaths", "US synthetic-opioid overdose deaths", LOWER,
           total("od_deaths"), row=Row(10, "US overdose deaths (synthetic opioids)", 0)),
    Scalar("od_deaths_per_year", "deaths / year", "US synthetic-opioid overdose deaths a year (B4)",
           LOWER, per_year("od_deaths"),
           headline=Headline(1, "US overdose deaths/yr", "{:,.0f}"), row=Row(11, "  per year", 0)),
    Scalar("price_per_pill_usd", "USD", "retail price of a counterfeit pill (B11)", HIGHER,
           mean("price_per_pill_usd"), row=Row(12, "Retail price of a pill (mean)", 2)),
    Scalar("cartel_revenue_usd", "USD", "cartel revenue from fentanyl", LOWER,
           total("cartel_revenue_usd"), row=Row(13, "Cartel fentanyl revenue", 0)),
    Scalar("members_end", "persons", "active cartel members at the end (B1)", LOWER,
           end("members"), headline=Headline(6, "cartel members at end", "{:,.0f}"),
           row=Row(16, "Cartel members at the end", 0)),
    Scalar("recruits_per_week", "persons / week", "members recruited a week (B2)", LOWER,
           mean("recruits"), row=Row(17, "Recruits per week (mean)", 0)),
    Scalar("arrests", "persons",
           "members arrested or extradited: baseline and crackdown arrests, kingpin captures",
           HIGHER, total("arrests"), row=Row(18, "Members arrested", 0)),
    Scalar("mx_homicides_per_year", "per year", "all homicides in Mexico, a year (B3)", LOWER,
           per_year("mx_homicides"), headline=Headline(3, "MX homicides/yr", "{:,.0f}"),
           row=Row(19, "Homicides in Mexico", 0)),
    Scalar("civilians_killed_oc_per_year", "per year",
           "non-members killed in cartel violence in Mexico, a year", LOWER,
           per_year("civilians_killed_oc"),
           headline=Headline(4, "civilians killed in cartel violence/yr", "{:,.0f}")),
    Scalar("civilian_homicides_per_year", "per year",
           "non-members killed in Mexico, a year: in cartel violence, in homicides not linked "
           "to organized crime, and by strikes", LOWER,
           per_year("civilians_killed_oc", "homicides_other", "strike_civilian_deaths"),
           row=Row(20, "  of which non-members", 0)),
    Scalar("active_orgs_end", "organizations", "organizations with members in the last week",
           NEITHER, end("active_orgs"), row=Row(21, "Active criminal organizations at the end", 0)),
    Scalar("strikes_planned", "strikes",
           "drone strikes planned, before consent, targets and the civilian-risk limit", NEITHER,
           total("strikes_planned")),
    Scalar("strikes", "strikes", "drone strikes carried out", NEITHER, total("strikes"),
           row=Row(22, "Drone strikes", 0)),
    Scalar("strikes_refused", "strikes", "planned joint strikes Mexico refused", NEITHER,
           total("strikes_refused")),
    Scalar("strikes_no_target", "strikes", "planned strikes with no identified target", NEITHER,
           total("strikes_no_target")),
    Scalar("strikes_over_civilian_limit", "strikes",
           "planned strikes called off: every identified target's expected civilian deaths "
           "exceeded the limit", NEITHER, total("strikes_over_civilian_limit")),
    Scalar("strike_deaths", "persons", "everyone killed by strikes: members and civilians",
           LOWER, total("strike_deaths"), row=Row(23, "  people killed by strikes", 0)),
    Scalar("strike_civilian_deaths", "persons", "civilians killed by strikes (R8)", LOWER,
           total("strike_civilian_deaths"), row=Row(24, "  civilians among them", 0)),
    Scalar("strike_civilians_per_year", "per year", "civilians killed by strikes, a year",
           LOWER, per_year("strike_civilian_deaths"),
           headline=Headline(5, "civilians killed by strikes/yr", "{:,.0f}")),
    Scalar("extraditions", "events", "leaders and lieutenants extradited to the US", HIGHER,
           total("extraditions"), row=Row(25, "Extraditions", 0)),
    Scalar("cooperation_end", "index 0–1", "the US–Mexico cooperation index at the end", HIGHER,
           end("cooperation"), headline=Headline(7, "cooperation at end", "{:.2f}"),
           row=Row(26, "US–Mexico cooperation at the end", 2)),
    Scalar("cost_usd", "USD", "cost of all levers over the horizon", LOWER, total("cost_usd"),
           headline=Headline(8, "cost (USD bn)", "{:,.1f}", 1e-9),
           row=Row(27, "Cost of the levers", 0)),
    Scalar("members_start", "persons",
           "active cartel members at the start of week 0, before its flows", NEITHER,
           given("the initial population / `scale`"),
           row=Row(15, "Cartel members at the start", 0)),
    *(
        Scalar(lever_cost_name(lever), "USD", f"cost of the `{lever}` lever over the horizon",
               LOWER, given("total of the lever's weekly cost (`Results.lever_costs`)"))
        for lever in LEVERS
    ),
)
# fmt: on


def _placed(items: Iterable[tuple[int, T]]) -> tuple[T, ...]:
    """Items by their declared positions, which must be 1, 2, … with none twice."""
    ranked = sorted(items, key=lambda item: item[0])
    if [position for position, _ in ranked] != list(range(1, len(ranked) + 1)):
        raise ValueError(f"positions {[p for p, _ in ranked]} are not 1, 2, …")
    return tuple(item for _, item in ranked)


STORED_WEEKLY: tuple[str, ...] = _placed((s.store_column, s.name) for s in SERIES if s.store_column)
FANS: tuple[Series, ...] = _placed((s.fan.position, s) for s in SERIES if s.fan)
HEADLINE: tuple[Scalar, ...] = _placed((s.headline.position, s) for s in SCALARS if s.headline)
TABLE: tuple[Scalar, ...] = _placed((s.row.position, s) for s in SCALARS if s.row)

_BY_NAME = {s.name: s for s in SCALARS}


def better(outcome: str) -> Better:
    """Which way an outcome improves; NEITHER for a name not declared (a store from elsewhere)."""
    declared = _BY_NAME.get(outcome)
    return declared.better if declared else Better.NEITHER
