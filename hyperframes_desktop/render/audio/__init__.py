"""The audio stage: every audible clip mixed into one 48 kHz stereo track by one FFmpeg graph.

Each clip is cut from its source (``data-media-start``, for window length × playback rate
seconds), sped up or slowed down without changing pitch (``atempo``, as a browser plays it),
scaled by ``data-volume``, delayed to its start on the root timeline and summed. The sum uses
``amix normalize=0``: amix's default divides every input by the number of inputs, so a lone
voice-over would come out 6 dB quieter just because a music clip exists elsewhere in time.
The result is trimmed/padded to exactly the composition's length and written as a lossless
WAV that the assemble stage encodes (AAC for mp4/mov, Opus for webm).

- :mod:`.plan`: which clips are heard (:func:`plan_clips`) and :class:`ClipPlan`.
- :mod:`.sources`: checking and probing each clip's file, and its plan from the probe.
- :mod:`.graph`: the filter graph and the ffmpeg command.
- :mod:`.mix`: :func:`mix_audio`, the stage itself; :mod:`.runner`: its FFmpeg run.
- :mod:`.preview`: :func:`preview_mix`, the same mix cached by content for the studio.
"""

from hyperframes_desktop.render.audio.graph import (
    CHANNELS,
    SAMPLE_RATE,
    atempo_factors,
    clip_filter,
    filter_graph,
    mix_command,
)
from hyperframes_desktop.render.audio.mix import INTERMEDIATE_SUFFIX, AudioMixResult, mix_audio
from hyperframes_desktop.render.audio.plan import ClipPlan, is_audible, plan_clips
from hyperframes_desktop.render.audio.preview import has_sound, mix_duration, preview_mix
from hyperframes_desktop.render.audio.sources import SourceInfo, probe_source
from hyperframes_desktop.render.media_errors import MediaInputError, describe_clip

__all__ = [
    "CHANNELS",
    "INTERMEDIATE_SUFFIX",
    "SAMPLE_RATE",
    "AudioMixResult",
    "ClipPlan",
    "MediaInputError",
    "SourceInfo",
    "atempo_factors",
    "clip_filter",
    "describe_clip",
    "filter_graph",
    "has_sound",
    "is_audible",
    "mix_audio",
    "mix_command",
    "mix_duration",
    "plan_clips",
    "preview_mix",
    "probe_source",
]
