"""The transport graph derived from the world's links, built once per run."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from cartelsim.errors import DataError
from cartelsim.world.world import World


@dataclass(frozen=True)
class TransportGraph:
    """Directed edges for moving fentanyl north: Mexican roads and ferries both ways, crossings
    north only.

    `crossings` are the nodes where a load enters the US (ports of entry and stretches between
    ports), in the order of `World.crossings`. `us_paths` spreads what crosses at each crossing
    over the places (the crossing itself excluded) and links on the way to each US market,
    weighted by the market's demand.
    """

    n_places: int
    src: np.ndarray
    dst: np.ndarray
    length_km: np.ndarray
    link: np.ndarray  # world link index of each directed edge
    crossings: np.ndarray  # place index of each crossing
    us_place_share: np.ndarray  # (crossings, places): share of a crossing's arrivals passing each
    us_link_share: np.ndarray  # (crossings, links)
    link_between: np.ndarray  # (places, places): link index of the edge a→b, -1 if none
    is_mexican: np.ndarray  # per place
    border_cities: np.ndarray  # place indices of the Mexican border cities
    road_neighbours: np.ndarray  # (places, places): Mexican road adjacency, columns sum to 1


def build_graph(world: World) -> TransportGraph:
    links = world.links
    kind = links["kind"].to_numpy()
    s, t = links["source"].to_numpy(), links["target"].to_numpy()
    km = links["length_km"].to_numpy()
    ids = np.arange(len(links))
    mexican = (world.places["country"] == "MX").to_numpy()
    # Roads and coastal sea lanes inside Mexico run both ways; crossings run north only.
    both = (kind == "road") | ((kind == "sea") & mexican[s] & mexican[t])
    crossing = kind == "crossing"
    src = np.concatenate([s[both], t[both], s[crossing]])
    dst = np.concatenate([t[both], s[both], t[crossing]])
    length = np.concatenate([km[both], km[both], km[crossing]])
    link = np.concatenate([ids[both], ids[both], ids[crossing]])
    crossings = world.crossings["place"].to_numpy()
    fed = set(t[crossing])
    unfed = [world.places.at[c, "id"] for c in crossings if c not in fed]
    if unfed:
        raise DataError(f"links.csv: no crossing link leads to {', '.join(unfed)}")
    place_share, link_share = _us_distribution(world, crossings)
    link_between = np.full((world.n_places, world.n_places), -1, np.int64)
    link_between[src, dst] = link
    kinds = world.places["kind"].to_numpy()
    return TransportGraph(
        world.n_places,
        src,
        dst,
        length,
        link,
        crossings,
        place_share,
        link_share,
        link_between,
        mexican,
        np.flatnonzero(kinds == "border_city"),
        _road_neighbours(world, mexican),
    )


def _us_distribution(world: World, crossings: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    links = world.links
    us = links["kind"].to_numpy() == "us_road"
    s, t = links["source"].to_numpy()[us], links["target"].to_numpy()[us]
    km, ids = links["length_km"].to_numpy()[us], np.flatnonzero(us)
    n = world.n_places
    graph = csr_matrix(
        (np.concatenate([km, km]), (np.concatenate([s, t]), np.concatenate([t, s]))), shape=(n, n)
    )
    edge_link = {}
    for a, b, i in zip(s, t, ids, strict=True):
        edge_link[(a, b)] = edge_link[(b, a)] = i
    dist, pred = dijkstra(graph, directed=True, indices=crossings, return_predecessors=True)
    markets = world.markets["place"].to_numpy()
    demand = world.markets["demand_share"].to_numpy()
    place_share = np.zeros((len(crossings), n))
    link_share = np.zeros((len(crossings), len(links)))
    for ci, c in enumerate(crossings):
        for m, share in zip(markets, demand, strict=True):
            if not np.isfinite(dist[ci, m]):
                raise DataError(
                    f"links.csv: US market {world.places.at[m, 'id']!r} cannot be "
                    f"reached from crossing {world.places.at[c, 'id']!r} by us_road"
                )
            node = m
            while node != c:
                place_share[ci, node] += share
                prev = pred[ci, node]
                link_share[ci, edge_link[(prev, node)]] += share
                node = prev
    return place_share, link_share


def _road_neighbours(world: World, mexican: np.ndarray) -> np.ndarray:
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
