"""One row of the render queue: stage, progress, speed, ETA, errors and file actions."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from hyperframes_desktop.render.farm.progress import FarmProgress
from hyperframes_desktop.ui.renders.record import JobRecord

_STATUS_TEXT = {
    "queued": "Queued",
    "preprocessing": "Preparing",
    "rendering": "Capturing frames",
    "encoding": "Encoding",
    "assembling": "Assembling",
    "complete": "Complete",
    "failed": "Failed",
    "cancelled": "Cancelled",
}


def format_duration(seconds: float | None) -> str:
    """``4.2 s``, ``1 min 05 s``, ``1 h 02 min``."""
    if seconds is None:
        return "–"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def status_line(job: JobRecord) -> str:
    """What the row says under its title (a farm job adds its chunk picture)."""
    line = _status(job)
    if job.farm and job.chunks is not None and job.status not in ("queued", "cancelled"):
        return f"{line} · {chunk_text(job.chunks)}"
    if job.farm and job.status in ("queued", "preprocessing"):
        return f"{line} (render farm)"
    return line


def chunk_text(chunks: FarmProgress) -> str:
    """``chunks 3/8 · 2 workers in use · 1 retry · 1 worker blocklisted``."""
    parts = [f"chunks {chunks.chunks_done}/{chunks.chunks_total}"]
    workers = chunks.workers_in_use
    parts.append(f"{workers} worker{'s' if workers != 1 else ''} in use")
    if chunks.chunks_reused:
        parts.append(f"{chunks.chunks_reused} reused")
    if chunks.retries:
        parts.append(f"{chunks.retries} retr{'ies' if chunks.retries != 1 else 'y'}")
    if chunks.blocklisted:
        many = chunks.blocklisted != 1
        parts.append(f"{chunks.blocklisted} worker{'s' if many else ''} blocklisted")
    return " · ".join(parts)


def _status(job: JobRecord) -> str:
    text = _STATUS_TEXT.get(job.status, job.status)
    if job.status == "failed" and job.stage:
        return f"Failed during {job.stage.replace('_', ' ')}"
    if job.status == "complete":
        return f"Complete in {format_duration(job.elapsed_s)}"
    if job.status == "rendering" and job.frames_total:
        parts = [f"{text}: {job.frames_done}/{job.frames_total}"]
        if job.capture_fps:
            parts.append(f"{job.capture_fps:.1f} frames/s")
        if job.eta_s is not None:
            parts.append(f"ETA {format_duration(job.eta_s)}")
        return " · ".join(parts)
    return text


class JobRow(QFrame):
    cancel_requested = Signal(str)
    remove_requested = Signal(str)
    open_requested = Signal(str)
    reveal_requested = Signal(str)
    retry_requested = Signal(str)

    def __init__(self, job: JobRecord) -> None:
        super().__init__()
        self.job_id = job.job_id
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: 600;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status = QLabel()
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error.setStyleSheet("color: #dc2626;")
        self.fetched = QLabel()
        self.fetched.setWordWrap(True)
        self.fetched.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.cancel_button = self._button("Cancel", "Stop this render; nothing is written")
        self.open_button = self._button("Open", "Open the video in your player")
        self.reveal_button = self._button("Show in Folder", "Show the video in the file manager")
        self.remove_button = self._button(
            "Remove", "Remove this job from the list (the file stays)"
        )
        self.retry_button = self._button(
            "Retry Failed Chunks",
            "Render the chunks that did not finish again on the farm; finished chunks are reused",
        )
        self.retry_button.clicked.connect(self._retry)
        self.cancel_button.clicked.connect(self._cancel)
        self.open_button.clicked.connect(self._open)
        self.reveal_button.clicked.connect(self._reveal)
        self.remove_button.clicked.connect(self._remove)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (
            self.retry_button,
            self.open_button,
            self.reveal_button,
            self.cancel_button,
            self.remove_button,
        ):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(3)
        layout.addWidget(self.title)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        layout.addWidget(self.fetched)
        layout.addLayout(buttons)
        self.update_from(job)

    def update_from(self, job: JobRecord) -> None:
        target = job.output.name if job.output else job.settings.format
        self.title.setText(f"{job.label} → {target}")
        self.title.setToolTip(str(job.output) if job.output else "")
        self.status.setText(status_line(job))
        self.progress.setValue(round(job.fraction * 1000))
        self.progress.setVisible(job.active or job.status == "complete")
        self.error.setText(job.error)
        self.error.setVisible(bool(job.error))
        self.error.setToolTip("\n".join(job.error_details))
        count = len(job.fetched_urls)
        self.fetched.setText(
            f"Downloaded {count} remote file{'s' if count != 1 else ''} the project names "
            "(hover for the list)"
            if count
            else ""
        )
        self.fetched.setToolTip("\n".join(job.fetched_urls))
        self.fetched.setVisible(bool(count))
        done = job.status == "complete" and job.output is not None and job.output.exists()
        self.open_button.setVisible(done)
        self.reveal_button.setVisible(done)
        self.cancel_button.setVisible(job.active)
        if not job.active:  # ready for the next run of a retried job
            self.cancel_button.setEnabled(True)
            self.cancel_button.setText("Cancel")
        self.retry_button.setVisible(job.farm and job.status == "failed")
        self.remove_button.setVisible(not job.active)

    def _button(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.setAutoDefault(False)
        return button

    def _cancel(self, _checked: bool = False) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        self.cancel_requested.emit(self.job_id)

    def _retry(self, _checked: bool = False) -> None:
        self.retry_requested.emit(self.job_id)

    def _remove(self, _checked: bool = False) -> None:
        self.remove_requested.emit(self.job_id)

    def _open(self, _checked: bool = False) -> None:
        self.open_requested.emit(self.job_id)

    def _reveal(self, _checked: bool = False) -> None:
        self.reveal_requested.emit(self.job_id)
