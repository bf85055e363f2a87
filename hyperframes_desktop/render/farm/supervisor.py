"""The one owner of a farm chunk's processes on a worker.

A chunk runs in its own session (a new process group); every child it starts (capture
processes, FFmpeg) stays in that group (``tools.CHUNK_GROUP_ENV``), so ending the group ends
them all: SIGTERM, then SIGKILL after a grace period. Dask cannot do this: ``cancel()`` does
not stop a running task and the Nanny kills only the worker process.

If the worker itself dies (even by SIGKILL), the chunk runner notices its parent is gone and
kills its own group (``chunk_runner._watch_parent``); groups whose worker died are also
reaped from the records kept here before the next chunk starts.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.process_identity import boot_id, same_process, stamp, started_at

PARENT_ENV = "HYPERFRAMES_CHUNK_PARENT"
#: The chunk runner's argument for a warm host: it runs the chunk job files named on stdin.
HOST_ARG = "--host"
#: In a spare host's environment: how many capture processes it starts before its first job.
SPARE_ENV = "HYPERFRAMES_CHUNK_SPARE"
#: SIGTERM first; what is still alive after this many seconds gets SIGKILL.
GRACE_S = 1.0
#: How long a SIGKILLed group may take to be gone (it returns as soon as it is).
KILL_WAIT_S = 10.0


def group_members(pgid: int) -> list[int]:
    """The live processes of group ``pgid``. A zombie (ended, not yet reaped by its parent)
    keeps its group id but runs nothing: counting it made every stop wait out the whole
    SIGTERM grace and the SIGKILL wait (3 s) for a group that had already ended."""
    members = []
    for pid in psutil.pids():
        with contextlib.suppress(OSError):
            if os.getpgid(pid) == pgid and not _zombie(pid):
                members.append(pid)
    return members


def _zombie(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True  # gone between the listing and now: not a member any more
    except psutil.Error:
        return False


def end_group(pgid: int, grace: float = GRACE_S, only=None) -> None:
    """SIGTERM the group, SIGKILL whatever is left after ``grace``; wait until it is empty.

    With ``only`` (a function listing the members that are really ours), each of those is
    signalled by pid instead of the whole group."""

    def members() -> list[int]:
        return only() if only is not None else group_members(pgid)

    def send(sig: int) -> None:
        targets = [pgid] if only is None else members()
        for target in targets:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                if only is None:
                    os.killpg(target, sig)
                else:
                    os.kill(target, sig)

    send(signal.SIGTERM)
    _wait_gone(members, grace)
    send(signal.SIGKILL)
    _wait_gone(members, KILL_WAIT_S)  # SIGKILL cannot fail; a loaded machine is slow


def _wait_gone(members, limit_s: float) -> None:
    """Until ``members()`` is empty or ``limit_s`` passed. An idle warm host ends within a
    few ms of SIGTERM, and a render's end waits for its hosts: look again soon at first,
    then less often (each look lists every process of the machine)."""
    deadline = time.monotonic() + limit_s
    pause = 0.005
    while time.monotonic() < deadline and members():
        time.sleep(pause)
        pause = min(0.05, pause * 2)


def _records_dir() -> Path:
    from hyperframes_desktop.render.farm.store import cache_root

    folder = cache_root() / "groups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _read_record(record: Path) -> dict | None:
    try:
        info = json.loads(record.read_text(encoding="utf-8"))
        int(info["owner"]), int(info["pgid"])
        return info
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _owner_lives(info: dict) -> bool:
    if info.get("boot") not in (None, boot_id()):
        return False  # a record from before a reboot: nothing it names runs any more
    return same_process(int(info["owner"]), info.get("owner_started"), unknown=True)


def _group_of(info: dict) -> list[int]:
    """The members of the recorded chunk group that are really ours: never the group of a
    process that merely got the recorded pid again (after a reboot, or on a busy machine).

    The group's leader (the chunk runner) must be the process that was started, or gone;
    with the leader gone, only members started after it count."""
    if info.get("boot") not in (None, boot_id()):
        return []
    pgid = int(info["pgid"])
    leader_started = info.get("leader_started")
    if leader_started is None:  # a record without the leader's start time: cannot tell
        return []
    if started_at(pgid) is not None and not same_process(pgid, leader_started, unknown=False):
        return []  # the pid now belongs to another process: so does its group
    members = []
    for pid in group_members(pgid):
        started = started_at(pid)
        if started is not None and started >= int(leader_started) - 1:
            members.append(pid)
    return members


def reap_orphans() -> int:
    """End every recorded chunk group whose worker process is gone; returns how many."""
    reaped = 0
    for record in _records_dir().glob("*.json"):
        info = _read_record(record)
        if info is None:
            record.unlink(missing_ok=True)
            continue
        if _owner_lives(info):
            continue
        if _group_of(info):
            end_group(int(info["pgid"]), grace=0.2, only=functools.partial(_group_of, info))
            reaped += 1
        record.unlink(missing_ok=True)
    return reaped


def live_attempt_folders() -> set[Path]:
    """Attempt folders of chunks whose worker process still runs (never swept)."""
    folders = set()
    for record in _records_dir().glob("*.json"):
        info = _read_record(record)
        if info is not None and info.get("folder") and _owner_lives(info):
            folders.add(Path(info["folder"]))
    return folders


def chunk_command(job_file: Path) -> list[str]:
    """The chunk runner's command line; a frozen build (the bundle, the .deb) re-enters its
    own executable, which dispatches ``--farm-chunk`` (cli.main)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--farm-chunk", str(job_file)]
    return [sys.executable, "-m", "hyperframes_desktop.render.farm.chunk_runner", str(job_file)]


class ChunkProcess:
    """The chunk runner child: JSON lines from its stdout land on ``messages``.

    With ``host``, it is a warm host: it runs each chunk :meth:`send` names, keeping its
    capture processes (and their loaded page) between them; ``job_file`` is then the first
    chunk's, whose folder its record keeps from being swept while it lives."""

    def __init__(
        self, job_file: Path, log_file: Path, host: bool = False, standby: int = 0
    ) -> None:
        self.job_file = job_file
        self.log_file = log_file
        self.host = host
        self.standby = standby  # a spare host: capture processes it starts before any job
        self.proc: subprocess.Popen | None = None
        self.messages: queue.Queue = queue.Queue()
        self._record: Path | None = None
        self._stopped = False

    def start(self) -> None:
        command = chunk_command(self.job_file)
        if self.host:
            command[-1] = HOST_ARG
        with open(self.log_file, "wb") as log:
            self.proc = tools.launch(
                command,
                env={
                    PARENT_ENV: str(os.getpid()),
                    tools.CHUNK_GROUP_ENV: "1",
                    SPARE_ENV: str(self.standby),
                },
                stdin=subprocess.PIPE if self.host else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,
            )
        self._record = _records_dir() / f"{self.proc.pid}.json"
        self._write_record(self.job_file.parent)
        threading.Thread(target=self._read, daemon=True, name="hf-chunk-reader").start()

    def _read(self) -> None:
        assert self.proc is not None and self.proc.stdout is not None
        for raw in self.proc.stdout:
            with contextlib.suppress(ValueError):
                self.messages.put(json.loads(raw))
        self.messages.put({"event": "exit"})

    def _write_record(self, folder: Path) -> None:
        """What reap_orphans and the sweep need: the group, its owner, the running chunk's
        folder (written anew, then renamed: a reader never sees half a record)."""
        assert self.proc is not None and self._record is not None
        info = {
            "pgid": self.proc.pid,
            "leader_started": started_at(self.proc.pid),
            "owner": os.getpid(),
            "owner_started": stamp().started,
            "boot": boot_id(),
            "folder": str(folder),
        }
        temp = self._record.with_name(f"{self._record.name}.tmp")
        temp.write_text(json.dumps(info), encoding="utf-8")
        os.replace(temp, self._record)

    def send(self, job_file: Path, log_file: Path) -> None:
        """A warm host: run this chunk next, its output going to ``log_file`` (each chunk's
        log in its own folder, not all in the first chunk's); OSError if the host is gone."""
        assert self.host and self.proc is not None and self.proc.stdin is not None
        if job_file != self.job_file:
            self._write_record(job_file.parent)
        self.log_file = log_file
        self._say({"job": str(job_file), "log": str(log_file)})

    def preload(self, job_file: Path) -> None:
        """A warm host: load this job's page now, before the render's first chunk comes (no
        frame is captured); OSError if the host is gone."""
        self._say({"preload": str(job_file)})

    def _say(self, message: dict) -> None:
        assert self.host and self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write(f"{json.dumps(message)}\n".encode())
        self.proc.stdin.flush()

    @property
    def stopped(self) -> bool:
        return self._stopped

    @property
    def returncode(self) -> int | None:
        return self.proc.poll() if self.proc is not None else None

    @property
    def live(self) -> bool:
        """Neither ended nor stopped: it can still run a chunk."""
        return self.returncode is None and not self._stopped

    def stop(self) -> None:
        """End the chunk's whole process group (idempotent)."""
        if self.proc is None or self._stopped:
            return
        self._stopped = True
        end_group(self.proc.pid)
        with contextlib.suppress(Exception):
            self.proc.wait(timeout=2)
        if self._record is not None:
            self._record.unlink(missing_ok=True)

    def tail(self) -> str:
        with contextlib.suppress(OSError):
            lines = self.log_file.read_text(encoding="utf-8", errors="replace").splitlines()
            return " | ".join(line for line in lines[-3:] if line.strip())
        return ""
