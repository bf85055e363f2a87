"""The video-extract stage: which source frame each output frame shows, the frame cache, bad
input, and (end to end, real QtWebEngine) that the captured video shows those frames.

Every source video here is made by FFmpeg at test time and paints its own frame number as a
flat colour (``video_support.counter_colour``), so one pixel says which frame is shown.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import threading
import time
from fractions import Fraction
from pathlib import Path
from urllib.parse import unquote, urlsplit

import psutil
import pytest
from support import all_frames_rgb, pixel
from video_support import (
    capture_mp4,
    composition_html,
    decode_rgba,
    ffmpeg,
    folder_pixels,
    frame_number,
    make_counter_video,
    project_media,
    url_path,
    video_tag,
)

from hyperframes_desktop.project import load_composition
from hyperframes_desktop.render.compile import compile_page, frame_count
from hyperframes_desktop.render.options import RenderCancelled
from hyperframes_desktop.render.video_extract import (
    ENTRY_FILE,
    MediaInputError,
    VideoFrames,
    clean_partials,
    enforce_cache_limit,
    extract_video_frames,
    frame_plan,
    page_injection,
    pick_source_frames,
    pts_slack,
    select_expression,
)

F = Fraction


@pytest.fixture(scope="module")
def counter_mp4(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """90 frames at 30 fps (3 s), 64x36."""
    return make_counter_video(tmp_path_factory.mktemp("src") / "clip.mp4")


def shown_frames(frames: VideoFrames, key: str = "0") -> list[int | None]:
    """The source frame number each extracted output frame shows (decoded from its file)."""
    paths = [url_path(url) for url in frames.manifest[key]["paths"]]
    folder, ext = paths[0].parent, paths[0].suffix[1:]
    numbers = [frame_number(rgb) for rgb in folder_pixels(folder, ext, 32, 18)]
    return [numbers[int(path.stem)] for path in paths]


def one_video(
    tmp_path: Path, source: Path, *, fps: str = "30", duration: float = 3.0, **video: object
) -> tuple[list, Fraction, int, Path]:
    project = tmp_path / "project"
    project.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, project / "clip.mp4")
    start = float(video.pop("start", 0.0))  # type: ignore[arg-type]
    length = float(video.pop("length", 1.0))  # type: ignore[arg-type]
    html = composition_html(video_tag("clip.mp4", start, length, **video), duration, fps=fps)  # type: ignore[arg-type]
    media, comp_fps, comp_duration = project_media(project, html)
    return media, comp_fps, frame_count(comp_duration, comp_fps), project


# ---- frame-time mapping (no FFmpeg) ----------------------------------------------------------


def test_plan_maps_output_frames_into_the_source(tmp_path: Path, counter_mp4: Path) -> None:
    media, fps, count, _ = one_video(tmp_path, counter_mp4, start=0.5, length=1, media_start=1)
    plan = frame_plan(media[0], fps, count)
    # visible for 0.5 <= t < 1.5: frames 15..44; source time = 1 + (t - 0.5)
    assert (plan.start_frame, plan.end_frame) == (15, 45)
    assert plan.source_times[0] == 1
    assert plan.source_times[-1] == 1 + F(44, 30) - F(1, 2)
    assert all(isinstance(t, Fraction) for t in plan.source_times)


def test_plan_honours_playback_rate_and_unaligned_start(tmp_path: Path, counter_mp4: Path) -> None:
    media, fps, count, _ = one_video(
        tmp_path, counter_mp4, start=0.51, length=0.5, media_start=0.25, rate=2
    )
    plan = frame_plan(media[0], fps, count)
    # 0.51 s falls between frames 15 (0.5) and 16 (0.5333): the clip first shows at 16;
    # it ends before 1.01 s, i.e. the last frame is 30 (1.0 s)
    assert (plan.start_frame, plan.end_frame) == (16, 31)
    for i, f in enumerate(range(16, 31)):
        assert plan.source_times[i] == F(1, 4) + (F(f, 30) - F(51, 100)) * 2


def test_plan_at_ntsc_rate_uses_exact_frame_times(tmp_path: Path, counter_mp4: Path) -> None:
    media, fps, count, _ = one_video(
        tmp_path, counter_mp4, fps="30000/1001", start=1, length=1, media_start=0.5
    )
    assert fps == F(30000, 1001)
    plan = frame_plan(media[0], fps, count)
    # 1 s = frame 29.97 → first shown frame 30; 2 s = 59.94 → last shown frame 59
    assert (plan.start_frame, plan.end_frame) == (30, 60)
    assert plan.source_times[0] == F(1, 2) + F(30 * 1001, 30000) - 1


def test_plan_window_ending_on_a_frame_boundary_excludes_that_frame(
    tmp_path: Path, counter_mp4: Path
) -> None:
    media, fps, count, _ = one_video(tmp_path, counter_mp4, start=0, length=1)
    plan = frame_plan(media[0], fps, count)
    assert (plan.start_frame, plan.end_frame) == (0, 30)  # t = 1.0 is outside [0, 1)


def test_plan_is_clipped_to_the_render(tmp_path: Path, counter_mp4: Path) -> None:
    media, fps, count, _ = one_video(tmp_path, counter_mp4, duration=1, start=0.5, length=2)
    plan = frame_plan(media[0], fps, count)
    assert (plan.start_frame, plan.end_frame) == (15, 30)


def test_pick_takes_the_last_frame_not_after_the_time() -> None:
    pts = tuple(F(k, 30) for k in range(10))
    times = (F(0), F(1, 30), F(1, 30) - F(1, 10_000), F(3, 60), F(-1), F(100))
    assert pick_source_frames(times, pts) == [0, 1, 0, 1, 0, 9]


def test_pick_absorbs_only_timestamp_rounding() -> None:
    # WebM ticks are milliseconds: 1/30 s and 2/30 s are stored as 0.033 s and 0.067 s
    webm = (F(0), F(33, 1000), F(67, 1000), F(100, 1000))
    slack = pts_slack(F(1, 1000))
    assert pick_source_frames((F(1, 30), F(2, 30), F(1, 10)), webm, slack) == [1, 2, 3]
    # a fine time base is taken at its word: NTSC frame 1 (1001/30000 s) is 33 µs after 1/30 s
    ntsc = tuple(F(1001 * k, 30000) for k in range(4))
    assert pick_source_frames((F(1, 30),), ntsc, pts_slack(F(1, 30000))) == [0]
    assert pts_slack(F(1, 25)) == F(1, 2000)  # never more than half a millisecond


def test_select_expression_merges_runs_of_frames() -> None:
    pts = tuple(F(k, 30) for k in range(10))
    expr = select_expression([2, 3, 4, 7], pts, offset=F(0))
    terms = expr.split("+")
    assert len(terms) == 2
    assert terms[0].startswith("between(t\\,0.0555") and terms[1].startswith("between(t\\,0.2222")


# ---- extraction with FFmpeg ------------------------------------------------------------------


def test_extracts_the_frame_shown_at_each_output_time(tmp_path: Path, counter_mp4: Path) -> None:
    media, fps, count, project = one_video(
        tmp_path, counter_mp4, start=0.5, length=1, media_start=1
    )
    frames = extract_video_frames(media, fps, count, tmp_path / "cache", project_root=project)
    entry = frames.manifest["0"]
    assert entry["start_frame"] == 15
    assert (entry["width"], entry["height"]) == (64, 36)
    # output frame f shows source frame (1 + (f/30 - 0.5)) * 30 = f + 15
    assert shown_frames(frames) == [f + 15 for f in range(15, 45)]
    assert frames.breakdown.cacheMisses == 1 and frames.breakdown.cacheHits == 0
    assert frames.breakdown.framesExtracted == 30
    assert frames.breakdown.extractMs > 0 and frames.elapsed_ms > 0


def test_double_rate_skips_every_other_source_frame(tmp_path: Path, counter_mp4: Path) -> None:
    media, fps, count, project = one_video(
        tmp_path, counter_mp4, start=0, length=0.5, media_start=0.2, rate=2
    )
    frames = extract_video_frames(media, fps, count, tmp_path / "cache", project_root=project)
    assert shown_frames(frames) == [6 + 2 * f for f in range(15)]
    assert frames.breakdown.framesExtracted == 15


def test_ntsc_source_and_output_rates(tmp_path: Path) -> None:
    source = make_counter_video(tmp_path / "src" / "ntsc.mp4", frames=60, rate="30000/1001")
    # 30 fps output: frame f at f/30 s; NTSC frame k starts at k·1001/30000 s, a hair later
    # than k/30, so each output frame shows the frame before "its" own one (frame 0 twice)
    media, fps, count, project = one_video(tmp_path / "a", source, length=1)
    frames = extract_video_frames(media, fps, count, tmp_path / "cache", project_root=project)
    assert shown_frames(frames) == [(f * 1000) // 1001 for f in range(30)]
    # output at the source's own rate, 30000/1001: one output frame per source frame
    media, fps, count, project = one_video(tmp_path / "b", source, fps="30000/1001", length=1)
    frames = extract_video_frames(media, fps, count, tmp_path / "cache", project_root=project)
    assert shown_frames(frames) == list(range(30))


def test_half_rate_shows_each_source_frame_twice_but_extracts_it_once(
    tmp_path: Path, counter_mp4: Path
) -> None:
    media, fps, count, project = one_video(tmp_path, counter_mp4, length=0.4, rate=0.5)
    frames = extract_video_frames(media, fps, count, tmp_path / "cache", project_root=project)
    assert shown_frames(frames) == [f // 2 for f in range(12)]
    assert frames.breakdown.framesExtracted == 6


def test_window_past_the_source_end_holds_the_last_frame(tmp_path: Path, counter_mp4: Path) -> None:
    media, fps, count, project = one_video(
        tmp_path, counter_mp4, start=0, length=1, media_start=2.5
    )
    frames = extract_video_frames(media, fps, count, tmp_path / "cache", project_root=project)
    assert shown_frames(frames) == [min(75 + f, 89) for f in range(30)]


def test_media_start_far_into_a_longer_source_seeks(tmp_path: Path) -> None:
    source = make_counter_video(tmp_path / "src" / "long.mp4", frames=99, rate="10")
    media, fps, count, project = one_video(tmp_path, source, length=0.5, media_start=8)
    frames = extract_video_frames(media, fps, count, tmp_path / "cache", project_root=project)
    # 10 fps source shown at 30 fps from 8 s: each source frame for three output frames
    assert shown_frames(frames) == [80 + f // 3 for f in range(15)]


@pytest.mark.parametrize(
    ("name", "codec"),
    [
        ("alpha.mov", ("-c:v", "qtrle")),  # alpha in the pixel format (argb)
        # VP9 keeps alpha in a side channel only libvpx decodes (stream tag alpha_mode=1)
        ("alpha.webm", ("-c:v", "libvpx-vp9", "-pix_fmt", "yuva420p", "-deadline", "realtime")),
    ],
)
def test_alpha_sources_give_rgba_png_frames(
    tmp_path: Path, name: str, codec: tuple[str, ...]
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    ffmpeg("-f", "lavfi", "-i", "color=c=red@0.5:s=32x18:r=30:d=1,format=rgba", *codec,
           "-y", str(project / name))  # fmt: skip
    media, fps, _ = project_media(project, composition_html(video_tag(name, 0, 0.2), 1))
    frames = extract_video_frames(media, fps, 30, tmp_path / "cache", project_root=project)
    first = url_path(frames.manifest["0"]["paths"][0])
    assert first.suffix == ".png"
    assert first.read_bytes()[25] == 6  # PNG colour type 6: RGBA
    rgba = decode_rgba(first, 16, 9)
    assert rgba[0] > 200 and rgba[1] < 40 and abs(rgba[3] - 128) <= 8, rgba


def test_a_clip_never_shown_needs_no_file(tmp_path: Path) -> None:
    project = tmp_path / "project"
    html = composition_html(video_tag("missing.mp4", 5, 1), 1)  # starts after the render ends
    media, fps, _ = project_media(project, html)
    frames = extract_video_frames(media, fps, 30, tmp_path / "cache", project_root=project)
    assert frames.manifest["0"]["paths"] == []
    assert (frames.breakdown.cacheHits, frames.breakdown.cacheMisses) == (0, 0)


def test_anamorphic_source_is_shown_at_its_display_size(tmp_path: Path) -> None:
    source = make_counter_video(tmp_path / "src" / "wide.mp4", frames=10, extra=("-vf", "setsar=2"))
    media, fps, count, project = one_video(tmp_path, source, length=0.2)
    frames = extract_video_frames(media, fps, count, tmp_path / "cache", project_root=project)
    entry = frames.manifest["0"]
    assert (entry["width"], entry["height"]) == (128, 36)
    assert "contain-intrinsic-size:128px 36px" in page_injection(frames)


# ---- cache -----------------------------------------------------------------------------------


def test_second_extraction_is_a_cache_hit_that_runs_no_ffmpeg(
    tmp_path: Path, counter_mp4: Path
) -> None:
    media, fps, count, project = one_video(tmp_path, counter_mp4, start=0.5, media_start=1)
    cache = tmp_path / "cache"
    first = extract_video_frames(media, fps, count, cache, project_root=project)
    # Same size and mtime, different bytes: a hit never even reads the source, so FFmpeg
    # (which would fail on this) cannot have run.
    source = project / "clip.mp4"
    stat = source.stat()
    source.write_bytes(b"\0" * stat.st_size)
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    second = extract_video_frames(media, fps, count, cache, project_root=project)
    assert (second.breakdown.cacheHits, second.breakdown.cacheMisses) == (1, 0)
    assert second.breakdown.framesExtracted == 0 and second.breakdown.extractMs == 0
    assert second.manifest == first.manifest
    # a changed source (new mtime) is extracted again, and here it is damaged
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    with pytest.raises(MediaInputError):
        extract_video_frames(media, fps, count, cache, project_root=project)


def test_cache_entry_missing_files_is_extracted_again(tmp_path: Path, counter_mp4: Path) -> None:
    media, fps, count, project = one_video(tmp_path, counter_mp4, length=0.3)
    cache = tmp_path / "cache"
    first = extract_video_frames(media, fps, count, cache, project_root=project)
    url_path(first.manifest["0"]["paths"][3]).unlink()
    again = extract_video_frames(media, fps, count, cache, project_root=project)
    assert (again.breakdown.cacheHits, again.breakdown.cacheMisses) == (0, 1)
    assert all(url_path(u).is_file() for u in again.manifest["0"]["paths"])


def test_stale_partial_folders_are_removed_and_live_ones_kept(
    tmp_path: Path, counter_mp4: Path
) -> None:
    cache = tmp_path / "cache"
    dead_pid = 2**22 + 12345
    while psutil.pid_exists(dead_pid):
        dead_pid += 1
    dead = cache / f".partial-{dead_pid}-abc"
    live = cache / f".partial-{os.getpid()}-def"
    trash = cache / ".trash-123"
    for folder in (dead, live, trash):
        folder.mkdir(parents=True)
        (folder / "000000.jpg").write_bytes(b"half")
    media, fps, count, project = one_video(tmp_path, counter_mp4, length=0.2)
    extract_video_frames(media, fps, count, cache, project_root=project)
    assert not dead.exists() and not trash.exists()
    assert live.exists()  # its process (this one) may still be writing it
    old = time.time() - 2 * 24 * 3600
    os.utime(live, (old, old))
    assert clean_partials(cache) == 1 and not live.exists()
    assert [p.name for p in cache.iterdir() if p.name.startswith(".")] == []


def test_size_cap_evicts_least_recently_used_entries(tmp_path: Path, counter_mp4: Path) -> None:
    cache = tmp_path / "cache"
    keys = []
    for i, media_start in enumerate((0, 1, 2)):
        media, fps, count, project = one_video(
            tmp_path / str(i), counter_mp4, length=0.3, media_start=media_start
        )
        frames = extract_video_frames(media, fps, count, cache, project_root=project)
        folder = url_path(frames.manifest["0"]["paths"][0]).parent
        keys.append(folder.name)
        # pretend they were last used an hour, two hours, three hours ago (oldest: first)
        when = time.time() - 3600 * (3 - i)
        os.utime(folder / ENTRY_FILE, (when, when))
    sizes = [json.loads((cache / k / ENTRY_FILE).read_text())["bytes"] for k in keys]
    # room for the two newest only
    evicted = enforce_cache_limit(cache, sizes[1] + sizes[2])
    assert evicted == [keys[0]]
    assert not (cache / keys[0]).exists() and (cache / keys[1]).is_dir()
    # the entry a render is using stays even when the cap cannot then be met
    assert enforce_cache_limit(cache, 0, keep={keys[1]}) == [keys[2]]
    assert (cache / keys[1]).is_dir()
    # extraction enforces the cap itself, keeping what it just extracted
    media, fps, count, project = one_video(tmp_path / "x", counter_mp4, length=0.3)
    frames = extract_video_frames(
        media, fps, count, cache, project_root=project, cache_limit_bytes=1
    )
    assert not (cache / keys[1]).exists()
    assert all(url_path(u).is_file() for u in frames.manifest["0"]["paths"])


def test_cancel_stops_ffmpeg_and_leaves_no_partial_entry(tmp_path: Path) -> None:
    source = tmp_path / "src" / "big.mp4"
    source.parent.mkdir()
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=3",
           "-c:v", "libx264", "-preset", "ultrafast", "-y", str(source))  # fmt: skip
    media, fps, count, _ = one_video(tmp_path, source, length=3)
    cache = tmp_path / "cache"
    cancel = threading.Event()
    outcome: list[BaseException | VideoFrames] = []

    def run() -> None:
        try:
            outcome.append(extract_video_frames(media, fps, count, cache, cancel))
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not any(cache.glob(".partial-*/*.jpg")):
        time.sleep(0.005)
    children = psutil.Process().children(recursive=True)
    cancel.set()
    worker.join(30)
    assert outcome and isinstance(outcome[0], RenderCancelled), outcome
    assert list(cache.iterdir()) == []
    assert not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]


# ---- bad input -------------------------------------------------------------------------------


def _error_for(tmp_path: Path, src: str, files: dict[str, bytes], **video: object) -> str:
    project = tmp_path / "project"
    project.mkdir(exist_ok=True)
    for name, data in files.items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_bytes(data)
    html = composition_html(video_tag(src, 0, 1, element_id="intro-clip", **video), 1)  # type: ignore[arg-type]
    media, fps, _ = project_media(project, html)
    with pytest.raises(MediaInputError) as caught:
        extract_video_frames(media, fps, 30, tmp_path / "cache", project_root=project)
    error = caught.value
    assert error.stage == "video_extract"
    message = str(error)
    assert '"intro-clip"' in message and "Fix:" in message
    assert str(tmp_path) not in message  # files are named relative to the project
    cache = tmp_path / "cache"
    assert not cache.exists() or list(cache.iterdir()) == []  # nothing half-written
    return message


def test_missing_file_is_named(tmp_path: Path) -> None:
    message = _error_for(tmp_path, "media/gone.mp4", {})
    assert "media/gone.mp4" in message and "does not exist" in message


def test_corrupt_file_is_named(tmp_path: Path) -> None:
    # Fixed bytes: about 1 in 150 fresh random blobs probes as an MP3 (FFmpeg finds a frame
    # sync), which is then, rightly, "no video stream" instead of "cannot read".
    garbage = random.Random(20261207).randbytes(4000)
    message = _error_for(tmp_path, "broken.mp4", {"broken.mp4": garbage})
    assert "broken.mp4" in message and "cannot read" in message


def test_truncated_file_is_named(tmp_path: Path, counter_mp4: Path) -> None:
    data = counter_mp4.read_bytes()
    message = _error_for(tmp_path, "cut.mp4", {"cut.mp4": data[: len(data) // 3]})
    assert "cut.mp4" in message


def test_audio_only_file_is_named(tmp_path: Path) -> None:
    wav = tmp_path / "tone.wav"
    ffmpeg("-f", "lavfi", "-i", "sine=d=1:sample_rate=8000", "-y", str(wav))
    message = _error_for(tmp_path, "tone.wav", {"tone.wav": wav.read_bytes()})
    assert "tone.wav" in message and "no video stream" in message


def test_media_start_past_the_end_is_named(tmp_path: Path, counter_mp4: Path) -> None:
    message = _error_for(
        tmp_path, "clip.mp4", {"clip.mp4": counter_mp4.read_bytes()}, media_start=5
    )
    assert "clip.mp4" in message and "5 s" in message and "3 s long" in message


def test_url_source_is_refused(tmp_path: Path) -> None:
    message = _error_for(tmp_path, "https://example.com/v.mp4", {})
    assert "URL" in message


# ---- the page --------------------------------------------------------------------------------


def test_page_injection_carries_manifest_and_hook() -> None:
    frames = VideoFrames(
        manifest={
            "3": {"start_frame": 2, "paths": ["file:///a</script>.jpg"], "width": 4, "height": 2}
        }
    )
    text = page_injection(frames)
    assert text.startswith("<style>") and "window.__HF_VIDEO_FRAMES=" in text
    assert "</script>.jpg" not in text  # cannot close the script early
    assert "__hf_seek_hooks" in text and 'video[data-hf-media="3"]' in text
    assert text.count("</script>") == 1


# ---- end to end: captured by QtWebEngine ----------------------------------------------------

BG = (0x20, 0x20, 0x20)
COVER = (255, 0, 255)
E2E_CSS = """
#bg { position: absolute; left: 0; top: 0; width: 100%; height: 100%; object-fit: cover; }
#cover { position: absolute; left: 0; top: 0; width: 100px; height: 100px; background: #f0f; }
#small { position: absolute; left: 400px; top: 200px; width: 160px; }
"""


@pytest.mark.slow
def test_capture_shows_the_extracted_frames(tmp_path: Path) -> None:
    project = tmp_path / "project"
    make_counter_video(project / "clip.mp4", size="320x180")
    body = "\n".join(
        [
            # fills the stage; shows from 0.5 s for 1 s, starting 1 s into the source
            video_tag("clip.mp4", 0.5, 1, element_id="bg", media_start=1),
            # painted after (above) the video: must stay on top of its frames
            '<div id="cover" class="clip" data-start="0" data-duration="2"></div>',
            # only a width: its height comes from the source's 16:9 (90 px), at double speed
            video_tag("clip.mp4", 0, 1, element_id="small", rate=2),
        ]
    )
    media, fps, _ = project_media(project, composition_html(body, 2, css=E2E_CSS))
    frames = extract_video_frames(media, fps, 60, tmp_path / "cache", project_root=project)
    page = compile_page(
        load_composition(project), tmp_path / "page", extra_head=page_injection(frames)
    )
    decoded = all_frames_rgb(capture_mp4(page, tmp_path / "capture"))
    assert len(decoded) == 60
    wrong = []
    for f, frame in enumerate(decoded):
        t = F(f, 30)
        bg = frame_number(pixel(frame, 320, 60))
        expect_bg = int((1 + (t - F(1, 2))) * 30) if F(1, 2) <= t < F(3, 2) else None
        small = frame_number(pixel(frame, 480, 285))  # 85 px into the 90-px-high box
        expect_small = 2 * f if t < 1 else expect_bg  # then the full-stage clip shows there
        if bg != expect_bg or small != expect_small:
            wrong.append((f, bg, expect_bg, small, expect_small))
        if expect_bg is None:
            assert max(abs(a - b) for a, b in zip(pixel(frame, 320, 60), BG, strict=True)) <= 12
        assert max(abs(a - b) for a, b in zip(pixel(frame, 50, 50), COVER, strict=True)) <= 12
    assert not wrong, f"(frame, shown, expected, small shown, small expected): {wrong}"
    # below the small video's 90-px box (a media-less video would be 80 px: 2:1) is background
    assert frame_number(pixel(decoded[5], 480, 295)) is None


STYLED_CSS = """
#a { position: absolute; left: 100px; top: 50px; width: 300px; height: 200px;
     object-fit: cover; object-position: 20% 50%; border-radius: 30px; opacity: 0.8;
     transform: rotate(8deg) scale(0.9); border: 6px solid #0f0; box-shadow: 10px 10px 0 #00f; }
#row { position: absolute; left: 420px; top: 40px; display: flex; gap: 10px;
       align-items: center; padding: 5px; background: #446; }
#row .dot { width: 40px; height: 40px; background: #fa0; }
#b { width: 150px; object-fit: contain; filter: saturate(0.5); }
#over { position: absolute; left: 180px; top: 120px; width: 60px; height: 60px;
        background: #fff; }
"""


def _styled_body(a: str, b: str) -> str:
    return (
        f"{a}\n"
        '<div id="row" class="clip" data-start="0" data-duration="1">'
        f'<div class="dot"></div>{b}<div class="dot"></div></div>\n'
        '<div id="over" class="clip" data-start="0" data-duration="1"></div>'
    )


@pytest.mark.slow
def test_styled_videos_paint_like_an_image_of_the_same_frame(tmp_path: Path) -> None:
    """Style fidelity: each video is drawn exactly as the browser draws an <img> of the same
    frame with the same CSS (box, transform, radius, border, shadow, opacity, object-fit,
    filter, in-flow layout inside a flex row, and paint order under a later sibling)."""
    project = tmp_path / "project"
    project.mkdir()
    # a detailed picture that changes every frame: crops, scaling and frame choice all show
    ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x180:rate=30:duration=0.4",
           "-c:v", "libx264", "-preset", "ultrafast", "-qp", "4", "-pix_fmt", "yuv420p",
           "-y", str(project / "clip.mp4"))  # fmt: skip
    videos = _styled_body(
        video_tag("clip.mp4", 0, 1, element_id="a"), video_tag("clip.mp4", 0, 1, element_id="b")
    )
    media, fps, _ = project_media(project, composition_html(videos, 0.2, css=STYLED_CSS))
    frames = extract_video_frames(media, fps, 6, tmp_path / "cache", project_root=project)
    page = compile_page(
        load_composition(project), tmp_path / "page", extra_head=page_injection(frames)
    )
    rendered = all_frames_rgb(capture_mp4(page, tmp_path / "capture"))[3]

    reference = tmp_path / "reference"
    shutil.copytree(project, reference)
    # the same frame's file, inside the reference project: a page reads no file outside it
    frame_file = Path(unquote(urlsplit(frames.manifest["0"]["paths"][3]).path))
    shutil.copyfile(frame_file, reference / f"frame{frame_file.suffix}")
    url = f"frame{frame_file.suffix}"
    images = _styled_body(
        f'<img id="a" class="clip" data-start="0" data-duration="1" src="{url}">',
        f'<img id="b" class="clip" data-start="0" data-duration="1" src="{url}">',
    )
    (reference / "index.html").write_text(composition_html(images, 0.2, css=STYLED_CSS))
    ref_page = compile_page(load_composition(reference), tmp_path / "ref-page")
    expected = all_frames_rgb(capture_mp4(ref_page, tmp_path / "ref-capture"))[3]

    differing = sum(
        1
        for i in range(0, len(expected.data), 3)
        if max(abs(expected.data[i + c] - rendered.data[i + c]) for c in range(3)) > 24
    )
    assert differing <= 0.002 * expected.width * expected.height, differing
