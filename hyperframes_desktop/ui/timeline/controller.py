"""Wires the timeline dock into the studio window and turns gestures into model edits.

Every edit goes through the Qt-free model (``project.timeline``): an operation makes an
Edit (or refuses with a sentence), ``apply_edit`` writes it atomically (refusing when the
file changed on disk, recorded as the app's own write so hot reload leaves it alone), the
history records the exact bytes for undo. Then the timeline is rebuilt from the files and the
preview reloaded at the same frame.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMessageBox

from hyperframes_desktop.project import CompositionInfo, ProjectError, load_composition
from hyperframes_desktop.project.timeline import (
    AppliedEdit,
    Edit,
    EditHistory,
    EditRefused,
    FileChangedError,
    Timeline,
    apply_edit,
    build_timeline,
    delete_clip,
    move_clip,
    nudge_clip,
    nudge_clips,
    set_clip_properties,
    split_clip,
    trim_end,
    trim_start,
)
from hyperframes_desktop.studio_model import StudioModel
from hyperframes_desktop.ui.layout_memory import has_saved_layout
from hyperframes_desktop.ui.timeline.edit_actions import EditActions
from hyperframes_desktop.ui.timeline.intents import MoveIntent, TrimIntent
from hyperframes_desktop.ui.timeline.layout import rows_of
from hyperframes_desktop.ui.timeline.panel import TimelinePanel
from hyperframes_desktop.ui.timeline.preview_link import PreviewLink
from hyperframes_desktop.ui.timeline.restore_versions import RestoreVersions
from hyperframes_desktop.ui.timeline.rows import Bar
from hyperframes_desktop.ui.timeline.snapper import TimelineSnapper
from hyperframes_desktop.ui.timeline.track_switches import TrackSwitches
from hyperframes_desktop.ui.timeline.waveform import PeakStore

if TYPE_CHECKING:
    from hyperframes_desktop.ui.preview.panel import PreviewPanel

MakeEdit = Callable[[Timeline], Edit]


class TimelineController(QObject):
    def __init__(
        self,
        window: QMainWindow,
        model: StudioModel,
        preview: PreviewPanel,
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
            timeline = build_timeline(self.project, self.path)
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
        if comp.path == self.path:
            self.rebuild()
        else:
            self.open(comp.project_root, comp.path)

    def reload_from_disk(self) -> None:
        """The banner's Reload: the timeline and the preview read the files again."""
        self.rebuild()
        self._reload_preview()

    def _reload_preview(self) -> None:
        if self.project is None or self.path is None:
            return
        try:
            comp = load_composition(self.project, self.path)
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

    def _clip_keys(self) -> list[str]:
        timeline = self.timeline
        if timeline is None:
            return []
        return sorted(k for k in self.model.selection if timeline.clip(k) is not None)

    def _on_model_selection(self, keys: frozenset[str]) -> None:
        """The selection changed elsewhere (canvas, layers): the timeline shows a clip of
        it (its bars select one clip at a time); the model's set stays as it is."""
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

    # ---- edits ------------------------------------------------------------------------
    def apply(self, make: MakeEdit) -> bool:
        """Make and write one edit; a refusal shows its sentence, an edit carrying a warning
        asks first (and is written when the user accepts)."""
        timeline = self.timeline
        if timeline is None:
            return False
        try:
            edit = make(timeline)
        except EditRefused as exc:
            self.refuse(str(exc))
            return False
        if edit.needs_confirmation:
            self._ask(edit, timeline)
            return False
        return self._write(edit, timeline, confirmed=False)

    def _write(self, edit: Edit, timeline: Timeline, confirmed: bool) -> bool:
        return self.write_applied(lambda t: apply_edit(edit, t, confirmed=confirmed), timeline)

    def write_applied(
        self, write: Callable[[Timeline], AppliedEdit], timeline: Timeline | None = None
    ) -> bool:
        """Run one write-back (an edit, or an insertion that is not an Edit) with the same
        refusals, undo history and refresh: the one place the timeline's writes land."""
        timeline = timeline or self.timeline
        if timeline is None:
            return False
        try:
            applied = write(timeline)
        except FileChangedError as exc:
            self.refuse(str(exc), conflict=True)
            return False
        except EditRefused as exc:
            self.refuse(str(exc))
            return False
        self.panel.banner.clear()
        self.history.record(applied)
        if applied.writes:
            self.rebuild(applied.select)
            self._reload_preview()
        self._sync_actions()
        return True

    def refuse(self, sentence: str, conflict: bool = False) -> None:
        self.panel.banner.show_refusal(sentence, conflict)
        self.model.set_status(sentence)
        self.panel.inspector.show_clip(getattr(self.canvas.selected_bar(), "clip", None))
        self.canvas.viewport().update()

    def _ask(self, edit: Edit, timeline: Timeline) -> None:
        """A window-modal question (not a nested event loop); Cancel is the default."""
        buttons = QMessageBox.StandardButton
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            edit.label,
            " ".join(edit.warnings),
            buttons.Ok | buttons.Cancel,
            self.window,
        )
        box.button(buttons.Ok).setText(f"{edit.label} Anyway")
        box.setDefaultButton(buttons.Cancel)
        box.finished.connect(functools.partial(self._on_answer, box, edit, timeline))
        self.confirm_box = box
        box.open()

    def _on_answer(self, box: QMessageBox, edit: Edit, timeline: Timeline, _result: int) -> None:
        accepted = box.clickedButton() is box.button(QMessageBox.StandardButton.Ok)
        self.confirm_box = None
        box.deleteLater()
        if accepted and timeline is self.timeline:
            self._write(edit, timeline, confirmed=True)

    def _on_intent(self, intent: object) -> None:
        if isinstance(intent, MoveIntent):
            key, clip = intent.bar.key, intent.bar.clip
            if intent.nudge:
                step = intent.start - intent.bar.start
                keys = self._clip_keys()
                if len(keys) > 1 and key in keys:  # every selected clip moves
                    self.apply(lambda t: nudge_clips(t, keys, step, key))
                else:
                    self.apply(lambda t: nudge_clip(t, key, step))
                return
            track = intent.track if intent.track != getattr(clip, "track", None) else None
            # the bar may be cut to its host's window: move the clip by the bar's offset
            start = clip.start_frame + intent.start - intent.bar.start
            self.apply(lambda t: move_clip(t, key, start, track))
        elif isinstance(intent, TrimIntent):
            key, frame = intent.bar.key, intent.frame
            if intent.edge == "head":
                self.apply(lambda t: trim_start(t, key, frame))
            else:
                self.apply(lambda t: trim_end(t, key, frame))

    def _on_field(self, name: str, value: object) -> None:
        bar = self.canvas.selected_bar()
        if bar is None or self.timeline is None:
            return
        clip, fps = bar.clip, float(self.timeline.fps)
        args: dict[str, object]
        if name == "id":
            args = {"element_id": str(value)}
        elif name == "start":
            args = {"start_frame": self.timeline.frame(clip.origin + float(value))}
        elif name == "duration":
            args = {"duration_frames": round(float(value) * fps)}  # 0: the model says why not
        elif name == "track":
            args = {"track": int(value)}
        else:
            args = {name: float(value)}
        self.apply(lambda t: set_clip_properties(t, bar.key, **args))

    def split(self, _checked: bool = False) -> None:
        bar = self.canvas.selected_bar()
        if bar is not None:
            frame = self.preview.controller.frame
            self.apply(lambda t: split_clip(t, bar.key, frame))

    def delete(self, _checked: bool = False) -> None:
        bar = self.canvas.selected_bar()
        if bar is not None:
            self.apply(lambda t: delete_clip(t, bar.key))

    def record_restore(self, applied: AppliedEdit) -> None:
        """A journal copy was written back (File ▸ Restore Earlier Version…): undoable."""
        self.panel.banner.clear()
        self.history.record(applied)
        self.history.seal()
        self.model.set_status(f"{applied.label}.")
        self.rebuild()
        self._reload_preview()
        self._sync_actions()

    def undo(self, _checked: bool = False) -> None:
        self._step(self.history.undo)

    def redo(self, _checked: bool = False) -> None:
        self._step(self.history.redo)

    def _step(self, step) -> None:
        try:
            entry = step()
        except FileChangedError as exc:
            self.refuse(str(exc), conflict=True)
            return
        except EditRefused as exc:
            self.refuse(str(exc))
            return
        if entry is not None:
            self.panel.banner.clear()
            self.rebuild(entry.select)
            self._reload_preview()
        self._sync_actions()
