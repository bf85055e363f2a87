"""Why a capture process ended, in words a user can act on.

The sentence names the cause (killed by a signal, crashed, or exited with a code) and quotes
the page's own errors (its uncaught exceptions and console errors, which the worker forwards
as they happen), never Chromium's internal log lines.
"""

from __future__ import annotations

import signal

#: Signals that mean the process itself crashed rather than being stopped from outside.
_CRASH_SIGNALS = {"SIGSEGV", "SIGBUS", "SIGILL", "SIGFPE", "SIGABRT", "SIGTRAP", "SIGSYS"}
#: The worker turns SIGTERM into this exit code (see render/worker/__main__.py).
_SIGTERM_EXIT = 143


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def describe_exit(
    returncode: int | None, page_errors: list[str] | tuple[str, ...] = (), restarts: int = 0
) -> str:
    """A sentence for a capture process that ended before capturing all its frames;
    ``restarts``: how many times its frames were already handed to a fresh process."""
    if returncode is not None and returncode < 0:
        name = _signal_name(-returncode)
        if name == "SIGKILL":
            cause = (
                "The capture process was killed by signal SIGKILL (the system may have run out "
                "of memory)."
            )
            fix = "Fix: close other programs or render with fewer --workers, then try again."
        elif name in _CRASH_SIGNALS:
            cause = f"The capture process crashed ({name})."
            fix = "Fix: render again; if it crashes again, simplify the frame where it stopped."
        else:
            cause = f"The capture process was killed by signal {name}."
            fix = "Fix: render again, and make sure nothing else stops the render's processes."
    elif returncode == _SIGTERM_EXIT:
        cause = "The capture process was stopped by signal SIGTERM."
        fix = "Fix: render again, and make sure nothing else stops the render's processes."
    elif returncode in (None, 0):
        cause = "The capture process ended before it captured all its frames."
        fix = "Fix: render again."
    else:
        cause = f"The capture process exited with code {returncode}."
        fix = "Fix: render again; if it fails again, check the composition's scripts."
    if restarts:
        cause += f" It was restarted {restarts} time{'s' if restarts > 1 else ''} already."
    quoted = list(dict.fromkeys(page_errors))[:3]
    detail = f" The page reported: {'; '.join(quoted)}." if quoted else ""
    return f"{cause}{detail} {fix}"
