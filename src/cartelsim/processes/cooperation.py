"""The US–Mexico cooperation index: unilateral strikes erode it, it recovers slowly toward its
usual level, and it scales Mexican enforcement and intelligence sharing. Immigration
cooperation follows it with a lag.
"""

from __future__ import annotations

from cartelsim.processes.process import Process


class Cooperation(Process):
    name = "cooperation"
    section = "7.14"
    does = (
        "the cooperation index recovers toward its usual level and falls with last week's "
        "unilateral strikes; it sets `mx_enforcement`; immigration cooperation follows it"
    )

    def step(self, sim, week: int) -> None:
        p, gov = sim.params, sim.governments
        c = gov.cooperation
        c += p.cooperation_recovery * (p.cooperation_start - c)
        c -= p.unilateral_erosion * gov.unilateral_strikes
        gov.cooperation = min(max(c, 0.0), 1.0)
        gov.unilateral_strikes = 0
        sim.effort.mx_enforcement = max(
            0.0, 1.0 + p.cooperation_sensitivity * (gov.cooperation - p.cooperation_start)
        )
        # Immigration cooperation follows with a lag of about three months (assumption).
        gov.immigration += (gov.cooperation - gov.immigration) / 13.0
        n = sim.out.national
        n["cooperation"][sim.row] = gov.cooperation
        n["immigration_cooperation"][sim.row] = gov.immigration
