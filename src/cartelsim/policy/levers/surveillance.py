from cartelsim.policy.lever import Lever


class Surveillance(Lever):
    name = "surveillance"
    unit = "flight hours a week"
    doc = (
        "Surveillance flights over Mexico: each hour detects members (and, through them, "
        "their superiors) and locates labs; with cooperation, Mexican intelligence adds to it. "
        "What is known goes stale. Strikes can only aim at what is identified."
    )
    cost = "cost_flight_hour_usd per hour (MQ-9 cost per flight hour)"

    def apply(self, sim, level, ramp, since, options):
        sim.effort.flight_hours = level
        return level * sim.params.cost_flight_hour_usd
