"""A farm made only of the app's own commands (what a .deb/bundle user has, no ``dask``
command): ``farm-scheduler`` and two ``farm-worker`` on 127.0.0.1 render a composition;
SIGTERM stops a worker in the middle of a chunk and nothing it started is left running."""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest
from support.farm import Cluster, farm_processes, wait_for_workers
from support.media import video_info
from support.rendering import cli_command, cli_env

from hyperframes_desktop.render.farm.availability import missing_dask

from .conftest import make_frame_index_project

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _app(*args: str) -> list[str]:
    return [sys.executable, "-m", "hyperframes_desktop.cli", *args]


def _start(cluster: Cluster, name: str, args: list[str]) -> subprocess.Popen:
    log = open(cluster.root / f"{name}.log", "wb")  # noqa: SIM115 - lives with the process
    env = cluster.env(name)
    env.pop("DASK_DISTRIBUTED__WORKER__DAEMON", None)  # as a user's worker runs
    return subprocess.Popen(
        _app(*args), env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip


def _log(cluster: Cluster, name: str) -> str:
    return (cluster.root / f"{name}.log").read_text(errors="replace")


def _family(proc: subprocess.Popen) -> list[psutil.Process]:
    try:
        root = psutil.Process(proc.pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def _listeners(procs: list[subprocess.Popen]) -> list[tuple[str, int]]:
    """(address, port) of every listening socket of these processes and their children
    (what ``ss -ltnp`` shows for them)."""
    found = []
    for proc in procs:
        for p in _family(proc):
            with contextlib.suppress(psutil.Error):
                found += [
                    (c.laddr.ip, c.laddr.port)
                    for c in p.net_connections(kind="inet")
                    if c.status == psutil.CONN_LISTEN
                ]
    return found


def _stop_by_pid(proc: subprocess.Popen, timeout: float = 60) -> list[psutil.Process]:
    """SIGTERM the process itself (not its group); it must exit by itself with status 0.
    Returns the processes of its tree that are still alive afterwards."""
    family = _family(proc)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=timeout) == 0
    _, alive = psutil.wait_procs(family, timeout=10)
    return [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]


def _scheduled_cluster(tmp_path: Path) -> Cluster:
    """A cluster whose ``farm-scheduler`` (no --host: closed by default) listens on a free
    loopback port; the caller adds workers and stops it."""
    root = tmp_path / "farm"
    root.mkdir()
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    cluster = Cluster(root, None, address)  # type: ignore[arg-type]  # scheduler set below
    try:
        cluster.scheduler = _start(cluster, "scheduler", ["farm-scheduler", "--port", str(port)])
        deadline = time.monotonic() + 60
        while f"Farm scheduler listening at {address}" not in _log(cluster, "scheduler"):
            assert cluster.scheduler.poll() is None, _log(cluster, "scheduler")
            assert time.monotonic() < deadline, _log(cluster, "scheduler")
            time.sleep(0.1)
    except BaseException:
        cluster.stop()
        raise
    return cluster


def test_a_farm_of_the_apps_own_commands_renders_and_stops_cleanly(tmp_path: Path):
    cluster = _scheduled_cluster(tmp_path)
    root, address = cluster.root, cluster.address
    try:
        # no --host anywhere: closed by default
        for name in ("fw1", "fw2"):
            cluster.workers.append(
                _start(cluster, name, ["farm-worker", address, "--nthreads", "1",
                                       "--name", name,
                                       "--local-directory", str(root / f"local-{name}")])
            )  # fmt: skip
        wait_for_workers(cluster, 2)
        # the scheduler, both nannies, their worker processes and every HTTP port: loopback
        listening = _listeners([cluster.scheduler, *cluster.workers])
        assert len(listening) >= 5, listening
        assert {ip for ip, _ in listening} == {"127.0.0.1"}, listening

        project = make_frame_index_project(tmp_path / "p", duration=1.0)
        out = tmp_path / "out.mp4"
        result = subprocess.run(
            cli_command(str(project), "-o", str(out), "--farm", address, "--chunk-frames", "10"),
            env=cli_env(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr
        assert "farm: 3 chunks on" in result.stdout
        assert video_info(out).frames == 30

        # A longer render; SIGTERM both workers while their chunks capture.
        long_project = make_frame_index_project(tmp_path / "long", duration=4.0)
        client = subprocess.Popen(
            cli_command(str(long_project), "-o", str(tmp_path / "long.mp4"), "--farm", address,
                        "--chunk-frames", "60"),
            env=cli_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 180
        while not any("chunk_runner" in " ".join(p.cmdline()) for p in farm_processes(cluster)):
            assert client.poll() is None
            assert time.monotonic() < deadline, "no chunk started"
            time.sleep(0.05)
        for worker, name in zip(cluster.workers, ("fw1", "fw2"), strict=True):
            assert _stop_by_pid(worker) == [], _log(cluster, name)
            assert "Stopping the farm worker" in _log(cluster, name)
        assert not farm_processes(cluster)
        client.kill()
        client.wait(timeout=30)

        assert _stop_by_pid(cluster.scheduler) == []
        assert "Traceback" not in _log(cluster, "scheduler")
    finally:
        cluster.stop()


def test_farm_commands_say_what_is_wrong_without_a_traceback(tmp_path: Path):
    env = cli_env(extra={"HYPERFRAMES_FARM": ""})
    no_address = subprocess.run(
        _app("farm-worker"), env=env, capture_output=True, text=True, timeout=60
    )
    assert no_address.returncode == 2
    assert "No scheduler address. Fix:" in no_address.stderr
    half_tls = subprocess.run(
        _app("farm-scheduler", "--farm-ca", str(tmp_path / "ca.pem")),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert half_tls.returncode == 2
    assert "--farm-ca, --farm-cert and --farm-key" in half_tls.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = subprocess.run(
            _app("farm-scheduler", "--port", str(taken.getsockname()[1])),
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert busy.returncode == 1
    assert "could not listen on 127.0.0.1:" in busy.stderr and "Fix: choose another" in (
        busy.stderr
    )
    nobody = subprocess.run(
        _app("farm-worker", f"tcp://127.0.0.1:{_free_port()}", "--host", "127.0.0.1"),
        env={**env, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "3s",
             "HYPERFRAMES_FARM_CACHE": str(tmp_path / "cache")},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert nobody.returncode == 1
    assert "could not start or reach the scheduler" in nobody.stderr
    for result in (no_address, half_tls, busy, nobody):
        assert "Traceback" not in result.stderr


def test_a_node_off_loopback_without_tls_refuses_unless_told_insecure(tmp_path: Path):
    env = cli_env(extra={"HYPERFRAMES_FARM": "", "HYPERFRAMES_FARM_CACHE": str(tmp_path)})
    port = str(_free_port())
    for command, role in (
        (["farm-scheduler", "--host", "0.0.0.0", "--port", port], "scheduler"),
        (["farm-worker", f"tcp://127.0.0.1:{port}", "--host", "0.0.0.0"], "worker"),
    ):
        refused = subprocess.run(_app(*command), env=env, capture_output=True, text=True,
                                 timeout=30)  # fmt: skip
        assert refused.returncode == 2, refused.stderr
        assert f"Refusing to start the farm {role} on every network interface without TLS" in (
            refused.stderr
        )
        assert "--make-certs" in refused.stderr and "--insecure-plain-tcp" in refused.stderr
        assert "Traceback" not in refused.stderr
    # the explicit way out starts, and says loudly what it exposes
    loud = subprocess.Popen(
        _app("farm-scheduler", "--host", "0.0.0.0", "--port", port, "--insecure-plain-tcp"),
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        first = loud.stdout.readline() if loud.stdout else ""
        assert first.startswith("WARNING: --insecure-plain-tcp: the farm scheduler listens on "
                                "every network interface WITHOUT TLS"), first  # fmt: skip
        while "Farm scheduler listening at" not in first:  # its SIGTERM handler is set now
            first = loud.stdout.readline() if loud.stdout else ""
            assert first, "the scheduler exited"
    finally:
        assert _stop_by_pid(loud) == []


def test_the_missing_dask_sentence_fits_the_install(monkeypatch: pytest.MonkeyPatch):
    assert "pip install 'hyperframes-desktop[farm]'" in missing_dask()
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    frozen = missing_dask()
    assert "pip" not in frozen and "reinstall" in frozen


def test_a_worker_stopping_because_its_scheduler_left_exits_cleanly_on_sigterm(tmp_path: Path):
    """A service manager's SIGTERM can reach a worker that is already stopping (its
    scheduler went away first): it must still end with status 0, having ended what it
    started, not be killed by the signal halfway through its clean-up."""
    cluster = _scheduled_cluster(tmp_path)
    try:
        cluster.workers.append(
            _start(cluster, "fw", ["farm-worker", cluster.address, "--name", "fw"])
        )
        wait_for_workers(cluster, 1)
        worker = cluster.workers[0]
        family = _family(worker)
        assert _stop_by_pid(cluster.scheduler) == []
        deadline = time.monotonic() + 60
        while worker.poll() is None:  # SIGTERM again and again while it stops by itself
            assert time.monotonic() < deadline, _log(cluster, "fw")
            with contextlib.suppress(ProcessLookupError):
                worker.send_signal(signal.SIGTERM)
            time.sleep(0.02)
        assert worker.returncode == 0, (worker.returncode, _log(cluster, "fw")[-600:])
        _, alive = psutil.wait_procs(family, timeout=10)
        assert [p for p in alive if p.status() != psutil.STATUS_ZOMBIE] == []
    finally:
        cluster.stop()
