"""The worker's job description and the JSON-lines messages it prints (Qt-free)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import IO, Any

#: The argument of a capture process started before its job (a farm worker's spare host):
#: Qt and Chromium come up, then the job file's path arrives as the first line on stdin.
STANDBY_ARG = "--standby"
#: The argument of a capture process started before its job that only imports (the CLI's
#: early process, render.early_capture): the job file's path arrives as the first line on
#: stdin, and Qt and Chromium start with that job's own switches.
PREPARED_ARG = "--prepared"


@dataclass
class CaptureJob:
    html_path: str
    width: int
    height: int
    page_height: int
    first_frame: int
    end_frame: int  # exclusive
    fps_num: int
    fps_den: int
    out_fd: int
    views: int = 2
    scale: float = 1.0
    no_timeline: bool = False
    root_id: str = ""
    ready_timeout_s: float = 20.0
    frame_timeout_s: float = 15.0
    transparent: bool = False
    source_name: str = "index.html"  # what to call the compiled page in messages
    stride: int = 1  # this worker captures first_frame, first_frame + stride, ... < end_frame
    #: ResolverSettings.to_json() of the render (registry, cache, offline); "" = environment
    resolver_settings: str = ""
    #: Kept warm: after loading the page, capture each frame range read from stdin as a JSON
    #: line {"first", "end", "stride"} (first_frame..end_frame are unused); EOF ends it.
    serve: bool = False
    #: Chromium re-rasters changed tiles whole (--disable-partial-raster): pages that may run
    #: CSS or Web Animations need it for history-free frames (render.raster_needs)
    whole_tile_raster: bool = True

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> CaptureJob:
        return cls(**json.loads(text))


def emit(stream: IO[str], event: str, **fields: Any) -> None:
    """One message per line; the parent reads them as progress."""
    stream.write(json.dumps({"event": event, **fields}) + "\n")
    stream.flush()
