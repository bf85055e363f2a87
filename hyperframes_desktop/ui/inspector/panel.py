"""The Design dock: the selected element's text, font, colours, opacity, corner radius and
geometry, as the page computes them at the playhead, each with where it comes from.

Every field edits one declaration (``project.design.properties``): written in the style
attribute, or in the element's own ``#id`` rule, otherwise inline and the status bar says
so. A property an animation drives at this frame reads "animated by GSAP/CSS at this time"
and an edit changes its resting value. A slider writes once when it is released; a field
when Enter is pressed or it loses focus. Keys typed in a field stay in it (``key_shield``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSlider,
    QWidget,
)

from hyperframes_desktop.project.design.element_keys import is_source_key, key_label
from hyperframes_desktop.project.design.move import ElementRef
from hyperframes_desktop.project.design.properties import set_property, where_defined
from hyperframes_desktop.project.design.selectable import (
    clip_stage_keys,
    selectable_ids,
    stage_selection,
)
from hyperframes_desktop.project.design.text import set_text
from hyperframes_desktop.project.font_families import MAPPED_FAMILIES
from hyperframes_desktop.project.timeline import Edit, EditRefused, Timeline
from hyperframes_desktop.studio_model import StudioModel
from hyperframes_desktop.ui.inspector.page_style import computed_style
from hyperframes_desktop.ui.key_shield import KeyShield, shield

if TYPE_CHECKING:
    from PySide6.QtWebEngineCore import QWebEnginePage

MakeEdit = Callable[[Timeline], Edit]
#: (CSS property, label, unit written after a bare number)
FIELDS = (
    ("font-family", "Font", ""),
    ("font-size", "Size", "px"),
    ("font-weight", "Weight", ""),
    ("color", "Colour", ""),
    ("background-color", "Background", ""),
    ("border-radius", "Corner radius", "px"),
    ("left", "Left", "px"),
    ("top", "Top", "px"),
    ("width", "Width", "px"),
    ("height", "Height", "px"),
    ("rotate", "Rotation", "deg"),
)
WEIGHTS = ["100", "200", "300", "400", "500", "600", "700", "800", "900"]
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


class DesignInspector(QScrollArea):
    def __init__(
        self,
        model: StudioModel,
        page: Callable[[], QWebEnginePage],
        apply: Callable[[MakeEdit], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = model
        self._page = page
        self._apply = apply
        self.keys = KeyShield(self)
        self.element_id: str | None = None
        self.files: dict[str, Path] = {}
        self.aliases: dict[str, str] = {}  # timeline clip key -> the key of its element
        self._asked = 0
        body = QWidget()
        form = QFormLayout(body)
        form.setContentsMargins(8, 6, 8, 6)
        self.title = QLabel("Nothing selected")
        self.title.setStyleSheet("font-weight: 600;")
        form.addRow(self.title)
        self.text = self._line("The element's text (inline markup inside is kept)")
        self.text.editingFinished.connect(self._commit_text)
        form.addRow("Text", self.text)
        self.fields: dict[str, QLineEdit | QComboBox] = {}
        self.sources: dict[str, QLabel] = {}
        for name, label, _unit in FIELDS:
            field = self._field(name)
            self.fields[name] = field
            source = QLabel()
            source.setStyleSheet("color: #a1a1aa; font-size: 11px;")
            self.sources[name] = source
            row = QWidget()
            box = QHBoxLayout(row)
            box.setContentsMargins(0, 0, 0, 0)
            box.addWidget(field, 1)
            form.addRow(label, row)
            form.addRow("", source)
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setToolTip("Opacity (written when released)")
        shield(self.opacity, self.keys)
        self.opacity.sliderReleased.connect(self._commit_opacity)
        self.opacity.valueChanged.connect(self._opacity_keyed)
        self.opacity_source = QLabel()
        self.opacity_source.setStyleSheet("color: #a1a1aa; font-size: 11px;")
        form.addRow("Opacity", self.opacity)
        form.addRow("", self.opacity_source)
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setMinimumWidth(240)
        self._set_enabled(False)
        model.events.selection.connect(self._on_change)
        model.events.frame.connect(self._on_change)
        model.events.timeline.connect(self._on_timeline)

    def shutdown(self) -> None:
        for event, slot in (
            (self.model.events.selection, self._on_change),
            (self.model.events.frame, self._on_change),
            (self.model.events.timeline, self._on_timeline),
        ):
            event.disconnect(slot)

    # ---- building ---------------------------------------------------------------------
    def _line(self, tip: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setToolTip(tip)
        shield(edit, self.keys)
        return edit

    def _field(self, name: str) -> QLineEdit | QComboBox:
        if name in ("font-family", "font-weight"):
            combo = QComboBox()
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            if name == "font-weight":
                combo.addItems(WEIGHTS)
            shield(combo, self.keys)
            line = combo.lineEdit()
            line.editingFinished.connect(lambda n=name, e=line: self._commit(n, e))
            combo.textActivated.connect(lambda _t, n=name, e=line: self._commit(n, e, True))
            return combo
        edit = self._line(f"{name} (Enter writes it)")
        edit.editingFinished.connect(lambda n=name, e=edit: self._commit(n, e))
        return edit

    def all_fields(self) -> list[QWidget]:
        """Every input of the inspector (tests type into each)."""
        return [self.text, *self.fields.values(), self.opacity]

    def _set_enabled(self, on: bool) -> None:
        for field in self.all_fields():
            field.setEnabled(on)

    # ---- showing ----------------------------------------------------------------------
    def _on_timeline(self, timeline: Timeline | None) -> None:
        self.files = selectable_ids(timeline)
        self.aliases = clip_stage_keys(timeline)
        self._on_change(None)

    def _on_change(self, _value: object) -> None:
        chosen = stage_selection(self.model.selection, self.files, self.aliases)
        if len(chosen) != 1:
            self.element_id = None
            self.title.setText(
                "Nothing selected" if not chosen else f"{len(chosen)} elements selected"
            )
            self._set_enabled(False)
            return
        self.element_id = chosen[0]
        key = self.element_id
        self.title.setText(key_label(key) if is_source_key(key) else f"#{key}")
        self._set_enabled(True)
        self._asked += 1
        asked = self._asked
        props = [name for name, _, _ in FIELDS] + ["opacity"]
        computed_style(self._page(), self.element_id, props, lambda v: self._show(asked, v))

    def _show(self, asked: int, info: object) -> None:
        if asked != self._asked or not isinstance(info, dict) or self.element_id is None:
            return
        values, animated = info.get("values", {}), info.get("animated", {})
        timeline, ref = self.model.timeline, self._ref()
        families = sorted(set(info.get("families", [])) | {f.title() for f in MAPPED_FAMILIES})
        for name, field in self.fields.items():
            value = str(values.get(name, ""))
            if name == "rotate" and value in ("none", ""):
                value = "0deg"
            if field.hasFocus() or (isinstance(field, QComboBox) and field.lineEdit().hasFocus()):
                continue  # never overwrite what the user is typing
            if isinstance(field, QComboBox):
                if name == "font-family" and field.count() != len(families):
                    field.clear()
                    field.addItems(families)
                field.setEditText(value)
            else:
                field.setText(value)
            self.sources[name].setText(self._source(timeline, ref, name, animated.get(name)))
        if not self.text.hasFocus():
            self.text.setText(str(info.get("text", "")).strip())
        opacity = values.get("opacity", "1")
        self.opacity.blockSignals(True)
        self.opacity.setValue(round(float(opacity or 1) * 100))
        self.opacity.blockSignals(False)
        self.opacity_source.setText(self._source(timeline, ref, "opacity", animated.get("opacity")))

    @staticmethod
    def _source(timeline: Timeline | None, ref: ElementRef | None, name: str, anim) -> str:
        if anim:
            return f"animated by {anim} at this time (an edit sets the resting value)"
        if timeline is None or ref is None:
            return ""
        try:
            where = where_defined(timeline, ref, name)
        except EditRefused:
            return ""
        return {"inline": "inline style", "rule": f"#{ref.element_id} rule"}.get(
            where.kind, "computed (not set on this element)"
        )

    def _ref(self) -> ElementRef | None:
        if self.element_id is None or self.element_id not in self.files:
            return None
        return ElementRef(self.files[self.element_id], self.element_id)

    # ---- editing ----------------------------------------------------------------------
    def _commit(self, name: str, edit: QLineEdit, chosen: bool = False) -> None:
        """Write what the user typed (or chose in a list); a value only shown is not."""
        ref = self._ref()
        if ref is None or not (edit.isModified() or chosen):
            return
        edit.setModified(False)
        value = edit.text().strip()
        if not value:
            return
        unit = next(u for n, _, u in FIELDS if n == name)
        if unit and _NUMBER.match(value):
            value += unit
        timeline = self.model.timeline
        if timeline is not None:
            where = where_defined(timeline, ref, name)
            current = where.value
            if current is not None and current.strip() == value:
                return
        self._apply(lambda t: set_property(t, ref, name, value))

    def _commit_text(self) -> None:
        ref = self._ref()
        if ref is not None and self.text.isModified():
            self.text.setModified(False)
            new = self.text.text()
            self._apply(lambda t: set_text(t, ref, new))

    def _commit_opacity(self) -> None:
        ref = self._ref()
        if ref is not None:
            value = f"{self.opacity.value() / 100:g}"
            self._apply(lambda t: set_property(t, ref, "opacity", value))

    def _opacity_keyed(self, _value: int) -> None:
        if not self.opacity.isSliderDown():  # keys or a click on the groove: write now
            self._commit_opacity()
