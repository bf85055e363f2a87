"""Capture views that load the page while the first view already captures.

A worker's views used to load the page together and capture nothing until the last one
could be seeked. The first view now loads alone; once it can be seeked the worker starts
capturing with it, and the others load one after another (in one single-process Chromium
they share its renderer thread, so loading them together only delayed the first) and join
the frame loop as each becomes seekable. Which view draws which frame already depends on
timing (a free view takes the next frame), and frames are history-free, so pixels do not
change; a scaled-down view draws frame 0 before it joins, as every view does.

A late view that fails to load or never becomes seekable is dropped: the first view, on the
same page, already said everything the page reports, and it keeps capturing.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QUrl

from hyperframes_desktop.render.page_status import (
    STATUS_SCRIPT,
    FailureWatch,
    page_is_ready,
    parse_status,
)
from hyperframes_desktop.render.worker.pages import SeekableView
from hyperframes_desktop.render.worker.protocol import CaptureJob
from hyperframes_desktop.render.worker.script_probe import BusyWatch, late_frame

#: What a command source returns when no command has come yet (asked without waiting); a
#: real command is never this very object.
NO_COMMAND_YET: dict = {}
#: A warm worker's commands: ``commands(timeout)`` is the next one, None at the end, or
#: NO_COMMAND_YET when none came within ``timeout`` (None: wait for it).
Commands = Callable[[float | None], "dict | None"]
Emit = Callable[..., None]
#: A view asked for a frame that has not shown it this long is grabbed anyway (a paint that
#: brought no scene-graph render).
REGRAB_AFTER_S = 0.03

#: How soon a view's status is asked again after it said "not yet".
_RECHECK_S = 0.02


class LateViews:
    """The views still to join, loaded one at a time (:meth:`poll` moves them on)."""

    def __init__(self, views: list[SeekableView], url: QUrl, ready_timeout_s: float) -> None:
        self._queue = list(views)
        self._url = url
        self._timeout_s = ready_timeout_s
        self._current: SeekableView | None = None
        self._started = 0.0
        self._asked_at = 0.0
        self._asking = False
        self._status: dict | None = None
        self._watch = FailureWatch()
        self.dropped: list[SeekableView] = []
        self._next()

    @property
    def pending(self) -> bool:
        return self._current is not None

    def _next(self) -> None:
        self._current = self._queue.pop(0) if self._queue else None
        if self._current is None:
            return
        view = self._current
        view.loaded = None
        view.pending = None
        view.page.console_errors.clear()
        self._started = time.monotonic()
        self._asking, self._status, self._watch = False, None, FailureWatch()
        view.load(self._url)

    def _drop(self, why: str) -> None:
        print(f"capture view left out: {why}", file=sys.stderr, flush=True)
        if self._current is not None:
            self.dropped.append(self._current)
        self._next()

    def _answer(self, view: SeekableView, value: object) -> None:
        if view is not self._current:
            return  # a dropped view's late answer
        self._asking = False
        self._status = parse_status(value)

    def poll(self) -> SeekableView | None:
        """The view that became seekable since the last call, if any (never blocks)."""
        view = self._current
        if view is None:
            return None
        now = time.monotonic()
        if now - self._started > self._timeout_s:
            self._drop(f"not seekable within {self._timeout_s:g} s")
            return None
        if view.loaded is None:
            return None
        if not view.loaded:
            self._drop("the page did not load")
            return None
        status, self._status = self._status, None
        if status is not None:
            if page_is_ready(status):
                self._next()
                return view
            if self._watch.failed(status, now):
                self._drop("the page failed")
                return None
        if not self._asking and now - self._asked_at >= _RECHECK_S:
            self._asking, self._asked_at = True, now
            view.page.runJavaScript(STATUS_SCRIPT, 0, lambda value, v=view: self._answer(v, value))
        return None

    def finish(self, loop: QEventLoop, on_ready: Callable[[SeekableView], None]) -> None:
        """Wait until every late view has joined (``on_ready``) or been dropped."""
        while self.pending:
            view = self.poll()
            if view is not None:
                on_ready(view)
                continue
            loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


class Views:
    """The views that capture (``views``) and those still loading (``late``), which join
    ``views`` as each becomes seekable (``view-ready``: how many views capture now)."""

    def __init__(
        self,
        job: CaptureJob,
        loop: QEventLoop,
        views: list[SeekableView],
        late: LateViews,
        emit: Emit,
    ) -> None:
        self.job, self.loop, self.views, self.late, self._emit = job, loop, views, late, emit
        self.written = 0  # frames written so far in this process (said with each join)

    def join_ready(self) -> SeekableView | None:
        """A late view that became seekable, now capturing (None: none yet)."""
        if not self.late.pending:
            return None
        view = self.late.poll()
        if view is not None:
            self._join(view)
        return view

    def _join(self, view: SeekableView) -> None:
        if self.job.scale < 1.0:
            draw_frame_zero(view, self.loop, self.job.frame_timeout_s)
        self.views.append(view)
        self._emit("view-ready", views=len(self.views), written=self.written)

    def finish(self) -> None:
        """Wait until every late view has joined (or been left out)."""
        self.late.finish(self.loop, self._join)

    def next_command(self, commands: Commands) -> dict | None:
        """The next command; while views are still loading, they go on loading (and join)
        between looks for it, so a command that comes meanwhile starts at once."""
        while self.late.pending:
            command = commands(0.0)
            if command is not NO_COMMAND_YET:
                return command
            if self.join_ready() is None:
                self.loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        return commands(None)


def draw_frame_zero(view: SeekableView, loop: QEventLoop, timeout_s: float) -> None:
    """Seek ``view`` to frame 0 and wait until it is drawn, before it captures anything.

    Scaled down (zoom 0.25-0.3 on kinetic-css's turning square; 0.5 and 1x were not seen to),
    Chromium draws a view's later frames one way once the view has drawn frame 0 and another
    way (edges up to 180 levels apart) if it never has, so which frames a view happened to
    capture first decided pixels: a still, the second capture view of a worker or a worker
    whose range starts past 0 differed from a whole render's view. Every view first drawing
    frame 0 puts them all in the same state (bench/RESULTS.md, "scaled renders"). A frame
    that never paints is left to the frame loop, which reports it."""
    view.send_seek(0)
    working = BusyWatch()  # heavy pages may take longer than the timeout (script_probe)
    while view.try_grab(force=time.monotonic() - view.sent_at > REGRAB_AFTER_S) is None:
        now = time.monotonic()
        if late_frame(working, now - view.sent_at, timeout_s, now):
            return
        loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
    view.pending = None
