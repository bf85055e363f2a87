"""Output formats: how the one streaming encoder writes each, and whether sound comes along.

MP4, WebM and MOV are encoded for real while frames are captured (sound muxed in, moov atom
first where the container has one); GIF needs the whole video for its palette, so the
encoder writes a lossless intermediate and the assemble stage does the palette pass; a PNG
sequence is written straight into the output folder.
"""

from __future__ import annotations

from dataclasses import dataclass

from hyperframes_desktop.render.options import FORMAT_EXTENSIONS, QUALITY_PRESETS

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
    alpha: bool  # frames keep transparency (the page background is made transparent)
    audio_args: tuple[str, ...] | None  # None: the format carries no sound

    @property
    def extension(self) -> str:
        """The output's extension; "" for a folder of files."""
        return FORMAT_EXTENSIONS[self.name]

    @property
    def is_folder(self) -> bool:
        return self.extension == ""

    @property
    def needs_palette_pass(self) -> bool:
        """GIF: the encoder writes a lossless intermediate, assembling makes the GIF."""
        return self.name == "gif"

    def codec_args(self, quality: str, rate: list[str] | None = None) -> list[str]:
        """``rate``: options replacing the preset's rate control (see render.rate_control)."""
        if self.name == "mp4":
            preset, crf = QUALITY_PRESETS[quality]
            return ["-c:v", "libx264", "-preset", preset, *(rate or ["-crf", str(crf)]),
                    "-pix_fmt", "yuv420p", "-profile:v", "high"]  # fmt: skip
        if self.name == "webm":
            deadline, cpu_used, crf = _VP9[quality]
            return ["-c:v", "libvpx-vp9", "-pix_fmt", "yuva420p", "-deadline", deadline,
                    "-cpu-used", cpu_used, *(rate or ["-crf", crf, "-b:v", "0"]), "-row-mt", "1",
                    "-auto-alt-ref", "0"]  # fmt: skip
        if self.name == "mov":
            return ["-c:v", "prores_ks", "-profile:v", "4444", "-pix_fmt", "yuva444p10le",
                    "-qscale:v", _PRORES_QSCALE[quality], "-vendor", "apl0"]  # fmt: skip
        if self.name == "gif":
            return ["-c:v", "ffv1", "-level", "3", "-pix_fmt", "bgra"]
        if self.name == "png-sequence":
            return ["-c:v", "png", "-pix_fmt", "rgba"]
        raise KeyError(self.name)

    def muxer_args(self) -> list[str]:
        if self.name in ("mp4", "mov"):
            return ["-movflags", "+faststart", "-f", self.name]
        if self.name == "webm":
            return ["-f", "webm"]
        if self.name == "gif":
            return ["-f", "matroska"]
        return ["-f", "image2"]


_AUDIO_48K = ("-b:a", "192k", "-ar", "48000", "-ac", "2")

FORMATS: dict[str, FormatSpec] = {
    "mp4": FormatSpec("mp4", False, ("-c:a", "aac", *_AUDIO_48K)),
    "webm": FormatSpec("webm", True, ("-c:a", "libopus", *_AUDIO_48K)),
    "mov": FormatSpec("mov", True, ("-c:a", "aac", *_AUDIO_48K)),
    "gif": FormatSpec("gif", False, None),
    "png-sequence": FormatSpec("png-sequence", True, None),
}

#: File name pattern inside a PNG-sequence folder (frame numbers start at 0).
PNG_PATTERN = "frame_%06d.png"
