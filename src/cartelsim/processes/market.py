"""The US retail market: dealers sell a share of their stock each week; the price is whatever
makes inelastic demand take that quantity (constant elasticity around a reference point). The
demand follows the number of people buying.
"""

from __future__ import annotations

from cartelsim.processes.process import Process

# Above this multiple of the reference price users turn to other opioids and the clearing
# price stops rising (assumption; keeps the price finite when supply dries up).
PRICE_CAP = 20.0


class Market(Process):
    name = "market"
    section = "7.6"
    does = (
        "dealers sell a share of the US stock; the retail price is what makes inelastic "
        "demand, in proportion to the people buying, take that quantity"
    )
    burn_in = True

    def step(self, sim, week: int) -> None:
        p, supply, row, people = sim.params, sim.supply, sim.row, sim.people
        sold = int(supply.us_stock_mg * p.retail_turnover)
        supply.us_stock_mg -= sold
        supply.consumed_mg += sold
        demand = p.demand_ref_kg_week * people.buyers(p) / people.reference
        ratio = sold / (demand * 1e6)
        relative = ratio ** (1.0 / p.demand_elasticity) if ratio > 0 else PRICE_CAP
        supply.price_usd_per_mg = sim.inputs.price_ref_usd_per_mg * min(relative, PRICE_CAP)
        sim.ledger.use_factor = ratio  # each buyer's use against the reference supply
        mg_per_pill = sim.inputs.mg_per_pill[row]
        n = sim.out.national
        n["consumed_kg"][row] = sold / 1e6
        n["price_per_pill_usd"][row] = supply.price_usd_per_mg * mg_per_pill
        n["pills_m"][row] = sold / mg_per_pill / 1e6
