"""Environment that every QtWebEngine process of ours needs (render worker and studio).

Kept Qt-free: it only prepares environment variables, which must be set before
QtWebEngine starts.
"""

from __future__ import annotations

import os
from collections.abc import MutableMapping

# No background traffic: updates, safe-browsing, component downloads. Software GL only.
_BASE_FLAGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-domain-reliability",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
)


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def configure_qtwebengine_env(
    env: MutableMapping[str, str] | None = None, *, offscreen: bool = False
) -> MutableMapping[str, str]:
    """Fill ``env`` (default ``os.environ``) for a QtWebEngine process.

    The Chromium sandbox is disabled only when running as root, where Chromium refuses to
    start with it.
    """
    env = os.environ if env is None else env
    flags = env.get("QTWEBENGINE_CHROMIUM_FLAGS", "").split()
    for flag in _BASE_FLAGS:
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
