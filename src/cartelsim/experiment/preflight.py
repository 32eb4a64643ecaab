"""One check of everything a run needs, made before anything is written: the world loads,
every strategy fits it, the executor settings are sound and the output folder can take this
scenario. `cartelsim run --check` runs it alone; every run runs it first."""

from __future__ import annotations

import ipaddress
import os
import socket
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from cartelsim.errors import CartelsimError, FieldError
from cartelsim.experiment.scenario import Scenario, ScenarioError
from cartelsim.experiment.store import check_out
from cartelsim.world.world import World, load_world, world_folder

MAX_WORKERS = 256
SCHEMES = ("tcp", "tls", "ws", "wss", "inproc")  # Dask's comms
DASK_PORT = 8786  # a Dask scheduler's default port
CONNECT_TIMEOUT_S = 5.0


@dataclass
class Plan:
    """What a run will do, and what is worth knowing before it starts."""

    scenario: Scenario
    world: World
    notes: list[str] = field(default_factory=list)

    def describe(self) -> str:
        s = self.scenario
        runs = len(s.strategies) * s.replicates
        lines = [
            f"{s.origin}: ready to run {len(s.strategies)} strategies × {s.replicates} "
            f"replicates ({runs} runs) of {s.weeks} weeks at scale {s.scale:g} on world "
            f"{self.world.name!r}, root seed {s.seed}; scenario digest {s.digest()}.",
        ]
        lines.append(f"parameters: {self.parameters()}")
        lines += [f"note: {note}" for note in self.notes]
        return "\n".join(lines)

    def parameters(self) -> str:
        """Where each replicate's parameters come from, in a line."""
        mode, posterior = self.scenario.parameters_mode(), self.world.posterior
        own = len(self.scenario.priors)
        drawn = f", the scenario's {own} priors drawn" if own else ""
        if mode == "posterior" and posterior is not None:
            return (
                f"posterior: one of the world's {len(posterior.values)} accepted sets per "
                f"replicate for {len(posterior.names)} calibrated parameters, every other "
                f"prior drawn{drawn}"
            )
        if mode == "prior":
            return f"prior: every parameter with a prior drawn from it{drawn}"
        return f"fixed: the defaults{drawn}"


def preflight(
    scenario: Scenario,
    out: Path | None = None,
    *,
    resume: bool = False,
    workers: int | None = None,
    scheduler: str | None = None,
) -> Plan:
    """Check the run; raise a CartelsimError naming the field or flag at fault."""
    if workers is not None and not 1 <= workers <= MAX_WORKERS:
        raise CartelsimError(f"--workers: must be in [1, {MAX_WORKERS}], got {workers}")
    if scheduler is not None:
        check_scheduler(scheduler)
    world = cached_world(scenario)
    plan = Plan(scenario, world)
    mode = scenario.parameters_mode()
    if mode == "posterior" and world.posterior is None:
        raise scenario.error(
            "run.parameters",
            f"world {world.name!r} ships no posterior (posterior.csv); use 'prior' or 'fixed', "
            "or run `cartelsim calibrate` and copy its files into the world folder",
        )
    if scenario.parameters is None and mode == "fixed":
        plan.notes.append(
            f"world {world.name!r} ships no posterior: parameters fixed at their defaults "
            "(--parameters prior draws them from their priors)"
        )
    for name in scenario.strategies:
        strategy = scenario.strategy(name)
        try:
            strategy.check(world)
        except FieldError as exc:
            raise scenario.error(f"strategies.{name}.{exc.field}", exc.message) from None
        for i, s in enumerate(strategy.settings, start=1):
            if s.schedule.start >= scenario.weeks:
                plan.notes.append(
                    f"strategy {name!r}, lever {i} ({s.lever}) starts in week "
                    f"{s.schedule.start}, after the last week ({scenario.weeks - 1}): it "
                    "never acts"
                )
    if out is not None:
        check_out(out, scenario.digest(), resume=resume)
    return plan


def cached_world(scenario: Scenario) -> World:
    """The scenario's world, loaded once per folder and version of its files."""
    try:
        folder = world_folder(scenario.world)
        return _load(str(folder.resolve()), _signature(folder))
    except CartelsimError as exc:
        raise scenario.error("run.world", str(exc)) from None


def _signature(folder: Path) -> tuple:
    try:
        return tuple(
            (entry.name, entry.stat().st_mtime_ns, entry.stat().st_size)
            for entry in sorted(os.scandir(folder), key=lambda e: e.name)
        )
    except OSError as exc:
        raise CartelsimError(f"world {folder}: cannot read it ({exc.strerror})") from None


@lru_cache(maxsize=8)
def _load(folder: str, signature: tuple) -> World:
    return load_world(folder)


def check_scheduler(address: str) -> None:
    """A Dask scheduler address that names a host this machine resolves, where something
    answers."""

    def fail(why: str) -> None:
        raise ScenarioError(f"--scheduler {address!r}: {why}")

    if not address or any(c.isspace() or not c.isprintable() for c in address):
        fail("expected an address like tcp://host:8786")
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme not in SCHEMES:
        fail(f"unknown protocol {parts.scheme!r} (expected one of {', '.join(SCHEMES)})")
    if parts.scheme == "inproc":
        return
    try:
        host, port = parts.hostname, parts.port
    except ValueError:
        fail("the port must be a number in [1, 65535]")
    port = DASK_PORT if port is None else port
    if not host:
        fail("no host (expected an address like tcp://host:8786)")
    if not 1 <= port <= 65535:
        fail("the port must be a number in [1, 65535]")
    try:
        ipaddress.ip_address(host)
    except ValueError:
        try:
            socket.getaddrinfo(host, port)
        except (OSError, UnicodeError):
            fail(f"cannot resolve the host {host!r}")
    try:  # Dask itself would retry for 20 s before saying that nothing answers
        socket.create_connection((host, port), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as exc:
        fail(f"nothing answers at {host}:{port} ({exc.strerror or exc})")
