"""Small message boxes: the notice text again, About, and the quit question."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from hyperframes_desktop import __version__, telemetry

APP_TITLE = "HyperFrames Desktop"


def _open(parent: QWidget, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box


def show_notice_text(parent: QWidget) -> QMessageBox:
    return _open(parent, QMessageBox.Icon.Information, "Usage data", telemetry.NOTICE_TEXT)


def show_about(parent: QWidget) -> QMessageBox:
    text = (
        f"<b>{APP_TITLE}</b> {__version__}<br>Preview and render HyperFrames compositions "
        "(HTML, CSS and GSAP) to video, natively.<br>Apache-2.0"
    )
    return _open(parent, QMessageBox.Icon.NoIcon, f"About {APP_TITLE}", text)


def quit_question(parent: QWidget, active: int) -> tuple[QMessageBox, QPushButton]:
    """A not-yet-opened box asking to cancel ``active`` renders; returns it and its
    'quit' button. The default (and Esc) keeps rendering."""
    noun = "render is" if active == 1 else "renders are"
    box = QMessageBox(
        QMessageBox.Icon.Question,
        f"Quit {APP_TITLE}?",
        f"{active} {noun} still running or queued. Quitting cancels them and deletes "
        "their unfinished files.",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    quit_button = box.addButton("Cancel Renders and Quit", QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton("Keep Rendering", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    return box, quit_button
