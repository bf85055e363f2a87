"""The one place that finds the application's bundled resources (fonts, demo, icons, desktop entry).

``resources/`` lives at the top of the source tree and is mapped into the package as
``hyperframes_desktop/resources`` when a wheel or sdist is built (see setup.py), and the same
way into the PyInstaller bundle (packaging/hyperframes-desktop.spec), which the .deb installs.
So there are only two places to look, in this order:

1. ``<package>/resources``: a wheel, pipx, ``pip install .``, the frozen bundle, the .deb;
2. ``<package>/../resources``: a source checkout or an editable install.

A folder counts only when it holds our icon, so an unrelated ``resources`` folder next to
the package (``site-packages/resources`` from some other distribution) is never taken.
Qt-free: the renderer, the studio and the CLI all use it.
"""

from __future__ import annotations

from pathlib import Path

import hyperframes_desktop

APP_ID = "hyperframes-desktop"
#: A file only our resources folder has; it marks a candidate folder as ours.
_MARKER = Path("icons") / f"{APP_ID}.svg"
#: How to fix an install without resources, for every message that needs it.
REINSTALL_FIX = (
    "reinstall HyperFrames Desktop from its wheel, sdist or package "
    "(e.g. pip install --force-reinstall hyperframes-desktop), or run it from a source "
    "checkout that has the resources/ folder"
)


class ResourcesMissing(FileNotFoundError):
    """No bundled resources folder was found: the install is incomplete."""


def package_dir() -> Path:
    return Path(hyperframes_desktop.__file__).resolve().parent


def candidates() -> list[Path]:
    """Where the resources folder may be, most specific first."""
    package = package_dir()
    return [package / "resources", package.parent / "resources"]


def find_resources_dir() -> Path | None:
    """The bundled resources folder, or None for an incomplete install."""
    for folder in candidates():
        if (folder / _MARKER).is_file():
            return folder
    return None


def resources_dir() -> Path:
    """The bundled resources folder; :class:`ResourcesMissing` says where it looked."""
    folder = find_resources_dir()
    if folder is None:
        searched = " and ".join(str(c) for c in candidates())
        raise ResourcesMissing(
            f"The bundled resources folder was not found (looked in {searched}). "
            f"Fix: {REINSTALL_FIX}."
        )
    return folder


def is_installed(path: Path) -> bool:
    """True when ``path`` lies inside the installed package (a wheel, the bundle, the .deb),
    which the app must never write into; False in a source checkout."""
    return path.resolve().is_relative_to(package_dir())


def _optional(*parts: str) -> Path | None:
    folder = find_resources_dir()
    if folder is None:
        return None
    path = folder.joinpath(*parts)
    return path if path.exists() else None


def fonts_dir() -> Path | None:
    """``resources/fonts``: the bundled WOFF2 fonts (render/fonts.py checks each file)."""
    return _optional("fonts")


def demo_dir() -> Path | None:
    """``resources/demo``: the demo project the studio opens first (read-only when installed)."""
    demo = _optional("demo")
    return demo if demo is not None and (demo / "index.html").is_file() else None


def icon_files() -> list[Path]:
    """The app icon as SVG and PNG (the PNG serves builds without the SVG image plugin)."""
    icons = _optional("icons")
    if icons is None:
        return []
    names = (f"{APP_ID}.svg", f"{APP_ID}.png")
    return [icons / name for name in names if (icons / name).is_file()]


def desktop_entry() -> Path | None:
    """``resources/hyperframes-desktop.desktop``: the freedesktop.org launcher entry."""
    return _optional(f"{APP_ID}.desktop")
