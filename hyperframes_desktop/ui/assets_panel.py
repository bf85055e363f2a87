"""The Assets panel: the project's videos, sounds, pictures and fonts, with posters and
lengths; Import… and drops from the file manager copy files into the assets folder (new names,
never overwriting); items drag onto the timeline; files the compositions name but that are
missing are listed as missing, with Locate….

It takes only what it needs: the project folder through :meth:`set_project`. Lengths and
posters are read by FFmpeg on a background thread (one at a time).
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QMimeData, QSize, Qt, QThreadPool, QUrl, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from hyperframes_desktop.catalog.config import read_project_config
from hyperframes_desktop.catalog.errors import CatalogError
from hyperframes_desktop.scaffold.asset_info import duration_of, video_poster
from hyperframes_desktop.scaffold.assets import (
    Asset,
    ImportRefused,
    MissingAsset,
    asset_kind,
    import_files,
    list_assets,
    locate,
    missing_assets,
)
from hyperframes_desktop.ui.background import Reporter, start_task

ICON = QSize(96, 54)
PATH_ROLE = Qt.ItemDataRole.UserRole
MISSING_ROLE = Qt.ItemDataRole.UserRole + 1


def dropped_files(mime: QMimeData) -> list[Path]:
    """Local files in a drag (from the file manager or this panel)."""
    if not mime.hasUrls():
        return []
    return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]


def assets_folder(project: Path) -> str:
    try:
        return read_project_config(project).paths["assets"].strip("/") or "assets"
    except CatalogError:
        return "assets"


def _format_length(seconds: float) -> str:
    minutes, rest = divmod(seconds, 60)
    return f"{int(minutes)}:{rest:05.2f}" if minutes else f"{rest:.2f} s"


def _stamp(path: Path) -> tuple[int, int]:
    try:
        stat = path.stat()
    except OSError:
        return (-1, -1)
    return stat.st_size, stat.st_mtime_ns


def _find_facts(assets: list[Asset], cancel: threading.Event, report: Reporter) -> None:
    """On a pool thread: sends ``facts`` (path, seconds or None, poster path or "") per file."""
    for asset in assets:
        if cancel.is_set():
            return
        seconds = duration_of(asset.path)
        poster = video_poster(asset.path) if asset.kind == "video" else None
        if cancel.is_set():
            return
        report.send("facts", str(asset.path), seconds, str(poster or ""))


class AssetList(QListWidget):
    """Icons that drag out as file URLs and accept files dropped in."""

    files_dropped = Signal(list)

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("assetList")
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setIconSize(ICON)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setMovement(QListWidget.Movement.Static)
        self.setWordWrap(True)
        self.setGridSize(QSize(ICON.width() + 28, ICON.height() + 46))
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)

    def mimeTypes(self) -> list[str]:
        return ["text/uri-list"]

    def mimeData(self, items: list[QListWidgetItem]) -> QMimeData:
        mime = QMimeData()
        paths = [i.data(PATH_ROLE) for i in items if i.data(PATH_ROLE) and not i.data(MISSING_ROLE)]
        mime.setUrls([QUrl.fromLocalFile(p) for p in paths])
        return mime

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.source() is not self and dropped_files(event.mimeData()):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.source() is not self and dropped_files(event.mimeData()):
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        files = dropped_files(event.mimeData())
        if event.source() is self or not files:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.files_dropped.emit(files)


class AssetsPanel(QWidget):
    status_message = Signal(str)
    imported = Signal(list)  # project paths of files just copied in

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Path | None = None
        self.list = AssetList()
        self.list.setToolTip("Drag onto the timeline to add a clip; drop files here to import")
        self.import_button = QPushButton("Import…")
        self.import_button.setToolTip("Copy files into the project's assets folder")
        self.locate_button = QPushButton("Locate…")
        self.locate_button.setToolTip("Choose the file a composition names but cannot find")
        self.locate_button.setEnabled(False)
        self.summary = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.locate_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(buttons)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.summary)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._cancel = threading.Event()
        self._seconds: dict[str, float] = {}
        self._posters: dict[str, str] = {}
        self._known: dict[str, tuple[int, int]] = {}  # path → (size, mtime) when facts were read
        self.import_button.clicked.connect(self._ask_import)
        self.locate_button.clicked.connect(self._ask_locate)
        self.list.files_dropped.connect(self.import_paths)
        self.list.currentItemChanged.connect(self._on_current)
        self.set_project(None)

    # ---- content -----------------------------------------------------------------------
    def set_project(self, project: Path | None) -> None:
        self.project = Path(project).resolve() if project is not None else None
        self.refresh()

    def refresh(self) -> None:
        self.stop_facts()
        self.list.clear()
        self.import_button.setEnabled(self.project is not None)
        if self.project is None:
            self.summary.setText("No project open.")
            return
        assets = list_assets(self.project)
        style = self.style()
        for asset in assets:
            item = QListWidgetItem(Path(asset.rel).name)
            item.setData(PATH_ROLE, str(asset.path))
            item.setToolTip(f"{asset.rel} ({asset.kind}, {asset.size / 1024:.0f} KB)")
            if asset.kind == "image":
                pixmap = QPixmap(str(asset.path))
                item.setIcon(QIcon(pixmap) if not pixmap.isNull() else QIcon())
            else:
                icon = {
                    "video": QStyle.StandardPixmap.SP_MediaPlay,
                    "audio": QStyle.StandardPixmap.SP_MediaVolume,
                    "font": QStyle.StandardPixmap.SP_FileIcon,
                }[asset.kind]
                item.setIcon(style.standardIcon(icon))
            self.list.addItem(item)
        missing = missing_assets(self.project)
        for gone in missing:
            item = QListWidgetItem(f"{Path(gone.ref).name}\n(missing)")
            item.setData(PATH_ROLE, str(gone.path))
            item.setData(MISSING_ROLE, gone)
            item.setIcon(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning))
            item.setToolTip(
                f'{gone.composition}, line {gone.line}, names "{gone.ref}", which does not '
                "exist. Select it and press Locate… to choose the file."
            )
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
            self.list.addItem(item)
        text = f"{len(assets)} files"
        self.summary.setText(text + (f", {len(missing)} missing" if missing else ""))
        timed = []
        for asset in assets:
            if asset.kind not in ("video", "audio"):
                continue
            key = str(asset.path)
            if self._known.get(key) == _stamp(asset.path):
                self._on_facts(key, self._seconds.get(key), self._posters.get(key, ""))
            else:
                timed.append(asset)
        if timed:
            cancel = self._cancel = threading.Event()
            start_task(
                lambda report: _find_facts(timed, cancel, report),
                context=self,
                pool=self._pool,
                facts=self._on_facts,
            )

    def _item(self, path: str) -> QListWidgetItem | None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(PATH_ROLE) == path and not item.data(MISSING_ROLE):
                return item
        return None

    def _on_facts(self, path: str, seconds: object, poster: str) -> None:
        item = self._item(path)
        if item is None:
            return
        self._known[path] = _stamp(Path(path))
        if poster:
            self._posters[path] = poster
        if isinstance(seconds, float):
            self._seconds[path] = seconds
            item.setText(f"{Path(path).name}\n{_format_length(seconds)}")
        if poster:
            item.setIcon(QIcon(QPixmap(poster)))

    def length_of(self, path: Path) -> float | None:
        """The media length read for the panel (None before it is known)."""
        return self._seconds.get(str(Path(path).resolve()))

    def missing(self) -> list[MissingAsset]:
        items = [self.list.item(row) for row in range(self.list.count())]
        return [i.data(MISSING_ROLE) for i in items if i.data(MISSING_ROLE)]

    # ---- import and locate -----------------------------------------------------------------
    def _ask_import(self) -> None:
        if self.project is None:
            return
        names, _ = QFileDialog.getOpenFileNames(
            self,
            "Import media",
            str(Path.home()),
            "Media (*.mp4 *.mov *.webm *.mkv *.m4v *.mp3 *.wav *.ogg *.m4a *.aac *.flac *.opus "
            "*.png *.jpg *.jpeg *.gif *.webp *.svg *.avif *.ttf *.otf *.woff *.woff2);;"
            "All files (*)",
        )
        if names:
            self.import_paths([Path(n) for n in names])

    def import_paths(self, files: list[Path]) -> list[Path]:
        """Copy ``files`` into the assets folder; returns their project paths."""
        if self.project is None:
            return []
        usable = [f for f in files if asset_kind(f) is not None]
        skipped = len(files) - len(usable)
        try:
            made = import_files(self.project, usable, assets_folder(self.project))
        except ImportRefused as exc:
            self.status_message.emit(str(exc))
            return []
        self.refresh()
        note = f"Imported {len(made)} file{'s' if len(made) != 1 else ''}"
        if skipped:
            note += f"; {skipped} left out (not media or fonts)"
        self.status_message.emit(note + ".")
        self.imported.emit(made)
        return made

    def _on_current(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        self.locate_button.setEnabled(item is not None and bool(item.data(MISSING_ROLE)))

    def _ask_locate(self) -> None:
        item = self.list.currentItem()
        gone = item.data(MISSING_ROLE) if item is not None else None
        if gone is None or self.project is None:
            return
        name, _ = QFileDialog.getOpenFileName(self, f"Locate {gone.ref}", str(Path.home()))
        if name:
            self.locate_file(gone, Path(name))

    def locate_file(self, gone: MissingAsset, chosen: Path) -> bool:
        if self.project is None:
            return False
        try:
            locate(self.project, gone, chosen)
        except ImportRefused as exc:
            self.status_message.emit(str(exc))
            return False
        self.status_message.emit(f'Copied {chosen.name} to "{gone.ref}".')
        self.refresh()
        return True

    # ---- life ------------------------------------------------------------------------------
    def stop_facts(self) -> None:
        self._cancel.set()
        self._pool.clear()
        self._pool.waitForDone(10000)
