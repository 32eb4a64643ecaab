import math
from typing import Any, ClassVar

from cartelsim.policy.lever import Lever, per_week


class PrecursorControlsLever(Lever):
    name = "precursor-controls"
    order = 8
    effort: ClassVar[dict[str, Any]] = {"precursor_blocked": 0.0}
    cooperation = ("precursor_cooperation", 1.0)
    unit = "share of precursor supply blocked at first"
    most = 1.0
    doc = (
        "Controls on precursor chemicals: the share of supply blocked wears off as suppliers "
        "and cooks adapt, with time constant precursor_adaptation_weeks (R9: the US "
        "methamphetamine precursor control's effects were gone in about 4 months)."
    )
    cost = "cost_precursor_year_usd per year and unit of the nominal share"

    def apply(self, sim, level, ramp, since, options):
        adapted = math.exp(-since / sim.params.precursor_adaptation_weeks)
        effort = sim.effort
        effort.precursor_blocked = 1 - (1 - effort.precursor_blocked) * (1 - level * adapted)
        return level * per_week(sim.params.cost_precursor_year_usd)
