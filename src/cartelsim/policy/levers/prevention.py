from typing import Any, ClassVar

from cartelsim.policy.lever import Lever, per_week


class RecruitmentPreventionLever(Lever):
    name = "recruitment-prevention"
    order = 11
    effort: ClassVar[dict[str, Any]] = {"recruitment_prevention": 0.0}
    unit = "share of recruitment prevented"
    most = 1.0
    doc = (
        "Jobs and social programs that keep young people out of the cartels: recruitment "
        "falls by this share (the peer model's 'halve recruitment' scenario is 0.5; R5)."
    )
    cost = "cost_prevention_year_usd per year and unit of the share"

    def apply(self, sim, level, ramp, since, options):
        sim.effort.recruitment_prevention = level
        return level * per_week(sim.params.cost_prevention_year_usd)
