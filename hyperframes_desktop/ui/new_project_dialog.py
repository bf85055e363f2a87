"""File → New Project…: a bundled template, its size and frame rate, and a new folder.

Template pictures are rendered by our own ``still`` the first time the dialog shows them and
kept in the user cache folder (scaffold/thumbnails.py); they are made one after another on a
background thread, which is cancelled (its capture worker stopped) when the dialog closes.
The dialog only writes the project (scaffold.init_project); whoever opened it opens the result
(``created``).
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QThreadPool, Signal
from PySide6.QtGui import QCloseEvent, QIcon, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hyperframes_desktop.render import RenderCancelled, RenderError
from hyperframes_desktop.scaffold import InitError, InitOptions, init_project, list_templates
from hyperframes_desktop.scaffold.resolutions import MAIN_NAMES, RESOLUTION_NAMES
from hyperframes_desktop.scaffold.templates import Template
from hyperframes_desktop.scaffold.thumbnails import cached_thumbnail, template_thumbnail
from hyperframes_desktop.ui.background import Reporter, start_task

ICON = QSize(192, 108)
FPS_CHOICES = ("24", "25", "30", "50", "60")
TEMPLATE_SIZE = "template"


def _render_thumbnails(
    templates: list[Template], cancel: threading.Event, report: Reporter
) -> None:
    """Renders the missing pictures one at a time (the machine may have two cores); sends
    ``ready`` with the template's name and the picture's path for each."""
    for template in templates:
        if cancel.is_set():
            break
        try:
            path = template_thumbnail(template, cancel=cancel)
        except (RenderError, RenderCancelled, OSError, ValueError):
            continue  # the template is still listed, without a picture
        report.send("ready", template.name, str(path))


class NewProjectDialog(QDialog):
    """Pick a template, size, frame rate and folder; Create writes the project."""

    created = Signal(Path)

    def __init__(self, start_folder: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New Project")
        self.setObjectName("newProjectDialog")
        self.result_folder: Path | None = None
        self._cancel = threading.Event()
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)

        self.templates = QListWidget()
        self.templates.setObjectName("templateList")
        self.templates.setViewMode(QListWidget.ViewMode.IconMode)
        self.templates.setIconSize(ICON)
        self.templates.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.templates.setMovement(QListWidget.Movement.Static)
        self.templates.setSpacing(8)
        self.templates.setMinimumSize(3 * (ICON.width() + 32), 2 * (ICON.height() + 56))
        self.description = QLabel()
        self.description.setWordWrap(True)

        self.resolution = QComboBox()
        self.resolution.setToolTip("The canvas size; the template lays itself out to fit it")
        self.resolution.addItem("As the template", TEMPLATE_SIZE)
        for name in MAIN_NAMES:
            w, h = RESOLUTION_NAMES[name]
            self.resolution.addItem(f"{name} ({w}×{h})", name)
        self.fps = QComboBox()
        self.fps.setEditable(True)
        self.fps.addItems(list(FPS_CHOICES))
        self.fps.setCurrentText("30")
        self.fps.setToolTip("Frames per second, e.g. 30 or 30000/1001")

        self.parent_folder = QLineEdit(str(start_folder or Path.home()))
        self.parent_folder.setObjectName("parentFolder")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.parent_folder, 1)
        where.addWidget(browse)
        self.name = QLineEdit("my-video")
        self.name.setObjectName("projectName")
        self.error = QLabel()
        self.error.setObjectName("newProjectError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d33;")

        form = QFormLayout()
        form.addRow("Resolution:", self.resolution)
        form.addRow("Frame rate:", self.fps)
        form.addRow("Create in:", where)
        form.addRow("Project name:", self.name)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        self.buttons.accepted.connect(self.create)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Template:"))
        layout.addWidget(self.templates, 1)
        layout.addWidget(self.description)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self._fill()
        self.templates.currentItemChanged.connect(self._on_template)
        self.templates.setCurrentRow(0)

    # ---- templates and their pictures ---------------------------------------------------
    def _fill(self) -> None:
        missing = []
        for template in list_templates():
            item = QListWidgetItem(template.title)
            item.setData(Qt.ItemDataRole.UserRole, template.name)
            item.setToolTip(template.description)
            item.setSizeHint(QSize(ICON.width() + 24, ICON.height() + 44))
            picture = cached_thumbnail(template)
            if picture is not None:
                item.setIcon(QIcon(QPixmap(str(picture))))
            else:
                missing.append(template)
            self.templates.addItem(item)
        if missing:
            cancel = self._cancel
            start_task(
                lambda report: _render_thumbnails(missing, cancel, report),
                context=self,
                pool=self._pool,
                ready=self._set_picture,
            )

    def _set_picture(self, name: str, path: str) -> None:
        item = self._item(name)
        if item is not None:
            item.setIcon(QIcon(QPixmap(path)))

    def _item(self, name: str) -> QListWidgetItem | None:
        for row in range(self.templates.count()):
            item = self.templates.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == name:
                return item
        return None

    def pictures_shown(self) -> int:
        items = [self.templates.item(row) for row in range(self.templates.count())]
        return sum(1 for item in items if not item.icon().isNull())

    def _on_template(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None:
            return
        template = next(t for t in list_templates() if t.name == self.template_name())
        self.description.setText(template.description)

    def template_name(self) -> str:
        item = self.templates.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else "blank"

    def select_template(self, name: str) -> None:
        item = self._item(name)
        if item is not None:
            self.templates.setCurrentItem(item)

    # ---- creating ----------------------------------------------------------------------
    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, "Create the project in", self.parent_folder.text()
        )
        if folder:
            self.parent_folder.setText(folder)

    def target(self) -> Path:
        return Path(self.parent_folder.text().strip()).expanduser() / self.name.text().strip()

    def create(self) -> bool:
        """Write the project; on a refusal the sentence shows in the dialog, which stays."""
        if not self.name.text().strip():
            self.error.setText("Give the project a name. Fix: type a folder name.")
            return False
        size = self.resolution.currentData()
        try:
            result = init_project(
                InitOptions(
                    folder=self.target(),
                    template=self.template_name(),
                    resolution=None if size == TEMPLATE_SIZE else str(size),
                    fps=self.fps.currentText().strip(),
                )
            )
        except InitError as exc:
            self.error.setText(str(exc))
            return False
        self.result_folder = result.folder
        self.created.emit(result.folder)
        self.accept()
        return True

    # ---- closing: stop the picture worker ------------------------------------------------
    def done(self, code: int) -> None:
        self.stop_pictures()
        super().done(code)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.stop_pictures()
        super().closeEvent(event)

    def stop_pictures(self) -> None:
        self._cancel.set()
        self._pool.clear()
        self._pool.waitForDone(15000)
