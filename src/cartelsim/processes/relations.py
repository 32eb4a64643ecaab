"""Dated changes to the organizations' rivalries and alliances, such as the war between the
Sinaloa factions since September 2024: a run that starts before a change sees it happen in its
week, and one that starts after begins with it in place.
"""

from __future__ import annotations

from cartelsim.processes.process import Process
from cartelsim.state.build import relation_changes


class Relations(Process):
    name = "relations"
    section = "7.0"
    does = (
        "the dated changes to rivalries and alliances whose week has come take effect (those "
        "in force at week 0 were applied when the state was built)"
    )

    def __init__(self, sim):
        # Those in force at week 0 were applied when the state was built.
        changes = relation_changes(sim.world, int(sim.params.start_year))
        self.pending = [(week, change) for week, change in changes if week > 0]

    def step(self, sim, week: int) -> None:
        while self.pending and self.pending[0][0] <= week:
            _, change = self.pending.pop(0)
            sim.orgs.set_relation(change.a, change.b, change.kind, change.weight)
