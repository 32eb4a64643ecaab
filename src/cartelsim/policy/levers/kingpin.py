from typing import Any, ClassVar

from cartelsim.policy.lever import Lever, Option, share


class KingpinLever(Lever):
    name = "kingpin"
    order = 3
    effort: ClassVar[dict[str, Any]] = {
        "operations": 0.0,
        "operation_kill_share": 0.0,
        "operation_leader_share": 0.2,
    }
    cooperation = ("operation_cooperation", 1.0)
    unit = "operations a week"
    most = 50.0
    most_why = "assumption: far above the 2006–2012 campaign (a few leader operations a month)"
    doc = (
        "Joint US–Mexico operations against the leaders and lieutenants of the designated "
        "cartels (the 2006–2012 kingpin strategy): each succeeds with kingpin_success, scaled "
        "by cooperation, and needs cooperation above joint_threshold. A share of successes "
        "kill (kill_share), the rest capture; captured leaders are extradited with "
        "extradition_prob, and those kept in Mexico keep some command (prison_command)."
    )
    cost = "cost_operation_usd per operation carried out"
    options: ClassVar[dict[str, Option]] = {
        "kill_share": (0.2, share),
        "leader_share": (0.2, share),
    }

    def apply(self, sim, level, ramp, since, options):
        effort = sim.effort
        effort.operations = level
        effort.operation_kill_share = options["kill_share"]
        effort.operation_leader_share = options["leader_share"]
        return 0.0  # counted per operation, by the kingpin process
