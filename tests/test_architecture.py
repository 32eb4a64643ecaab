"""The seams between the parts hold: processes talk only through the state and the weekly
ledger, write the outputs without reading them, can be built in any order, and run in the
order docs/model.md §3 gives."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cartelsim.processes import WEEK, Process
from cartelsim.sim import Sim

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "cartelsim"
# Code that runs inside a process's step: the processes, their shared helpers, the levers.
STEP_CODE = sorted((PACKAGE / "processes").glob("*.py")) + sorted(
    (PACKAGE / "policy" / "levers").glob("*.py")
)
ADD_AT = {"add", "subtract"}  # np.add.at(out..., ...) writes


class OutReads(ast.NodeVisitor):
    """Finds every place where code reads the outputs (`sim.out` and names bound to a part of
    it). Writing is allowed: an assignment or augmented assignment to a part of it, and the
    first argument of np.add.at / np.subtract.at."""

    def __init__(self) -> None:
        self.aliases: set[str] = set()
        self.reads: list[int] = []

    def from_out(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Attribute) and node.attr == "out":
            return isinstance(node.value, ast.Name)
        if isinstance(node, ast.Name):
            return node.id in self.aliases
        if isinstance(node, ast.Attribute | ast.Subscript):
            return self.from_out(node.value)
        return False

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        outer, self.aliases = self.aliases, set()
        self.generic_visit(node)
        self.aliases = outer

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            names = target.elts if isinstance(target, ast.Tuple) else [target]
            values = node.value.elts if isinstance(node.value, ast.Tuple) else [node.value]
            if len(names) == len(values):
                for name, value in zip(names, values, strict=True):
                    if isinstance(name, ast.Name) and self.from_out(value):
                        self.aliases.add(name.id)  # a view of the outputs: a place to write
                    else:
                        self.visit(value)
            else:
                self.visit(node.value)
            self._target(target)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._target(node.target)
        self.visit(node.value)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        writes = (
            isinstance(func, ast.Attribute)
            and func.attr == "at"
            and isinstance(func.value, ast.Attribute)
            and func.value.attr in ADD_AT
            and node.args
            and self.from_out(node.args[0])
        )
        if not writes:
            self.generic_visit(node)
            return
        self._target(node.args[0])
        for arg in node.args[1:]:
            self.visit(arg)

    def _target(self, node: ast.AST) -> None:
        """A place written to: only its indices are read."""
        if not self.from_out(node):
            if not isinstance(node, ast.Tuple | ast.Name):
                self.visit(node)
            return
        for part in ast.walk(node):
            if isinstance(part, ast.Subscript):
                self.visit(part.slice)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        self._load(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        self._load(node)

    def visit_Name(self, node: ast.Name) -> None:
        self._load(node)

    def _load(self, node: ast.AST) -> None:
        if self.from_out(node):
            self.reads.append(node.lineno)
        else:
            self.generic_visit(node)


def _out_reads(source: str) -> list[int]:
    finder = OutReads()
    finder.visit(ast.parse(source))
    return finder.reads


@pytest.mark.parametrize("path", STEP_CODE, ids=lambda p: p.name)
def test_processes_write_the_outputs_and_never_read_them(path):
    reads = _out_reads(path.read_text(encoding="utf-8"))
    assert not reads, f"{path.name} reads the outputs on line(s) {reads}: use the ledger"


def test_the_output_rule_checker_sees_a_read():
    """The checker is not vacuous: these reads are caught, these writes are not."""
    writes = (
        "def f(sim):\n"
        "    n, row = sim.out.national, sim.row\n"
        "    n['x'][row] = 1\n"
        "    sim.out.place[row] += 2\n"
        "    flow = sim.out.flow[row]\n"
        "    flow += 3\n"
        "    np.add.at(sim.out.deaths[row], places, 1)\n"
    )
    assert _out_reads(writes) == []
    reads = (
        "def f(sim):\n"
        "    n = sim.out.national\n"
        "    consumed = n['consumed_kg'][sim.row]\n"
        "    deaths = consumed * 10\n"
        "    last = sim.out.place[sim.row - 1].sum()\n"
        "    n['x'][sim.row] = n['y'][sim.row]\n"
    )
    assert _out_reads(reads) == [4, 5, 6]


def test_processes_never_touch_one_another():
    """No step reaches another process, nor imports one: they meet in the state only."""
    processes = {cls.__name__ for cls in WEEK}
    for path in STEP_CODE:
        if path.name == "__init__.py":
            continue  # the schedule, which lists them
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in ("process", "processes"):
                pytest.fail(f"{path.name}, line {node.lineno}: reaches the processes")
            if isinstance(node, ast.ImportFrom):
                imported = {alias.name for alias in node.names} & processes
                assert not imported, f"{path.name} imports the process(es) {imported}"


def test_the_sim_holds_no_process_by_name():
    sim = Sim(weeks=2, scale=0.02)
    names = {proc.name for proc in sim.processes}
    assert not names & set(vars(sim)), "processes are reached through sim.process(name) only"
    assert [type(p) for p in sim.processes] == list(WEEK)


def test_every_process_declares_its_place_in_the_week():
    for cls in WEEK:
        assert issubclass(cls, Process)
        assert cls.name and cls.does and cls.section, cls
    names = [cls.name for cls in WEEK]
    assert len(set(names)) == len(names)
    burn_in = [cls.name for cls in WEEK if cls.burn_in]
    assert burn_in == [
        "precursors",
        "production",
        "routing",
        "transport",
        "border",
        "market",
        "health",
    ]


def test_processes_can_be_built_in_any_order(world):
    """The state is built whole first, so the order in which the processes are made changes
    nothing: shuffle it, and the run is the same to the last bit."""

    def run(order):
        sim = Sim(world, strategy="combined", weeks=40, scale=0.03, seed=4)
        made = {cls: cls(sim) for cls in order}
        sim.processes = tuple(made[cls] for cls in WEEK)
        return sim.run()

    straight = run(list(WEEK))
    shuffled = list(WEEK)
    random.Random(1).shuffle(shuffled)
    other = run(shuffled)
    pd.testing.assert_frame_equal(straight.weekly(), other.weekly())
    np.testing.assert_array_equal(straight.place_homicides, other.place_homicides)


def test_the_ledger_is_cleared_every_week(world):
    sim = Sim(world, strategy="drone-strikes-unilateral", weeks=30, scale=0.05, seed=2)
    cleared = []
    original = sim.ledger.clear

    def clear():
        cleared.append(sim.row)
        original()

    sim.ledger.clear = clear
    sim.run()
    assert cleared == list(range(sim.rows))


def test_the_docs_give_the_weekly_plan():
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    block = text.split("<!-- plan:start -->\n", 1)[1].split("\n<!-- plan:end -->", 1)[0]
    plan = Sim(weeks=2, scale=0.02).plan()
    assert block == plan, (
        "docs/model.md §3 is not the weekly plan: paste the output of Sim().plan() between the "
        "plan markers"
    )


def test_each_lever_declares_the_effort_it_sets():
    """A lever sets only effort it declares (or the shared fields), and no two declare one."""
    from cartelsim.policy.levers import LEVERS
    from cartelsim.state.effort import SHARED

    declared: dict[str, str] = {}
    for lever in LEVERS.values():
        for name in lever.effort:
            assert name not in declared and name not in SHARED, (name, lever.name)
            declared[name] = lever.name
        source = PACKAGE / "policy" / "levers" / f"{type(lever).__module__.rsplit('.', 1)[1]}.py"
        tree = ast.parse(source.read_text(encoding="utf-8"))
        written = {
            node.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name | ast.Attribute)
            and "effort" in ast.unparse(node.value)
        }
        written |= {
            node.value.attr
            for node in ast.walk(tree)
            if isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Attribute)
            and "effort" in ast.unparse(node.value.value)
        }
        assert written <= set(lever.effort) | set(SHARED), (lever.name, written)


def test_every_lever_of_the_package_is_found_in_its_order():
    from cartelsim.policy.lever import Lever
    from cartelsim.policy.levers import LEVERS

    modules = {p.stem for p in (PACKAGE / "policy" / "levers").glob("*.py")} - {"__init__"}
    found = {type(lever).__module__.rsplit(".", 1)[1] for lever in LEVERS.values()}
    assert found == modules
    orders = [type(lever).order for lever in LEVERS.values()]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)
    assert all(isinstance(lever, Lever) for lever in LEVERS.values())


def test_the_docs_list_every_effort_field():
    sim = Sim(weeks=2, scale=0.02)
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    table = text.split("**Effort** (`state/effort.py`)", 1)[1].split("\n\n", 2)[1]
    listed = {name for row in table.splitlines()[2:] for name in row.split("|")[1].split("`")[1::2]}
    assert listed == set(sim.effort.baseline)


def test_the_example_scenario_shows_the_defaults():
    import tomllib

    from cartelsim import defaults
    from cartelsim.cli.run import INIT_TEXT

    run = tomllib.loads(INIT_TEXT)["run"]
    assert (run["world"], run["weeks"], run["scale"], run["seed"], run["replicates"]) == (
        defaults.WORLD,
        defaults.WEEKS,
        defaults.SCALE,
        defaults.SEED,
        defaults.REPLICATES,
    )
