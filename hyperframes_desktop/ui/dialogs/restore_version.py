"""File ▸ Restore Earlier Version…: the backup journal's copies of the project's files,
newest first; Restore writes the chosen one back (undoable, and itself backed up first)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from hyperframes_desktop.project.journal import Journal, JournalEntry


def _size(n: int) -> str:
    return f"{n} B" if n < 1024 else f"{n / 1024:.1f} KB"


class RestoreVersionDialog(QDialog):
    restore_requested = Signal(object)  # JournalEntry

    def __init__(self, journal: Journal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore Earlier Version")
        self.journal = journal
        layout = QVBoxLayout(self)
        note = QLabel(
            "Before every change the studio makes to a file, it keeps a copy here. "
            "Restoring a copy keeps the current version too, and Edit ▸ Undo takes it back."
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.list = QTreeWidget()
        self.list.setHeaderLabels(["Saved", "File", "Size", "Before"])
        self.list.setRootIsDecorated(False)
        self.list.itemSelectionChanged.connect(self._sync)
        self.list.itemDoubleClicked.connect(lambda *_: self._restore())
        layout.addWidget(self.list, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.restore = self.buttons.addButton("Restore", QDialogButtonBox.ButtonRole.ActionRole)
        self.restore.clicked.connect(self._restore)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(720, 420)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for entry in self.journal.entries():
            try:
                name = entry.file.relative_to(self.journal.root).as_posix()
            except ValueError:
                name = str(entry.file)
            item = QTreeWidgetItem([entry.when(), name, _size(entry.size), entry.why])
            item.setData(0, Qt.ItemDataRole.UserRole, entry)
            self.list.addTopLevelItem(item)
        if self.list.topLevelItemCount():
            self.list.setCurrentItem(self.list.topLevelItem(0))
        for column in range(3):
            self.list.resizeColumnToContents(column)
        self._sync()

    def selected(self) -> JournalEntry | None:
        item = self.list.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def _sync(self) -> None:
        self.restore.setEnabled(self.selected() is not None)

    def _restore(self, _checked: bool = False) -> None:
        entry = self.selected()
        if entry is not None:
            self.restore_requested.emit(entry)
            self.refresh()
