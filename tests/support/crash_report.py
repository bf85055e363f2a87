"""Make a test process that dies from a signal say where and why, in the log.

pytest captures fds 1 and 2 of each test into one unlinked temp file per stream; when the
process dies (a Chromium CHECK of the in-process QtWebEngine is a SIGTRAP, a bad pointer a
SIGSEGV), that file dies with it, and the log ends in a row of dots. Two things reach the
real stderr instead:

- the Python stack of every thread, from :mod:`faulthandler`: pytest's own plugin covers
  SIGSEGV, SIGABRT, SIGBUS, SIGILL and SIGFPE; :func:`start` adds SIGTRAP (Chromium's crash
  trap: ``int3``). The thread that crashed is the "Current thread"; a crash on a thread
  Python does not know (Chromium's GPU thread, say) shows every Python thread as "Thread";
- a report from a watcher process started here (this file run as a script): it learns each
  test's id and phase as they start, holds its own handles on pytest's capture files, and
  when the test process ends without saying goodbye it prints the test's id and what that
  test wrote to stdout/stderr in its current phase: Qt's warnings and Chromium's log lines
  (Chromium logs ``ERROR`` and ``FATAL`` to stderr without any flag) included. For Qt's
  messages to be there, pytest-qt's in-memory capture of them is turned off (``--no-qt-log``).

The watcher ends with the test process (it never outlives it by more than its report). It is
no child of the test process (its launcher forks it and leaves), so no test counting its own
child processes finds it.
"""

from __future__ import annotations

import faulthandler
import os
import select
import signal
import socket
import stat
import subprocess
import sys

import pytest

#: What the watcher prints at most of each captured stream (the end of it).
MAX_REPORT_BYTES = 64 * 1024
_GOODBYE = b"B\n"


class CrashWatch:
    """The test process's side: tells the watcher what runs and where its output goes."""

    def __init__(self) -> None:
        self._sock: socket.socket | None = None
        self._sent: tuple[tuple[int, int], ...] | None = None

    def start(self) -> None:
        """Call while fd 2 is still the real stderr (``pytest_configure``)."""
        real_err = os.dup(2)
        faulthandler.register(signal.SIGTRAP, file=real_err, all_threads=True, chain=True)
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            launcher = subprocess.Popen(
                [sys.executable, os.path.abspath(__file__), str(os.getpid())],
                stdin=theirs.fileno(),
                stdout=real_err,
                stderr=real_err,
                close_fds=True,
            )
        except OSError as exc:  # the tests still run, only without the report
            os.write(real_err, f"crash_report: no watcher ({exc})\n".encode())
            ours.close()
            return
        finally:
            theirs.close()
        launcher.wait()  # it forked the watcher and left: no child of a test's to count
        self._sock = ours

    def _send(self, data: bytes, fds: list[int] | None = None) -> None:
        if self._sock is None:
            return
        try:
            if fds:
                socket.send_fds(self._sock, [data], fds)
            else:
                self._sock.sendall(data)
        except OSError:
            self._sock = None  # the watcher is gone: the tests go on without it

    def phase(self, nodeid: str, when: str) -> None:
        """A test's ``setup``, ``call`` or ``teardown`` starts; fds 1 and 2 are pytest's
        capture files now, if it captures at fd level: the watcher gets its own handles on
        them (once per file)."""
        self._send(f"T {when} {nodeid}\nR {_resources()}\n".encode())
        captured = [fd for fd in (1, 2) if _is_capture_file(fd)]
        key = tuple((os.fstat(fd).st_dev, os.fstat(fd).st_ino) for fd in captured)
        if captured and key != self._sent:
            self._send(f"F {' '.join(str(fd) for fd in captured)}\n".encode(), captured)
            self._sent = key

    def stop(self) -> None:
        """The test process ends normally: the watcher leaves without a word."""
        self._send(_GOODBYE)
        if self._sock is not None:
            self._sock.close()
            self._sock = None


def _resources() -> str:
    """What the test process holds now (state piling up over a long run is a suspect)."""
    try:
        fds = len(os.listdir("/proc/self/fd"))
        with open("/proc/self/status", encoding="ascii") as lines:
            status = dict(line.partition(":")[::2] for line in lines)
    except OSError:
        return "(no /proc here)"
    rss_mb = int(status.get("VmRSS", "0 kB").split()[0]) // 1024
    return f"{fds} open fds, {status.get('Threads', '?').strip()} threads, {rss_mb} MB resident"


def _shm_free() -> str:
    try:
        info = os.statvfs("/dev/shm")
    except OSError:
        return "?"
    return f"{info.f_bavail * info.f_frsize // 2**20} MB"


def _is_capture_file(fd: int) -> bool:
    """pytest's fd-level capture target: a regular file already unlinked."""
    try:
        info = os.fstat(fd)
    except OSError:
        return False
    return stat.S_ISREG(info.st_mode) and info.st_nlink == 0


# ---- the pytest plugin (tests/conftest.py names it) -------------------------------------

_crash_watch = CrashWatch()


@pytest.hookimpl(tryfirst=True)  # before pytest-qt's, which reads qt_log
def pytest_configure(config: pytest.Config) -> None:
    _crash_watch.start()  # fd 2 is the real stderr here; pytest captures it around each test
    if getattr(config.option, "qt_log", False):
        # pytest-qt keeps Qt's messages (QtWebEngine's warnings among them) in memory, lost
        # with a crashed process: Qt's own handler writes them to fd 2, captured per test
        # like any output (and shown with a failure, as pytest-qt showed them).
        config.option.qt_log = False


def pytest_unconfigure(config: pytest.Config) -> None:
    _crash_watch.stop()


def pytest_runtest_setup(item: pytest.Item) -> None:
    _crash_watch.phase(item.nodeid, "setup")


def pytest_runtest_call(item: pytest.Item) -> None:
    _crash_watch.phase(item.nodeid, "call")


def pytest_runtest_teardown(item: pytest.Item) -> None:
    _crash_watch.phase(item.nodeid, "teardown")


# ---- the watcher (this file run as a script) -------------------------------------------


def _tail(fd: int) -> str:
    size = os.fstat(fd).st_size
    start = max(0, size - MAX_REPORT_BYTES)
    data = os.pread(fd, size - start, start)
    text = data.decode("utf-8", "replace")
    return (f"[... {start} bytes before ...]\n" if start else "") + text


def _watch(pid: int, sock: socket.socket) -> int:
    """Read messages until the test process is gone; report unless it said goodbye."""
    test = resources = ""
    streams: dict[str, int] = {}
    passed_fds: list[int] = []
    buffer = b""
    waiter = select.poll()
    waiter.register(sock.fileno(), select.POLLIN)
    try:
        pidfd = os.pidfd_open(pid)
        waiter.register(pidfd, select.POLLIN)  # readable once it exits, whoever holds sock
    except (AttributeError, OSError):
        pidfd = -1
    ended = closed = False
    while not (ended or closed):
        if pidfd in {fd for fd, _ in waiter.poll()}:
            ended = True
            sock.setblocking(False)  # read what is left, then report
        while True:
            try:
                chunk, fds, _, _ = socket.recv_fds(sock, 65536, 8)
            except BlockingIOError:
                break
            passed_fds += fds
            closed = not chunk
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            for line in lines:
                kind, _, rest = line.decode("utf-8", "replace").partition(" ")
                if kind == "B":
                    return 0
                if kind == "R":
                    resources = rest
                elif kind == "T":
                    when, _, nodeid = rest.partition(" ")
                    test = f"the {when} of {nodeid}"
                elif kind == "F":
                    for old in streams.values():
                        os.close(old)
                    names = ["stdout" if fd == "1" else "stderr" for fd in rest.split()]
                    taken, passed_fds = passed_fds[: len(names)], passed_fds[len(names) :]
                    streams = dict(zip(names, taken, strict=False))
            if closed or not ended:
                break
    lines_out = [
        "",
        f"=== The test process (pid {pid}) ended before pytest finished, during "
        f"{test or 'no test (collection or start-up)'}.",
        "=== Its Python stacks, if a signal killed it, are just above (faulthandler).",
        f"=== When that phase started it had {resources or '(unknown)'}; "
        f"/dev/shm has {_shm_free()} free now.",
    ]
    for name, fd in streams.items():
        lines_out.append(f"--- what that test wrote to {name} in this phase ---")
        lines_out.append(_tail(fd).rstrip("\n"))
    if not streams:
        lines_out.append("--- (its output was not captured at fd level: it is above, or lost) ---")
    lines_out.append("=== end of the report")
    sys.stderr.write("\n".join(lines_out) + "\n")
    sys.stderr.flush()
    return 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for pytest, which says goodbye
    if os.fork():
        os._exit(0)  # the launcher: the watcher is no child of the test process's
    stream = socket.socket(fileno=os.dup(0))
    os.close(0)
    sys.exit(_watch(int(sys.argv[1]), stream))
