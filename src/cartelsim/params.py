"""Model parameters: one declaration each, with unit, bounds, prior and source.

The declarations are the single place where a number enters the model; `docs/model.md` lists
them. A parameter marked as an assumption carries a prior wide enough to be honest about it.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from cartelsim.errors import ParameterError
from cartelsim.fields import shown

WEEKS_PER_YEAR = 52.1775
MAX_WEEKS = 5200  # the longest run, a century; week numbers are stored in 16 bits
MAX_SEED = 2**63 - 1
MIN_SCALE = 1e-4  # one agent for 10,000 members: the smallest scale a run accepts


@dataclass(frozen=True)
class Prior:
    """A distribution for an uncertain parameter, sampled by ensembles."""

    dist: str  # "uniform" | "loguniform" | "triangular"
    lo: float
    hi: float
    mode: float | None = None


@dataclass(frozen=True)
class Spec:
    name: str
    default: float | int
    unit: str
    lo: float
    hi: float
    source: str
    doc: str
    prior: Prior | None = None
    integer: bool = False


def _u(lo: float, hi: float) -> Prior:
    return Prior("uniform", lo, hi)


_ASSUMPTION = "assumption"

# fmt: off
SPECS: tuple[Spec, ...] = (
    # --- time and scale -----------------------------------------------------------------------
    Spec("start_year", 2025, "year", 2022, 2030, "DESIGN.md §2.1",
         "calendar year of week 0 (from 2022, where the people who use are first counted)",
         integer=True),
    # --- precursors ---------------------------------------------------------------------------
    Spec("precursor_cover_weeks", 2.0, "weeks", 0.5, 26, _ASSUMPTION,
         "precursor stock an organization orders ahead, in weeks of lab capacity", _u(1, 6)),
    Spec("precursor_shipment_kg", 250.0, "kg", 1, 10_000, _ASSUMPTION,
         "precursor chemicals per sea shipment (one container consignment)", _u(50, 1000)),
    Spec("seaport_seizure_prob", 0.05, "per shipment", 0, 1, _ASSUMPTION,
         "chance a precursor shipment is seized at a Mexican seaport", _u(0.01, 0.2)),
    Spec("precursor_air_share", 0.1, "share", 0, 1,
         "assumption; Reuters, 'Fentanyl Express' (2024): precursors bought online and sent "
         "by air courier [B]",
         "share of precursor chemicals sent by air cargo and courier rather than by sea",
         _u(0.0, 0.3)),
    Spec("precursor_parcel_kg", 25.0, "kg", 0.1, 10_000, _ASSUMPTION,
         "precursor chemicals per air consignment", _u(5, 100)),
    Spec("airport_seizure_prob", 0.05, "per consignment", 0, 1, _ASSUMPTION,
         "chance an air consignment of precursors is seized at a Mexican airport",
         _u(0.01, 0.2)),
    Spec("precursor_yield", 0.4, "kg pure / kg precursor", 0.05, 1.0, _ASSUMPTION,
         "fentanyl base made from a kg of precursor chemicals (4-AP/1-boc-4-AP routes)",
         _u(0.25, 0.8)),
    Spec("precursor_supply_ratio", 1.25, "× the labs' usual use", 0.1, 100, _ASSUMPTION,
         "most precursor an organization's suppliers can ship in a week, relative to what its "
         "labs use at the reference utilization: a block binds once it takes more than the "
         "slack (1 − 1/ratio); the prior includes no slack at all", _u(1.0, 2.0)),
    Spec("precursor_share_india", 0.15, "share", 0, 1,
         "assumption; DEA (2020) and ODNI (2025): India the second source after China [A/B]",
         "share of the cartels' precursor supply shipped from India", _u(0.02, 0.3)),
    Spec("precursor_share_other", 0.05, "share", 0, 1, _ASSUMPTION,
         "share shipped from elsewhere than China and India (the rest is China's)",
         _u(0.0, 0.15)),
    Spec("precursor_lasting_share", 0.2, "share", 0, 1,
         "Cunningham & Liu, Addiction 100 (2005): arrests rebounded fully within 2–3 years "
         "after two US precursor rules, partly after a third [A]; Dobkin & Nicosia, AER 99 "
         "(2009): price back within 4 months [A]",
         "share of a precursor control's first effect that outlasts the traffickers' "
         "adaptation (new chemicals, new suppliers, other routes)", _u(0.0, 0.6)),
    Spec("precursor_blocked", 0.0, "share", 0, 1, "lever (issue 4)",
         "share of precursor supply blocked at the source"),
    # --- production ---------------------------------------------------------------------------
    Spec("labs", 400, "labs", 1, 100_000, _ASSUMPTION,
         "active clandestine fentanyl labs in Mexico; SEDENA/Semar dismantle hundreds a year",
         _u(150, 1000), integer=True),
    Spec("lab_capacity_kg_week", 0.5, "kg pure / week", 0.001, 100, _ASSUMPTION,
         "capacity of one lab ('a metal tub')", _u(0.2, 1.5)),
    Spec("lab_raid_rate", 0.8, "per lab per year", 0, 52, _ASSUMPTION,
         "Mexican raids on labs at baseline enforcement", _u(0.3, 2.0)),
    Spec("lab_rebuild_weeks", 3.0, "weeks", 0, 104, _ASSUMPTION,
         "time to replace a raided lab (cheap equipment)", _u(1, 8)),
    Spec("utilization_ref", 0.6, "share", 0, 1, _ASSUMPTION,
         "share of lab capacity used at the reference retail price", _u(0.4, 0.9)),
    Spec("price_expectation_rate", 0.1, "per week", 0.01, 1, _ASSUMPTION,
         "weight of this week's retail price in the price producers expect", _u(0.05, 0.3)),
    Spec("interdiction_ref", 0.15, "share", 0, 0.99, "fitted: the model's 2024 seizure share",
         "share of shipments seized, inland and at the border, when utilization_ref holds"),
    Spec("supply_price_elasticity", 0.5, "", 0, 5, _ASSUMPTION,
         "response of lab utilization to the retail price relative to the reference", _u(0.0, 1.5)),
    # --- transport in Mexico ------------------------------------------------------------------
    Spec("ship_fraction", 0.7, "per week", 0.01, 1, _ASSUMPTION,
         "share of a stash shipped onward each week", _u(0.4, 0.9)),
    Spec("inland_load_kg", 5.0, "kg pure", 0.01, 1000, _ASSUMPTION,
         "fentanyl per vehicle load moved inside Mexico", _u(1, 20)),
    Spec("inland_seizure_prob", 0.004, "per load per place", 0, 1, _ASSUMPTION,
         "chance a load is seized passing one place at baseline Mexican enforcement",
         _u(0.001, 0.02)),
    Spec("distance_cost", 0.02, "share of load value per 1000 km", 0, 10, _ASSUMPTION,
         "cost of moving a load, relative to its value", _u(0.005, 0.05)),
    Spec("rival_toll", 0.15, "share of load value per place", 0, 10, _ASSUMPTION,
         "toll and risk of passing a place held by a rival", _u(0.05, 0.4)),
    Spec("plaza_fee", 0.08, "share of load value per place", 0, 10, _ASSUMPTION,
         "fee (piso) for passing a place held by a group that is neither ally nor rival",
         _u(0.02, 0.15)),
    Spec("congestion_cost", 0.3, "share of load value at full use", 0, 10,
         "assumption, fitted to B8 (Arizona and California)",
         "cost of crowding a crossing's courier pool, quadratic in its use", _u(0.05, 0.5)),
    Spec("route_temperature", 0.03, "share of load value", 1e-4, 10, _ASSUMPTION,
         "spread of route choice: smaller means all loads take the cheapest path", _u(0.01, 0.08)),
    Spec("risk_learning_rate", 0.1, "per week", 0, 1, _ASSUMPTION,
         "weight of last week's seizure rate in perceived risk", _u(0.03, 0.3)),
    # --- crossing -------------------------------------------------------------------------------
    Spec("pov_share", 0.85, "share", 0, 1, "Cato FOIA analysis of CBP data [B]; assumption",
         "share of port-of-entry loads in passenger vehicles", _u(0.7, 0.95)),
    Spec("truck_share", 0.10, "share", 0, 1, _ASSUMPTION,
         "share of port-of-entry loads in commercial trucks (pedestrians take the rest)",
         _u(0.03, 0.2)),
    Spec("load_kg_pov", 0.5, "kg pure", 0.001, 100, _ASSUMPTION,
         "pure fentanyl in one passenger-vehicle load (a few kg gross)", _u(0.2, 2.0)),
    Spec("load_kg_truck", 2.0, "kg pure", 0.001, 1000, _ASSUMPTION,
         "pure fentanyl in one truck load", _u(0.5, 10)),
    Spec("load_kg_pedestrian", 0.05, "kg pure", 0.001, 10, _ASSUMPTION,
         "pure fentanyl carried on the body", _u(0.02, 0.2)),
    Spec("load_kg_between_ports", 0.3, "kg pure", 0.001, 100, _ASSUMPTION,
         "pure fentanyl in one backpack load between ports", _u(0.1, 1.0)),
    Spec("scan_pov", -1.0, "share", -1, 1, "CBP testimony; GAO-25-107379 [A/B]",
         "share of passenger vehicles scanned; -1 takes the world's yearly series (B9)"),
    Spec("scan_truck", -1.0, "share", -1, 1, "CBP testimony; GAO-25-107379 [A/B]",
         "share of trucks scanned; -1 takes the world's yearly series (B9)"),
    Spec("scan_gain", 0.45, "share", 0, 1, _ASSUMPTION,
         "share of the loads that inspection without a scan misses that a scan finds (0.45: "
         "a scanned load is found half the time); the prior includes scans that find nothing "
         "more", _u(0.0, 0.8)),
    Spec("detect_unscanned", 0.12, "per load", 0, 1, "assumption, fitted to B5",
         "chance an unscanned load is found (referral, dogs, officers)", _u(0.04, 0.2)),
    Spec("detect_pedestrian", 0.08, "per load", 0, 1, _ASSUMPTION,
         "chance a body-carried load is found", _u(0.02, 0.2)),
    Spec("between_ports_detect", 0.3, "per load", 0, 1, _ASSUMPTION,
         "chance Border Patrol stops a load carried between ports", _u(0.1, 0.5)),
    Spec("mode_risk_aversion", 5.0, "per unit of seizure chance", 0, 100, _ASSUMPTION,
         "how strongly traffickers move loads at a port between cars, trucks and pedestrians "
         "as the seizure chance they have seen in each changes (shares ∝ the starting share × "
         "exp(−a × the rise in risk)); the prior includes no switching", _u(0.0, 15.0)),
    Spec("between_ports_cost", 0.01, "share of load value", 0, 10,
         "assumption, fitted to B6 (8% between ports)",
         "extra cost of carrying a load on foot across the desert or over the barrier",
         _u(0.0, 0.3)),
    Spec("checkpoint_detect", 0.007, "per load", 0, 1, "fitted to B6 (4% of CBP seizures)",
         "chance an interior Border Patrol checkpoint finds a load after crossing",
         _u(0.002, 0.02)),
    Spec("citizen_courier_share", 0.85, "share", 0, 1, "B7: Cato FOIA; USSC 2022 [B]",
         "share of couriers who are US citizens", _u(0.7, 0.95)),
    Spec("citizen_inspection_ratio", 0.7, "", 0, 2, _ASSUMPTION,
         "relative chance a citizen's load is found, against a non-citizen's", _u(0.5, 1.0)),
    Spec("couriers_per_1000_pov", 2.5, "couriers per 1000 weekly vehicles", 0, 1000,
         "assumption, fitted to B8 (Arizona and California)",
         "size of a crossing's courier labor pool, relative to its traffic", _u(2, 15)),
    Spec("courier_min_pool", 50.0, "couriers", 1, 100_000, _ASSUMPTION,
         "smallest courier pool of a crossing or a stretch between ports", _u(20, 150)),
    Spec("courier_trips_per_week", 1.0, "loads per courier per week", 0.1, 20, _ASSUMPTION,
         "how often a courier can cross with a load", _u(0.5, 2)),
    Spec("courier_hire_rate", 0.25, "per week", 0, 1, _ASSUMPTION,
         "share of the courier shortfall refilled each week", _u(0.1, 0.5)),
    Spec("border_purity", 0.1, "pure / gross", 0.01, 1, _ASSUMPTION,
         "pure share of seized gross weight (pills ≈2%, powder 10–20%)", _u(0.05, 0.2)),
    # --- US market ------------------------------------------------------------------------------
    Spec("price_ref_usd_per_pill", 4.0, "USD per pill", 0.01, 1000, "B11: police, press [A/B]",
         "retail price of a counterfeit pill at the reference supply", _u(3, 5)),
    Spec("mg_per_pill_ref", 1.9, "mg per pill", 0.01, 100, "B10: DEA lab results 2024 [B]",
         "mean pill potency when price_ref_usd_per_pill was observed"),
    Spec("demand_elasticity", -0.5, "", -5, -0.01, "R6: Saffer & Chaloupka 1999; OAS 2013 [A]",
         "price elasticity of demand for illicit opioids", _u(-0.94, -0.3)),
    Spec("demand_ref_kg_week", 90.0, "kg pure / week", 0.01, 1e6,
         "assumption, fitted to B5 and B11",
         "US retail consumption at the reference price, with mid-2024's people buying",
         _u(60, 200)),
    Spec("retail_turnover", 0.5, "per week", 0.01, 1, _ASSUMPTION,
         "share of US retail stock sold each week", _u(0.3, 0.8)),
    Spec("wholesale_usd_per_kg", 200_000.0, "USD per kg pure", 0, 1e8,
         "assumption; border prices of ≈$10–40k per kg of powder at ≈7–10% purity (DEA via "
         "press [B])",
         "cartel revenue per kg pure delivered across the border, at the reference retail "
         "price (it moves with the retail price)", _u(50_000, 500_000)),
    # --- health ---------------------------------------------------------------------------------
    Spec("lethal_share_ref", 0.5, "share", 0.01, 1, "B10: DEA lab results 2024 [B]",
         "share of pills with ≥2 mg at which overdose_hazard holds"),
    Spec("potency_elasticity", 0.45, "", 0, 5,
         "fitted to B4 (CDC 2022–2025 with the DEA potency series)",
         "how the overdose death rate scales with the share of pills holding a lethal dose",
         _u(0.0, 1.5)),
    Spec("potency_trend", 0.0, "per year (log)", -2, 2, _ASSUMPTION,
         "yearly change (log) of the share of pills with a lethal dose after the series ends: "
         "the future of potency is a scenario", _u(-0.3, 0.3)),
    Spec("naloxone_effect", 0.2, "share at full coverage", 0, 1,
         "R7: Rees et al. 2019; Walley et al. 2013 [A]",
         "fall in deaths at full naloxone coverage (≈-10% at today's coverage)", _u(0.0, 0.5)),
    # --- US people who use illicit opioids (a compartment model) --------------------------
    Spec("oud_people_2022", 4_500_000, "persons", 1e4, 1e8,
         "Lim, Keyes, Caulkins et al., J Addict Med 18(6) (2024): 3.8–7.6 million with OUD in "
         "2019 [A]; Dowell et al., MMWR 73(25) (2024): ≈9 million needed OUD treatment in "
         "2022 [A]",
         "people with opioid use disorder using illicit opioids, in treatment or not, in "
         "January 2022", _u(3.8e6, 7.6e6)),
    Spec("moud_share_2022", 0.25, "share", 0, 1,
         "Dowell et al., MMWR 73(25) (2024): 25.1% received medication in 2022 [A]",
         "share of them in medication treatment (MOUD) in January 2022", _u(0.18, 0.3)),
    Spec("initiation_per_year", 100_000, "persons / year", 0, 1e7,
         "assumption; NSDUH heroin initiates 81,000–212,000 a year in 2014–2017 (SAMHSA via "
         "press [B])",
         "people who start regular illicit opioid use a year", _u(50_000, 200_000)),
    Spec("remission_per_year", 0.19, "per person per year", 0, 5,
         "fitted to B4 (CDC 2022–2025), inside Calabria et al., Addict Behav 35 (2010): "
         "0.09 (conservative) to 0.22 a year [A]",
         "rate at which people using illicit opioids, untreated, stop", _u(0.09, 0.3)),
    Spec("relapse_per_year", 0.5, "per person per year", 0, 5,
         "Nosyk et al., Am J Epidemiol 177 (2013): 40% of abstinence episodes ended within a "
         "year [A]",
         "rate at which people in remission return to use", _u(0.2, 0.7)),
    Spec("moud_exit_per_year", 1.31, "per person per year", 0, 52,
         "73% stop buprenorphine within a year (Addict Sci Clin Pract 2024, 58,200 adults) "
         "[A]; 45% retained a year (Psychiatr Serv 2018) [A]",
         "rate at which people leave medication treatment, back to use", _u(0.8, 1.6)),
    Spec("overdose_hazard", 0.0205, "per person per year", 0, 1,
         "fitted to B4 (CDC 2022–2025); Larochelle et al., Ann Intern Med 169 (2018): 2.1 "
         "opioid deaths per 100 person-years after a nonfatal overdose [A]",
         "overdose death rate of someone using illicit opioids, untreated, at the reference "
         "potency and supply, without naloxone", _u(0.01, 0.04)),
    # --- organizations --------------------------------------------------------------------------
    Spec("members_start", 197_000, "persons", 1, 10_000_000,
         "reference model run to 2025; B1: Prieto-Curiel et al. 2023 (≈175k in 2022, +4%/yr)",
         "cartel members in Mexico in week 0", _u(175_000, 210_000), integer=True),
    Spec("recruitment_rate", 2.527474e-3, "per member per week", 0, 0.1,
         "Prieto-Curiel et al. 2023, authors' code [A]", "recruits per member a week (ρ)"),
    Spec("recruitment_prevention", 0.0, "share", 0, 1, "lever (issue 4)",
         "share of recruitment prevented by jobs and social programs"),
    Spec("incapacitation_per_week", 110.0, "persons per week", 0, 1e5,
         "Prieto-Curiel et al. 2023, authors' code [A]",
         "members arrested a week nationally, shared by size (η)"),
    Spec("conflict_theta", 1.549231e-8, "per person² per week", 0, 1e-4,
         "Prieto-Curiel et al. 2023, authors' code [A]", "conflict deaths coefficient (θ)"),
    Spec("saturation_omega", 4e-8, "per person² per week", 0, 1e-4,
         "Prieto-Curiel et al. 2023, authors' code [A]", "saturation: members who leave (ω)"),
    Spec("confrontation_lethality", 0.03, "share of arrests", 0, 1, _ASSUMPTION,
         "share of arrest operations in which the member is killed", _u(0.0, 0.1)),
    Spec("labor_pool_share", 0.02, "share of population", 0.001, 1, _ASSUMPTION,
         "people a place can supply to cartels; recruitment slows as it fills", _u(0.01, 0.05)),
    Spec("fentanyl_income_share", 0.3, "share", 0.01, 1,
         "assumption: no published estimate; marijuana was 15–26% of drug-export revenue "
         "(RAND 2010 [A]), and extortion, fuel theft and smuggling add to other drugs",
         "fentanyl's share of the cartels' income at week 0; other rackets earn the rest, "
         "in proportion to members", _u(0.1, 0.5)),
    Spec("recruitment_income_elasticity", 1.0, "", 0, 5, _ASSUMPTION,
         "response of recruitment to an organization's income per member against the start's "
         "(0: income does not matter; 1: proportional)", _u(0.0, 2.0)),
    Spec("stakes_elasticity", 0.5, "", 0, 5,
         "assumption, informed by Castillo, Mejía & Restrepo, REStat 102(2) (2020) [A]: the "
         "2006–09 cocaine shortage explains 10–14% of Mexico's rise in violence",
         "response of rivals' conflict in a place to the value of its fentanyl trade against "
         "the start's (prior includes no effect)", _u(0.0, 1.0)),
    Spec("succession_clarity", 0.5, "probability", 0, 1, "R3: Jones 2013 [A]; assumption",
         "chance a leader's removal finds a clear successor", _u(0.2, 0.8)),
    Spec("kill_clarity_factor", 0.5, "×", 0, 1, "R4: Dickenson 2014; Phillips 2015 [A]",
         "clarity of succession after a killing, relative to a capture", _u(0.2, 1.0)),
    Spec("contest_weeks", 26.0, "weeks", 1, 520, _ASSUMPTION,
         "how long a contested succession lasts", _u(8, 52)),
    Spec("succession_violence", 8.0, "× conflict", 0, 50, "assumption, fitted to R1/R2",
         "rise in an organization's conflict during a contested succession", _u(2.0, 15.0)),
    Spec("seat_violence", 0.0, "× conflict", 0, 50, "assumption, informed by R1",
         "extra rise where the leader was removed", _u(0.0, 2.0)),
    Spec("internal_violence", 0.3, "", 0, 100, "assumption, fitted to R1/R2",
         "weight of fights inside an organization in turmoil (θ·w·T·C²)", _u(0.0, 1.0)),
    Spec("lieutenant_violence", 0.5, "× succession_violence", 0, 1,
         "assumption, informed by Calderón et al. (2015) [A]: lieutenants' removals raise "
         "violence, against civilians too",
         "turmoil where a lieutenant's succession is contested (or a crackdown breaks a "
         "plaza's command), relative to a leader's contested succession", _u(0.1, 1.0)),
    Spec("plaza_collapse_share", 0.1, "share a week", 0.001, 1,
         "assumption, mechanism of Dell, AER 105(6) (2015) [A]",
         "share of a place's members arrested in one week at which its holders' command "
         "breaks for sure, as if the lieutenant were gone (below it, in proportion)",
         _u(0.02, 0.5)),
    Spec("turmoil_decay", 0.1, "per week", 0.001, 1, _ASSUMPTION,
         "how fast turmoil fades once a succession is settled", _u(0.04, 0.25)),
    Spec("split_prob", 0.3, "probability", 0, 1,
         "assumption; analogues Jordan 2009, Price 2012 (CALIBRATION.md)",
         "chance a contested succession ends in a split", _u(0.1, 0.6)),
    Spec("retaliation_strength", 0.25, "× conflict", 0, 10, _ASSUMPTION,
         "rise in violence where an organization whose leader was killed operates "
         "(prior includes no effect)", _u(0.0, 1.0)),
    Spec("deterrence_strength", 0.2, "", 0, 10, _ASSUMPTION,
         "shift from fentanyl per unit of loss rate above the usual (prior includes no effect)",
         _u(0.0, 1.0)),
    Spec("violence_spread", 0.2, "share", 0, 1, _ASSUMPTION,
         "share of a place's excess conflict deaths repeated next week in its neighbours",
         _u(0.0, 0.5)),
    Spec("civilians_per_member_killed", 0.7, "persons", 0, 100,
         "assumption, fitted to B3 (half of homicides linked to organized crime)",
         "non-members killed in cartel violence per member killed", _u(0.4, 1.5)),
    Spec("non_oc_homicide_share", 0.5, "share", 0, 1, "B3: INEGI via secondary sources [B]",
         "share of homicides not linked to organized crime", _u(0.4, 0.6)),
    # --- policy levers: effects ----------------------------------------------------------------
    Spec("cooperation_start", 0.6, "index 0..1", 0, 1, _ASSUMPTION,
         "US–Mexico cooperation in week 0 (and what it returns to)", _u(0.4, 0.8)),
    Spec("cooperation_recovery", 0.02, "per week", 0, 1, _ASSUMPTION,
         "share of the gap to the usual cooperation closed each week", _u(0.005, 0.05)),
    Spec("cooperation_sensitivity", 0.8, "", 0, 5, _ASSUMPTION,
         "Mexican enforcement scales as 1 + s·(c − c_start): arrests, raids, seizures",
         _u(0.0, 2.0)),
    Spec("unilateral_erosion", 0.02, "per strike", 0, 1,
         "assumption (no causal estimate: CALIBRATION.md, little evidence)",
         "fall in cooperation for each strike without Mexico's consent", _u(0.0, 0.08)),
    Spec("joint_threshold", 0.4, "index", 0, 1, _ASSUMPTION,
         "cooperation below which Mexico withdraws from joint strikes and operations",
         _u(0.2, 0.6)),
    Spec("joint_strike_erosion", 0.005, "per strike", 0, 1,
         "assumption: Mexico's government rejected US strikes on its soil (2025) [B]",
         "fall in cooperation for each strike Mexico consented to (public backlash)",
         _u(0.0, 0.01)),
    Spec("surveillance_cooperation", 0.0, "per week per 1,000 hours a week", -1, 1,
         "assumption: both signs (shared intelligence; sovereignty)",
         "weekly change in cooperation from US surveillance flights over Mexico",
         _u(-0.002, 0.002)),
    Spec("operation_cooperation", 0.0005, "per operation", -1, 1,
         "assumption: joint task forces build trust (Mérida era) or strain sovereignty",
         "change in cooperation for each joint kingpin operation", _u(-0.001, 0.002)),
    Spec("troops_cooperation", 0.001, "per week per 10,000 troops", -1, 1,
         "assumption; Mexico sent 10,000 troops for a tariff pause (February 2025) [B]",
         "weekly change in cooperation while Mexican troops are at the border", _u(0.0, 0.002)),
    Spec("aml_cooperation", 0.0005, "per week per 10% seized", -1, 1,
         "assumption: joint financial intelligence (FinCEN–UIF)",
         "weekly change in cooperation from a joint anti-money-laundering campaign",
         _u(0.0, 0.001)),
    Spec("precursor_cooperation", 0.001, "per week at a full block", -1, 1,
         "assumption: Mexico's own precursor scheduling and customs work (2024–2025)",
         "weekly change in cooperation from joint precursor controls", _u(0.0, 0.002)),
    Spec("detections_per_flight_hour", 0.5, "members per hour", 0, 100, _ASSUMPTION,
         "members newly watched per hour of surveillance flight", _u(0.1, 2.0)),
    Spec("mexican_intel_boost", 0.5, "× at full cooperation", 0, 10, _ASSUMPTION,
         "extra detections from Mexican intelligence, times the cooperation index",
         _u(0.0, 1.5)),
    Spec("exposure_gain", 0.5, "per detection", 0, 1, _ASSUMPTION,
         "knowledge gained about a member when detected", _u(0.2, 0.9)),
    Spec("link_gain", 0.3, "× exposure_gain", 0, 1, _ASSUMPTION,
         "knowledge gained about a detected member's superior (network analysis)",
         _u(0.0, 0.6)),
    Spec("knowledge_decay", 0.05, "per week", 0, 1, _ASSUMPTION,
         "share of what intelligence knows that goes stale each week", _u(0.02, 0.15)),
    Spec("identified_threshold", 0.5, "exposure", 0, 1, _ASSUMPTION,
         "exposure above which a member can be targeted", _u(0.3, 0.8)),
    Spec("lab_detections_per_flight_hour", 0.02, "labs per hour", 0, 10, _ASSUMPTION,
         "labs located per hour of surveillance flight", _u(0.005, 0.1)),
    Spec("strike_hit_prob", 0.8, "per strike", 0, 1, _ASSUMPTION,
         "chance a strike kills its intended target", _u(0.6, 0.95)),
    Spec("misidentification", 0.1, "at the threshold", 0, 1,
         "assumption, informed by R8 (independent counts)",
         "chance the target is not who intelligence thinks, falling as exposure rises to 1",
         _u(0.02, 0.4)),
    Spec("bystander_members", 5.0, "per strike", 0, 50,
         "ODNI (2016): 5.0–5.5 combatants per strike; BIJ, Pakistan: 5–7 [B] (B14)",
         "other members killed by a strike that hits (guards, drivers, cooks)", _u(3.0, 8.0)),
    Spec("collateral_civilians", 0.5, "per strike, mixed density", 0, 10,
         "ODNI (2016): 0.14–0.25 civilians per strike; BIJ, Pakistan: 1.0–2.3 [B] (B14)",
         "civilians killed by a strike at a place of mixed density (×0.5 rural, ×2 urban)",
         _u(0.1, 1.5)),
    Spec("misidentified_civilians", 4.0, "per misidentified strike", 0, 50,
         "assumption: those present when the wrong people are struck, of the order of the "
         "deaths per strike (B14)", "civilians killed when the target was misidentified",
         _u(1.0, 7.0)),
    Spec("load_sightings_per_flight_hour", 0.01, "loads per hour", 0, 10, _ASSUMPTION,
         "vehicles carrying a load to the border spotted per hour of surveillance flight",
         _u(0.002, 0.05)),
    Spec("load_occupants", 3.5, "persons", 0, 50,
         "US strikes on boats said to carry drugs, Caribbean and Pacific, September–November "
         "2025: about 83 killed in 21 strikes, by press tallies [B]",
         "people killed with a struck vehicle and its load", _u(1.0, 6.0)),
    Spec("strike_hiding", 0.4, "share", 0, 1,
         "Mir & Moore, ISQ 63(4) (2019) [A]: a US drone programme cut insurgent attacks "
         "43–62%, mostly by militants hiding; out of domain for cartels, so the prior "
         "includes no effect",
         "share of its activity (trafficking, fighting, being seen) a designated cartel gives "
         "up when watched around the clock while strikes are on", _u(0.0, 0.6)),
    Spec("kingpin_success", 0.3, "per operation", 0, 1, _ASSUMPTION,
         "chance a joint operation captures or kills its target, at the usual cooperation",
         _u(0.1, 0.6)),
    Spec("extradition_prob", 0.5, "per captured leader", 0, 1,
         "assumption; Mexico extradited 29 in one month of 2025 (DESIGN.md)",
         "chance a captured leader or lieutenant is extradited to the US", _u(0.2, 0.9)),
    Spec("prison_command", 0.3, "clarity added", 0, 1,
         "assumption (no causal estimate: CALIBRATION.md, little evidence)",
         "succession clarity added when a captured leader stays in a Mexican prison and keeps "
         "some command", _u(0.0, 0.6)),
    Spec("troop_effect", 0.3, "per 10,000 troops", 0, 10, _ASSUMPTION,
         "rise in detection between ports and in seizure risk at Mexican border places",
         _u(0.0, 0.8)),
    Spec("crackdown_effect", 2.0, "× risk at full intensity", 0, 50, _ASSUMPTION,
         "rise in seizure risk in a place under a local crackdown", _u(0.5, 5.0)),
    Spec("crackdown_arrests", 20.0, "persons per week per place", 0, 10_000, _ASSUMPTION,
         "extra arrests a week in a place under a local crackdown, at full intensity",
         _u(5, 60)),
    Spec("precursor_adaptation_weeks", 17.0, "weeks", 1, 520, "R9: OAS 2013 [A]",
         "time constant over which precursor controls wear off (≈4 months)", _u(9, 52)),
    Spec("treatment_death_reduction", 0.7, "share among the treated", 0, 1,
         "Sordo et al., BMJ 357 (2017) [A]: overdose deaths 1.4 vs 4.6 per 1,000 person-years "
         "in and out of buprenorphine, 2.6 vs 12.7 for methadone",
         "fall in the overdose death rate of people in medication treatment", _u(0.5, 0.8)),
    Spec("treatment_demand_reduction", 0.5, "share among the treated", 0, 1, _ASSUMPTION,
         "fall in fentanyl demand among people in treatment", _u(0.2, 0.8)),
    # --- policy levers: costs (USD) -----------------------------------------------------------
    Spec("cost_strike_usd", 250_000.0, "USD per strike", 0, 1e9,
         "assumption: a Hellfire ≈ $150k (DoD budget) plus flight hours",
         "cost of one drone strike", _u(150_000, 1_000_000)),
    Spec("cost_flight_hour_usd", 3_500.0, "USD per hour", 0, 1e7,
         "MQ-9 cost per flight hour ≈ $3,500 (USAF, reported) [B]",
         "cost of an hour of surveillance flight", _u(2_500, 10_000)),
    Spec("cost_operation_usd", 500_000.0, "USD per operation", 0, 1e9, _ASSUMPTION,
         "cost of one joint kingpin operation", _u(100_000, 2_000_000)),
    Spec("cost_scan_usd", 20.0, "USD per vehicle scanned", 0, 1e5, _ASSUMPTION,
         "cost of scanning one vehicle (staff, scanners over their life)", _u(5, 60)),
    Spec("cost_troop_week_usd", 1_000.0, "USD per troop-week", 0, 1e6, _ASSUMPTION,
         "cost of one soldier deployed at the border for a week", _u(300, 3_000)),
    Spec("cost_crackdown_week_usd", 1_000_000.0, "USD per place-week", 0, 1e10, _ASSUMPTION,
         "cost of a local crackdown at full intensity", _u(200_000, 5_000_000)),
    Spec("cost_aml_year_usd", 2e9, "USD per year at 100%", 0, 1e12, _ASSUMPTION,
         "cost of seizing laundered money, per year and per unit of the share seized",
         _u(5e8, 5e9)),
    Spec("cost_precursor_year_usd", 5e8, "USD per year at 100%", 0, 1e12, _ASSUMPTION,
         "cost of blocking precursor supply, per year and per unit of the share blocked",
         _u(1e8, 2e9)),
    Spec("cost_naloxone_kit_usd", 45.0, "USD per kit", 0, 1e4,
         "over-the-counter Narcan list price ≈ $45 (2023) [B]", "price of a naloxone kit",
         _u(20, 75)),
    Spec("cost_treatment_year_usd", 6_500.0, "USD per patient-year", 0, 1e6,
         "NIDA: methadone treatment ≈ $6,500 a year [B]", "cost of a year of treatment",
         _u(4_000, 15_000)),
    Spec("cost_prevention_year_usd", 1e9, "USD per year at 100%", 0, 1e12, _ASSUMPTION,
         "cost of jobs and social programs, per year and per unit of recruitment prevented",
         _u(3e8, 3e9)),
)
# fmt: on

_BY_NAME = {s.name: s for s in SPECS}

SECTIONS = {  # each section of SPECS (as its comments head them) by its first parameter
    "start_year": "time and scale",
    "precursor_cover_weeks": "precursors",
    "labs": "production",
    "ship_fraction": "transport in Mexico",
    "pov_share": "crossing",
    "price_ref_usd_per_pill": "US market",
    "lethal_share_ref": "health",
    "oud_people_2022": "US people who use",
    "members_start": "organizations",
    "cooperation_start": "policy levers: effects",
    "cost_strike_usd": "policy levers: costs",
}


def section(name: str) -> str:
    """The section of SPECS a parameter sits in (screening groups parameters by it)."""
    index = [s.name for s in SPECS].index(name)
    first = max(i for i, s in enumerate(SPECS) if s.name in SECTIONS and i <= index)
    return SECTIONS[SPECS[first].name]


class Params(Mapping[str, float]):
    """Validated parameter values; unknown names and out-of-range values are errors."""

    def __init__(self, overrides: Mapping[str, Any] | None = None, *, origin: str = "parameter"):
        values: dict[str, float] = {s.name: s.default for s in SPECS}
        for name, raw in (overrides or {}).items():
            values[name] = _validated(name, raw, origin)
        self._values = values

    def __getattr__(self, name: str) -> float:
        try:
            return self.__dict__["_values"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> float:
        return self._values[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def replace(self, **overrides: Any) -> Params:
        return Params({**self._values, **overrides})

    def weekly(self, name: str) -> float:
        """A per-year rate as the matching per-week probability."""
        return 1.0 - math.exp(-self._values[name] / WEEKS_PER_YEAR)


def spec(name: str) -> Spec:
    return _BY_NAME[name]


def _validated(name: str, raw: Any, origin: str) -> float:
    s = _BY_NAME.get(name)
    if s is None:
        close = [n for n in _BY_NAME if n.split("_")[0] == str(name).split("_")[0]]
        hint = f" (did you mean {', '.join(close[:3])}?)" if close else ""
        raise ParameterError(f"{origin} {shown(name)}: unknown parameter{hint}")
    if isinstance(raw, bool) or not isinstance(raw, numbers.Real):
        raise ParameterError(f"{origin} {name!r}: expected a number, got {shown(raw)}")
    # Compared as it is: a 400-digit integer is out of range, not an overflow.
    finite = not isinstance(raw, float) or math.isfinite(raw)
    if not finite or not s.lo <= raw <= s.hi:
        raise ParameterError(
            f"{origin} {name!r} = {shown(raw)} is out of range [{s.lo:g}, {s.hi:g}] ({s.unit})"
        )
    if s.integer and not isinstance(raw, numbers.Integral):  # 3.0 is not taken for 3
        raise ParameterError(f"{origin} {name!r}: expected a whole number, got {shown(raw)}")
    return int(raw) if s.integer else float(raw)
