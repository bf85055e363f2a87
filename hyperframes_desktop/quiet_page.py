"""A QWebEnginePage for compositions, shared by the studio preview and the capture worker:
it never opens a JavaScript dialog (one would block playback or a render) and keeps the
page's console errors so they can be shown to the user."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile, QWebEngineSettings

MAX_CONSOLE_ERRORS = 20


class QuietPage(QWebEnginePage):
    def __init__(
        self, profile: QWebEngineProfile | None = None, parent: QObject | None = None
    ) -> None:
        if profile is None:
            super().__init__(parent)
        else:
            super().__init__(profile, parent)
        self.console_errors: list[str] = []
        settings = self.settings()
        attr = QWebEngineSettings.WebAttribute
        settings.setAttribute(attr.ShowScrollBars, False)
        settings.setAttribute(attr.LocalContentCanAccessFileUrls, True)
        settings.setAttribute(attr.PlaybackRequiresUserGesture, False)
        settings.setAttribute(attr.JavascriptCanOpenWindows, False)

    def javaScriptConsoleMessage(self, level, message, line, source) -> None:
        is_error = level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel
        if is_error and len(self.console_errors) < MAX_CONSOLE_ERRORS:
            name = source.rsplit("/", 1)[-1] if source else ""
            self.console_errors.append(f"{message} ({name}:{line})" if name else message)

    def javaScriptAlert(self, origin, msg) -> None:
        return None

    def javaScriptConfirm(self, origin, msg) -> bool:
        return False

    def javaScriptPrompt(self, origin, msg, default) -> tuple[bool, str]:
        return False, ""
