"""The FFmpeg filter graph and command that mix the planned clips into one 48 kHz stereo WAV.

Each clip is cut from its source, sped up or slowed down without changing pitch (``atempo``,
as a browser plays it), scaled by its volume, delayed to its start and summed with
``amix normalize=0`` (a plain sum); the sum is trimmed/padded to the composition's length.
"""

from __future__ import annotations

import math
from pathlib import Path

from hyperframes_desktop.render.audio.plan import ClipPlan

SAMPLE_RATE = 48_000
CHANNELS = 2
#: atempo is exact and artefact-free within this range; other rates become a chain of factors.
_ATEMPO_RANGE = (0.5, 2.0)


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
