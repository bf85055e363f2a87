"""Terminal output for a render: a live bar on a TTY, plain lines otherwise, and the summary."""

from __future__ import annotations

import shutil
from typing import TextIO

from hyperframes_desktop.render import Progress, RenderResult
from hyperframes_desktop.render.farm.progress import FarmProgress

_STAGE_LABELS = {
    "compile": "Compiling",
    "video_extract": "Extracting video",
    "audio": "Mixing audio",
    "capture": "Capturing",
    "encode": "Encoding",
    "assemble": "Assembling",
}


def human_bytes(size: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


class ProgressPrinter:
    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self._last_stage = ""
        self._last_quarter = -1
        self._bar_shown = False

    def update(self, p: Progress) -> None:
        if self.tty:
            self._bar(p)
        else:
            self._lines(p)

    def _bar(self, p: Progress) -> None:
        width = max(10, min(30, shutil.get_terminal_size((80, 20)).columns - 60))
        filled = round(width * p.fraction)
        bar = "█" * filled + "░" * (width - filled)
        eta = f" ETA {p.eta_s:4.1f}s" if p.eta_s is not None and p.stage == "capture" else ""
        rate = f" {p.fps:5.1f} fps" if p.fps else ""
        label = _STAGE_LABELS.get(p.stage, p.stage)
        frames = f" {p.frames_done}/{p.frames_total}" if p.frames_total else ""
        self.stream.write(f"\r\033[K{label:<17}{bar}{frames}{rate}{eta}{_chunks(p)}")
        self.stream.flush()
        self._bar_shown = True

    def _lines(self, p: Progress) -> None:
        if p.status in ("complete", "failed", "cancelled"):
            return  # the summary or the error message follows
        if p.stage != self._last_stage:
            self._last_stage = p.stage
            self._last_quarter = -1
            self.stream.write(f"{_STAGE_LABELS.get(p.stage, p.stage)}...\n")
            if isinstance(p, FarmProgress) and p.chunks_reused:
                self.stream.write(
                    f"  resuming: reusing {p.chunks_reused} of {p.chunks_total} finished chunks\n"
                )
        if p.stage == "capture" and p.frames_total:
            quarter = int(p.fraction * 4)
            if isinstance(p, FarmProgress) and p.chunks_total and p.chunks_done == p.chunks_total:
                quarter = 5  # every chunk is back: one last line saying so
            if quarter > self._last_quarter and p.frames_done:
                self._last_quarter = quarter
                self.stream.write(
                    f"  {p.frames_done}/{p.frames_total} frames, {p.fps:.1f} fps{_chunks(p)}\n"
                )
        self.stream.flush()

    def finish(self) -> None:
        if self._bar_shown:
            self.stream.write("\n")
            self.stream.flush()
            self._bar_shown = False


def _chunks(p: Progress) -> str:
    """A farm render's chunk picture (done/total, workers, retries, blocklisted)."""
    return f" · {p.chunk_line()}" if isinstance(p, FarmProgress) and p.chunks_total else ""


def format_summary(result: RenderResult) -> str:
    perf = result.perf
    stages = ", ".join(
        f"{name.removesuffix('Ms')} {ms / 1000:.2f}s" for name, ms in perf.stages.items() if ms
    )
    summary = (
        f"Rendered {result.output}\n"
        f"  {perf.resolution['width']}x{perf.resolution['height']}, {perf.totalFrames} frames, "
        f"{perf.compositionDurationSeconds:.2f} s of video, {human_bytes(perf.outputBytes)}\n"
        f"  took {perf.totalElapsedMs / 1000:.2f} s ({perf.speed_ratio:.2f}x real time), "
        f"peak memory {perf.peakRssMb:.0f} MB\n"
        f"  stages: {stages}"
    )
    return summary + _restarts(perf.captureRestarts) + _farm_summary(perf)


def _restarts(count: int) -> str:
    if not count:
        return ""
    who = "1 capture process" if count == 1 else f"{count} capture processes"
    return f"\n  {who} died during the render; the frames were captured again"


def _farm_summary(perf) -> str:
    if not perf.farmChunks:
        return ""
    reused = (
        f", {perf.farmChunksReused} reused from the interrupted render"
        if perf.farmChunksReused
        else ""
    )
    workers = f"{perf.farmWorkers} worker{'s' if perf.farmWorkers != 1 else ''}"
    return f"\n  farm: {perf.farmChunks} chunks on {workers}{reused}"
