"""The Preferences dialog's farm fields are wide enough to show their hints in full."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QStyle, QStyleOptionFrame

from hyperframes_desktop.ui.dialogs.settings import SettingsDialog


def _text_room(edit: QLineEdit) -> int:
    """Pixels inside the edit where text is drawn (its width less the frame's contents margins)."""
    option = QStyleOptionFrame()
    edit.initStyleOption(option)
    rect = edit.style().subElementRect(QStyle.SubElement.SE_LineEditContents, option, edit)
    margins = edit.textMargins()
    return rect.width() - margins.left() - margins.right()


def test_every_farm_field_shows_its_whole_placeholder(qtbot) -> None:
    dialog = SettingsDialog(1)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    box = dialog.farm_box
    edits = [box.address, box.ca, box.cert, box.key]
    for edit in edits:
        assert edit.placeholderText()
        needed = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
        assert _text_room(edit) >= needed, (edit.placeholderText(), _text_room(edit), needed)
