"""File ▸ Save Frame as Image… (Ctrl+Shift+S): the preview's current frame to a PNG or JPEG,
through the engine's ``render_still`` (the same code as ``hyperframes-desktop still``), so the
image has exactly the pixels a render gives that frame.

The capture runs on the global pool through ``ui/background.py``; its result comes back on the
GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from hyperframes_desktop.project import Composition, ProjectError
from hyperframes_desktop.render import RenderCancelled, RenderError
from hyperframes_desktop.render.still import StillOptions, StillResult, render_still
from hyperframes_desktop.ui import store
from hyperframes_desktop.ui.background import Reporter, start_task

_FILTERS = "PNG image (*.png);;JPEG image (*.jpg *.jpeg)"


class StillTask:
    """``render_still`` off the GUI thread; ``cancel()`` is safe from any thread."""

    def __init__(self, options: StillOptions) -> None:
        self.options = options
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self, report: Reporter) -> None:
        try:
            result = render_still(self.options, self._cancel)
        except RenderCancelled:
            report.send("cancelled")
        except (ProjectError, RenderError) as exc:
            report.send("failed", str(exc))
        except Exception as exc:  # a bug: still end in words
            report.send("failed", f"Unexpected error ({type(exc).__name__}): {exc}")
        else:
            report.send("saved", result)


class SaveFrameController(QObject):
    """Owns the action, the file dialog and the running capture.

    ``where`` returns (composition, frame) for what the preview shows, or None when nothing
    is open; ``status`` shows a message in the status bar.
    """

    finished = Signal(object)  # StillResult, or None when it failed or was cancelled

    def __init__(
        self,
        window: QWidget,
        where: Callable[[], tuple[Composition, int] | None],
        status: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._where = where
        self._status = status
        self.dialog: QFileDialog | None = None
        self.task: StillTask | None = None
        self._pending: tuple[Composition, int] | None = None
        #: (project, composition file) → the variable values the studio uses for it.
        self.variables_for: Callable[[Path, Path], dict | None] | None = None
        self.action = QAction("Save Frame as &Image…", window)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        tip = "Save the frame the preview shows as a PNG or JPEG image"
        self.action.setToolTip(f"{tip} (Ctrl+Shift+S)")
        self.action.setStatusTip(tip)
        self.action.triggered.connect(self._on_triggered)
        window.addAction(self.action)

    def place_before(self, neighbour: QAction) -> None:
        """Show the action in the menu that holds ``neighbour`` (File: before Render)."""
        for owner in neighbour.associatedObjects():
            if isinstance(owner, QMenu):
                owner.insertAction(neighbour, self.action)

    @property
    def busy(self) -> bool:
        return self.task is not None

    def _on_triggered(self, _checked: bool = False) -> None:
        self.ask()

    def ask(self) -> QFileDialog | None:
        """Open the save dialog for the current frame (None if there is nothing to save)."""
        where = self._where()
        if where is None:
            self._status("Open a composition first: there is no frame to save.")
            return None
        if self.busy:
            self._status("Still saving the previous frame…")
            return None
        comp, frame = where
        self._pending = where
        suggested = comp.project_root / "renders" / f"{comp.composition_id}_frame{frame}.png"
        dialog = QFileDialog(self._window, f"Save frame {frame} as image", str(suggested))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setNameFilters(_FILTERS.split(";;"))
        dialog.setDefaultSuffix("png")
        dialog.selectFile(str(suggested))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.fileSelected.connect(self._on_file)
        dialog.rejected.connect(self._on_dialog_closed)
        self.dialog = dialog
        dialog.open()  # Save is the default button
        return dialog

    def _on_dialog_closed(self) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
            self.dialog = None

    def _on_file(self, path: str) -> None:
        self._on_dialog_closed()
        if not path or self._pending is None:
            return
        self.save(Path(path))

    def save(self, output: Path) -> None:
        """Capture the pending frame into ``output`` in the background."""
        assert self._pending is not None
        comp, frame = self._pending
        variables = self.variables_for(comp.project_root, comp.path) if self.variables_for else None
        options = StillOptions(
            comp.project_root,
            frame=frame,
            composition=str(comp.path),
            output=output,
            variables=variables,
            offline=not store.load_settings().download_resources,
        )
        task = StillTask(options)
        self.task = task
        self.action.setEnabled(False)
        self._status(f"Saving frame {frame}…")
        start_task(
            task.run,
            context=self,
            saved=self._on_saved,
            failed=self._on_failed,
            cancelled=self._on_cancelled,
        )

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()

    shutdown = cancel  # the window's close asks every component to shut down

    def _done(self, result: StillResult | None) -> None:
        self.task = None
        self.action.setEnabled(True)
        self.finished.emit(result)

    def _on_saved(self, result: StillResult) -> None:
        self._status(f"Saved frame {result.frame} to {result.output}")
        self._done(result)

    def _on_failed(self, message: str) -> None:
        self._status(f"Could not save the frame: {message}")
        box = QMessageBox(
            QMessageBox.Icon.Warning, "Save frame as image", "Could not save the frame.",
            QMessageBox.StandardButton.Ok, self._window,
        )  # fmt: skip
        box.setInformativeText(message)
        box.setDefaultButton(QMessageBox.StandardButton.Ok)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self._done(None)

    def _on_cancelled(self) -> None:
        self._status("Saving the frame was cancelled.")
        self._done(None)
