"""Scrub error messages before they leave the machine.

Errors from FFmpeg, the browser or the file system are full of paths, and paths hold user
names and project names. We would rather lose a useful token than leak one, so anything
that looks like a path (absolute, relative, ``~``, Windows drive or UNC, ``file://``), any
file name with a media/web extension, e-mail addresses, the home folder, the user name and
the host name are replaced by placeholders.
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import os
import re
import socket
from pathlib import Path

MAX_MESSAGE_CHARS = 300

_QUOTED_PATH = re.compile(r"""(['"])[^'"\n]*[\\/][^'"\n]*\1""")
_FILE_URL = re.compile(r"file:/\S*", re.IGNORECASE)
# A folder may hold single spaces ("My Projects/") as long as a separator follows it; the
# last segment may not (where it ends is ambiguous, and its first word is redacted anyway).
_SEGMENTS = r"(?:[^\s\\/'\"]+(?: [^\s\\/'\"]+)*[\\/])*[^\s\\/'\"]*"
_UNC_PATH = re.compile(r"\\\\[^\s\\]+\\" + _SEGMENTS)
_DRIVE_PATH = re.compile(r"\b[A-Za-z]:[\\/]" + _SEGMENTS)
_POSIX_PATH = re.compile(r"(?<![\w.:/\\])(?:~|\.{1,2})?/" + _SEGMENTS)
# Any token holding a slash or backslash, except plain number ratios such as 30000/1001.
_SLASH_TOKEN = re.compile(r"(?<!\S)(?!\d+/\d+(?!\S))[^\s'\"]*[\\/][^\s'\"]*")
_FILE_NAME = re.compile(
    r"\b[\w.\-]+\.(?:html?|js|css|json|mp4|mov|webm|mkv|avi|gif|png|jpe?g|webp|svg|"
    r"wav|mp3|m4a|aac|ogg|opus|flac|woff2?|ttf|otf|txt|log)\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\b[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+\b")


def redact_text(text: str, max_chars: int = MAX_MESSAGE_CHARS) -> str:
    """``text`` with paths, file names, home, user and host names replaced; truncated."""
    out = str(text)[: max_chars * 8]  # bounds the regex work on huge FFmpeg logs
    for home in _home_variants():
        out = out.replace(home, "<home>")
    out = _QUOTED_PATH.sub(lambda m: f"{m.group(1)}<path>{m.group(1)}", out)
    out = _FILE_URL.sub("<path>", out)
    out = _UNC_PATH.sub("<path>", out)
    out = _DRIVE_PATH.sub("<path>", out)
    out = _POSIX_PATH.sub("<path>", out)
    out = _SLASH_TOKEN.sub("<path>", out)
    out = _EMAIL.sub("<email>", out)
    out = _FILE_NAME.sub("<file>", out)
    for pattern, placeholder in _identity_patterns():
        out = pattern.sub(placeholder, out)
    if len(out) > max_chars:
        out = out[: max_chars - 1] + "…"
    return out


@functools.cache
def _home_variants() -> tuple[str, ...]:
    """The home folder as it may be spelled in a message, longest first."""
    found: set[str] = set()
    candidates = [os.environ.get("HOME", ""), os.environ.get("USERPROFILE", "")]
    with contextlib.suppress(Exception):
        candidates.append(str(Path.home()))
    for home in candidates:
        if len(home) < 2 or home in ("/", "\\"):
            continue
        found.update({home, os.path.realpath(home), home.replace("\\", "/")})
        found.add(home.replace("/", "\\"))
    return tuple(sorted(found, key=len, reverse=True))


@functools.cache
def _identity_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Word-bounded, case-insensitive patterns for the user and host names.

    Names shorter than two characters are skipped: redacting every "a" would garble the
    message without protecting anyone.
    """
    patterns: list[tuple[re.Pattern[str], str]] = []
    for name in sorted(_user_names(), key=len, reverse=True):
        patterns.append((_word(name), "<user>"))
    for name in sorted(_host_names(), key=len, reverse=True):
        patterns.append((_word(name), "<host>"))
    return tuple(patterns)


def _word(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])", re.IGNORECASE)


def _user_names() -> set[str]:
    names = {os.environ.get(v, "") for v in ("USER", "USERNAME", "LOGNAME")}
    with contextlib.suppress(Exception):
        names.add(getpass.getuser())
    return {n for n in names if len(n) >= 2}


def _host_names() -> set[str]:
    # gethostname() only, never getfqdn(): that may wait on DNS.
    names: set[str] = set()
    try:
        host = socket.gethostname()
        names.update({host, host.split(".")[0]})
    except Exception:
        pass
    generic = {"localhost", "localhost.localdomain"}
    return {n for n in names if len(n) >= 2 and n.lower() not in generic}
