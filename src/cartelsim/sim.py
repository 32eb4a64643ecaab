"""One run: build the state, step the weekly processes in order, collect the results."""

from __future__ import annotations

import copy
import time
from collections.abc import Mapping
from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from cartelsim import defaults, fields
from cartelsim.errors import CartelsimError, FieldError, ParameterError
from cartelsim.output import LEVER_INDEX, WeeklyOutput
from cartelsim.params import MAX_SEED, MAX_WEEKS, MIN_SCALE, Params
from cartelsim.policy.levers import LEVERS
from cartelsim.policy.library import get_strategy
from cartelsim.policy.strategy import Strategy
from cartelsim.processes import WEEK, Process
from cartelsim.results import Results, collect
from cartelsim.rng import Streams
from cartelsim.state.assets import AssetKind, Assets
from cartelsim.state.build import (
    COOKS_PER_LAB,
    build_labs,
    build_members,
    build_supply_chain,
    relation_changes,
)
from cartelsim.state.effort import Effort
from cartelsim.state.governments import Governments
from cartelsim.state.inputs import WeeklyInputs, weekly_inputs
from cartelsim.state.ledger import Ledger
from cartelsim.state.members import Members
from cartelsim.state.organizations import OrgTable
from cartelsim.state.people import People, starting_people
from cartelsim.state.places import PlaceState
from cartelsim.state.roster import Roster
from cartelsim.state.routes import RoutePlan
from cartelsim.state.supply import SupplyState
from cartelsim.world.graph import TransportGraph, build_graph
from cartelsim.world.world import World, load_world

BURN_IN_WEEKS = 52  # run before week 0, unrecorded, so stocks and routes start settled


class InvariantError(RuntimeError):
    """The model broke one of its own conservation laws: a bug, never bad input."""


class Sim:
    """A single simulation of the default (or a given) world.

    >>> res = Sim(weeks=52, scale=0.1, seed=1).run()
    >>> bool(res.summary()["od_deaths_per_year"] > 0)
    True

    What a run holds, and who may change it: the inputs never change; the state tables are
    the model's whole mutable state, each column changed by the process that owns it; the
    ledger carries what one process hands another within a week; the processes keep only
    caches of their own; `out` is written by the processes and read by no process.
    """

    # Inputs
    world: World
    params: Params
    strategy: Strategy
    weeks: int
    seed: int
    scale: float
    graph: TransportGraph
    inputs: WeeklyInputs
    streams: Streams
    # State
    orgs: OrgTable
    members: Members
    roster: Roster
    assets: Assets
    supply: SupplyState
    routes: RoutePlan
    places: PlaceState
    governments: Governments
    people: People  # in the US, using illicit opioids, in treatment, in remission
    effort: Effort  # this week's effort, reset by the lever step
    ledger: Ledger
    # The clock, the processes and what they write
    rows: int  # burn-in and recorded weeks
    row: int
    week: int
    processes: tuple[Process, ...]
    out: WeeklyOutput

    def __init__(
        self,
        world: World | str = defaults.WORLD,
        params: Params | Mapping[str, Any] | None = None,
        *,
        strategy: Strategy | str = "baseline",
        weeks: int = defaults.WEEKS,
        seed: int = defaults.SEED,
        scale: float = 1.0,
        check: bool = True,
    ):
        if isinstance(world, Mapping):
            raise ParameterError(
                "Sim(world, params, ...): the first argument is the world; "
                "pass parameters as params={...}"
            )
        _check_run_settings(weeks, seed, scale)
        self.world = world if isinstance(world, World) else load_world(world)
        self.params = params if isinstance(params, Params) else Params(params)
        self.strategy = strategy if isinstance(strategy, Strategy) else get_strategy(strategy)
        self.strategy.check(self.world)
        self.weeks, self.seed, self.scale = weeks, int(seed), float(scale)
        self.check_invariants = check
        self.timings: dict[str, float] = {}
        started = time.perf_counter()
        self._build()
        self.timings["init"] = time.perf_counter() - started

    def _build(self) -> None:
        """The state of week 0 (before the burn-in), then the processes: the state is built
        first and whole, so processes can be made in any order."""
        p, world, scale = self.params, self.world, self.scale
        self.streams = Streams(self.seed)
        self.graph = build_graph(world)
        self.rows = BURN_IN_WEEKS + self.weeks
        self.inputs = weekly_inputs(world, p, self.rows, BURN_IN_WEEKS)
        self.orgs = OrgTable(world.orgs, p.succession_clarity, world.n_places)
        for week, change in relation_changes(world, int(p.start_year)):
            if week <= 0:  # in force at week 0: the burn-in runs with it
                self.orgs.set_relation(change.a, change.b, change.kind, change.weight)
        self.assets = Assets(capacity=4096)
        build_labs(world, p, self.streams("init.labs"), self.assets)
        labs = self.assets.of_kind(AssetKind.LAB)
        labs_of = np.bincount(self.assets.org[labs], minlength=world.orgs.n)
        cooks = np.where(
            labs_of > 0, np.maximum(np.round(labs_of * COOKS_PER_LAB * scale), 1), 0
        ).astype(np.int64)
        self.orgs.cooks_needed[: world.orgs.n] = cooks
        self.members, self.orgs.lieutenant_at = build_members(
            world, p, scale, self.streams("init.members"), self.orgs, cooks
        )
        self.roster = Roster(self.members, self.orgs.capacity, world.n_places)
        self.supply = SupplyState(world.orgs.n, world.n_places, self.graph.crossings.size)
        build_supply_chain(world, self.graph, p, self.assets, self.supply)
        self.routes = RoutePlan(self.supply.origin_stash, self.graph.crossings)
        self.places = PlaceState(world.n_places)
        self.governments = Governments(p.cooperation_start)
        self.people = starting_people(world, p)
        self.effort = Effort(world.n_places, LEVERS.values())
        self.ledger = Ledger(world.n_places)
        self.out = WeeklyOutput(self.rows, world.n_places, len(world.links))
        self.row = 0
        self.week = -BURN_IN_WEEKS
        self._next_row = 0
        self.processes = tuple(process(self) for process in WEEK)

    def plan(self) -> str:
        """The weekly order, as docs/model.md §3 gives it (tests/test_architecture.py)."""
        lines = []
        for i, proc in enumerate(self.processes, start=1):
            module = type(proc).__module__.replace("cartelsim.", "").replace(".", "/")
            when = "every week, the burn-in too" if proc.burn_in else "from week 0"
            lines.append(
                f"{i}. **{proc.name}** (`{module}.py`, {when}): {proc.does} (§{proc.section})."
            )
        return "\n".join(lines)

    def schedule_removal(self, week: int, org: int, target: str, how: str, place: int = -1) -> None:
        """Remove an organization's leader (or its lieutenant at a place) in that week, as an
        experiment does (`experiment.leader_removal`)."""
        self.process("enforcement").schedule(week, org, target, how, place)

    def process(self, name: str) -> Process:
        """The process of that name (`Sim.plan()` lists them)."""
        for proc in self.processes:
            if proc.name == name:
                return proc
        raise KeyError(f"no process {name!r} (processes: {[p.name for p in self.processes]})")

    def add_cost(self, lever: str, usd: float) -> None:
        self.out.lever_cost[self.row, LEVER_INDEX[lever]] += usd

    def run(self) -> Results:
        """Run the remaining weeks (all of them, unless `burn_in` or a fork came first)."""
        with _one_blas_thread():
            self._advance(self.rows)
        return collect(self, BURN_IN_WEEKS)

    def burn_in(self) -> Sim:
        """Run the burn-in only. Every strategy shares it, so an ensemble runs it once per
        replicate and forks the state for each strategy (see `fork`)."""
        with _one_blas_thread():
            self._advance(BURN_IN_WEEKS)
        return self

    def fork(self, strategy: Strategy | str) -> Sim:
        """A copy of this simulation, not yet past the burn-in, to go on under a strategy:
        it gives exactly what a fresh run of that strategy on the same seed gives."""
        if self._next_row > BURN_IN_WEEKS:
            raise RuntimeError("fork() only before week 0: policy acts from week 0")
        twin = copy.deepcopy(self)
        twin.strategy = strategy if isinstance(strategy, Strategy) else get_strategy(strategy)
        twin.strategy.check(twin.world)
        return twin

    def _advance(self, until: int) -> None:
        clock = time.perf_counter
        timers = self.timings
        for name in [proc.name for proc in self.processes] + ["record"]:
            timers.setdefault(name, 0.0)
        in_burn_in = tuple(proc for proc in self.processes if proc.burn_in)
        for row in range(self._next_row, until):
            self.row = row
            week = self.week = row - BURN_IN_WEEKS
            if week == 0:
                for proc in self.processes:
                    proc.start(self)
            self.ledger.clear()
            for proc in self.processes if week >= 0 else in_burn_in:
                started = clock()
                proc.step(self, week)
                timers[proc.name] += clock() - started
            started = clock()
            self._record(row, week)
            timers["record"] += clock() - started
        self._next_row = max(self._next_row, until)

    def _record(self, row: int, week: int) -> None:
        supply, assets, n = self.supply, self.assets, self.out.national
        stash = assets.stock[assets.kind == AssetKind.STASH].sum()
        n["stash_kg"][row] = stash / 1e6
        n["in_transit_kg"][row] = supply.in_transit.sum() / 1e6
        n["us_stock_kg"][row] = supply.us_stock_mg / 1e6
        n["cost_usd"][row] = self.out.lever_cost[row].sum()
        active = int(self.roster.counts.sum())
        n["members"][row] = active / self.scale
        if not self.check_invariants:
            return
        if (error := supply.balance_error(assets)) != 0:
            raise InvariantError(f"week {week}: fentanyl mass balance off by {error} mg")
        if (low := int(assets.stock.min(initial=0))) < 0:
            raise InvariantError(f"week {week}: a stock holds {low} mg or g")
        if (error := self.roster.headcount_error(active)) != 0:
            raise InvariantError(f"week {week}: headcount off by {error} members")


def _one_blas_thread():
    """One core per run: parallel work runs replicates in separate processes, and BLAS
    threads fighting over two cores made small matrix products ten times slower."""
    return threadpool_limits(limits=1, user_api="blas")


def _check_run_settings(weeks: Any, seed: Any, scale: Any) -> None:
    checks = (
        ("weeks", weeks, lambda v: fields.whole(_int_like(v), 1, MAX_WEEKS)),
        ("seed", seed, lambda v: fields.whole(_int_like(v), 0, MAX_SEED)),
        ("scale", scale, lambda v: fields.real(v, MIN_SCALE, 1.0)),
    )
    for name, value, check in checks:
        try:
            check(value)
        except ValueError as exc:
            raise FieldError(name, str(exc)) from None


def _int_like(value: Any) -> Any:
    """NumPy integers count as whole numbers (a seed from a SeedSequence is one)."""
    return int(value) if isinstance(value, np.integer) else value


__all__ = ["CartelsimError", "InvariantError", "Sim"]
