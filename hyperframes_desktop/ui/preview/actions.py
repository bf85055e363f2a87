"""Playback commands as QActions: one object feeds the menu, the buttons and the shortcuts."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle, QWidget

from hyperframes_desktop.ui.preview.playback import PlaybackController


def _keys(*keys: str) -> list[QKeySequence]:
    return [QKeySequence(k) for k in keys]


class PlaybackActions(QObject):
    """The preview's actions, bound to a controller; add them to the window to enable keys."""

    def __init__(self, controller: PlaybackController, host: QWidget) -> None:
        super().__init__(host)
        self._host = host
        self.controller = controller
        style = host.style()
        icon = style.standardIcon
        sp = QStyle.StandardPixmap

        self.play_pause = self._make("Play", "Play or pause", _keys("Space"), self._toggle)
        self.play_pause.setIcon(icon(sp.SP_MediaPlay))
        self.pause = self._make("Stop", "Stop playback", _keys("K"), self._pause)
        self.shuttle_back = self._make(
            "Shuttle Backward", "Play backwards; press again to go faster", _keys("J"), self._j
        )
        self.shuttle_back.setIcon(icon(sp.SP_MediaSeekBackward))
        self.shuttle_forward = self._make(
            "Shuttle Forward", "Play forwards; press again to go faster", _keys("L"), self._l
        )
        self.shuttle_forward.setIcon(icon(sp.SP_MediaSeekForward))
        self.step_back = self._make("Previous Frame", "One frame back", _keys("Left"), self._prev)
        self.step_back.setIcon(icon(sp.SP_ArrowLeft))
        self.step_forward = self._make(
            "Next Frame", "One frame forward", _keys("Right"), self._next
        )
        self.step_forward.setIcon(icon(sp.SP_ArrowRight))
        self.go_start = self._make("Go to Start", "First frame", _keys("Home"), self._home)
        self.go_start.setIcon(icon(sp.SP_MediaSkipBackward))
        self.go_end = self._make("Go to End", "Last frame", _keys("End"), self._end)
        self.go_end.setIcon(icon(sp.SP_MediaSkipForward))
        self.loop = self._make("Loop", "Loop playback", _keys("Ctrl+L"), self._loop)
        self.loop.setCheckable(True)
        self.loop.setChecked(controller.loop)
        self.loop.setIcon(icon(sp.SP_BrowserReload))
        self.full_preview = self._make(
            "Full-Screen Preview", "Show only the preview, full screen", _keys("F"), None
        )
        self.full_preview.setCheckable(True)
        self.full_preview.setIcon(icon(sp.SP_TitleBarMaxButton))
        self.leave_full_preview = self._make(
            "Leave Full-Screen Preview", "Back to the studio", _keys("Escape"), None
        )
        self.leave_full_preview.setEnabled(False)
        controller.state_changed.connect(self._sync)
        self._sync()

    def all(self) -> list[QAction]:
        return [
            self.play_pause,
            self.pause,
            self.shuttle_back,
            self.shuttle_forward,
            self.step_back,
            self.step_forward,
            self.go_start,
            self.go_end,
            self.loop,
            self.full_preview,
            self.leave_full_preview,
        ]

    def set_enabled(self, enabled: bool) -> None:
        """Everything but the full-screen toggles needs a loaded composition."""
        for action in self.all()[:9]:
            action.setEnabled(enabled)

    def _make(self, text: str, tip: str, keys: list[QKeySequence], slot) -> QAction:
        action = QAction(text, self)
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        shown = " / ".join(k.toString(QKeySequence.SequenceFormat.NativeText) for k in keys)
        action.setToolTip(f"{tip} ({shown})" if shown else tip)
        action.setStatusTip(tip)
        if slot is not None:
            action.triggered.connect(slot)
        return action

    # Slots are plain methods returning None (PySide6 6.12 mishandles returned values).
    def _toggle(self, _checked: bool = False) -> None:
        self.controller.toggle_play()

    def _pause(self, _checked: bool = False) -> None:
        self.controller.pause()

    def _j(self, _checked: bool = False) -> None:
        self.controller.shuttle_backward()

    def _l(self, _checked: bool = False) -> None:
        self.controller.shuttle_forward()

    def _prev(self, _checked: bool = False) -> None:
        self.controller.step(-1)

    def _next(self, _checked: bool = False) -> None:
        self.controller.step(1)

    def _home(self, _checked: bool = False) -> None:
        self.controller.go_to_start()

    def _end(self, _checked: bool = False) -> None:
        self.controller.go_to_end()

    def _loop(self, checked: bool = False) -> None:
        self.controller.set_loop(checked)

    def _sync(self) -> None:
        style = self._host.style()
        playing = self.controller.playing
        pixmap = (
            QStyle.StandardPixmap.SP_MediaPause if playing else QStyle.StandardPixmap.SP_MediaPlay
        )
        self.play_pause.setIcon(style.standardIcon(pixmap))
        self.play_pause.setText("Pause" if playing else "Play")
        if self.loop.isChecked() != self.controller.loop:
            self.loop.setChecked(self.controller.loop)
