"""The selection outline over the preview: a transparent widget above the page, so it is
seen in the studio and never captured (renders and stage grabs read the page itself)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget


class SelectionOverlay(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground, True)
        self.rect_px: QRectF | None = None  # in this widget's pixels
        self.label = ""
        self.dimmed = False  # the element is hidden at this frame
        self.hide()

    def show_rect(self, rect: QRectF | None, label: str = "", dimmed: bool = False) -> None:
        self.rect_px = rect
        self.label = label
        self.dimmed = dimmed
        self.setVisible(rect is not None)
        self.raise_()
        self.update()

    def paintEvent(self, _event) -> None:
        if self.rect_px is None:
            return
        p = QPainter(self)
        colour = QColor(250, 204, 21) if not self.dimmed else QColor(161, 161, 170)
        pen = QPen(colour, 2)
        if self.dimmed:
            pen.setStyle(Qt.PenStyle.DashLine)
        p.setPen(pen)
        p.drawRect(self.rect_px.adjusted(1, 1, -1, -1))
        if self.label:
            metrics = p.fontMetrics()
            w = metrics.horizontalAdvance(self.label) + 8
            top = max(0.0, self.rect_px.top() - metrics.height() - 2)
            p.fillRect(QRectF(self.rect_px.left(), top, w, metrics.height() + 2), colour)
            p.setPen(QColor(24, 24, 27))
            p.drawText(int(self.rect_px.left() + 4), int(top + metrics.ascent() + 1), self.label)
        p.end()
