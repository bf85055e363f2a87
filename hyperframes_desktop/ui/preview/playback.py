"""The playback clock: which frame should be on screen now, in real time.

Playback never waits for the page: each tick computes the frame from the wall clock, so a
slow page shows fewer frames (drops) rather than playing slower. J/K/L shuttle follows the
NLE convention: L plays forward and doubles the speed on each press, J the same backwards,
K stops.
"""

from __future__ import annotations

import math
import time
from fractions import Fraction

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from hyperframes_desktop.ui.in_out_range import InOutRange

SHUTTLE_SPEEDS = (1.0, 2.0, 4.0, 8.0)
_TICK_MS = 10


class PlaybackController(QObject):
    frame_changed = Signal(int)
    state_changed = Signal()  # playing/speed/loop/length changed

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.frame = 0
        self.frame_count = 1
        self.fps = Fraction(30)
        self.speed = 0.0
        self.loop = True
        self.in_out = InOutRange(self)  # loop playback stays inside it
        self._anchor_frame = 0.0
        self._anchor_time = 0.0
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(_TICK_MS)
        self._timer.timeout.connect(self._tick)

    # ---- state ------------------------------------------------------------------------
    @property
    def playing(self) -> bool:
        return self.speed != 0.0

    @property
    def last_frame(self) -> int:
        return self.frame_count - 1

    def set_timeline(self, frame_count: int, fps: Fraction) -> None:
        """A new composition: stop and go to frame 0."""
        self.pause()
        self.frame_count = max(1, int(frame_count))
        self.fps = fps if fps > 0 else Fraction(30)
        self._set_frame(0, force=True)
        self.state_changed.emit()

    def set_length(self, frame_count: int, fps: Fraction) -> None:
        """The same composition, saved again: keep the frame (clamped) and the play state."""
        self.frame_count = max(1, int(frame_count))
        self.fps = fps if fps > 0 else Fraction(30)
        self.in_out.set_length(self.frame_count)
        self._set_frame(self.frame, force=True)
        self._reanchor()
        self.state_changed.emit()

    def play_span(self) -> tuple[int, int]:
        """First and last frame playback runs between: the in/out range when looping."""
        return self.in_out.span() if self.loop else (0, self.last_frame)

    def time_of(self, frame: int) -> float:
        return float(Fraction(frame) / self.fps)

    def clock_time(self) -> float:
        """The playhead's exact time now, in seconds: between frames while playing (the
        shown frame is its floor). The preview's sound follows this clock."""
        if not self.playing:
            return self.time_of(self.frame)
        elapsed = time.perf_counter() - self._anchor_time
        position = self._anchor_frame + elapsed * float(self.fps) * self.speed
        # past an end until the next tick wraps or stops there
        position = max(0.0, min(float(self.frame_count), position))
        return position / float(self.fps)

    # ---- commands ---------------------------------------------------------------------
    def play(self, speed: float = 1.0) -> None:
        start, end = self.play_span()
        if speed > 0 and not start <= self.frame < end:
            self._set_frame(start)  # play at the end (or outside the loop range) starts over
        elif speed < 0 and not start < self.frame <= end:
            self._set_frame(end)
        self.speed = speed
        self._reanchor()
        self._timer.start()
        self.state_changed.emit()

    def pause(self) -> None:
        if self.speed == 0.0 and not self._timer.isActive():
            return
        self.speed = 0.0
        self._timer.stop()
        self.state_changed.emit()

    def toggle_play(self) -> None:
        if self.playing:
            self.pause()
        else:
            self.play(1.0)

    def shuttle_forward(self) -> None:
        self.play(self._next_speed(self.speed, 1))

    def shuttle_backward(self) -> None:
        self.play(-self._next_speed(-self.speed, 1))

    @staticmethod
    def _next_speed(current: float, direction: int) -> float:
        if current <= 0:
            return SHUTTLE_SPEEDS[0] * direction
        faster = [s for s in SHUTTLE_SPEEDS if s > current]
        return (faster[0] if faster else SHUTTLE_SPEEDS[-1]) * direction

    def step(self, delta: int) -> None:
        self.pause()
        self._set_frame(self.frame + delta)

    def go_to_start(self) -> None:
        self.seek(0)

    def go_to_end(self) -> None:
        self.seek(self.last_frame)

    def seek(self, frame: int) -> None:
        """Jump to ``frame`` (playback, if running, continues from there)."""
        self._set_frame(frame)
        self._reanchor()

    def set_loop(self, loop: bool) -> None:
        self.loop = bool(loop)
        self.state_changed.emit()

    # ---- clock ------------------------------------------------------------------------
    def _reanchor(self) -> None:
        self._anchor_frame = float(self.frame)
        self._anchor_time = time.perf_counter()

    def _tick(self) -> None:
        if not self.playing:
            self._timer.stop()
            return
        elapsed = time.perf_counter() - self._anchor_time
        position = self._anchor_frame + elapsed * float(self.fps) * self.speed
        start, end = self.play_span()
        if start <= position < end + 1:
            self._set_frame(math.floor(position))
            return
        if self.loop:
            wrapped = start + (position - start) % (end - start + 1)
            self._set_frame(math.floor(wrapped))
            self._anchor_frame = wrapped
            self._anchor_time = time.perf_counter()
            return
        self._set_frame(self.last_frame if position >= self.frame_count else 0)
        self.pause()

    def _set_frame(self, frame: int, force: bool = False) -> None:
        frame = max(0, min(self.last_frame, int(frame)))
        if frame != self.frame or force:
            self.frame = frame
            self.frame_changed.emit(frame)
