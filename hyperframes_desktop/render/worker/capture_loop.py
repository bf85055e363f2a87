"""The frame loop: several views in flight, frames written strictly in order."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer, QUrl
from PySide6.QtGui import QImage
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
from PySide6.QtWidgets import QApplication

from hyperframes_desktop.page_delivery import PageDelivery, register_page_scheme
from hyperframes_desktop.render.page_status import FailureWatch, page_is_ready
from hyperframes_desktop.render.resources import Resolver, ResolverSettings
from hyperframes_desktop.render.worker.fingerprints import fingerprint_frames
from hyperframes_desktop.render.worker.late_views import (
    REGRAB_AFTER_S,
    Commands,
    LateViews,
    Views,
    draw_frame_zero,
)
from hyperframes_desktop.render.worker.layered import LayeredFrame, TransitionFrames
from hyperframes_desktop.render.worker.pages import SeekableView, page_status, wait_until
from hyperframes_desktop.render.worker.protocol import CaptureJob
from hyperframes_desktop.render.worker.script_probe import BusyWatch, late_frame, late_sentence

Emit = Callable[..., None]
Writer = Callable[[int, memoryview], None]

_PROGRESS_EVERY_S = 0.1


class CaptureFailed(Exception):
    pass


def _resolver(job: CaptureJob) -> Resolver:
    if job.resolver_settings:
        return Resolver(ResolverSettings.from_json(job.resolver_settings))
    return Resolver(ResolverSettings.from_environment())


def _delivery(job: CaptureJob) -> PageDelivery:
    """The page's files and remote resources, served through the ``hf:`` scheme."""
    return PageDelivery(QWebEngineProfile.defaultProfile(), _resolver(job))


def _load_views(
    job: CaptureJob, loop: QEventLoop, frames: range, delivery: PageDelivery
) -> tuple[list[SeekableView], LateViews]:
    """The first view, seekable, and the others still to load (see late_views.py)."""
    count = max(1, min(job.views, len(frames)))
    views = [
        SeekableView(job.width, job.height, job.page_height, job.scale, job.transparent)
        for _ in range(count)
    ]
    url = _open_page(job, loop, views[:1], delivery)
    return views[:1], LateViews(views[1:], url, job.ready_timeout_s)


def _open_page(
    job: CaptureJob, loop: QEventLoop, views: list[SeekableView], delivery: PageDelivery
) -> QUrl:
    """Load ``job``'s page in every view and wait until each can be seeked; returns the
    page's URL."""
    url = delivery.serve(Path(job.html_path))
    for view in views:
        view.loaded = None
        view.pending = None
        view.page.console_errors.clear()  # a warm view's earlier page said those
        view.load(url)
    if not wait_until(loop, lambda: all(v.loaded is not None for v in views), job.ready_timeout_s):
        raise CaptureFailed(
            f"The composition page did not finish loading within {job.ready_timeout_s:g} s; "
            "a script may be stuck in an endless loop, or a file it loads never arrives. "
            "Fix: check the composition's scripts, then render again."
        )
    if not all(v.loaded for v in views):
        raise CaptureFailed("The composition page could not be loaded.")
    for view in views:
        _wait_ready(view, job, loop, delivery.problems)
    return url


def _reload(
    job: CaptureJob,
    fields: dict,
    loop: QEventLoop,
    views: list[SeekableView],
    delivery: PageDelivery,
) -> CaptureJob:
    """A warm worker takes another render's page (the studio keeps its capture processes
    between renders): the same views, Qt and Chromium, a new page. The frame pipe stays."""
    new = replace(CaptureJob(**fields), out_fd=job.out_fd, serve=True)
    shape = ("width", "height", "page_height", "scale", "transparent")
    if any(getattr(new, name) != getattr(job, name) for name in shape):
        raise CaptureFailed(
            "A warm capture process was asked to change its frame size; this is a bug in the "
            "renderer. Render again (a fresh capture process will be started)."
        )
    delivery.resolver = _resolver(new)
    _open_page(new, loop, views, delivery)
    return new


def _wait_ready(view: SeekableView, job: CaptureJob, loop: QEventLoop, blocked: list[str]) -> None:
    status: dict = {}
    watch = FailureWatch()

    def settled() -> bool:
        status.clear()
        status.update(page_status(view.page, loop))
        return page_is_ready(status) or watch.failed(status, time.monotonic())

    if wait_until(loop, settled, job.ready_timeout_s) and page_is_ready(status):
        return
    page_name = Path(job.html_path).name
    errors = [
        error.replace(page_name, job.source_name)
        for error in dict.fromkeys(blocked + status.get("errors", []) + view.page.console_errors)
    ]
    detail = f" The page reported: {'; '.join(errors[:3])}." if errors else ""
    if status.get("missingTimelines"):
        raise CaptureFailed(
            f'The composition never registered its GSAP timeline as window.__timelines["'
            f'{job.root_id}"].{detail} Fix: create the timeline with {{paused: true}} and '
            "register it synchronously, or add data-no-timeline to the root element if the "
            "composition has no timeline."
        )
    raise CaptureFailed(f"The composition page never became ready to seek.{detail}")


class _PageErrors:
    """Forwards each view's new console errors (the page's own) to the parent as they come."""

    def __init__(self, job: CaptureJob, emit: Emit) -> None:
        self._emit = emit
        self._seen: set[str] = set()
        self._page_name = Path(job.html_path).name
        self._source = job.source_name

    def forward(self, views: list[SeekableView], blocked: list[str]) -> None:
        for error in blocked:
            if error not in self._seen:
                self._seen.add(error)
                self._emit("page-error", message=error, resource=True)
        for view in views:
            for error in view.page.console_errors:
                if error not in self._seen:
                    self._seen.add(error)
                    self._emit("page-error", message=error.replace(self._page_name, self._source))


_KEPT: list = []  # a standby's application and blank page, kept for its job


def stand_by(emit: Emit, read_line: Callable[[], str]) -> str | None:
    """A capture process started before its job (worker/__main__.py ``--standby``): start
    Qt and Chromium with no page of the job's (a blank one is loaded and kept), say
    ``standby``, then return the job file's path, the first line ``read_line`` gives (None
    at EOF). :func:`run_capture` then uses this application."""
    register_page_scheme()
    app = QApplication(["hyperframes-capture"])
    page = QWebEnginePage(QWebEngineProfile.defaultProfile())
    _KEPT.extend((app, page))
    loop = QEventLoop()
    page.loadFinished.connect(lambda _ok: loop.quit())
    QTimer.singleShot(30_000, loop.quit)
    page.setHtml("<!doctype html><title></title>")
    loop.exec()
    emit("standby")
    line = read_line().strip()
    return line or None


def run_capture(
    job: CaptureJob, emit: Emit, write: Writer, commands: Commands | None = None
) -> int:
    """Load the page and capture its frames; with ``job.serve``, keep the loaded page and
    capture each frame range ``commands(timeout)`` returns (None: no more; NO_COMMAND_YET:
    none within ``timeout``, None waits) instead. Capture starts as soon as the first view
    can be seeked; the other views join the frame loop as they become seekable."""
    t_setup = time.monotonic()
    if QApplication.instance() is None:
        register_page_scheme()
    app = QApplication.instance() or QApplication(["hyperframes-capture"])
    del app
    delivery = _delivery(job)  # serves the project as project.tree sees it (no outside links)
    loop = QEventLoop()
    heartbeat = QTimer()
    heartbeat.setInterval(10)
    heartbeat.start()
    frames = range(job.first_frame, job.end_frame, max(1, job.stride))
    try:
        views, late = _load_views(job, loop, range(job.views) if job.serve else frames, delivery)
    except CaptureFailed as exc:
        emit("error", stage="capture", message=str(exc))
        return 2
    crew = Views(job, loop, views, late, emit)
    page_errors, duration, transitions = _page_facts(job, loop, views, delivery, emit)
    if not job.serve:
        emit("ready", setup_ms=(time.monotonic() - t_setup) * 1000.0, duration=duration)
        return _capture_frames(
            job, loop, crew, frames, emit, write, page_errors, delivery.problems, transitions
        )
    while commands is not None:
        command = crew.next_command(commands)
        if command is None:
            return 0
        t_command = time.monotonic()
        if command.get("load"):  # another render's page, in the same warm process
            crew.finish()
            try:
                job = _reload(job, command["load"], loop, views, delivery)
            except CaptureFailed as exc:
                emit("error", stage="capture", message=str(exc))
                return 2
            crew.job = job
            page_errors, duration, transitions = _page_facts(job, loop, views, delivery, emit)
            t_setup = t_command  # the next range's set-up time is this load's
            continue
        frames = range(int(command["first"]), int(command["end"]), max(1, int(command["stride"])))
        if command.get("fingerprint"):  # the render cache asks what these frames show
            crew.finish()  # every view takes its share of the frames
            code = fingerprint_frames(views, loop, frames, emit, job.frame_timeout_s)
            if code != 0:
                return code
            continue
        emit(
            "ready",
            setup_ms=(time.monotonic() - min(t_setup, t_command)) * 1000.0,
            duration=duration,
        )
        t_setup = t_command  # only the first range pays the page load
        code = _capture_frames(
            job, loop, crew, frames, emit, write, page_errors, delivery.problems, transitions
        )
        if code != 0:
            return code
    return 0


def _page_facts(
    job: CaptureJob, loop: QEventLoop, views: list[SeekableView], delivery: PageDelivery, emit: Emit
) -> tuple[_PageErrors, float, TransitionFrames]:
    """What a freshly loaded page tells before its first frame: its errors (forwarded from
    now on), its own idea of its length (a root without data-duration is as long as this) and
    its shader transitions. Read again after every page a warm process loads."""
    page_errors = _PageErrors(job, emit)
    page_errors.forward(views, delivery.problems)
    duration = page_status(views[0].page, loop).get("duration") or 0.0
    return page_errors, duration, TransitionFrames.read(views[0], loop, job.fps_num, job.fps_den)


def _capture_frames(
    job: CaptureJob,
    loop: QEventLoop,
    crew: Views,
    frames: range,
    emit: Emit,
    write: Writer,
    page_errors: _PageErrors,
    problems: list[str],
    transitions: TransitionFrames,
) -> int:
    stage_rows = round(job.height * job.scale)
    to_seek = iter(frames)
    to_write = iter(frames)
    next_write = next(to_write, None)
    written = 0
    finished: dict[int, QImage] = {}
    durations: list[float] = []
    last_report = time.monotonic()
    layered: dict[int, LayeredFrame] = {}  # by view: a shader-transition frame in progress
    working = BusyWatch()  # at the frame timeout: is the page still working on it?

    def assign(view: SeekableView) -> None:
        frame = next(to_seek, None)
        if frame is not None:
            view.send_seek(frame)
            started = transitions.start(frame)
            if started is not None:
                layered[id(view)] = started
        else:
            view.pending = None

    views = crew.views  # late views join this list as they become seekable
    if job.scale < 1.0:
        for view in views:
            draw_frame_zero(view, loop, job.frame_timeout_s)
    for view in views:
        assign(view)
    while next_write is not None:
        loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
        joined = crew.join_ready()
        if joined is not None:
            assign(joined)
        now = time.monotonic()
        for view in views:
            if view.pending is None:
                continue
            image = view.try_grab(force=now - view.sent_at > REGRAB_AFTER_S)
            if image is None:
                late = late_frame(working, now - view.sent_at, job.frame_timeout_s, now)
                if late:
                    message = late_sentence(
                        late, f"Frame {view.pending} did not paint", job.frame_timeout_s
                    )
                    emit("error", stage="capture", message=message)
                    return 2
                continue
            in_progress = layered.get(id(view))
            if in_progress is not None:
                image = in_progress.take(view, image, stage_rows)
                if image is None:
                    continue
                del layered[id(view)]
            durations.append((now - view.sent_at) * 1000.0)
            finished[view.pending] = image
            assign(view)
        while next_write in finished:
            image = finished.pop(next_write)
            if image.format() != QImage.Format.Format_RGB32 and (
                job.transparent or image.format() != QImage.Format.Format_ARGB32_Premultiplied
            ):
                # straight (not premultiplied) alpha for alpha formats; opaque frames as they are
                image = image.convertToFormat(QImage.Format.Format_ARGB32)
            # the frame strip is the last rows of the image: writing only the stage crops it
            frame_bytes = image.bytesPerLine() * stage_rows
            write(job.out_fd, memoryview(image.constBits())[:frame_bytes])
            written += 1
            crew.written += 1
            next_write = next(to_write, None)
        if now - last_report >= _PROGRESS_EVERY_S or next_write is None:
            page_errors.forward(views, problems)
            emit("progress", done=written, frame_ms=durations)
            durations = []
            last_report = now
    emit("done")
    return 0
