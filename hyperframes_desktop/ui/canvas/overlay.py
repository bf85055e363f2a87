"""What the canvas draws over the stage: the selection's boxes with handles, the marquee
and the smart guides. Transparent for the mouse (the stage's click catcher gets it) and
never captured (renders and stage grabs read the page itself)."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

HANDLE = 7.0  # px, the side of a resize handle
_BLUE = QColor(59, 130, 246)
_GUIDE = QColor(236, 72, 153)


class CanvasOverlay(QWidget):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground, True)
        self.setAttribute(Qt.WidgetAttribute.WA_TranslucentBackground, True)
        self.boxes: list[QRectF] = []  # selection, in this widget's pixels
        self.marquee: QRectF | None = None
        self.guides: list[QLineF] = []
        self.paints = 0  # paint count (bench)
        self.hide()

    def show_state(
        self,
        boxes: list[QRectF],
        marquee: QRectF | None = None,
        guides: list[QLineF] | None = None,
    ) -> None:
        self.boxes, self.marquee, self.guides = boxes, marquee, guides or []
        self.setVisible(bool(boxes or marquee or self.guides))
        self.raise_()
        self.update()

    @staticmethod
    def handles(box: QRectF) -> dict[str, QRectF]:
        """The grips of a box: eight resize handles and the rotate knob above it."""
        h = HANDLE
        xs = {"l": box.left(), "c": box.center().x(), "r": box.right()}
        ys = {"t": box.top(), "m": box.center().y(), "b": box.bottom()}
        out = {
            f"{v}{u}": QRectF(xs[u] - h / 2, ys[v] - h / 2, h, h)
            for v in ("t", "m", "b")
            for u in ("l", "c", "r")
            if not (v == "m" and u == "c")
        }
        out["rotate"] = QRectF(box.center().x() - h / 2, box.top() - 4 * h, h, h)
        return out

    def paintEvent(self, _event) -> None:
        self.paints += 1
        p = QPainter(self)
        pen = QPen(_BLUE, 1.5)
        p.setPen(pen)
        for box in self.boxes:
            p.drawRect(box)
            if len(self.boxes) == 1:
                p.drawLine(
                    QPointF(box.center().x(), box.top()), self.handles(box)["rotate"].center()
                )
                for grip in self.handles(box).values():
                    p.fillRect(grip, QColor(255, 255, 255))
                    p.drawRect(grip)
        if self.marquee is not None:
            p.setPen(QPen(_BLUE, 1, Qt.PenStyle.DashLine))
            p.fillRect(self.marquee, QColor(59, 130, 246, 40))
            p.drawRect(self.marquee)
        if self.guides:
            p.setPen(QPen(_GUIDE, 1))
            for line in self.guides:
                p.drawLine(line)
        p.end()
