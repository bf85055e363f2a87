"""What a render is asked to do, what it reports while it runs, and how it can fail."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

#: x264 preset and CRF for each quality preset (HyperFrames' values).
#:
#: Kept as HyperFrames' on purpose (measured, bench/encoder_settings.py, RESULTS.md "Issue 17,
#: session 5"): against a lossless reference of the same frames, no faster x264 setting keeps
#: ``standard``'s quality (PSNR and SSIM of medium CRF 18) at most ~10 % larger on all three
#: shared samples. Faster presets lose psy-RD (subme < 6) and trellis, and their CRF buys
#: equal PSNR only with 16-50 % more bytes; the best general point (veryfast, ref 3,
#: rc-lookahead 40, trellis 1, CRF 17) halves the encoder's CPU at 1080p but is 10-16 %
#: larger and 0.4 dB worse on lower-third. ``-threads 2`` or sliced threads cost more CPU than
#: x264's default frame threads on 2 cores; the BGRA->yuv420p conversion is ~9 ms/frame at
#: 1080p and its flags set the pinned BT.709 rounding, so neither was changed.
QUALITY_PRESETS: dict[str, tuple[str, int]] = {
    "draft": ("ultrafast", 28),
    "standard": ("medium", 18),
    "high": ("slow", 15),
}
FORMATS = ("mp4", "webm", "mov", "gif", "png-sequence")
#: File extension per format; "" means the output is a folder (PNG sequence).
FORMAT_EXTENSIONS = {
    "mp4": ".mp4",
    "webm": ".webm",
    "mov": ".mov",
    "gif": ".gif",
    "png-sequence": "",
}

#: Output sizes a smaller composition of the same aspect can be supersampled to.
RESOLUTION_PRESETS: dict[str, tuple[int, int]] = {
    "1080p": (1920, 1080),
    "4k": (3840, 2160),
    "portrait": (1080, 1920),
    "portrait-4k": (2160, 3840),
    "square": (1080, 1080),
    "square-4k": (2160, 2160),
}

#: Pipeline stages, in order (the names HyperFrames uses, snake_case).
STAGES = ("compile", "video_extract", "audio", "capture", "encode", "assemble")

#: Job statuses, as HyperFrames names them.
STATUSES = (
    "queued",
    "preprocessing",
    "rendering",
    "encoding",
    "assembling",
    "complete",
    "failed",
    "cancelled",
)


@dataclass
class RenderOptions:
    project: Path
    composition: str | None = None
    output: Path | None = None
    fps: Fraction | None = None
    quality: str = "standard"
    format: str = "mp4"
    workers: int | None = None  # None: pick from the CPU count and the frame count
    resolution: str | None = None  # a RESOLUTION_PRESETS name or "WIDTHxHEIGHT"; None: as composed
    gif_loop: int = 0  # GIF only: 0 loops forever, -1 plays once, N repeats N more times
    variables: dict | None = None  # values for the root composition's declared variables
    #: Only frames START..END (0-based, inclusive) of the composition; None: all of them.
    #: The frames keep their absolute times: pixels equal those frames of a full render.
    frames: tuple[int, int] | None = None
    crf: int | None = None  # overrides the quality preset's CRF (x264 mp4, VP9 webm)
    video_bitrate: str | None = None  # e.g. "5M" or "800k": a target bitrate instead of a CRF
    offline: bool = False  # remote libraries, fonts and media from the cache only
    #: Reuse unchanged chunks of earlier renders (render.incremental); the CLI and the studio
    #: turn it on, ``render --no-cache`` (or HYPERFRAMES_RENDER_CACHE=off) leaves it off.
    cache: bool = False
    #: Follow links leading out of the project folder (``--follow-outside-links``: the user's
    #: grant for this run; project.outside_links). Links allowed for good are followed anyway.
    follow_outside_links: bool = False


@dataclass(frozen=True)
class Progress:
    stage: str
    status: str
    frames_done: int
    frames_total: int
    fps: float  # captured frames per second so far
    eta_s: float | None
    elapsed_s: float

    @property
    def fraction(self) -> float:
        return self.frames_done / self.frames_total if self.frames_total else 0.0


class RenderError(Exception):
    """A render failed; ``str()`` is a sentence a user can act on, ``stage`` where it failed."""

    def __init__(self, message: str, stage: str = "capture") -> None:
        super().__init__(message)
        self.stage = stage


class RenderInputError(RenderError):
    """The request itself is wrong (bad option, unwritable output): exit code 2 in the CLI."""

    def __init__(self, message: str) -> None:
        super().__init__(message, stage="compile")


class RenderCancelled(Exception):
    """The render was cancelled; nothing was left behind."""
