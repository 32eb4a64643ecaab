"""Reimplementation of the Prieto-Curiel, Campedelli & Hope (Science 2023) cartel-size model.

cartelsim's agent-based organizations are checked against this model (calibration targets B1, B2,
R5). Each week, for group i of size C_i with total C = Σ C_i:

    recruits        ρ·C_i
    incapacitated   η·C_i/C                 (η people a week in all, shared in proportion to size)
    conflict deaths θ·C_i·Σ_j K_ij·C_j      K_ij = (R_ij + 1)/(A_i + 1) for every j ≠ i, K_ii = 0
    saturation      ω·C_i²

R_ij is the rivalry weight and A_i = Σ_j alliance_ij. K applies to every pair, rivals or not (the
"+1" gives non-rivals a baseline conflict), as in the authors' R code (ReclutamientoC.R,
github.com/rafaelprietocuriel/Recruitment). Steps are forward-Euler weeks, as in the authors'
calibration (their ``ErrF`` uses ``method = "euler"``), so the weekly headcount balances exactly.
See docs/reference-model.md.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd

from cartelsim.errors import ParameterError
from cartelsim.world.bacrim import GroupNetwork, load_group_network

__all__ = [
    "WEEKS_PER_YEAR",
    "ReferenceParams",
    "ReferenceRun",
    "conflict_matrix",
    "initial_sizes",
    "scenarios",
    "simulate",
]

WEEKS_PER_YEAR = 52
"""The authors' year: 10 years 2012–2022 are 520 weekly steps."""

_COLUMNS = (
    "week",
    "year",
    "members",
    "recruits",
    "incapacitated",
    "conflict_deaths",
    "saturation_losses",
)


@dataclass(frozen=True)
class ReferenceParams:
    """Weekly rates; defaults are the values in the authors' code (ReclutamientoC.R)."""

    rho: float = 2.527474e-3  # recruits per member per week
    eta: float = 110.0  # people incapacitated per week, all groups together
    theta: float = 1.549231e-8  # conflict lethality per pair of members, weighted by K
    omega: float = 4e-8  # saturation (members leaving) per member squared per week
    start_members: float = 115_000.0  # total members at start_year
    start_year: int = 2012

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, numbers.Real) or isinstance(value, bool):
                raise ParameterError(f"ReferenceParams.{f.name}: {value!r} is not a number")
            if not math.isfinite(value) or value < 0:
                raise ParameterError(f"ReferenceParams.{f.name}: {value!r} must be finite and >= 0")


@dataclass(frozen=True, eq=False)
class ReferenceRun:
    """One run: weekly totals, per-group sizes each week and the final per-group sizes.

    Row ``week`` of ``weekly`` holds the members at the start of that week and the flows during it,
    so members[t + 1] = members[t] + recruits[t] − incapacitated[t] − conflict_deaths[t] −
    saturation_losses[t]. The last row's flows are the rates at the final state (the authors'
    "instantaneous" series at 2022).
    """

    params: ReferenceParams
    weekly: pd.DataFrame
    sizes: np.ndarray  # (weeks + 1, n): per-group members at the start of each week
    final_sizes: np.ndarray  # (n,): per-group members after the last week

    def at_year(self, year: float) -> pd.Series:
        """The weekly row nearest to a (fractional) year."""
        week = round((year - self.params.start_year) * WEEKS_PER_YEAR)
        if not 0 <= week < len(self.weekly):
            raise ParameterError(
                f"year {year} is outside this run "
                f"({self.weekly['year'].iloc[0]}–{self.weekly['year'].iloc[-1]})"
            )
        return self.weekly.iloc[week]


def conflict_matrix(network: GroupNetwork) -> np.ndarray:
    """K_ij = (R_ij + 1)/(A_i + 1), K_ii = 0: rivalry raises conflict, alliances dampen it."""
    k = (network.rivalry + 1.0) / (network.alliance_strength[:, None] + 1.0)
    np.fill_diagonal(k, 0.0)
    return k


def initial_sizes(network: GroupNetwork, total: float) -> np.ndarray:
    """Split ``total`` over the groups with shares ∝ 1/rank, rank by total weighted degree.

    Ties keep file order (a stable sort, like R's ``order``). The authors' main run draws Poisson
    counts around these means; the expected values are used here so that runs are deterministic.
    """
    strength = network.rival_strength + network.alliance_strength
    order = np.argsort(-strength, kind="stable")
    shares = 1.0 / np.arange(1, len(order) + 1)
    sizes = np.empty(len(order), dtype=np.float64)
    sizes[order] = total * shares / shares.sum()
    return sizes


def simulate(
    params: ReferenceParams | None = None,
    *,
    weeks: int | None = None,
    end_year: int = 2022,
    network: GroupNetwork | None = None,
    start_sizes: np.ndarray | None = None,
) -> ReferenceRun:
    """Run the model weekly from ``params.start_year`` for ``weeks`` (default: to ``end_year``).

    ``start_sizes`` (per group, network order) replaces the 1/rank split of ``start_members``, e.g.
    to continue from the 2022 state in a policy scenario.
    """
    params = ReferenceParams() if params is None else params
    network = load_group_network() if network is None else network
    if weeks is None:
        weeks = (end_year - params.start_year) * WEEKS_PER_YEAR
    if weeks < 0:
        raise ParameterError(f"weeks must be >= 0, got {weeks}")
    n = len(network)
    if start_sizes is None:
        c = initial_sizes(network, params.start_members)
    else:
        c = np.array(start_sizes, dtype=np.float64)
        if c.shape != (n,):
            raise ParameterError(f"start_sizes has shape {c.shape}, expected ({n},)")
        if not np.all(np.isfinite(c)) or np.any(c < 0) or c.sum() <= 0:
            raise ParameterError("start_sizes must be finite, >= 0 and not all zero")
    k = conflict_matrix(network)

    sizes = np.empty((weeks + 1, n), dtype=np.float64)
    flows = np.empty((weeks + 1, 4), dtype=np.float64)
    for t in range(weeks + 1):
        sizes[t] = c
        recruits = params.rho * c
        incapacitated = params.eta * c / c.sum()
        conflict = params.theta * c * (k @ c)
        saturation = params.omega * c * c
        flows[t] = (recruits.sum(), incapacitated.sum(), conflict.sum(), saturation.sum())
        if t < weeks:
            # Per-capita losses stay far below 1 at these rates, so sizes stay positive.
            c = c + recruits - incapacitated - conflict - saturation

    week = np.arange(weeks + 1)
    weekly = pd.DataFrame(
        {
            "week": week,
            "year": params.start_year + week / WEEKS_PER_YEAR,
            "members": sizes.sum(axis=1),
            "recruits": flows[:, 0],
            "incapacitated": flows[:, 1],
            "conflict_deaths": flows[:, 2],
            "saturation_losses": flows[:, 3],
        },
        columns=list(_COLUMNS),
    )
    sizes.setflags(write=False)
    final = sizes[-1].copy()
    final.setflags(write=False)
    return ReferenceRun(params=params, weekly=weekly, sizes=sizes, final_sizes=final)


def scenarios(to_year: int = 2027, params: ReferenceParams | None = None) -> pd.DataFrame:
    """The paper's policy scenarios, run from the model's 2022 state to ``to_year``.

    Columns: scenario, members and conflict deaths per week in 2022 and at ``to_year``, and their
    relative change (0.26 = +26%).
    """
    params = ReferenceParams() if params is None else params
    base_year = 2022
    if to_year <= base_year:
        raise ParameterError(f"to_year must be after {base_year}, got {to_year}")
    network = load_group_network()
    base = simulate(params, end_year=base_year, network=network)
    start = replace(params, start_year=base_year)
    variants = {
        "status_quo": start,
        "halve_recruitment": replace(start, rho=params.rho / 2),
        "double_incapacitation": replace(start, eta=params.eta * 2),
    }
    rows = []
    for name, variant in variants.items():
        run = simulate(variant, end_year=to_year, network=network, start_sizes=base.final_sizes)
        first, last = run.weekly.iloc[0], run.weekly.iloc[-1]
        rows.append(
            {
                "scenario": name,
                "members_2022": first["members"],
                "members_end": last["members"],
                "members_change": last["members"] / first["members"] - 1.0,
                "conflict_deaths_2022": first["conflict_deaths"],
                "conflict_deaths_end": last["conflict_deaths"],
                "conflict_deaths_change": last["conflict_deaths"] / first["conflict_deaths"] - 1.0,
            }
        )
    return pd.DataFrame(rows)
