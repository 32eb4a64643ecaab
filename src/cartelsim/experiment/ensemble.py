"""Ensembles: every replicate draws its uncertain parameters and its seed once, and every
strategy runs on them (common random numbers), so comparisons are paired. Work goes out in
coarse tasks — one replicate, all its strategies — to local processes or a Dask cluster, and
comes back replicate by replicate into the store."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from functools import lru_cache, partial
from pathlib import Path
from typing import Any

import pandas as pd

from cartelsim.errors import CartelsimError
from cartelsim.experiment.priors import replicate_parameters
from cartelsim.experiment.scenario import Scenario
from cartelsim.experiment.store import Store, stops_held
from cartelsim.experiment.workers import in_processes, sigterm_interrupts
from cartelsim.outcomes import STORED_WEEKLY
from cartelsim.params import Params
from cartelsim.rng import replicate_seed
from cartelsim.sim import Sim
from cartelsim.version import __version__
from cartelsim.world.world import load_world


@lru_cache(maxsize=4)
def _world(name: str):
    return load_world(name)


def run_replicate(scenario: Scenario, replicate: int) -> list[dict[str, Any]]:
    """All strategies of one replicate, on the same seed and the same parameter draws."""
    seed = replicate_seed(scenario.seed, replicate)
    world = _world(scenario.world)
    params = replicate_parameters(
        scenario.parameters_mode(),
        scenario.params,
        scenario.priors,
        world.posterior,
        scenario.seed,
        replicate,
    )
    checked = Params(params)
    records = []
    # The burn-in is the same for every strategy: run it once and fork the state.
    shared = Sim(world, checked, weeks=scenario.weeks, seed=seed, scale=scenario.scale).burn_in()
    for name in scenario.strategies:
        res = shared.fork(scenario.strategy(name)).run()
        weekly = res.national[list(STORED_WEEKLY)].reset_index()
        weekly.insert(0, "strategy", name)
        weekly.insert(0, "replicate", replicate)
        places = res.places()[["week", "place", "flow_kg", "seized_kg", "homicides", "od_deaths"]]
        places.insert(0, "strategy", name)
        places.insert(0, "replicate", replicate)
        links = res.links().groupby(["source", "target"], sort=False)["flow_kg"].sum()
        links = links.reset_index()
        links.insert(0, "strategy", name)
        links.insert(0, "replicate", replicate)
        records.append(
            {
                "replicate": replicate,
                "strategy": name,
                "seed": seed,
                "params": params,
                "summary": res.summary(),
                "weekly": weekly,
                "places": places,
                "links": links,
            }
        )
    return records


def run_ensemble(
    scenario: Scenario,
    out: Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    progress: Callable[[int, int, float], None] | None = None,
) -> Store:
    """Run what the store does not hold yet; return the store. A run that fails or is
    stopped keeps the replicates it finished, and leaves no store if it finished none."""
    # Where the parameters come from is settled here, once, not again on each worker.
    scenario = replace(scenario, parameters=scenario.parameters_mode())
    store = None
    with sigterm_interrupts(), dask_client(scheduler) as client:
        try:
            with stops_held():
                store = Store(out, scenario.digest(), _meta(scenario), resume=resume)
            _fill(store, scenario, workers, client, progress)
        except BaseException:
            if store is not None:
                with stops_held():
                    store.discard()
            raise
    return store


def _meta(scenario: Scenario) -> dict[str, Any]:
    return {
        "strategies": list(scenario.strategies),
        "world": scenario.world,
        "weeks": scenario.weeks,
        "scale": scenario.scale,
        "model_version": __version__,
        "scenario": scenario.source,
        "seed": scenario.seed,
        "replicates": scenario.replicates,
        "params": scenario.params,
        "priors": {k: [p.dist, p.lo, p.hi, p.mode] for k, p in scenario.priors.items()},
        "parameters": scenario.parameters_mode(),
        "custom_strategies": {k: s.as_dict() for k, s in scenario.custom.items()},
    }


def _fill(
    store: Store,
    scenario: Scenario,
    workers: int | None,
    client: Any,
    progress: Callable[[int, int, float], None] | None,
) -> None:
    with stops_held():
        done = store.done()
    todo = [r for r in range(scenario.replicates) if r not in done]
    started, total = time.perf_counter(), scenario.replicates
    finished = total - len(todo)
    if progress:
        progress(finished, total, 0.0)
    # closing(): on any exception, stop the workers now, not when the generator is collected.
    with closing(_execute(scenario, todo, workers, client)) as replicates:
        for records in replicates:
            with stops_held():
                store.write_replicate(records)
            finished += 1
            if progress:
                progress(finished, total, time.perf_counter() - started)


def _execute(
    scenario: Scenario, todo: list[int], workers: int | None, client: Any
) -> Iterator[list[dict[str, Any]]]:
    if not todo:
        return
    if client is not None:
        yield from _dask(client, scenario, todo)
        return
    workers = min(workers or os.cpu_count() or 1, len(todo))
    if workers == 1:
        for replicate in todo:
            yield run_replicate(scenario, replicate)
        return
    yield from in_processes(partial(run_replicate, scenario), todo, workers)


@contextmanager
def dask_client(scheduler: str | None) -> Iterator[Any]:
    """Reach the scheduler before the store is made: a wrong address writes nothing."""
    if scheduler is None:
        yield None
        return
    try:
        from distributed import Client
    except ImportError:
        raise CartelsimError("--scheduler needs Dask: pip install 'cartelsim[dask]'") from None
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, ValueError) as exc:
        raise CartelsimError(f"--scheduler {scheduler}: cannot reach it ({exc})") from None
    try:
        yield client
    finally:
        client.close()


def _dask(client: Any, scenario: Scenario, todo: list[int]) -> Iterator[list[dict[str, Any]]]:
    from distributed import as_completed

    futures = [client.submit(run_replicate, scenario, r, pure=False) for r in todo]
    for future in as_completed(futures):
        yield future.result()


def progress_bar(stream=sys.stderr, unit: str = "replicates") -> Callable[[int, int, float], None]:
    """A one-line progress bar with an ETA, redrawn in place on a terminal."""
    tty = stream.isatty()

    def show(done: int, total: int, elapsed: float) -> None:
        width = 30
        filled = int(width * done / max(total, 1))
        eta = elapsed / max(done, 1) * (total - done) if done else float("nan")
        eta_text = "--:--" if eta != eta else f"{int(eta // 60)}:{int(eta % 60):02d}"
        line = (
            f"[{'#' * filled}{'-' * (width - filled)}] {done}/{total} {unit} · "
            f"{elapsed:5.0f} s · ETA {eta_text}"
        )
        print(
            ("\r" if tty else "") + line,
            end="" if tty and done < total else "\n",
            file=stream,
            flush=True,
        )

    return show


def summaries_frame(store: Store) -> pd.DataFrame:
    """Replicates × strategies × outcomes, wide: one column per outcome."""
    long = store.summaries()
    return long.pivot_table(
        index=["replicate", "strategy"], columns="outcome", values="value"
    ).sort_index()
