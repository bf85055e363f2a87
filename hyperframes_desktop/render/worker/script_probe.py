"""Is a page that has not painted its frame stuck in a script, or still drawing it?

A frame that had not painted within the frame timeout (15 s) stopped the render. Real
projects draw full-frame WebGL shaders, SVG filters and backdrop blurs that software rendering
on a busy machine draws in many seconds a frame (HyperFrames' catalog: ``cosmic-orb``,
``ios26-liquid-glass``, ``vfx-iphone-device`` took 14 s and more a frame at 480x270 on two
busy cores; HyperFrames itself gives one call 300 s).

The two cases look alike from the page (its main thread is busy in both: a heavy WebGL draw
holds it too), but not from the threads of this process, where QtWebEngine runs the page
(its renderer's main thread is ``Chrome_InProcRe``): a script stuck in a loop keeps that one
thread busy and leaves the others idle, while a frame being drawn keeps Chromium's GPU and
compositor threads, its raster workers or SwiftShader's workers busy. So while a frame is
late, the CPU of every thread but this loop's and the renderer's main thread is sampled: at
the frame timeout, threads that used at least :data:`DRAWING_SHARE` of a core over the last
:data:`WINDOW_S` mean the frame is being drawn, and it is given until :func:`paint_limit_s`;
idle ones mean a stuck page, and the render stops as before. Where threads cannot be read
(no ``/proc``), every late frame counts as stuck, as before.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from pathlib import Path

#: How much of one core the process's other threads use while Chromium draws a frame.
DRAWING_SHARE = 0.05
#: How far back the drawing is judged.
WINDOW_S = 2.0
#: How long a frame that is being drawn may take, as HyperFrames allows one call.
SLOW_PAINT_LIMIT_S = 300.0
_EVERY_S = 0.2
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


STUCK = "stuck"
TOO_SLOW = "too slow"


def paint_limit_s(frame_timeout_s: float) -> float:
    """The longest a frame may take to paint while Chromium is drawing it."""
    return max(frame_timeout_s, SLOW_PAINT_LIMIT_S)


def late_frame(watch: DrawingWatch, waited: float, frame_timeout_s: float, now: float) -> str:
    """For a frame that has waited ``waited`` seconds: '' (wait on), :data:`STUCK` (the page's
    script thread alone was busy at the frame timeout) or :data:`TOO_SLOW` (drawn past
    :func:`paint_limit_s`). Called on every turn of a wait; it samples only near the timeout."""
    if waited <= frame_timeout_s - watch.window_s:
        return ""
    watch.sample(now)
    if waited <= frame_timeout_s:
        return ""
    drawing = watch.drawing(now)
    if drawing is False:
        return STUCK
    if waited > paint_limit_s(frame_timeout_s):
        return TOO_SLOW
    return ""


_TASKS = Path("/proc/self/task")
#: The renderer's main thread, where the page's scripts run (QtWebEngine in one process).
_SCRIPT_THREAD = "Chrome_InProcRe"


def drawing_cpu_s() -> float | None:
    """CPU seconds used so far by this process's threads other than the calling one and the
    page's script thread; None where threads cannot be read."""
    me = threading.get_native_id()
    total = 0
    try:
        tasks = list(_TASKS.iterdir())
    except OSError:
        return None
    for task in tasks:
        if task.name == str(me):
            continue
        try:
            stat = (task / "stat").read_text()
        except OSError:
            continue  # the thread ended
        name, _, rest = stat.partition("(")[2].rpartition(")")
        if name == _SCRIPT_THREAD:
            continue
        fields = rest.split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (the state is 0)
    return total / _TICKS


class DrawingWatch:
    """Samples :func:`drawing_cpu_s` while a frame is late (a few times a second)."""

    def __init__(self, window_s: float = WINDOW_S) -> None:
        self.window_s = window_s
        self._samples: deque[tuple[float, float]] = deque()
        self._readable = True

    def sample(self, now: float) -> None:
        if not self._readable or (self._samples and now - self._samples[-1][0] < _EVERY_S):
            return
        cpu = drawing_cpu_s()
        if cpu is None:
            self._readable = False
            return
        self._samples.append((now, cpu))
        while len(self._samples) > 2 and now - self._samples[1][0] >= self.window_s:
            self._samples.popleft()

    def drawing(self, now: float) -> bool | None:
        """Whether those threads were busy over the last window (None: too few samples yet;
        False where threads cannot be read)."""
        self.sample(now)
        if not self._readable:
            return False
        if len(self._samples) < 2:
            return None
        (first, cpu_first), (last, cpu_last) = self._samples[0], self._samples[-1]
        if last - first < self.window_s * 0.75:
            return None
        return (cpu_last - cpu_first) / (last - first) >= DRAWING_SHARE
