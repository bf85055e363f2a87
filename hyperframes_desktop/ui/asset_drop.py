"""Dropping media files on the timeline: each becomes a clip at the drop time and track.

An event filter on the timeline canvas's viewport (the canvas itself is not changed): the
drop's x gives the frame, its row the track (the row's own track for the opened composition;
below the rows, or on a nested composition's row, the next track above the highest). Files
from outside the project are first copied into its assets folder. The insertion goes through
the write-back module (``project.timeline.insertion``) by the ``write`` entry point the
timeline gives, so it is refused when the file changed on disk and undone like any edit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

from hyperframes_desktop.project.timeline import AppliedEdit, Timeline
from hyperframes_desktop.project.timeline.insertion import apply_insertion
from hyperframes_desktop.scaffold.asset_info import duration_of
from hyperframes_desktop.scaffold.assets import asset_kind
from hyperframes_desktop.scaffold.drops import plan_media_drop
from hyperframes_desktop.ui.assets_panel import dropped_files
from hyperframes_desktop.ui.timeline.canvas import TimelineCanvas
from hyperframes_desktop.ui.timeline.painter import HEADER_W

WriteBack = Callable[[Callable[[Timeline], AppliedEdit]], bool]
PLACEABLE = ("video", "audio", "image")


def _placeable(files: list[Path]) -> list[Path]:
    return [f for f in files if asset_kind(f) in PLACEABLE]


class TimelineDropTarget(QObject):
    def __init__(
        self,
        canvas: TimelineCanvas,
        *,
        timeline: Callable[[], Timeline | None],
        write: WriteBack,
        import_files: Callable[[list[Path]], list[Path]],
        status: Callable[[str], None],
    ) -> None:
        super().__init__(canvas)
        self.canvas = canvas
        self.timeline = timeline
        self.write = write
        self.import_files = import_files
        self.status = status
        canvas.viewport().setAcceptDrops(True)
        canvas.viewport().installEventFilter(self)

    def drop_point(self, x: float, y: float) -> tuple[int, int]:
        """(frame, track) for a drop at viewport ``x``, ``y``."""
        frame = max(0, math.floor(self.canvas.scale.frame_at(max(0.0, x - HEADER_W))))
        timeline = self.timeline()
        top = max((t.index for t in timeline.tracks), default=-1) if timeline else -1
        index = self.canvas.row_at(y)
        row = self.canvas.rows[index] if index is not None else None
        track = row.track if row is not None and row.scope == "" else top + 1
        return frame, track

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            assert isinstance(event, QDragEnterEvent | QDragMoveEvent)
            if self.timeline() is not None and _placeable(dropped_files(event.mimeData())):
                event.setDropAction(Qt.DropAction.CopyAction)
                event.accept()
                return True
            return False
        if kind == QEvent.Type.Drop:
            assert isinstance(event, QDropEvent)
            files = _placeable(dropped_files(event.mimeData()))
            if self.timeline() is None or not files:
                return False
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            pos = event.position()
            self.drop(files, *self.drop_point(pos.x(), pos.y()))
            return True
        return False

    def drop(self, files: list[Path], frame: int, track: int) -> int:
        """Import ``files`` (when outside the project) and insert one clip each, one after
        another from ``frame`` on ``track``; returns how many clips were added."""
        in_project = self.import_files(files)
        added = 0
        for media in in_project:
            timeline = self.timeline()
            if timeline is None:
                break
            seconds = duration_of(media) if asset_kind(media) in ("video", "audio") else None
            start = timeline.seconds(frame)
            made: list[str] = []

            def insert(tl: Timeline, media=media, start=start, seconds=seconds, made=made):
                plan = plan_media_drop(tl, media, start=start, track=track, media_seconds=seconds)
                made.append(plan.select or "")
                return apply_insertion(plan, tl)

            if not self.write(insert):
                break
            added += 1
            after = self.timeline()
            placed = after.clip_by_id(made[-1]) if after is not None and made else None
            if placed is not None:
                frame = placed.end_frame
        if added:
            self.status(f"Added {added} clip{'s' if added != 1 else ''} to the timeline.")
        return added


class CanvasDropTarget(QObject):
    """Media dropped on the preview ("canvas"): added at the playhead, on a new top track.

    Filters the preview's transparent click layer, which lies over the page (the page itself
    never receives the drag, so Chromium cannot open the dropped file)."""

    def __init__(
        self, widget: QObject, timeline_target: TimelineDropTarget, playhead: Callable[[], int]
    ) -> None:
        super().__init__(widget)
        self.target = timeline_target
        self.playhead = playhead
        widget.setAcceptDrops(True)  # type: ignore[attr-defined]
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        assert isinstance(event, QDragEnterEvent | QDragMoveEvent | QDropEvent)
        files = _placeable(dropped_files(event.mimeData()))
        timeline = self.target.timeline()
        if timeline is None or not files:
            return False
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        if kind == QEvent.Type.Drop:
            top = max((t.index for t in timeline.tracks), default=-1)
            self.target.drop(files, self.playhead(), top + 1)
        return True
