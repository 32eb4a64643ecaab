from typing import Any, ClassVar

from cartelsim.policy.lever import Lever, Option, between, choice

CIVILIAN_LIMIT_MOST = 100.0  # expected civilians per strike; leave it out for no limit


class StrikesLever(Lever):
    name = "strikes"
    order = 2
    effort: ClassVar[dict[str, Any]] = {
        "strikes": 0.0,
        "strike_doctrine": "leaders",
        "strike_consent": "joint",
        "strike_civilian_limit": float("inf"),
    }
    unit = "strikes a week"
    most = 50.0
    most_why = "twenty times the peak rate of the US campaign in Pakistan (2.5 a week, 2010)"
    doc = (
        "Drone strikes on identified cartel members or labs. Doctrine picks the targets "
        "(leaders, lieutenants, logistics, labs, or network centrality: members with the most "
        "people under them); consent is joint (needs cooperation above joint_threshold) or "
        "unilateral (erodes cooperation); civilian_limit skips targets where a strike is "
        "expected to kill more civilians than that. Misidentified targets and collateral "
        "deaths make civilian casualties (R8)."
    )
    cost = "cost_strike_usd per strike carried out"
    options: ClassVar[dict[str, Option]] = {
        "doctrine": ("leaders", choice("leaders", "lieutenants", "logistics", "labs", "network")),
        "consent": ("joint", choice("joint", "unilateral")),
        "civilian_limit": (float("inf"), between(0.0, CIVILIAN_LIMIT_MOST)),
    }

    def apply(self, sim, level, ramp, since, options):
        effort = sim.effort
        effort.strikes = level
        effort.strike_doctrine = options["doctrine"]
        effort.strike_consent = options["consent"]
        effort.strike_civilian_limit = options["civilian_limit"]
        return 0.0  # counted per strike carried out, by the strikes process
