"""Frame-exact video in the preview: the renderer's video-extract stage run on a pool thread.

The preview first seeks each ``<video>`` natively (close, not exact); once the frames the
render will use are extracted (or found in the cache), the page is reloaded with them, so the
preview shows exactly what a render captures.
"""

from __future__ import annotations

import threading

from hyperframes_desktop.project import Composition
from hyperframes_desktop.render.compile import frame_count, place_media
from hyperframes_desktop.render.options import RenderCancelled, RenderError
from hyperframes_desktop.render.resources.remote_media import (
    localize_media,
    studio_resolver_needed,
)
from hyperframes_desktop.render.video_extract import (
    VideoFrames,
    default_cache_root,
    extract_video_frames,
)
from hyperframes_desktop.ui.background import Reporter
from hyperframes_desktop.ui.preview.page import studio_delivery


def has_videos(comp: Composition) -> bool:
    return any(m.element.tag == "video" for m in place_media(comp))


class VideoFramesTask:
    """Extract the frames of ``comp``'s videos off the GUI thread (sends ``ready``
    (generation, VideoFrames) or ``failed`` (generation, sentence)); ``cancel`` stops FFmpeg."""

    def __init__(self, comp: Composition, generation: int) -> None:
        self.comp = comp
        self.generation = generation
        self.cancel = threading.Event()
        # taken here, on the GUI thread, and only when a clip is remote
        self.resolver = studio_delivery().resolver if studio_resolver_needed(comp) else None

    def run(self, report: Reporter) -> None:
        comp = self.comp
        try:
            frames: VideoFrames = extract_video_frames(
                localize_media(place_media(comp), self.resolver),
                comp.fps,
                frame_count(comp.duration, comp.fps),
                cache_root=default_cache_root(),
                cancel=self.cancel,
                project_root=comp.project_root,
            )
        except RenderCancelled:
            return
        except RenderError as exc:
            report.send("failed", self.generation, str(exc))
            return
        except Exception as exc:  # a preview nicety must never take the studio down
            report.send("failed", self.generation, f"{type(exc).__name__}: {exc}")
            return
        report.send("ready", self.generation, frames)
