"""Is a page that has not painted its frame dead, or still working on it?

A frame that had not painted within the frame timeout (15 s) stopped the render ("the page
may be stuck in a script"). Real projects take longer than that on software rendering and a
busy machine, and are not stuck: HyperFrames' catalog blocks ``cosmic-orb``,
``ios26-liquid-glass``, ``macos-tahoe-liquid-glass``, ``vfx-liquid-glass`` and
``vfx-text-cursor`` (full-frame WebGL shaders, SVG filters, backdrop blurs) and
``vfx-shatter`` (three.js fed from 2D canvases drawn in script) took 14-60 s a frame at
480x270 on two busy cores. HyperFrames itself gives one call 300 s.

QtWebEngine runs the page in this process (the renderer's threads, Chromium's GPU and
compositor threads, SwiftShader's workers), and a page working on a frame keeps some of them
busy, while this loop's own thread only waits. So while a frame is late, the CPU that the
process's other threads use is sampled: at the frame timeout, a page whose threads used
less than :data:`BUSY_SHARE` of a core over the last :data:`WINDOW_S` has stopped (the render
stops, as before); a busy one is given until :func:`busy_limit_s` (300 s, or
``HYPERFRAMES_BUSY_FRAME_LIMIT_S``), after which it is reported as stuck in a loop or too
heavy for this machine.
"""

from __future__ import annotations

import time
from collections import deque

from hyperframes_desktop.render.env_numbers import env_number

#: How much of one core the process's other threads use while the page works on a frame.
BUSY_SHARE = 0.05
#: How far back the page's work is judged.
WINDOW_S = 2.0
#: How long a frame the page is working on may take, as HyperFrames allows one call.
BUSY_LIMIT_S = 300.0
_EVERY_S = 0.2

IDLE = "idle"
TOO_LONG = "too long"


def busy_limit_s(frame_timeout_s: float) -> float:
    """The longest a frame may take while the page works on it (at least the frame timeout)."""
    limit = env_number("HYPERFRAMES_BUSY_FRAME_LIMIT_S", BUSY_LIMIT_S, 1.0)
    return max(frame_timeout_s, limit)


def others_cpu_s() -> float:
    """CPU seconds used so far by this process's threads other than the calling one (threads
    that have ended included, as the process's total counts them)."""
    return time.process_time() - time.thread_time()


class BusyWatch:
    """Samples :func:`others_cpu_s` while a frame is late, a few times a second."""

    def __init__(self, window_s: float = WINDOW_S) -> None:
        self.window_s = window_s
        self._samples: deque[tuple[float, float]] = deque()

    def sample(self, now: float) -> None:
        if self._samples and now - self._samples[-1][0] < _EVERY_S:
            return
        self._samples.append((now, others_cpu_s()))
        while len(self._samples) > 2 and now - self._samples[1][0] >= self.window_s:
            self._samples.popleft()

    def busy(self, now: float) -> bool | None:
        """Whether the other threads worked over the last window (None: too soon to tell)."""
        self.sample(now)
        if len(self._samples) < 2:
            return None
        (first, cpu_first), (last, cpu_last) = self._samples[0], self._samples[-1]
        if last - first < self.window_s * 0.75:
            return None
        return (cpu_last - cpu_first) / (last - first) >= BUSY_SHARE


def late_frame(watch: BusyWatch, waited: float, frame_timeout_s: float, now: float) -> str:
    """For a frame that has waited ``waited`` seconds: '' (wait on), :data:`IDLE` (nothing
    worked on it at the frame timeout) or :data:`TOO_LONG` (worked on past
    :func:`busy_limit_s`). Called on every turn of a wait; it samples only near the timeout."""
    if waited <= frame_timeout_s - watch.window_s:
        return ""
    watch.sample(now)
    if waited <= frame_timeout_s:
        return ""
    busy = watch.busy(now)
    if busy is False:
        return IDLE
    if waited > busy_limit_s(frame_timeout_s):
        return TOO_LONG
    return ""


def late_sentence(late: str, what: str, frame_timeout_s: float) -> str:
    """The user's sentence for a frame ``late_frame`` gave up on; ``what`` says what did not
    happen ("Frame 12 did not paint")."""
    if late == IDLE:
        return (
            f"{what} within {frame_timeout_s:.0f} s, and the page was not working on it: it "
            "stopped answering seeks (see the page's errors above, if any)."
        )
    return (
        f"{what} within {busy_limit_s(frame_timeout_s):.0f} s although the page kept working "
        "on it: it may be stuck in a loop in a script, or be too heavy to draw on this "
        "machine (WebGL, filters, blurs). Render at a smaller --resolution, or set "
        "HYPERFRAMES_BUSY_FRAME_LIMIT_S higher."
    )
