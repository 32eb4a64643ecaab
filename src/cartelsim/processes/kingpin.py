"""Kingpin operations: joint US–Mexico raids on the leaders and lieutenants of the designated
cartels, some captures (extradited, or kept in Mexico with some command left), some killings.
"""

from __future__ import annotations

import numpy as np

from cartelsim.processes.process import Process
from cartelsim.processes.removals import commander, take_out
from cartelsim.rng import poisson


class KingpinOperations(Process):
    name = "kingpin"
    section = "7.16"
    does = (
        "joint operations against the leaders and lieutenants of the designated cartels, if "
        "cooperation allows: some fail, some kill, some capture (extradited, more readily the "
        "more Mexico cooperates, or kept in a Mexican prison)"
    )

    def step(self, sim, week: int) -> None:
        effort, p, n, row = sim.effort, sim.params, sim.out.national, sim.row
        if effort.operations <= 0:
            return
        if sim.governments.cooperation < p.joint_threshold:  # Mexico will not take part
            n["operations_refused"][row] = effort.operations
            return
        rng = sim.streams("kingpin", week)
        ops = int(poisson(rng, np.array([effort.operations]))[0])
        sim.add_cost("kingpin", ops * p.cost_operation_usd)
        n["operations"][row] = ops
        success = min(p.kingpin_success * effort.mx_enforcement, 1.0)
        # Mexico extradites more readily the more it cooperates.
        extradition = min(
            p.extradition_prob * sim.governments.cooperation / max(p.cooperation_start, 1e-9), 1.0
        )
        targets = np.flatnonzero(sim.orgs.designated & sim.orgs.active)
        size = sim.roster.by_org()[targets].astype(float)
        if size.sum() == 0:
            return
        for _ in range(ops):
            org = int(rng.choice(targets, p=size / size.sum()))
            if rng.random() < effort.operation_leader_share:
                member = commander(sim, org, "leader")
            else:
                held = np.flatnonzero(sim.orgs.lieutenant_at[org] >= 0)
                member = (
                    commander(sim, org, "lieutenant", int(rng.choice(held))) if held.size else -1
                )
            if member < 0 or rng.random() >= success:
                continue
            if rng.random() < effort.operation_kill_share:
                how = "kill"
            elif rng.random() < extradition:
                how = "extradite"
            else:
                how = "capture_prison"
            take_out(sim, member, how, week)
            n["commanders_removed"][row] += 1
