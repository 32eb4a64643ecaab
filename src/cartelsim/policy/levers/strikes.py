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
        "Drone strikes on a target deck built by surveillance. Doctrine picks the targets "
        "(leaders, lieutenants, logistics, network centrality: members with the most people "
        "under them; labs; stash houses and vehicles carrying loads to the border, whose "
        "fentanyl is destroyed); consent is joint "
        "(the scenario says Mexico has agreed; it withdraws if cooperation falls below "
        "joint_threshold) or unilateral (erodes cooperation); civilian_limit calls off strikes "
        "expected to kill more civilians than that. Every planned strike is carried out or "
        "counted with its reason. Misidentified targets and collateral deaths make civilian "
        "casualties (R8, B14); organizations hide under a campaign (Mir & Moore 2019)."
    )
    cost = "cost_strike_usd per strike carried out"
    options: ClassVar[dict[str, Option]] = {
        "doctrine": (
            "leaders",
            choice("leaders", "lieutenants", "logistics", "network", "labs", "stashes", "loads"),
        ),
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
