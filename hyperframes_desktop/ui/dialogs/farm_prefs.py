"""Preferences → Render farm: the scheduler's address, the TLS files, and a "Test connection"
button listing the farm's workers and what they render with.

The test runs off the GUI thread (connecting may take seconds; ``ui/background.py``); a farm
that cannot be reached is a sentence, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from hyperframes_desktop.render.farm.settings import FarmSettings
from hyperframes_desktop.ui.background import Reporter, start_task
from hyperframes_desktop.ui.renders.farm_link import farm_choice
from hyperframes_desktop.ui.store import FarmPrefs

_TEST_TIMEOUT_S = 10.0
_LABELS = (("app", "HyperFrames Desktop"), ("python", "Python"), ("qt", "Qt"),
           ("qtwebengine", "QtWebEngine"), ("ffmpeg", "FFmpeg"))  # fmt: skip


@dataclass(frozen=True)
class FarmReport:
    """What "Test connection" found: the workers (address, name, threads, versions and
    what would make each render differently from this computer)."""

    workers: list[dict]


def test_connection(settings: FarmSettings, report: Reporter) -> None:
    """On a pool thread: ask the scheduler for its workers; sends ``succeeded`` with a
    :class:`FarmReport` or ``failed`` with a sentence."""
    from hyperframes_desktop.render.farm import farm_status
    from hyperframes_desktop.render.options import RenderError, RenderInputError

    tls = (settings.ca_file, settings.cert_file, settings.key_file) if settings.uses_tls else None
    try:
        workers = farm_status(settings.address, tls, timeout_s=_TEST_TIMEOUT_S)
    except (RenderError, RenderInputError) as exc:
        report.send("failed", str(exc))
    except Exception as exc:  # a bug: still a sentence in the dialog
        report.send("failed", f"Testing the farm failed ({type(exc).__name__}: {exc}).")
    else:
        report.send("succeeded", FarmReport(workers))


def describe_worker(worker: dict) -> str:
    """``w1 (tcp://127.0.0.1:4242), 1 thread: HyperFrames Desktop 0.1.0, Python 3.11.9, …
    — same as this computer`` (or what differs)."""
    threads = int(worker.get("threads") or 0)
    head = f"{worker.get('name')} ({worker.get('address')}), {threads} thread"
    head += "s" if threads != 1 else ""
    versions = worker.get("versions") or {}
    if "error" in versions:
        return f"{head}: cannot run HyperFrames Desktop ({versions['error']})"
    facts = ", ".join(f"{label} {versions.get(key, '?')}" for key, label in _LABELS)
    differ = worker.get("differences") or []
    verdict = "same as this computer" if not differ else "differs: " + "; ".join(differ)
    return f"{head}: {facts} — {verdict}"


def _fit_placeholder(edit: QLineEdit) -> None:
    """At least as wide as its placeholder text (plus the frame's and the text's margins)."""
    margins = edit.textMargins()
    text = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
    edit.setMinimumWidth(text + margins.left() + margins.right() + 16)


class FarmPrefsBox(QGroupBox):
    changed = Signal(object)  # FarmPrefs, when a field was edited

    def __init__(self, prefs: FarmPrefs, parent: QWidget | None = None) -> None:
        super().__init__("Render farm", parent)
        self.address = QLineEdit(prefs.address)
        self.address.setPlaceholderText("tcp://HOST:8786 or tls://HOST:8786")
        self.address.setToolTip(
            "The scheduler of your render farm ('hyperframes-desktop farm-scheduler' or "
            "'dask scheduler' prints it); "
            "empty = $HYPERFRAMES_FARM or no farm"
        )
        self.ca = self._file(prefs.ca_file, "The farm's CA certificate (PEM), for tls://")
        self.cert = self._file(prefs.cert_file, "This computer's certificate, signed by the CA")
        self.key = self._file(prefs.key_file, "The private key of this computer's certificate")
        self.test_button = QPushButton("Test Connection")
        self.test_button.setAutoDefault(False)
        self.test_button.setToolTip("Connect to the scheduler and list its workers and versions")
        self.test_button.clicked.connect(self._test)
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report: FarmReport | None = None
        self._saved = prefs
        self._testing = False
        form = QFormLayout(self)
        form.addRow("Scheduler address", self.address)
        form.addRow("CA certificate", self._row(self.ca))
        form.addRow("Certificate", self._row(self.cert))
        form.addRow("Private key", self._row(self.key))
        form.addRow(self.test_button)
        form.addRow(self.result)
        for edit in (self.address, self.ca, self.cert, self.key):
            _fit_placeholder(edit)  # the dialog is otherwise too narrow to show the hints
        self.address.editingFinished.connect(self._edited)

    def prefs(self) -> FarmPrefs:
        return FarmPrefs(
            address=self.address.text().strip(),
            ca_file=self.ca.text().strip(),
            cert_file=self.cert.text().strip(),
            key_file=self.key.text().strip(),
        )

    @property
    def testing(self) -> bool:
        return self._testing

    # ---- fields -----------------------------------------------------------------------
    def _file(self, value: str, tip: str) -> QLineEdit:
        edit = QLineEdit(value)
        edit.setToolTip(tip)
        edit.setPlaceholderText("only for a tls:// address")
        edit.editingFinished.connect(self._edited)
        return edit

    def _row(self, edit: QLineEdit) -> QHBoxLayout:
        browse = QToolButton()
        browse.setText("…")
        browse.setToolTip("Choose the file")
        browse.clicked.connect(lambda _checked=False, e=edit: self._browse(e))
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        row.addWidget(browse)
        return row

    def _browse(self, edit: QLineEdit) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a PEM file", edit.text(), "PEM files (*.pem *.crt *.key);;All (*)"
        )
        if path:
            edit.setText(path)
            self._edited()

    def _edited(self) -> None:
        self.commit()

    def commit(self) -> None:
        """Announce the fields if they changed since last time (also when the dialog
        closes, so a field still being typed in is not lost)."""
        prefs = self.prefs()
        if prefs != self._saved:
            self._saved = prefs
            self.changed.emit(prefs)

    # ---- test connection --------------------------------------------------------------
    def _test(self, _checked: bool = False) -> None:
        if self._testing:
            return
        choice = farm_choice(self.prefs())
        if choice.settings is None:
            self._show_error(choice.problem or "The render farm is not set up.")
            return
        self._testing = True
        self.test_button.setEnabled(False)
        self.test_button.setText("Testing…")
        self.result.setStyleSheet("")
        self.result.setText("Connecting to the scheduler…")
        settings = choice.settings
        start_task(
            lambda report: test_connection(settings, report),
            context=self,
            succeeded=self._on_report,
            failed=self._show_error,
        )

    def _done(self) -> None:
        self._testing = False
        self.test_button.setEnabled(True)
        self.test_button.setText("Test Connection")

    def _on_report(self, report: FarmReport) -> None:
        self._done()
        self.report = report
        count = len(report.workers)
        if not count:
            self._show_error(
                "Connected, but the farm has no workers. Fix: start 'dask worker ADDRESS' on "
                "each worker machine (with HyperFrames Desktop and FFmpeg installed)."
            )
            return
        lines = [f"Connected: {count} worker{'s' if count != 1 else ''}."]
        lines += [describe_worker(w) for w in report.workers]
        self.result.setStyleSheet("")
        self.result.setText("\n".join(lines))

    def _show_error(self, sentence: str) -> None:
        self._done()
        self.result.setStyleSheet("color: #dc2626;")
        self.result.setText(sentence)
