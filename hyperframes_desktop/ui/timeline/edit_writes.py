"""Where the timeline's edits land: make, write, refuse, confirm, undo and redo.

Mixed into :class:`~hyperframes_desktop.ui.timeline.controller.TimelineController`, whose
state it uses (the timeline shown, the history, the banner, the canvas). Every edit goes
through the Qt-free model (``project.timeline``): an operation makes an Edit (or refuses
with a sentence), ``apply_edit`` writes it atomically (refusing when the file changed on
disk), the history records the exact bytes for undo; then the timeline is rebuilt from the
files and the preview reloaded at the same frame.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMainWindow, QMessageBox

from hyperframes_desktop.project.timeline import (
    AppliedEdit,
    Edit,
    EditHistory,
    EditRefused,
    FileChangedError,
    Timeline,
    apply_edit,
)
from hyperframes_desktop.studio_model import StudioModel
from hyperframes_desktop.ui.timeline.canvas import TimelineCanvas
from hyperframes_desktop.ui.timeline.panel import TimelinePanel

MakeEdit = Callable[[Timeline], Edit]


class EditWrites:
    window: QMainWindow
    model: StudioModel
    panel: TimelinePanel
    canvas: TimelineCanvas
    history: EditHistory
    timeline: Timeline | None
    confirm_box: QMessageBox | None

    if TYPE_CHECKING:  # the controller's

        def rebuild(self, select: str | None = None) -> None: ...

        def _reload_preview(self) -> None: ...

        def _sync_actions(self) -> None: ...

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
