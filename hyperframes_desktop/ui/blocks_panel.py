"""The Blocks panel: HyperFrames' catalog of blocks with search and a tag filter, a preview
rendered by our own engine on demand, and "Add at playhead", which installs the block into the
project (``add``) and mounts it in the open composition at the playhead, on a free track.

The catalog is read only when asked (Load catalog), from the registry the project names (or
HyperFrames'), and cached for offline use. Network, installs and previews run on a background
thread; the mount is written on the GUI thread through the timeline's write-back entry point,
so it is refused when the file changed on disk and undone like any edit.

It takes what it needs through its constructor: the project folder, the playhead time, the
current timeline and the write-back entry point.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from hyperframes_desktop.catalog import (
    CatalogError,
    InstallResult,
    RegistryClient,
    RegistryItem,
    add_items,
    registry_base,
)
from hyperframes_desktop.catalog.install import composition_id_in
from hyperframes_desktop.catalog.items import KINDS
from hyperframes_desktop.catalog.preview import block_preview
from hyperframes_desktop.catalog.search import all_tags, matches
from hyperframes_desktop.project import ProjectError
from hyperframes_desktop.project.timeline import AppliedEdit, Timeline
from hyperframes_desktop.project.timeline.insertion import apply_insertion
from hyperframes_desktop.render import RenderCancelled, RenderError
from hyperframes_desktop.scaffold.drops import plan_block_mount
from hyperframes_desktop.ui.background import Reporter, start_task

WriteBack = Callable[[Callable[[Timeline], AppliedEdit]], bool]
ALL_TAGS = "All tags"
NAME_ROLE = Qt.ItemDataRole.UserRole


def _attempt(work: Callable[[], object], report: Reporter) -> None:
    """Runs ``work`` off the GUI thread; a CatalogError or engine error becomes a sentence."""
    try:
        result = work()
    except (CatalogError, ProjectError, RenderError, OSError) as exc:
        report.send("failed", str(exc))
    except RenderCancelled:
        return
    else:
        report.send("result", result)


class BlocksPanel(QWidget):
    status_message = Signal(str)
    catalog_loaded = Signal(int)
    preview_ready = Signal(str)
    block_added = Signal(str)  # the host element's id

    def __init__(
        self,
        *,
        project: Callable[[], Path | None],
        playhead_seconds: Callable[[], float],
        timeline: Callable[[], Timeline | None],
        write: WriteBack,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.playhead_seconds = playhead_seconds
        self.timeline = timeline
        self.write = write
        self.items: dict[str, RegistryItem] = {}
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._cancel = threading.Event()
        self._busy = False

        self.search = QLineEdit()
        self.search.setObjectName("blockSearch")
        self.search.setPlaceholderText("Search blocks")
        self.search.setClearButtonEnabled(True)
        self.tags = QComboBox()
        self.tags.addItem(ALL_TAGS)
        self.load_button = QPushButton("Load catalog")
        self.load_button.setToolTip(
            "Read the catalog from the registry the project names (or HyperFrames'); "
            "kept for offline use"
        )
        self.list = QListWidget()
        self.list.setObjectName("blockList")
        self.picture = QLabel("Select a block, then Preview.")
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumHeight(120)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.preview_button = QPushButton("Preview")
        self.preview_button.setToolTip("Render one frame of the block with our engine")
        self.add_button = QPushButton("Add at playhead")
        self.add_button.setToolTip(
            "Install the block into the project and mount it at the playhead on a free track"
        )
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.tags)
        top.addWidget(self.load_button)
        actions = QHBoxLayout()
        actions.addWidget(self.preview_button)
        actions.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.list, 2)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.details)
        layout.addLayout(actions)

        self.load_button.clicked.connect(self.load_catalog)
        self.search.textChanged.connect(self._filter)
        self.tags.currentTextChanged.connect(self._filter)
        self.list.currentItemChanged.connect(self._on_current)
        self.preview_button.clicked.connect(self.preview_selected)
        self.add_button.clicked.connect(self.add_selected)
        self._sync()

    # ---- helpers -------------------------------------------------------------------------
    def _client(self) -> RegistryClient:
        return RegistryClient(registry_base(None, self.project()))

    def _run(self, work: Callable[[], object], done: Callable[[object], None]) -> None:
        self._busy = True
        self._sync()
        start_task(
            lambda report: _attempt(work, report),
            context=self,
            pool=self._pool,
            result=lambda result: self._finish(done, result),
            failed=self._failed,
        )

    def _finish(self, done: Callable[[object], None], result: object) -> None:
        self._busy = False
        done(result)
        self._sync()

    def _failed(self, sentence: str) -> None:
        self._busy = False
        self.status_message.emit(sentence)
        self.details.setText(sentence)
        self._sync()

    def selected(self) -> RegistryItem | None:
        item = self.list.currentItem()
        return self.items.get(item.data(NAME_ROLE)) if item is not None else None

    def select(self, name: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(NAME_ROLE) == name:
                self.list.setCurrentRow(row)
                return

    def _sync(self) -> None:
        chosen = self.selected() is not None and not self._busy
        self.preview_button.setEnabled(chosen)
        self.add_button.setEnabled(chosen and self.timeline() is not None)
        self.load_button.setEnabled(not self._busy)

    # ---- the catalog -------------------------------------------------------------------------
    def load_catalog(self) -> None:
        def work() -> list[RegistryItem]:
            with self._client() as client:
                return client.items({KINDS["block"]})

        self.status_message.emit("Reading the block catalog…")
        self._run(work, self._show_catalog)

    def _show_catalog(self, result: object) -> None:
        items = list(result) if isinstance(result, list) else []
        self.items = {item.name: item for item in items}
        self.tags.blockSignals(True)
        self.tags.clear()
        self.tags.addItem(ALL_TAGS)
        self.tags.addItems(all_tags(items))
        self.tags.blockSignals(False)
        self._filter()
        self.status_message.emit(f"{len(items)} blocks in the catalog.")
        self.catalog_loaded.emit(len(items))

    def _filter(self) -> None:
        current = self.selected()
        tag = self.tags.currentText()
        tags = [] if tag in ("", ALL_TAGS) else [tag]
        self.list.clear()
        for item in self.items.values():
            if not matches(item, tags, self.search.text()):
                continue
            row = QListWidgetItem(item.title)
            row.setData(NAME_ROLE, item.name)
            row.setToolTip(item.description)
            self.list.addItem(row)
        if current is not None:
            self.select(current.name)
        self._sync()

    def _on_current(self, *_args: object) -> None:
        item = self.selected()
        if item is not None:
            size = f"{item.dimensions[0]}×{item.dimensions[1]}, " if item.dimensions else ""
            length = f"{item.duration:g} s" if item.duration else "no set length"
            variables = ", ".join(str(v.get("label") or v.get("id")) for v in item.variables)
            self.details.setText(
                f"<b>{item.title}</b> ({size}{length})<br>{item.description}"
                + (f"<br>Variables: {variables}" if variables else "")
            )
            self.picture.setPixmap(QPixmap())
            self.picture.setText("Press Preview to render it.")
        self._sync()

    # ---- preview ---------------------------------------------------------------------------
    def preview_selected(self) -> None:
        item = self.selected()
        if item is None:
            return
        cancel = self._cancel

        def work() -> str:
            with self._client() as client:
                return str(block_preview(client, item, cancel=cancel))

        self.picture.setText("Rendering a preview…")
        self._run(work, self._show_preview)

    def _show_preview(self, result: object) -> None:
        pixmap = QPixmap(str(result))
        width = max(160, self.picture.width())
        self.picture.setPixmap(
            pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
        )
        self.preview_ready.emit(str(result))

    # ---- add at playhead ----------------------------------------------------------------------
    def add_selected(self) -> None:
        item, project = self.selected(), self.project()
        if item is None or project is None or self.timeline() is None:
            return
        start = self.playhead_seconds()

        def work() -> InstallResult:
            with self._client() as client:
                return add_items(client, [item.name], project)

        self.status_message.emit(f"Installing {item.title}…")
        self._run(work, lambda result: self._mount(item, project, start, result))

    def _mount(self, item: RegistryItem, project: Path, start: float, result: object) -> None:
        assert isinstance(result, InstallResult)
        src = result.compositions.get(item.name)
        if src is None:
            self._failed(f"{item.title} has no composition to mount; its files were installed.")
            return
        text = (project / src).read_text(encoding="utf-8", errors="replace")
        made: list[str] = []

        def insert(timeline: Timeline) -> AppliedEdit:
            plan = plan_block_mount(
                timeline,
                name=item.name,
                composition_id=composition_id_in(text, item.name),
                src=src,
                start=start,
                duration=item.duration,
                size=item.dimensions,
            )
            made.append(plan.select or "")
            return apply_insertion(plan, timeline)

        if self.write(insert) and made:
            self.status_message.emit(f"Added {item.title} at {start:g} s.")
            self.block_added.emit(made[-1])

    # ---- life ------------------------------------------------------------------------------
    def stop(self) -> None:
        self._cancel.set()
        self._pool.clear()
        self._pool.waitForDone(15000)
