"""File ▸ Copy Remote Files into Project…: the studio's ``vendor``, undoable.

A confirmation lists what will be downloaded or copied from the cache and which files change;
then the resolving and copying run on a pool thread (progress and a Stop button in the status
bar; Preferences' download switch off means cache only). The composition rewrites are written
on the GUI thread through the timeline's write entry point, so they are refused when a file
changed on disk and ONE Undo puts every changed file back byte for byte. The copies in
``vendor/`` stay after an undo (as imported assets do): they are new files the user may keep,
and the undo label says so.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMessageBox, QProgressBar, QToolButton

from hyperframes_desktop.project.timeline import AppliedEdit, Timeline
from hyperframes_desktop.render.resources import RefusalKind, Resolver, ResolverSettings
from hyperframes_desktop.render.resources.vendor import (
    VendorCancelled,
    VendorPlan,
    named_urls,
    plan_vendor,
    rewrite_compositions,
    write_copies,
)
from hyperframes_desktop.studio_model import StudioModel
from hyperframes_desktop.ui import store
from hyperframes_desktop.ui.background import Reporter, start_task

WriteBack = Callable[[Callable[[Timeline], AppliedEdit]], bool]
LABEL = "Copy Remote Files into Project (copies in vendor/ stay)"
DOWNLOADS_SWITCH = 'Preferences ▸ "Download libraries and fonts that projects use"'


def _vendor(root: Path, offline: bool, stop: threading.Event, report: Reporter) -> None:
    """Resolve every remote file (network only when allowed) and write the ``vendor/`` copies;
    the composition files are left to the GUI thread (``finished`` sends the plan)."""

    def progress(text: str) -> None:
        report.send("progress", text)

    try:
        resolver = Resolver(ResolverSettings.from_environment(offline=offline), progress)
        plan = plan_vendor(root, resolver, stop=stop.is_set, on_url=progress)
        if stop.is_set():
            raise VendorCancelled
        write_copies(root, plan)
    except VendorCancelled:
        report.send("cancelled")
    except (OSError, UnicodeError) as exc:
        report.send("failed", f"Copying the remote files stopped: {exc}")
    except Exception as exc:  # never leave the command "running" behind a dead thread
        report.send(
            "failed",
            f"Copying the remote files stopped on an unexpected error ({exc}); no "
            "composition was changed. Try `hyperframes-desktop vendor` for details.",
        )
    else:
        report.send("planned", plan)


class VendorCommand(QObject):
    def __init__(
        self, window: QMainWindow, model: StudioModel, action: QAction, write: WriteBack
    ) -> None:
        super().__init__(window)
        self.window, self.model, self.action, self.write = window, model, action, write
        self.confirmation: QMessageBox | None = None
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._stop = threading.Event()
        self._running = False
        self._root: Path | None = None  # the project being vendored
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # busy: a stylesheet's font files are found on the way
        self.progress.setMaximumWidth(120)
        self.stop_button = QToolButton(text="Stop")
        self.stop_button.setToolTip("Stop copying remote files; no composition is changed")
        self.stop_button.clicked.connect(self.cancel)
        for widget in (self.progress, self.stop_button):
            window.statusBar().addPermanentWidget(widget)
            widget.hide()
        action.triggered.connect(self.ask)
        model.events.project.connect(lambda _p: self._sync())
        self._sync()

    @property
    def running(self) -> bool:
        return self._running

    def _sync(self) -> None:
        self.action.setEnabled(self.model.project is not None and not self.running)

    def ask(self, _checked: bool = False) -> None:
        """Say what will be copied and which files change, then start on "Copy"."""
        root = self.model.project
        if root is None or self.running:
            return
        try:
            urls = named_urls(root)
        except OSError as exc:
            self.model.set_status(f"The project's files could not be read ({exc}).")
            return
        if not urls:
            self.model.set_status("This project names no remote files: nothing to copy.")
            return
        downloads = store.load_settings().download_resources
        resolver = Resolver(ResolverSettings.from_environment(offline=not downloads))
        cached = [url for url in urls if resolver.is_cached(url)]
        files = sorted({p.relative_to(root).as_posix() for ps in urls.values() for p in ps})
        missing = len(urls) - len(cached)
        if downloads:
            where = f"{missing} to download, {len(cached)} already in the cache."
        else:
            where = (
                f"Downloads are off ({DOWNLOADS_SWITCH}): only the {len(cached)} in the cache "
                f"can be copied; {missing} will be left as they are."
            )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Copy Remote Files into Project",
            f"Copy the {len(urls)} remote files this project names into vendor/?",
            QMessageBox.StandardButton.Cancel,
            self.window,
        )
        box.setInformativeText(
            f"{where} Font files named by Google Fonts stylesheets are copied too.\n\n"
            f"These files change (only those URLs): {', '.join(files)}.\n"
            "One Undo puts them back; the copies in vendor/ stay."
        )
        box.setDetailedText(
            "\n".join(f"{'cached' if u in cached else 'download'}  {u}" for u in urls)
        )
        copy = box.addButton("Copy", QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(copy)
        box.buttonClicked.connect(lambda b: self.start(not downloads) if b is copy else None)
        self.confirmation = box
        box.open()

    def start(self, offline: bool) -> None:
        root = self.model.project
        if root is None or self.running:
            return
        self._stop.clear()
        self._running, self._root = True, root
        self._busy(True)
        self.model.set_status("Copying remote files into the project…")
        stop = self._stop
        start_task(
            lambda report: _vendor(root, offline, stop, report),
            context=self,
            pool=self._pool,
            progress=self._on_progress,
            planned=self._apply,
            failed=self._on_failed,
            cancelled=self._on_cancelled,
        )

    def cancel(self, _checked: bool = False) -> None:
        self._stop.set()

    def _busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.stop_button.setVisible(busy)
        if not busy:
            self._running = False
        self._sync()

    def _on_progress(self, text: str) -> None:
        self.window.statusBar().showMessage(f"Copying remote files: {text}")

    def _on_failed(self, sentence: str) -> None:
        self._busy(False)
        self.model.set_status(sentence)

    def _on_cancelled(self) -> None:
        self._busy(False)
        self.model.set_status("Copying remote files stopped; no composition was changed.")

    def _apply(self, plan: VendorPlan) -> None:
        root = self._root
        self._busy(False)
        if root is None or root != self.model.project:
            return  # another project was opened meanwhile: leave this one's files alone
        written = bool(plan.files) and self.write(
            lambda _timeline: rewrite_compositions(plan, root, LABEL)
        )
        parts = []
        if written:
            names = ", ".join(f.path.relative_to(root).as_posix() for f in plan.files)
            parts.append(
                f"Copied {len(plan.copies)} files into vendor/ and pointed {names} at them "
                "(Undo puts the files back; the copies in vendor/ stay)."
            )
        elif plan.files:
            return  # refused (changed on disk): the timeline's banner says why
        offline = [r.url for r in plan.refusals if r.kind is RefusalKind.OFFLINE]
        if offline:
            parts.append(
                f"{len(offline)} not in the cache and downloads are off, so not copied "
                f"({', '.join(offline)}); turn on {DOWNLOADS_SWITCH} and try again."
            )
        parts += [r.message for r in plan.refusals if r.kind is not RefusalKind.OFFLINE]
        self.model.set_status(" ".join(parts) or "Nothing was copied.")

    def shutdown(self) -> None:
        """The window is closing: stop between two files and wait for the worker."""
        self._stop.set()
        self._pool.clear()
        self._pool.waitForDone(15000)
