"""The US–Mexico cooperation index: unilateral strikes erode it, it recovers slowly toward its
usual level, and it scales Mexican enforcement and intelligence sharing. Immigration
cooperation follows it with a lag.
"""

from __future__ import annotations


class Cooperation:
    name = "cooperation"

    def __init__(self, sim):
        sim.cooperation = sim.params.cooperation_start
        self.immigration = sim.cooperation
        self.unilateral_strikes = 0  # last week's, reported by the strikes process

    def step(self, sim, week: int) -> None:
        p = sim.params
        c = sim.cooperation
        c += p.cooperation_recovery * (p.cooperation_start - c)
        c -= p.unilateral_erosion * self.unilateral_strikes
        sim.cooperation = min(max(c, 0.0), 1.0)
        self.unilateral_strikes = 0
        sim.effort.mx_enforcement = max(
            0.0, 1.0 + p.cooperation_sensitivity * (sim.cooperation - p.cooperation_start)
        )
        # Immigration cooperation follows with a lag of about three months (assumption).
        self.immigration += (sim.cooperation - self.immigration) / 13.0
        n = sim.out.national
        n["cooperation"][sim.row] = sim.cooperation
        n["immigration_cooperation"][sim.row] = self.immigration
