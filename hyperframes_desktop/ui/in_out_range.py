"""The in/out range (work area) of the previewed composition: a small Qt model.

It is shared: the preview's playback controller owns one (loop playback stays inside it, the
I/O keys set it), and the scrubber, the timeline and the render panel subscribe to
``range_changed``. It lives outside every dock so that the render panel can follow it
without importing the preview (the docks-independence contract in pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal


class InOutRange(QObject):
    """In and out frames (0-based, inclusive; either may be unset) of one composition."""

    range_changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.in_frame: int | None = None
        self.out_frame: int | None = None
        self.last_frame = 0
        self.composition: Path | None = None
        self._kept: dict[Path, tuple[int | None, int | None]] = {}  # per composition, this session

    # ---- queries ----------------------------------------------------------------------
    @property
    def active(self) -> bool:
        return self.in_frame is not None or self.out_frame is not None

    def span(self) -> tuple[int, int]:
        """(start, end) inclusive: the marks, or the composition's ends where unset."""
        start = self.in_frame if self.in_frame is not None else 0
        end = self.out_frame if self.out_frame is not None else self.last_frame
        return start, end

    def frames(self) -> tuple[int, int] | None:
        """What a range render asks for (RenderOptions.frames), None when no mark is set."""
        return self.span() if self.active else None

    def describe(self) -> str:
        start, end = self.span()
        return f"frames {start}–{end} ({end - start + 1} frames)"

    # ---- commands ---------------------------------------------------------------------
    def set_composition(self, path: Path | None, frame_count: int) -> None:
        """Another composition: the marks it had earlier in this session, if any."""
        if self.composition is not None:
            self._kept[self.composition] = (self.in_frame, self.out_frame)
        self.composition = path
        self.last_frame = max(0, frame_count - 1)
        self.in_frame, self.out_frame = self._kept.get(path, (None, None)) if path else (None, None)
        self.set_length(frame_count)  # drops marks past a shorter end
        self.range_changed.emit()

    def rename(self, path: Path) -> None:
        """The composition's file was renamed: its marks follow it."""
        if self.composition is not None and path != self.composition:
            self.composition = path
            self.range_changed.emit()

    def set_length(self, frame_count: int) -> None:
        """The same composition got longer or shorter (a save): marks past the end go."""
        self.last_frame = max(0, frame_count - 1)
        changed = False
        if self.in_frame is not None and self.in_frame > self.last_frame:
            self.in_frame, changed = None, True
        if self.out_frame is not None and self.out_frame > self.last_frame:
            self.out_frame, changed = None, True
        if changed:
            self.range_changed.emit()

    def set_in(self, frame: int) -> None:
        """In at ``frame``; an out mark before it is dropped (a range never runs backwards)."""
        self.in_frame = self._clamp(frame)
        if self.out_frame is not None and self.out_frame < self.in_frame:
            self.out_frame = None
        self.range_changed.emit()

    def set_out(self, frame: int) -> None:
        self.out_frame = self._clamp(frame)
        if self.in_frame is not None and self.in_frame > self.out_frame:
            self.in_frame = None
        self.range_changed.emit()

    def clear_in(self) -> None:
        if self.in_frame is not None:
            self.in_frame = None
            self.range_changed.emit()

    def clear_out(self) -> None:
        if self.out_frame is not None:
            self.out_frame = None
            self.range_changed.emit()

    def _clamp(self, frame: int) -> int:
        return max(0, min(self.last_frame, int(frame)))
