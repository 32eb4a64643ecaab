"""The US–Mexico cooperation index: it recovers slowly toward its usual level; strikes on
Mexican soil erode it (without consent far more than with it); every lever that needs Mexico
moves it by its own declared amount (`Lever.cooperation`). It scales Mexican enforcement and
intelligence sharing, the chance a captured commander is extradited, and Mexico withdraws from
joint strikes and operations when it falls below `joint_threshold`.
"""

from __future__ import annotations

from cartelsim.processes.process import Process


class Cooperation(Process):
    name = "cooperation"
    section = "7.14"
    does = (
        "the cooperation index recovers toward its usual level, falls with last week's "
        "strikes (unilateral ones far more) and moves with this week's levers' push; it sets "
        "`mx_enforcement`"
    )

    def step(self, sim, week: int) -> None:
        p, gov = sim.params, sim.governments
        c = gov.cooperation
        c += p.cooperation_recovery * (p.cooperation_start - c)
        c -= p.unilateral_erosion * gov.unilateral_strikes + p.joint_strike_erosion * (
            gov.joint_strikes
        )
        c += sim.effort.cooperation_push
        gov.cooperation = min(max(c, 0.0), 1.0)
        gov.unilateral_strikes = gov.joint_strikes = 0
        sim.effort.mx_enforcement = max(
            0.0, 1.0 + p.cooperation_sensitivity * (gov.cooperation - p.cooperation_start)
        )
        sim.out.national["cooperation"][sim.row] = gov.cooperation
