"""The scrubber: a frame slider that also draws the in/out range (a band and two marks)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSlider, QStyle, QStyleOptionSlider, QWidget

from hyperframes_desktop.ui.in_out_range import InOutRange

_BAND = QColor(59, 130, 246, 90)
_MARK = QColor(59, 130, 246)


class RangeSlider(QSlider):
    def __init__(self, in_out: InOutRange, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.in_out = in_out
        in_out.range_changed.connect(self._on_range)
        self._update_tip()

    def _on_range(self) -> None:
        self._update_tip()
        self.update()

    def _update_tip(self) -> None:
        base = "Scrub: drag to any frame (←/→ step one frame)"
        if self.in_out.active:
            base += f"\nIn/out range: {self.in_out.describe()} (I/O set, Shift+I/O clear)"
        self.setToolTip(base)

    def x_of(self, frame: int) -> int:
        """Horizontal pixel of ``frame``'s position on the groove."""
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        style = self.style()
        groove = style.subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderGroove, self
        )
        handle = style.subControlRect(
            QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, self
        )
        span = max(1, groove.width() - handle.width())
        pos = QStyle.sliderPositionFromValue(self.minimum(), self.maximum(), frame, span)
        return groove.x() + handle.width() // 2 + pos

    def range_rect(self) -> QRect | None:
        """Where the band is drawn, or None without marks."""
        if not self.in_out.active or self.maximum() <= self.minimum():
            return None
        start, end = self.in_out.span()
        left, right = self.x_of(start), self.x_of(end)
        return QRect(left, 2, max(2, right - left), self.height() - 4)

    def paintEvent(self, event: QPaintEvent) -> None:
        band = self.range_rect()
        if band is not None:
            painter = QPainter(self)
            painter.fillRect(band, _BAND)
            if self.in_out.in_frame is not None:
                painter.fillRect(QRect(band.left(), band.top(), 2, band.height()), _MARK)
            if self.in_out.out_frame is not None:
                painter.fillRect(QRect(band.right() - 1, band.top(), 2, band.height()), _MARK)
            painter.end()
        super().paintEvent(event)  # the groove and the handle on top of the band
