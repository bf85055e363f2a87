"""Seek one compiled page through frames in a GIVEN order (e.g. a studio-like scrub from the
end backwards) and save each grabbed stage as a PNG: the same view, page and frame-exact grab
the capture worker uses, without its in-order frame loop.

    python tests/support/scrub.py [--scale S] [--whole] PROJECT OUT_DIR FRAME [FRAME ...]

Writes OUT_DIR/frame_NNNNNN.png for every frame (the last grab of a frame wins): the stage,
or with --whole the view's whole grab (the frame strip's rows below the stage included), at
the view scale S (default 1).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    from hyperframes_desktop.render.qt_env import configure_qtwebengine_env

    configure_qtwebengine_env(offscreen=True)
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "").split()
    for flag in ("--single-process", "--disable-threaded-animation", "--mute-audio"):
        if flag not in flags:
            flags.append(flag)
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = " ".join(flags)

    from PySide6.QtCore import QEventLoop, QTimer, QUrl
    from PySide6.QtWidgets import QApplication

    from hyperframes_desktop.project import load_composition
    from hyperframes_desktop.render.compile import compile_page
    from hyperframes_desktop.render.page_status import page_is_ready
    from hyperframes_desktop.render.worker.pages import SeekableView, page_status, wait_until

    args, scale, whole = argv[1:], 1.0, False
    while args[0].startswith("--"):
        option = args.pop(0)
        if option == "--scale":
            scale = float(args.pop(0))
        elif option == "--whole":
            whole = True
        else:
            print(f"unknown option {option}", file=sys.stderr)
            return 2
    project, out_dir, frames = Path(args[0]), Path(args[1]), [int(f) for f in args[2:]]
    out_dir.mkdir(parents=True, exist_ok=True)
    app = QApplication(["scrub"])
    loop = QEventLoop()
    heartbeat = QTimer()
    heartbeat.setInterval(10)
    heartbeat.start()
    with tempfile.TemporaryDirectory() as scratch:
        page = compile_page(load_composition(project), Path(scratch))
        view = SeekableView(page.width, page.height, page.page_height, scale)
        view.load(QUrl.fromLocalFile(str(page.html_path)))
        web = view.page
        if not wait_until(loop, lambda: page_is_ready(page_status(web, loop)), 20):
            print("page never became ready", file=sys.stderr)
            return 2
        for frame in frames:
            view.send_seek(frame)
            deadline = time.monotonic() + 15
            image = None
            while image is None and time.monotonic() < deadline:
                loop.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)
                image = view.try_grab(force=time.monotonic() - view.sent_at > 0.03)
            if image is None:
                print(f"frame {frame} never painted", file=sys.stderr)
                return 2
            if not whole:
                image = image.copy(0, 0, round(page.width * scale), round(page.height * scale))
            image.save(str(out_dir / f"frame_{frame:06d}.png"))
        del view
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
