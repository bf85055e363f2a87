"""Helpers shared by the render and CLI tests: real FFmpeg probes, decoded pixels, small
projects on disk, GSAP from the npm registry (cached, never vendored) and process scans."""

from support.media import (
    Frame,
    VideoInfo,
    all_frames_rgb,
    assert_colour,
    colour_distance,
    frame_md5s,
    frame_rgb,
    near,
    pixel,
    probe,
    span,
    video_info,
)
from support.processes import child_processes_of_tmp, describe, live_children, wait_until_gone
from support.projects import (
    GSAP_VERSION,
    REPO_ROOT,
    SAMPLES,
    copy_sample,
    gsap_js,
    partial_files,
    scratch_left,
    write_project,
)

__all__ = [
    "GSAP_VERSION",
    "REPO_ROOT",
    "SAMPLES",
    "Frame",
    "VideoInfo",
    "all_frames_rgb",
    "assert_colour",
    "child_processes_of_tmp",
    "colour_distance",
    "copy_sample",
    "describe",
    "frame_md5s",
    "frame_rgb",
    "gsap_js",
    "live_children",
    "near",
    "partial_files",
    "pixel",
    "probe",
    "scratch_left",
    "span",
    "video_info",
    "wait_until_gone",
    "write_project",
]
