"""Route choice: each organization sends each stash's loads toward the crossings by the
cheapest expected path (distance, perceived seizure risk, rival tolls, congestion), spread over
near-equal alternatives by a logit, and re-planned every week as perceived risk changes.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra


class Routing:
    """All producing organizations are routed in one Dijkstra call on a stacked graph: one copy
    of the transport graph per organization, each with that organization's tolls."""

    name = "routing"

    def __init__(self, sim):
        world, supply, graph = sim.world, sim.supply, sim.graph
        p = sim.params
        n, m = world.n_places, graph.src.size
        self.orgs = np.flatnonzero((supply.origin_stash >= 0).any(axis=1))
        blocks = self.orgs.size
        self.toll = _tolls(world, p)[self.orgs]  # (producing orgs, places)
        self.crossing_friction = np.where(
            world.crossings["between_ports"].to_numpy(), p.between_ports_cost, 0.0
        )
        self.distance = np.tile(p.distance_cost * graph.length_km / 1000.0, blocks)
        self.edge_block = np.repeat(np.arange(blocks), m)
        self.edge_dst = np.tile(graph.dst, blocks)
        offset = self.edge_block * n
        order = np.arange(1, blocks * m + 1, dtype=float)
        self.matrix = csr_matrix(
            (order, (np.tile(graph.src, blocks) + offset, self.edge_dst + offset)),
            shape=(blocks * n, blocks * n),
        )
        self.edge_order = self.matrix.data.astype(np.int64) - 1  # CSR slot → stacked edge
        source_block, source_place = np.nonzero(supply.origin_stash[self.orgs] >= 0)
        self.source_node = source_block * n + source_place
        n_cross = graph.crossings.size
        self.route_source = np.repeat(np.arange(source_place.size), n_cross)
        self.route_crossing = np.tile(np.arange(n_cross), source_place.size)  # crossing slot
        self.route_org = self.orgs[source_block[self.route_source]]
        self.route_origin = source_place[self.route_source]
        self.route_target = (source_block * n)[self.route_source] + graph.crossings[
            self.route_crossing
        ]
        self.n_places = n
        self.share = np.zeros(self.route_source.size)
        self.path_nodes = np.full((self.route_source.size, 1), -1, np.int64)
        self.path_links = self.path_nodes.copy()

    def step(self, sim, week: int) -> None:
        p, graph, supply = sim.params, sim.graph, sim.supply
        node_cost = supply.perceived_place_risk[None, :] + self.toll
        node_cost[:, graph.crossings] = (
            supply.perceived_crossing_risk
            + self.crossing_friction
            + p.congestion_cost * supply.crossing_utilization**2
        )
        weight = self.distance + node_cost[self.edge_block, self.edge_dst]
        # Exact zeros would vanish from the sparse matrix: keep every edge strictly positive.
        self.matrix.data[:] = np.maximum(weight[self.edge_order], 1e-12)
        dist, pred = dijkstra(
            self.matrix, directed=True, indices=self.source_node, return_predecessors=True
        )
        cost = dist[self.route_source, self.route_target].reshape(self.source_node.size, -1)
        reachable = np.isfinite(cost)
        best = np.min(np.where(reachable, cost, np.inf), axis=1, keepdims=True)
        logit = np.where(reachable, np.exp(-(cost - best) / p.route_temperature), 0.0)
        self.share = (logit / logit.sum(axis=1, keepdims=True)).ravel()
        nodes = _walk(
            pred, self.route_source, self.route_target, self.source_node[self.route_source]
        )
        self.path_nodes = np.where(nodes >= 0, nodes % self.n_places, -1)
        self.path_links = _links_of(self.path_nodes, self.route_origin, graph)


def _tolls(world, p) -> np.ndarray:
    """What passing a place costs each organization: a plaza fee where others hold it, more
    where rivals do; nothing on its own ground, its allies' or its faction family's."""
    orgs = world.orgs
    n = orgs.n
    root = np.where(orgs.faction_of >= 0, orgs.faction_of, np.arange(n))
    rival = orgs.rivalry > 0
    friend = (orgs.alliance > 0) | (root[:, None] == root[None, :])
    other = ~rival & ~friend
    held = world.presence / np.maximum(world.presence.sum(axis=1, keepdims=True), 1e-12)
    return (p.rival_toll * rival.astype(float) + p.plaza_fee * other.astype(float)) @ held.T


def _walk(pred: np.ndarray, row: np.ndarray, target: np.ndarray, origin: np.ndarray) -> np.ndarray:
    """Node sequences origin→target (origin excluded), for many pairs at once, padded with -1."""
    steps = [target.copy()]
    cur = target.copy()
    while True:
        prev = np.where(cur >= 0, pred[row, np.maximum(cur, 0)], -9999)
        prev = np.where((prev == origin) | (cur < 0), -1, prev)
        if (prev < 0).all():
            break
        steps.append(prev)
        cur = prev
    nodes = np.stack(steps[::-1], axis=1)
    # Left-aligned: drop the leading -1 padding of the shorter paths.
    order = np.argsort(nodes < 0, axis=1, kind="stable")
    return np.take_along_axis(nodes, order, axis=1)


def _links_of(nodes: np.ndarray, origin: np.ndarray, graph) -> np.ndarray:
    """World link index of each step of each path (the edge entering that step's node)."""
    prev = np.concatenate([origin[:, None], nodes[:, :-1]], axis=1)
    return np.where(nodes >= 0, graph.link_between[np.maximum(prev, 0), np.maximum(nodes, 0)], -1)
