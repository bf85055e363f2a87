"""Splitting a clip is invisible in the render (real FFmpeg and QtWebEngine): a video clip, an
audio clip and an element whose animations select it by class render exactly as before the
split (decoded frame hashes and decoded samples equal). An element selected by id cannot keep
its styles on the copy, which needs a new id: the split warns and asks for confirmation, and
this test pins that the warning is true (the confirmed split changes the frames from the split
on, and only those)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import all_frames_rgb, gsap_js, span, write_project
from support.rendering import render_api
from video_support import ffmpeg, make_counter_video

from hyperframes_desktop.project.timeline import (
    ConfirmationRequired,
    apply_edit,
    build_timeline,
    split_clip,
)
from hyperframes_desktop.render import tools

pytestmark = pytest.mark.slow

FPS = 10
SPLIT_FRAME = 14  # 1.4 s

HTML = """<!doctype html><html><head>
<script src="./gsap.min.js"></script>
<style>
  html, body { margin: 0; width: 160px; height: 90px; background: #202020; overflow: hidden; }
  .stage { position: relative; width: 160px; height: 90px; }
  .reel { position: absolute; left: 0; top: 0; width: 80px; height: 45px; object-fit: fill; }
  .mover { position: absolute; left: 0; top: 50px; width: 20px; height: 20px;
           animation: tint 3s linear both; }
  @keyframes tint { from { background: rgb(255, 0, 0); } to { background: rgb(0, 0, 255); } }
  #target { position: absolute; left: 0; top: 72px; width: 16px; height: 16px;
            background: rgb(0, 200, 0); }
</style></head><body>
<div class="stage" data-composition-id="split" data-width="160" data-height="90"
     data-duration="3" data-fps="10">
  <video id="reel" class="clip reel" src="counter.mp4" muted playsinline
         data-start="0.5" data-duration="2" data-media-start="0.3" data-track-index="0"></video>
  <audio id="chirp" class="clip" src="chirp.wav"
         data-start="0.5" data-duration="2" data-media-start="0.25" data-track-index="1"></audio>
  <div id="box" class="clip mover" data-start="0.2" data-duration="2.4" data-track-index="2"></div>
  <div id="target" class="clip" data-start="0.2" data-duration="2.4" data-track-index="3"></div>
</div>
<script>
  const tl = gsap.timeline({ paused: true });
  tl.to(".mover", { x: 120, duration: 3, ease: "none" }, 0);
  tl.to("#target", { x: 120, duration: 3, ease: "none" }, 0);
  window.__timelines = window.__timelines || {};
  window.__timelines["split"] = tl;
</script>
</body></html>
"""


def _decoded(path: Path, stream: str, fmt: str) -> bytes:
    result = tools.launch(
        [tools.find_tool("ffmpeg"), "-v", "error", "-nostdin", "-i", str(path),
         "-map", f"0:{stream}:0", "-f", fmt, "pipe:1"],
        stdout=-1, stderr=-1,
    )  # fmt: skip
    out, err = result.communicate(timeout=120)
    assert result.returncode == 0, err
    return out


def frame_hashes(path: Path) -> list[str]:
    text = _decoded(path, "v", "framemd5").decode()
    return [ln.rsplit(",", 1)[-1].strip() for ln in text.splitlines() if ln and ln[0] != "#"]


def samples(path: Path) -> bytes:
    return _decoded(path, "a", "s16le")


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write_project(tmp_path_factory.mktemp("split") / "project", HTML)
    make_counter_video(folder / "counter.mp4", frames=90, rate="30", size="64x36")
    ffmpeg("-f", "lavfi", "-i", "aevalsrc=sin(2*PI*(220+300*t)*t)|0.5*sin(2*PI*330*t):s=48000:d=3",
           "-c:a", "pcm_s16le", "-y", str(folder / "chirp.wav"))  # fmt: skip
    shutil.copyfile(gsap_js(), folder / "gsap.min.js")
    return folder


@pytest.fixture(scope="module")
def unsplit(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("unsplit") / "out.mp4"
    render_api(source, out, workers=1)
    return out


def _split_and_render(source: Path, tmp_path: Path, key: str, *, confirm: bool = False) -> Path:
    project = tmp_path / "project"
    shutil.copytree(source, project)
    timeline = build_timeline(project)
    edit = split_clip(timeline, key, SPLIT_FRAME)
    apply_edit(edit, timeline, confirmed=confirm)
    after = build_timeline(project)
    first, second = after.clip(key), after.clip(f"{key}-2")
    assert first is not None and second is not None, "the split made two clips"
    assert first.end_frame == second.start_frame == SPLIT_FRAME
    out = tmp_path / "out.mp4"
    render_api(project, out, workers=1)
    return out


def test_split_video_clip_renders_identically(source: Path, unsplit: Path, tmp_path: Path) -> None:
    split = _split_and_render(source, tmp_path, "reel")
    before = frame_hashes(unsplit)
    assert len(before) == 30 and len(set(before)) > 15, "the video changes from frame to frame"
    assert frame_hashes(split) == before
    assert samples(split) == samples(unsplit)


def test_split_audio_clip_renders_identically(source: Path, unsplit: Path, tmp_path: Path) -> None:
    split = _split_and_render(source, tmp_path, "chirp")
    before = samples(unsplit)
    assert max(abs(int.from_bytes(before[i : i + 2], "little", signed=True))
               for i in range(96_000, 192_000, 2)) > 3000, "the chirp is audible"  # fmt: skip
    assert samples(split) == before
    assert frame_hashes(split) == frame_hashes(unsplit)


def test_split_element_animated_by_class_renders_identically(
    source: Path, unsplit: Path, tmp_path: Path
) -> None:
    timeline = build_timeline(source)
    assert not split_clip(timeline, "box", SPLIT_FRAME).needs_confirmation
    split = _split_and_render(source, tmp_path, "box")
    assert frame_hashes(split) == frame_hashes(unsplit)
    # the copy, shown from the split on, carries the class's CSS tint and GSAP tween
    frame = all_frames_rgb(split)[20]  # t = 2 s: x offset 80, tint 2/3 of red -> blue
    shown = span(frame, 60, (85, 0, 170))
    assert shown is not None and abs(shown[0] - 80) <= 2, shown


def test_split_element_selected_by_id_warns_because_the_video_would_change(
    source: Path, unsplit: Path, tmp_path: Path
) -> None:
    timeline = build_timeline(source)
    edit = split_clip(timeline, "target", SPLIT_FRAME)
    assert edit.needs_confirmation and '"#target"' in edit.warnings[0]
    with pytest.raises(ConfirmationRequired):
        apply_edit(edit, timeline)
    assert (source / "index.html").read_text(encoding="utf-8") == HTML, "nothing was written"
    split = _split_and_render(source, tmp_path, "target", confirm=True)
    # Lossy encoding lets later frames change how earlier ones are coded, so this compares
    # what a viewer sees: where the green #target box is on its row.
    before, after = all_frames_rgb(unsplit), all_frames_rgb(split)
    assert len(before) == len(after) == 30
    row, green = 80, (0, 200, 0)
    for frame in range(30):
        t = frame / FPS
        expected = round(120 * t / 3)  # the tween's x offset at t
        shown_before = span(before[frame], row, green)
        shown_after = span(after[frame], row, green)
        if not 2 <= frame < 26:
            assert shown_before is None and shown_after is None, frame
            continue
        assert shown_before is not None and abs(shown_before[0] - expected) <= 2, frame
        if frame < SPLIT_FRAME:
            assert shown_after is not None and abs(shown_after[0] - expected) <= 2, frame
        else:
            assert shown_after is None, f"frame {frame}: the copy has lost #target's style"
