"""The Variables panel: a form built from the composition's ``data-composition-variables``.

Values apply to the preview as they are typed (the page is shown again with them, at the
same frame), are remembered per project and composition, and are what studio renders use.
A value that does not fit its declaration is refused with the schema's reason, worded by the
same rules the renderer applies (``resolve_variables``), and the last good values stay.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hyperframes_desktop.project import Composition
from hyperframes_desktop.project.variables import declarations
from hyperframes_desktop.render.options import RenderInputError
from hyperframes_desktop.render.variables import resolve_variables
from hyperframes_desktop.ui import store
from hyperframes_desktop.ui.variable_fields import VariableField, make_field

#: Typing pauses this long (ms) before the preview is shown again with the new values.
APPLY_DELAY_MS = 250
CLI_NAME = "hyperframes-desktop"


def cli_command(project: Path, composition: Path, values: dict[str, Any]) -> str:
    """The shell line that renders this composition with these values."""
    try:
        comp = composition.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        comp = str(composition)
    parts = [CLI_NAME, "render", str(project), "-c", comp]
    if values:
        parts += ["--variables", json.dumps(values, ensure_ascii=False)]
    return " ".join(shlex.quote(part) for part in parts)


class VariablesPanel(QWidget):
    #: The values that differ from the defaults, after every accepted change.
    values_changed = Signal(object)
    status_message = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Path | None = None
        self.composition: Composition | None = None
        self.decls: dict[str, dict[str, Any]] = {}
        self.fields: dict[str, VariableField] = {}
        self.errors: dict[str, QLabel] = {}
        self.applied: dict[str, Any] = {}
        self.hint = QLabel("Open a composition to set its variables.")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #71717a;")
        self._form_host = QWidget()
        self._form = QFormLayout(self._form_host)
        self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._form_host)
        self.reset_button = QPushButton("Reset to Defaults")
        self.reset_button.setToolTip("Give every variable its declared default again")
        self.reset_button.clicked.connect(self.reset_to_defaults)
        self.copy_button = QPushButton("Copy CLI Command")
        self.copy_button.setToolTip(
            "Copy the command line that renders this composition with these values"
        )
        self.copy_button.clicked.connect(self._copy)
        buttons = QHBoxLayout()
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.hint)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(APPLY_DELAY_MS)
        self._timer.timeout.connect(self.commit)
        self._update_buttons()

    # ---- composition ------------------------------------------------------------------
    def set_composition(self, project: Path | None, comp: Composition | None) -> dict[str, Any]:
        """Build the form for ``comp`` with its remembered values; returns those values
        (only the ones that still fit the schema)."""
        self._timer.stop()
        self.project = Path(project) if project is not None else None
        self.composition = comp
        self._clear_form()
        self.decls = declarations(comp.variables_schema) if comp is not None else {}
        self.applied = {}
        if comp is None or self.project is None:
            self.hint.setText("Open a composition to set its variables.")
        elif not self.decls:
            self.hint.setText(
                f"{comp.path.name} declares no variables (data-composition-variables)."
            )
        else:
            self.hint.setText(
                f"Variables of {comp.path.name}: the preview and studio renders use these values."
            )
            saved = store.load_variable_values(self.project, comp.path)
            dropped = [name for name, value in saved.items() if self._reason(name, value)]
            self.applied = {k: v for k, v in saved.items() if k not in dropped}
            for name, decl in self.decls.items():
                self._add_row(name, decl)
            if dropped:
                store.save_variable_values(self.project, comp.path, self.applied)
                self.status_message.emit(
                    f"Saved values no longer fit {comp.path.name}'s variables and were reset: "
                    f"{', '.join(dropped)}."
                )
        self._update_buttons()
        return dict(self.applied)

    def refresh(self, comp: Composition) -> dict[str, Any]:
        """The shown composition was saved again: rebuild the form if its declarations
        changed (keeping the values that still fit); returns the values to preview."""
        same = self.composition is not None and self.composition.path == comp.path
        if same and comp.variables_schema == self.composition.variables_schema:
            self.composition = comp
            return self.values()
        return self.set_composition(self.project, comp)

    def _clear_form(self) -> None:
        while self._form.rowCount():
            self._form.removeRow(0)
        self.fields.clear()
        self.errors.clear()

    def _add_row(self, name: str, decl: dict[str, Any]) -> None:
        field = make_field(decl, self.project)
        field.set_value(self.applied.get(name, decl.get("default")))
        field.edited.connect(self._timer.start)
        error = QLabel()
        error.setWordWrap(True)
        error.setStyleSheet("color: #dc2626;")
        error.hide()
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(field)
        column.addWidget(error)
        label = QLabel(str(decl.get("label") or name))
        tip = str(decl.get("description") or "")
        kind = str(decl.get("type") or "")
        label.setToolTip(f"{name} ({kind}){': ' + tip if tip else ''}")
        field.setToolTip(label.toolTip())
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self._form.addRow(label, box)
        self.fields[name] = field
        self.errors[name] = error

    # ---- values -----------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        """The accepted values that differ from the defaults (what renders are given)."""
        return dict(self.applied)

    def values_for(self, project: Path, composition: Path) -> dict[str, Any] | None:
        """Values for any composition of a project (the render form may pick another one)."""
        if self._timer.isActive():
            self.commit()  # a value typed a moment ago counts
        shown = self.composition is not None and self.project is not None
        if (
            shown
            and Path(project).resolve() == self.project.resolve()
            and Path(composition).resolve() == self.composition.path.resolve()
        ):
            return self.values() or None
        return store.load_variable_values(project, composition) or None

    def set_value(self, name: str, value: Any) -> None:
        """Put ``value`` into the field as if typed (the change applies after the delay)."""
        self.fields[name].set_value(value)
        self._timer.start()

    def shutdown(self) -> None:
        """The window is closing: a value typed a moment ago is saved, and applied to
        nothing (the panel says nothing any more)."""
        self.blockSignals(True)
        if self._timer.isActive():
            self.commit()

    def commit(self) -> bool:
        """Check every field now; apply and remember the values if they all fit."""
        self._timer.stop()
        if self.composition is None or self.project is None:
            return False
        changed: dict[str, Any] = {}
        refused: list[str] = []
        for name, field in self.fields.items():
            value = field.value()
            reason = self._reason(name, value)
            label = self.errors[name]
            label.setText(reason or "")
            label.setVisible(bool(reason))
            if reason:
                refused.append(reason)
            elif value != self.decls[name].get("default"):
                changed[name] = value
        if refused:
            self.status_message.emit(refused[0])
            return False
        if changed != self.applied:
            self.applied = changed
            store.save_variable_values(self.project, self.composition.path, changed)
            self.values_changed.emit(dict(changed))
        self._update_buttons()
        return True

    def _reason(self, name: str, value: Any) -> str | None:
        """Why ``value`` does not fit variable ``name`` (the renderer's words), or None."""
        if name not in self.decls or self.composition is None:
            return f'{name}: this composition declares no variable "{name}".'
        try:
            where = self.composition.path.name
            resolve_variables(self.composition.variables_schema, {name: value}, where)
        except RenderInputError as exc:
            return str(exc)
        return None

    def reset_to_defaults(self, _checked: bool = False) -> None:
        for name, field in self.fields.items():
            field.set_value(self.decls[name].get("default"))
        self.commit()

    # ---- command line -----------------------------------------------------------------
    def cli_command(self) -> str:
        if self.project is None or self.composition is None:
            return ""
        return cli_command(self.project, self.composition.path, self.values())

    def _copy(self, _checked: bool = False) -> None:
        command = self.cli_command()
        if command:
            QGuiApplication.clipboard().setText(command)
            self.status_message.emit("Copied the render command line.")

    def _update_buttons(self) -> None:
        has_form = bool(self.fields)
        self.reset_button.setEnabled(has_form)
        self.copy_button.setEnabled(self.composition is not None and self.project is not None)
