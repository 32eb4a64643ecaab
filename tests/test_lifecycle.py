"""A run's life and death: killed, interrupted or failed, it leaves no process behind, keeps
the replicates it finished (and no store if it finished none), and `--resume` completes it
to the very JSON of a run that was never stopped."""

import contextlib
import glob
import multiprocessing
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

import cartelsim.experiment.ensemble as ensemble
from cartelsim.errors import CartelsimError
from cartelsim.experiment.api import compare
from cartelsim.experiment.ensemble import run_ensemble
from cartelsim.experiment.scenario import parse_scenario

REPS = 6
RUN = [
    "run",
    "--weeks",
    "30",
    "--scale",
    "0.03",
    "--strategies",
    "kingpin",
    "--workers",
    "2",
    "--json",
]
ENV = {**os.environ, "PYTHONUNBUFFERED": "1"}
PROGRESS = re.compile(r"\] (\d+)/\d+ replicates")
REAL = ensemble.run_replicate
# A replicate that takes a minute: stopping must not wait for running replicates.
SLOW = """
import sys, time
import cartelsim.experiment.ensemble as ensemble
from cartelsim.cli import main
def slow(scenario, replicate):
    time.sleep(60)
ensemble.run_replicate = slow
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture(scope="module")
def straight(tmp_path_factory) -> str:
    """The JSON of a run that nobody stopped, for the stopped ones to match."""
    return _finish(tmp_path_factory.mktemp("straight") / "out")


@pytest.fixture
def started(request):
    """Start runs in their own process group; at teardown, kill whatever is left of them."""
    runs: list[subprocess.Popen] = []

    def start(out: Path, *extra: str, reps: int = REPS, code: str | None = None):
        head = [sys.executable, "-c", code] if code else [sys.executable, "-m", "cartelsim"]
        args = [*head, *RUN, "--reps", str(reps), "--out", str(out), *extra]
        proc = subprocess.Popen(
            args,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=ENV,
            start_new_session=True,
        )
        watchdog = threading.Timer(120, _kill_group, (proc,))  # a hung run fails the test
        watchdog.daemon = True
        watchdog.start()
        request.addfinalizer(watchdog.cancel)
        runs.append(proc)
        return proc

    yield start
    for proc in runs:
        _kill_group(proc)
        proc.wait()
        proc.stderr.close()


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def test_a_killed_run_leaves_no_worker_and_resumes_to_the_same_json(tmp_path, straight, started):
    out = tmp_path / "out"
    proc = started(out)
    _await_progress(proc, 2)
    workers = _descendants(proc.pid)
    assert len(workers) >= 2
    proc.kill()
    proc.wait()
    assert _survivors(workers) == set()
    assert 2 <= len(_replicates(out)) < REPS
    assert _finish(out, "--resume") == straight
    _assert_each_replicate_once(out, REPS)


def test_a_run_killed_before_any_replicate_runs_again_without_resume(tmp_path, straight, started):
    out = tmp_path / "out"
    proc = started(out)
    workers = _await_workers(proc)
    proc.kill()
    proc.wait()
    assert _survivors(workers) == set()
    assert _replicates(out) == {}
    assert _finish(out) == straight
    _assert_each_replicate_once(out, REPS)


def test_ctrl_c_stops_cleanly_and_resumes_to_the_same_json(tmp_path, straight, started):
    out = tmp_path / "out"
    proc = started(out)
    _await_progress(proc, 1)
    workers = _descendants(proc.pid)
    assert len(workers) >= 2
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the whole group
    err = proc.communicate(timeout=30)[1]  # a worker left alive would hold stderr open
    assert proc.returncode == 130
    assert "cartelsim: interrupted" in err and "Traceback" not in err
    assert _survivors(workers) == set()
    assert 1 <= len(_replicates(out)) < REPS
    assert _finish(out, "--resume") == straight
    _assert_each_replicate_once(out, REPS)


@pytest.mark.parametrize("how", ["SIGINT to the group", "SIGTERM to the run"])
def test_stopping_does_not_wait_for_running_replicates(tmp_path, started, how):
    out = tmp_path / "out"
    proc = started(out, code=SLOW)
    workers = _await_workers(proc)
    time.sleep(0.5)  # both workers are inside a replicate of a minute
    stopped = time.monotonic()
    if how.startswith("SIGINT"):
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.terminate()
    err = proc.communicate(timeout=30)[1]  # a worker left alive would hold stderr open
    assert proc.returncode == 130
    assert time.monotonic() - stopped < 5
    assert "cartelsim: interrupted" in err and "Traceback" not in err
    assert _survivors(workers) == set()
    assert not out.exists()  # no replicate finished: no store, no folder


def _boom(scenario, replicate):
    raise RuntimeError("boom")


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("folder_exists", [False, True])
def test_a_run_failing_before_any_replicate_leaves_no_store(
    tmp_path, monkeypatch, workers, folder_exists
):
    out = tmp_path / "out"
    if folder_exists:
        out.mkdir()
    monkeypatch.setattr(ensemble, "run_replicate", _boom)
    with pytest.raises(RuntimeError, match="boom"):
        compare(["kingpin"], replicates=3, weeks=10, scale=0.03, workers=workers, out=out)
    assert out.exists() == folder_exists
    assert not (out / "results.duckdb").exists()
    assert multiprocessing.active_children() == []


def _fails_at_two(scenario, replicate):
    if replicate == 2:
        raise RuntimeError("boom")
    return REAL(scenario, replicate)


def test_a_run_failing_after_some_replicates_keeps_them(tmp_path, monkeypatch):
    small = {"replicates": 4, "weeks": 10, "scale": 0.03, "workers": 1}
    out = tmp_path / "out"
    with monkeypatch.context() as patch:
        patch.setattr(ensemble, "run_replicate", _fails_at_two)
        with pytest.raises(RuntimeError, match="boom"):
            compare(["kingpin"], out=out, **small)
    assert _replicates(out) == {0: 2, 1: 2}
    compare(["kingpin"], out=out, resume=True, **small)
    _assert_each_replicate_once(out, 4, weeks=10)


def _dies_at_zero(scenario, replicate):
    if replicate == 0:
        os.kill(os.getpid(), signal.SIGKILL)  # as the out-of-memory killer does
    return REAL(scenario, replicate)


def test_a_worker_killed_from_outside_fails_the_run_instead_of_hanging(tmp_path, monkeypatch):
    monkeypatch.setattr(ensemble, "run_replicate", _dies_at_zero)
    began = time.monotonic()
    with pytest.raises(CartelsimError, match="worker process died"):
        compare(["kingpin"], replicates=3, weeks=10, scale=0.03, workers=2, out=tmp_path / "o")
    assert time.monotonic() - began < 30
    assert multiprocessing.active_children() == []


class _Unreachable:
    def __init__(self, *args, **kwargs):
        raise OSError("Timed out trying to connect")


@pytest.mark.parametrize("address", ["tcp://127.0.0.1:9", "no-port-here"])
def test_a_scheduler_out_of_reach_is_refused_before_anything_is_written(
    tmp_path, monkeypatch, address
):
    distributed = pytest.importorskip("distributed")
    if address.startswith("tcp"):  # no scheduler anywhere: fail as a real one out of reach
        monkeypatch.setattr(distributed, "Client", _Unreachable)
    scenario = parse_scenario({"run": {"replicates": 2, "weeks": 10}})
    out = tmp_path / "out"
    with pytest.raises(CartelsimError, match=f"--scheduler {address}: cannot reach it"):
        run_ensemble(scenario, out, scheduler=address)
    assert not out.exists()


@pytest.mark.slow
def test_twenty_kills_at_random_moments_leave_no_orphan_and_lose_nothing(tmp_path, started, capsys):
    reps, rng = 48, random.Random(20)  # room for 20 kills of up to about 4 replicates each
    out, rows = tmp_path / "killed", []
    for kill in range(1, 21):
        before = len(_replicates(out))  # read now: a running run holds the store's lock
        proc = started(out, "--resume", reps=reps)
        new, delay = rng.randint(0, 3), rng.uniform(0, 1)
        first = _await_workers(proc)
        if new:
            _await_progress(proc, before + new)
        time.sleep(delay)
        workers = first | _descendants(proc.pid)
        proc.kill()
        proc.wait()
        left = _survivors(workers)
        done = _replicates(out)
        assert set(done.values()) <= {2}  # whole replicates only
        rows.append((kill, new, delay, len(workers), len(left), len(done)))
    resumed = _finish(out, "--resume", reps=reps)
    identical = resumed == _finish(tmp_path / "straight", reps=reps)
    with capsys.disabled():
        print("\nkill  after new  + delay s  workers  orphans  replicates in store")
        for row in rows:
            print("{:>4}  {:>9}  {:>9.2f}  {:>7}  {:>7}  {:>19}".format(*row))
        orphans = sum(r[4] for r in rows)
        print(f"kills {len(rows)} · orphans found {orphans} · resumes identical {int(identical)}/1")
    assert orphans == 0 and identical
    _assert_each_replicate_once(out, reps)


def _finish(out: Path, *extra: str, reps: int = REPS) -> str:
    """Run to the end; its stdout, the JSON."""
    args = [sys.executable, "-m", "cartelsim", *RUN, "--reps", str(reps), "--out", str(out)]
    done = subprocess.run([*args, *extra], capture_output=True, text=True, env=ENV, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _await_progress(proc: subprocess.Popen, finished: int) -> None:
    """Read the progress lines until `finished` replicates are in the store."""
    for line in proc.stderr:
        match = PROGRESS.search(line)
        if match and int(match[1]) >= finished:
            return
    pytest.fail(f"the run ended before {finished} replicates (exit {proc.wait()})")


def _await_workers(proc: subprocess.Popen, count: int = 2) -> set[int]:
    """The descendants of the run as soon as there are `count` of them."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        found = _descendants(proc.pid)
        if len(found) >= count:
            return found
        time.sleep(0.01)
    err = proc.stderr.read() if proc.poll() is not None else ""
    pytest.fail(f"no {count} workers appeared (exit {proc.poll()}): {err}")


def _descendants(pid: int) -> set[int]:
    found: set[int] = set()
    for path in glob.glob(f"/proc/{pid}/task/*/children"):
        with contextlib.suppress(OSError):  # the thread or the process ended meanwhile
            found |= {int(child) for child in Path(path).read_text().split()}
    return found | {d for child in found for d in _descendants(child)}


def _survivors(pids: set[int], within: float = 5.0) -> set[int]:
    """Those of `pids` still alive after `within` seconds; a zombie awaiting init is dead."""
    deadline = time.monotonic() + within
    while True:
        alive = {pid for pid in pids if _alive(pid)}
        if not alive or time.monotonic() > deadline:
            return alive
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _replicates(out: Path) -> dict[int, int]:
    """Strategies stored per finished replicate ({} when there is no store)."""
    if not (out / "results.duckdb").exists():
        return {}
    db = duckdb.connect(str(out / "results.duckdb"), read_only=True)
    try:
        return dict(db.execute("SELECT replicate, count(*) FROM runs GROUP BY 1").fetchall())
    finally:
        db.close()


def _assert_each_replicate_once(out: Path, reps: int, weeks: int = 30) -> None:
    db = duckdb.connect(str(out / "results.duckdb"), read_only=True)
    try:
        runs = db.execute("SELECT replicate, count(*) FROM runs GROUP BY 1 ORDER BY 1")
        assert runs.fetchall() == [(r, 2) for r in range(reps)]
        weekly = db.execute(
            "SELECT count(*), count(DISTINCT (replicate, strategy, week)) FROM weekly"
        )
        assert weekly.fetchone() == (reps * 2 * weeks,) * 2
    finally:
        db.close()
