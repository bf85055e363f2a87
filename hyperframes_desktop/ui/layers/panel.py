"""The Layers dock: the current composition's elements, topmost first, nested compositions
unfolding under their host. Selecting rows selects those elements everywhere (the studio
model's selection). The eye hides an element in the preview only, the lock keeps the stage
from selecting it; both are the studio's own: kept per project in the app's settings, never
written to the HTML, never seen by a render. Delete removes the selected elements from
their files (one undoable edit).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from hyperframes_desktop.project.design.element_keys import is_source_key
from hyperframes_desktop.project.design.layer_marks import MarkFiles, sign
from hyperframes_desktop.project.design.layers import Layer, delete_elements, layer_tree
from hyperframes_desktop.project.design.move import ElementRef
from hyperframes_desktop.project.design.selectable import clip_stage_keys, stage_selection
from hyperframes_desktop.project.timeline import Edit, Timeline
from hyperframes_desktop.studio_model import StudioModel
from hyperframes_desktop.ui.paths import config_dir

HIDE, LOCK = 1, 2
_ID = Qt.ItemDataRole.UserRole


def layer_settings() -> QSettings:
    """Hide and lock per project, in an INI file beside the other config (honours XDG)."""
    return QSettings(str(config_dir() / "studio-layers.ini"), QSettings.Format.IniFormat)


def _group(project: Path) -> str:
    return "p" + hashlib.sha256(str(project).encode("utf-8")).hexdigest()[:16]


def _read_signatures(value: object) -> dict[str, str]:
    try:
        data = json.loads(value) if isinstance(value, str) and value else {}
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)}


class LayersPanel(QTreeWidget):
    def __init__(
        self,
        model: StudioModel,
        apply: Callable[[Callable[[Timeline], Edit]], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self._apply = apply
        self.setHeaderLabels(["Element", "Hide", "Lock"])
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.header().setStretchLastSection(False)
        self.setColumnWidth(HIDE, 44)
        self.setColumnWidth(LOCK, 44)
        self.items: dict[str, QTreeWidgetItem] = {}
        self.files: dict[str, Path] = {}
        self.aliases: dict[str, str] = {}  # timeline clip key -> the key of its element
        #: id-less marked element -> its signature (layer_marks), so its marks follow it
        self.signatures: dict[str, str] = {}
        self._showing = False  # filling the tree or showing the model's selection
        self.itemSelectionChanged.connect(self._selection_to_model)
        self.itemChanged.connect(self._on_item_changed)
        self.installEventFilter(self)
        model.events.timeline.connect(self._on_timeline)
        model.events.selection.connect(self._on_selection)
        model.events.project.connect(self._on_project)

    def shutdown(self) -> None:
        for event, slot in (
            (self.model.events.timeline, self._on_timeline),
            (self.model.events.selection, self._on_selection),
            (self.model.events.project, self._on_project),
        ):
            event.disconnect(slot)

    # ---- the project's hide and lock ---------------------------------------------------
    def _on_project(self, root: Path | None) -> None:
        hidden: list[str] = []
        locked: list[str] = []
        if root is not None:
            saved = layer_settings()
            saved.beginGroup(_group(root))
            hidden = list(saved.value("hidden", []) or [])
            locked = list(saved.value("locked", []) or [])
            self.signatures = _read_signatures(saved.value("signatures", ""))
            saved.endGroup()
        else:
            self.signatures = {}
        self.model.set_layers(hidden, locked)

    def _save(self) -> None:
        root = self.model.project
        if root is None:
            return
        saved = layer_settings()
        saved.beginGroup(_group(root))
        saved.setValue("hidden", sorted(self.model.hidden))
        saved.setValue("locked", sorted(self.model.locked))
        marked = self.model.hidden | self.model.locked
        kept = {key: sig for key, sig in self.signatures.items() if key in marked}
        self.signatures = kept
        saved.setValue("signatures", json.dumps(kept, sort_keys=True))
        saved.endGroup()
        saved.sync()

    def _follow_marks(self, timeline: Timeline) -> None:
        """Marks on id-less elements follow them when elements were added or removed before
        them (here or by another program); one whose element is gone is dropped."""
        idless = [k for k in self.model.hidden | self.model.locked if is_source_key(k)]
        if not idless:
            return
        files = MarkFiles(timeline)  # each file read once for the three steps below
        known = self.signatures
        unsigned = [key for key in idless if key not in known]
        if unsigned:  # marked before signatures were kept: taken as the files are now
            self.signatures = known | files.sign(unsigned)
        moved = files.follow({k: self.signatures[k] for k in idless if k in self.signatures})

        def now(keys: frozenset[str]) -> set[str]:
            return {new for new in (moved.get(key, key) for key in keys) if new is not None}

        hidden, locked = now(self.model.hidden), now(self.model.locked)
        # signed again where they are now, so the stored style follows the stage's edits
        fresh = files.sign(key for key in hidden | locked if is_source_key(key))
        signatures = {k: v for k, v in self.signatures.items() if k not in moved} | fresh
        if signatures == known and (hidden, locked) == (
            self.model.hidden,
            self.model.locked,
        ):
            return
        self.signatures = signatures
        self.model.set_layers(hidden, locked)
        self._save()

    # ---- the tree ----------------------------------------------------------------------
    def _on_timeline(self, timeline: Timeline | None) -> None:
        if timeline is not None:
            self._follow_marks(timeline)
        expanded = {i for i, item in self.items.items() if item.isExpanded()}
        self._showing = True
        try:
            self.clear()
            self.items, self.files = {}, {}
            self.aliases = clip_stage_keys(timeline)
            for layer in layer_tree(timeline):
                self.addTopLevelItem(self._item(layer))
            for element_id, item in self.items.items():
                item.setExpanded(element_id in expanded or item.childCount() < 8)
        finally:
            self._showing = False
        self._on_selection(self.model.selection)

    def _item(self, layer: Layer) -> QTreeWidgetItem:
        item = QTreeWidgetItem([layer.label, "", ""])
        item.setData(0, _ID, layer.element_id)
        who = "" if is_source_key(layer.element_id) else f' id="{layer.element_id}"'
        item.setToolTip(0, f"{layer.file.name}: <{layer.tag}{who}>")
        flags = item.flags() | Qt.ItemFlag.ItemIsUserCheckable
        item.setFlags(flags)
        hidden = layer.element_id in self.model.hidden
        locked = layer.element_id in self.model.locked
        item.setCheckState(HIDE, Qt.CheckState.Checked if hidden else Qt.CheckState.Unchecked)
        item.setCheckState(LOCK, Qt.CheckState.Checked if locked else Qt.CheckState.Unchecked)
        item.setToolTip(HIDE, "Hide in the preview (the studio only: renders are unchanged)")
        item.setToolTip(LOCK, "Lock: the stage will not select it")
        self.items.setdefault(layer.element_id, item)
        self.files.setdefault(layer.element_id, layer.file)
        for child in layer.children:
            item.addChild(self._item(child))
        return item

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._showing or column not in (HIDE, LOCK):
            return
        element_id = item.data(0, _ID)
        on = item.checkState(column) == Qt.CheckState.Checked
        hidden, locked = set(self.model.hidden), set(self.model.locked)
        target = hidden if column == HIDE else locked
        (target.add if on else target.discard)(element_id)
        if on and is_source_key(element_id) and self.model.timeline is not None:
            self.signatures.update(sign(self.model.timeline, [element_id]))
        self.model.set_layers(hidden, locked)
        self._save()

    # ---- selection ---------------------------------------------------------------------
    def _selection_to_model(self) -> None:
        if self._showing:
            return
        chosen = {item.data(0, _ID) for item in self.selectedItems()}
        self.model.set_selection(chosen - set(self.model.locked))

    def _on_selection(self, keys: frozenset[str]) -> None:
        keys = frozenset(stage_selection(keys, self.items, self.aliases))
        self._showing = True
        try:
            for element_id, item in self.items.items():
                item.setSelected(element_id in keys)
        finally:
            self._showing = False

    # ---- keys --------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        delete = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
        if isinstance(event, QKeyEvent) and event.key() in delete and self.selectedItems():
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()
                return True
            if event.type() == QEvent.Type.KeyPress:
                self.delete_selection()
                return True
        return False

    def delete_selection(self) -> bool:
        chosen = stage_selection(self.model.selection, self.files, self.aliases)
        refs = [ElementRef(self.files[i], i) for i in chosen]
        if not refs:
            return False
        return self._apply(lambda timeline: delete_elements(timeline, refs))
