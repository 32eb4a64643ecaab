"""A corpus of generated inputs for the command line, each with the outcome it must have.

Every case is a command line (and the files it names) that either must be accepted (exit 0)
or must be rejected with exit code 2 and a message naming the file and the field at fault. The
corpus is generated from a seed, so a failure can be replayed; `tally` sorts outcomes into:

- ok: as expected;
- traceback: an exception escaped the command line;
- hang: the case ran past its time limit;
- silent accept: a bad input was taken (exit 0);
- false reject: a good input was refused;
- unnamed: a rejection that does not name the file and the field;
- insane: an accepted run whose summary holds a negative or non-finite count.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import random
import shutil
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cartelsim.cli import main
from cartelsim.params import MAX_WEEKS, SPECS
from cartelsim.policy.levers import LEVERS
from cartelsim.world.world import MAX_POPULATION, MAX_TRAFFIC, world_folder

NAN, INF = float("nan"), float("inf")
NOT_NUMBERS: tuple[Any, ...] = (True, False, "1", "", [1], {"a": 1})
NON_FINITE = (NAN, INF, -INF)
SCENARIO = "scenario.toml"
WORLD = "world"
SIM_FLAGS = ["--weeks", "3", "--scale", "0.01"]
SANE_RUN = [
    "simulate",
    "--json",
    "--out",
    "{dir}/res",
    *SIM_FLAGS,
]  # a run whose outputs are checked


@dataclass
class Case:
    kind: str
    label: str
    argv: list[str]  # "{dir}" stands for the case's own folder
    expect: str  # "accept" or "reject"
    names: tuple[str, ...] = ()  # what a rejection must name ("{dir}" as above)
    files: dict[str, bytes] = field(default_factory=dict)
    world_edit: Callable[[Path], None] | None = None
    sane: bool = False  # an accepted run prints a JSON summary to check


@dataclass
class Outcome:
    case: Case
    verdict: str
    code: int | None
    stderr: str
    seconds: float


# --- TOML, written from Python values (no dependency needed) -----------------------------------


def toml(data: dict[str, Any]) -> str:
    lines: list[str] = []
    _toml_table(data, [], lines)
    return "\n".join(lines) + "\n"


def _toml_table(data: dict, path: list[str], lines: list[str]) -> None:
    plain = {k: v for k, v in data.items() if not _is_table(v) and not _is_table_array(v)}
    if path and (plain or not data):
        lines.append(f"[{'.'.join(_key(p) for p in path)}]")
    lines += [f"{_key(k)} = {_value(v)}" for k, v in plain.items()]
    for k, v in data.items():
        if _is_table(v):
            _toml_table(v, [*path, k], lines)
        elif _is_table_array(v):
            for item in v:
                lines.append(f"[[{'.'.join(_key(p) for p in [*path, k])}]]")
                lines += [f"{_key(kk)} = {_value(vv)}" for kk, vv in item.items()]


def _is_table(v: Any) -> bool:
    return isinstance(v, dict) and not getattr(v, "inline", False)


def _is_table_array(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(_is_table(x) for x in v)


class Inline(dict):
    inline = True


def _key(k: str) -> str:
    return k if k and all(c.isalnum() or c in "_-" for c in k) and k.isascii() else json.dumps(k)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    return "[" + ", ".join(_value(x) for x in v) + "]"


# --- scenario files ------------------------------------------------------------------------


def base_scenario() -> dict[str, Any]:
    """A valid scenario touching every kind of field."""
    return {
        "run": {
            "world": "mexico-2025",
            "weeks": 52,
            "scale": 0.1,
            "seed": 3,
            "replicates": 2,
            "strategies": ["baseline", "kingpin", "my-mix"],
            "parameters": "fixed",
        },
        "params": {"naloxone_effect": 0.15, "labs": 300},
        "priors": {
            "deterrence_strength": Inline(dist="uniform", lo=0.0, hi=1.0),
            "unilateral_erosion": Inline(dist="triangular", lo=0.0, hi=0.08, mode=0.02),
            "labs": Inline(dist="loguniform", lo=150, hi=1000),
        },
        "strategies": {
            "my-mix": {
                "description": "a mix",
                "levers": [
                    {"lever": "scanning", "intensity": 0.4, "truck": 0.7, "ramp_weeks": 10},
                    {
                        "lever": "strikes",
                        "intensity": 2.0,
                        "start": 4,
                        "end": 40,
                        "doctrine": "leaders",
                        "consent": "joint",
                        "civilian_limit": 1.0,
                    },
                    {"lever": "crackdown", "intensity": 0.5, "places": ["culiacan"]},
                    {"lever": "kingpin", "intensity": 1.0, "kill_share": 0.3},
                ],
            }
        },
    }


def _numbers(rng: random.Random, lo: float, hi: float, whole: bool) -> tuple[list, list]:
    """Good and bad values for a number field in [lo, hi]."""
    if whole:
        good = [int(lo), int(hi), rng.randint(int(lo), int(hi))]
        bad = [int(lo) - 1, int(hi) + 1, int(lo) + 0.5, float(int(lo)), 10**30, -(10**30)]
    else:
        span = hi - lo
        good = [lo, hi, lo + rng.random() * span]
        if lo <= int(lo) <= hi:
            good.append(int(lo))  # a whole number is a number
        bad = [lo - max(abs(lo), 1) * 0.5 - 1e-9, hi + max(abs(hi), 1), 1e300, -1e300]
    return good, bad + list(NOT_NUMBERS) + list(NON_FINITE)


def _set(data: dict, path: tuple, value: Any) -> None:
    node = data
    for p in path[:-1]:
        node = node[p]
    node[path[-1]] = value


def _drop(data: dict, path: tuple) -> None:
    node = data
    for p in path[:-1]:
        node = node[p]
    del node[path[-1]]


def _scenario_case(label: str, data: dict | bytes, expect: str, *fields_: str) -> Case:
    text = data if isinstance(data, bytes) else toml(data).encode("utf-8")
    return Case(
        "scenario",
        label,
        ["run", "--check", "{dir}/" + SCENARIO, "--out", "{dir}/out"],
        expect,
        ("{dir}/" + SCENARIO, *fields_),
        {SCENARIO: text},
    )


def scenario_cases(rng: random.Random) -> Iterator[Case]:
    """Each field of the base scenario set to good and bad values, and whole-file faults."""
    run_fields = {
        "weeks": (1, MAX_WEEKS, True),
        "scale": (1e-4, 1.0, False),
        "seed": (0, 2**63 - 1, True),
        "replicates": (1, 100_000, True),
    }
    for key, (lo, hi, whole) in run_fields.items():
        good, bad = _numbers(rng, lo, hi, whole)
        yield from _field_cases(("run", key), good, bad, f"run.{key}")
    worlds_bad = ["", " ", "nowhere", "x" * 5000, 1, True, ["mexico-2025"], "/proc", "../.."]
    yield from _field_cases(("run", "world"), ["mexico-2025"], worlds_bad, "run.world")
    strategies_bad = [
        [],
        "kingpin",
        ["nope"],
        ["kingpin", "kingpin"],
        [1],
        [""],
        ["a\nb"],
        ["</script>"],
    ]
    good = [["kingpin"], ["baseline", "my-mix"], ["my-mix", "border-scanning"]]
    yield from _field_cases(("run", "strategies"), good, strategies_bad, "run.strategies")
    yield from _field_cases(
        ("run", "parameters"),
        ["posterior", "prior", "fixed"],
        [1, True, "Prior", "", NAN, []],
        "run.parameters",
    )
    yield from _field_cases(("run", "horizon"), [], [5, "x"], "run.horizon")
    for s in SPECS:
        good, bad = _numbers(rng, s.lo, s.hi, s.integer)
        yield from _field_cases(("params", s.name), good, bad, f"params.{s.name}")
    yield from _field_cases(("params", "lab_capacity"), [], [1.0], "params.lab_capacity")
    yield from _prior_cases(rng)
    yield from _strategy_cases(rng)
    yield from _file_cases()


def _field_cases(path: tuple, good: list, bad: list, name: str) -> Iterator[Case]:
    for value in good:
        data = base_scenario()
        _set(data, path, value)
        yield _scenario_case(f"{name} = {value!r}"[:120], data, "accept")
    for value in bad:
        data = base_scenario()
        _set(data, path, value)
        yield _scenario_case(f"{name} = {value!r}"[:120], data, "reject", name)


def _prior_cases(rng: random.Random) -> Iterator[Case]:
    path = ("priors", "deterrence_strength")
    name = "priors.deterrence_strength"
    s = next(s for s in SPECS if s.name == "deterrence_strength")
    for key in ("lo", "hi"):
        good, bad = _numbers(rng, s.lo, s.hi, False)
        for value in good:
            data = base_scenario()
            _set(data, (*path, key), value)
            lo, hi = data["priors"]["deterrence_strength"]["lo"], value
            if key == "lo":
                lo, hi = value, data["priors"]["deterrence_strength"]["hi"]
            ok = lo <= hi
            yield _scenario_case(
                f"{name}.{key} = {value!r}", data, "accept" if ok else "reject", name
            )
        for value in [*bad, s.hi + 1, s.lo - 0.5]:
            data = base_scenario()
            _set(data, (*path, key), value)
            yield _scenario_case(f"{name}.{key} = {value!r}", data, "reject", name)
    tri = ("priors", "unilateral_erosion")
    for mode, ok in ((0.0, True), (0.08, True), (0.04, True), (0.09, False), (-0.01, False)):
        data = base_scenario()
        _set(data, (*tri, "mode"), mode)
        yield _scenario_case(
            f"mode {mode}", data, "accept" if ok else "reject", "priors.unilateral_erosion"
        )
    bad_tables = [
        ("dist", "normal"),
        ("dist", 1),
        ("q", 1),
        ("mode", 0.5),  # only triangular takes a mode
    ]
    for key, value in bad_tables:
        data = base_scenario()
        _set(data, (*path, key), value)
        yield _scenario_case(f"{name}.{key} = {value!r}", data, "reject", name)
    for drop in ("lo", "hi"):
        data = base_scenario()
        _drop(data, (*path, drop))
        yield _scenario_case(f"{name} without {drop}", data, "reject", name)
    data = base_scenario()
    _drop(data, (*tri, "mode"))
    yield _scenario_case("triangular without mode", data, "reject", "priors.unilateral_erosion")
    data = base_scenario()
    _set(data, ("priors", "labs", "lo"), 0)
    yield _scenario_case("loguniform lo 0", data, "reject", "priors.labs")
    data = base_scenario()
    _set(data, ("priors", "nonsense"), Inline(lo=0, hi=1))
    yield _scenario_case("prior of no parameter", data, "reject", "priors.nonsense")
    data = base_scenario()
    _set(data, ("priors", "deterrence_strength"), 0.5)
    yield _scenario_case("prior not a table", data, "reject", name)


OPTION_VALUES: dict[str, tuple[list, list]] = {
    "truck": ([0.0, 1.0, 0.5, 1], [1.5, -0.1, *NOT_NUMBERS, *NON_FINITE]),
    "doctrine": (
        ["leaders", "lieutenants", "logistics", "labs", "network"],
        ["napalm", "", 1, True, ["leaders"], "Leaders"],
    ),
    "consent": (["joint", "unilateral"], ["maybe", 1, True, "", ["joint"]]),
    "civilian_limit": ([0.0, 100.0, 0.5, 3], [-1.0, 101.0, *NOT_NUMBERS, *NON_FINITE]),
    "places": (
        [["culiacan"], ["culiacan", "tijuana"]],
        [[], ["nowhere"], ["phoenix"], "culiacan", [1], ["culiacan", "culiacan"], ["Bad Id"]],
    ),
    "kill_share": ([0.0, 1.0, 0.25], [1.5, -0.1, *NOT_NUMBERS, *NON_FINITE]),
}
LEVER_AT = {"scanning": 1, "strikes": 2, "crackdown": 3, "kingpin": 4}


def _strategy_cases(rng: random.Random) -> Iterator[Case]:
    section = ("strategies", "my-mix")
    prefix = "strategies.my-mix"
    for lever, i in LEVER_AT.items():
        at = (*section, "levers", i - 1)
        name = f"{prefix}.levers[{i}]"
        good, bad = _numbers(rng, 0.0, LEVERS[lever].most, False)
        yield from _field_cases((*at, "intensity"), good, bad, f"{name}.intensity")
        for option, (good, bad) in OPTION_VALUES.items():
            if option in LEVERS[lever].options:
                yield from _field_cases((*at, option), good, bad, f"{name}.{option}")
        yield from _field_cases((*at, "flavour"), [], [1], f"{name}.flavour")
    strikes = (*section, "levers", 1)
    name = f"{prefix}.levers[2]"
    for key in ("start", "end", "ramp_weeks"):
        good, bad = _numbers(rng, 0, MAX_WEEKS, True)
        for value in good:
            data = base_scenario()
            _set(data, (*strikes, key), value)
            lever = data["strategies"]["my-mix"]["levers"][1]
            ok = lever["start"] <= lever["end"]
            yield _scenario_case(
                f"{name}.{key} = {value}", data, "accept" if ok else "reject", name
            )
        yield from _field_cases((*strikes, key), [], bad, f"{name}.{key}")
    for drop in ("lever", "intensity"):
        data = base_scenario()
        _drop(data, (*strikes, drop))
        yield _scenario_case(f"lever without {drop}", data, "reject", f"{name}.{drop}")
    data = base_scenario()
    data["strategies"]["my-mix"]["levers"].append({"lever": "strikes", "intensity": 1.0})
    yield _scenario_case("overlapping settings", data, "reject", f"{prefix}.levers")
    data = base_scenario()
    data["strategies"]["my-mix"]["levers"].append(
        {"lever": "strikes", "intensity": 1.0, "start": 41}
    )
    yield _scenario_case("settings one after the other", data, "accept")
    yield from _field_cases((*section, "levers"), [[]], ["scanning", [1], 3], f"{prefix}.levers")
    yield from _field_cases(
        (*section, "description"), ["", "é" * 2000], [1, True, ["d"], "x" * 2001], prefix
    )
    yield from _field_cases((*section, "notes"), [], ["x"], prefix)
    for bad_name in ("", "Bad", "a b", "</script>", "a\nb", "x" * 65, "-x", "baseline", "kingpin"):
        data = base_scenario()
        data["strategies"][bad_name] = {"description": "d", "levers": []}
        yield _scenario_case(f"strategy name {bad_name!r}", data, "reject", "strategies.")
    for good_name in ("a", "x" * 64, "my_mix-2"):
        data = base_scenario()
        data["strategies"][good_name] = {"description": "d", "levers": []}
        data["run"]["strategies"].append(good_name)
        yield _scenario_case(f"strategy name {good_name!r}", data, "accept")
    data = base_scenario()
    data["strategies"]["other"] = "scanning"
    yield _scenario_case("strategy not a table", data, "reject", "strategies.other")


def _file_cases() -> Iterator[Case]:
    good = toml(base_scenario()).encode("utf-8")
    yield _scenario_case("the base scenario", good, "accept")
    yield _scenario_case("empty file", b"", "accept")
    yield _scenario_case("not UTF-8", good.replace(b"a mix", b"a m\xffix"), "reject", "UTF-8")
    yield _scenario_case("Latin-1", "description = 'é'".encode("latin-1"), "reject", "UTF-8")
    deep = "x = " + "{ a = " * 500 + "1" + " }" * 500 + "\n"
    yield _scenario_case("500-deep inline tables", deep.encode(), "reject", "TOML")
    yield _scenario_case("binary", bytes(range(256)) * 4, "reject")
    yield _scenario_case("truncated", good[: len(good) // 2], "reject", "TOML")
    yield _scenario_case("too large", b"# " + b"x" * 1_100_000 + b"\n", "reject", "1 MB")
    yield _scenario_case("unknown section", good + b"[surprise]\nx = 1\n", "reject", "surprise")
    yield _scenario_case("run not a table", b"run = 3\n", "reject", "run")
    yield _scenario_case("top-level key", b"weeks = 3\n", "reject", "weeks")


# --- --set values --------------------------------------------------------------------------


def set_value_ok(name: str, value: str) -> bool:
    """The specification of --set, written apart from the code it checks."""
    spec = next((s for s in SPECS if s.name == name), None)
    if spec is None:
        return False
    text = value.strip()
    try:
        number = int(text) if text.lstrip("+-").isdigit() and text.isascii() else float(text)
    except ValueError:
        return False
    if isinstance(number, float) and not math.isfinite(number):
        return False
    if not spec.lo <= number <= spec.hi:
        return False
    return not spec.integer or isinstance(number, int)


def set_cases(rng: random.Random) -> Iterator[Case]:
    values = [
        "nan",
        "inf",
        "-inf",
        "1e400",
        "-1e400",
        "1e-400",
        "",
        " ",
        "x",
        "0x10",
        "1,5",
        "true",
        "1_000",
        "٣",
        "9" * 400,
        "-" + "9" * 400,
        "1" * 5000,
        "1e308",
        "0",
        "-0",
        "+1",
    ]
    for s in SPECS:
        lo, hi = s.lo, s.hi
        numbers = [lo, hi, (lo + hi) / 2, lo - 1, hi + 1, hi * 2 + 1, lo + rng.random() * (hi - lo)]
        pool = [*values, *(repr(int(v)) if s.integer else repr(float(v)) for v in numbers)]
        for value in rng.sample(pool, min(len(pool), 12)):
            yield _set_case(s.name, value)
    for pair in ("labs", "=5", "labs==5", "nonsense=1", "LABS=5", "labs =5", " labs= 5 "):
        name, _, value = pair.partition("=")
        ok = "=" in pair and set_value_ok(name.strip(), value)
        yield Case(
            "set",
            f"--set {pair!r}",
            ["simulate", "--check", *SIM_FLAGS, "--set", pair],
            "accept" if ok else "reject",
            ("--set",),
        )
    yield Case(
        "set",
        "--set twice",
        ["simulate", "--check", *SIM_FLAGS, "--set", "labs=5", "--set", "labs=6"],
        "reject",
        ("--set", "labs"),
    )


def _set_case(name: str, value: str) -> Case:
    ok = set_value_ok(name, value)
    return Case(
        "set",
        f"--set {name}={value[:40]!r}",
        ["simulate", "--check", *SIM_FLAGS, "--set", f"{name}={value}"],
        "accept" if ok else "reject",
        ("--set", name),
    )


# --- flags ---------------------------------------------------------------------------------

CHECK_RUN = ["run", "--check", "--reps", "2", "--weeks", "4", "--out", "{dir}/out"]
CHECK_SIM = ["simulate", "--check", *SIM_FLAGS]


def flag_cases(rng: random.Random) -> Iterator[Case]:
    numeric = {
        "--weeks": (1, MAX_WEEKS, True),
        "--seed": (0, 2**63 - 1, True),
        "--scale": (1e-4, 1.0, False),
    }
    for flag, (lo, hi, whole) in numeric.items():
        for base in (CHECK_RUN, CHECK_SIM):
            for value, ok in _flag_values(rng, lo, hi, whole):
                yield _flag_case(base, flag, value, ok)
    for value, ok in _flag_values(rng, 1, 100_000, True):
        yield _flag_case(CHECK_RUN, "--reps", value, ok)
    for value, ok in _flag_values(rng, 1, 256, True):
        yield _flag_case(CHECK_RUN, "--workers", value, ok)
    schedulers = [
        ("nope", False),
        ("tcp://", False),
        ("", False),
        ("tcp://127.0.0.1:99999", False),
        ("tcp://127.0.0.1:0", False),
        ("http://127.0.0.1:8786", False),
        ("tcp://127.0.0.1:port", False),
        ("tcp://no-such-host.invalid:8786", False),
        ("tcp://127.0.0.1:8786 x", False),
        ("tcp://127.0.0.1:9", False),  # nothing listens there
        ("127.0.0.1:9", False),
    ]
    for value, ok in schedulers:
        yield _flag_case(CHECK_RUN, "--scheduler", value, ok)
    worlds = [
        ("", False),
        (" ", False),
        ("nowhere", False),
        ("x" * 5000, False),
        ("/proc", False),
        ("..", False),
        ("prieto-curiel-2023", False),
        ("mexico-2025", True),
    ]
    for base in (CHECK_RUN, CHECK_SIM):
        for value, ok in worlds:
            yield _flag_case(base, "--world", value, ok)
    strategies = [
        ("", False),
        (",", False),
        ("nope", False),
        ("kingpin,kingpin", False),
        ("</script>", False),
        ("baseline", True),
        ("kingpin, border-scanning", True),
    ]
    for value, ok in strategies:
        yield _flag_case(CHECK_RUN, "--strategies", value, ok)
    for value, ok in (("nope", False), ("", False), ("kingpin", True)):
        yield _flag_case(CHECK_SIM, "--strategy", value, ok)
    outs = [("{dir}/o'q", True), ('{dir}/a"b;DROP', True), ("{dir}/" + "x" * 300, False)]
    outs += [("/proc/cartelsim-out", False), ("{dir}/file.txt", False)]
    for value, ok in outs:
        case = _flag_case(["run", "--check", "--reps", "1"], "--out", value, ok)
        case.files = {"file.txt": b"not a folder"}
        yield case
    inits = [
        ("{dir}/new.toml", True),
        ("{dir}/file.txt", False),
        ("{dir}", False),
        ("/proc/x.toml", False),
        ("{dir}/no/such/folder/s.toml", False),
        ("{dir}/" + "x" * 300 + ".toml", False),
    ]
    for value, ok in inits:
        names = () if ok else (value.split("/")[-1][:50],)
        yield Case(
            "flags",
            f"init {value[:60]!r}",
            ["init", value],
            "accept" if ok else "reject",
            names,
            {"file.txt": b"x"},
        )
    reports = [
        ("{dir}/missing", "no result store"),
        ("{dir}/file.txt", "no result store"),
        ("{dir}/bad", "results.duckdb"),
    ]
    for value, name in reports:
        yield Case(
            "flags",
            f"report {value!r}",
            ["report", value],
            "reject",
            (name,),
            {"file.txt": b"x", "bad/results.duckdb": b"not a database"},
        )


def _flag_values(rng: random.Random, lo: int | float, hi: int | float, whole: bool):
    good = [lo, hi, rng.randint(lo, hi) if whole else lo + rng.random() * (hi - lo)]
    bad = ["x", "", "nan", "inf", str(10**400), "1e400"]
    bad += [str(lo - 1), str(hi + 1)] if whole else [repr(lo / 2), repr(hi + 1)]
    if whole:
        bad += ["1.5", "1e3"]
    yield from ((str(v), True) for v in good)
    yield from ((v, False) for v in bad)


def _flag_case(base: list[str], flag: str, value: str, ok: bool) -> Case:
    argv = [*base, flag, value]
    return Case(
        "flags",
        f"{base[0]} {flag} {value[:60]!r}",
        argv,
        "accept" if ok else "reject",
        () if ok else (flag.lstrip("-"),),
    )


# --- world folders -------------------------------------------------------------------------

WORLD_COLUMNS: dict[str, dict[str, str]] = {
    "places.csv": {
        "id": "id",
        "name": "text",
        "kind": "choice",
        "state": "text",
        "country": "choice",
        "lat": "number",
        "lon": "number",
        "population": "number",
        "density": "choice",
        "homicide_rate": "number",
        "lab_weight": "number",
    },
    "links.csv": {"source": "ref", "target": "ref", "kind": "choice", "length_km": "number"},
    "crossings.csv": {
        "place": "ref",
        "us_state": "text",
        "pov_per_week": "number",
        "trucks_per_week": "number",
        "pedestrians_per_week": "number",
    },
    "markets.csv": {"place": "ref", "demand_share": "number", "naloxone_coverage": "number"},
    "organizations.csv": {
        "org": "ref",
        "label": "text",
        "designated": "choice",
        "faction_of": "ref",
        "fentanyl_share": "number",
    },
    "presence.csv": {"place": "ref", "org": "ref", "weight": "number"},
    "rivalries_2025.csv": {
        "org_a": "ref",
        "org_b": "ref",
        "kind": "choice",
        "weight": "number",
        "since": "date",
    },
    "series.csv": {
        "year": "number",
        "lethal_share": "number",
        "mg_per_pill": "number",
        "naloxone_index": "number",
        "scan_pov": "number",
        "scan_truck": "number",
    },
}
# Columns whose every value in the range must run (bounds as the world's README gives them).
WORLD_RANGES = [
    ("places.csv", "population", (0, MAX_POPULATION)),
    ("places.csv", "homicide_rate", (0, 1000)),
    ("places.csv", "lab_weight", (0, 1)),
    ("places.csv", "lat", (-90, 90)),
    ("places.csv", "lon", (-180, 180)),
    ("links.csv", "length_km", (0, 50_000)),
    ("crossings.csv", "pov_per_week", (0, MAX_TRAFFIC)),
    ("crossings.csv", "trucks_per_week", (0, MAX_TRAFFIC)),
    ("crossings.csv", "pedestrians_per_week", (0, MAX_TRAFFIC)),
    ("markets.csv", "naloxone_coverage", (0, 1)),
    ("organizations.csv", "fentanyl_share", (0, 1)),
    ("presence.csv", "weight", (0.01, 1)),  # 0 can leave a group present nowhere: refused
    ("rivalries_2025.csv", "weight", (0, 1000)),
    ("series.csv", "lethal_share", (0, 1)),
    ("series.csv", "mg_per_pill", (0.01, 100)),
    ("series.csv", "naloxone_index", (0, 10)),
    ("series.csv", "scan_pov", (0, 1)),
    ("series.csv", "scan_truck", (0, 1)),
]
BAD_CELLS = {
    "number": ["nan", "inf", "-inf", "1e308", "-1e308", "-1", "x", "", "1e999", "0x10"],
    "text": ["", "a\x01b", "x" * 300],
    "id": ["", "Bad Id", "</script>", "x" * 70, "a'b"],
    "choice": ["", "napalm", "2"],
    "ref": ["nowhere", "N99999", "", "x" * 300],
    "date": ["2024-13-01", "yesterday", "", "2024-02-30"],
}


def _csv_edit(file: str, row: int, column: str, value: str) -> Callable[[Path], None]:
    return _csv_edits(file, [row], column, value)


def _csv_edits(file: str, which, column: str, value: str) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / file
        with path.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        for row in which:
            rows[row][rows[0].index(column)] = value
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)

    return edit


def _text_edit(file: str, change: Callable[[bytes], bytes]) -> Callable[[Path], None]:
    def edit(folder: Path) -> None:
        path = folder / file
        path.write_bytes(change(path.read_bytes()))

    return edit


def _world_case(label: str, edit, expect: str, *names: str, run: bool = False) -> Case:
    argv = list(SANE_RUN) if run else ["run", "--check", "--reps", "1"]
    argv += ["--world", "{dir}/" + WORLD]
    if not run:
        argv += ["--out", "{dir}/out"]
    return Case("world", label, argv, expect, names, world_edit=edit, sane=run)


def world_cases(rng: random.Random) -> Iterator[Case]:
    bundled = world_folder()
    for file, columns in WORLD_COLUMNS.items():
        rows = (bundled / file).read_text(encoding="utf-8").count("\n") - 1
        for column, kind in columns.items():
            for value in BAD_CELLS[kind]:
                if (column == "faction_of" and value == "") or (
                    column in ("lat", "lon") and value == "-1"
                ):
                    continue  # allowed: no parent organization; a negative coordinate
                row = rng.randint(1, rows)
                yield _world_case(
                    f"{file} line {row + 1} {column} = {value[:30]!r}",
                    _csv_edit(file, row, column, value),
                    "reject",
                    file,
                )
    for file in WORLD_COLUMNS:
        faults = {
            "extra column": lambda b: b.replace(b"\n", b",x\n", 1),
            "missing column": lambda b: b.split(b"\n", 1)[0].rsplit(b",", 1)[0] + b"\n",
            "extra value": lambda b: b.rstrip(b"\n") + b",surplus\n",
            "header only": lambda b: b.split(b"\n", 1)[0] + b"\n",
            "empty": lambda b: b"",
            "not UTF-8": lambda b: b.replace(b",", b"\xff,", 1),
            "NUL byte": lambda b: b.replace(b",", b"\x00,", 1),
            "duplicate row": lambda b: b + b.split(b"\n")[1] + b"\n",
        }
        for label, change in faults.items():
            if label == "duplicate row" and file in ("presence.csv", "rivalries_2025.csv"):
                continue  # repeating a row repeats a fact: allowed
            yield _world_case(f"{file}: {label}", _text_edit(file, change), "reject", file)
        if file != "rivalries_2025.csv":  # the only optional file
            yield _world_case(f"{file} missing", lambda f, n=file: (f / n).unlink(), "reject", file)
    yield _world_case(
        "demand shares do not sum to 1",
        _csv_edit("markets.csv", 1, "demand_share", "0.9"),
        "reject",
        "markets.csv",
    )
    yield _world_case(
        "a link to itself",
        _text_edit("links.csv", lambda b: b + b"tijuana,tijuana,road,5\n"),
        "reject",
        "links.csv",
    )
    yield _world_case("the bundled world", None, "accept")
    for file, column, (lo, hi) in WORLD_RANGES:
        rows = (bundled / file).read_text(encoding="utf-8").count("\n") - 1
        for value in (lo, hi, lo + rng.random() * (hi - lo)):
            text = str(int(value)) if value == int(value) else repr(value)
            # Sometimes the whole column (not fentanyl_share: at 0 everywhere no group makes
            # fentanyl, which the world refuses).
            every = rng.random() < 0.3 and column != "fentanyl_share"
            which = range(1, rows + 1) if every else [rng.randint(1, rows)]
            yield _world_case(
                f"{file} {'every row' if every else f'line {which[0] + 1}'} {column} = {text}",
                _csv_edits(file, which, column, text),
                "accept",
                run=True,
            )


# --- runs at the edges of what is accepted -------------------------------------------------


def edge_cases(rng: random.Random) -> Iterator[Case]:
    """Short runs with parameters and lever intensities at their bounds: they must run and
    give a sane summary."""
    for s in SPECS:
        for value in (s.lo, s.hi):
            value = int(value) if s.integer else value
            yield Case(
                "edge",
                f"{s.name} = {value}",
                [*SANE_RUN, "--set", f"{s.name}={value!r}"],
                "accept",
                sane=True,
            )
    for lever, spec in LEVERS.items():
        levers = [{"lever": lever, "intensity": spec.most}]
        if lever == "crackdown":
            levers[0]["places"] = ["culiacan", "tijuana"]
        if lever == "strikes":
            levers[0]["consent"] = rng.choice(["joint", "unilateral"])
            levers[0]["doctrine"] = rng.choice(["leaders", "labs", "network"])
        data = {
            "run": {"weeks": 6, "scale": 0.01, "replicates": 1, "strategies": ["edge"]},
            "params": {"identified_threshold": rng.choice([0.0, 0.3])},
            "strategies": {"edge": {"description": "at the bound", "levers": levers}},
        }
        yield Case(
            "edge",
            f"{lever} at {spec.most:g}",
            ["run", "{dir}/" + SCENARIO, "--out", "{dir}/out", "--workers", "1", "--json"],
            "accept",
            files={SCENARIO: toml(data).encode()},
        )


# --- running and judging -------------------------------------------------------------------

KINDS = {
    "scenario": scenario_cases,
    "set": set_cases,
    "flags": flag_cases,
    "world": world_cases,
    "edge": edge_cases,
}


def corpus(seed: int, rounds: int = 1, kinds: tuple[str, ...] = tuple(KINDS)) -> list[Case]:
    """The cases of `rounds` passes over the generators, each pass with its own draws (the
    runs at the edges, which draw little, only in the first)."""
    out = []
    for r in range(rounds):
        rng = random.Random(seed * 1000 + r)
        for kind in kinds:
            if kind != "edge" or r == 0:
                out += list(KINDS[kind](rng))
    return out


def quick(cases: list[Case], every: int) -> list[Case]:
    """Every n-th case of each kind: a spread of the corpus that runs in seconds."""
    by_kind: dict[str, list[Case]] = {}
    for case in cases:
        by_kind.setdefault(case.kind, []).append(case)
    return [c for group in by_kind.values() for c in group[::every]]


class _Hang(Exception):
    pass


def run_case(case: Case, folder: Path, limit: float = 60.0) -> Outcome:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in case.files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    if case.world_edit is not None or any("{dir}/" + WORLD in a for a in case.argv):
        shutil.copytree(world_folder(), folder / WORLD, dirs_exist_ok=True)
        if case.world_edit is not None:
            case.world_edit(folder / WORLD)
    argv = [a.replace("{dir}", str(folder)) for a in case.argv]
    out, err = io.StringIO(), io.StringIO()

    def alarm(*_):
        raise _Hang

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, limit)
    started = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse's own errors
                code = exc.code if isinstance(exc.code, int) else 2
        verdict = _judge(case, code, out.getvalue(), err.getvalue(), folder)
    except _Hang:
        code, verdict = None, "hang"
    except Exception as exc:  # any escape is what the fuzz looks for
        code, verdict = None, "traceback"
        err.write(f"{type(exc).__name__}: {exc}")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return Outcome(case, verdict, code, err.getvalue(), time.perf_counter() - started)


def _judge(case: Case, code: int, stdout: str, stderr: str, folder: Path) -> str:
    if case.expect == "accept":
        if code != 0:
            return "false reject"
        return "insane" if case.sane and not _sane(stdout, folder / "res") else "ok"
    if code == 0:
        return "silent accept"
    names = [n.replace("{dir}", str(folder)) for n in case.names]
    if code != 2 or not all(n in stderr for n in names) or "Traceback" in stderr:
        return "unnamed"
    return "ok"


def _sane(stdout: str, results: Path) -> bool:
    """Every number of the summary, and of the weekly and per-place series where the run
    wrote them, is finite and not negative (no output of the model can be below zero)."""
    try:
        summary = json.loads(stdout)
    except ValueError:
        return False
    numbers = [v for v in summary.values() if isinstance(v, int | float)]
    if not all(math.isfinite(v) and v >= 0 for v in numbers):
        return False
    for name in ("weekly.csv", "places.csv", "links.csv"):
        if (results / name).exists():
            frame = pd.read_csv(results / name).select_dtypes("number")
            values = frame.to_numpy()
            if not (np.isfinite(values).all() and (values >= 0).all()):
                return False
    return True


def tally(outcomes: list[Outcome]) -> Counter:
    return Counter((o.case.kind, o.verdict) for o in outcomes)


def table(outcomes: list[Outcome]) -> str:
    """Cases per kind and verdict, as the closing note reports them."""
    kinds = sorted({o.case.kind for o in outcomes})
    verdicts = ("ok", "traceback", "hang", "silent accept", "false reject", "unnamed", "insane")
    counts = tally(outcomes)
    head = f"{'kind':<10}{'cases':>7}" + "".join(f"{v:>15}" for v in verdicts)
    lines = [head]
    for kind in [*kinds, "all"]:
        row = [o for o in outcomes if kind in ("all", o.case.kind)]
        cells = [sum(counts[(k, v)] for k in kinds if kind in ("all", k)) for v in verdicts]
        lines.append(f"{kind:<10}{len(row):>7}" + "".join(f"{c:>15}" for c in cells))
    rejected = [o for o in outcomes if o.case.expect == "reject"]
    lines.append(
        f"{len(rejected)} rejections expected; {sum(o.code == 2 for o in rejected)} exit 2. "
        f"{sum(o.seconds for o in outcomes):.0f} s in all."
    )
    return "\n".join(lines)


def failures(outcomes: list[Outcome], most: int = 20) -> str:
    bad = [o for o in outcomes if o.verdict != "ok"]
    return "\n".join(
        f"[{o.verdict}] {o.case.kind}: {o.case.label} → exit {o.code}: {o.stderr.strip()[-300:]}"
        for o in bad[:most]
    )
