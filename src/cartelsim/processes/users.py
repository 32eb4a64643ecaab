"""The people who use: they start, enter and leave medication treatment, stop and relapse,
and the dead leave (the flows: `state/people.py`)."""

from __future__ import annotations

from cartelsim.params import WEEKS_PER_YEAR
from cartelsim.processes.process import Process
from cartelsim.state.people import advance


class Users(Process):
    name = "users"
    section = "7.20"
    does = (
        "people start using, enter and leave medication treatment (more with the treatment "
        "lever), stop and relapse; this week's overdose deaths leave"
    )

    def step(self, sim, week: int) -> None:
        p, people = sim.params, sim.people
        extra = sim.effort.treatment * (people.using + people.treated)
        advance(people, p, sim.ledger.od_deaths, extra * p.moud_exit_per_year / WEEKS_PER_YEAR)
        n = sim.out.national
        n["people_using"][sim.row] = people.using
        n["people_in_treatment"][sim.row] = people.treated
        n["people_in_remission"][sim.row] = people.remission
