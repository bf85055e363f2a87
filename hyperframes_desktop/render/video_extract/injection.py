"""The page side: the ``<style>``/``<script>`` that shows extracted frames in place of the
videos (the script itself is ``render/js/video_frames.js``)."""

from __future__ import annotations

import json
from importlib import resources

from hyperframes_desktop.render.video_extract.stage import VideoFrames


def frames_script_source() -> str:
    return (
        resources.files("hyperframes_desktop.render")
        .joinpath("js/video_frames.js")
        .read_text(encoding="utf-8")
    )


def _css_key(key: str) -> str:
    return key.replace("\\", "\\\\").replace('"', '\\"')


def page_injection(frames: VideoFrames) -> str:
    """``<style>`` + ``<script>`` for ``compile_page(extra_head=...)``: the manifest and the
    seek hook that shows the extracted frames in place of the videos.

    The style gives each (media-less) video the natural size of its source at zero
    specificity, so the page lays it out exactly as with the real video loaded.
    """
    rules = ["video[data-hf-covered]{visibility:hidden !important}"]
    for key, entry in frames.manifest.items():
        width, height = int(entry.get("width", 0)), int(entry.get("height", 0))
        if width > 0 and height > 0:
            rules.append(
                f':where(video[data-hf-media="{_css_key(key)}"]){{contain:size;'
                f"contain-intrinsic-size:{width}px {height}px;aspect-ratio:{width} / {height}}}"
            )
    manifest = json.dumps(frames.manifest, separators=(",", ":")).replace("</", "<\\/")
    style = "\n".join(rules).replace("</", "<\\/")
    return (
        f"<style>{style}</style>"
        f"<script>window.__HF_VIDEO_FRAMES={manifest};\n{frames_script_source()}</script>"
    )
