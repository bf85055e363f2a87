"""The studio's question when a project has links leading out of its folder.

Such links are left out by the preview, renders and the farm (``project.tree``): a downloaded
project's scripts could read what they reach. When a project that has some (and not all of
them allowed already) is opened, a window-modal box lists them: **Allow for this project**
remembers them in the user's configuration folder (``project.outside_links``, never in the
project) and reloads the project so the preview loads them; **Not Now** leaves them out (the
Problems panel and render warnings keep saying so). The box is asked once per project and
studio session.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from hyperframes_desktop.project.outside_links import (
    OutsideLink,
    allowed_for_session,
    remember,
    remembered,
)
from hyperframes_desktop.project.tree import outside_links
from hyperframes_desktop.studio_model import StudioModel

ALLOW = "Allow for this project"


def unallowed_links(root: Path) -> list[OutsideLink]:
    """The project's links leading out of it that the user has not allowed."""
    if allowed_for_session(root):
        return []
    allowed = remembered(root)
    return [link for link in outside_links(root) if link not in allowed]


class OutsideLinksPrompt(QObject):
    """Asks about a freshly opened project's links leading out of its folder."""

    def __init__(self, window: QWidget, model: StudioModel) -> None:
        super().__init__(window)
        self.window = window
        self.model = model
        self.box: QMessageBox | None = None
        self._asked: set[Path] = set()
        model.events.project.connect(self._on_project)

    def _on_project(self, root: Path | None) -> None:
        if root is None or root in self._asked:
            return
        self._asked.add(root)  # looked at once per project and session
        links = unallowed_links(root)
        if links:
            self.ask(root, links)

    def ask(self, root: Path, links: list[OutsideLink]) -> None:
        rows = "".join(
            f"<li><b>{html.escape(link.rel)}</b> → {html.escape(str(link.target))}</li>"
            for link in links
        )
        box = QMessageBox(self.window)
        box.setWindowTitle("Links outside the project")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setText(
            f"This project links to files outside its folder:<ul>{rows}</ul>"
            "The preview and renders leave them out: a script in the project could read "
            "what they lead to. Allow them only if you trust this project."
        )
        allow = box.addButton(ALLOW, QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Not Now", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(box.buttons()[-1])  # Not Now: the safe answer on Enter
        box.buttonClicked.connect(lambda button: self._answered(root, links, button is allow))
        self.box = box
        box.open()  # window-modal, without a nested event loop

    def _answered(self, root: Path, links: list[OutsideLink], allowed: bool) -> None:
        self.box = None
        if not allowed or self.model.project != root:
            return
        try:
            remember(root, links)
        except OSError as exc:
            self.model.set_status(f"Could not remember the allowed links: {exc}")
            return
        current = self.model.current.path if self.model.current is not None else None
        self.model.open_project(root)  # the preview compiles again, now with the links
        if current is not None and self.model.info(current) is not None:
            self.model.set_current(current)
        self.model.set_status("Links outside the project allowed for this project.")
