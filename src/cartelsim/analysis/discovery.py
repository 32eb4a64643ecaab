"""Scenario discovery on an exploration (Bryant & Lempert 2010): for a condition on a strategy's
outcomes ("drone-strikes-joint: od_deaths < baseline and mx_homicides_per_year <
1.1*baseline"), the ranges of the explored parameters where it mostly holds, found by PRIM
(Friedman & Fisher 1999) or by a classification tree (CART), both from the EMA Workbench
(`pip install 'cartelsim[explore]'`), and said in a sentence with its coverage and density."""

from __future__ import annotations

import ast
import difflib
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NoReturn

import numpy as np
import pandas as pd

from cartelsim.analysis.explore import Design, Exploration
from cartelsim.errors import ParameterError
from cartelsim.outcomes import SCALARS

FILE = "discovery.json"  # beside an exploration's store: the conditions asked of it
METHODS = ("prim", "cart")
THRESHOLD = 0.8  # the least density of a box worth reporting (the EMA Workbench's default)
ANY = 1e-9  # PRIM's own threshold: see discover()
MASS_MIN = 0.05  # the least share of the samples a box may hold
COMPARISONS = {
    ast.Lt: np.less,
    ast.LtE: np.less_equal,
    ast.Gt: np.greater,
    ast.GtE: np.greater_equal,
}
ARITHMETIC = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide}


@dataclass
class Box:
    """Where the condition mostly holds: a box of the explored parameters' ranges."""

    condition: str
    strategy: str
    method: str
    holds: np.ndarray  # per sample: the condition is true
    inside: np.ndarray  # per sample: the sample lies in the box
    limits: pd.DataFrame  # the restricted parameters: lo, hi
    coverage: float  # share of the samples where it holds that lie in the box
    density: float  # share of the samples in the box where it holds
    mass: float  # share of all samples in the box
    trajectory: pd.DataFrame  # PRIM's peeling: coverage, density, mass, res_dim (CART: empty)
    chosen: int  # the trajectory's row of this box
    sentence: str


def condition_holds(exploration: Exploration, text: str) -> tuple[str, np.ndarray]:
    """The condition's strategy, and whether it holds in each sample. A name is one of the
    strategy's summary outcomes; `baseline` is the baseline's value of the outcome its
    comparison names."""
    strategy, sep, expression = text.partition(":")
    strategy = strategy.strip()
    if not sep or not expression.strip():
        raise ParameterError(
            f"--where {text!r}: write 'STRATEGY: CONDITION', e.g. "
            "'drone-strikes-joint: od_deaths < baseline'"
        )
    if strategy not in exploration.design.strategies:
        raise ParameterError(
            f"--where {text!r}: {strategy!r} was not explored; it explored "
            f"{', '.join(exploration.design.strategies)}"
        )
    try:
        tree = ast.parse(expression.strip(), mode="eval").body
    except SyntaxError:
        raise ParameterError(f"--where {text!r}: {expression.strip()!r} is no condition") from None
    outcomes = sorted(
        c.removeprefix(f"{strategy}.") for c in exploration.samples if c.startswith(f"{strategy}.")
    )
    holds = _Evaluator(exploration.samples, strategy, outcomes, text).truth(tree)
    return strategy, np.broadcast_to(holds, len(exploration.samples)).copy()


def check_condition(text: str, strategies: Sequence[str]) -> None:
    """Refuse a condition before anything runs: its form, its strategy and its outcomes (any
    summary scalar) are checked on one made-up sample."""
    names = [s.name for s in SCALARS]
    sample = pd.DataFrame({f"{who}.{n}": [1.0] for who in ("baseline", *strategies) for n in names})
    design = Design(strategies=tuple(strategies), names=(), samples=2)
    condition_holds(Exploration(design, sample, pd.DataFrame()), text)


def discover(
    exploration: Exploration, condition: str, method: str = "prim", threshold: float = THRESHOLD
) -> Box:
    """The box of the explored parameters where the condition holds with density at least
    `threshold` and the most coverage (else the densest box found)."""
    if method not in METHODS:
        raise ParameterError(f"method: {method!r} is not one of {', '.join(METHODS)}")
    strategy, holds = condition_holds(exploration, condition)
    x = exploration.samples[list(exploration.design.names)].reset_index(drop=True)
    if not holds.any() or holds.all():
        everywhere = pd.DataFrame(columns=["lo", "hi"], dtype=float)
        always = "always" if holds.all() else "never"
        return Box(
            condition, strategy, method, holds, np.ones(len(x), bool), everywhere,
            1.0 if holds.any() else 0.0, float(holds.mean()), 1.0, pd.DataFrame(), 0,
            f"{condition.strip()}: {always} holds in the {len(x)} samples; nothing to discover.",
        )  # fmt: skip
    with warnings.catch_warnings():  # the Workbench warns of optional evaluators it lacks, and
        warnings.simplefilter("ignore")  # of pandas features it uses that are deprecated
        from ema_workbench.analysis import cart, prim

        if method == "prim":
            # The Workbench counts a case of interest where y ≥ its threshold, and answers
            # "no box" (the whole space) where the box it peels to is less dense than that:
            # a tiny threshold keeps the cases (y = 1) and the peeled box; _choice then picks
            # by `threshold` along the whole trajectory.
            found = prim.Prim(x, holds, threshold=ANY, mass_min=MASS_MIN).find_box()
            trajectory = found.peeling_trajectory[["coverage", "density", "mass", "res_dim"]]
            limits = found.box_lims
        else:
            # the least mass a leaf may have, at least one sample
            tree = cart.CART(x, holds, mass_min=max(MASS_MIN, 1 / len(x)))
            tree.build_tree()
            limits = tree.boxes
            trajectory = pd.DataFrame(tree.stats).rename(columns={"res dim": "res_dim"})
            trajectory = trajectory[["coverage", "density", "mass", "res_dim"]]
    chosen = _choice(trajectory, threshold)
    bounds = limits[chosen]
    inside = np.ones(len(x), bool)
    for name in x:
        inside &= (x[name] >= bounds.at[0, name]) & (x[name] <= bounds.at[1, name])
    restricted = [n for n in x if bounds.at[0, n] > x[n].min() or bounds.at[1, n] < x[n].max()]
    box = pd.DataFrame(
        {"lo": [bounds.at[0, n] for n in restricted], "hi": [bounds.at[1, n] for n in restricted]},
        index=pd.Index(restricted, name="parameter"),
    )
    coverage = float((holds & inside).sum() / holds.sum())
    density = float((holds & inside).sum() / max(inside.sum(), 1))
    mass = float(inside.mean())
    sentence = _sentence(condition, box, x, coverage, density, float(holds.mean()))
    return Box(
        condition, strategy, method, holds, inside, box, coverage, density, mass,
        trajectory.reset_index(drop=True) if method == "prim" else pd.DataFrame(), chosen,
        sentence,
    )  # fmt: skip


def _choice(trajectory: pd.DataFrame, threshold: float) -> int:
    dense = trajectory[trajectory["density"] >= threshold]
    if dense.empty:
        return int(np.argmax(trajectory["density"].to_numpy()))
    return int(dense.index[np.argmax(dense["coverage"].to_numpy())])


def _sentence(
    condition: str, box: pd.DataFrame, x: pd.DataFrame, coverage: float, density: float,
    base: float,
) -> str:  # fmt: skip
    strategy, _, expression = condition.partition(":")
    said = f"{strategy.strip()}: “{expression.strip()}” holds in {base:.0%} of all {len(x)} samples"
    if box.empty:
        return f"{said}; no range of the parameters raises that share."
    ranges = []
    for name, (lo, hi) in box.iterrows():
        if lo > x[name].min() and hi < x[name].max():
            ranges.append(f"{name} is between {lo:.3g} and {hi:.3g}")
        elif lo > x[name].min():
            ranges.append(f"{name} ≥ {lo:.3g}")
        else:
            ranges.append(f"{name} ≤ {hi:.3g}")
    return (
        f"{said}, and in {density:.0%} of the cases where {' and '.join(ranges)} "
        f"(those cases hold {coverage:.0%} of all where it holds)."
    )


class _Evaluator:
    """Evaluates the restricted expression language of --where over every sample at once."""

    def __init__(self, samples: pd.DataFrame, strategy: str, outcomes: list[str], text: str):
        self.samples, self.strategy, self.outcomes, self.text = samples, strategy, outcomes, text

    def truth(self, node: ast.AST) -> np.ndarray:
        if isinstance(node, ast.BoolOp):
            parts = [self.truth(v) for v in node.values]
            combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
            return combine.reduce(parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return ~self.truth(node.operand)
        if isinstance(node, ast.Compare):
            named = [n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id != "baseline"]
            if len(set(named)) != 1:
                self.fail("each comparison names one outcome (and may compare it with baseline)")
            sides = [self.value(n, named[0]) for n in (node.left, *node.comparators)]
            truth = np.ones(len(self.samples), bool)
            for op, left, right in zip(node.ops, sides, sides[1:], strict=False):
                if type(op) not in COMPARISONS:
                    self.fail("compare with <, <=, > or >=")
                truth &= COMPARISONS[type(op)](left, right)
            return truth
        self.fail("write comparisons joined by and, or, not")

    def value(self, node: ast.AST, outcome: str) -> np.ndarray:
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return np.asarray(float(node.value))
        if isinstance(node, ast.Name):
            if node.id != "baseline" and node.id not in self.outcomes:
                close = difflib.get_close_matches(node.id, self.outcomes, n=3)
                hint = f" (did you mean {', '.join(close)}?)" if close else ""
                self.fail(f"{node.id!r} is no outcome of {self.strategy}{hint}")
            who = "baseline" if node.id == "baseline" else self.strategy
            return self.samples[f"{who}.{outcome}"].to_numpy()
        if isinstance(node, ast.BinOp) and type(node.op) in ARITHMETIC:
            left, right = self.value(node.left, outcome), self.value(node.right, outcome)
            return ARITHMETIC[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -self.value(node.operand, outcome)
        self.fail("use outcomes, baseline, numbers and + - * /")

    def fail(self, why: str) -> NoReturn:
        raise ParameterError(f"--where {self.text!r}: {why}")
