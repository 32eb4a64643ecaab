"""What a weekly process is. Processes read and write the state tables (`cartelsim.state`)
and this week's ledger, write the outputs and never read them, and never touch one another:
so each can be built in any order, and the order they run in is data (`processes.WEEK`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from cartelsim.sim import Sim


class Process:
    name: ClassVar[str]
    section: ClassVar[str]  # where docs/model.md describes it (§7)
    does: ClassVar[str]  # what it does, for the weekly plan (`Sim.plan()`, docs/model.md §3)
    burn_in: ClassVar[bool] = False  # runs in the burn-in too (the supply chain does)

    def __init__(self, sim: Sim) -> None:
        """Compute what this process keeps of its own (caches of the world and the state);
        set the starting value of state that this process alone changes, if any."""

    def start(self, sim: Sim) -> None:
        """Once, as week 0 begins, after the burn-in."""

    def step(self, sim: Sim, week: int) -> None:
        raise NotImplementedError
