"""Where the fentanyl is: stashes, shipments in transit, the US retail stock, cumulative flows.

All fentanyl is counted in whole milligrams of pure drug, so the mass balance
produced = stashes + in transit + US stock + seized + consumed holds exactly.
"""

from __future__ import annotations

import numpy as np

from cartelsim.state.assets import AssetKind, Assets

# Where fentanyl leaves the supply chain other than by sale; "strike": stashes destroyed.
SEIZURE_SITES = ("inland", "port_of_entry", "between_ports", "checkpoint", "strike")
# Where the cartels' precursor chemicals are shipped from (shares: precursor_share_*).
PRECURSOR_ORIGINS = ("china", "india", "other")


class SupplyState:
    def __init__(self, n_orgs: int, n_places: int, n_crossings: int):
        """Stocks and flows in whole mg, and what traffickers and producers have learned."""
        self.origin_stash = np.full((n_orgs, n_places), -1, np.int64)  # asset id per (org, place)
        self.staging_stash = np.full((n_orgs, n_crossings), -1, np.int64)  # per (org, crossing)
        self.precursor_stock = np.full(n_orgs, -1, np.int64)  # asset id per organization
        self.in_transit = np.zeros((n_orgs, n_crossings), np.int64)  # arrives at staging next week
        self.us_stock_mg = 0
        self.produced_mg = 0
        self.consumed_mg = 0
        self.seized_mg = dict.fromkeys(SEIZURE_SITES, 0)
        self.price_usd_per_mg = float("nan")
        self.precursor_port = np.zeros(n_orgs, np.int64)  # seaport where each org's chemicals land
        # What traffickers perceive and learn (routing reads it; transport and border update it).
        self.inland_risk = np.zeros(n_places)  # baseline seizure chance per load and place
        self.perceived_place_risk = np.zeros(n_places)
        self.perceived_crossing_risk = np.zeros(n_crossings)
        self.perceived_mode_risk = np.zeros((n_crossings, 4))  # per crossing and mode
        self.crossing_utilization = np.zeros(n_crossings)  # loads wanted ÷ courier capacity
        self.perceived_utilization = np.zeros(n_crossings)
        self.courier_pool = np.zeros(n_crossings)  # couriers ready at each crossing
        # What producers expect (production reads it), and last week's shipments it learns from.
        self.expected_price_usd_per_mg = float("nan")
        self.expected_loss = 0.0  # share of shipments seized
        self.shipments_last_week: dict[str, float] | None = None  # kg shipped and seized

    def add_stash(self, assets: Assets, org: int, place: int) -> int:
        return int(assets.add(1, kind=AssetKind.STASH, org=org, place=place)[0])

    def stocks(self, assets: Assets) -> int:
        return int(assets.stock[assets.kind == AssetKind.STASH].sum())

    def balance_error(self, assets: Assets) -> int:
        """Produced minus everything it became; zero unless the model lost or made fentanyl."""
        accounted = (
            self.stocks(assets)
            + int(self.in_transit.sum())
            + self.us_stock_mg
            + sum(self.seized_mg.values())
            + self.consumed_mg
        )
        return self.produced_mg - accounted
