"""Dated changes to the organizations' rivalries and alliances, such as the war between the
Sinaloa factions since September 2024: a run that starts before a change sees it happen in its
week, and one that starts after begins with it in place.
"""

from __future__ import annotations

import datetime as dt

from cartelsim.results import dates


class Relations:
    name = "relations"

    def __init__(self, sim, first_week: int):
        start = dates(int(sim.params.start_year), 1)[0].date()
        changes = sim.world.orgs.changes
        self.pending = [(_week_of(change.since, start), change) for change in changes]
        self.step(sim, first_week)

    def step(self, sim, week: int) -> None:
        while self.pending and self.pending[0][0] <= week:
            _, change = self.pending.pop(0)
            sim.orgs.set_relation(change.a, change.b, change.kind, change.weight)
            sim.kernel_changed = True


def _week_of(day: dt.date, start: dt.date) -> int:
    """The simulated week (0 = the first week of the start year) that contains this day."""
    return (day - start).days // 7
