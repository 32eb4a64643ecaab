"""Route choice: each organization sends each stash's loads toward the crossings by the
cheapest expected path (distance, perceived seizure risk, the fees and tolls of whoever holds
each plaza, congestion), spread over near-equal alternatives by a logit, and re-planned every
week as perceived risk changes.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from cartelsim.processes.process import Process


class Routing(Process):
    """All producing organizations are routed in one Dijkstra call on a stacked graph: one copy
    of the transport graph per organization, each with that organization's tolls."""

    name = "routing"
    section = "7.3"
    does = (
        "each organization re-plans, from each origin stash, how to split its loads over the "
        "crossings (a logit over the cheapest path to each crossing), into the route plan"
    )
    burn_in = True

    def __init__(self, sim):
        world, graph, plan = sim.world, sim.graph, sim.routes
        p = sim.params
        n, m = world.n_places, graph.src.size
        self.orgs = plan.orgs
        blocks = self.orgs.size
        self.holder = plaza_holders(world)
        self.relations_version = -1  # tolls are (re)computed when the relations change
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
        self.source_node = plan.source_block * n + plan.source_place
        self.route_target = (plan.source_block * n)[plan.source] + graph.crossings[plan.crossing]
        self.n_places = n

    def step(self, sim, week: int) -> None:
        p, graph, supply, plan = sim.params, sim.graph, sim.supply, sim.routes
        if sim.orgs.relations_version != self.relations_version:
            self.relations_version = sim.orgs.relations_version
            toll = tolls(sim.orgs, self.holder, sim.world.orgs.n, p)
            self.toll = toll[self.orgs]  # (producing organizations, places)
        node_cost = supply.perceived_place_risk[None, :] + self.toll
        node_cost[:, graph.crossings] = (
            supply.perceived_crossing_risk
            + self.crossing_friction
            + p.congestion_cost * supply.perceived_utilization**2
        )
        weight = self.distance + node_cost[self.edge_block, self.edge_dst]
        # Exact zeros would vanish from the sparse matrix: keep every edge strictly positive.
        self.matrix.data[:] = np.maximum(weight[self.edge_order], 1e-12)
        dist, pred = dijkstra(
            self.matrix, directed=True, indices=self.source_node, return_predecessors=True
        )
        cost = dist[plan.source, self.route_target].reshape(self.source_node.size, -1)
        reachable = np.isfinite(cost)
        best = np.min(np.where(reachable, cost, np.inf), axis=1, keepdims=True)
        logit = np.where(reachable, np.exp(-(cost - best) / p.route_temperature), 0.0)
        total = logit.sum(axis=1, keepdims=True)  # 0 where no crossing can be reached
        plan.share = np.divide(logit, total, out=np.zeros_like(logit), where=total > 0).ravel()
        nodes = _walk(pred, plan.source, self.route_target, self.source_node[plan.source])
        plan.path_nodes = np.where(nodes >= 0, nodes % self.n_places, -1)
        plan.path_links = _links_of(plan.path_nodes, plan.origin, graph)


def plaza_holders(world) -> np.ndarray:
    """Who collects the fee (piso) at each place: the faction family with most presence there,
    through its strongest group; -1 where nobody is present."""
    presence = world.presence
    orgs = world.orgs
    root = np.where(orgs.faction_of >= 0, orgs.faction_of, np.arange(orgs.n))
    family = np.zeros_like(presence)
    np.add.at(family.T, root, presence.T)  # each family's total presence, in its root's column
    leading = family.argmax(axis=1)
    in_family = root[None, :] == leading[:, None]
    holder = np.where(in_family, presence, -1.0).argmax(axis=1)
    return np.where(presence.sum(axis=1) > 0, holder, -1)


def tolls(orgs, holder: np.ndarray, n: int, p) -> np.ndarray:
    """What passing each place costs each of the first n organizations (the world's): nothing
    where it, an ally or its faction family holds the plaza, a fee where a neutral group does,
    a toll where a rival does. A pair tied both ways (the 2020 network has some) counts as its
    stronger tie, so factions at war pay each other the rival's toll."""
    net = orgs.alliance[:n, :n] - orgs.rivalry[:n, :n]
    root = np.where(orgs.parent[:n] >= 0, orgs.parent[:n], np.arange(n))
    rival = net < 0
    friend = ~rival & ((net > 0) | (root[:, None] == root[None, :]))
    fee = np.where(rival, p.rival_toll, np.where(friend, 0.0, p.plaza_fee))
    held = holder >= 0
    cost = np.zeros((n, holder.size))
    cost[:, held] = fee[:, holder[held]]
    return cost


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
