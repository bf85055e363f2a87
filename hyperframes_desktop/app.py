"""Start the studio: ``run_studio(project)`` (called by ``hyperframes-desktop [studio]``).

QtWebEngine's environment (and, as root only, the disabled sandbox) must be in place before
the QApplication exists, and QtWebEngineWidgets must be imported before it too.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from hyperframes_desktop import __version__
from hyperframes_desktop.render.qt_env import configure_qtwebengine_env

APP_DISPLAY_NAME = "HyperFrames Desktop"
ORGANIZATION = "HyperFrames"
ORGANIZATION_DOMAIN = "hyperframes.dev"
#: Save a PNG of the main window to this path once it has settled, then quit.
ENV_SCREENSHOT = "HYPERFRAMES_SCREENSHOT"


def initial_project(project: str | None) -> Path | None:
    """The given folder; else the last project if it still exists; else the bundled demo."""
    if project:
        return Path(project).expanduser()
    from hyperframes_desktop.ui import store
    from hyperframes_desktop.ui.paths import demo_project

    last = store.load_settings().last_project
    if last and Path(last).is_dir():
        return Path(last)
    return demo_project()


def create_application():
    """The QApplication with name, organisation and icon (created once per process)."""
    from hyperframes_desktop.qt_refcount import immortalize_singletons

    immortalize_singletons()  # before any Qt call: PySide6 6.12 on Python 3.11, see there
    configure_qtwebengine_env()
    import PySide6.QtWebEngineWidgets  # noqa: F401  (must precede the QApplication)
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from hyperframes_desktop.page_delivery import register_page_scheme
    from hyperframes_desktop.resource_paths import icon_files
    from hyperframes_desktop.ui.gui_gc import collect_on_gui_thread
    from hyperframes_desktop.ui.telemetry_bridge import install_metadata_hook

    app = QApplication.instance()
    if app is None:
        register_page_scheme()  # custom schemes are declared before the QApplication exists
        app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_DISPLAY_NAME)
    app.setApplicationDisplayName(APP_DISPLAY_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(ORGANIZATION)
    app.setOrganizationDomain(ORGANIZATION_DOMAIN)
    app.setDesktopFileName("hyperframes-desktop")
    icon = QIcon()
    for path in icon_files():
        icon.addFile(str(path))
    if not icon.isNull():
        app.setWindowIcon(icon)
    install_metadata_hook()
    collect_on_gui_thread(app)  # Qt objects in garbage are freed on their own thread
    return app


def run_studio(project: str | None) -> int:
    app = create_application()
    from hyperframes_desktop.ui.main_window import MainWindow

    screenshot = os.environ.get(ENV_SCREENSHOT, "").strip()
    window = MainWindow(initial_project(project), ask_notice=not screenshot)
    window.closed.connect(app.quit)
    if screenshot:
        from hyperframes_desktop.ui.screenshot import ScreenshotTaker

        window.resize(1440, 880)
        taker = ScreenshotTaker(
            window,
            Path(screenshot),
            window.preview,
            lambda: window.thumbnails.busy,
            window.timeline.select_topmost,
        )
        taker.start()
    window.show()
    code = int(app.exec())
    release_widgets()
    # The process is about to end and frees everything at once: without this the
    # interpreter's teardown walks every remaining object's reference cycles first
    # (0.4–0.6 s under load, most of the time between closing the window and exiting).
    gc.freeze()
    return code


def release_widgets() -> None:
    """Delete every window (and so every web page), then the web profile.

    QtWebEngine warns, and may crash at exit, when a profile dies before its pages.
    """
    import shiboken6
    from PySide6.QtWidgets import QApplication

    from hyperframes_desktop.ui.preview.page import release_profile

    for widget in QApplication.topLevelWidgets():
        if shiboken6.isValid(widget) and widget.parent() is None:
            shiboken6.delete(widget)
    release_profile()
