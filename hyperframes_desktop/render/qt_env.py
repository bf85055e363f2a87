"""Environment that every QtWebEngine process of ours needs (render worker and studio).

Kept Qt-free: it only prepares environment variables, which must be set before
QtWebEngine starts. It is also the one place that decides how pages get WebGL
(:func:`webgl_mode`):

- ``software`` (capture processes, and the studio on a machine without a GPU): Chromium's
  GPU stays off (compositing exactly as before) and WebGL runs through ANGLE
  (``--use-gl=angle``) on a software rasterizer. PySide6's QtWebEngine ships no SwiftShader,
  so ANGLE's ``swiftshader`` choice (also passed, for builds that have it) falls back to the
  system's OpenGL, which this mode pins to Mesa's llvmpipe (``LIBGL_ALWAYS_SOFTWARE`` and
  glvnd's Mesa vendor file): shader and three.js pages draw, identically run to run, and
  never on a GPU whose pixels would differ between machines (farm workers included);
- ``gpu`` (the studio preview where a GPU render node exists): WebGL through ANGLE on the
  system's GPU driver;
- ``off``: no WebGL at all (``getContext("webgl")`` returns null), the old behaviour.

``HYPERFRAMES_WEBGL=auto|software|gpu|off`` overrides the choice (``gpu`` for renders trades
machine-independent pixels for speed on heavy WebGL pages).
"""

from __future__ import annotations

import glob
import os
from collections.abc import MutableMapping

WEBGL_ENV = "HYPERFRAMES_WEBGL"
WEBGL_MODES = ("auto", "software", "gpu", "off")

# No background traffic: updates, safe-browsing, component downloads.
_BASE_FLAGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--disable-sync",
    "--no-first-run",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
)
_WEBGL_FLAGS = {
    # GPU off (compositing exactly as before); WebGL through ANGLE on a software rasterizer.
    "software": (
        "--disable-gpu",
        "--use-gl=angle",
        "--use-angle=swiftshader",
        "--enable-unsafe-swiftshader",
    ),
    "gpu": ("--use-gl=angle", "--enable-unsafe-swiftshader"),
    "off": ("--disable-gpu",),
}
#: glvnd's vendor file for Mesa: software WebGL must not reach a proprietary GPU driver.
_MESA_EGL_VENDOR = "/usr/share/glvnd/egl_vendor.d/50_mesa.json"


def _pin_software_gl(env: MutableMapping[str, str]) -> None:
    env.setdefault("LIBGL_ALWAYS_SOFTWARE", "1")
    if os.path.isfile(_MESA_EGL_VENDOR):
        env.setdefault("__EGL_VENDOR_LIBRARY_FILENAMES", _MESA_EGL_VENDOR)


def has_gpu() -> bool:
    """True when a GPU render node is usable (``/dev/dri/renderD*`` readable and writable)."""
    return any(os.access(node, os.R_OK | os.W_OK) for node in glob.glob("/dev/dri/renderD*"))


def webgl_mode(env: MutableMapping[str, str] | None = None, *, offscreen: bool = False) -> str:
    """``software``, ``gpu`` or ``off``: how a QtWebEngine process of ours gets WebGL.

    By default capture processes (``offscreen``) use software WebGL, for pixels that do not
    depend on the machine; the studio uses the GPU where one exists.
    """
    env = os.environ if env is None else env
    wanted = env.get(WEBGL_ENV, "auto").strip().lower() or "auto"
    if wanted not in WEBGL_MODES:
        wanted = "auto"
    if wanted != "auto":
        return wanted
    display = env.get("QT_QPA_PLATFORM", "")
    if offscreen or display.startswith(("offscreen", "minimal")) or not has_gpu():
        return "software"
    return "gpu"


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def configure_qtwebengine_env(
    env: MutableMapping[str, str] | None = None, *, offscreen: bool = False
) -> MutableMapping[str, str]:
    """Fill ``env`` (default ``os.environ``) for a QtWebEngine process.

    ``offscreen`` marks a capture process. WebGL follows :func:`webgl_mode`. The Chromium
    sandbox is disabled only when running as root, where Chromium refuses to
    start with it.
    """
    env = os.environ if env is None else env
    flags = env.get("QTWEBENGINE_CHROMIUM_FLAGS", "").split()
    mode = webgl_mode(env, offscreen=offscreen)
    wanted = list(_BASE_FLAGS) + list(_WEBGL_FLAGS[mode])
    if mode == "software":
        _pin_software_gl(env)
    for flag in wanted:
        option = flag.split("=", 1)[0] + "="
        if "=" in flag and any(f.startswith(option) for f in flags):
            continue  # the user chose that option's value: keep theirs
        if flag not in flags:
            flags.append(flag)
    if running_as_root():
        env["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
        if "--no-sandbox" not in flags:
            flags.append("--no-sandbox")
    env["QTWEBENGINE_CHROMIUM_FLAGS"] = " ".join(flags)
    if offscreen:
        env["QT_QPA_PLATFORM"] = "offscreen"
        # Force 1:1 pixels whatever the desktop's scale factor: the grab must be frame-sized.
        env["QT_SCALE_FACTOR"] = "1"
        env["QT_ENABLE_HIGHDPI_SCALING"] = "0"
        env.pop("QT_SCREEN_SCALE_FACTORS", None)
    env.setdefault("QT_QUICK_BACKEND", "software")
    env.setdefault("QT_LOGGING_RULES", "qt.webenginecontext.debug=false")
    return env
