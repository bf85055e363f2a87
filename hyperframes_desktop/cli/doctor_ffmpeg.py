"""``doctor`` checks of FFmpeg: ffmpeg and ffprobe found and running, and the encoders every
output format needs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass

from hyperframes_desktop.cli.doctor_check import ERROR, OK, SKIPPED, WARNING, Check
from hyperframes_desktop.render import tools
from hyperframes_desktop.render.formats import FORMATS

_ENCODER_LINE = re.compile(r"^\s*([VAS][F.][S.][X.][B.][D.])\s+(\S+)")


@dataclass(frozen=True)
class ToolCheck:
    check: Check
    path: str | None


def _tool_source(name: str, path: str) -> str:
    if os.environ.get(f"HYPERFRAMES_{name.upper()}_PATH"):
        return f"HYPERFRAMES_{name.upper()}_PATH"
    if shutil.which(name) == path:
        return "PATH"
    return "imageio-ffmpeg"


def check_tool(name: str, title: str) -> ToolCheck:
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
        return ToolCheck(Check(name, title, ERROR, detail, fix, {"path": None}), None)
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
        return ToolCheck(check, None)
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
    return ToolCheck(check, path)


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
