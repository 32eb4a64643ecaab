"""The organizations' core written twice, the idiomatic Mesa 3 way and the cartelsim way, timed
per agent-week and checked against the deterministic peer model (issue 17).

    python benchmarks/mesa_side_by_side.py [--quick] [--repeats 3] [--weeks 52]
        [--scales 0.01,0.1,1] [--seeds 10] [--check-scale 0.1]

The core: the 150 groups of Prieto-Curiel et al. (2023) at the peer model's weekly rates. Each
week group i recruits Poisson(ρ·C_i) members; each member is incapacitated with probability
η/C, killed in conflict with θ·Σ_j K_ij·C_j, or lost to saturation with ω·C_i (one competing
draw, rates from the sizes at the start of the week, recruits joining at its end: the
reference's forward-Euler week). Needs the `bench` extra (Mesa); Mesa is no runtime dependency.
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import mesa
import numpy as np

import cartelsim
from cartelsim.reference.prieto_curiel import (
    ReferenceParams,
    conflict_matrix,
    initial_sizes,
    simulate,
)
from cartelsim.rng import Streams, binomial_from, poisson
from cartelsim.state.build import largest_remainder
from cartelsim.state.members import Members, Role, Status
from cartelsim.state.roster import Roster
from cartelsim.world.bacrim import GroupNetwork, load_group_network

FLOWS = ("recruits", "incapacitated", "killed", "saturated")


@dataclass(frozen=True)
class AgentRates:
    """The peer model's rates in agent units at one scale (an agent stands for 1/scale people),
    scaled so that expected headcounts stay proportional to the reference's."""

    scale: float
    rho: float  # recruits per agent per week (per capita: unchanged by the scale)
    eta: float  # agents incapacitated per week in all (η·scale)
    theta: float  # conflict lethality per pair of agents, weighted by K (θ/scale)
    omega: float  # saturation per agent squared (ω/scale)
    k: np.ndarray  # conflict weights K_ij

    @classmethod
    def at_scale(cls, scale: float, params: ReferenceParams, network: GroupNetwork) -> AgentRates:
        return cls(
            scale=scale,
            rho=params.rho,
            eta=params.eta * scale,
            theta=params.theta / scale,
            omega=params.omega / scale,
            k=conflict_matrix(network),
        )


def loss_probabilities(rates: AgentRates, size: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """Per-member weekly probabilities of each loss in each group (both versions use these, so
    they differ only in how they draw): incapacitated, killed in conflict, saturation."""
    total = size.sum()
    arrest = min(rates.eta / total, 1.0) if total > 0 else 0.0
    return arrest, rates.theta * (rates.k @ size), rates.omega * size


def start_agents(scale: float, params: ReferenceParams, network: GroupNetwork) -> np.ndarray:
    """Whole agents per group: the reference's 1/rank split of its start, times the scale."""
    sizes = initial_sizes(network, params.start_members)
    return largest_remainder(max(round(params.start_members * scale), 1), sizes)


@dataclass
class Trajectory:
    """Members at the start of each week (weeks + 1 values) and each week's flows, in agents."""

    members: list[float] = field(default_factory=list)
    recruits: list[float] = field(default_factory=list)
    incapacitated: list[float] = field(default_factory=list)
    killed: list[float] = field(default_factory=list)
    saturated: list[float] = field(default_factory=list)

    @property
    def agent_weeks(self) -> float:
        return float(sum(self.members[:-1]))

    def totals(self) -> dict[str, float]:
        """Members after the last week and each flow summed over the run."""
        return {"members": self.members[-1]} | {name: sum(getattr(self, name)) for name in FLOWS}


def reference_trajectory(
    start: np.ndarray, rates: AgentRates, weeks: int, params: ReferenceParams, network: GroupNetwork
) -> Trajectory:
    """The deterministic peer model from the same start, in agents."""
    run = simulate(params, weeks=weeks, network=network, start_sizes=start / rates.scale)
    w, s = run.weekly, rates.scale
    return Trajectory(
        members=list(w["members"] * s),
        recruits=list(w["recruits"][:-1] * s),
        incapacitated=list(w["incapacitated"][:-1] * s),
        killed=list(w["conflict_deaths"][:-1] * s),
        saturated=list(w["saturation_losses"][:-1] * s),
    )


def expected_variance(ref: Trajectory) -> dict[str, np.ndarray]:
    """Variance, to first order, of the members at the start of each week and of each flow summed
    up to each week's end: each week's recruits (Poisson) and losses (binomial, tiny p) add their
    expected count. What a deviation grows by afterwards (net growth ≈ 0.1% a week) is left out:
    under 10% of the variance over a year."""
    flows = {name: np.cumsum(getattr(ref, name)) for name in FLOWS}
    members = np.concatenate(([0.0], np.add.reduce(list(flows.values()))))
    return {"members": members} | flows


# --- 1. The idiomatic Mesa 3 way: one Python object per member, AgentSet operations. ---------


class Member(mesa.Agent):
    """A cartel member: one object with its group; each week one uniform decides whether it is
    incapacitated, killed, lost to saturation or stays (competing risks)."""

    def __init__(self, model: CoreModel, group: int) -> None:
        super().__init__(model)
        self.group = group

    def step(self) -> None:
        arrest, killed, lost = self.model.thresholds[self.group]
        u = self.random.random()
        if u >= lost:
            return
        if u < arrest:
            self.model.week_flows["incapacitated"] += 1
        elif u < killed:
            self.model.week_flows["killed"] += 1
        else:
            self.model.week_flows["saturated"] += 1
        self.remove()


class CoreModel(mesa.Model):
    """The groups' core as a Mesa user writes it: counts by `groupby`, members stepped in random
    order by `shuffle_do`, recruits made by `create_agents`."""

    def __init__(self, start: np.ndarray, rates: AgentRates, seed: int) -> None:
        super().__init__(seed=seed)
        self.rates = rates
        self.n_groups = start.size
        self.thresholds: list[list[float]] = []
        self.week_flows = dict.fromkeys(FLOWS, 0)
        self.trajectory = Trajectory(members=[int(start.sum())])
        Member.create_agents(self, int(start.sum()), group=_groups_of(start))

    def step(self) -> None:
        counts = self.agents.groupby("group", result_type="list").count()
        size = np.zeros(self.n_groups)
        size[list(counts)] = list(counts.values())
        arrest, killed, lost = loss_probabilities(self.rates, size)
        edges = np.cumsum([np.full(size.size, arrest), killed, lost], axis=0)
        self.thresholds = np.minimum(edges, 1.0).T.tolist()
        self.week_flows = dict.fromkeys(FLOWS, 0)
        self.agents.shuffle_do("step")
        recruits = self.rng.poisson(self.rates.rho * size)
        Member.create_agents(self, int(recruits.sum()), group=_groups_of(recruits))
        self.week_flows["recruits"] = int(recruits.sum())
        t = self.trajectory
        for name, value in self.week_flows.items():
            getattr(t, name).append(value)
        t.members.append(len(self.agents))


def _groups_of(counts: np.ndarray) -> list[int]:
    return np.repeat(np.arange(counts.size), counts).tolist()


def run_mesa(
    start: np.ndarray, rates: AgentRates, weeks: int, seed: int
) -> tuple[Trajectory, float]:
    """One Mesa run: its trajectory and the seconds its weeks took (building excluded)."""
    model = CoreModel(start, rates, seed)
    began = time.perf_counter()
    for _ in range(weeks):
        model.step()
    return model.trajectory, time.perf_counter() - began


# --- 2. The cartelsim way: struct-of-arrays, events drawn by count then chosen by index. -----


class ArrayCore:
    """The same core on cartelsim's own pieces: a `Members` table (group id and status columns),
    a `Roster` keeping counts per group in step with every change, counts of events per group
    from one uniform each (`binomial_from`, `poisson`), then members picked by index
    (`Roster.sample`): the work grows with groups and events, not with members."""

    def __init__(self, start: np.ndarray, rates: AgentRates, seed: int) -> None:
        n = int(start.sum())
        self.rates = rates
        self.groups = np.arange(start.size)
        self.anywhere = np.full(start.size, -1)
        self.members = Members(capacity=int(n * 1.5) + 64)
        self.members.add(n, org=np.repeat(self.groups, start), role=Role.LOOKOUT, joined=-1)
        self.roster = Roster(self.members, start.size, 1)
        self.streams = Streams(seed)
        self.trajectory = Trajectory(members=[n])

    def step(self, week: int) -> None:
        rates, roster, groups = self.rates, self.roster, self.groups
        size = roster.counts[:, 0].astype(float)
        arrest, killed, lost = loss_probabilities(rates, size)
        rng = self.streams("organizations.core", week)  # one stream a week, drawn in bulk
        # Competing risks, a multinomial per group as successive conditional binomials.
        u = rng.random((3, groups.size))
        n_arrest = binomial_from(u[0], size, arrest)
        rest = size - n_arrest
        n_killed = binomial_from(u[1], rest, killed / (1.0 - arrest))
        n_lost = binomial_from(u[2], rest - n_killed, lost / (1.0 - arrest - killed))
        # Who: one draw of every group's losers by index, in random order within each group;
        # the first n_arrest of a group are incapacitated, the next n_killed killed.
        ids = roster.sample(rng, groups, self.anywhere, n_arrest + n_killed + n_lost, False)
        group = self.members.org[ids]
        order = np.argsort(group, kind="stable")
        ids, group = ids[order], group[order]
        rank = np.arange(ids.size) - np.searchsorted(group, group)
        arrested = rank < n_arrest[group]
        dead = ~arrested & (rank < (n_arrest + n_killed)[group])
        left = ~arrested & ~dead
        t = self.trajectory
        for name, chosen, status in (
            ("incapacitated", arrested, Status.ARRESTED),
            ("killed", dead, Status.KILLED),
            ("saturated", left, Status.RETIRED),
        ):
            roster.remove(ids[chosen], status)
            getattr(t, name).append(int(np.count_nonzero(chosen)))
        recruits = poisson(rng, rates.rho * size)
        ids = self.members.add(
            int(recruits.sum()), org=np.repeat(groups, recruits), role=Role.LOOKOUT, joined=week
        )
        roster.added(ids)
        t.recruits.append(int(ids.size))
        t.members.append(int(roster.counts.sum()))

    def headcount_error(self) -> int:
        """0 when the counts per group, the status column and start + joined − left agree."""
        return self.roster.headcount_error(int(self.roster.counts.sum()))


def run_arrays(
    start: np.ndarray, rates: AgentRates, weeks: int, seed: int
) -> tuple[Trajectory, float]:
    """One cartelsim-way run: its trajectory and the seconds its weeks took (building
    excluded)."""
    core = ArrayCore(start, rates, seed)
    began = time.perf_counter()
    for week in range(weeks):
        core.step(week)
    seconds = time.perf_counter() - began
    if core.headcount_error():
        raise AssertionError("headcount not conserved")
    return core.trajectory, seconds


RUNNERS = {"mesa": run_mesa, "cartelsim": run_arrays}


# --- Timing and the equivalence check. -------------------------------------------------------


Runner = Callable[[np.ndarray, AgentRates, int, int], tuple[Trajectory, float]]


def time_per_agent_week(
    runner: Runner, start: np.ndarray, rates: AgentRates, weeks: int, repeats: int
) -> float:
    """Median over repeats (seeds 0, 1, …) of the seconds per agent-week, after one short
    untimed run (compiled helpers, caches)."""
    runner(start, rates, 2, 999)
    per = []
    for seed in range(repeats):
        traj, seconds = runner(start, rates, weeks, seed)
        per.append(seconds / traj.agent_weeks)
    return statistics.median(per)


def equivalence(
    scale: float, weeks: int, seeds: int, params: ReferenceParams, network: GroupNetwork
) -> list[dict]:
    """For each version and each quantity (members after the last week, each flow summed over
    the run): mean and standard error over seeds, the reference value, the standard error that
    Poisson/binomial noise predicts and z = (mean − reference) / predicted s.e."""
    start = start_agents(scale, params, network)
    rates = AgentRates.at_scale(scale, params, network)
    ref = reference_trajectory(start, rates, weeks, params, network)
    variance = {name: v[-1] for name, v in expected_variance(ref).items()}
    rows = []
    for version, runner in RUNNERS.items():
        runs = [runner(start, rates, weeks, 1000 + seed)[0].totals() for seed in range(seeds)]
        for name, ref_value in ref.totals().items():
            values = [run[name] for run in runs]
            mean, se = statistics.fmean(values), statistics.stdev(values) / math.sqrt(seeds)
            predicted = math.sqrt(variance[name] / seeds)
            rows.append(
                {"version": version, "quantity": name, "mean": mean, "se": se, "ref": ref_value}
                | {"predicted_se": predicted, "z": (mean - ref_value) / predicted}
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tiny run: scale 0.01, 8 weeks")
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="Mesa runs per scale (cartelsim: three times as many, at least 5)",
    )
    parser.add_argument("--weeks", type=int, default=52)
    parser.add_argument("--scales", default="0.01,0.1,1", help="comma-separated")
    parser.add_argument("--seeds", type=int, default=10, help="seeds of the equivalence check")
    parser.add_argument("--check-scale", type=float, default=0.1)
    args = parser.parse_args(argv)
    scales = [float(s) for s in args.scales.split(",")]
    weeks, seeds, check_scale = args.weeks, args.seeds, args.check_scale
    if args.quick:
        scales, weeks, seeds, check_scale = [0.01], 8, 4, 0.01

    fast_repeats = max(3 * args.repeats, 5)  # the fast side's runs are short and noisier
    params, network = ReferenceParams(), load_group_network()
    print(
        f"cartelsim {cartelsim.__version__} · Mesa {mesa.__version__} · Python "
        f"{platform.python_version()} · numpy {np.__version__} · {platform.machine()}"
    )
    print(
        f"{len(network)} groups, {weeks} weeks; median of {args.repeats} Mesa runs and "
        f"{fast_repeats} cartelsim runs; building the agents is not timed\n"
    )
    print("| scale | agents at start | Mesa s/agent-week | cartelsim s/agent-week | ratio |")
    print("|---:|---:|---:|---:|---:|")
    per_week = []
    for scale in scales:
        start = start_agents(scale, params, network)
        rates = AgentRates.at_scale(scale, params, network)
        mesa_s = time_per_agent_week(run_mesa, start, rates, weeks, args.repeats)
        ours = time_per_agent_week(run_arrays, start, rates, weeks, fast_repeats)
        print(
            f"| {scale:g} | {int(start.sum()):,} | {mesa_s:.3g} | {ours:.3g} | "
            f"{mesa_s / ours:,.0f}× |"
        )
        agents = int(start.sum())
        per_week.append(
            f"{mesa_s * agents * 1e3:.3g} and {ours * agents * 1e3:.3g} ms at {scale:g}"
        )
    print(f"\nA week (at the start's headcount), Mesa and cartelsim: {'; '.join(per_week)}")

    print(
        f"\nEquivalence at scale {check_scale:g}, {weeks} weeks, {seeds} seeds each: mean ± "
        "s.e. against the deterministic reference (members after the last week; flows summed)\n"
    )
    rows = equivalence(check_scale, weeks, seeds, params, network)
    print("| version | quantity | mean ± s.e. | reference | predicted s.e. | z |")
    print("|---|---|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['version']} | {r['quantity']} | {r['mean']:,.1f} ± {r['se']:.1f} | "
            f"{r['ref']:,.1f} | {r['predicted_se']:.1f} | {r['z']:+.2f} |"
        )
    worst = max(abs(r["z"]) for r in rows)
    ok = worst < 4
    print(f"\n{'PASS' if ok else 'FAIL'}: largest |z| {worst:.2f} (limit 4)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
