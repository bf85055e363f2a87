"""Environment that every QtWebEngine process of ours needs (render worker and studio).

Kept Qt-free: it only prepares environment variables, which must be set before
QtWebEngine starts. It is also the one place that decides how pages get WebGL
(:func:`webgl_mode`):

- ``software`` (capture processes, and the studio on a machine without a GPU): Chromium's
  GPU stays off (compositing exactly as before) and WebGL runs through ANGLE
  (``--use-gl=angle``) on a software rasterizer, never on a GPU whose pixels would differ
  between machines (farm workers included). Which rasterizer is :func:`software_webgl`:

  - **SwiftShader** (the default where it is installed), the one HyperFrames' Chrome draws
    WebGL with: ANGLE's Vulkan back end (``--use-angle=vulkan``) on SwiftShader's Vulkan
    driver. PySide6's QtWebEngine ships neither, Debian's ``chromium-common`` ships both
    (``/usr/lib/chromium``: ``libvk_swiftshader.so``, its ICD file and the Vulkan loader
    Chromium is built with). ``VK_ICD_FILENAMES`` names that driver alone, and that loader is
    loaded into this process before Chromium looks for ``libvulkan.so.1`` (the system's
    loader 1.3.239 crashed QtWebEngine's GPU thread with the same driver). Shaders whose
    result depends on float precision (``fract(sin(x) * 43758.5)`` noise) then draw as
    HyperFrames draws them;
  - **llvmpipe** (the fallback, or ``HYPERFRAMES_SOFTWARE_WEBGL=llvmpipe``): ANGLE's
    ``swiftshader`` choice, which this QtWebEngine lacks, falls back to the system's OpenGL,
    pinned to Mesa's llvmpipe (``LIBGL_ALWAYS_SOFTWARE`` and glvnd's Mesa vendor file).
- ``gpu`` (the studio preview where a GPU render node exists): WebGL through ANGLE on the
  system's GPU driver;
- ``off``: no WebGL at all (``getContext("webgl")`` returns null), the old behaviour.

``HYPERFRAMES_WEBGL=auto|software|gpu|off`` overrides the choice (``gpu`` for renders trades
machine-independent pixels for speed on heavy WebGL pages).
"""

from __future__ import annotations

import ctypes
import glob
import os
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path

WEBGL_ENV = "HYPERFRAMES_WEBGL"
WEBGL_MODES = ("auto", "software", "gpu", "off")
#: ``auto`` (SwiftShader where installed), ``swiftshader`` or ``llvmpipe``.
SOFTWARE_WEBGL_ENV = "HYPERFRAMES_SOFTWARE_WEBGL"
#: Where SwiftShader's Vulkan driver, its ICD file and a Vulkan loader live.
SWIFTSHADER_DIR_ENV = "HYPERFRAMES_SWIFTSHADER_DIR"
#: Debian's ``chromium-common`` (also pulled in by ``chromium``).
DEFAULT_SWIFTSHADER_DIR = "/usr/lib/chromium"

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
    # The same on SwiftShader's Vulkan driver (VK_ICD_FILENAMES names it alone).
    "swiftshader": (
        "--disable-gpu",
        "--use-gl=angle",
        "--use-angle=vulkan",
        "--enable-unsafe-swiftshader",
    ),
    "gpu": ("--use-gl=angle", "--enable-unsafe-swiftshader"),
    "off": ("--disable-gpu",),
}
#: The Chromium flags :func:`configure_qtwebengine_env` added (the rest are the user's).
_ADDED_FLAGS_ENV = "HYPERFRAMES_ADDED_CHROMIUM_FLAGS"
#: glvnd's vendor file for Mesa: software WebGL must not reach a proprietary GPU driver.
_MESA_EGL_VENDOR = "/usr/share/glvnd/egl_vendor.d/50_mesa.json"


def _pin_software_gl(env: MutableMapping[str, str]) -> None:
    env.setdefault("LIBGL_ALWAYS_SOFTWARE", "1")
    if os.path.isfile(_MESA_EGL_VENDOR):
        env.setdefault("__EGL_VENDOR_LIBRARY_FILENAMES", _MESA_EGL_VENDOR)


@dataclass(frozen=True)
class SwiftShader:
    """SwiftShader's Vulkan driver as installed: its ICD file and the loader to use it with."""

    icd: Path
    loader: Path


def find_swiftshader(env: MutableMapping[str, str] | None = None) -> SwiftShader | None:
    """SwiftShader in ``HYPERFRAMES_SWIFTSHADER_DIR`` (default ``/usr/lib/chromium``), or None
    when its driver, ICD file or Vulkan loader is missing there."""
    env = os.environ if env is None else env
    folder = Path(env.get(SWIFTSHADER_DIR_ENV) or DEFAULT_SWIFTSHADER_DIR)
    icd, driver, loader = (
        folder / "vk_swiftshader_icd.json",
        folder / "libvk_swiftshader.so",
        folder / "libvulkan.so.1",
    )
    if icd.is_file() and driver.is_file() and loader.is_file():
        return SwiftShader(icd=icd, loader=loader)
    return None


def software_webgl(env: MutableMapping[str, str] | None = None) -> str:
    """``swiftshader`` or ``llvmpipe``: the rasterizer of the ``software`` WebGL mode.

    SwiftShader wherever it is installed (the pixels HyperFrames' Chrome draws), unless
    ``HYPERFRAMES_SOFTWARE_WEBGL=llvmpipe``; llvmpipe otherwise.
    """
    env = os.environ if env is None else env
    return "swiftshader" if _swiftshader_to_use(env) is not None else "llvmpipe"


def _swiftshader_to_use(env: MutableMapping[str, str]) -> SwiftShader | None:
    """The installed SwiftShader, unless ``HYPERFRAMES_SOFTWARE_WEBGL=llvmpipe`` or it is
    missing (then None)."""
    if env.get(SOFTWARE_WEBGL_ENV, "auto").strip().lower() == "llvmpipe":
        return None
    return find_swiftshader(env)


_loaded_loaders: set[Path] = set()


def _load_vulkan_loader(loader: Path) -> bool:
    """Load ``loader`` into this process (once), so that Chromium's later
    ``dlopen("libvulkan.so.1")`` gets it: the dynamic linker answers a name with an already
    loaded library of that soname. False when it cannot be loaded."""
    if loader in _loaded_loaders:
        return True
    try:
        ctypes.CDLL(str(loader), mode=ctypes.RTLD_GLOBAL)
    except OSError:
        return False
    _loaded_loaders.add(loader)
    return True


def _use_swiftshader(env: MutableMapping[str, str]) -> bool:
    """Prepare ``env`` for SwiftShader WebGL; False (use llvmpipe) when it cannot be.

    The loader is loaded only when ``env`` is this process's own environment: the process that
    runs Chromium (capture worker, studio) calls :func:`configure_qtwebengine_env` itself.
    """
    found = _swiftshader_to_use(env)
    if found is None or (env is os.environ and not _load_vulkan_loader(found.loader)):
        return False
    # This driver alone: no GPU's Vulkan driver may be picked instead.
    env["VK_ICD_FILENAMES"] = str(found.icd)
    env["VK_DRIVER_FILES"] = str(found.icd)  # the name newer loaders read
    return True


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
    # Flags an earlier call added (in this process, or in the parent that started it) are
    # decided again here: a capture worker must not inherit ``--use-angle=vulkan`` without the
    # Vulkan loader that only its own call loads.
    ours = set(env.get(_ADDED_FLAGS_ENV, "").split())
    flags = [f for f in env.get("QTWEBENGINE_CHROMIUM_FLAGS", "").split() if f not in ours]
    added: list[str] = []
    mode = webgl_mode(env, offscreen=offscreen)
    if mode == "software":
        _pin_software_gl(env)
        if _use_swiftshader(env):
            mode = "swiftshader"
    wanted = list(_BASE_FLAGS) + list(_WEBGL_FLAGS[mode])
    for flag in wanted:
        option = flag.split("=", 1)[0] + "="
        if "=" in flag and any(f.startswith(option) for f in flags):
            continue  # the user chose that option's value: keep theirs
        if flag not in flags:
            flags.append(flag)
            added.append(flag)
    env[_ADDED_FLAGS_ENV] = " ".join(added)
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
