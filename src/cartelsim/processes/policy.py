"""Step 1 of the week: the strategy's levers set this week's effort, and their costs are
counted. Before anything acts, the effort is reset, so a lever at zero changes nothing."""

from __future__ import annotations

from cartelsim.policy.levers import LEVERS


class Policy:
    name = "policy"

    def __init__(self, sim):
        self.settings = sim.strategy.settings

    def step(self, sim, week: int) -> None:
        sim.effort.reset()
        for s in self.settings:
            level = s.schedule.level(week)
            if level > 0:
                cost = LEVERS[s.lever].apply(sim, level, week - s.schedule.start, s.options)
                sim.add_cost(s.lever, cost)
