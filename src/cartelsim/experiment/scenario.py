"""Scenario files (TOML): what to run, checked field by field; faults name file, line, field.

Reading is strict (see `cartelsim.fields`): a scenario that parses holds only values the model
takes as they are. What needs the world or the machine (places, the world folder, a Dask
scheduler, the output folder) is checked next, by `experiment.preflight`, before anything is
written.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from cartelsim import defaults, fields
from cartelsim.errors import CartelsimError, FieldError, ParameterError
from cartelsim.params import MAX_SEED, MAX_WEEKS, MIN_SCALE, SPECS, Params, Prior, spec
from cartelsim.policy.library import STRATEGIES
from cartelsim.policy.strategy import Strategy, setting
from cartelsim.world.posterior import posterior_digest

RUN_KEYS = {"world", "weeks", "scale", "seed", "replicates", "strategies", "parameters"}
LEVER_KEYS = {"lever", "intensity", "start", "end", "ramp_weeks"}
DISTRIBUTIONS = ("uniform", "loguniform", "triangular")
PARAMETER_MODES = ("posterior", "prior", "fixed")
MAX_REPLICATES = 100_000
FILE_LIMIT = 1_000_000  # bytes: a scenario file is a page or two of settings

Fail = Callable[[str, str], NoReturn]  # (field path, message)


def _world_name(value: Any) -> str:
    value = fields.text(value, 4096)
    if not value.strip():
        raise ValueError("is empty (a bundled world's name, or a folder)")
    return value


def _parameters_mode(value: Any) -> str:
    value = fields.text(value, 64)
    if value not in PARAMETER_MODES:
        raise ValueError(f"expected one of {', '.join(PARAMETER_MODES)}, got {fields.shown(value)}")
    return value


RUN_FIELDS: dict[str, Callable[[Any], Any]] = {
    "world": _world_name,
    "weeks": lambda v: fields.whole(v, 1, MAX_WEEKS),
    "scale": lambda v: fields.real(v, MIN_SCALE, 1.0),
    "seed": lambda v: fields.whole(v, 0, MAX_SEED),
    "replicates": lambda v: fields.whole(v, 1, MAX_REPLICATES),
    "parameters": _parameters_mode,
}


@dataclass
class Scenario:
    world: str = defaults.WORLD
    weeks: int = defaults.WEEKS
    scale: float = defaults.SCALE
    seed: int = defaults.SEED
    replicates: int = defaults.REPLICATES
    strategies: tuple[str, ...] = tuple(STRATEGIES)
    params: dict[str, float] = field(default_factory=dict)
    priors: dict[str, Prior] = field(default_factory=dict)  # the scenario's own
    parameters: str | None = None  # a PARAMETER_MODES; None: the posterior if the world has one
    custom: dict[str, Strategy] = field(default_factory=dict)
    source: str = ""  # the file's text, stored with the results
    origin: str = "scenario"  # where it came from, for messages: a file, or the command line

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
            "parameters": self.parameters_mode(),
        }
        if payload["parameters"] in ("prior", "posterior"):  # the declared priors decide too
            payload["declared_priors"] = {
                s.name: [s.prior.dist, s.prior.lo, s.prior.hi, s.prior.mode]
                for s in SPECS
                if s.prior is not None
            }
        if payload["parameters"] == "posterior":
            payload["posterior"] = posterior_digest(self.world)
        text = json.dumps(payload, sort_keys=True, default=str)
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def parameters_mode(self) -> str:
        """Where each replicate's parameters come from: the mode asked for, or by default the
        world's posterior where it ships one, and the fixed defaults where it does not."""
        if self.parameters is not None:
            return self.parameters
        return "posterior" if posterior_digest(self.world) else "fixed"

    def error(self, path: str, message: str) -> ScenarioError:
        """An error about one field, with the line it is set on when the file shows it."""
        line = line_of(self.source.splitlines(), path)
        at = f", line {line}" if line else ""
        return ScenarioError(f"{self.origin}{at}, field {path!r}: {message}")


class ScenarioError(CartelsimError):
    """A scenario file is malformed."""


def load_scenario(path: Path) -> Scenario:
    try:
        raw = path.read_bytes()
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ScenarioError(f"{path}: cannot read ({reason})") from None
    if len(raw) > FILE_LIMIT:
        raise ScenarioError(f"{path}: {len(raw):,} bytes; a scenario file holds at most 1 MB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ScenarioError(f"{path}: not valid TOML: tables nested too deeply") from None
    return parse_scenario(data, text, str(path))


def parse_scenario(data: dict[str, Any], text: str = "", where: str = "scenario") -> Scenario:
    scenario = Scenario(source=text, origin=where)

    def fail(path: str, message: str) -> NoReturn:
        raise scenario.error(path, message)

    unknown = sorted(set(data) - {"run", "params", "priors", "strategies"})
    if unknown:
        fail(unknown[0], "unknown section or key (expected run, params, priors, strategies)")
    run = _table(data, "run", fail)
    for key in run:
        if key == "sample_priors":
            fail("run.sample_priors", 'replaced by run.parameters = "prior" (or "posterior")')
        if key not in RUN_KEYS:
            fail(f"run.{key}", f"unknown key (expected one of {', '.join(sorted(RUN_KEYS))})")
    for key, read in RUN_FIELDS.items():
        if key in run:
            setattr(scenario, key, _field(read, run[key], f"run.{key}", fail))
    for key, value in _table(data, "params", fail).items():
        try:
            Params({key: value}, origin="parameter")
        except ParameterError as exc:
            fail(f"params.{key}", str(exc).split(": ", 1)[-1])
        scenario.params[key] = value
    for key, value in _table(data, "priors", fail).items():
        scenario.priors[key] = _prior(key, value, fail)
    for name, body in _table(data, "strategies", fail).items():
        scenario.custom[name] = _strategy(name, body, fail, where)
    scenario.strategies = _strategy_names(run, scenario.custom, fail)
    return scenario


def with_flags(scenario: Scenario, flags: dict[str, tuple[str, Any]]) -> Scenario:
    """The scenario with command-line values in place of its own (`flags`: flag name →
    (field, value)), read as strictly as the file's; a fault names the flag."""
    for flag, (key, value) in flags.items():

        def fail(_: str, message: str, flag: str = flag) -> NoReturn:
            raise ScenarioError(f"--{flag}: {message}")

        if key == "strategies":
            names = [s.strip() for s in value.split(",") if s.strip()]
            scenario.strategies = _strategy_names({"strategies": names}, scenario.custom, fail)
        else:
            setattr(scenario, key, _field(RUN_FIELDS[key], value, key, fail))
    return scenario


def _field(read: Callable[[Any], Any], value: Any, path: str, fail: Fail) -> Any:
    try:
        return read(value)
    except ValueError as exc:
        fail(path, str(exc))


def _table(data: dict, key: str, fail: Fail) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        fail(key, f"expected a table, got {fields.shown(value)}")
    return value


def _strategy_names(run: dict, custom: dict[str, Strategy], fail: Fail) -> tuple[str, ...]:
    path = "run.strategies"
    names = run.get("strategies", [*STRATEGIES, *custom])
    if not isinstance(names, list) or not names:
        fail(path, f"expected a list of strategy names, got {fields.shown(names)}")
    seen: set[str] = set()
    for name in names:
        if not isinstance(name, str) or (name not in STRATEGIES and name not in custom):
            fail(path, f"unknown strategy {fields.shown(name)}")
        if name in seen:
            fail(path, f"strategy {name!r} is listed twice")
        seen.add(name)
    return tuple(names if "baseline" in seen else ["baseline", *names])


def _prior(name: str, value: Any, fail: Fail) -> Prior:
    path = f"priors.{name}"
    try:
        s = spec(name)
    except KeyError:
        fail(path, "unknown parameter")
    if not isinstance(value, dict):
        fail(path, 'expected a table like { dist = "uniform", lo = 1, hi = 2 }')
    extra = sorted(set(value) - {"dist", "lo", "hi", "mode"})
    if extra:
        fail(f"{path}.{extra[0]}", "unknown key (expected dist, lo, hi, mode)")
    dist = value.get("dist", "uniform")
    if dist not in DISTRIBUTIONS:
        fail(f"{path}.dist", f"must be one of {', '.join(DISTRIBUTIONS)}, got {fields.shown(dist)}")
    bounds = {}
    for key in ("lo", "hi"):
        if key not in value:
            fail(f"{path}.{key}", "missing: a prior needs numbers lo and hi")
        bounds[key] = _field(
            lambda v: fields.real(v, s.lo, s.hi), value[key], f"{path}.{key}", fail
        )
    lo, hi = bounds["lo"], bounds["hi"]
    if lo > hi:
        fail(path, f"lo = {lo:g} is above hi = {hi:g}")
    mode = None
    if dist == "triangular":
        if "mode" not in value:
            fail(f"{path}.mode", "a triangular prior needs a mode")
        mode = _field(lambda v: fields.real(v, lo, hi), value["mode"], f"{path}.mode", fail)
    elif "mode" in value:
        fail(f"{path}.mode", f"only a triangular prior takes a mode, not {dist}")
    if dist == "loguniform" and lo <= 0:
        fail(f"{path}.lo", "a loguniform prior needs lo > 0")
    return Prior(dist, lo, hi, mode)


def _strategy(name: str, body: Any, fail: Fail, where: str) -> Strategy:
    section = f"strategies.{name}"
    _field(fields.name, name, section, fail)
    if name in STRATEGIES:
        fail(section, f"{name!r} is a built-in strategy: give yours another name")
    if not isinstance(body, dict):
        fail(section, "expected a table with description and [[levers]]")
    extra = sorted(set(body) - {"description", "levers"})
    if extra:
        fail(f"{section}.{extra[0]}", "unknown key (expected description, levers)")
    description = _field(fields.text, body.get("description", ""), f"{section}.description", fail)
    levers = body.get("levers", [])
    if not isinstance(levers, list) or not all(isinstance(x, dict) for x in levers):
        fail(f"{section}.levers", "expected [[strategies.NAME.levers]] tables")
    settings = []
    for i, entry in enumerate(levers, start=1):
        at = f"{section}.levers[{i}]"
        for key in ("lever", "intensity"):
            if key not in entry:
                fail(f"{at}.{key}", "missing: every lever needs `lever` and `intensity`")
        options = {k: v for k, v in entry.items() if k not in LEVER_KEYS}
        try:
            settings.append(
                setting(
                    entry["lever"],
                    entry["intensity"],
                    start=entry.get("start", 0),
                    end=entry.get("end"),
                    ramp_weeks=entry.get("ramp_weeks", 0),
                    **options,
                )
            )
        except FieldError as exc:
            fail(f"{at}.{exc.field}", exc.message)
    try:
        return Strategy(name, description, tuple(settings), (f"scenario file {where}",))
    except FieldError as exc:
        fail(f"{section}.{exc.field}", exc.message)


def line_of(lines: list[str], path: str) -> int:
    """The line that sets the field `path` (like 'strategies.x.levers[2].intensity'), or the
    nearest enclosing table or key that shows; 0 if none does. TOML parsers keep no lines, so
    this reads the text: a best effort that knows tables, arrays of tables and keys."""
    parts = path.replace("[", ".[").split(".")
    if parts[-1].startswith("["):
        table, nth = _table_and_index(parts)
        return _header_line(lines, table, nth)
    key = parts[-1]
    table, nth = _table_and_index(parts[:-1])
    full = f"{table}.{key}" if table else key
    count, current = (0 if table else 1), ""
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            current = stripped.strip("[]").strip().replace('"', "")
            if current == full:
                return number
            count += current == table
            continue
        name = stripped.split("=", 1)[0].strip().strip('"')
        if "=" in stripped and name == key and current == table and count == nth:
            return number
    parent = ".".join(parts[:-1]).replace(".[", "[")
    return line_of(lines, parent) if parent else 0


def _header_line(lines: list[str], table: str, nth: int) -> int:
    count = 0
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.strip("[]").strip().replace('"', "") == table:
            count += 1
            if count == nth:
                return number
    return 0


def _table_and_index(parts: list[str]) -> tuple[str, int]:
    """'strategies', 'x', 'levers', '[2]' → ('strategies.x.levers', 2)."""
    nth = 1
    if parts and parts[-1].startswith("["):
        nth = int(parts[-1].strip("[]"))
        parts = parts[:-1]
    return ".".join(parts), nth
