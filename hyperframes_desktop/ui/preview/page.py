"""Drive a compiled composition inside a QWebEngineView: load, wait until seekable, seek.

Shared by the preview and the thumbnail maker. Seeks are coalesced: while one is in flight
only the latest request is kept, so a slow page drops frames instead of falling behind.

PySide6 6.12 notes: every script returns a non-null string (a ``None`` result corrupts
refcounts), and callbacks are plain functions that return None.
"""

from __future__ import annotations

import functools
import time

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtWidgets import QApplication

from hyperframes_desktop.page_delivery import PageDelivery
from hyperframes_desktop.quiet_page import QuietPage
from hyperframes_desktop.render.compile import CompiledPage
from hyperframes_desktop.render.page_status import (
    STATUS_SCRIPT,
    FailureWatch,
    page_is_ready,
    parse_status,
)

_STATUS_POLL_MS = 25  # only until ready: a reload on save shows sooner
_READY_TIMEOUT_S = 4.0
_SEEK_WATCHDOG_S = 1.5

_profile: QWebEngineProfile | None = None


def studio_profile() -> QWebEngineProfile:
    """One off-the-record profile for the whole app: nothing is cached on disk."""
    global _profile
    if _profile is None:
        _profile = QWebEngineProfile(QApplication.instance())
    return _profile


_delivery: PageDelivery | None = None


def studio_delivery() -> PageDelivery:
    """The studio's page scheme and request interceptor (one per profile): compositions get
    their project files and, through the resolver, the CDN files and fonts they name."""
    global _delivery
    if _delivery is None:
        from hyperframes_desktop.render.resources import Resolver, ResolverSettings
        from hyperframes_desktop.ui import store

        offline = not store.load_settings().download_resources
        resolver = Resolver(ResolverSettings.from_environment(offline=offline))
        _delivery = PageDelivery(studio_profile(), resolver)
    return _delivery


def _refresh_resolver(delivery: PageDelivery) -> None:
    """Follow the registry and cache settings of the environment (read at each page load)."""
    from hyperframes_desktop.render.resources import Resolver, ResolverSettings

    current = delivery.resolver.settings
    wanted = ResolverSettings.from_environment(offline=current.offline)
    if wanted != current:
        delivery.resolver = Resolver(wanted)


def set_downloads_allowed(allowed: bool) -> None:
    """Preferences' "Download libraries and fonts that projects use" (off: cache only)."""
    from hyperframes_desktop.render.resources import Resolver, ResolverSettings

    delivery = studio_delivery()
    delivery.resolver = Resolver(ResolverSettings.from_environment(offline=not allowed))


def release_profile() -> None:
    """Delete the profile; only once every page using it is gone (at exit)."""
    global _profile
    global _delivery
    _delivery = None
    profile, _profile = _profile, None
    if profile is not None and shiboken6.isValid(profile):
        shiboken6.delete(profile)


class StudioPage(QuietPage):
    """A quiet page in the studio's profile, black behind the stage."""

    console_error = Signal(str, str, int)  # message, source URL, line (for the Problems panel)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(studio_profile(), parent)
        self.setBackgroundColor(QColor(0, 0, 0))

    def javaScriptConsoleMessage(self, level, message, line, source) -> None:
        super().javaScriptConsoleMessage(level, message, line, source)
        if level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel:
            self.console_error.emit(str(message), str(source), int(line))


def status_problems(
    status: dict, console_errors: list[str], page_name: str = "", source_name: str = ""
) -> list[str]:
    """Human-readable reasons why a page is not (fully) right, from ``__hf.status()`` and
    the console: a missing timeline first, then the first script error (one is enough).
    Errors name the user's file (``source_name``), not the compiled page (``page_name``),
    whose lines are the file's lines, as render errors do."""
    problems = []
    # absent: the page renders without it (from data-duration), as HyperFrames does
    missing = (status.get("missingTimelines") or []) + (status.get("absentTimelines") or [])
    if missing:
        names = ", ".join(str(m) for m in missing)
        problems.append(
            f'No GSAP timeline registered as window.__timelines["{names}"]: is GSAP loaded '
            "(e.g. gsap.min.js beside index.html)? Animations will not move."
        )
    errors = [str(e) for e in (status.get("errors") or []) if len(str(e)) > 8]
    errors += [e for e in console_errors if e not in errors]
    if page_name and source_name:
        errors = [e.replace(page_name, source_name) for e in errors]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        problems.append(f"Script error: {errors[0]}{more}")
    return problems


class PageDriver(QObject):
    """Loads one compiled page at a time into ``view`` and seeks it frame by frame."""

    ready = Signal()  # the page can be seeked (possibly with warnings)
    frame_shown = Signal(int)  # the page applied a seek to this frame
    failed = Signal(str)  # the page could not be loaded
    warning = Signal(str)  # loaded, but something is off (missing timeline, JS error)

    def __init__(self, view: QWebEngineView, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.page = StudioPage(view)
        view.setPage(self.page)
        self.compiled: CompiledPage | None = None
        self.is_ready = False
        self.shown_frame: int | None = None
        #: seconds the ready page says it lasts (its root timeline's length; 0: unknown)
        self.reported_length = 0.0
        self._generation = 0
        self._ready_deadline = 0.0
        self._failure_watch = FailureWatch()
        self._in_flight: int | None = None
        self._in_flight_since = 0.0
        self._wanted: int | None = None
        self._zoom = 1.0
        self._poll = QTimer(self)
        self._poll.setSingleShot(True)
        self._poll.setInterval(_STATUS_POLL_MS)
        self._poll.timeout.connect(self._ask_status)
        view.loadFinished.connect(self._on_load_finished)
        self.page.renderProcessTerminated.connect(self._on_crash)
        self._delivery = studio_delivery()
        self._delivery.problem.connect(self._on_blocked)

    # ---- public -----------------------------------------------------------------------
    def load(self, compiled: CompiledPage) -> None:
        self._generation += 1
        self.compiled = compiled
        self.is_ready = False
        self.shown_frame = None
        self.reported_length = 0.0
        self._in_flight = None
        self._wanted = None
        self.page.console_errors.clear()
        _refresh_resolver(self._delivery)
        self.view.load(self._delivery.serve(compiled.html_path))

    def clear(self) -> None:
        self._generation += 1
        self.compiled = None
        self.is_ready = False
        self.shown_frame = None
        self._poll.stop()
        self.view.setHtml("<html><body style='background:#000'></body></html>")

    def stop(self) -> None:
        """No more seeks or status polls; answers still on their way are ignored."""
        self._generation += 1
        self.is_ready = False
        self._poll.stop()

    def set_zoom(self, zoom: float) -> None:
        """Scale the page; QtWebEngine accepts 0.25–5."""
        self._zoom = max(0.25, min(5.0, zoom))
        self.page.setZoomFactor(self._zoom)

    def seek(self, frame: int) -> None:
        """Show ``frame`` as soon as possible; older pending requests are dropped."""
        if self.compiled is not None:
            frame = max(0, min(self.compiled.frame_count - 1, int(frame)))
        self._wanted = frame
        self._pump()

    # ---- loading ----------------------------------------------------------------------
    def _on_load_finished(self, ok: bool) -> None:
        if self.compiled is None:
            return
        if not ok:
            self.failed.emit("The preview page could not be loaded.")
            return
        self.page.setZoomFactor(self._zoom)  # a navigation may reset it
        self._ready_deadline = time.monotonic() + _READY_TIMEOUT_S
        self._failure_watch = FailureWatch()
        self._ask_status()

    def _ask_status(self) -> None:
        if self.compiled is None or self.is_ready:
            return
        callback = functools.partial(self._on_status, self._generation)
        self.page.runJavaScript(STATUS_SCRIPT, 0, callback)

    def _on_status(self, generation: int, raw: object) -> None:
        if not shiboken6.isValid(self) or generation != self._generation or self.is_ready:
            return
        status = parse_status(raw)
        now = time.monotonic()
        # a page that threw before registering its timeline is reported after a short grace
        timed_out = now >= self._ready_deadline or self._failure_watch.failed(status, now)
        if not status.get("loaded") and not timed_out:
            self._poll.start()
            return
        if not page_is_ready(status) and not timed_out:
            self._poll.start()
            return
        self.is_ready = True
        try:
            self.reported_length = max(0.0, float(status.get("duration") or 0.0))
        except (TypeError, ValueError):
            self.reported_length = 0.0
        compiled = self.compiled
        problems = status_problems(
            status, self.page.console_errors, compiled.html_path.name, compiled.source_name
        )
        if not status:
            problems.insert(0, "The seek runtime did not start in this page.")
        self.ready.emit()
        if problems:
            self.warning.emit(" ".join(problems))
        self._pump()

    def _on_blocked(self, message: str) -> None:
        """A request of the page was blocked or a library could not be resolved."""
        if shiboken6.isValid(self) and self.compiled is not None:
            # the Problems panel lists the page's own errors: a blocked request is one
            self.page.console_error.emit(message, self.page.url().toString(), 0)
            self.warning.emit(message)

    def _on_crash(self, status: object, code: int) -> None:
        self.is_ready = False
        self._in_flight = None
        self.failed.emit(f"The preview page stopped (renderer exit code {code}). Reload to retry.")

    # ---- seeking ----------------------------------------------------------------------
    def _pump(self) -> None:
        if not self.is_ready or self._wanted is None:
            return
        if self._in_flight is not None:
            if time.monotonic() - self._in_flight_since < _SEEK_WATCHDOG_S:
                return  # one at a time; the latest request waits
            self._in_flight = None  # the callback got lost: do not stall for ever
        frame, self._wanted = self._wanted, None
        self._in_flight = frame
        self._in_flight_since = time.monotonic()
        callback = functools.partial(self._on_seek_done, self._generation, frame)
        self.page.runJavaScript(
            f"String(window.__hf ? window.__hf.seek({frame}) : -1)", 0, callback
        )

    def _on_seek_done(self, generation: int, frame: int, _result: object) -> None:
        # Results can arrive after the window (and this driver) was deleted.
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        self._in_flight = None
        self.shown_frame = frame
        self.frame_shown.emit(frame)
        self._pump()


def make_view(parent=None) -> tuple[QWebEngineView, PageDriver]:
    """A web view that only displays (no focus, no mouse, no context menu) and its driver."""
    view = QWebEngineView(parent)
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
    view.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
    driver = PageDriver(view, view)
    return view, driver
