from typing import Any, ClassVar

from cartelsim.policy.lever import Lever


class SurveillanceLever(Lever):
    name = "surveillance"
    order = 1
    effort: ClassVar[dict[str, Any]] = {"flight_hours": 0.0}
    cooperation = ("surveillance_cooperation", 1000.0)
    unit = "flight hours a week"
    most = 10_000.0
    most_why = (
        "about 60 MQ-9 orbits around the clock, the US Air Force's largest commitment "
        "(65 combat air patrols, 2015) [B]"
    )
    doc = (
        "Surveillance flights over Mexico: each hour detects members (and, through them, "
        "their superiors) and locates labs; with cooperation, Mexican intelligence adds to it. "
        "What is known goes stale. Strikes can only aim at what is identified."
    )
    cost = "cost_flight_hour_usd per hour (MQ-9 cost per flight hour)"

    def apply(self, sim, level, ramp, since, options):
        sim.effort.flight_hours = level
        return level * sim.params.cost_flight_hour_usd
