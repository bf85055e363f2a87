"""The audio stage: every audible clip mixed into one 48 kHz stereo track by one FFmpeg graph.

Each clip is cut from its source (``data-media-start``, for window length × playback rate
seconds), sped up or slowed down without changing pitch (``atempo``, as a browser plays it),
scaled by ``data-volume``, delayed to its start on the root timeline and summed. The sum uses
``amix normalize=0``: amix's default divides every input by the number of inputs, so a lone
voice-over would come out 6 dB quieter just because a music clip exists elsewhere in time.
The result is trimmed/padded to exactly the composition's length and written as a lossless
WAV that the assemble stage encodes (AAC for mp4/mov, Opus for webm).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from hyperframes_desktop.project.errors import display_name
from hyperframes_desktop.render import tools
from hyperframes_desktop.render.compile import PlacedMedia
from hyperframes_desktop.render.options import RenderCancelled, RenderError
from hyperframes_desktop.render.processes import kill_tree

SAMPLE_RATE = 48_000
CHANNELS = 2
#: File suffix of the intermediate written by :func:`mix_audio`.
INTERMEDIATE_SUFFIX = ".wav"
#: atempo is exact and artefact-free within this range; other rates become a chain of factors.
_ATEMPO_RANGE = (0.5, 2.0)
_PROBE_TIMEOUT_S = 60.0
#: Windows shorter than this (seconds) contribute nothing and are skipped.
_MIN_WINDOW_S = 1e-6


class MediaInputError(RenderError):
    """A media file a clip refers to is missing, unreadable, corrupt or has no sound.

    A problem with the user's project, not with the engine (the CLI exits with code 2).
    ``clip`` is the element id (or a description when it has none), ``file`` the file as shown
    to the user (relative to the project folder).
    """

    def __init__(self, message: str, clip: str = "", file: str = "") -> None:
        super().__init__(message, stage="audio")
        self.clip = clip
        self.file = file


@dataclass(frozen=True)
class AudioMixResult:
    """The mixed track: a WAV (pcm_s16le, 48 kHz, stereo) exactly the composition's length."""

    path: Path
    clip_count: int
    elapsed_ms: float
    sample_rate: int = SAMPLE_RATE
    channels: int = CHANNELS


@dataclass(frozen=True)
class SourceInfo:
    """What ffprobe says about a source file."""

    has_audio: bool
    duration: float | None  # seconds; None when the container does not say
    channels: int = 0


@dataclass(frozen=True)
class ClipPlan:
    """One clip's part in the mix, all times in seconds.

    The clip is heard from ``timeline_start`` for ``length`` seconds; it consumes the source
    from ``source_start`` for ``length × rate`` seconds.
    """

    placed: PlacedMedia
    path: Path
    timeline_start: float
    length: float
    source_start: float
    rate: float
    volume: float
    mono: bool = False

    @property
    def source_length(self) -> float:
        return self.length * self.rate


# ---- which clips are heard ------------------------------------------------------------------


def is_audible(placed: PlacedMedia) -> bool:
    """Whether a clip belongs in the mix (its volume may still be 0: audible-silent).

    ``<audio>`` is heard unless it carries ``muted``. ``<video>`` is heard only with
    ``data-has-audio="true"``; that explicit opt-in wins over ``muted``, because HyperFrames
    asks authors to keep videos ``muted playsinline`` for the preview and marks the ones
    whose sound belongs in the render with ``data-has-audio``.
    """
    element = placed.element
    if element.tag == "audio":
        return not element.muted
    return element.tag == "video" and element.has_audio


def describe_clip(placed: PlacedMedia) -> str:
    """'audio clip "vo"' (or the src when the element has no id), for messages."""
    element = placed.element
    kind = "audio clip" if element.tag == "audio" else "video clip"
    if element.element_id:
        return f'{kind} "{element.element_id}"'
    return f'{kind} #{placed.key} (src "{element.src}", no id)'


def _shown(placed: PlacedMedia, project_root: Path | None) -> str:
    path = placed.element.path
    if path is None:
        return placed.element.src
    return display_name(path, project_root)


def _seconds(value: float) -> str:
    return f"{round(value, 3):g} s"


def plan_clips(
    media: list[PlacedMedia], duration: float
) -> list[tuple[PlacedMedia, float, float, float]]:
    """Audible clips that play inside ``[0, duration)``, with their clipped window.

    Returns ``(placed, timeline_start, length, skipped)`` where ``skipped`` is how much of
    the clip's own start lies before 0 (a nested composition shifted by
    ``data-playback-start``), to be skipped in the source as well.
    """
    kept: list[tuple[PlacedMedia, float, float, float]] = []
    for placed in media:
        if not is_audible(placed):
            continue
        start = placed.start
        end = duration if placed.end is None else min(placed.end, duration)
        skipped = max(0.0, -start)
        start = max(0.0, start)
        if end - start <= _MIN_WINDOW_S:
            continue
        kept.append((placed, start, end - start, skipped))
    return kept


# ---- probing --------------------------------------------------------------------------------


def _float(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number >= 0 else None


def probe_source(path: Path, who: str, shown: str) -> SourceInfo:
    """ffprobe a source; MediaInputError when FFmpeg cannot read it as media."""
    args = [
        "-v", "error",
        "-show_entries", "stream=index,codec_type,codec_name,channels,duration:format=duration",
        "-of", "json",
        f"file:{path}",
    ]  # fmt: skip
    result = tools.run_tool("ffprobe", args, timeout=_PROBE_TIMEOUT_S)
    data: dict = {}
    if result.returncode == 0:
        with contextlib.suppress(ValueError):
            data = json.loads(result.stdout or "{}")
    streams = data.get("streams") if isinstance(data, dict) else None
    if result.returncode != 0 or not isinstance(streams, list) or not streams:
        reason = _last_line(result.stderr, str(path))
        raise MediaInputError(
            f"The {who} uses {shown}, which FFmpeg cannot read as audio or video "
            f"(the file is damaged or not a media file{': ' + reason if reason else ''}). "
            "Fix: replace it with a working file (e.g. re-export it as MP3, WAV, M4A or MP4).",
            clip=who,
            file=shown,
        )
    audio = next((s for s in streams if s.get("codec_type") == "audio"), None)
    if audio is None:
        return SourceInfo(has_audio=False, duration=_float(data.get("format", {}).get("duration")))
    if not audio.get("codec_name"):
        raise MediaInputError(
            f"The {who} uses {shown}, whose audio is in a format FFmpeg cannot decode. "
            "Fix: re-export the file as MP3, WAV, AAC/M4A or Opus.",
            clip=who,
            file=shown,
        )
    duration = _float(audio.get("duration")) or _float(data.get("format", {}).get("duration"))
    channels = int(_float(audio.get("channels")) or 0)
    return SourceInfo(has_audio=True, duration=duration, channels=channels)


def _last_line(stderr: str, path_text: str) -> str:
    """FFmpeg's last complaint, without the absolute path (messages name files relatively)."""
    lines = [line.strip() for line in (stderr or "").splitlines() if line.strip()]
    if not lines:
        return ""
    line = lines[-1].replace(f"file:{path_text}", "").replace(path_text, "")
    return line.strip(" :")


def _check_source(placed: PlacedMedia, project_root: Path | None) -> Path:
    """The clip's file, checked before ffprobe so the common mistakes get plain words."""
    element = placed.element
    who = describe_clip(placed)
    shown = _shown(placed, project_root)
    if element.path is None:
        if not element.src.strip():
            raise MediaInputError(
                f"The {who} has no src, so there is no sound to mix. "
                "Fix: set src to an audio or video file in the project folder.",
                clip=who,
            )
        raise MediaInputError(
            f'The {who} plays "{element.src}", a URL; the renderer mixes only files in the '
            "project folder. Fix: download the file into the project folder and point src "
            "at it.",
            clip=who,
            file=shown,
        )
    path = element.path
    if not path.exists():
        raise MediaInputError(
            f"The {who} uses {shown}, which does not exist. Fix: put the file there or "
            "correct src (paths are relative to the project folder).",
            clip=who,
            file=shown,
        )
    if not path.is_file():
        raise MediaInputError(
            f"The {who} uses {shown}, which is a folder, not a media file. "
            "Fix: point src at an audio or video file.",
            clip=who,
            file=shown,
        )
    if not os.access(path, os.R_OK):
        raise MediaInputError(
            f"The {who} uses {shown}, which cannot be read (permission denied). "
            "Fix: make the file readable.",
            clip=who,
            file=shown,
        )
    return path


def _build_plan(
    placed: PlacedMedia,
    start: float,
    length: float,
    skipped: float,
    project_root: Path | None,
    cancel: threading.Event | None,
) -> ClipPlan | None:
    """Probe the clip's source and turn its window into source offsets (None: nothing left)."""
    path = _check_source(placed, project_root)
    element = placed.element
    who = describe_clip(placed)
    shown = _shown(placed, project_root)
    _raise_if_cancelled(cancel)
    info = probe_source(path, who, shown)
    if not info.has_audio:
        if element.tag == "audio":
            fix = "point src at a file with sound, or show it as a <video> instead"
        else:
            fix = 'remove data-has-audio="true" from the video, or use a file with sound'
        raise MediaInputError(
            f"The {who} uses {shown}, which has no audio track. Fix: {fix}.",
            clip=who,
            file=shown,
        )
    if info.duration is not None and element.media_start >= info.duration:
        raise MediaInputError(
            f"The {who} starts at {_seconds(element.media_start)} into {shown} "
            f"(data-media-start), but the file is only {_seconds(info.duration)} long. "
            f"Fix: set data-media-start below {round(info.duration, 3):g}.",
            clip=who,
            file=shown,
        )
    rate = element.playback_rate
    source_start = element.media_start + skipped * rate
    if info.duration is not None and source_start >= info.duration:
        return None  # only the part before the render's start had sound
    return ClipPlan(
        placed=placed,
        path=path,
        timeline_start=start,
        length=length,
        source_start=source_start,
        rate=rate,
        volume=max(0.0, element.volume),
        mono=info.channels == 1,
    )


# ---- the filter graph -----------------------------------------------------------------------


def atempo_factors(rate: float) -> list[float]:
    """``rate`` as a product of factors each within 0.5–2 (none when it is 1).

    e.g. 5 → [2, 2, 1.25], 0.1 → [0.5, 0.5, 0.5, 0.8].
    """
    low, high = _ATEMPO_RANGE
    if not math.isfinite(rate) or rate <= 0:
        raise ValueError(f"playback rate must be positive, got {rate!r}")
    factors: list[float] = []
    remaining = rate
    while remaining > high + 1e-12:
        factors.append(high)
        remaining /= high
    while remaining < low - 1e-12:
        factors.append(low)
        remaining /= low
    if abs(remaining - 1.0) > 1e-9:
        factors.append(remaining)
    return factors


def _num(value: float) -> str:
    text = f"{value:.9f}".rstrip("0").rstrip(".")
    return text or "0"


def _samples(seconds: float) -> int:
    return round(seconds * SAMPLE_RATE)


def clip_filter(index: int, plan: ClipPlan) -> str:
    """The chain for input ``index``: cut, 48 kHz stereo, tempo, volume, delay → ``[a<index>]``.

    Input seeking (``-ss`` on the input) has already moved to ``source_start``; the source
    may end before the window does, which simply leaves silence.
    """
    steps = [
        f"atrim=duration={_num(plan.source_length)}",
        "asetpts=PTS-STARTPTS",
    ]
    if plan.mono:
        # FFmpeg's own upmix puts mono at -3 dB on each side; a browser plays it at full
        # level on both speakers.
        steps.append("pan=stereo|c0=c0|c1=c0")
    steps += [
        f"aresample={SAMPLE_RATE}",
        f"aformat=sample_fmts=fltp:sample_rates={SAMPLE_RATE}:channel_layouts=stereo",
    ]
    steps += [f"atempo={_num(factor)}" for factor in atempo_factors(plan.rate)]
    steps += [
        f"atrim=end_sample={_samples(plan.length)}",
        "asetpts=PTS-STARTPTS",
        f"volume={_num(plan.volume)}",
        f"adelay=delays={_samples(plan.timeline_start)}S:all=1",
    ]
    return f"[{index}:a:0]{','.join(steps)}[a{index}]"


def filter_graph(plans: list[ClipPlan], duration: float) -> str:
    """All clip chains, summed without normalisation, then cut/padded to ``duration``."""
    total = max(1, _samples(duration))
    chains = [clip_filter(i, plan) for i, plan in enumerate(plans)]
    labels = "".join(f"[a{i}]" for i in range(len(plans)))
    if len(plans) == 1:
        mixed = labels
    else:
        # normalize=0: a plain sum, so every clip keeps the level its volume gives it.
        chains.append(
            f"{labels}amix=inputs={len(plans)}:duration=longest:dropout_transition=0:"
            "normalize=0[mix]"
        )
        mixed = "[mix]"
    chains.append(
        f"{mixed}apad=whole_len={total},atrim=end_sample={total},asetpts=PTS-STARTPTS,"
        f"aformat=sample_fmts=s16:sample_rates={SAMPLE_RATE}:channel_layouts=stereo[out]"
    )
    return ";".join(chains)


def mix_command(plans: list[ClipPlan], duration: float, out_path: Path) -> list[str]:
    """ffmpeg arguments (without the binary) for the whole mix."""
    args = ["-hide_banner", "-loglevel", "error", "-nostdin"]
    for plan in plans:
        args += ["-vn", "-sn", "-dn"]
        if plan.source_start > 0:
            args += ["-ss", _num(plan.source_start)]
        # bound decoding to what the clip consumes (atrim cuts it exactly)
        args += ["-t", _num(plan.source_length + 0.1)]
        args += ["-i", f"file:{plan.path}"]
    args += [
        "-filter_complex", filter_graph(plans, duration),
        "-map", "[out]",
        "-c:a", "pcm_s16le",
        "-ar", str(SAMPLE_RATE),
        "-ac", str(CHANNELS),
        "-f", "wav",
        "-y", str(out_path),
    ]  # fmt: skip
    return args


# ---- running --------------------------------------------------------------------------------


def _raise_if_cancelled(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise RenderCancelled()


def _run_ffmpeg(args: list[str], cancel: threading.Event | None) -> tuple[int, str]:
    """Run ffmpeg, polling ``cancel``; stop its whole tree and raise when it is set."""
    binary = tools.find_tool("ffmpeg")
    with tempfile.TemporaryFile() as stderr:
        proc = tools.launch(
            [binary, *args], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=stderr
        )
        try:
            while True:
                try:
                    code = proc.wait(timeout=0.1)
                    break
                except subprocess.TimeoutExpired:
                    _raise_if_cancelled(cancel)
        except BaseException:
            kill_tree(proc)
            raise
        stderr.seek(0)
        return code, stderr.read().decode(errors="replace")


def _mix_failure(stderr: str, plans: list[ClipPlan], project_root: Path | None) -> RenderError:
    """Blame the clip whose file FFmpeg names, else report FFmpeg's own words."""
    for plan in plans:
        if str(plan.path) in stderr:
            who = describe_clip(plan.placed)
            shown = _shown(plan.placed, project_root)
            reason = ""
            for line in reversed(stderr.splitlines()):
                if str(plan.path) in line:
                    reason = _last_line(line, str(plan.path))
                    break
            return MediaInputError(
                f"The {who} uses {shown}, which FFmpeg could not decode"
                f"{' (' + reason + ')' if reason else ''}. "
                "Fix: replace it with a working file (e.g. re-export it).",
                clip=who,
                file=shown,
            )
    tail = " | ".join(line.strip() for line in stderr.strip().splitlines()[-3:])
    return RenderError(f"FFmpeg could not mix the audio: {tail or 'no details'}.", stage="audio")


def mix_audio(
    media: list[PlacedMedia],
    duration: float,
    out_path: Path,
    cancel: threading.Event | None = None,
    *,
    project_root: Path | None = None,
) -> AudioMixResult | None:
    """Mix every audible clip into ``out_path`` (WAV, 48 kHz stereo, ``duration`` seconds).

    Returns None when no audible clip plays inside the render (no ``<audio>``, only muted
    audio or videos without ``data-has-audio``, or all windows outside ``[0, duration)``).
    Clips at volume 0 still count: the track is then silent but present. ``project_root``
    only shortens file names in error messages. Raises MediaInputError for a bad source file,
    RenderError when FFmpeg fails otherwise and RenderCancelled when ``cancel`` is set; in
    every failure ``out_path`` is removed.
    """
    t0 = time.monotonic()
    _raise_if_cancelled(cancel)
    windows = plan_clips(media, duration) if duration > 0 else []
    if not windows:
        return None
    try:
        plans: list[ClipPlan] = []
        for placed, start, length, skipped in windows:
            _raise_if_cancelled(cancel)
            plan = _build_plan(placed, start, length, skipped, project_root, cancel)
            if plan is not None:
                plans.append(plan)
        if not plans:
            return None
        out_path.parent.mkdir(parents=True, exist_ok=True)
        code, stderr = _run_ffmpeg(mix_command(plans, duration, out_path), cancel)
        if code != 0:
            raise _mix_failure(stderr, plans, project_root)
        if not out_path.is_file() or out_path.stat().st_size == 0:
            raise RenderError("FFmpeg finished but wrote no audio.", stage="audio")
    except tools.ToolMissing as exc:
        _remove(out_path)
        raise RenderError(str(exc), stage="audio") from None
    except BaseException:
        _remove(out_path)
        raise
    return AudioMixResult(
        path=out_path,
        clip_count=len(plans),
        elapsed_ms=(time.monotonic() - t0) * 1000.0,
    )


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


# ---- for the assemble stage -----------------------------------------------------------------
