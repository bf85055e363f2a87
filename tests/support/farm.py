"""A real Dask cluster on 127.0.0.1 for the farm tests: ``dask scheduler`` and ``dask worker``
subprocesses from this Python environment, with PYTHONPATH pointing at this checkout so the
workers import the code under test. Stopped by process id (and their whole process trees)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from support.projects import REPO_ROOT
from support.rendering import MARKER_ENV

#: Put in every cluster process's environment (inherited by chunks, capture workers, FFmpeg).
FARM_MARKER_ENV = "HF_FARM_TEST_MARKER"


def _dask(*args: str) -> list[str]:
    return [sys.executable, "-m", "dask", *args]


@dataclass
class Cluster:
    root: Path
    scheduler: subprocess.Popen
    address: str
    workers: list[subprocess.Popen] = field(default_factory=list)
    tls_args: list[str] = field(default_factory=list)

    @property
    def marker(self) -> str:
        return str(self.root)

    def env(self, name: str) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p
        )
        env["HYPERFRAMES_FARM_CACHE"] = str(self.root / f"cache-{name}")
        env[FARM_MARKER_ENV] = str(self.root)
        env.pop(MARKER_ENV, None)
        env["QT_QPA_PLATFORM"] = "offscreen"
        env["DASK_DISTRIBUTED__WORKER__DAEMON"] = "False"
        # no spare chunk host unless a test asks for one (worker_env): the process checks
        # of the other tests count every chunk host and capture process of the cluster
        env["HYPERFRAMES_FARM_SPARE_HOST"] = "0"
        return env

    def add_worker(self, name: str, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(self.root / f"worker-{name}.log", "wb")  # noqa: SIM115 - lives with the worker
        proc = subprocess.Popen(
            _dask("worker", self.address, "--nthreads", "1", "--nworkers", "1", "--name", name,
                  "--host", "127.0.0.1", "--no-dashboard", "--dashboard-address", "127.0.0.1:0",
                  "--death-timeout", "60", "--preload", "hyperframes_desktop.render.farm.spare",
                  "--local-directory", str(self.root / f"local-{name}"), *self.tls_args),
            env={**self.env(name), **(extra_env or {})}, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.workers.append(proc)
        return proc

    def family_pids(self) -> set[int]:
        """The scheduler, the nannies and everything they started (worker processes, chunk
        hosts, capture processes, FFmpeg)."""
        pids: set[int] = set()
        for proc in [self.scheduler, *self.workers]:
            with contextlib.suppress(psutil.Error):
                root = psutil.Process(proc.pid)
                pids |= {root.pid, *(c.pid for c in root.children(recursive=True))}
        return pids

    def worker_pids(self) -> list[int]:
        """Process ids of the worker processes themselves (the nannies' children)."""
        pids = []
        for nanny in self.workers:
            with contextlib.suppress(psutil.Error):
                pids += [
                    c.pid for c in psutil.Process(nanny.pid).children() if "python" in c.name()
                ]
        return pids

    def stop(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            _stop_tree(proc)


def _stop_tree(proc: subprocess.Popen) -> None:
    try:
        family = [*psutil.Process(proc.pid).children(recursive=True), psutil.Process(proc.pid)]
    except psutil.Error:
        family = []
    for p in family:
        with contextlib.suppress(psutil.Error):
            p.terminate()
    _, alive = psutil.wait_procs(family, timeout=5)
    for p in alive:
        with contextlib.suppress(psutil.Error):
            p.kill()
    psutil.wait_procs(alive, timeout=5)
    with contextlib.suppress(Exception):
        proc.wait(timeout=5)


def start_cluster(
    root: Path,
    workers: int = 2,
    tls: dict[str, Path] | None = None,
    worker_env: dict[str, str] | None = None,
) -> Cluster:
    """A scheduler on 127.0.0.1 (a free port) and ``workers`` workers, ready to use."""
    root.mkdir(parents=True, exist_ok=True)
    info = root / "scheduler.json"
    tls_args: list[str] = []
    protocol = "tcp://"
    if tls:
        protocol = "tls://"
        tls_args = ["--tls-ca-file", str(tls["ca"]), "--tls-cert", str(tls["cert"]),
                    "--tls-key", str(tls["key"])]  # fmt: skip
    log = open(root / "scheduler.log", "wb")  # noqa: SIM115 - lives with the scheduler
    scheduler = subprocess.Popen(
        _dask("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
              "--dashboard-address", "127.0.0.1:0",
              "--protocol", protocol.removesuffix("://"), "--scheduler-file", str(info),
              *tls_args),
        env={**os.environ, FARM_MARKER_ENV: str(root)}, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while not info.is_file():
        if scheduler.poll() is not None or time.monotonic() > deadline:
            _stop_tree(scheduler)
            raise RuntimeError((root / "scheduler.log").read_text(errors="replace"))
        time.sleep(0.1)
    time.sleep(0.2)
    address = json.loads(info.read_text())["address"]
    cluster = Cluster(root, scheduler, address, tls_args=tls_args)
    for i in range(workers):
        cluster.add_worker(f"w{i + 1}", worker_env)
    return cluster


def wait_for_workers(cluster: Cluster, count: int, security=None, timeout: float = 90) -> None:
    from distributed import Client

    with Client(cluster.address, security=security, timeout=30) as client:
        client.wait_for_workers(count, timeout=timeout)


def farm_processes(cluster: Cluster) -> list[psutil.Process]:
    """Chunk runners, capture workers and FFmpeg started on the cluster's workers."""
    found = []
    for proc in psutil.process_iter(["pid", "cmdline", "environ"], ad_value=None):
        env = proc.info.get("environ") or {}
        if env.get(FARM_MARKER_ENV) != cluster.marker:
            continue
        cmdline = " ".join(proc.info.get("cmdline") or [])
        if any(k in cmdline for k in ("chunk_runner", "render.worker", "ffmpeg", "QtWebEngine")):
            with contextlib.suppress(psutil.Error):
                if proc.status() != psutil.STATUS_ZOMBIE:
                    found.append(proc)
    return found


def chunk_runners(cluster: Cluster) -> list[psutil.Process]:
    """The chunk runner processes among :func:`farm_processes` (by the command line read when
    they were listed, so one that exits meanwhile does not raise)."""
    return [
        p
        for p in farm_processes(cluster)
        if "chunk_runner" in " ".join(p.info.get("cmdline") or [])
    ]


def ss_listeners(pids: set[int]) -> list[tuple[str, int, int]]:
    """(address, port, pid) of every listening TCP socket of ``pids``, as ``ss -ltnp`` shows
    them (the sockets' owners read from its ``users:`` column)."""
    import re
    import shutil

    ss = shutil.which("ss")
    if ss is None:
        raise RuntimeError("ss (iproute2) is needed to list listening sockets")
    out = subprocess.run([ss, "-ltnpH"], capture_output=True, text=True, check=True, timeout=30)
    found = []
    for line in out.stdout.splitlines():
        fields = line.split()
        host, _, port = fields[3].rpartition(":")
        for pid in (int(m) for m in re.findall(r"pid=(\d+)", line)):
            if pid in pids:
                found.append((host.strip("[]"), int(port), pid))
    return found
