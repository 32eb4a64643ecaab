"""Route choice: each organization sends each stash's loads toward the crossings by the
cheapest expected path (distance, perceived seizure risk, rival tolls, congestion), spread over
near-equal alternatives by a logit, and re-planned every week as perceived risk changes.
"""

from __future__ import annotations

import numpy as np


class Routing:
    name = "routing"

    def __init__(self, sim):
        world, supply, graph = sim.world, sim.supply, sim.graph
        p = sim.params
        self.orgs = np.flatnonzero((supply.origin_stash >= 0).any(axis=1))
        self.origins = [np.flatnonzero(supply.origin_stash[o] >= 0) for o in self.orgs]
        n_cross = graph.crossings.size
        self.crossing_slot = np.full(world.n_places, -1)
        self.crossing_slot[graph.crossings] = np.arange(n_cross)
        self.toll = _tolls(world, p)  # (orgs, places)
        self.crossing_friction = np.where(
            world.crossings["between_ports"].to_numpy(), p.between_ports_cost, 0.0
        )
        self.distance = p.distance_cost * graph.length_km / 1000.0
        routes = sum(len(o) for o in self.origins) * n_cross
        self.route_org = np.zeros(routes, np.int64)
        self.route_origin = np.zeros(routes, np.int64)
        self.route_crossing = np.zeros(routes, np.int64)  # slot in graph.crossings
        self.share = np.zeros(routes)
        self.path_nodes = np.full((routes, 1), -1, np.int64)
        self.path_links = np.full((routes, 1), -1, np.int64)

    def step(self, sim, week: int) -> None:
        p, graph, supply = sim.params, sim.graph, sim.supply
        crossing_cost = (
            supply.perceived_crossing_risk
            + self.crossing_friction
            + p.congestion_cost * supply.crossing_utilization**2
        )
        blocks = []
        for org, origins in zip(self.orgs, self.origins, strict=True):
            node_cost = supply.perceived_place_risk + self.toll[org]
            node_cost[graph.crossings] = crossing_cost
            dist, pred = graph.shortest(self.distance + node_cost[graph.dst], origins)
            blocks.append(self._choose(org, origins, dist[:, graph.crossings], pred, p))
        self._store(blocks, graph)

    def _choose(self, org, origins, cost, pred, p):
        """Logit shares over crossings for each origin, and the node sequence of each path."""
        reachable = np.isfinite(cost)
        best = np.min(np.where(reachable, cost, np.inf), axis=1, keepdims=True)
        weight = np.where(reachable, np.exp(-(cost - best) / p.route_temperature), 0.0)
        share = weight / weight.sum(axis=1, keepdims=True)
        n_o, n_c = cost.shape
        return org, np.repeat(origins, n_c), np.tile(np.arange(n_c), n_o), share.ravel(), pred

    def _store(self, blocks, graph) -> None:
        orgs, origins, slots, shares, paths = [], [], [], [], []
        for org, origin, slot, share, pred in blocks:
            row = np.repeat(np.arange(pred.shape[0]), graph.crossings.size)
            paths.append(_walk(pred, row, graph.crossings[slot], origin))
            orgs.append(np.full(origin.size, org))
            origins.append(origin)
            slots.append(slot)
            shares.append(share)
        self.route_org = np.concatenate(orgs)
        self.route_origin = np.concatenate(origins)
        self.route_crossing = np.concatenate(slots)
        self.share = np.concatenate(shares)
        width = max(p.shape[1] for p in paths)
        self.path_nodes = np.concatenate(
            [np.pad(p, ((0, 0), (0, width - p.shape[1])), constant_values=-1) for p in paths]
        )
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
