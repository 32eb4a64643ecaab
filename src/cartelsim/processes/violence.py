"""Violence in Mexico, per place and week.

Members die in conflict where organizations meet: the peer model's term θ·C_i·Σ_j K_ij C_j
(Prieto-Curiel et al. 2023) applied place by place, raised by the turmoil that follows a
removal (inside the organization and from rivals who smell weakness) and by violence spilling
over from neighbouring places. Civilians die alongside members, and a baseline of homicides has
nothing to do with organized crime.
"""

from __future__ import annotations

import numpy as np

from cartelsim.params import WEEKS_PER_YEAR
from cartelsim.processes.removals import note_lieutenants
from cartelsim.rng import poisson
from cartelsim.state.members import Status

USUAL_WEEKS = 26  # memory of a place's usual level of violence (assumption)


class Violence:
    name = "violence"

    def __init__(self, sim):
        p, world = sim.params, sim.world
        self.mexican = sim.graph_is_mexican
        places = world.places
        rate = places["homicide_rate"].to_numpy() * places["population"].to_numpy() / 1e5
        self.other_per_week = np.where(self.mexican, rate * p.non_oc_homicide_share, 0.0) / (
            WEEKS_PER_YEAR
        )
        self.neighbours = _road_neighbours(world, self.mexican)
        self.kernel = sim.orgs.conflict_kernel()
        counts = sim.roster.counts.astype(float)
        size = counts.sum(axis=1)
        national = (size * (self.kernel @ size)).sum()
        local = (counts * (self.kernel @ counts)).sum()
        # One constant so that, at the start, the place-by-place sum equals the peer model's
        # national conflict deaths (θ is per person; agents stand for 1/scale people).
        self.theta = p.conflict_theta / sim.scale * national / max(local, 1e-12)
        # Each place's usual level of conflict deaths (persons a week), a 26-week moving
        # average: only deaths above it spill over to the neighbours.
        self.usual = self._expected(sim, counts).sum(axis=0) / sim.scale
        self.last_excess = np.zeros(world.n_places)

    def _expected(self, sim, counts: np.ndarray) -> np.ndarray:
        turmoil = sim.turmoil
        between = (1.0 + turmoil) * (self.kernel @ counts) + self.kernel @ (turmoil * counts)
        inside = sim.params.internal_violence * turmoil * counts
        return self.theta * counts * (between + inside)

    def step(self, sim, week: int) -> None:
        p, out, row, roster = sim.params, sim.out, sim.row, sim.roster
        if sim.kernel_changed:
            self.kernel = sim.orgs.conflict_kernel()
            sim.kernel_changed = False
        counts = roster.counts.astype(float)
        expected = self._expected(sim, counts)
        spill = p.violence_spread * (self.neighbours @ self.last_excess)
        in_place = counts.sum(axis=0)
        expected += (
            spill[None, :]
            * np.divide(counts, in_place, out=np.zeros_like(counts), where=in_place > 0)
            * sim.scale
        )
        deaths = poisson(sim.streams("violence.deaths", week), expected)
        org, place = np.nonzero(deaths)
        ids = roster.sample(
            sim.streams("violence.victims", week),
            org,
            place,
            deaths[org, place],
            exclude_leaders=False,
        )
        note_lieutenants(sim, ids, np.full(ids.size, "rival"), week)
        roster.remove(ids, Status.KILLED)

        m = sim.members
        members_killed = np.bincount(m.place[ids], minlength=counts.shape[1]) / sim.scale
        civilians = poisson(
            sim.streams("violence.civilians", week), p.civilians_per_member_killed * members_killed
        )
        other = poisson(sim.streams("violence.other", week), self.other_per_week)
        by_state = out.place_killed_by_state[row]
        strikes = out.place_strike_deaths[row]
        oc = members_killed + civilians + by_state + strikes
        self.last_excess = np.maximum(members_killed - self.usual, 0.0)
        self.usual += (members_killed - self.usual) / USUAL_WEEKS
        out.place_homicides[row] = oc + other
        out.place_homicides_oc[row] = oc
        n = out.national
        n["killed_in_conflict"][row] = members_killed.sum()
        n["civilians_killed_oc"][row] = civilians.sum()
        n["homicides_other"][row] = other.sum()
        n["mx_homicides"][row] = (oc + other).sum()


def _road_neighbours(world, mexican: np.ndarray) -> np.ndarray:
    """Adjacency of Mexican places by road, each column summing to one: a place's excess
    violence is shared among its neighbours."""
    n = world.n_places
    adj = np.zeros((n, n))
    links = world.links[world.links["kind"] == "road"]
    adj[links["source"], links["target"]] = 1.0
    adj[links["target"], links["source"]] = 1.0
    adj[~mexican] = 0.0
    adj[:, ~mexican] = 0.0
    degree = adj.sum(axis=0, keepdims=True)
    return np.divide(adj, degree, out=np.zeros_like(adj), where=degree > 0)
