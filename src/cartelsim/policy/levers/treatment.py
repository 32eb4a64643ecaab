from typing import Any, ClassVar

from cartelsim.policy.lever import Lever, per_week


class TreatmentLever(Lever):
    name = "treatment"
    order = 10
    effort: ClassVar[dict[str, Any]] = {"treatment": 0.0}
    unit = "share of users in treatment (added)"
    most = 1.0
    doc = (
        "Opioid agonist treatment: among the treated, deaths fall by "
        "treatment_death_reduction (Sordo et al. 2017) and demand by "
        "treatment_demand_reduction."
    )
    cost = "cost_treatment_year_usd per patient-year"

    def apply(self, sim, level, ramp, since, options):
        p = sim.params
        sim.effort.treatment = level
        return level * p.us_users * per_week(p.cost_treatment_year_usd)
