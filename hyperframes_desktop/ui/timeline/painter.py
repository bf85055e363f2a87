"""Paint the timeline: ruler, track headers, clip bars (only the visible ones), waveforms,
playhead and snap line. Labels are rendered once into small pixmaps and blitted."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QPixmap

from hyperframes_desktop.ui.timeline.geometry import TimeScale, format_ruler_time, ruler_ticks
from hyperframes_desktop.ui.timeline.rows import Bar, Row

RULER_H = 34
ROW_H = 28
HEADER_W = 132
EDGE_PX = 6
BAR_PAD = 3

BACKGROUND = QColor(24, 24, 27)
ROW_ALT = QColor(30, 30, 34)
HEADER_BG = QColor(39, 39, 42)
RULER_BG = QColor(44, 44, 48)
TEXT = QColor(228, 228, 231)
DIM = QColor(161, 161, 170)
PLAYHEAD = QColor(239, 68, 68)
SNAP = QColor(250, 204, 21)
SELECTED = QColor(255, 255, 255)
KIND_COLOURS = {
    "element": QColor(59, 130, 246),
    "composition": QColor(139, 92, 246),
    "video": QColor(217, 119, 6),
    "audio": QColor(16, 185, 129),
}

#: peaks(audio span, first second, seconds per column, columns) -> heights 0..1, or None
PeakSource = Callable[[object, float, float, int], list[float] | None]


class TimelinePainter:
    def __init__(self) -> None:
        self.font = QFont()
        self.font.setPointSizeF(8.5)
        self.small = QFont(self.font)
        self.small.setPointSizeF(7.0)
        self.metrics = QFontMetrics(self.font)
        self._labels: dict[tuple[str, bool], QPixmap] = {}

    def label(self, text: str, bold: bool = False) -> QPixmap:
        """``text`` drawn once (white on transparent), reused at every zoom."""
        key = (text, bold)
        pixmap = self._labels.get(key)
        if pixmap is None:
            if len(self._labels) > 4000:
                self._labels.clear()
            font = QFont(self.font)
            font.setBold(bold)
            metrics = QFontMetrics(font)
            pixmap = QPixmap(max(1, metrics.horizontalAdvance(text) + 2), metrics.height())
            pixmap.fill(Qt.GlobalColor.transparent)
            p = QPainter(pixmap)
            p.setFont(font)
            p.setPen(TEXT)
            p.drawText(0, metrics.ascent(), text)
            p.end()
            self._labels[key] = pixmap
        return pixmap

    # ---- whole widget ---------------------------------------------------------------------
    def paint(
        self,
        p: QPainter,
        size: tuple[int, int],
        scale: TimeScale,
        rows: list[Row],
        v_offset: int,
        state: PaintState,
    ) -> None:
        width, height = size
        p.fillRect(0, 0, width, height, BACKGROUND)
        top_row = max(0, v_offset // ROW_H)
        bottom_row = min(len(rows), (v_offset + height - RULER_H) // ROW_H + 1)
        p.setClipRect(HEADER_W, RULER_H, width - HEADER_W, height - RULER_H)
        for index in range(top_row, bottom_row):
            if index % 2:
                y = RULER_H + index * ROW_H - v_offset
                p.fillRect(HEADER_W, y, width - HEADER_W, ROW_H, ROW_ALT)
        self.bars(p, scale, rows, top_row, bottom_row, v_offset, state)
        if state.dragged is not None and state.drag_row is not None:
            y = RULER_H + state.drag_row * ROW_H - v_offset
            self.bar(p, scale, state.dragged, y, True, state, ghost=True)
        p.setClipping(False)
        self.headers(p, rows, top_row, bottom_row, v_offset, height, state)
        self.ruler(p, width, scale, state.in_out)
        self.marker(p, scale, state.playhead, PLAYHEAD, height, width)
        if state.snap_frame is not None:
            self.marker(p, scale, state.snap_frame, SNAP, height, width, head=False)

    # ---- parts ------------------------------------------------------------------------
    def bars(
        self,
        p: QPainter,
        scale: TimeScale,
        rows: list[Row],
        top: int,
        bottom: int,
        v_offset: int,
        state: PaintState,
    ) -> None:
        """Every visible bar: plain ones batched (one drawRects/drawLines per colour, labels
        blitted), selected, audio and host bars one by one on top."""
        first, last = scale.visible_frames()
        ppf = scale.px_per_frame
        base = HEADER_W - scale.offset
        left_limit, right_limit = HEADER_W - 2.0, state.width + 2.0
        height = ROW_H - 2 * BAR_PAD
        dragged = state.dragged.key if state.dragged is not None else None
        fills: dict[tuple[str, bool], list[QRectF]] = {}
        edges: dict[tuple[str, bool], list[QLineF]] = {}
        labels: list[tuple[int, int, QPixmap, int]] = []
        special: list[tuple[Bar, int]] = []
        for index in range(top, bottom):
            y = RULER_H + index * ROW_H - v_offset
            for bar in rows[index].visible(first, last):
                if bar.key == dragged:
                    continue
                if bar.audio is not None or bar.host or state.is_selected(bar.key):
                    special.append((bar, y))
                    continue
                x0 = base + bar.start * ppf
                x1 = base + bar.end * ppf
                left = x0 if x0 > left_limit else left_limit
                right = x1 if x1 < right_limit else right_limit
                w = right - left if right - left >= 1 else 1.0
                style = (bar.kind, bar.editable)
                fills.setdefault(style, []).append(QRectF(left, y + BAR_PAD, w, height))
                if w > 3:
                    edges.setdefault(style, []).append(
                        QLineF(x0 + 0.5, y + BAR_PAD, x0 + 0.5, y + BAR_PAD + height)
                    )
                text_x = (x0 if x0 > HEADER_W else HEADER_W) + 5
                room = int(right - text_x - 3)
                if room > 6:
                    labels.append((int(text_x), y, self.label(bar.label), room))
        p.setPen(Qt.PenStyle.NoPen)
        for style, rects in fills.items():
            p.setBrush(self.fill_colour(*style))
            p.drawRects(rects)
        p.setBrush(Qt.BrushStyle.NoBrush)
        for style, lines in edges.items():
            p.setPen(QPen(self.fill_colour(*style).darker(160), 1))
            p.drawLines(lines)
        for x, y, label, room in labels:
            ty = y + (ROW_H - label.height()) // 2
            p.drawPixmap(x, ty, label, 0, 0, min(room, label.width()), label.height())
        for bar, y in special:
            self.bar(p, scale, bar, y, state.is_selected(bar.key), state)

    @staticmethod
    def fill_colour(kind: str, editable: bool) -> QColor:
        colour = KIND_COLOURS.get(kind, KIND_COLOURS["element"])
        return colour if editable else colour.darker(140)

    def bar(
        self,
        p: QPainter,
        scale: TimeScale,
        bar: Bar,
        y: int,
        selected: bool,
        state: PaintState,
        ghost: bool = False,
    ) -> None:
        x0 = HEADER_W + scale.x_of(bar.start)
        x1 = HEADER_W + scale.x_of(bar.end)
        left, right = max(x0, HEADER_W - 2.0), min(x1, float(state.width + 2))
        if right - left < 1:
            right = left + 1
        rect = QRectF(left, y + BAR_PAD, right - left, ROW_H - 2 * BAR_PAD)
        colour = self.fill_colour(bar.kind, bar.editable)
        p.fillRect(rect, colour.darker(115) if ghost else colour)
        if bar.audio is not None and rect.width() > 4:
            self.waveform(p, scale, bar, rect, state)
        if selected:
            p.setPen(QPen(SELECTED, 2))
            p.drawRect(rect.adjusted(1, 1, -1, -1))
        elif rect.width() > 3:
            p.setPen(QPen(colour.darker(160), 1))
            p.drawLine(QLineF(x0 + 0.5, rect.top(), x0 + 0.5, rect.bottom()))
        text_x = max(x0, float(HEADER_W)) + 5
        if bar.host and x0 >= HEADER_W - 1 and rect.width() > 16:
            p.setPen(TEXT)
            p.setFont(self.font)
            arrow = "▸" if bar.key in state.collapsed else "▾"
            p.drawText(int(x0) + 8, int(y + ROW_H / 2 + 4), arrow)
            text_x += 14
        room = int(right - text_x - 3)
        if room > 6:
            label = self.label(bar.label, selected)
            ty = int(y + (ROW_H - label.height()) / 2)
            p.drawPixmap(int(text_x), ty, label, 0, 0, min(room, label.width()), label.height())

    def waveform(
        self, p: QPainter, scale: TimeScale, bar: Bar, rect: QRectF, state: PaintState
    ) -> None:
        audio = bar.audio
        columns = int(rect.width())
        if audio is None or state.peaks is None or columns < 2:
            return
        fps = float(scale.fps)
        first_frame = scale.frame_at(rect.left() - HEADER_W)
        start_s = audio.media_start + (first_frame - bar.start) / fps * audio.rate
        per_column = audio.rate / (fps * scale.px_per_frame)
        heights = state.peaks(audio, start_s, per_column, columns)
        if not heights:
            return
        mid = rect.center().y()
        half = rect.height() / 2 - 1
        left = rect.left()
        lines = [
            QLineF(left + i, mid - h * half, left + i, mid + h * half)
            for i, h in enumerate(heights)
            if h > 0.003
        ]
        p.setPen(QPen(QColor(6, 78, 59), 1))
        p.drawLines(lines)

    def headers(
        self,
        p: QPainter,
        rows: list[Row],
        top: int,
        bottom: int,
        v_offset: int,
        height: int,
        state: PaintState,
    ) -> None:
        p.fillRect(0, RULER_H, HEADER_W, height - RULER_H, HEADER_BG)
        p.setFont(self.font)
        p.setClipRect(0, RULER_H, HEADER_W, height - RULER_H)
        for index in range(top, bottom):
            row = rows[index]
            y = RULER_H + index * ROW_H - v_offset
            p.setPen(DIM if row.depth else TEXT)
            indent = 8 + 12 * row.depth
            p.drawText(
                QRectF(indent, y, HEADER_W - indent - 4, ROW_H),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                self.metrics.elidedText(row.label, Qt.TextElideMode.ElideMiddle, HEADER_W - indent),
            )
            flags = state.track_flags.get((row.scope, row.track), set())
            for flag, box in track_switches(y).items():
                on = flag in flags
                p.fillRect(box, QColor(250, 204, 21) if on else QColor(63, 63, 70))
                p.setPen(QColor(24, 24, 27) if on else DIM)
                p.drawText(box, Qt.AlignmentFlag.AlignCenter, flag[0].upper())
            p.setPen(QColor(52, 52, 58))
            p.drawLine(0, y + ROW_H - 1, state.width, y + ROW_H - 1)
        p.setClipping(False)
        p.setPen(QColor(63, 63, 70))
        p.drawLine(HEADER_W - 1, RULER_H, HEADER_W - 1, height)

    def ruler(self, p: QPainter, width: int, scale: TimeScale, in_out) -> None:
        p.fillRect(0, 0, width, RULER_H, RULER_BG)
        p.setClipRect(HEADER_W, 0, width - HEADER_W, RULER_H)
        end_x = HEADER_W + scale.x_of(scale.frame_count)
        if end_x < width:
            p.fillRect(QRectF(end_x, 0, width - end_x, RULER_H), BACKGROUND)
        if in_out is not None:
            a = HEADER_W + scale.x_of(in_out[0])
            b = HEADER_W + scale.x_of(in_out[1] + 1)
            p.fillRect(QRectF(a, RULER_H - 6, b - a, 6), QColor(56, 189, 248, 160))
        ticks = ruler_ticks(scale.px_per_frame, scale.fps)
        first, last = scale.visible_frames()
        last = min(last, float(scale.frame_count))
        p.setPen(DIM)
        minor_lines = []
        k = max(0, int(first // ticks.minor))
        while k * ticks.minor <= last:
            x = HEADER_W + scale.x_of(round(k * ticks.minor))
            minor_lines.append(QLineF(x, RULER_H - 5, x, RULER_H))
            k += 1
            if len(minor_lines) > 2000:
                break
        p.drawLines(minor_lines)
        k = max(0, int(first // ticks.major))
        while k * ticks.major <= last:
            frame = round(k * ticks.major)
            x = HEADER_W + scale.x_of(frame)
            p.setPen(DIM)
            p.drawLine(QLineF(x, 4, x, RULER_H))
            p.setPen(TEXT)
            p.setFont(self.font)
            p.drawText(int(x) + 4, 14, format_ruler_time(frame, scale.fps))
            p.setPen(DIM)
            p.setFont(self.small)
            p.drawText(int(x) + 4, 26, f"{frame}")
            k += 1
        p.setClipping(False)
        p.fillRect(0, 0, HEADER_W, RULER_H, RULER_BG)
        p.setPen(DIM)
        p.setFont(self.small)
        p.drawText(
            QRectF(8, 0, HEADER_W - 8, RULER_H), Qt.AlignmentFlag.AlignVCenter, "time / frame"
        )
        p.setPen(QColor(63, 63, 70))
        p.drawLine(0, RULER_H - 1, width, RULER_H - 1)

    def marker(
        self,
        p: QPainter,
        scale: TimeScale,
        frame: float,
        colour: QColor,
        height: int,
        width: int,
        head: bool = True,
    ) -> None:
        x = HEADER_W + scale.x_of(frame)
        if x < HEADER_W - 1 or x > width:
            return
        p.setPen(QPen(colour, 1 if head else 1.5))
        p.drawLine(QLineF(x, 0 if head else RULER_H, x, height))
        if head:
            p.fillRect(QRectF(x - 4, 0, 9, 8), colour)


def track_switches(y: float) -> dict[str, QRectF]:
    """The Hide, Solo and Mute switches at the right of a track header whose row starts
    at y."""
    size = 14.0
    top = y + (ROW_H - size) / 2
    return {
        "hide": QRectF(HEADER_W - 3 * size - 12, top, size, size),
        "solo": QRectF(HEADER_W - 2 * size - 8, top, size, size),
        "mute": QRectF(HEADER_W - size - 4, top, size, size),
    }


class PaintState:
    """Everything besides geometry and rows that decides the picture."""

    def is_selected(self, key: str) -> bool:
        return key == self.selected or key in self.also_selected

    def __init__(self) -> None:
        self.width = 1
        self.playhead = 0
        self.selected: str | None = None
        self.also_selected: frozenset[str] = frozenset()  # a multi-selection's other clips
        #: (scope, track) -> {"hide", "solo", "mute"}: the preview-only track switches
        self.track_flags: dict[tuple[str, int], set[str]] = {}
        self.dragged: Bar | None = None  # the transient override while dragging
        self.drag_row: int | None = None
        self.snap_frame: int | None = None
        self.in_out: tuple[int, int] | None = None
        self.peaks: PeakSource | None = None
        self.fps = Fraction(30)
        self.collapsed: set[str] = set()  # hosts whose tracks are hidden
