"""The render cache's chunk plan: chunks start where clips start and end, and any cached
segment whose frames all match is reused, whatever range it covers. So a move of a clip that
does not start on a multiple of the chunk length re-captures only the chunk that starts at
the clip, and the chunks captured again start at the clip's new start (its next edit is cut
there too). Real renders (QtWebEngine, FFmpeg, ProRes decoded frame by frame) for exactness;
the planner's pure parts without a render."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import write_project
from test_render_cache import frame_md5s

from hyperframes_desktop.project import load_composition
from hyperframes_desktop.project.timeline import apply_edit, build_timeline, move_clip
from hyperframes_desktop.render.incremental import CACHE_DIR_ENV
from hyperframes_desktop.render.incremental.plan import (
    Candidate,
    clip_cuts,
    cover,
    cut_range,
    gaps,
    matching,
)
from hyperframes_desktop.render.options import RenderOptions
from hyperframes_desktop.render.pipeline import RenderJob, RenderResult

# 6 s at 10 fps (10-frame chunks). #x shows from frame 13 to the end: off the old grid of
# chunks counted from frame 0 (0-9, 10-19, ...), so its moves used to touch two chunks.
MOVING_HTML = """<!doctype html><html><head><style>
  html, body { margin: 0; width: 320px; height: 180px; background: #14213d; overflow: hidden; }
  .stage { position: relative; width: 320px; height: 180px; }
  #bar { position: absolute; left: 0; top: 0; width: 320px; height: 12px;
         animation: grow 6s linear both; transform-origin: 0 50%; background: #fca311; }
  #x { position: absolute; left: 100px; top: 50px; width: 90px; height: 70px;
       background: rgb(40, 200, 120); }
  @keyframes grow { from { transform: scaleX(0); } to { transform: scaleX(1); } }
</style></head><body>
<div class="stage" data-composition-id="moving" data-width="320" data-height="180"
     data-duration="6" data-fps="10" data-no-timeline>
  <div id="bar"></div>
  <div id="x" class="clip" data-start="1.3" data-duration="4.7" data-track-index="0">X</div>
</div>
</body></html>
"""


def _render(project: Path, out: Path, *, cache: bool) -> RenderResult:
    options = RenderOptions(project=project, output=out, format="mov", workers=1, cache=cache)
    return RenderJob(options).run()


def _move(project: Path, frame: int) -> None:
    timeline = build_timeline(project)
    apply_edit(move_clip(timeline, "x", frame), timeline)


@pytest.mark.slow
def test_an_unaligned_clip_move_recaptures_only_the_chunk_at_the_clip_and_equals_a_fresh_render(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "render-cache"))
    project = write_project(tmp_path / "moving", MOVING_HTML)
    fill = _render(project, tmp_path / "fill.mov", cache=True)
    assert fill.cache is not None
    # cut at #x's start (13), then every 10 frames: 0-9, 10-12, 13-22, 23-32, ... 53-59
    assert (fill.cache.chunks, fill.cache.captured) == (7, 7), fill.cache

    # 10 frames later: frames 13-22 change, exactly the chunk that starts at the clip (the
    # grid from frame 0 captured 10-29); the reused 10-12 is no chunk of today's cuts (#x
    # starts at 23 now), so segments of any range are reused
    _move(project, 23)
    first = _render(project, tmp_path / "first.mov", cache=True)
    assert first.cache is not None
    assert first.cache.captured_frames == list(range(13, 23)), first.cache
    assert (first.cache.reused, first.cache.captured) == (6, 1), first.cache
    assert frame_md5s(first.output) == frame_md5s(
        _render(project, tmp_path / "f1.mov", cache=False).output
    )

    # 3 frames later: frames 23-25 change, in the chunk 23-32 that starts at the clip; it
    # is captured again cut at the clip's new start (23-25, 26-32), in one pass
    _move(project, 26)
    second = _render(project, tmp_path / "second.mov", cache=True)
    assert second.cache is not None
    assert second.cache.captured_frames == list(range(23, 33)), second.cache
    assert (second.cache.captured, second.cache.passes) == (2, 1), second.cache

    # 3 more: frames 26-28 change, and the chunk captured last time starts at 26: only it
    # (26-32) is captured again (the grid from frame 0 captured 20-29 each time)
    _move(project, 29)
    third = _render(project, tmp_path / "third.mov", cache=True)
    assert third.cache is not None
    assert third.cache.captured_frames == list(range(26, 33)), third.cache
    fresh = frame_md5s(_render(project, tmp_path / "fresh.mov", cache=False).output)
    assert frame_md5s(third.output) == fresh, "every frame equals a fresh render"
    assert fresh != frame_md5s(first.output), "the edits show"


NESTED_CHILD = """<!doctype html><html><body>
<div data-composition-id="card" data-width="320" data-height="180" data-duration="2">
  <p id="stamp" class="clip" data-start="0.5" data-duration="0.4" data-track-index="0">s</p>
  <p id="late" class="clip" data-start="1.5" data-duration="2" data-track-index="1">l</p>
</div></body></html>
"""
NESTED_ROOT = """<!doctype html><html><body>
<div data-composition-id="root" data-width="320" data-height="180" data-duration="4"
     data-fps="30" data-no-timeline>
  <p id="a" class="clip" data-start="0.5" data-duration="1" data-track-index="0">a</p>
  <audio id="tone" class="clip" src="tone.wav" data-start="0.2" data-duration="1"
         data-track-index="1"></audio>
  <div id="host" data-composition-id="card" data-composition-src="card.html"
       data-start="1" data-duration="1.5" data-track-index="2"></div>
</div></body></html>
"""


def test_the_cuts_are_every_visible_clips_start_and_end_nested_ones_in_root_frames(
    tmp_path: Path,
) -> None:
    project = write_project(
        tmp_path / "nested", NESTED_ROOT, {"card.html": NESTED_CHILD, "tone.wav": b""}
    )
    comp = load_composition(project)
    # a: 15-45; the host: 30-75; in it #stamp 45-57 and #late from 75 (the host's end: no
    # frame of it shows); the audio clip (6-36) shows nothing
    assert clip_cuts(comp) == [15, 30, 45, 57, 75]


def test_pieces_are_cut_at_clip_boundaries_then_every_n_frames_and_tiny_ones_join_the_last() -> (
    None
):
    def spans(chunks: list[range]) -> list[tuple[int, int]]:
        return [(c.start, c.stop - 1) for c in chunks]

    assert spans(cut_range(range(50), [13, 31], 10)) == [
        (0, 9), (10, 12), (13, 22), (23, 30), (31, 40), (41, 49)
    ]  # fmt: skip
    # 13-14 is under 3 frames: it joins 0-12 (one segment, one IDR frame, fewer)
    assert spans(cut_range(range(30), [13, 15], 10, 3)) == [(0, 9), (10, 14), (15, 24), (25, 29)]
    # a range's first piece stays as it is (what is before it is a reused segment)
    assert spans(cut_range(range(40, 60), [41, 50], 10, 3)) == [(40, 40), (41, 49), (50, 59)]


def test_a_ten_frame_move_at_30_fps_recaptures_ten_frames_wherever_the_clip_starts() -> None:
    """The first 10-frame move of a clip, at each of 30 start frames: the chunks of a render
    cut at the clip's start are reused except the one the move changes (10 frames); the
    fixed grid from frame 0 re-captured 20 frames for 9 start frames in 10."""
    for start in range(1, 100):
        before_cuts = [start, 150]
        chunks = cut_range(range(150), before_cuts, 10, 3)
        before = {f: f"{f}:{f >= start}" for f in range(150)}
        after = {f: f"{f}:{f >= start + 10}" for f in range(150)}
        kept = [
            Candidate(f"{c.start}", c.start, c.stop - 1, tuple(before[f] for f in c))
            for c in chunks
        ]
        chosen = cover(range(150), matching(kept, range(150), after))
        redo = [f for gap in gaps(range(150), chosen) for f in gap]
        assert redo == list(range(start, start + 10)), start


def test_the_cover_reuses_the_most_frames_with_the_fewest_segments() -> None:
    prints = {f: str(f) for f in range(30)}

    def cand(start: int, end: int, stale: bool = False) -> Candidate:
        return Candidate(
            f"{start}-{end}",
            start,
            end,
            tuple(("x" if stale else str(f)) for f in range(start, end + 1)),
        )

    kept = [cand(0, 9), cand(0, 4), cand(5, 9), cand(8, 19), cand(10, 19), cand(20, 29, True)]
    chosen = cover(range(30), matching(kept, range(30), prints))
    assert [(c.start, c.end) for c in chosen] == [(0, 9), (10, 19)]
    assert gaps(range(30), chosen) == [range(20, 30)], "a stale segment is never used"
    # one outside the range rendered is not used either
    assert matching([cand(25, 34)], range(30), {f: str(f) for f in range(40)}) == []
