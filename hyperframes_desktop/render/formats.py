"""Output formats: how each one's frames are encoded, joined and given sound.

Workers encode contiguous frame ranges ("chunks") while they capture. Streamable codecs are
encoded for real in the chunks and joined without re-encoding; GIF needs the whole video for
its palette, so its chunks are lossless and the palette pass happens when assembling; a PNG
sequence is written straight into the output folder.
"""

from __future__ import annotations

from dataclasses import dataclass

from hyperframes_desktop.render.options import QUALITY_PRESETS

# VP9 speed/quality per preset: (deadline, cpu-used, crf)
_VP9 = {
    "draft": ("realtime", "8", "40"),
    "standard": ("good", "5", "31"),
    "high": ("good", "2", "24"),
}
# ProRes 4444 quantiser per preset (lower is better)
_PRORES_QSCALE = {"draft": "13", "standard": "9", "high": "4"}


@dataclass(frozen=True)
class FormatSpec:
    name: str
    extension: str  # "" for a folder of files
    alpha: bool  # frames keep transparency (the page background is made transparent)
    chunk_extension: str
    join: str  # "copy": concat without re-encoding; "gif": palette pass; "none": written in place
    audio_args: tuple[str, ...] | None  # None: the format carries no sound

    @property
    def is_folder(self) -> bool:
        return self.extension == ""

    def chunk_codec_args(self, quality: str) -> list[str]:
        if self.name == "mp4":
            preset, crf = QUALITY_PRESETS[quality]
            return ["-c:v", "libx264", "-preset", preset, "-crf", str(crf),
                    "-pix_fmt", "yuv420p", "-profile:v", "high"]  # fmt: skip
        if self.name == "webm":
            deadline, cpu_used, crf = _VP9[quality]
            return ["-c:v", "libvpx-vp9", "-pix_fmt", "yuva420p", "-deadline", deadline,
                    "-cpu-used", cpu_used, "-crf", crf, "-b:v", "0", "-row-mt", "1",
                    "-auto-alt-ref", "0"]  # fmt: skip
        if self.name == "mov":
            return ["-c:v", "prores_ks", "-profile:v", "4444", "-pix_fmt", "yuva444p10le",
                    "-qscale:v", _PRORES_QSCALE[quality], "-vendor", "apl0"]  # fmt: skip
        if self.name == "gif":
            return ["-c:v", "ffv1", "-level", "3", "-pix_fmt", "bgra"]
        if self.name == "png-sequence":
            return ["-c:v", "png", "-pix_fmt", "rgba"]
        raise KeyError(self.name)

    def chunk_muxer_args(self) -> list[str]:
        if self.name == "mp4":
            return ["-movflags", "+faststart", "-f", "mp4"]
        if self.name == "webm":
            return ["-f", "webm"]
        if self.name == "mov":
            return ["-f", "mov"]
        if self.name == "gif":
            return ["-f", "matroska"]
        return ["-f", "image2"]


_AUDIO_48K = ("-b:a", "192k", "-ar", "48000", "-ac", "2")

FORMATS: dict[str, FormatSpec] = {
    "mp4": FormatSpec("mp4", ".mp4", False, ".mp4", "copy", ("-c:a", "aac", *_AUDIO_48K)),
    "webm": FormatSpec("webm", ".webm", True, ".webm", "copy", ("-c:a", "libopus", *_AUDIO_48K)),
    "mov": FormatSpec("mov", ".mov", True, ".mov", "copy", ("-c:a", "aac", *_AUDIO_48K)),
    "gif": FormatSpec("gif", ".gif", False, ".mkv", "gif", None),
    "png-sequence": FormatSpec("png-sequence", "", True, "", "none", None),
}

#: File name pattern inside a PNG-sequence folder (frame numbers start at 0).
PNG_PATTERN = "frame_%06d.png"
