"""Wires the timeline dock into the studio window: what it shows (the current
composition's timeline, rebuilt from the files) and the selection it shares with the model.

Gestures on clips become edits in ``clip_gestures``; edits land (written, refused, confirmed,
undone) in ``edit_writes``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMessageBox

from hyperframes_desktop.project import (
    Composition,
    CompositionInfo,
    ProjectError,
    load_composition,
)
from hyperframes_desktop.project.design.selectable import clip_stage_keys
from hyperframes_desktop.project.timeline import (
    EditHistory,
    Timeline,
    build_timeline,
)
from hyperframes_desktop.studio_model import StudioModel
from hyperframes_desktop.ui.layout_memory import has_saved_layout
from hyperframes_desktop.ui.stage import Preview
from hyperframes_desktop.ui.timeline.clip_gestures import ClipGestures
from hyperframes_desktop.ui.timeline.edit_actions import EditActions
from hyperframes_desktop.ui.timeline.edit_writes import EditWrites
from hyperframes_desktop.ui.timeline.layout import rows_of
from hyperframes_desktop.ui.timeline.panel import TimelinePanel
from hyperframes_desktop.ui.timeline.preview_link import PreviewLink
from hyperframes_desktop.ui.timeline.restore_versions import RestoreVersions
from hyperframes_desktop.ui.timeline.rows import Bar
from hyperframes_desktop.ui.timeline.snapper import TimelineSnapper
from hyperframes_desktop.ui.timeline.track_switches import TrackSwitches
from hyperframes_desktop.ui.timeline.waveform import PeakStore


class TimelineController(EditWrites, ClipGestures, QObject):
    def __init__(
        self,
        window: QMainWindow,
        model: StudioModel,
        preview: Preview,
        *,
        beside: QDockWidget,
        restore: QAction,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.model = model
        self.preview = preview
        self._restore_action = restore
        self.panel = TimelinePanel()
        self.canvas = self.panel.canvas
        self.dock = QDockWidget("Timeline", window)
        self.dock.setObjectName("timelineDock")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        # First run: a tab beside Problems. Later the saved layout places it (tabifying here
        # would also pin the window to its full minimum size before the geometry is restored).
        if not has_saved_layout():
            window.tabifyDockWidget(beside, self.dock)
            self.dock.raise_()
        self.peaks = PeakStore(self)
        self.canvas.state.peaks = self.peaks.heights
        self.link = PreviewLink(self.preview, self)
        self.history: EditHistory = model.history  # the project's, shared with the model
        self.timeline: Timeline | None = None
        self.clip_aliases: dict[str, str] = {}  # clip key -> the stage's key of its element
        self.project: Path | None = None
        self.path: Path | None = None
        self.in_out: tuple[int | None, int | None] = (None, None)
        self._seen_comp: object = None
        self.confirm_box: QMessageBox | None = None  # an edit waiting for the user's yes
        self.tracks = TrackSwitches(self.canvas, model, self)
        self.restore = RestoreVersions(window, model, self.record_restore, self.refuse, self)
        self._following_model = False  # showing the model's selection, not the user's
        self.actions = EditActions(window)
        self.actions.install(
            window, [self.dock.toggleViewAction(), *self.panel.actions_for_window()]
        )
        self.canvas.snapper = TimelineSnapper(
            lambda: (self.timeline, self.preview.controller.frame, self.in_out)
        )
        self._wire()

    def _wire(self) -> None:
        a, canvas = self.actions, self.canvas
        a.undo.triggered.connect(self.undo)
        self._restore_action.triggered.connect(self.restore.show)
        a.redo.triggered.connect(self.redo)
        a.split.triggered.connect(self.split)
        a.delete.triggered.connect(self.delete)
        self.peaks.changed.connect(canvas.viewport().update)
        canvas.seek_requested.connect(self.preview.controller.seek)
        canvas.selection_changed.connect(self._on_selection)
        canvas.extend_requested.connect(self._extend_selection)
        canvas.edit_requested.connect(self._on_intent)
        self.model.events.frame.connect(canvas.set_playhead)
        self.model.events.selection.connect(self._on_model_selection)
        self.preview.view.driver.ready.connect(self._on_preview_ready)
        self.panel.inspector.field_edited.connect(self._on_field)
        self.panel.banner.reload_requested.connect(self.reload_from_disk)
        self.link.clip_picked.connect(self.select_id)
        self.model.events.current.connect(self._on_current)
        # the in/out marks: snap points and a band on the ruler
        self.model.events.marks.connect(self._on_marks)

    def shutdown(self) -> None:
        """The window is closing: waveform decoding stops, late peaks are dropped."""
        self.peaks.shutdown()
        events = self.model.events
        events.frame.disconnect(self.canvas.set_playhead)
        events.selection.disconnect(self._on_model_selection)
        events.current.disconnect(self._on_current)
        events.marks.disconnect(self._on_marks)

    def _on_marks(self, marks: tuple[int | None, int | None]) -> None:
        self.set_in_out(*marks)

    # ---- what is shown ----------------------------------------------------------------
    def _on_current(self, info: CompositionInfo | None) -> None:
        if self.model.project is None or info is None or info.error:
            self.show_timeline(None)
            return
        self.open(self.model.project, info.path)

    def open(self, project: Path, path: Path) -> None:
        """Show the timeline of ``path``; the undo history belongs to the project."""
        if project != self.project:
            self.history.clear()
            self.history.project_root = project
            self.tracks.clear()
        self.project, self.path = project, path
        self.panel.banner.clear()
        self.rebuild()

    def rebuild(self, select: str | None = None) -> None:
        """Read the files again (after an edit, an undo, a reload). A file that no longer
        loads keeps the last good timeline on screen (its edits are then refused as changed
        on disk) with the problem in the hint line."""
        if self.project is None or self.path is None:
            return self.show_timeline(None)
        try:
            timeline = build_timeline(
                self.project, self.path, duration=self.model.page_length(self.path)
            )
        except ProjectError as exc:
            if self.timeline is None or self.timeline.file != self.path:
                self.show_timeline(None)
            self.panel.hint.setText(f"Timeline not updated: {exc}")
            self.panel.hint.setToolTip(str(exc))
            return None
        self.show_timeline(timeline, select)
        return None

    def show_timeline(self, timeline: Timeline | None, select: str | None = None) -> None:
        keep = select or self.canvas.state.selected
        self.timeline = timeline
        self.clip_aliases = clip_stage_keys(timeline)
        if timeline is None:
            self.canvas.set_timeline([], 1, self.canvas.scale.fps)
            self.link.clip_ids = []
        else:
            rows = rows_of(timeline)
            self.canvas.set_timeline(rows, timeline.frame_count, timeline.fps)
            self.link.clip_ids = sorted({c.id for c in timeline.all_clips() if c.id})
            self.panel.hint.setText(self.panel.default_hint)
            self.panel.hint.setToolTip("")
        self.canvas.select(keep if self.canvas.bar_by_key(keep) is not None else None)
        self._show_selection(self.canvas.selected_bar())
        self.model.set_timeline(timeline)
        self.tracks.apply()

    def _on_preview_ready(self) -> None:
        """The preview loaded a composition (ours after an edit, or a hot reload's)."""
        comp = self.preview.composition
        if comp is None or comp is self._seen_comp:
            return
        self._seen_comp = comp
        if self._take_page_length(comp):
            return  # shown again at the page's length
        if comp.path == self.path:
            self.rebuild()
        else:
            self.open(comp.project_root, comp.path)

    def _take_page_length(self, comp: Composition) -> bool:
        """A root without data-duration lasts as long as its registered timeline, as in
        HyperFrames: once its page says how long that is, the timeline and the preview show
        the composition at that length (until then, a provisional one). True when they were
        asked to show it again."""
        if not comp.duration_from_page:
            return False
        seconds = self.preview.view.driver.reported_length
        if abs(seconds - comp.duration) < 0.5 / float(comp.fps):
            return False
        if not self.model.set_page_length(comp.path, seconds):
            return False
        if comp.path != self.path:
            self.project, self.path = comp.project_root, comp.path
        self.rebuild()
        self._reload_preview()
        return True

    def reload_from_disk(self) -> None:
        """The banner's Reload: the timeline and the preview read the files again."""
        self.rebuild()
        self._reload_preview()

    def _reload_preview(self) -> None:
        if self.project is None or self.path is None:
            return
        try:
            comp = load_composition(
                self.project, self.path, duration=self.model.page_length(self.path)
            )
        except ProjectError as exc:
            self.preview.show_error(str(exc))
            return
        self._seen_comp = comp
        self.preview.reload(comp)  # same frame, still playing if it was

    # ---- selection --------------------------------------------------------------------
    def _on_selection(self, bar: Bar | None) -> None:
        """The user selected another clip: the next nudge starts a new undo step."""
        self.history.seal()
        self._show_selection(bar)
        if not self._following_model:
            self.model.set_selection([bar.key] if bar is not None else [])

    def _extend_selection(self, key: str) -> None:
        """Shift-click on a bar: add the clip to the selection, or take it out."""
        keys = set(self.model.selection) ^ {key}
        self._following_model = True
        try:
            self.canvas.select(key if key in keys else next(iter(sorted(keys)), None))
        finally:
            self._following_model = False
        self.model.set_selection(keys)

    def _clip_keys(self, keys: frozenset[str] | None = None) -> list[str]:
        """The selection's clips: clip keys, and the clips of elements selected on the stage
        or in the layers list (known there by id or source key)."""
        timeline = self.timeline
        if timeline is None:
            return []
        keys = self.model.selection if keys is None else keys
        clips = {k for k in keys if timeline.clip(k) is not None}
        clips |= {clip for clip, element in self.clip_aliases.items() if element in keys}
        return sorted(clips)

    def _on_model_selection(self, keys: frozenset[str]) -> None:
        """The selection changed elsewhere (canvas, layers): the timeline shows a clip of
        it (its bars select one clip at a time); the model's set stays as it is."""
        keys = frozenset(self._clip_keys(keys)) | keys
        self.canvas.state.also_selected = frozenset(keys)
        self.canvas.viewport().update()
        bar = self.canvas.selected_bar()
        if (bar.key if bar is not None else None) in keys or (bar is None and not keys):
            return
        key = next((k for k in sorted(keys) if self.canvas.bar_by_key(k) is not None), None)
        self._following_model = True
        try:
            self.canvas.select(key)
        finally:
            self._following_model = False

    def _show_selection(self, bar: Bar | None) -> None:
        clip = bar.clip if bar is not None else None
        self.panel.inspector.show_clip(clip)
        self.link.outline(getattr(clip, "id", None), getattr(clip, "label", ""))
        self._sync_actions()

    def select_id(self, element_id: str) -> None:
        """Select the clip with this element id (preview click, Problems panel)."""
        clip = self.timeline.clip_by_id(element_id) if self.timeline is not None else None
        if clip is None:
            return
        self.canvas.select(clip.key)
        self.canvas.reveal(clip.key)

    def select_topmost(self, frame: int) -> None:
        """Select the clip on the highest track that can be seen at ``frame`` (if any): sound
        has nothing to outline in the preview."""
        clips = self.timeline.clips_at(frame) if self.timeline is not None else []
        visible = [clip for clip in clips if clip.kind != "audio"]
        if visible:
            self.canvas.select(visible[0].key)

    def set_in_out(self, in_point: int | None, out_point: int | None) -> None:
        """In/out points (for snapping and the ruler)."""
        self.in_out = (in_point, out_point)
        both = in_point is not None or out_point is not None
        last = (self.timeline.frame_count - 1) if self.timeline is not None else 0
        self.canvas.set_in_out(
            (in_point or 0, last if out_point is None else out_point) if both else None
        )

    def _sync_actions(self) -> None:
        a, bar = self.actions, self.canvas.selected_bar()
        editable = self.timeline is not None and bar is not None and bar.editable
        a.split.setEnabled(editable)
        a.delete.setEnabled(editable)
        a.undo.setEnabled(self.history.can_undo)
        a.redo.setEnabled(self.history.can_redo)
        a.undo.setText(f"&Undo {self.history.undo_label}" if self.history.can_undo else "&Undo")
        a.redo.setText(f"&Redo {self.history.redo_label}" if self.history.can_redo else "&Redo")
