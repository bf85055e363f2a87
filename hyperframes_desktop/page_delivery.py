"""How a composition page gets its files in QtWebEngine, for the capture worker and the
studio preview alike: the ``hf:`` URL scheme serves the compiled page, its project folder and
the resolver's answers; a request interceptor sends allowed remote URLs there and blocks
everything else, so the page itself never reaches the network or reads a file it was not
given.

What is allowed (see render/resources): npm CDN and Google Fonts URLs always; other static
``https`` URLs only when the page names them in markup or CSS (not a script's fetch/XHR);
``file:``, loopback, private hosts and other schemes never. Blocked requests that a script
made are reported (``problems``) so renders and the Problems panel can name them.

``register_page_scheme()`` must run before the QApplication exists.
"""

from __future__ import annotations

import contextlib
import json
import threading
from pathlib import Path

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QUrl, Signal
from PySide6.QtWebEngineCore import (
    QWebEngineProfile,
    QWebEngineUrlRequestInfo,
    QWebEngineUrlRequestInterceptor,
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

from hyperframes_desktop.project.gsap_fallback import gsap_fallback_url
from hyperframes_desktop.render.resources import Answer, Resolver
from hyperframes_desktop.render.resources.content_types import content_type_for
from hyperframes_desktop.render.resources.local_files import (
    HOST,
    SCHEME,
    LocalFiles,
    page_url,
    remote_source,
    remote_url,
)
from hyperframes_desktop.render.resources.urls import BlockedTarget, StaticTarget, classify

_registered = False
_PAGES_KEPT = 8
_DYNAMIC = {
    QWebEngineUrlRequestInfo.ResourceType.ResourceTypeXhr,
    QWebEngineUrlRequestInfo.ResourceType.ResourceTypePing,
    QWebEngineUrlRequestInfo.ResourceType.ResourceTypeCspReport,
    QWebEngineUrlRequestInfo.ResourceType.ResourceTypeWorker,
    QWebEngineUrlRequestInfo.ResourceType.ResourceTypeSharedWorker,
    QWebEngineUrlRequestInfo.ResourceType.ResourceTypeServiceWorker,
}
_PASS_SCHEMES = {SCHEME, "data", "blob", "about", "qrc"}


def register_page_scheme() -> None:
    """Declare the ``hf:`` scheme (once per process, before the QApplication)."""
    global _registered
    if _registered:
        return
    scheme = QWebEngineUrlScheme(SCHEME.encode())
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    flags = QWebEngineUrlScheme.Flag
    scheme.setFlags(flags.SecureScheme | flags.CorsEnabled | flags.FetchApiAllowed)
    QWebEngineUrlScheme.registerScheme(scheme)
    _registered = True


def qurl_for_page(html_path: Path) -> QUrl:
    return QUrl(page_url(html_path))


def local_path(url: QUrl) -> str:
    """The local file a page URL stands for (``file:`` or the page scheme), else ""."""
    if url.isLocalFile():
        return url.toLocalFile()
    if url.scheme() == SCHEME and url.host() == HOST:
        path = url.path()
        return "" if remote_source(path, "") is not None else path
    return ""


class _Relay(QObject):
    """Carries an answer computed on a helper thread back to the GUI thread."""

    answered = Signal(object, object)  # job key, Answer | Refusal


def _resolve_then_relay(relay: _Relay, key: int, resolver: Resolver, source: str) -> None:
    """A helper thread's work: resolve, then hand the answer to the GUI thread, unless the
    profile (and with it the relay) went away meanwhile: a window closed while a page's
    request was still being fetched."""
    result = resolver.resolve(source)
    # "Signal source has been deleted": nobody is waiting any more
    with contextlib.suppress(RuntimeError):
        relay.answered.emit(key, result)


class PageSchemeHandler(QWebEngineUrlSchemeHandler):
    def __init__(self, delivery: PageDelivery) -> None:
        super().__init__(delivery)
        self._delivery = delivery
        self._jobs: dict[int, QWebEngineUrlRequestJob] = {}
        self._relay = _Relay(self)
        self._relay.answered.connect(self._finish)
        self._next = 0

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        url = job.requestUrl()
        if url.host() != HOST:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        path = url.path(QUrl.ComponentFormattingOption.FullyEncoded)
        source = remote_source(path, url.query(QUrl.ComponentFormattingOption.FullyEncoded))
        if source is None:
            self._local(job, path)
            return
        self._remote(job, source)

    def _remote(self, job: QWebEngineUrlRequestJob, source: str) -> None:
        resolver = self._delivery.resolver
        if resolver.is_cached(source):
            self._answer(job, resolver.resolve(source), source)
            return
        self._next += 1
        key = self._next
        self._jobs[key] = job
        job.destroyed.connect(lambda *_: self._jobs.pop(key, None))
        threading.Thread(
            target=_resolve_then_relay, args=(self._relay, key, resolver, source), daemon=True
        ).start()

    def _local(self, job: QWebEngineUrlRequestJob, path: str) -> None:
        found = self._delivery.read_local(path)
        if found is None:
            fallback = gsap_fallback_url(path)
            if fallback is not None and self._delivery.may_read(path):
                self._remote(job, fallback)  # a missing local GSAP: the registry's copy
                return
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        _reply(job, found[0], found[1])

    def _finish(self, key: int, result: object) -> None:
        job = self._jobs.pop(key, None)
        if job is None or not shiboken6.isValid(job):
            return
        self._answer(job, result, getattr(result, "url", ""))

    def _answer(self, job: QWebEngineUrlRequestJob, result: object, url: str) -> None:
        if isinstance(result, Answer):
            _reply(job, result.body, result.content_type)
            return
        self._delivery.report(str(result))
        _reply(job, *_refusal_body(url, str(result)))


def _refusal_body(url: str, message: str) -> tuple[bytes, str]:
    """What a refused remote URL answers instead of failing the request.

    Failing a redirected request (``job.fail``) aborts the page in QtWebEngine 6.12 and crashes
    a ``--single-process`` renderer; an answer that carries the sentence does neither: a script
    throws it (so it shows among the page's errors), anything else is empty.
    """
    content_type = content_type_for(url)
    if content_type == "text/javascript":
        return f"throw new Error({json.dumps(message)});".encode(), content_type
    if content_type == "text/css":
        return f"/* {message.replace('*/', '* /')} */".encode(), content_type
    return b"", content_type


def _reply(job: QWebEngineUrlRequestJob, body: bytes, content_type: str) -> None:
    buffer = QBuffer(job)
    buffer.setData(QByteArray(body))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    job.reply(content_type.encode("ascii", "replace"), buffer)


class PageInterceptor(QWebEngineUrlRequestInterceptor):
    def __init__(self, delivery: PageDelivery) -> None:
        super().__init__(delivery)
        self._delivery = delivery

    def interceptRequest(self, info: QWebEngineUrlRequestInfo) -> None:
        url = info.requestUrl()
        scheme = url.scheme().lower()
        if scheme == SCHEME and url.host() != HOST:
            # a protocol-relative URL ("//cdn.jsdelivr.net/…") in a page of ours: https
            url = QUrl(url)
            url.setScheme("https")
            scheme = "https"
        elif scheme in _PASS_SCHEMES:
            return
        text = url.toString(QUrl.ComponentFormattingOption.FullyEncoded)
        dynamic = info.resourceType() in _DYNAMIC
        if scheme in ("http", "https"):
            target = classify(text)
            if not isinstance(target, BlockedTarget) and not (
                dynamic and isinstance(target, StaticTarget)
            ):
                info.redirect(QUrl(remote_url(text)))
                return
        info.block(True)
        if dynamic or scheme == "file":
            self._delivery.report(
                f"The page's request for {text} was blocked: compositions read only their "
                "project folder, npm CDN files and Google Fonts at run time. Fix: put the "
                "file in the project folder and name it by a relative path."
            )


class PageDelivery(QObject):
    """The scheme handler and the interceptor of one profile, and what they reported."""

    problem = Signal(str)  # a blocked or failed request, as a sentence naming the URL

    def __init__(self, profile: QWebEngineProfile, resolver: Resolver) -> None:
        super().__init__(profile)
        self.resolver = resolver
        self._pages: dict[Path, LocalFiles] = {}  # the latest pages served, newest last
        self.problems: list[str] = []
        self._handler = PageSchemeHandler(self)
        self._interceptor = PageInterceptor(self)
        profile.installUrlSchemeHandler(SCHEME.encode(), self._handler)
        profile.setUrlRequestInterceptor(self._interceptor)

    def serve(self, html_path: Path) -> QUrl:
        """Serve this compiled page (beside the few served last: the studio's preview and
        thumbnails share one profile); returns its URL."""
        files = LocalFiles(Path(html_path))
        self._pages.pop(files.html_path, None)
        self._pages[files.html_path] = files
        while len(self._pages) > _PAGES_KEPT:
            self._pages.pop(next(iter(self._pages)))
        self.problems.clear()
        return qurl_for_page(html_path)

    def may_read(self, url_path: str) -> bool:
        """True when ``url_path`` lies in a folder of a page being served."""
        return any(files.allowed_url_path(url_path) for files in self._pages.values())

    def read_local(self, url_path: str) -> tuple[bytes, str] | None:
        for files in reversed(self._pages.values()):
            found = files.read(url_path)
            if found is not None:
                return found
        return None

    def report(self, message: str) -> None:
        if message not in self.problems and len(self.problems) < 50:
            self.problems.append(message)
            self.problem.emit(message)
