"""The render settings form: what to render, how, and where to."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hyperframes_desktop.project import CompositionInfo
from hyperframes_desktop.render import FORMATS, QUALITY_PRESETS, ffmpeg_available
from hyperframes_desktop.ui.renders.choices import format_label, resolution_presets
from hyperframes_desktop.ui.renders.range_choice import RangeChoice
from hyperframes_desktop.ui.renders.run_on import RunOnChoice
from hyperframes_desktop.ui.store import FPS_CHOICES, RenderSettings

_QUALITY_TIPS = {
    "draft": "Fastest, larger file, visible compression",
    "standard": "Good quality for sharing",
    "high": "Slowest, best quality",
}


class RenderForm(QWidget):
    render_requested = Signal()
    settings_changed = Signal()

    def __init__(self, settings: RenderSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.project: Path | None = None
        self._infos: list[CompositionInfo] = []
        self.composition = QComboBox()
        self.composition.setToolTip("Which composition of the project to render")
        self.composition.currentIndexChanged.connect(self._on_composition)
        self.format = QComboBox()
        for name in FORMATS:
            self.format.addItem(format_label(name), name)
        self.format.setToolTip("Container and codec; WebM and MOV keep transparency")
        self.quality = QComboBox()
        for name, (preset, crf) in QUALITY_PRESETS.items():
            self.quality.addItem(name.capitalize(), name)
            tip = f"{_QUALITY_TIPS.get(name, '')} (x264 {preset}, CRF {crf})"
            self.quality.setItemData(self.quality.count() - 1, tip, Qt.ItemDataRole.ToolTipRole)
        self.quality.setToolTip("Encoder speed against file size and quality")
        self.resolution = QComboBox()
        self.resolution.setToolTip(
            "Output size: the composition's own, or a larger preset of the same shape "
            "(rendered sharper, not stretched)"
        )
        self.fps = QComboBox()
        self.fps.setToolTip("Frames per second of the video")
        self.span = RangeChoice()  # bound to the preview's in/out marks by the window
        self.run_on = RunOnChoice()
        self.output = QLineEdit()
        self.output.setPlaceholderText("the project's renders folder")
        self.output.setToolTip("Folder the video is written to; empty = PROJECT/renders")
        browse = QToolButton()
        browse.setText("…")
        browse.setToolTip("Choose the output folder")
        browse.clicked.connect(self._browse)
        out_row = QHBoxLayout()
        out_row.setContentsMargins(0, 0, 0, 0)
        out_row.addWidget(self.output, 1)
        out_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Composition", self.composition)
        form.addRow("Frames", self.span)
        form.addRow("Format", self.format)
        form.addRow("Quality", self.quality)
        form.addRow("Resolution", self.resolution)
        form.addRow("Frame rate", self.fps)
        form.addRow("Output folder", out_row)
        form.addRow("Run on", self.run_on)

        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.setStyleSheet("color: #b45309;")
        self.notice.hide()
        self.render_button = QPushButton("Render")
        self.render_button.setDefault(True)
        self.render_button.setToolTip("Add this render to the queue (Ctrl+Return)")
        self.render_button.clicked.connect(self._request)
        self.last_render = QLabel()
        self.last_render.setStyleSheet("color: palette(placeholder-text);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.notice)
        layout.addWidget(self.render_button)
        layout.addWidget(self.last_render)
        self._blocked_reason: str | None = None
        self.apply_settings(settings)
        for combo in (self.format, self.quality, self.fps, self.resolution, self.run_on):
            combo.currentIndexChanged.connect(self._changed)
        self.output.editingFinished.connect(self._changed)
        self._fill_fps(None)
        self._update_enabled()

    # ---- settings ---------------------------------------------------------------------
    def apply_settings(self, settings: RenderSettings) -> None:
        _select(self.format, settings.format)
        _select(self.quality, settings.quality)
        self._wanted_fps = settings.fps
        self._wanted_resolution = settings.resolution
        self.output.setText(settings.output_folder)
        self.run_on.select(settings.run_on)

    def settings(self) -> RenderSettings:
        return RenderSettings(
            format=self.format.currentData() or FORMATS[0],
            quality=self.quality.currentData() or "standard",
            fps=self.fps.currentData(),
            output_folder=self.output.text().strip(),
            resolution=self.resolution.currentData() or None,
            run_on=self.run_on.choice(),
        ).sanitized()

    # ---- compositions -----------------------------------------------------------------
    def set_compositions(self, project: Path | None, infos: list[CompositionInfo]) -> None:
        self.project = project
        self._infos = [i for i in infos if not i.error]
        self.composition.blockSignals(True)
        self.composition.clear()
        for info in self._infos:
            name = str(info.path.relative_to(project)) if project else info.path.name
            self.composition.addItem(name, str(info.path))
        self.composition.blockSignals(False)
        self._on_composition(self.composition.currentIndex())

    def select_composition(self, path: Path) -> None:
        index = self.composition.findData(str(path))
        if index >= 0:
            self.composition.setCurrentIndex(index)

    def current_composition(self) -> CompositionInfo | None:
        index = self.composition.currentIndex()
        return self._infos[index] if 0 <= index < len(self._infos) else None

    def frames(self) -> tuple[int, int] | None:
        """The in–out range to render (0-based, inclusive), None for the whole composition."""
        info = self.current_composition()
        return self.span.frames(info.path if info is not None else None)

    def check_ffmpeg(self) -> str | None:
        """Block rendering with a visible reason when FFmpeg is missing; returns the reason."""
        missing = ffmpeg_available()
        self.block_rendering(missing)
        return missing

    def block_rendering(self, reason: str | None) -> None:
        """Disable the button with a visible reason (FFmpeg missing); None re-enables."""
        self._blocked_reason = reason
        self.notice.setText(reason or "")
        self.notice.setVisible(bool(reason))
        self._update_enabled()

    def _on_composition(self, _index: int) -> None:
        info = self.current_composition()
        self._fill_resolutions(info)
        self._fill_fps(info)
        self._update_enabled()

    def _fill_resolutions(self, info: CompositionInfo | None) -> None:
        if self.resolution.count():
            self._wanted_resolution = self.resolution.currentData()
        self.resolution.blockSignals(True)
        self.resolution.clear()
        if info is not None and info.width and info.height:
            self.resolution.addItem(f"{info.width}×{info.height} (composition size)", None)
            for name, w, h in resolution_presets(info.width, info.height):
                self.resolution.addItem(f"{w}×{h} ({name})", name)
            index = self.resolution.findData(self._wanted_resolution)
            self.resolution.setCurrentIndex(max(0, index))
        self.resolution.blockSignals(False)

    def _fill_fps(self, info: CompositionInfo | None) -> None:
        wanted = self.fps.currentData() if self.fps.count() else self._wanted_fps
        self.fps.blockSignals(True)
        self.fps.clear()
        own = f"{float(info.fps):g}" if info is not None and info.fps else "?"
        self.fps.addItem(f"Composition default ({own})", None)
        for value in FPS_CHOICES:
            self.fps.addItem(f"{value} fps", value)
        index = self.fps.findData(wanted) if wanted is not None else 0
        self.fps.setCurrentIndex(max(0, index))
        self.fps.blockSignals(False)

    def _update_enabled(self) -> None:
        ok = self._blocked_reason is None and self.current_composition() is not None
        self.render_button.setEnabled(ok)

    # ---- slots ------------------------------------------------------------------------
    def _changed(self, *_args: object) -> None:
        self.settings_changed.emit()

    def _request(self, _checked: bool = False) -> None:
        if self.render_button.isEnabled():
            self.render_requested.emit()

    def _browse(self, _checked: bool = False) -> None:
        start = self.output.text() or (str(self.project / "renders") if self.project else "")
        folder = QFileDialog.getExistingDirectory(self, "Output folder", start)
        if folder:
            self.output.setText(folder)
            self._changed()


def _select(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
