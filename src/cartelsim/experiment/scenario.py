"""Scenario files (TOML): what to run, checked field by field; faults name file, line, field."""

from __future__ import annotations

import hashlib
import json
import math
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cartelsim.errors import CartelsimError, ParameterError
from cartelsim.params import SPECS, Params, Prior, spec
from cartelsim.policy.library import STRATEGIES
from cartelsim.policy.strategy import Strategy, setting

RUN_KEYS = {"world", "weeks", "scale", "seed", "replicates", "strategies", "sample_priors"}
LEVER_KEYS = {"lever", "intensity", "start", "end", "ramp_weeks"}
DISTRIBUTIONS = ("uniform", "loguniform", "triangular")


@dataclass
class Scenario:
    world: str = "mexico-2025"
    weeks: int = 260
    scale: float = 0.1
    seed: int = 0
    replicates: int = 14
    strategies: tuple[str, ...] = tuple(STRATEGIES)
    params: dict[str, float] = field(default_factory=dict)
    priors: dict[str, Prior] = field(default_factory=dict)
    custom: dict[str, Strategy] = field(default_factory=dict)
    source: str = ""  # the file's text, stored with the results

    def strategy(self, name: str) -> Strategy:
        return self.custom.get(name) or STRATEGIES[name]

    def digest(self) -> str:
        """A hash of everything that decides the results (not of comments or layout)."""
        payload = {
            "world": self.world,
            "weeks": self.weeks,
            "scale": self.scale,
            "seed": self.seed,
            "strategies": [self.strategy(s).as_dict() for s in self.strategies],
            "params": self.params,
            "priors": {k: [p.dist, p.lo, p.hi, p.mode] for k, p in sorted(self.priors.items())},
        }
        text = json.dumps(payload, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]


class ScenarioError(CartelsimError):
    """A scenario file is malformed."""


def load_scenario(path: Path) -> Scenario:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None
    return parse_scenario(data, text, str(path))


def parse_scenario(data: dict[str, Any], text: str = "", where: str = "scenario") -> Scenario:
    lines = text.splitlines()

    def fail(section: str, key: str, message: str) -> None:
        line = _line_of(lines, section, key)
        at = f", line {line}" if line else ""
        name = f"{section}.{key}" if section else key
        raise ScenarioError(f"{where}{at}, field {name!r}: {message}")

    unknown = set(data) - {"run", "params", "priors", "strategies"}
    if unknown:
        fail(
            "",
            sorted(unknown)[0],
            "unknown section or key (expected run, params, priors, strategies)",
        )
    scenario = Scenario(source=text)
    run = _table(data.get("run", {}), "run", fail)
    for key in run:
        if key not in RUN_KEYS:
            fail("run", key, f"unknown key (expected one of {', '.join(sorted(RUN_KEYS))})")
    scenario.world = _typed(run, "world", str, scenario.world, fail)
    scenario.weeks = _typed(run, "weeks", int, scenario.weeks, fail, lo=1, hi=5200)
    scenario.scale = _typed(run, "scale", float, scenario.scale, fail, lo=1e-4, hi=1)
    scenario.seed = _typed(run, "seed", int, scenario.seed, fail, lo=0, hi=2**63 - 1)
    scenario.replicates = _typed(
        run, "replicates", int, scenario.replicates, fail, lo=1, hi=100_000
    )
    params = _table(data.get("params", {}), "params", fail)
    for key, value in params.items():
        try:
            Params({key: value}, origin="parameter")
        except ParameterError as exc:
            fail("params", key, str(exc).split(": ", 1)[-1])
        scenario.params[key] = value
    priors = data.get("priors", {})
    priors = _table(priors, "priors", fail)
    for key, value in priors.items():
        scenario.priors[key] = _prior(key, value, fail)
    if run.get("sample_priors", False) is True:
        for s in SPECS:
            if s.prior is not None and s.name not in scenario.params:
                scenario.priors.setdefault(s.name, s.prior)
    elif "sample_priors" in run and not isinstance(run["sample_priors"], bool):
        fail("run", "sample_priors", f"expected true or false, got {run['sample_priors']!r}")
    custom = _table(data.get("strategies", {}), "strategies", fail)
    for name, body in custom.items():
        scenario.custom[name] = _strategy(name, body, fail, where)
    names = run.get("strategies", list(STRATEGIES) + [n for n in custom if n not in STRATEGIES])
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names) or not names:
        fail("run", "strategies", f"expected a list of strategy names, got {names!r}")
    for name in names:
        if name not in STRATEGIES and name not in scenario.custom:
            fail("run", "strategies", f"unknown strategy {name!r}")
    if "baseline" not in names:
        names = ["baseline", *names]
    scenario.strategies = tuple(dict.fromkeys(names))
    return scenario


def _table(value: Any, section: str, fail) -> dict:
    if not isinstance(value, dict):
        fail("", section, f"expected a table, got {type(value).__name__}")
    return value


def _typed(table: dict, key: str, kind: type, default: Any, fail, lo=-math.inf, hi=math.inf):
    if key not in table:
        return default
    value = table[key]
    ok = isinstance(value, kind) and not isinstance(value, bool)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok:
        fail("run", key, f"expected {kind.__name__}, got {value!r}")
    if kind is not str and not lo <= value <= hi:
        fail("run", key, f"{value!r} is out of range [{lo:g}, {hi:g}]")
    return value


def _prior(name: str, value: Any, fail) -> Prior:
    try:
        s = spec(name)
    except KeyError:
        fail("priors", name, "unknown parameter")
    if not isinstance(value, dict):
        fail("priors", name, 'expected a table like { dist = "uniform", lo = 1, hi = 2 }')
    extra = set(value) - {"dist", "lo", "hi", "mode"}
    if extra:
        fail("priors", name, f"unknown key(s) {sorted(extra)} (expected dist, lo, hi, mode)")
    dist = value.get("dist", "uniform")
    if dist not in DISTRIBUTIONS:
        fail("priors", name, f"dist must be one of {', '.join(DISTRIBUTIONS)}, got {dist!r}")
    try:
        lo, hi = float(value["lo"]), float(value["hi"])
        mode = float(value["mode"]) if "mode" in value else None
    except (KeyError, TypeError, ValueError):
        fail("priors", name, "needs numbers lo and hi (and mode for triangular)")
    if not (s.lo <= lo <= hi <= s.hi):
        fail(
            "priors",
            name,
            f"lo..hi = {lo:g}..{hi:g} must lie within the parameter's range [{s.lo:g}, {s.hi:g}]",
        )
    if dist == "loguniform" and lo <= 0:
        fail("priors", name, "a loguniform prior needs lo > 0")
    if dist == "triangular" and (mode is None or not lo <= mode <= hi):
        fail("priors", name, "a triangular prior needs lo ≤ mode ≤ hi")
    return Prior(dist, lo, hi, mode)


def _strategy(name: str, body: Any, fail, where: str) -> Strategy:
    section = f"strategies.{name}"
    if not isinstance(body, dict):
        fail("strategies", name, "expected a table with description and [[levers]]")
    extra = set(body) - {"description", "levers"}
    if extra:
        fail(section, sorted(extra)[0], "unknown key (expected description, levers)")
    levers = body.get("levers", [])
    if not isinstance(levers, list) or not all(isinstance(x, dict) for x in levers):
        fail(section, "levers", "expected [[strategies.NAME.levers]] tables")
    settings = []
    for i, entry in enumerate(levers, start=1):
        if "lever" not in entry or "intensity" not in entry:
            fail(section, "levers", f"lever {i}: needs `lever` and `intensity`")
        options = {k: v for k, v in entry.items() if k not in LEVER_KEYS}
        try:
            settings.append(
                setting(
                    entry["lever"],
                    entry["intensity"],
                    start=entry.get("start", 0),
                    end=entry.get("end"),
                    ramp_weeks=entry.get("ramp_weeks", 0),
                    where=f"lever {i}",
                    **options,
                )
            )
        except (ParameterError, TypeError) as exc:
            fail(section, "levers", str(exc))
    return Strategy(
        name, str(body.get("description", "")), tuple(settings), (f"scenario file {where}",)
    )


def _line_of(lines: list[str], section: str, key: str) -> int:
    """The line where `key` is set in `section` (a best effort: TOML parsers give no lines)."""
    current = ""
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            current = stripped.strip("[]").strip()
            if current == f"{section}.{key}" or (not section and current == key):
                return number
            continue
        name = stripped.split("=", 1)[0].strip().strip('"')
        if (
            "=" in stripped
            and name == key
            and (current == section or (not section and not current))
        ):
            return number
        if section.startswith(current) and current and name == key:
            return number
    for number, line in enumerate(lines, start=1):
        if line.strip().startswith(f"{key}") or f"[{section}]" == line.strip():
            return number
    return 0
