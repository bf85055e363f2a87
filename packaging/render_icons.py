"""Render the app's SVG icon to the PNG sizes of the hicolor theme (Qt's SVG renderer, offscreen).

usage: python packaging/render_icons.py ICON.svg OUT_DIR [SIZE ...]
writes OUT_DIR/<size>x<size>/apps/hyperframes-desktop.png for each size (default 48 128 256)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

NAME = "hyperframes-desktop"
DEFAULT_SIZES = (48, 128, 256)


def render(svg: Path, out_dir: Path, sizes: tuple[int, ...]) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])  # noqa: F841
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"error: {svg} is not a valid SVG")
    written = []
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out_dir / f"{size}x{size}" / "apps" / f"{NAME}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"error: could not write {target}")
        written.append(target)
    return written


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sizes = tuple(int(s) for s in sys.argv[3:]) or DEFAULT_SIZES
    for path in render(Path(sys.argv[1]), Path(sys.argv[2]), sizes):
        print(path)
