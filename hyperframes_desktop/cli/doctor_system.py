"""``doctor`` checks of the installation and the session: the app and Python versions, the
Chromium sandbox, the bundled fonts, software WebGL, the display and telemetry."""

from __future__ import annotations

import os
import platform
import sys

from hyperframes_desktop import __version__, resource_paths
from hyperframes_desktop.cli.doctor_check import ERROR, OK, WARNING, Check, split_fix
from hyperframes_desktop.cli.studio_cmd import has_display
from hyperframes_desktop.render.fonts import BundledFontsMissing, bundled_fonts_dir, typefaces
from hyperframes_desktop.render.qt_env import (
    DEFAULT_SWIFTSHADER_DIR,
    SOFTWARE_WEBGL_ENV,
    SWIFTSHADER_DIR_ENV,
    find_swiftshader,
    running_as_root,
    software_webgl,
)
from hyperframes_desktop.telemetry import gates


def install_kind() -> str:
    """``bundle`` (PyInstaller, .deb), ``installed`` (wheel, pipx, pip), ``checkout`` (source
    or editable install) or ``incomplete`` (no resources found)."""
    resources = resource_paths.find_resources_dir()
    if resources is None:
        return "incomplete"
    if getattr(sys, "frozen", False):
        return "bundle"
    return "installed" if resource_paths.is_installed(resources) else "checkout"


def check_app() -> Check:
    kind = install_kind()
    package = str(resource_paths.package_dir())
    return Check(
        "app",
        "HyperFrames Desktop",
        OK,
        f"{__version__} ({kind}: {package})",
        data={"version": __version__, "package": package, "install": kind},
    )


def check_python() -> Check:
    version = platform.python_version()
    return Check(
        "python",
        "Python",
        OK,
        f"{version} ({sys.executable})",
        data={"version": version, "executable": sys.executable},
    )


def check_sandbox() -> Check:
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "").split()
    disabled_by_env = bool(os.environ.get("QTWEBENGINE_DISABLE_SANDBOX")) or "--no-sandbox" in flags
    if running_as_root():
        return Check(
            "sandbox",
            "Chromium sandbox",
            OK,
            "off: running as root, where Chromium cannot use its sandbox (expected in CI and "
            "containers; run as a normal user to keep it on)",
            data={"enabled": False, "reason": "root"},
        )
    if disabled_by_env:
        return Check(
            "sandbox",
            "Chromium sandbox",
            WARNING,
            "off: disabled by QTWEBENGINE_DISABLE_SANDBOX or --no-sandbox in "
            "QTWEBENGINE_CHROMIUM_FLAGS",
            "unset QTWEBENGINE_DISABLE_SANDBOX and drop --no-sandbox from "
            "QTWEBENGINE_CHROMIUM_FLAGS, so pages render inside the sandbox",
            {"enabled": False, "reason": "environment"},
        )
    return Check("sandbox", "Chromium sandbox", OK, "on", data={"enabled": True, "reason": None})


def check_fonts() -> Check:
    try:
        folder = bundled_fonts_dir()
    except BundledFontsMissing as exc:
        problem, fix = split_fix(str(exc))
        return Check("fonts", "Bundled fonts", ERROR, problem, fix, {"found": False})
    try:
        faces = typefaces()
    except BundledFontsMissing as exc:
        problem, fix = split_fix(str(exc))
        return Check("fonts", "Bundled fonts", ERROR, problem, fix, {"found": False})
    names = list(faces)
    files = [f"npm/{p.package}/{f.file}" for p in faces.values() for f in p.faces]
    return Check(
        "fonts",
        "Bundled fonts",
        OK,
        f"{', '.join(names)} ({len(files)} files) in {folder}",
        data={"found": True, "folder": str(folder), "fonts": names, "files": files},
    )


def check_webgl() -> Check:
    """Which rasterizer draws WebGL in renders: SwiftShader (HyperFrames' pixels) or llvmpipe."""
    found = find_swiftshader()
    if software_webgl() == "swiftshader" and found is not None:
        return Check(
            "webgl", "Software WebGL", OK,
            f"SwiftShader ({found.icd.parent}), as HyperFrames draws WebGL",
            data={"backend": "swiftshader", "folder": str(found.icd.parent)},
        )  # fmt: skip
    if found is not None:  # asked for llvmpipe
        return Check(
            "webgl", "Software WebGL", OK,
            f"Mesa llvmpipe (asked for by {SOFTWARE_WEBGL_ENV})",
            data={"backend": "llvmpipe", "folder": str(found.icd.parent)},
        )  # fmt: skip
    folder = os.environ.get(SWIFTSHADER_DIR_ENV) or DEFAULT_SWIFTSHADER_DIR
    return Check(
        "webgl", "Software WebGL", WARNING,
        f"Mesa llvmpipe: SwiftShader was not found in {folder}, so WebGL pages render, but "
        "shaders that depend on float precision can come out unlike HyperFrames' renders and "
        "unlike other machines'",
        "install chromium-common (sudo apt install chromium-common), or set "
        f"{SWIFTSHADER_DIR_ENV} to a folder holding libvk_swiftshader.so, "
        "vk_swiftshader_icd.json and libvulkan.so.1",
        {"backend": "llvmpipe", "folder": None},
    )  # fmt: skip


def display_description() -> str:
    """What the studio would show its window on (when :func:`has_display` says there is one)."""
    platform_name = os.environ.get("QT_QPA_PLATFORM", "")
    if platform_name.startswith(("offscreen", "minimal", "vnc")):
        return f"QT_QPA_PLATFORM={platform_name} (no visible window)"
    for variable in ("WAYLAND_DISPLAY", "DISPLAY"):
        if os.environ.get(variable):
            return f"{variable}={os.environ[variable]}"
    return "the desktop session"


def check_display() -> Check:
    if has_display():  # the studio command's own rule
        shown = display_description()
        return Check("display", "Display", OK, shown, data={"display": shown})
    return Check(
        "display",
        "Display",
        WARNING,
        "none (no DISPLAY or WAYLAND_DISPLAY): the studio cannot open; renders still work",
        "run the studio in a desktop session (or set QT_QPA_PLATFORM=offscreen for headless "
        "use); to render without a display use: hyperframes-desktop render PROJECT",
        {"display": None},
    )


def check_telemetry() -> Check:
    state = gates.telemetry_state()
    decided = (
        f"env var {state.decided_by}"
        if state.decided_by in gates.OPT_OUT_ENV_VARS
        else state.decided_by
    )
    return Check(
        "telemetry",
        "Telemetry",
        OK,
        f"{'on' if state.enabled else 'off'} ({decided}: {state.reason})",
        data={"enabled": state.enabled, "decided_by": state.decided_by, "reason": state.reason},
    )
