"""The US retail market: dealers sell a share of their stock each week; the price is whatever
makes inelastic demand take that quantity (constant elasticity around a reference point).
"""

from __future__ import annotations

# Above this multiple of the reference price users turn to other opioids and the clearing
# price stops rising (assumption; keeps the price finite when supply dries up).
PRICE_CAP = 20.0


class Market:
    name = "market"

    def step(self, sim, week: int) -> None:
        p, supply, row = sim.params, sim.supply, sim.row
        sold = int(supply.us_stock_mg * p.retail_turnover)
        supply.us_stock_mg -= sold
        supply.consumed_mg += sold
        # Treatment shifts demand down: the same quantity now clears at a lower price.
        demand = p.demand_ref_kg_week * (1.0 - sim.effort.treatment * p.treatment_demand_reduction)
        ratio = sold / (demand * 1e6)
        relative = ratio ** (1.0 / p.demand_elasticity) if ratio > 0 else PRICE_CAP
        supply.price_usd_per_mg = sim.price_ref_usd_per_mg * min(relative, PRICE_CAP)
        n = sim.out.national
        n["consumed_kg"][row] = sold / 1e6
        n["price_per_pill_usd"][row] = supply.price_usd_per_mg * sim.mg_per_pill[row]
        n["pills_m"][row] = sold / sim.mg_per_pill[row] / 1e6
