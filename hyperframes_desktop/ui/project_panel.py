"""The project panel: which project is open, recent ones, and its compositions."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hyperframes_desktop.project import CompositionInfo
from hyperframes_desktop.studio_model import StudioModel

_ICON = QSize(96, 54)
_PATH_ROLE = Qt.ItemDataRole.UserRole


def describe(info: CompositionInfo) -> str:
    """``1280×720 · 3 s · 30 fps · 4 clips`` (or the error) for a list entry; the CLI's
    ``compositions`` command lists the same facts."""
    if info.error:
        return info.error
    parts = []
    if info.width and info.height:
        parts.append(f"{info.width}×{info.height}")
    if info.duration is not None:
        parts.append(f"{info.duration:g} s")
    if info.fps is not None:
        parts.append(f"{float(info.fps):g} fps")
    if info.clips is not None:
        parts.append(f"{info.clips} clip{'' if info.clips == 1 else 's'}")
    if info.is_sub:
        parts.append("sub-composition")
    return " · ".join(parts)


def project_from_mime(mime: QMimeData) -> Path | None:
    """The folder a drop means: a dropped folder, or the folder of a dropped HTML file."""
    for url in mime.urls() if mime.hasUrls() else []:
        if not url.isLocalFile():
            continue
        path = Path(url.toLocalFile())
        if path.is_dir():
            return path
        if path.is_file() and path.suffix.lower() in (".html", ".htm"):
            return path.parent
    return None


class ProjectPanel(QWidget):
    open_requested = Signal()
    recent_chosen = Signal(str)
    composition_selected = Signal(object)  # CompositionInfo

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Path | None = None
        self.infos: list[CompositionInfo] = []
        self.title = QLabel("No project open")
        self.title.setStyleSheet("font-weight: 600;")
        self.title.setWordWrap(True)
        self.open_button = QPushButton("Open…")
        self.open_button.setToolTip("Open a project folder (Ctrl+O); you can also drop one here")
        self.open_button.clicked.connect(self._ask_open)
        self.recent_button = QToolButton()
        self.recent_button.setText("Recent")
        self.recent_button.setToolTip("Open a recently used project")
        self.recent_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.recent_menu = QMenu(self)
        self.recent_button.setMenu(self.recent_menu)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet("color: #dc2626;")
        self.error.hide()
        self.list = QListWidget()
        self.list.setIconSize(_ICON)
        self.list.setWordWrap(True)
        self.list.setToolTip("The project's compositions; select one to preview it")
        self.list.currentItemChanged.connect(self._on_current)

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.open_button)
        header.addWidget(self.recent_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(header)
        layout.addWidget(self.error)
        layout.addWidget(QLabel("Compositions"))
        layout.addWidget(self.list, 1)
        self.set_recent([])

    # ---- content ----------------------------------------------------------------------
    def set_project(
        self, project: Path | None, infos: list[CompositionInfo], error: str | None = None
    ) -> None:
        self.project = project
        self.infos = list(infos)
        self.title.setText(project.name if project else "No project open")
        self.title.setToolTip(str(project) if project else "")
        self.error.setText(error or "")
        self.error.setVisible(bool(error))
        self.list.blockSignals(True)
        self.list.clear()
        blank = QPixmap(_ICON)
        blank.fill(QColor(39, 39, 42))
        for info in self.infos:
            item = QListWidgetItem(QIcon(blank), f"{_name(info, project)}\n{describe(info)}")
            item.setData(_PATH_ROLE, str(info.path))
            item.setToolTip(info.error or str(info.path.name))
            if info.error:
                item.setForeground(QBrush(QColor("#dc2626")))
            self.list.addItem(item)
        self.list.blockSignals(False)

    def set_recent(self, projects: list[str]) -> None:
        self.recent_menu.clear()
        for text in projects:
            action = QAction(text, self.recent_menu)
            action.setData(text)
            action.triggered.connect(self._recent_slot(text))
            self.recent_menu.addAction(action)
        self.recent_button.setEnabled(bool(projects))

    def set_thumbnail(self, path: str, image: QImage) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(_PATH_ROLE) == path:
                pixmap = QPixmap.fromImage(image).scaled(
                    _ICON,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
                item.setIcon(QIcon(pixmap))

    def select(self, path: Path) -> bool:
        for row in range(self.list.count()):
            if self.list.item(row).data(_PATH_ROLE) == str(path):
                self.list.setCurrentRow(row)
                return True
        return False

    def current_info(self) -> CompositionInfo | None:
        row = self.list.currentRow()
        return self.infos[row] if 0 <= row < len(self.infos) else None

    # ---- the studio model ---------------------------------------------------------------
    def bind_model(self, model: StudioModel) -> None:
        """Show the model's compositions and current one; a click makes another current."""
        self._model = model
        model.events.compositions.connect(self._on_model_compositions)
        model.events.current.connect(self._on_model_current)
        self.composition_selected.connect(self._select_in_model)

    def _on_model_compositions(self, infos: list[CompositionInfo]) -> None:
        model = self._model
        self.set_project(model.project or model.folder, infos, model.project_error)
        self._on_model_current(model.current)

    def _on_model_current(self, info: CompositionInfo | None) -> None:
        if info is not None:
            self.list.blockSignals(True)  # shown, not selected again
            self.select(info.path)
            self.list.blockSignals(False)

    def _select_in_model(self, info: CompositionInfo) -> None:
        self._model.set_current(info.path)

    # ---- slots ------------------------------------------------------------------------
    def _on_current(self, current: QListWidgetItem | None, _previous: object) -> None:
        info = self.current_info() if current is not None else None
        if info is not None:
            self.composition_selected.emit(info)

    def _ask_open(self, _checked: bool = False) -> None:
        self.open_requested.emit()

    def _recent_slot(self, text: str):
        def chosen(_checked: bool = False) -> None:
            self.recent_chosen.emit(text)

        return chosen


def _name(info: CompositionInfo, project: Path | None) -> str:
    if project is not None:
        try:
            return str(info.path.relative_to(project))
        except ValueError:
            pass
    return info.path.name
