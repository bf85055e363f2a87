"""What the docks that draw over the preview's stage may use of it, as typing protocols.

The canvas editor and the timeline's preview link draw over the stage and ask its page
where elements are; the timeline controller seeks and reloads the preview after an edit.
They are handed the preview's objects by the window, and see them only through these
protocols: no dock imports the preview package (the docks-independence contract in
pyproject.toml), and what they rely on is written down here, in one place.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QRect, SignalInstance
from PySide6.QtWebEngineCore import QWebEnginePage
from PySide6.QtWidgets import QWidget

from hyperframes_desktop.project import Composition
from hyperframes_desktop.render.compile import CompiledPage


class StagePage(Protocol):
    """The stage's page driver: its web page, and when it is ready or showed a frame."""

    page: QWebEnginePage
    ready: SignalInstance  # the page can be seeked
    frame_shown: SignalInstance  # (int) the page applied a seek to this frame
    reported_length: float  # seconds the ready page says it lasts (0: unknown)


class StageView(Protocol):
    """The preview's stage widget: the web view, the click catcher laid over it, and the
    compiled page it shows (None while nothing is shown)."""

    web: QWidget
    catcher: QWidget
    driver: StagePage
    compiled: CompiledPage | None
    clicked: SignalInstance
    clicked_at: SignalInstance  # (QPointF) a click, in the view's pixels

    def rect(self) -> QRect: ...

    def installEventFilter(self, watcher: QObject) -> None: ...


class Playhead(Protocol):
    frame: int

    def seek(self, frame: int) -> None: ...

    def toggle_play(self) -> None: ...


class Preview(Protocol):
    """The preview panel as the timeline uses it."""

    view: StageView
    controller: Playhead
    composition: Composition | None

    @property
    def is_ready(self) -> bool: ...

    def show_error(self, text: str) -> None: ...

    def reload(self, comp: Composition, renamed_from: Path | None = None) -> bool: ...
