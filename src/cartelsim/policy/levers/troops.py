from typing import Any, ClassVar

from cartelsim.policy.lever import Lever


class TroopsLever(Lever):
    name = "troops"
    order = 5
    effort: ClassVar[dict[str, Any]] = {"between_ports": 1.0, "checkpoint": 1.0}
    cooperation = ("troops_cooperation", 10000.0)
    unit = "troops"
    most = 100_000.0
    most_why = "ten times Mexico's 2025 deployment (the National Guard numbers about 130,000)"
    doc = (
        "Troops at the border (Mexico sent 10,000 to its northern border in 2025): each "
        "10,000 raise detection between ports and at checkpoints, and the seizure risk in "
        "Mexican border places, by troop_effect."
    )
    cost = "cost_troop_week_usd per troop and week"

    def apply(self, sim, level, ramp, since, options):
        effort, p = sim.effort, sim.params
        rise = 1.0 + p.troop_effect * level / 10_000
        effort.between_ports *= rise
        effort.checkpoint *= rise
        effort.inland[sim.graph.border_cities] *= rise
        return level * p.cost_troop_week_usd
