"""The environment checks behind ``hyperframes-desktop doctor`` (Qt-free; the Qt and
QtWebEngine versions are looked up by cli/doctor_cmd.py).

Each check gives a :class:`Check`: ``ok``, ``warning`` (something is degraded, renders still
work), ``error`` (rendering is blocked) or ``skipped`` (could not be checked because of an
earlier error), with a fix sentence for anything not ok.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from hyperframes_desktop import APP_NAME, __version__, resource_paths
from hyperframes_desktop.cli.studio_cmd import has_display
from hyperframes_desktop.render import tools
from hyperframes_desktop.render.fonts import BUNDLED_FONTS, BundledFontsMissing, bundled_fonts_dir
from hyperframes_desktop.render.formats import FORMATS
from hyperframes_desktop.render.qt_env import running_as_root
from hyperframes_desktop.render.video_extract.cache import default_cache_root
from hyperframes_desktop.telemetry import config as telemetry_config
from hyperframes_desktop.telemetry import gates

OK, WARNING, ERROR, SKIPPED = "ok", "warning", "error", "skipped"
#: Below this much free space a folder gets a warning (renders write frames to temp).
LOW_SPACE_BYTES = {"temp": 1024**3, "cache": 1024**3}
DEFAULT_LOW_SPACE_BYTES = 100 * 1024**2
_ENCODER_LINE = re.compile(r"^\s*([VAS][F.][S.][X.][B.][D.])\s+(\S+)")


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    status: str
    detail: str
    fix: str | None = None
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def blocks_rendering(self) -> bool:
        return self.status == ERROR

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "fix": self.fix,
            "data": self.data,
        }


def _split_fix(message: str) -> tuple[str, str | None]:
    """``"What is wrong. Fix: what to do."`` → the two halves."""
    problem, sep, fix = message.partition(" Fix: ")
    return (problem, fix) if sep else (message, None)


# ---- versions ---------------------------------------------------------------------------


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


@dataclass(frozen=True)
class _Tool:
    check: Check
    path: str | None


def _tool_source(name: str, path: str) -> str:
    if os.environ.get(f"HYPERFRAMES_{name.upper()}_PATH"):
        return f"HYPERFRAMES_{name.upper()}_PATH"
    if shutil.which(name) == path:
        return "PATH"
    return "imageio-ffmpeg"


def _check_tool(name: str, title: str) -> _Tool:
    variable = f"HYPERFRAMES_{name.upper()}_PATH"
    try:
        path = tools.find_tool(name)
    except tools.ToolMissing:
        if os.environ.get(variable):
            detail = f"{variable}={os.environ[variable]} is not an executable file"
            fix = f"point {variable} at the {name} program, or unset it"
        else:
            detail = "not found on PATH"
            fix = (
                f"install FFmpeg, which includes {name} ('sudo apt install ffmpeg' on "
                "Debian/Ubuntu, 'brew install ffmpeg' on macOS, or from ffmpeg.org), or set "
                f"{variable} to the {name} program"
            )
        return _Tool(Check(name, title, ERROR, detail, fix, {"path": None}), None)
    failure = None
    try:
        proc = tools.run_tool(name, ["-hide_banner", "-version"], timeout=30)
        if proc.returncode != 0:
            failure = f"exit code {proc.returncode}"
    except (OSError, subprocess.TimeoutExpired) as exc:
        failure = getattr(exc, "strerror", None) or str(exc)
    if failure is not None:
        check = Check(
            name,
            title,
            ERROR,
            f"{path} does not run ({failure})",
            f"reinstall {name} (it comes with FFmpeg), or set {variable} to a working one",
            {"path": path},
        )
        return _Tool(check, None)
    first = proc.stdout.splitlines()[0] if proc.stdout else ""
    parts = first.split()
    version = parts[2] if len(parts) > 2 and parts[1] == "version" else first or "unknown"
    source = _tool_source(name, path)
    data = {"path": path, "version": version, "source": source}
    if source == "imageio-ffmpeg":
        check = Check(
            name,
            title,
            WARNING,
            f"{version} at {path} (not on PATH: the copy that comes with imageio-ffmpeg)",
            "install FFmpeg for your system ('sudo apt install ffmpeg' on Debian/Ubuntu, "
            "'brew install ffmpeg' on macOS) so renders use a maintained build",
            data,
        )
    else:
        check = Check(name, title, OK, f"{version} at {path}", data=data)
    return _Tool(check, path)


# ---- encoders ---------------------------------------------------------------------------


def needed_encoders() -> dict[str, list[str]]:
    """FFmpeg encoders each output format uses, read from the formats' own arguments."""
    needed: dict[str, list[str]] = {}
    for name, spec in FORMATS.items():
        args = [*spec.codec_args("standard"), *(spec.audio_args or ())]
        codecs = [args[i + 1] for i, arg in enumerate(args[:-1]) if arg in ("-c:v", "-c:a")]
        if spec.needs_palette_pass:
            codecs.append("gif")  # the palette pass writes GIF with FFmpeg's gif encoder
        needed[name] = codecs
    return needed


def available_encoders() -> set[str]:
    """Encoder names from ``ffmpeg -encoders``."""
    proc = tools.run_tool("ffmpeg", ["-hide_banner", "-encoders"], timeout=30)
    if proc.returncode != 0:
        raise OSError(f"ffmpeg -encoders exited with code {proc.returncode}")
    names = set()
    for line in proc.stdout.splitlines():
        match = _ENCODER_LINE.match(line)
        if match and match.group(2) != "=":
            names.add(match.group(2))
    return names


def check_encoders(ffmpeg_ok: bool) -> Check:
    needed = needed_encoders()
    if not ffmpeg_ok:
        return Check(
            "encoders",
            "Encoders",
            SKIPPED,
            "not checked: FFmpeg does not run (see above)",
            data={"needed": needed},
        )
    try:
        have = available_encoders()
    except (OSError, subprocess.TimeoutExpired, tools.ToolMissing) as exc:
        return Check(
            "encoders",
            "Encoders",
            ERROR,
            f"could not list FFmpeg's encoders ({exc})",
            "reinstall FFmpeg ('sudo apt install ffmpeg' on Debian/Ubuntu)",
            {"needed": needed},
        )
    formats = {fmt: {codec: codec in have for codec in codecs} for fmt, codecs in needed.items()}
    missing = sorted({c for codecs in needed.values() for c in codecs if c not in have})
    data = {"needed": needed, "formats": formats, "missing": missing}
    summary = ", ".join(f"{fmt} ({' + '.join(codecs)})" for fmt, codecs in needed.items())
    if not missing:
        return Check("encoders", "Encoders", OK, f"all found: {summary}", data=data)
    blocked = [fmt for fmt, codecs in needed.items() if any(c in missing for c in codecs)]
    return Check(
        "encoders",
        "Encoders",
        ERROR,
        f"this FFmpeg lacks {', '.join(missing)}, so {', '.join(blocked)} cannot be rendered",
        "install an FFmpeg build with these encoders (Debian/Ubuntu's 'sudo apt install "
        "ffmpeg' has them all), or point HYPERFRAMES_FFMPEG_PATH at one",
        data,
    )


# ---- Chromium sandbox, fonts, display, telemetry ---------------------------------------


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
        problem, fix = _split_fix(str(exc))
        return Check("fonts", "Bundled fonts", ERROR, problem, fix, {"found": False})
    names = [font.name for font in BUNDLED_FONTS]
    files = [f.file for font in BUNDLED_FONTS for f in font.files]
    return Check(
        "fonts",
        "Bundled fonts",
        OK,
        f"{', '.join(names)} ({len(files)} files) in {folder}",
        data={"found": True, "folder": str(folder), "fonts": names, "files": files},
    )


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


# ---- folders -----------------------------------------------------------------------------


def app_folders() -> list[tuple[str, str, Path, bool]]:
    """(id, title, folder, blocks rendering when unwritable) for every folder the app writes."""
    return [
        ("config", "Config folder", telemetry_config.config_dir(), False),
        ("data", "Data folder", platformdirs.user_data_path(APP_NAME, appauthor=False), False),
        ("cache", "Cache folder", default_cache_root().parent, False),
        ("temp", "Temp folder", _temp_dir(), True),
    ]


def _temp_dir() -> Path:
    """The folder renders use for scratch files (Python's choice, as the renderer's); when
    none is usable, the folder TMPDIR names (or /tmp), which the check then reports."""
    try:
        return Path(tempfile.gettempdir())
    except OSError:  # no candidate folder is writable
        return Path(os.environ.get("TMPDIR") or "/tmp")


def _existing_ancestor(folder: Path) -> Path:
    path = folder
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _writable(folder: Path) -> str | None:
    """None when a file can be created in ``folder`` (or, while it does not exist yet, in
    its nearest existing parent, where the app would create it); else the reason."""
    where = _existing_ancestor(folder)
    if not where.is_dir():
        return f"{where} is not a folder"
    try:
        with tempfile.TemporaryFile(dir=where, prefix=".hf-doctor-"):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024:
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"


def check_folder(ident: str, title: str, folder: Path, blocking: bool) -> Check:
    problem = _writable(folder)
    where = _existing_ancestor(folder)
    free = shutil.disk_usage(where).free if where.is_dir() else None
    data = {"path": str(folder), "exists": folder.is_dir(), "writable": problem is None}
    data["free_bytes"] = free
    if problem is not None:
        variable = "TMPDIR" if ident == "temp" else f"XDG_{ident.upper()}_HOME"
        return Check(
            ident,
            title,
            ERROR if blocking else WARNING,
            f"{folder} is not writable ({problem})",
            f"make {folder} writable for your user, or set {variable} to a writable folder",
            data,
        )
    low = LOW_SPACE_BYTES.get(ident, DEFAULT_LOW_SPACE_BYTES)
    detail = f"{folder}, writable, {_size(free or 0)} free"
    if free is not None and free < low:
        return Check(
            ident,
            title,
            WARNING,
            f"{detail}: less than {_size(low)}",
            f"free some space on the disk holding {folder}",
            data,
        )
    return Check(ident, title, OK, detail, data=data)


# ---- all of it -----------------------------------------------------------------------------


def run_checks(qt_checks: Callable[[], list[Check]] | None = None) -> list[Check]:
    """Every check in display order; ``qt_checks`` adds the Qt/QtWebEngine versions."""
    checks = [check_app(), check_python()]
    if qt_checks is not None:
        checks += qt_checks()
    ffmpeg = _check_tool("ffmpeg", "FFmpeg")
    checks += [ffmpeg.check, _check_tool("ffprobe", "FFprobe").check]
    checks.append(check_encoders(ffmpeg.path is not None))
    checks += [check_sandbox(), check_fonts()]
    checks += [check_folder(*folder) for folder in app_folders()]
    checks += [check_display(), check_telemetry()]
    return checks
