"""Violence in Mexico, per place and week.

Members die in conflict where organizations meet: the peer model's term θ·C_i·Σ_j K_ij C_j
(Prieto-Curiel et al. 2023) applied place by place, raised by the turmoil that follows a
removal (inside the organization and from rivals who smell weakness) and by violence spilling
over from neighbouring places. Rivals fight harder over a place whose fentanyl trade is worth
more than it was (Castillo, Mejía & Restrepo 2020: scarcity under inelastic demand raises the
value of contested territory), and less over one worth less. Groups hiding from strikes fight
less. Civilians die alongside members, and a baseline of homicides has nothing to do with
organized crime.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from cartelsim.params import WEEKS_PER_YEAR
from cartelsim.processes.border import relative_price
from cartelsim.processes.process import Process
from cartelsim.processes.removals import note_lieutenants, persons
from cartelsim.rng import poisson
from cartelsim.state.members import Status

USUAL_WEEKS = 26  # memory of a place's usual level of violence (assumption)
MOST_STAKES = 4.0  # assumption: a place is never fought over as if worth over 4× its start


class Violence(Process):
    name = "violence"
    section = "7.12"
    does = (
        "members die in conflict place by place, raised by turmoil, by violence spilling "
        "from neighbouring places above their usual level and, between rivals, by the value "
        "of the place's fentanyl trade against the start's; groups hiding from strikes fight "
        "less; civilians die with them; homicides "
        "add those killed by the state and by strikes this week, and homicides not linked to "
        "organized crime"
    )

    def __init__(self, sim):
        p, world = sim.params, sim.world
        self.mexican = sim.graph.is_mexican
        places = world.places
        rate = places["homicide_rate"].to_numpy() * places["population"].to_numpy() / 1e5
        self.other_per_week = np.where(self.mexican, rate * p.non_oc_homicide_share, 0.0) / (
            WEEKS_PER_YEAR
        )
        self.relations_version = sim.orgs.relations_version
        self.kernel = sim.orgs.conflict_kernel()
        counts = sim.roster.counts.astype(float)
        size = counts.sum(axis=1)
        national = (size * (self.kernel @ size)).sum()
        local = (counts * (self.kernel @ counts)).sum()
        # One constant so that, at the start, the place-by-place sum equals the peer model's
        # national conflict deaths (θ is per person; agents stand for 1/scale people).
        self.theta = p.conflict_theta / sim.scale * national / max(local, 1e-12)
        self.stakes = np.ones(world.n_places)
        self.trade_ref = np.zeros(world.n_places)  # what each place's trade was worth at week 0
        # Each place's usual level of conflict deaths (persons a week), a 26-week moving
        # average: only deaths above it spill over to the neighbours.
        expected = self._expected(sim, np.zeros(world.n_places))[0]
        sim.places.usual_conflict_deaths = expected.sum(axis=0) / sim.scale

    def start(self, sim) -> None:
        self.trade_ref = self._trade_value(sim)

    def _trade_value(self, sim) -> np.ndarray:
        """A place's fentanyl trade at the wholesale price (relative units)."""
        return sim.places.trade_mg * relative_price(sim)

    def _expected(self, sim, spill: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Expected deaths per (organization, place) and the cells where groups are present."""
        return _conflict(
            self.kernel, sim.roster.counts, sim.orgs.turmoil, sim.orgs.hiding, self.stakes,
            sim.params.internal_violence, self.theta, spill, sim.scale,
        )  # fmt: skip

    def step(self, sim, week: int) -> None:
        p, out, row, roster, state = sim.params, sim.out, sim.row, sim.roster, sim.places
        if sim.orgs.relations_version != self.relations_version:  # a change, or a split
            self.relations_version = sim.orgs.relations_version
            self.kernel = sim.orgs.conflict_kernel()
        ref = self.trade_ref
        relative = np.divide(self._trade_value(sim), ref, out=np.ones_like(ref), where=ref > 0)
        self.stakes = np.minimum(relative, MOST_STAKES) ** p.stakes_elasticity
        spill = p.violence_spread * (sim.graph.road_neighbours @ state.excess_conflict_deaths)
        expected, org, place = self._expected(sim, spill)
        deaths = poisson(sim.streams("violence.deaths", week), expected)
        ids = roster.sample(
            sim.streams("violence.victims", week), org, place, deaths[org, place],
            exclude_leaders=False,
        )  # fmt: skip
        note_lieutenants(sim, ids, np.full(ids.size, "rival"), week)
        roster.remove(ids, Status.KILLED)

        m = sim.members
        members_killed = np.bincount(
            m.place[ids], weights=persons(sim, ids), minlength=self.mexican.size
        )
        civilians = poisson(
            sim.streams("violence.civilians", week), p.civilians_per_member_killed * members_killed
        )
        other = poisson(sim.streams("violence.other", week), self.other_per_week)
        oc = members_killed + civilians + sim.ledger.killed_by_state + sim.ledger.strike_deaths
        usual = state.usual_conflict_deaths
        state.excess_conflict_deaths = np.maximum(members_killed - usual, 0.0)
        usual += (members_killed - usual) / USUAL_WEEKS
        homicides = oc + other
        out.place_homicides[row] = homicides
        n = out.national
        n["killed_in_conflict"][row] = members_killed.sum()
        n["civilians_killed_oc"][row] = civilians.sum()
        n["homicides_other"][row] = other.sum()
        n["mx_homicides"][row] = homicides.sum()


@njit(cache=True)
def _conflict(kernel, counts, turmoil, hiding, stakes, internal, theta, spill, scale):
    """Expected conflict deaths per (organization, place): θ·F_i·(stakes·((1+T_i)·Σ_j K_ij F_j
    + Σ_j K_ij T_j F_j) + internal·T_i·F_i), F the members fighting (hiding ones fight less),
    T the turmoil, plus the spill shared by headcount (scaled to agents). Only organizations
    present in a place meet there, so the sums run over those few (a place holds a handful of
    the hundreds of groups); those (organization, place) cells come back too, in row order,
    the only ones where deaths can happen."""
    n_orgs, n_places = counts.shape
    expected = np.zeros((n_orgs, n_places))
    present = np.empty(n_orgs, np.int64)
    fighting = np.empty(n_orgs)
    for p in range(n_places):
        n = 0
        in_place = 0
        for i in range(n_orgs):
            if counts[i, p] != 0:
                present[n] = i
                fighting[n] = counts[i, p] * (1.0 - hiding[i])
                in_place += counts[i, p]
                n += 1
        for a in range(n):
            i = present[a]
            plain = 0.0
            stirred = 0.0
            for b in range(n):
                j = present[b]
                plain += kernel[i, j] * fighting[b]
                stirred += kernel[i, j] * (turmoil[j, p] * fighting[b])
            between = (1.0 + turmoil[i, p]) * plain + stirred
            inside = internal * turmoil[i, p] * fighting[a]
            expected[i, p] = theta * fighting[a] * (between * stakes[p] + inside)
            expected[i, p] += spill[p] * (counts[i, p] / in_place) * scale
    org = np.empty(counts.size, np.int64)
    place = np.empty(counts.size, np.int64)
    n = 0
    for i in range(n_orgs):
        for p in range(n_places):
            if counts[i, p] != 0:
                org[n], place[n] = i, p
                n += 1
    return expected, org[:n], place[:n]
