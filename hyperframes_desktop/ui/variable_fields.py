"""One input widget per variable type for the Variables panel.

Every field shows a value and says when the user changed it (``edited``); the panel decides
whether the value fits the schema. Types: string, number, color, boolean, enum (a
declaration with ``options``), image and font (file pickers); any other type is a text field
holding JSON (or plain text).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QToolButton,
    QWidget,
)

_FILE_FILTERS = {
    "image": "Images (*.png *.jpg *.jpeg *.gif *.webp *.svg *.avif);;All files (*)",
    "font": "Fonts (*.ttf *.otf *.woff *.woff2);;All files (*)",
}


def options_of(decl: dict[str, Any]) -> list[tuple[str, Any]] | None:
    """An enum's choices as (label, value); None when the declaration has no options."""
    options = decl.get("options") or decl.get("enum")
    if not isinstance(options, list) or not options:
        return None
    out = []
    for option in options:
        if isinstance(option, dict) and "value" in option:
            out.append((str(option.get("label", option["value"])), option["value"]))
        else:
            out.append((option if isinstance(option, str) else json.dumps(option), option))
    return out


def kind_of(decl: dict[str, Any]) -> str:
    """The widget a declaration gets: its type, ``enum`` when it lists options."""
    if options_of(decl) is not None:
        return "enum"
    kind = str(decl.get("type", "")).lower()
    if kind in ("string", "number", "color", "boolean", "image", "font"):
        return kind
    default = decl.get("default")
    if isinstance(default, bool):
        return "boolean"
    if isinstance(default, int | float):
        return "number"
    return "string" if isinstance(default, str) or default is None else "json"


class VariableField(QWidget):
    """A row's input. Each kind holds one widget and maps values to and from it with
    ``value()`` and ``set_value()``."""

    edited = Signal()

    def __init__(self, decl: dict[str, Any], project: Path | None) -> None:
        super().__init__()
        self.decl = decl
        self.project = project
        self.layout_ = QHBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(4)

    def _emit(self, *_args: object) -> None:
        self.edited.emit()


class TextField(VariableField):
    def __init__(self, decl: dict[str, Any], project: Path | None) -> None:
        super().__init__(decl, project)
        self.edit = QLineEdit()
        self.edit.textEdited.connect(self._emit)
        self.layout_.addWidget(self.edit, 1)

    def value(self) -> Any:
        return self.edit.text()

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))


class JsonField(TextField):
    """A type the studio does not know: JSON when it parses, else the text itself."""

    def value(self) -> Any:
        text = self.edit.text()
        try:
            return json.loads(text)
        except ValueError:
            return text

    def set_value(self, value: Any) -> None:
        self.edit.setText(value if isinstance(value, str) else json.dumps(value))


class NumberField(VariableField):
    def __init__(self, decl: dict[str, Any], project: Path | None) -> None:
        super().__init__(decl, project)
        step = _number(decl.get("step"))
        whole = isinstance(decl.get("default"), int) and (step is None or step == int(step))
        self.spin = QSpinBox() if whole else QDoubleSpinBox()
        if not whole:
            self.spin.setDecimals(3)
        limit = 2_147_483_647 if whole else 1e12
        low = _number(decl.get("min"))
        high = _number(decl.get("max"))
        low = -limit if low is None else low
        high = limit if high is None else high
        if whole:
            self.spin.setRange(int(low), int(high))
        else:
            self.spin.setRange(low, high)
        if step:
            self.spin.setSingleStep(int(step) if whole else step)
        self.spin.setKeyboardTracking(False)
        self.spin.valueChanged.connect(self._emit)
        self.layout_.addWidget(self.spin, 1)

    def value(self) -> Any:
        return self.spin.value()

    def set_value(self, value: Any) -> None:
        number = _number(value)
        self.spin.blockSignals(True)
        self.spin.setValue(int(number) if isinstance(self.spin, QSpinBox) else (number or 0.0))
        self.spin.blockSignals(False)


class BooleanField(VariableField):
    def __init__(self, decl: dict[str, Any], project: Path | None) -> None:
        super().__init__(decl, project)
        self.box = QCheckBox()
        self.box.toggled.connect(self._emit)
        self.layout_.addWidget(self.box, 1)

    def value(self) -> Any:
        return self.box.isChecked()

    def set_value(self, value: Any) -> None:
        self.box.blockSignals(True)
        self.box.setChecked(bool(value))
        self.box.blockSignals(False)


class EnumField(VariableField):
    def __init__(self, decl: dict[str, Any], project: Path | None) -> None:
        super().__init__(decl, project)
        self.combo = QComboBox()
        self._values = []
        for label, value in options_of(decl) or []:
            self.combo.addItem(label)
            self._values.append(value)
        self.combo.currentIndexChanged.connect(self._emit)
        self.layout_.addWidget(self.combo, 1)

    def value(self) -> Any:
        index = self.combo.currentIndex()
        return self._values[index] if 0 <= index < len(self._values) else None

    def set_value(self, value: Any) -> None:
        self.combo.blockSignals(True)
        if value in self._values:
            self.combo.setCurrentIndex(self._values.index(value))
        self.combo.blockSignals(False)


class ColorField(TextField):
    """The colour as CSS text (editable) and a swatch that opens a colour dialog."""

    def __init__(self, decl: dict[str, Any], project: Path | None) -> None:
        super().__init__(decl, project)
        self.edit.setPlaceholderText("#rrggbb, rgb(…) or a CSS name")
        self.swatch = QToolButton()
        self.swatch.setToolTip("Choose a colour")
        self.swatch.clicked.connect(self._choose)
        self.layout_.addWidget(self.swatch)
        self.edit.textChanged.connect(self._paint)
        self.dialog: QColorDialog | None = None

    def _paint(self, text: str) -> None:
        colour = QColor(text.strip())
        fill = colour.name() if colour.isValid() else "transparent"
        self.swatch.setStyleSheet(f"background: {fill}; border: 1px solid #777; min-width: 18px;")

    def _choose(self, _checked: bool = False) -> None:
        dialog = QColorDialog(QColor(self.edit.text().strip()), self)
        dialog.setWindowTitle("Choose a Colour")
        dialog.colorSelected.connect(self._on_chosen)
        self.dialog = dialog
        dialog.open()

    def _on_chosen(self, colour: QColor) -> None:
        if colour.isValid():
            self.edit.setText(colour.name())
            self.edited.emit()

    def set_value(self, value: Any) -> None:
        super().set_value(value)
        self._paint(self.edit.text())


class FileField(TextField):
    """A path, relative to the project folder when inside it, with a Browse… button."""

    def __init__(self, decl: dict[str, Any], project: Path | None, kind: str) -> None:
        super().__init__(decl, project)
        self.kind = kind
        self.edit.setPlaceholderText(f"{kind} file (relative to the project folder)")
        browse = QToolButton()
        browse.setText("Browse…")
        browse.setToolTip(f"Pick the {kind} file")
        browse.clicked.connect(self._browse)
        self.layout_.addWidget(browse)

    def _browse(self, _checked: bool = False) -> None:
        start = str(self.project) if self.project else ""
        name, _ = QFileDialog.getOpenFileName(
            self, f"Choose the {self.kind}", start, _FILE_FILTERS[self.kind]
        )
        if name:
            self.edit.setText(self.relative(Path(name)))
            self.edited.emit()

    def relative(self, path: Path) -> str:
        if self.project is not None:
            try:
                return path.resolve().relative_to(self.project.resolve()).as_posix()
            except ValueError:
                pass
        return str(path)


def make_field(decl: dict[str, Any], project: Path | None) -> VariableField:
    kind = kind_of(decl)
    if kind == "number":
        return NumberField(decl, project)
    if kind == "boolean":
        return BooleanField(decl, project)
    if kind == "enum":
        return EnumField(decl, project)
    if kind == "color":
        return ColorField(decl, project)
    if kind in ("image", "font"):
        return FileField(decl, project, kind)
    if kind == "json":
        return JsonField(decl, project)
    return TextField(decl, project)


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None
