"""`cartelsim validate`: every target of CALIBRATION.md (as data in targets.csv) measured on an
ensemble, with the replicates' spread, beside the published value and its band."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from importlib import resources

import numpy as np

from cartelsim.analysis import supply_targets
from cartelsim.experiment.leader_removal import leader_removal
from cartelsim.params import WEEKS_PER_YEAR, Params
from cartelsim.policy.strategy import Strategy, setting
from cartelsim.sim import Sim
from cartelsim.world.world import load_world


@dataclass(frozen=True)
class Target:
    id: str
    fact: str
    published: str
    lo: float
    hi: float
    source: str
    confidence: str
    informs: str


@dataclass(frozen=True)
class Change:
    """Per-replicate values with the ensemble's own point estimate."""

    values: np.ndarray
    point: float

    def __sub__(self, other: Change) -> Change:
        return Change(self.values - other.values, self.point - other.point)


@dataclass(frozen=True)
class Size:
    """How large each experiment is."""

    seeds: int  # replicates of the supply, organization, strike and precursor experiments
    scale: float
    kingpin_replicates: int


FULL = Size(seeds=8, scale=0.1, kingpin_replicates=16)
QUICK = Size(seeds=2, scale=0.05, kingpin_replicates=4)


def targets() -> list[Target]:
    text = (resources.files("cartelsim.analysis") / "targets.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return [
        Target(
            r["id"],
            r["fact"],
            r["published"],
            float(r["lo"]),
            float(r["hi"]),
            r["source"],
            r["confidence"],
            r["informs"],
        )
        for r in rows
    ]


def validate(size: Size = FULL) -> list[dict]:
    """One row per target: measured mean, 5th–95th percentile over replicates, pass."""
    values: dict = {}
    world = load_world()
    seeds = range(size.seeds)
    values.update(_supply(seeds, size.scale))
    values.update(_organizations(world, seeds, size.scale))
    values.update(_kingpin(world, size))
    values.update(_strikes(world, seeds, size.scale))
    values.update(_precursors(world, seeds, size.scale))
    values.update(_parameters())
    rows = []
    for t in targets():
        found = values[t.id]
        v = np.asarray(found.values if isinstance(found, Change) else found, dtype=float)
        mean = float(found.point if isinstance(found, Change) else v.mean())
        rows.append(
            {
                "id": t.id,
                "fact": t.fact,
                "published": t.published,
                "measured": mean,
                "lo": float(np.percentile(v, 5)),
                "hi": float(np.percentile(v, 95)),
                "band": [t.lo, t.hi],
                "pass": bool(t.lo <= mean <= t.hi),
                "source": t.source,
                "informs": t.informs,
                "replicates": int(v.size),
            }
        )
    return rows


def _supply(seeds, scale) -> dict[str, list[float]]:
    params = Params({"start_year": 2022})
    runs = [Sim(params=params, weeks=156, seed=s, scale=scale).run() for s in seeds]
    out = {t.id: [t.measure(r, params) for r in runs] for t in supply_targets.TARGETS}
    out["B9"] = out["B5"]  # the FY2024 scanning rates are the baseline series (B9)
    return out


def _organizations(world, seeds, scale) -> dict[str, list[float]]:
    base = Params()
    out: dict[str, list[float]] = {
        k: []
        for k in (
            "B1-start",
            "B1-growth",
            "B2",
            "B3",
            "B12",
            "R5-halve-members",
            "R5-halve-homicides",
            "R5-arrests-members",
        )
    }
    for s in seeds:
        b = Sim(world, base, seed=s, scale=scale).run().summary()
        h = (
            Sim(
                world, base.replace(recruitment_rate=base.recruitment_rate / 2), seed=s, scale=scale
            )
            .run()
            .summary()
        )
        d = (
            Sim(
                world,
                base.replace(incapacitation_per_week=2 * base.incapacitation_per_week),
                seed=s,
                scale=scale,
            )
            .run()
            .summary()
        )
        out["B1-start"].append(b["members_start"])
        out["B1-growth"].append(b["members_end"] / b["members_start"])
        out["B2"].append(b["recruits_per_week"])
        out["B3"].append(b["mx_homicides_per_year"])
        out["B12"].append(b["active_orgs_end"])
        out["R5-halve-members"].append(h["members_end"] / b["members_end"] - 1)
        out["R5-halve-homicides"].append(
            h["mx_homicides_per_year"] / b["mx_homicides_per_year"] - 1
        )
        out["R5-arrests-members"].append(d["members_end"] / d["members_start"])
    return out


def _kingpin(world, size: Size) -> dict[str, Change]:
    def run(how="capture", **params):
        return leader_removal(
            "N10013",
            week=4,
            weeks=60,
            how=how,
            scale=0.1,
            world=world,
            replicates=size.kingpin_replicates,
            params=params,
        )

    capture, kill = run(), run("kill")
    clear, contested = run(succession_clarity=1.0), run(succession_clarity=0.0)

    def per_rep(exp, start, stop, region):
        """Each replicate's relative change; its `.point` is the ensemble's ratio of sums,
        which a few quiet replicates cannot swing as a mean of ratios can."""
        window = slice(exp.week + start, exp.week + stop)
        b = exp.baseline[:, region, window].sum(axis=1)
        t = exp.treated[:, region, window].sum(axis=1)
        return Change(t / np.maximum(b, 1e-9) - 1, t.sum() / max(b.sum(), 1e-9) - 1)

    c6, c12 = per_rep(capture, 0, 26, 0), per_rep(capture, 39, 52, 0)
    clear6 = per_rep(clear, 0, 26, 1)
    return {
        "R1-6m": c6,
        "R1-12m": c12,
        "R2-6m": per_rep(capture, 0, 26, 1),
        "R2-12m": per_rep(capture, 39, 52, 1),
        "R3-clear": clear6,
        "R3-contested": per_rep(contested, 0, 26, 1) - clear6,
        "R4": per_rep(kill, 0, 26, 1) - per_rep(capture, 0, 26, 1),
    }


def _strikes(world, seeds, scale) -> dict[str, list[float]]:
    shares = []
    for s in seeds:
        r = Sim(world, strategy="drone-strikes-joint", weeks=156, seed=s, scale=scale)
        summary = r.run().summary()
        if summary["strike_deaths"] > 0:
            shares.append(summary["strike_civilian_deaths"] / summary["strike_deaths"])
    return {"R8": shares or [math.nan]}


def _precursors(world, seeds, scale) -> dict[str, list[float]]:
    control = Strategy("r9", "R9 experiment", (setting("precursor-controls", 0.9, start=5),))
    months = []
    for s in seeds:
        base = Sim(world, weeks=104, seed=s, scale=scale).run().weekly()["price_per_pill_usd"]
        hit = (
            Sim(world, strategy=control, weeks=104, seed=s, scale=scale)
            .run()
            .weekly()["price_per_pill_usd"]
        )
        ratio = (hit / base).to_numpy()
        peak = 5 + int(np.argmax(ratio[5:]))
        faded = np.flatnonzero(np.abs(ratio[peak:] - 1) <= 0.10)
        weeks = (peak + (faded[0] if faded.size else len(ratio) - peak)) - 5
        months.append(weeks / WEEKS_PER_YEAR * 12)
    return {"R9": months}


def _parameters() -> dict[str, list[float]]:
    p = Params()
    world = load_world()
    coverage = float((world.markets["naloxone_coverage"] * world.markets["demand_share"]).sum())
    return {
        "R6": [p.demand_elasticity],
        "R7": [-p.naloxone_effect * coverage],
        "B10": [float(world.series.loc[2024, "lethal_share"])],
    }  # an input series
