"""Owner-stamped temp names, and clean-up of what a crashed render left behind.

A render's partial output (``.NAME.<rand>.<pid>-<start>.partial.EXT`` in the output folder)
and every scratch folder (``hf-render-``, ``hf-farm-``, ``hf-thumbs-``, ``hf-preview-``…
``<pid>-<start>-<rand>`` in the temp dir) carry the pid of
the process that owns them and that process's start time (in 1/100 s since the epoch), so a
later render can tell a leftover of a dead process from a live render's files, even after the
pid was reused. Before writing, a render removes the leftovers whose owner is gone; files of a
live owner are never touched. Names from before owners were recorded (no ``<pid>-<start>``)
are removed only once nothing in them changed for :data:`LEGACY_AGE_S`.
"""

from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
import time
import uuid
from pathlib import Path

from hyperframes_desktop.render.process_identity import same_process, stamp

SCRATCH_PREFIX = "hf-render-"
#: Every scratch folder the app makes in the temp dir: ``hf-<kind>-<pid>-<start>-<rand>``.
SCRATCH_KINDS = ("render", "farm", "thumbs", "preview", "wave", "ffmpeg")
#: Leftovers whose owner was not recorded are removed after a day without changes.
LEGACY_AGE_S = 24 * 3600.0

_OWNER = r"(?P<pid>\d+)-(?P<start>\d+)"
_PARTIAL = re.compile(rf"^\..+\.[0-9a-f]{{8}}\.(?:{_OWNER}\.)?partial(?:\.[A-Za-z0-9]+)?$")
_OLD = re.compile(r"^\..+\.[0-9a-f]{8}\.old$")  # a replaced PNG folder, mid-publish
_SCRATCH = re.compile(rf"^hf-(?:{'|'.join(SCRATCH_KINDS)})-(?:{_OWNER}-)?[A-Za-z0-9_]+$")


def owner_tag() -> str:
    """``<pid>-<start>`` of this process: what temp names carry to say whose they are."""
    return str(stamp())


def partial_name(stem: str, ext: str) -> str:
    """A hidden temp name in the output folder for an output ``stem + ext``."""
    return f".{stem}.{uuid.uuid4().hex[:8]}.{owner_tag()}.partial{ext}"


def scratch_prefix(kind: str = "render") -> str:
    """``hf-<kind>-<pid>-<start>-``: a temp folder prefix the leftovers sweep can judge."""
    if kind not in SCRATCH_KINDS:
        raise ValueError(f"unknown scratch kind {kind!r}")
    return f"hf-{kind}-{owner_tag()}-"


def make_scratch(kind: str = "render") -> Path:
    """A new scratch folder in the temp dir, stamped with this process as its owner."""
    return Path(tempfile.mkdtemp(prefix=scratch_prefix(kind)))


def owner_alive(pid: int, start: int) -> bool:
    """True when process ``pid`` runs and is the one that started at ``start`` (1/100 s);
    when the system cannot tell (e.g. access denied), its files are left alone."""
    return same_process(pid, start, unknown=True)


def _newest_change(path: Path) -> float:
    newest = path.lstat().st_mtime
    if path.is_dir() and not path.is_symlink():
        for entry in path.rglob("*"):
            with contextlib.suppress(OSError):
                newest = max(newest, entry.lstat().st_mtime)
    return newest


def _stale(match: re.Match[str], path: Path, now: float) -> bool:
    if match.group("pid") is not None:
        return not owner_alive(int(match.group("pid")), int(match.group("start")))
    try:
        return now - _newest_change(path) > LEGACY_AGE_S
    except OSError:
        return False


def _remove(path: Path) -> bool:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        return False
    except OSError:
        return False
    return True


def remove_stale_partials(folder: Path) -> list[Path]:
    """Remove partial outputs in ``folder`` whose owning process is gone; returns them."""
    removed: list[Path] = []
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in Path(folder).iterdir():
            match = _PARTIAL.match(entry.name)
            if match is not None:
                stale = _stale(match, entry, now)
            else:  # a replaced PNG folder that a crash kept from being deleted
                stale = bool(_OLD.match(entry.name)) and now - entry.lstat().st_mtime > 60
            if stale and _remove(entry):
                removed.append(entry)
    return removed


def remove_stale_scratch(temp_dir: Path | None = None) -> list[Path]:
    """Remove ``hf-<kind>-*`` scratch folders (every kind in SCRATCH_KINDS) in the temp dir
    whose owning process is gone."""
    root = Path(temp_dir or tempfile.gettempdir())
    removed: list[Path] = []
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in root.iterdir():
            if not entry.name.startswith("hf-") or not entry.is_dir():
                continue
            match = _SCRATCH.match(entry.name)
            if match is not None and _stale(match, entry, now) and _remove(entry):
                removed.append(entry)
    return removed


def remove_leftovers(output_folder: Path) -> list[Path]:
    """Both clean-ups, as a render does before it writes anything."""
    return [*remove_stale_partials(output_folder), *remove_stale_scratch()]
