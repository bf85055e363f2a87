"""File ▸ Restore Earlier Version…: the backup journal's dialog, and writing a copy back.

The copy is written like any studio edit (atomically, after the current bytes went to the
journal themselves); the timeline records it in the edit history, so Undo takes it back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from hyperframes_desktop.project.journal import Journal, JournalEntry
from hyperframes_desktop.project.timeline import AppliedEdit, EditRefused
from hyperframes_desktop.project.timeline.restore import restore_version
from hyperframes_desktop.studio_model import StudioModel
from hyperframes_desktop.ui.dialogs.restore_version import RestoreVersionDialog


class RestoreVersions(QObject):
    def __init__(
        self,
        window: QWidget,
        model: StudioModel,
        record: Callable[[AppliedEdit], None],
        refuse: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.window = window
        self.model = model
        self._record = record
        self._refuse = refuse
        self.dialog: RestoreVersionDialog | None = None

    def show(self, _checked: bool = False) -> RestoreVersionDialog | None:
        """The dialog for the open project (a sentence in the status bar without one)."""
        root = self.model.project
        if root is None:
            self.model.set_status("Open a project first.")
            return None
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        dialog = RestoreVersionDialog(Journal(root), self.window)
        dialog.restore_requested.connect(self.restore)
        self.dialog = dialog
        dialog.open()
        return dialog

    def restore(self, entry: JournalEntry) -> None:
        """Write a journal copy back, as an undoable edit."""
        try:
            applied = restore_version(Journal(self.model.project or entry.file.parent), entry)
        except EditRefused as exc:
            self._refuse(str(exc))
            return
        self._record(applied)
