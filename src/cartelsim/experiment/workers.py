"""Local worker processes, and the signals that stop a run: workers never outlive the run
that started them, and Ctrl-C or SIGTERM stop it at once, cleanly, keeping what is stored."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import wait
from typing import Any

from cartelsim.errors import CartelsimError
from cartelsim.experiment.store import STOPS, stops_held

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def in_processes(task: Callable[[Any], Any], items: list, workers: int) -> Iterator[Any]:
    """task(item) for every item, at most `workers` at a time, each in a process of its own,
    yielded in the order they finish.

    One process per item, each with its own pipe, rather than a pool of workers that share
    queues: a worker killed at any moment (Ctrl-C, SIGTERM, the out-of-memory killer) can then
    leave no shared lock held, which made `multiprocessing.Pool.terminate()` hang, and a
    worker that dies is seen at once (its pipe closes) instead of waited for forever."""
    pending, running = list(items), {}

    def fill() -> None:
        while pending and len(running) < workers:
            _start(task, pending.pop(0), running)

    try:
        fill()
        while running:
            done = []
            for reader in wait(list(running)):
                done.append(_receive(reader))
                running.pop(reader).join()
                reader.close()
            fill()  # before handing the results on: the workers compute while they are stored
            yield from done
    finally:
        for reader, process in running.items():  # stopped, or failed: not waited for
            process.kill()
            process.join()
            reader.close()


def spread(task: Callable[[Any], Any], items: list, workers: int, client: Any) -> Iterator[Any]:
    """task(item) for every item, in any order: on a Dask cluster (`client`), in local
    processes, or here."""
    if client is not None:
        from distributed import as_completed

        for future in as_completed([client.submit(task, item, pure=False) for item in items]):
            yield future.result()
    elif workers > 1:
        yield from in_processes(task, items, workers)
    else:
        yield from map(task, items)


def _start(task: Callable[[Any], Any], item: Any, running: dict) -> None:
    """A worker for one item, in `running` as soon as it exists. It is born with SIGINT and
    SIGTERM blocked, so that none dies of one, with a traceback, before it has set them; a stop
    during the start comes once the worker can be stopped too."""
    reader, writer = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.Process(
        target=_work, args=(task, item, writer, os.getpid()), daemon=True
    )
    with stops_held(), _stops_blocked():
        process.start()
        running[reader] = process
        writer.close()  # the worker holds the only writing end: its death closes the pipe


def _work(task: Callable[[Any], Any], item: Any, writer: Any, parent: int) -> None:
    _worker_start(parent)
    try:
        outcome = (True, task(item))
    except Exception as exc:  # the parent raises it: a failed replicate fails the run
        outcome = (False, exc)
    writer.send(outcome)
    writer.close()


def _receive(reader: Any) -> Any:
    try:
        ok, value = reader.recv()
    except EOFError:
        raise CartelsimError(
            "a worker process died (out of memory?); the finished replicates are kept: "
            "--resume carries on"
        ) from None
    if not ok:
        raise value
    return value


def _worker_start(parent: int) -> None:
    """In each worker, first: Ctrl-C reaches the whole process group, but the parent alone
    decides what it means; and a worker never outlives its parent."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler, inherited
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOPS)
    _die_with(parent)


def _die_with(parent: int) -> None:
    """A SIGKILLed run must not leave its workers computing for nobody. Linux kills the
    worker with its parent; elsewhere, and as a fallback, a thread watches the parent."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl could take effect
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


@contextmanager
def _stops_blocked() -> Iterator[None]:
    """SIGINT and SIGTERM wait while inside (in this thread and in what it starts); there
    is no signal mask to set on Windows."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


@contextmanager
def sigterm_interrupts() -> Iterator[None]:
    """SIGTERM stops a run as Ctrl-C does: workers terminated, finished replicates kept.
    Only in the main thread, and only if nobody else has claimed SIGTERM."""
    main = threading.current_thread() is threading.main_thread()
    if not main or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        yield
        return
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt
