"""Route choice: each organization sends each stash's loads toward the crossings by the
cheapest expected path (distance, perceived seizure risk, the fees and tolls of whoever holds
each plaza, congestion), spread over near-equal alternatives by a logit, and re-planned every
week as perceived risk changes.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from cartelsim.processes.process import Process


class Routing(Process):
    """Every source is routed on its own organization's copy of the transport graph (that
    organization's tolls), by a compiled Dijkstra over the graph's few dozen places."""

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
        self.orgs = plan.orgs
        self.holder = plaza_holders(world)
        self.relations_version = -1  # tolls are (re)computed when the relations change
        self.crossing_friction = np.where(
            world.crossings["between_ports"].to_numpy(), p.between_ports_cost, 0.0
        )
        # The graph as compressed rows: edges grouped by the place they leave.
        self.edge_order = np.argsort(graph.src, kind="stable")
        self.first_edge = np.concatenate(
            ([0], np.cumsum(np.bincount(graph.src, minlength=world.n_places)))
        )
        self.edge_to = graph.dst[self.edge_order]
        self.distance = p.distance_cost * graph.length_km[self.edge_order] / 1000.0
        self.route_target = graph.crossings[plan.crossing]

    def step(self, sim, week: int) -> None:
        p, graph, supply, plan = sim.params, sim.graph, sim.supply, sim.routes
        if sim.orgs.relations_version != self.relations_version:
            self.relations_version = sim.orgs.relations_version
            toll = tolls(sim.orgs, self.holder, sim.world.orgs.n, p)
            self.toll = toll[self.orgs]  # (producing organizations, places)
        z, pred = _costs(
            self.first_edge,
            self.edge_to,
            self.distance,
            supply.perceived_place_risk,
            self.toll,
            graph.crossings,
            supply.perceived_crossing_risk,
            self.crossing_friction,
            supply.perceived_utilization,
            p.congestion_cost,
            plan.source_block,
            plan.source_place,
            self.route_target,
            p.route_temperature,
        )
        logit = np.exp(z)  # NumPy's exp, whose last bits may differ from compiled code's
        total = logit.sum(axis=1)  # 0 where no crossing can be reached
        plan.share, plan.path_nodes, plan.path_links = _routes(
            logit, total, pred, plan.source, self.route_target, plan.origin, graph.link_between
        )


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


@njit(cache=True)
def _costs(
    first_edge,
    edge_to,
    distance,
    place_risk,
    toll,
    crossings,
    crossing_risk,
    crossing_friction,
    utilization,
    congestion_cost,
    block,
    origin,
    target,
    temperature,
):
    """Each organization's edge weights (distance, then the cost of the place entered: its
    perceived risk and toll, or at a crossing its risk, friction and congestion), the
    shortest paths from each source, and each (source, crossing) route's logit exponent,
    −inf where the crossing cannot be reached."""
    node_cost = np.empty(toll.shape)
    for o in range(toll.shape[0]):
        for v in range(toll.shape[1]):
            node_cost[o, v] = place_risk[v] + toll[o, v]
        for c in range(crossings.size):
            node_cost[o, crossings[c]] = (
                crossing_risk[c] + crossing_friction[c] + congestion_cost * utilization[c] ** 2
            )
    # Dijkstra needs weights ≥ 0; a floor above 0 also keeps a free edge from tying paths.
    weight = np.empty((toll.shape[0], edge_to.size))
    for o in range(toll.shape[0]):
        for e in range(edge_to.size):
            weight[o, e] = max(distance[e] + node_cost[o, edge_to[e]], 1e-12)
    dist, pred = _shortest_paths(first_edge, edge_to, weight, block, origin)
    z = np.full((origin.size, target.size // origin.size), -np.inf)
    for s in range(origin.size):
        cost = dist[s, target[s * z.shape[1] : (s + 1) * z.shape[1]]]
        best = np.inf
        for k in range(cost.size):
            if np.isfinite(cost[k]) and cost[k] < best:
                best = cost[k]
        for k in range(cost.size):
            if np.isfinite(cost[k]):
                z[s, k] = -(cost[k] - best) / temperature
    return z, pred


@njit(cache=True)
def _routes(logit, total, pred, source, target, origin, link_between):
    """Each route's share of its source's loads, and its path."""
    share = np.zeros(logit.size)
    for s in range(logit.shape[0]):
        if total[s] > 0:
            for k in range(logit.shape[1]):
                share[s * logit.shape[1] + k] = logit[s, k] / total[s]
    nodes, links = _paths(pred, source, target, origin, link_between)
    return share, nodes, links


@njit(cache=True)
def _shortest_paths(first_edge, edge_to, weight, block, origin):
    """Dijkstra from each source over its organization's edge weights: distances and
    predecessors per (source, place), -9999 where there is none."""
    n = first_edge.size - 1
    dist = np.full((origin.size, n), np.inf)
    pred = np.full((origin.size, n), -9999, np.int64)
    done = np.zeros(n, np.bool_)
    key = np.empty(edge_to.size + 1)  # a binary heap of (distance, place)
    node = np.empty(edge_to.size + 1, np.int64)
    for s in range(origin.size):
        w, d, before = weight[block[s]], dist[s], pred[s]
        done[:] = False
        d[origin[s]] = 0.0
        key[0], node[0], size = 0.0, origin[s], 1
        while size:
            at, v = key[0], node[0]
            size -= 1
            _sift_down(key, node, size)
            if done[v]:
                continue
            done[v] = True
            for e in range(first_edge[v], first_edge[v + 1]):
                to = edge_to[e]
                via = at + w[e]
                if not done[to] and via < d[to]:
                    d[to], before[to] = via, v
                    _sift_up(key, node, size, via, to)
                    size += 1
    return dist, pred


@njit(cache=True)
def _before(k1, n1, k2, n2):
    return k1 < k2 or (k1 == k2 and n1 < n2)


@njit(cache=True)
def _sift_up(key, node, size, k, n):
    """Adds (k, n) to the heap of the first `size` slots."""
    i = size
    while i > 0 and _before(k, n, key[(i - 1) // 2], node[(i - 1) // 2]):
        key[i], node[i] = key[(i - 1) // 2], node[(i - 1) // 2]
        i = (i - 1) // 2
    key[i], node[i] = k, n


@njit(cache=True)
def _sift_down(key, node, size):
    """Moves the element in slot `size` (the last, after a pop) down from the root."""
    k, n, i = key[size], node[size], 0
    while 2 * i + 1 < size:
        c = 2 * i + 1
        if c + 1 < size and _before(key[c + 1], node[c + 1], key[c], node[c]):
            c += 1
        if not _before(key[c], node[c], k, n):
            break
        key[i], node[i] = key[c], node[c]
        i = c
    key[i], node[i] = k, n


@njit(cache=True)
def _paths(pred, row, target, origin, link_between):
    """Each route's places origin→target (origin excluded) and the links entering them, from
    its source's shortest-path tree, left-aligned and padded with -1; a target the tree does
    not reach keeps a path of itself alone (its share is 0)."""
    length = np.ones(row.size, np.int64)
    for r in range(row.size):
        cur = pred[row[r], target[r]]
        while cur >= 0 and cur != origin[r]:
            length[r] += 1
            cur = pred[row[r], cur]
    nodes = np.full((row.size, length.max()), -1, np.int64)
    links = np.full((row.size, length.max()), -1, np.int64)
    for r in range(row.size):
        cur = target[r]
        for i in range(length[r] - 1, -1, -1):
            nodes[r, i] = cur
            cur = pred[row[r], cur]
        before = origin[r]
        for i in range(length[r]):
            links[r, i] = link_between[before, nodes[r, i]]
            before = nodes[r, i]
    return nodes, links
