"""The audio stage's entry point: plan the audible clips, check and probe their sources, run
the one FFmpeg mix, and turn its failures into messages naming the clip to blame."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from hyperframes_desktop.render import tools
from hyperframes_desktop.render.audio.graph import CHANNELS, SAMPLE_RATE, mix_command
from hyperframes_desktop.render.audio.plan import ClipPlan, plan_clips
from hyperframes_desktop.render.audio.runner import raise_if_cancelled, run_ffmpeg
from hyperframes_desktop.render.audio.sources import STAGE, build_plan
from hyperframes_desktop.render.compile import PlacedMedia
from hyperframes_desktop.render.media_errors import (
    MediaInputError,
    describe_clip,
    ffmpeg_complaint,
    shown_file,
)
from hyperframes_desktop.render.options import RenderError

#: File suffix of the intermediate written by :func:`mix_audio`.
INTERMEDIATE_SUFFIX = ".wav"


@dataclass(frozen=True)
class AudioMixResult:
    """The mixed track: a WAV (pcm_s16le, 48 kHz, stereo) exactly the composition's length."""

    path: Path
    clip_count: int
    elapsed_ms: float
    sample_rate: int = SAMPLE_RATE
    channels: int = CHANNELS


def _mix_failure(stderr: str, plans: list[ClipPlan], project_root: Path | None) -> RenderError:
    """Blame the clip whose file FFmpeg names, else report FFmpeg's own words."""
    for plan in plans:
        if str(plan.path) in stderr:
            who = describe_clip(plan.placed)
            shown = shown_file(plan.placed, project_root)
            reason = ""
            for line in reversed(stderr.splitlines()):
                if str(plan.path) in line:
                    reason = ffmpeg_complaint(line, plan.path)
                    break
            return MediaInputError(
                f"The {who} uses {shown}, which FFmpeg could not decode"
                f"{' (' + reason + ')' if reason else ''}. "
                "Fix: replace it with a working file (e.g. re-export it).",
                clip=who,
                file=shown,
                stage=STAGE,
            )
    tail = " | ".join(line.strip() for line in stderr.strip().splitlines()[-3:])
    return RenderError(f"FFmpeg could not mix the audio: {tail or 'no details'}.", stage=STAGE)


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
    raise_if_cancelled(cancel)
    windows = plan_clips(media, duration) if duration > 0 else []
    if not windows:
        return None
    try:
        plans: list[ClipPlan] = []
        for placed, start, length, skipped in windows:
            raise_if_cancelled(cancel)
            plan = build_plan(placed, start, length, skipped, project_root, cancel)
            if plan is not None:
                plans.append(plan)
        if not plans:
            return None
        out_path.parent.mkdir(parents=True, exist_ok=True)
        code, stderr = run_ffmpeg(mix_command(plans, duration, out_path), cancel)
        if code != 0:
            raise _mix_failure(stderr, plans, project_root)
        if not out_path.is_file() or out_path.stat().st_size == 0:
            raise RenderError("FFmpeg finished but wrote no audio.", stage=STAGE)
    except tools.ToolMissing as exc:
        _remove(out_path)
        raise RenderError(str(exc), stage=STAGE) from None
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
