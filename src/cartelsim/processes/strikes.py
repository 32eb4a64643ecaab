"""Drone strikes on a target deck built by surveillance: members (leaders, lieutenants,
logistics, or the best-connected), labs, stash houses, and vehicles carrying loads to the
border. Every planned strike is carried out or counted with the reason it was not (consent
refused, no identified target, the civilian-risk limit). A strike aimed at a misidentified
target kills the wrong people; one that hits kills its target and the members with it;
civilians die by misidentification and collateral damage. Deaths per strike follow the
independent counts of the Pakistan campaign (CALIBRATION.md B14).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from cartelsim.processes.process import Process
from cartelsim.processes.removals import count_killed, note_lieutenants, take_out
from cartelsim.rng import poisson
from cartelsim.state.assets import AssetKind, AssetStatus
from cartelsim.state.members import Role, Status

DENSITY = {"rural": 0.5, "mixed": 1.0, "urban": 2.0}  # collateral deaths relative to mixed
DOCTRINE_ROLES = {
    "leaders": (Role.LEADER,),
    "lieutenants": (Role.LIEUTENANT,),
    "logistics": (Role.LOGISTICS, Role.COOK),
}
# The roles each member doctrine aims at, as a table indexed by role.
ROLE_TABLE = {
    doctrine: np.isin(np.arange(len(Role)), roles) for doctrine, roles in DOCTRINE_ROLES.items()
}
ALL_ROLES = np.ones(len(Role), np.bool_)
ACTIVE = int(Status.ACTIVE)
SITES = {"labs": AssetKind.LAB, "stashes": AssetKind.STASH}
MEMBER, LOAD = "member", "load"  # Deck.kind besides the asset sites


@dataclass
class Deck:
    """Identified targets of one doctrine: member or asset ids (for loads, the cell of
    `SupplyState.in_transit`), where they are, how well they are known, and the organization
    each belongs to."""

    ids: np.ndarray
    place: np.ndarray
    exposure: np.ndarray
    org: np.ndarray
    kind: AssetKind | str  # an asset site, MEMBER or LOAD

    def keep(self, which: np.ndarray) -> Deck:
        """The targets a boolean mask or an index array picks."""
        return Deck(
            self.ids[which], self.place[which], self.exposure[which], self.org[which], self.kind
        )


class Strikes(Process):
    name = "strikes"
    section = "7.17"
    does = (
        "planned drone strikes are refused (joint strikes below the cooperation Mexico "
        "needs), find no identified target, or exceed the civilian-risk limit; the rest are "
        "carried out: some targets are misidentified; hits kill the target and members with "
        "it, destroy labs and stashes; civilians die by misidentification and collateral "
        "damage"
    )

    def __init__(self, sim):
        self.density = sim.world.places["density"].map(DENSITY).to_numpy()

    def expected_civilians(self, sim, place: np.ndarray, exposure: np.ndarray) -> np.ndarray:
        p = sim.params
        return (
            self.misidentified(sim, exposure) * p.misidentified_civilians
            + p.collateral_civilians * self.density[place]
        )

    def misidentified(self, sim, exposure: np.ndarray) -> np.ndarray:
        """Chance the target is not who intelligence thinks: the parameter's value at the
        identification threshold, falling to zero as exposure reaches 1."""
        p = sim.params
        room = max(1.0 - p.identified_threshold, 1e-9)
        return p.misidentification * np.clip((1.0 - exposure) / room, 0.0, 1.0)

    def step(self, sim, week: int) -> None:
        effort, p, n, row = sim.effort, sim.params, sim.out.national, sim.row
        if effort.strikes <= 0:
            return
        planned = int(poisson(sim.streams("strikes.count", week), np.array([effort.strikes]))[0])
        n["strikes_planned"][row] = planned
        if effort.strike_consent == "joint" and sim.governments.cooperation < p.joint_threshold:
            n["strikes_refused"][row] = planned  # Mexico withdrew its consent
            return
        # Nothing known about a target (exposure 0, possible at identified_threshold = 0)
        # gives nothing to aim at.
        deck = self._deck(sim, effort.strike_doctrine, week)
        deck = deck.keep(deck.exposure > 0)
        aimable = min(planned, deck.ids.size)
        deck = deck.keep(
            self.expected_civilians(sim, deck.place, deck.exposure) <= effort.strike_civilian_limit
        )
        count = min(aimable, deck.ids.size)
        n["strikes_no_target"][row] = planned - aimable
        n["strikes_over_civilian_limit"][row] = aimable - count
        if count == 0:
            return
        rng = sim.streams("strikes", week)
        chosen = deck.keep(
            rng.choice(deck.ids.size, count, replace=False, p=deck.exposure / deck.exposure.sum())
        )
        wrong = rng.random(count) < self.misidentified(sim, chosen.exposure)
        hit = ~wrong & (rng.random(count) < p.strike_hit_prob)
        civilians = poisson(
            rng,
            np.where(wrong, p.misidentified_civilians, 0.0)
            + p.collateral_civilians * self.density[chosen.place],
        )
        killed = self._hit(sim, week, rng, chosen.keep(hit))
        if effort.strike_consent == "unilateral":
            sim.governments.unilateral_strikes += count
        else:
            sim.governments.joint_strikes += count
        sim.add_cost("strikes", count * p.cost_strike_usd)
        np.add.at(sim.ledger.strike_deaths, chosen.place, civilians)
        n["strikes"][row] = count
        n["strike_misidentified"][row] = wrong.sum()
        n["strike_civilian_deaths"][row] = civilians.sum()
        n["strike_deaths"][row] = civilians.sum() + killed
        n["labs_struck"][row] = hit.sum() if chosen.kind == AssetKind.LAB else 0

    def _deck(self, sim, doctrine: str, week: int) -> Deck:
        """The identified targets of the designated cartels under this doctrine."""
        p = sim.params
        if doctrine == "loads":
            return self._loads(sim, week)
        if doctrine in SITES:
            a = sim.assets
            sites = a.of_kind(SITES[doctrine])
            sites = sites[
                (a.status[sites] == AssetStatus.ACTIVE)
                & (a.exposure[sites] >= p.identified_threshold)
                & sim.orgs.designated[a.org[sites]]
            ]
            return Deck(
                sites,
                a.place[sites].astype(np.int64),
                a.exposure[sites].astype(float),
                a.org[sites].astype(np.int64),
                SITES[doctrine],
            )
        m = sim.members
        # Every role for the network doctrine, which picks the best-connected after.
        roles = ALL_ROLES if doctrine == "network" else ROLE_TABLE[doctrine]
        threshold = m.exposure.dtype.type(p.identified_threshold)  # compared as NumPy would
        deck = Deck(
            *_identified(
                m.exposure, m.status, m.org, m.role, m.place, sim.orgs.designated, threshold, roles
            ),
            MEMBER,
        )
        if doctrine == "network":
            active = m.status == Status.ACTIVE
            under = np.bincount(m.superior[active & (m.superior >= 0)], minlength=m.count)
            deck = deck.keep(
                np.argsort(-under[deck.ids], kind="stable")[: max(deck.ids.size // 10, 1)]
            )
        return deck

    def _loads(self, sim, week: int) -> Deck:
        """Vehicles seen from the air on their way to the border: a load is spotted at
        `load_sightings_per_flight_hour`; seen from the air, a vehicle is known only at the
        identification threshold, so the misidentification chance is the parameter's own."""
        p, supply = sim.params, sim.supply
        load_mg = max(int(p.inland_load_kg * 1e6), 1)
        loads = supply.in_transit // load_mg
        loads[~sim.orgs.designated[: loads.shape[0]]] = 0
        cells = np.flatnonzero(loads)
        rng = sim.streams("strikes.loads", week)
        wanted = poisson(
            rng, np.array([sim.effort.flight_hours * p.load_sightings_per_flight_hour])
        )
        seen = min(int(wanted[0]), int(loads.sum()))
        counts = loads.ravel()[cells]
        picked = np.repeat(cells, counts)[rng.choice(counts.sum(), seen, replace=False)]
        org, crossing = np.unravel_index(picked, loads.shape)
        return Deck(
            picked,
            sim.graph.crossings[crossing].astype(np.int64),
            np.full(seen, p.identified_threshold, dtype=float),
            org.astype(np.int64),
            LOAD,
        )

    def _hit(self, sim, week, rng, deck: Deck) -> float:
        """Apply the hits: targets killed or destroyed, and the members with them; return the
        members killed, in persons."""
        p = sim.params
        killed = 0.0
        if deck.kind == AssetKind.LAB:  # rebuilt after a while, as a raided lab
            a = sim.assets
            a.status[deck.ids] = AssetStatus.DESTROYED
            a.ready_week[deck.ids] = week + max(round(p.lab_rebuild_weeks), 1)
            a.exposure[deck.ids] = 0.0
        elif deck.kind == AssetKind.STASH:  # its fentanyl is destroyed; the group moves house
            a = sim.assets
            self._destroyed(sim, int(a.stock[deck.ids].sum()))
            a.stock[deck.ids] = 0
            a.exposure[deck.ids] = 0.0  # the new house must be found again
        elif deck.kind == LOAD:  # the vehicle and its load
            transit = sim.supply.in_transit.ravel()
            load_mg = np.minimum(transit[deck.ids], max(int(p.inland_load_kg * 1e6), 1))
            np.subtract.at(transit, deck.ids, load_mg)
            self._destroyed(sim, int(load_mg.sum()))
        else:
            # A strike kills one person. A commander is one agent at any scale; any other
            # agent stands for 1/scale people, so it leaves the roster with chance `scale`.
            commander = sim.members.role[deck.ids] <= Role.LIEUTENANT
            gone = commander | (rng.random(deck.ids.size) < sim.scale)
            for member in deck.ids[gone]:
                take_out(sim, int(member), "kill", week, by_strike=True, counted=1.0)
            for place in deck.place[~gone]:
                count_killed(sim, int(place), 1.0, by_strike=True)
            killed += deck.ids.size
        # The members with the target (guards, drivers, cooks) die with it: drawn in persons,
        # each the loss of an agent with chance `scale`, so the toll does not depend on it.
        with_it = p.load_occupants if deck.kind == LOAD else p.bystander_members
        near = poisson(rng, np.full(deck.ids.size, with_it))
        agents = rng.binomial(near, sim.scale)
        nearby = sim.roster.sample(rng, deck.org, deck.place, agents, exclude_leaders=False)
        note_lieutenants(sim, nearby, np.full(nearby.size, "kill"), week)
        sim.roster.remove(nearby, Status.KILLED)
        np.add.at(sim.orgs.losses_to_state, sim.members.org[nearby], 1)
        for place, people in zip(deck.place, near, strict=True):
            if people:
                count_killed(sim, int(place), float(people), by_strike=True)
        return killed + float(near.sum())

    def _destroyed(self, sim, mg: int) -> None:
        """Fentanyl destroyed by a strike leaves the supply chain (the mass balance's
        "strike")."""
        sim.supply.seized_mg["strike"] += mg
        sim.out.national["destroyed_by_strikes_kg"][sim.row] += mg / 1e6


@njit(cache=True)
def _identified(exposure, status, org, role, place, designated, threshold, roles):
    """The active members of the designated cartels known at the threshold whose role is in
    the table, in id order (one pass over the members instead of a mask per condition): ids,
    places, exposures and organizations."""
    ids = np.empty(exposure.size, np.int64)
    n = 0
    for i in range(exposure.size):
        if (
            exposure[i] >= threshold
            and status[i] == ACTIVE
            and designated[org[i]]
            and roles[role[i]]
        ):
            ids[n] = i
            n += 1
    ids = ids[:n]
    where, known, group = np.empty(n, np.int64), np.empty(n), np.empty(n, np.int64)
    for k in range(n):
        where[k], known[k], group[k] = place[ids[k]], exposure[ids[k]], org[ids[k]]
    return ids, where, known, group
