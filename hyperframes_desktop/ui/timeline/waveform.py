"""Audio waveforms for the timeline: peaks decoded by FFmpeg on a pool thread, cached on disk
in the app's cache folder by content hash (never in the project, never in the undo history).

Peaks are one byte (0–255, the loudest sample) per 1/200 s of mono audio.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from array import array
from pathlib import Path

import platformdirs
from PySide6.QtCore import QObject, Signal

from hyperframes_desktop import APP_NAME
from hyperframes_desktop.render.leftovers import scratch_prefix
from hyperframes_desktop.render.options import RenderCancelled
from hyperframes_desktop.render.tools import ToolMissing, run_cancellable
from hyperframes_desktop.ui.background import Reporter, start_task

PEAKS_PER_SECOND = 200
_SAMPLE_RATE = 8000
_CACHE_VERSION = 1


def waveform_cache_dir() -> Path:
    """``<user cache dir>/hyperframes-desktop/waveforms`` (honours XDG_CACHE_HOME)."""
    return platformdirs.user_cache_path(APP_NAME, appauthor=False) / "waveforms"


def content_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def peaks_from_pcm(pcm: bytes) -> bytes:
    """Loudest sample per bucket of signed 16-bit little-endian mono PCM, scaled to 0–255."""
    samples = array("h")
    samples.frombytes(pcm[: len(pcm) - len(pcm) % 2])
    if samples.itemsize == 2 and array("h", [1]).tobytes() != b"\x01\x00":
        samples.byteswap()
    step = _SAMPLE_RATE // PEAKS_PER_SECOND
    out = bytearray()
    for i in range(0, len(samples), step):
        chunk = samples[i : i + step]
        loudest = max(max(chunk), -min(chunk))
        out.append(min(255, loudest * 255 // 32767))
    return bytes(out)


def compute_peaks(path: Path, cache_dir: Path, cancel: threading.Event | None = None) -> bytes:
    """The peaks of ``path``, from the cache or decoded (and then cached)."""
    cached = cache_dir / f"{content_hash(path)}-v{_CACHE_VERSION}.peaks"
    try:
        return cached.read_bytes()
    except OSError:
        pass
    with tempfile.TemporaryDirectory(prefix=scratch_prefix("wave")) as scratch:
        raw = Path(scratch) / "audio.raw"
        args = ["-v", "error", "-nostdin", "-i", str(path), "-vn", "-ac", "1"]
        args += ["-ar", str(_SAMPLE_RATE), "-f", "s16le", "-y", str(raw)]
        result = run_cancellable("ffmpeg", args, cancel)
        if result.returncode != 0 or not raw.is_file():
            raise OSError(result.stderr.strip().splitlines()[-1] if result.stderr else "ffmpeg")
        peaks = peaks_from_pcm(raw.read_bytes())
    cache_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=cache_dir, suffix=".partial")
    with os.fdopen(fd, "wb") as handle:
        handle.write(peaks)
    os.replace(tmp, cached)
    return peaks


def _peaks_task(path: Path, cache_dir: Path, cancel: threading.Event, report: Reporter) -> None:
    """On a pool thread: sends ``done`` with the path and its peaks (None: no waveform)."""
    try:
        peaks: bytes | None = compute_peaks(path, cache_dir, cancel)
    except RenderCancelled:
        return
    except (OSError, ToolMissing, ValueError):
        peaks = None  # no waveform: the clip is still drawn
    report.send("done", str(path), peaks)


class PeakStore(QObject):
    """Peaks per sound file; asks for them in the background, ``changed`` when some arrive."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None, cache_dir: Path | None = None) -> None:
        super().__init__(parent)
        self.cache_dir = cache_dir or waveform_cache_dir()
        self._peaks: dict[tuple[str, int, int], bytes | None] = {}
        self._tasks: dict[str, threading.Event] = {}  # path → its task's cancel switch
        self._loudest: dict[bytes, int] = {}

    def _key(self, path: Path) -> tuple[str, int, int] | None:
        try:
            stat = path.stat()
        except OSError:
            return None
        return (str(path), stat.st_size, stat.st_mtime_ns)

    def get(self, path: Path) -> bytes | None:
        """The peaks, or None while they are being computed (or cannot be)."""
        key = self._key(path)
        if key is None:
            return None
        if key in self._peaks:
            return self._peaks[key]
        if key[0] not in self._tasks:
            cancel = self._tasks[key[0]] = threading.Event()
            cache_dir = self.cache_dir
            start_task(
                lambda report: _peaks_task(path, cache_dir, cancel, report),
                context=self,
                done=self._on_done,
            )
        return None

    def _on_done(self, path: str, peaks: object) -> None:
        if self._tasks.pop(path, None) is None:
            return  # asked before shutdown() (the window closed)
        key = self._key(Path(path))
        if key is not None:
            self._peaks[key] = peaks if isinstance(peaks, bytes) else None
        self.changed.emit()

    def heights(self, audio, start_s: float, per_column: float, columns: int) -> list[float] | None:
        """0–1 loudness for ``columns`` pixel columns from ``start_s``, ``per_column`` s each,
        relative to the file's loudest moment so quiet recordings still show their shape
        (a :data:`~hyperframes_desktop.ui.timeline.painter.PeakSource`)."""
        peaks = self.get(audio.path)
        if not peaks:
            return None
        loudest = self._loudest.get(peaks)
        if loudest is None:
            loudest = self._loudest[peaks] = max(peaks) or 1
        n = len(peaks)
        span = max(1, int(per_column * PEAKS_PER_SECOND))
        out = []
        for i in range(columns):
            first = int((start_s + i * per_column) * PEAKS_PER_SECOND)
            if first < 0 or first >= n:
                out.append(0.0)
            elif span == 1:
                out.append(peaks[first] / loudest)
            else:
                out.append(max(peaks[first : first + span]) / loudest)
        return out

    def shutdown(self) -> None:
        for cancel in self._tasks.values():
            cancel.set()
        self._tasks.clear()
