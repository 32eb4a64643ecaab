"""Step 1 of the week: the strategy's levers set this week's effort, and their costs are
counted. Before anything acts, the effort is reset; every lever in its window acts, at zero
too, and a lever at zero must change nothing (tested for each)."""

from __future__ import annotations

from cartelsim.policy.levers import LEVERS
from cartelsim.processes.process import Process


class LeverStep(Process):
    name = "levers"
    section = "7.13"
    does = (
        "the effort is reset to its baseline; each lever of the strategy in its window this "
        "week sets its part of the effort, adds its push on cooperation, and returns its cost"
    )

    def step(self, sim, week: int) -> None:
        sim.effort.reset()
        for s in sim.strategy.settings:
            if s.schedule.active(week):
                ramp = s.schedule.ramp(week)
                lever, level = LEVERS[s.lever], s.schedule.intensity * ramp
                cost = lever.apply(sim, level, ramp, week - s.schedule.start, s.options)
                sim.add_cost(s.lever, cost)
                if lever.cooperation is not None:
                    parameter, per = lever.cooperation
                    sim.effort.cooperation_push += sim.params[parameter] * level / per
