"""Local worker processes, and the signals that stop a run: workers never outlive the run
that started them, and Ctrl-C or SIGTERM stop it at once, cleanly, keeping what is stored."""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.pool
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from cartelsim.errors import CartelsimError
from cartelsim.experiment.store import STOPS, stops_held

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def pool_results(task: Callable[[Any], Any], items: list, workers: int) -> Iterator[Any]:
    """task(item) for every item on `workers` processes, in the order they finish. A
    multiprocessing Pool rather than a ProcessPoolExecutor: its terminate() stops running
    tasks at once on Ctrl-C, where the executor waits for them to finish."""
    before = _children()
    with _pool(workers) as pool:
        crew = _children() - before
        results = pool.imap_unordered(task, items)
        for _ in items:
            yield _next(results, crew)


def _next(results: Any, crew: set[int]) -> Any:
    """The next finished replicate. A Pool waits forever for the task of a worker that was
    killed (out of memory, say), so check on the workers while waiting."""
    while True:
        try:
            return results.next(timeout=1.0)
        except multiprocessing.TimeoutError:
            if not crew <= _children():
                raise CartelsimError(
                    "a worker process died (out of memory?); the finished replicates are "
                    "kept: --resume carries on"
                ) from None


def _children() -> set[int]:
    return {p.pid for p in multiprocessing.active_children()}


@contextmanager
def _pool(workers: int) -> Iterator[multiprocessing.pool.Pool]:
    """Workers terminated on leaving, however it is left. They are born with SIGINT and
    SIGTERM blocked, so that none dies of one, with a traceback, before its initializer
    has set them; a stop during the start comes once the pool can be terminated."""
    pool: multiprocessing.pool.Pool | None = None
    try:
        with stops_held(), _stops_blocked():
            pool = multiprocessing.Pool(workers, _worker_start, (os.getpid(),))
        yield pool
    finally:
        if pool is not None:
            pool.terminate()


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
