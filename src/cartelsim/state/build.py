"""The population of week 0: synthetic members and assets generated from aggregate figures."""

from __future__ import annotations

import numpy as np

from cartelsim.errors import DataError
from cartelsim.params import Params
from cartelsim.reference.prieto_curiel import simulate
from cartelsim.state.assets import AssetKind, Assets
from cartelsim.state.inputs import dates
from cartelsim.state.members import Members, Role
from cartelsim.state.organizations import OrgTable
from cartelsim.state.supply import SupplyState
from cartelsim.world.world import RelationChange, World

# Shares of rank-and-file roles (assumption: no census of cartel roles exists; enforcers and
# lookouts dominate the headcount in every published description).
ROLE_SHARES = {Role.LOGISTICS: 0.08, Role.ENFORCER: 0.35, Role.LAUNDERER: 0.02}
COOKS_PER_LAB = 3  # assumption
VEHICLE_TRIPS_PER_WEEK = 2  # assumption: a vehicle makes two runs north a week
RANK_OF_ROLE = np.array([3, 2, 1, 1, 1, 0, 1], np.int8)  # indexed by Role


def largest_remainder(total: int, weights: np.ndarray) -> np.ndarray:
    """Whole numbers proportional to weights that add up to total exactly."""
    raw = total * weights / weights.sum()
    out = np.floor(raw).astype(np.int64)
    short = total - out.sum()
    if short:
        out[np.argsort(out - raw, kind="stable")[:short]] += 1
    return out


def sample_rows(rng: np.random.Generator, cdf: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """For each entry of rows, a column drawn from that row of a row-wise CDF (vectorized)."""
    n_cols = cdf.shape[1]
    u = np.minimum(rng.random(rows.size), 1 - 1e-12)
    flat = (cdf + np.arange(cdf.shape[0])[:, None]).ravel()
    return np.searchsorted(flat, rows + u, side="right") - rows * n_cols


def build_labs(world: World, params: Params, rng: np.random.Generator, assets: Assets) -> None:
    weights = (
        world.places["lab_weight"].to_numpy()[:, None]
        * world.presence
        * world.orgs.fentanyl_share[None, :]
    )
    if weights.sum() <= 0:
        raise DataError(
            "no organization can hold a lab: lab_weight × presence × "
            "fentanyl_share is zero everywhere (places.csv, presence.csv, "
            "organizations.csv)"
        )
    counts = rng.multinomial(int(params.labs), (weights / weights.sum()).ravel())
    cells = np.repeat(np.arange(counts.size), counts)
    place, org = np.divmod(cells, world.orgs.n)
    assets.add(
        cells.size,
        kind=AssetKind.LAB,
        org=org,
        place=place,
        capacity=params.lab_capacity_kg_week,
        ready_week=0,
    )


def start_shares(year: int) -> np.ndarray:
    """Each group's share of members in the start year, from the reference model's run from
    2012 (Prieto-Curiel et al. 2023), so the agent model starts where the peer model stands."""
    sizes = simulate(end_year=year).final_sizes
    return sizes / sizes.sum()


def build_members(
    world: World,
    params: Params,
    scale: float,
    rng: np.random.Generator,
    orgs: OrgTable,
    cooks_per_org: np.ndarray,
) -> tuple[Members, np.ndarray]:
    n_agents = max(round(params.members_start * scale), 1)
    sizes = largest_remainder(n_agents, start_shares(int(params.start_year)))
    members = Members(capacity=int(n_agents * 1.5))

    # Command: one leader per organization, one lieutenant per place where it is present.
    n_orgs = world.orgs.n
    leaders = members.add(
        n_orgs,
        org=np.arange(n_orgs),
        role=Role.LEADER,
        rank=RANK_OF_ROLE[Role.LEADER],
        superior=-1,
        place=_home_place(world),
        joined=-1,
    )
    orgs.leader[:n_orgs] = leaders
    lt_place, lt_org = np.nonzero(world.presence)
    lieutenants = members.add(
        lt_org.size,
        org=lt_org,
        role=Role.LIEUTENANT,
        rank=RANK_OF_ROLE[Role.LIEUTENANT],
        superior=leaders[lt_org],
        place=lt_place,
        joined=-1,
    )

    # Rank and file: the rest of each organization's headcount.
    rest = np.maximum(sizes - 1 - np.bincount(lt_org, minlength=n_orgs), 0)
    org = np.repeat(np.arange(n_orgs), rest)
    # Members live where their organization is present, in proportion to the people there.
    weight = world.presence.T * (world.places["population"].to_numpy()[None, :] + 1.0)
    cdf = np.cumsum(weight, axis=1)
    cdf /= cdf[:, -1:]
    place = sample_rows(rng, cdf, org)
    role = _roles(rng, org, rest, cooks_per_org)
    boss = np.full((orgs.capacity, world.n_places), -1, np.int64)  # lieutenant of (org, place)
    boss[lt_org, lt_place] = lieutenants
    superior = boss[org, place]
    members.add(
        org.size,
        org=org,
        role=role,
        rank=RANK_OF_ROLE[role],
        superior=superior,
        place=place,
        joined=-1,
    )
    return members, boss


def rank_and_file_roles(rng: np.random.Generator, n: int) -> np.ndarray:
    """Roles of new rank-and-file members, drawn with ROLE_SHARES; the rest are lookouts."""
    role = np.full(n, Role.LOOKOUT, np.int8)
    u = rng.random(n)
    edge = 0.0
    for r, share in ROLE_SHARES.items():
        role[(u >= edge) & (u < edge + share)] = r
        edge += share
    return role


def _roles(
    rng: np.random.Generator, org: np.ndarray, sizes: np.ndarray, cooks_per_org: np.ndarray
) -> np.ndarray:
    role = rank_and_file_roles(rng, org.size)
    # Cooks: the first members of each lab-owning organization, capped by its size.
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    cooks = np.minimum(cooks_per_org, sizes)
    offset = np.arange(org.size) - starts[org]
    role[offset < cooks[org]] = Role.COOK
    return role


def _home_place(world: World) -> np.ndarray:
    """Where each leader sits: among the places where the organization's presence is strongest,
    the most populous."""
    population = world.places["population"].to_numpy()[:, None]
    strongest = world.presence >= world.presence.max(axis=0, keepdims=True)
    return np.argmax(np.where(strongest, population + 1.0, 0.0), axis=0)


def lab_capacity_by_org(assets: Assets, n_orgs: int) -> np.ndarray:
    """kg pure a week each organization's labs can make at full use."""
    labs = assets.of_kind(AssetKind.LAB)
    return np.bincount(assets.org[labs], weights=assets.capacity[labs], minlength=n_orgs)


def precursor_target_g(capacity_kg: np.ndarray, params: Params) -> np.ndarray:
    """The precursor stock an organization keeps, in grams: a few weeks of full capacity."""
    return np.floor(
        capacity_kg * params.precursor_cover_weeks / params.precursor_yield * 1000
    ).astype(np.int64)


def courier_pool_target(world: World, params: Params) -> np.ndarray:
    """Couriers a crossing's labor pool holds when full: it grows with the crossing's traffic."""
    pov = world.crossings["pov_per_week"].to_numpy()
    return np.maximum(params.couriers_per_1000_pov * pov / 1000, params.courier_min_pool)


def build_supply_chain(
    world: World, graph, params: Params, assets: Assets, supply: SupplyState
) -> None:
    """The supply chain's assets and starting beliefs: each lab-owning organization's
    precursor stock at its nearest Pacific seaport (filled to its target), a stash at each lab
    place, a staging stash at each crossing, and a fleet of vehicles. Assets are added in this
    order, so their ids do not depend on anything else."""
    n_orgs = world.orgs.n
    labs = assets.of_kind(AssetKind.LAB)
    producers = np.unique(assets.org[labs])
    seaports = np.flatnonzero(world.places["kind"].to_numpy() == "seaport")
    lat, lon = world.places["lat"].to_numpy(), world.places["lon"].to_numpy()
    for org in producers:
        home = np.bincount(assets.place[labs][assets.org[labs] == org]).argmax()
        port = seaports[np.argmin(np.hypot(lat[seaports] - lat[home], lon[seaports] - lon[home]))]
        supply.precursor_port[org] = port
        supply.precursor_stock[org] = assets.add(1, kind=AssetKind.PRECURSOR, org=org, place=port)[
            0
        ]
    capacity = lab_capacity_by_org(assets, n_orgs)
    assets.stock[supply.precursor_stock[producers]] = precursor_target_g(
        capacity[producers], params
    )
    for org, place in set(zip(assets.org[labs].tolist(), assets.place[labs].tolist(), strict=True)):
        supply.origin_stash[org, place] = supply.add_stash(assets, org, place)
    for org in np.flatnonzero((supply.origin_stash >= 0).any(axis=1)):
        for slot, place in enumerate(graph.crossings):
            supply.staging_stash[org, slot] = supply.add_stash(assets, org, place)
    fleet = np.ceil(2 * capacity / (params.inland_load_kg * VEHICLE_TRIPS_PER_WEEK)).astype(int)
    fleet = np.where(capacity > 0, np.maximum(fleet, 2), 0)
    org = np.repeat(np.arange(n_orgs), fleet)
    home = np.argmax(world.presence, axis=0)
    assets.add(
        org.size,
        kind=AssetKind.VEHICLE,
        org=org,
        place=home[org],
        capacity=params.inland_load_kg,
    )
    supply.inland_risk = np.where(graph.is_mexican, params.inland_seizure_prob, 0.0)
    supply.perceived_place_risk = supply.inland_risk.copy()
    supply.courier_pool = courier_pool_target(world, params)
    supply.expected_price_usd_per_mg = params.price_ref_usd_per_pill / params.mg_per_pill_ref
    supply.expected_loss = params.interdiction_ref


def relation_changes(world: World, start_year: int) -> list[tuple[int, RelationChange]]:
    """The world's dated changes to relations, each with the simulated week it falls in
    (0 is the first week of the start year; before the start, negative)."""
    start = dates(start_year, 1)[0].date()
    return [((change.since - start).days // 7, change) for change in world.orgs.changes]
