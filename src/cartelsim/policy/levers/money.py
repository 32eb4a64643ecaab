from typing import Any, ClassVar

from cartelsim.policy.lever import Lever, per_week


class FollowTheMoneyLever(Lever):
    name = "follow-the-money"
    order = 7
    effort: ClassVar[dict[str, Any]] = {"aml_share": 0.0}
    cooperation = ("aml_cooperation", 0.1)
    unit = "share of laundered revenue seized"
    most = 1.0
    doc = (
        "Anti-money-laundering: a share of the cartels' income (fentanyl and other rackets) "
        "is seized, so income per member falls and recruitment and lab work slow in "
        "proportion (recruitment_income_elasticity), with no threshold. No causal estimate "
        "exists (CALIBRATION.md): the effect comes only through income."
    )
    cost = "cost_aml_year_usd per year and unit of the share"

    def apply(self, sim, level, ramp, since, options):
        sim.effort.aml_share = level
        return level * per_week(sim.params.cost_aml_year_usd)
