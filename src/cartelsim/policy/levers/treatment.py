from typing import Any, ClassVar

from cartelsim.policy.lever import Lever, per_week


class TreatmentLever(Lever):
    name = "treatment"
    order = 10
    effort: ClassVar[dict[str, Any]] = {"treatment": 0.0}
    unit = "share of people who use added to treatment"
    most = 1.0
    doc = (
        "Medication treatment (MOUD) for more people: entries into treatment rise so that, "
        "at the usual retention (moud_exit_per_year), this share more of the people who use "
        "are in treatment. The treated risk death less (treatment_death_reduction, Sordo et "
        "al. 2017) and buy less (treatment_demand_reduction); leaving treatment is going "
        "back to use."
    )
    cost = "cost_treatment_year_usd per patient-year, for the share added"

    def apply(self, sim, level, ramp, since, options):
        people = sim.people
        sim.effort.treatment = level
        patients = level * (people.using + people.treated)
        return patients * per_week(sim.params.cost_treatment_year_usd)
