"""The incremental render cache (real QtWebEngine, FFmpeg and files): a re-render after a
timeline edit reuses the unchanged chunks and equals a render without the cache, frame for
frame and sample for sample; a corrupted entry is never used; the size cap evicts the least
recently used entries."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path

import psutil
import pytest
from support import live_children, wait_until_gone, write_project
from support.compositions import mixed_html
from video_support import ffmpeg

from hyperframes_desktop.project.timeline import apply_edit, build_timeline, move_clip
from hyperframes_desktop.render import pipeline, tools
from hyperframes_desktop.render.incremental import CACHE_DIR_ENV, RenderCache
from hyperframes_desktop.render.incremental.keys import asset_digest
from hyperframes_desktop.render.incremental.store import ENTRY_FILE
from hyperframes_desktop.render.options import Progress, RenderOptions
from hyperframes_desktop.render.pipeline import RenderJob, RenderResult

pytestmark = pytest.mark.slow

# 6 s at 10 fps. Chunks are cut where the visible clips start and end (frames 12, 25, 35 and
# 42; the audio clip shows nothing), then every 10 frames: 0-9, 10-11, 12-21, 22-24, 25-34,
# 35-41, 42-51, 52-59. Clip #b (1 s) starts at 2.5 s and is moved 10 frames earlier, to
# 1.5 s: frames 15-34 change, in chunks 12-21, 22-24 and 25-34; the other five do not.
HTML = """<!doctype html><html><head><style>
  html, body { margin: 0; width: 320px; height: 180px; background: #101820; overflow: hidden; }
  .stage { position: relative; width: 320px; height: 180px; }
  #a { position: absolute; left: 10px; top: 10px; width: 60px; height: 60px;
       background: rgb(220, 40, 40); }
  #b { position: absolute; left: 120px; top: 60px; width: 80px; height: 80px;
       animation: tint 6s linear both; }
  #c { position: absolute; left: 240px; top: 110px; width: 50px; height: 50px;
       background: rgb(240, 200, 30); }
  #c b { position: absolute; left: 4px; top: 4px; white-space: nowrap; }
  @keyframes tint { from { background: rgb(0, 255, 0); } to { background: rgb(0, 0, 255); } }
</style></head><body>
<div class="stage" data-composition-id="cache" data-width="320" data-height="180"
     data-duration="6" data-fps="10" data-no-timeline>
  <div id="a" class="clip" data-start="0" data-duration="1.2" data-track-index="0">A</div>
  <div id="b" class="clip" data-start="2.5" data-duration="1" data-track-index="1">B</div>
  <div id="c" class="clip" data-start="4.2" data-duration="1.8" data-track-index="2"><b>C</b></div>
  <audio id="tone" class="clip" src="tone.wav" data-start="0.3" data-duration="5"
         data-track-index="3"></audio>
</div>
</body></html>
"""
CHANGED_CHUNKS = 3
CHUNKS = 8


def _render(project: Path, out: Path, *, cache: bool) -> RenderResult:
    options = RenderOptions(project=project, output=out, format="mov", workers=1, cache=cache)
    return RenderJob(options).run()


def _decoded(path: Path, stream: str, fmt: str) -> bytes:
    result = tools.launch(
        [tools.find_tool("ffmpeg"), "-v", "error", "-nostdin", "-i", str(path),
         "-map", f"0:{stream}:0", "-f", fmt, "pipe:1"],
        stdout=-1, stderr=-1,
    )  # fmt: skip
    out, err = result.communicate(timeout=120)
    assert result.returncode == 0, err
    return out


def _samples(path: Path) -> bytes:
    return _decoded(path, "a", "s16le")


def frame_md5s(path: Path) -> list[str]:
    """The MD5 of every decoded video frame, in order."""
    text = _decoded(path, "v", "framemd5").decode()
    return [ln.rsplit(",", 1)[-1].strip() for ln in text.splitlines() if ln and ln[0] != "#"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "render-cache"))
    folder = write_project(tmp_path / "project", HTML)
    ffmpeg("-f", "lavfi", "-i", "aevalsrc=0.4*sin(2*PI*(220+90*t)*t):s=48000:d=6",
           "-c:a", "pcm_s16le", "-y", str(folder / "tone.wav"))  # fmt: skip
    return folder


def test_cached_rerender_after_a_clip_move_equals_a_fresh_render(
    project: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    first = _render(project, tmp_path / "first.mov", cache=True)
    assert first.cache is not None and first.cache.chunks == CHUNKS
    assert (first.cache.reused, first.cache.captured) == (0, CHUNKS), "an empty cache: no reuse"

    timeline = build_timeline(project)
    clip = timeline.clip("b")
    assert clip is not None and clip.start_frame == 25
    apply_edit(move_clip(timeline, "b", clip.start_frame - 10), timeline)
    assert 'data-start="1.5"' in (project / "index.html").read_text(encoding="utf-8")

    with caplog.at_level(logging.INFO, logger="hyperframes_desktop.render"):
        cached = _render(project, tmp_path / "cached.mov", cache=True)
    fresh = _render(project, tmp_path / "fresh.mov", cache=False)
    assert fresh.cache is None
    report = cached.cache
    assert report is not None
    assert (report.reused, report.captured) == (CHUNKS - CHANGED_CHUNKS, CHANGED_CHUNKS), report
    assert report.captured_frames == list(range(12, 35)), "only the chunks the move touched"
    assert report.passes == 1, "adjacent changed chunks are captured in one pass, one encoder"
    reused = CHUNKS - CHANGED_CHUNKS
    assert (
        f"reused {reused} of {CHUNKS} chunks, captured {CHANGED_CHUNKS} again in 1 pass"
        in caplog.text
    )

    before, after, expected = (
        frame_md5s(tmp_path / "first.mov"),
        frame_md5s(cached.output),
        frame_md5s(fresh.output),
    )
    assert len(after) == len(expected) == 60
    assert after == expected, "every frame of the cached re-render equals a fresh render"
    moved = [f for f in range(60) if before[f] != expected[f]]
    assert moved and set(moved) <= set(range(15, 35)), "the edit shows, and only where it should"
    assert _samples(cached.output) == _samples(fresh.output)

    # a text change in a clip shown at 4.2-6 s (its chunks 42-51 and 52-59): nothing before
    html = (project / "index.html").read_text(encoding="utf-8")
    (project / "index.html").write_text(
        html.replace("<b>C</b>", "<b>C, longer</b>"), encoding="utf-8"
    )
    text = _render(project, tmp_path / "text.mov", cache=True)
    assert text.cache is not None and text.cache.captured_frames == list(range(42, 60))
    changed = frame_md5s(text.output)
    assert changed[:42] == after[:42] and changed[42:] != after[42:]


def _kept_segments(root: Path) -> dict[tuple[int, int], Path]:
    found = {}
    for record in RenderCache(root).root.rglob(ENTRY_FILE):
        start, end = json.loads(record.read_text())["frames"]
        found[(start, end)] = record.parent
    return found


def test_chunks_captured_in_one_pass_are_the_segments_their_own_captures_write(
    project: Path, tmp_path: Path
) -> None:
    """H.264: a pass over adjacent chunks gives each chunk its own encoder, so each kept
    segment decodes alone to the frames the joined video shows there, and is byte for byte
    what a capture of that chunk alone writes (one encoder cutting the pass at forced IDR
    frames wrote other, larger, segments)."""
    options = RenderOptions(project=project, output=tmp_path / "a.mp4", workers=1, cache=True)
    first = RenderJob(options).run()
    assert first.cache is not None and (first.cache.captured, first.cache.passes) == (CHUNKS, 1)
    joined = frame_md5s(first.output)
    assert len(joined) == 60
    kept = _kept_segments(tmp_path / "render-cache")
    assert sorted(kept) == [
        (0, 9),
        (10, 11),
        (12, 21),
        (22, 24),
        (25, 34),
        (35, 41),
        (42, 51),
        (52, 59),
    ]
    for (start, end), folder in kept.items():
        assert frame_md5s(folder / "segment.ts") == joined[start : end + 1], (start, end)

    third = kept[(25, 34)] / "segment.ts"
    written = third.read_bytes()
    third.write_bytes(written[:-188])  # one TS packet short: the entry is not used again
    options = RenderOptions(project=project, output=tmp_path / "b.mp4", workers=1, cache=True)
    again = RenderJob(options).run()
    assert again.cache is not None
    assert (again.cache.reused, again.cache.captured, again.cache.passes) == (CHUNKS - 1, 1, 1)
    assert again.cache.captured_frames == list(range(25, 35))
    assert third.read_bytes() == written, "the chunk alone: the same segment, byte for byte"
    assert frame_md5s(again.output) == joined


def test_a_corrupted_cache_entry_is_not_used(project: Path, tmp_path: Path) -> None:
    first = _render(project, tmp_path / "first.mov", cache=True)
    assert first.cache is not None and first.cache.captured == CHUNKS
    cache = RenderCache(tmp_path / "render-cache")
    entries = sorted(p.parent for p in cache.root.rglob(ENTRY_FILE))
    assert len(entries) == CHUNKS
    (third,) = [
        e for e in entries if json.loads((e / ENTRY_FILE).read_text())["frames"] == [25, 34]
    ]
    victim = next(p for p in sorted(third.iterdir()) if p.name != ENTRY_FILE)
    data = bytearray(victim.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = bytes(64)  # same size, other bytes
    victim.write_bytes(bytes(data))

    again = _render(project, tmp_path / "again.mov", cache=True)
    assert again.cache is not None
    assert (again.cache.reused, again.cache.captured) == (CHUNKS - 1, 1), again.cache
    assert again.cache.captured_frames == list(range(25, 35)), "the corrupted chunk"
    assert frame_md5s(again.output) == frame_md5s(first.output)
    assert victim.read_bytes() != bytes(data), "the entry was replaced by the fresh capture"


def test_an_unchanged_page_with_css_and_waapi_animations_reuses_every_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Transform animations are parked before a seek (the seek completes a few animation
    frames later): the fingerprint waits for it, or the first frames would never match."""
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "render-cache"))
    project = write_project(tmp_path / "mixed", mixed_html())
    first = _render(project, tmp_path / "a.mov", cache=True)
    again = _render(project, tmp_path / "b.mov", cache=True)
    assert first.cache is not None and again.cache is not None
    # cut where clip-a (frames 5-9) and clip-b (15-17) start and end: five chunks
    assert (again.cache.reused, again.cache.captured) == (5, 0), again.cache
    assert frame_md5s(again.output) == frame_md5s(first.output)


def _segment(folder: Path, name: str, size: int) -> Path:
    path = folder / name
    path.write_bytes(bytes([len(name)]) * size)
    return path


def test_the_size_cap_evicts_the_least_recently_used_entries(tmp_path: Path) -> None:
    cache = RenderCache(tmp_path / "cache", cap_bytes=int(2.5 * 2**20))
    made = tmp_path / "made"
    made.mkdir()
    prints = {key: [f"fp-{key}-{i}" for i in range(3)] for key in ("k1", "k2", "k3")}
    for key in ("k1", "k2", "k3"):
        cache.store("settings", key, prints[key], _segment(made, f"{key}.ts", 2**20), (0, 2))
    assert cache.size_bytes() > cache.cap_bytes
    # k1 is used after k2 and k3 were written: k2 is now the least recently used
    entry = cache.root / "settings" / "k1" / ENTRY_FILE
    older = entry.stat().st_mtime - 100
    for key in ("k2", "k3"):
        record = cache.root / "settings" / key / ENTRY_FILE
        os.utime(record, (older, older + (1 if key == "k3" else 0)))
    assert cache.lookup("settings", "k1", prints["k1"]) is not None
    assert cache.evict() == 1
    assert cache.size_bytes() <= cache.cap_bytes
    assert cache.lookup("settings", "k2", prints["k2"]) is None, "the LRU entry went"
    assert cache.lookup("settings", "k1", prints["k1"]) is not None
    assert cache.lookup("settings", "k3", prints["k3"]) is not None
    # a lookup with other fingerprints never returns the entry
    assert cache.lookup("settings", "k3", prints["k1"]) is None


def test_asset_files_are_in_the_key_and_outputs_are_not(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", HTML, {"style.css": "body{}", "img/logo.png": b"1"})
    digest = asset_digest(project, [], None)
    # earlier renders in the default folder, and this render's own output, are not assets
    write_project(tmp_path / "p", HTML, {"renders/old.gif": b"GIF89a", "out/now.gif": b"GIF8"})
    assert asset_digest(project, [], project / "out" / "now.gif") == digest
    (project / "index.html").write_text(HTML + "<!-- edited -->", encoding="utf-8")
    assert asset_digest(project, [], project / "out" / "now.gif") == digest, "HTML is DOM"
    (project / "img" / "logo.png").write_bytes(b"22")
    assert asset_digest(project, [], project / "out" / "now.gif") != digest


# A script that edits a style rule in place through the CSSOM: the <style>'s text, its rule
# count and the DOM stay as they were, only the script's text says what the frames show.
CSSOM_HTML = """<!doctype html><html><head><style id="look">
  html, body { margin: 0; width: 320px; height: 180px; background: #101820; overflow: hidden; }
  #box { position: absolute; left: 100px; top: 50px; width: 120px; height: 80px;
         background: rgb(200, 0, 0); }
</style></head><body>
<div data-composition-id="cssom" data-width="320" data-height="180" data-duration="1"
     data-fps="10" data-no-timeline><div id="box"></div></div>
<script>document.getElementById("look").sheet.cssRules[1].style.background = "rgb(0, 0, 200)";
</script>
</body></html>
"""


def test_a_script_edit_that_changes_a_rule_in_place_is_captured_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "render-cache"))
    project = write_project(tmp_path / "cssom", CSSOM_HTML)
    html = CSSOM_HTML.replace("rgb(0, 0, 200)", "rgb(0, 200, 0)")  # same length, same rules
    _assert_the_one_chunk_is_captured_again(
        project, tmp_path, lambda: (project / "index.html").write_text(html, encoding="utf-8")
    )


def test_a_capture_process_killed_during_a_pass_over_two_chunks_is_replaced(
    project: Path, tmp_path: Path
) -> None:
    """Two changed chunks are captured in one pass, each into its own FFmpeg: a capture
    process killed then is replaced, its frames re-captured into the right chunk's encoder,
    and every frame equals a fresh render."""
    import contextlib
    import signal
    import threading
    import time

    import psutil

    def mov(out: str, cache: bool) -> RenderResult:
        options = RenderOptions(
            project=project, output=tmp_path / out, format="mov", workers=2, cache=cache
        )
        return RenderJob(options).run()

    mov("fill.mov", True)
    timeline = build_timeline(project)
    # frames 0-4 and 12-16 change (10-11 show #a before and after): chunks 0-9 and 12-21,
    # captured again cut at #a's new start and end, in two passes of two chunks each
    apply_edit(move_clip(timeline, "a", 5), timeline)
    killed: list[int] = []
    stop = threading.Event()

    def kill_a_worker_mid_pass() -> None:
        """Kill a capture process once the pass's second FFmpeg has started: it starts when
        the first chunk's first frame is moved, so the pass has frames left to capture (the
        workers' progress reports, one each 0.1 s, can all come after an idle machine's
        20-frame pass)."""
        me = psutil.Process()
        while not stop.is_set() and not killed:
            with contextlib.suppress(psutil.Error):
                children = me.children(recursive=True)
                lines = {c.pid: " ".join(c.cmdline()) for c in children}
                encoders = [ln for ln in lines.values() if "segments" in ln and "ffmpeg" in ln]
                workers = [
                    p for p, ln in lines.items() if "hyperframes_desktop.render.worker" in ln
                ]
                if len(encoders) >= 2 and workers:
                    killed.append(workers[0])
                    os.kill(workers[0], signal.SIGKILL)
            time.sleep(0.002)

    watcher = threading.Thread(target=kill_a_worker_mid_pass, daemon=True)
    watcher.start()
    try:
        cached = mov("cached.mov", True)
    finally:
        stop.set()
        watcher.join()
    assert killed, "the render finished before a capture process could be killed"
    assert cached.perf.captureRestarts == 1
    assert cached.cache is not None
    assert cached.cache.captured_frames == [*range(10), *range(12, 22)]
    assert (cached.cache.captured, cached.cache.passes) == (4, 2)
    assert frame_md5s(cached.output) == frame_md5s(mov("fresh.mov", False).output)


def _sheet(monkeypatch: pytest.MonkeyPatch, colour: str) -> None:
    """The page's generated sheet (the bundled fonts' rules in a real render) is this rule."""
    rule = f"#box {{ outline: 9px solid {colour}; }}"
    monkeypatch.setattr(pipeline, "_fonts_css", lambda: rule)


def test_a_changed_generated_sheet_is_captured_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fingerprint keys the page's generated sheet by the digest its link carries, not by
    its rules: a sheet that changes what a frame shows, with as many rules, as long and the
    same DOM, must still capture again and equal a fresh render."""
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "render-cache"))
    project = write_project(tmp_path / "sheet", CSSOM_HTML.split("<script>")[0] + "</body></html>")
    _sheet(monkeypatch, "rgb(0, 0, 200)")
    _assert_the_one_chunk_is_captured_again(
        project, tmp_path, lambda: _sheet(monkeypatch, "rgb(0, 200, 0)")
    )


def _assert_the_one_chunk_is_captured_again(
    project: Path, tmp_path: Path, edit: Callable[[], object]
) -> None:
    """Render a one-chunk project twice with the cache (the second reuses the chunk), make
    ``edit``, render again: the chunk is captured again, equals a fresh render, and the edit
    shows."""
    first = _render(project, tmp_path / "first.mov", cache=True)
    same = _render(project, tmp_path / "same.mov", cache=True)
    assert same.cache is not None and (same.cache.reused, same.cache.captured) == (1, 0)

    edit()
    edited = _render(project, tmp_path / "edited.mov", cache=True)
    fresh = _render(project, tmp_path / "fresh.mov", cache=False)
    assert edited.cache is not None
    assert (edited.cache.reused, edited.cache.captured) == (0, 1), edited.cache
    assert frame_md5s(edited.output) == frame_md5s(fresh.output)
    assert frame_md5s(edited.output) != frame_md5s(first.output), "the edit shows"


def test_the_join_starts_before_the_fingerprints_and_equals_a_fresh_render(
    project: Path, tmp_path: Path
) -> None:
    """The join's FFmpeg is started with the render (waiting for its segment list), so its
    start-up overlaps the fingerprint pass; the joined file is the same as ever."""
    seen: list[list[str]] = []

    def on_progress(p: Progress) -> None:
        if p.stage == "capture" and p.frames_done == 0:  # before any fingerprint is in
            seen.append([" ".join(c.cmdline()) for c in live_children() if "ffmpeg" in c.name()])

    options = RenderOptions(project=project, output=tmp_path / "a.mov", format="mov", cache=True)
    first = RenderJob(options, on_progress).run()
    joins = [cmd for cmds in seen for cmd in cmds if "concat" in cmd and "pipe:0" in cmd]
    assert joins, f"no join waiting before the fingerprint pass: {seen}"
    again = _render(project, tmp_path / "again.mov", cache=True)
    fresh = _render(project, tmp_path / "fresh.mov", cache=False)
    assert again.cache is not None and again.cache.reused == CHUNKS
    assert frame_md5s(first.output) == frame_md5s(again.output) == frame_md5s(fresh.output)
    assert _samples(first.output) == _samples(again.output) == _samples(fresh.output)
    assert wait_until_gone(live_children, timeout=5) == [], "no FFmpeg left behind"


# A script that copies a hidden element's text into a style rule when the page loads: the
# script, the <style>'s text and the visible DOM stay as they were when that text changes.
HIDDEN_TEXT_HTML = CSSOM_HTML.replace(
    '<div id="box"></div>', '<div id="box"></div><i id="src" hidden>rgb(0, 0, 200)</i>'
).replace('"rgb(0, 0, 200)"', 'document.getElementById("src").textContent')


def test_a_rule_a_script_fills_from_hidden_text_is_captured_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "render-cache"))
    assert "textContent;" in HIDDEN_TEXT_HTML and "hidden>rgb(0, 0, 200)" in HIDDEN_TEXT_HTML
    project = write_project(tmp_path / "hidden", HIDDEN_TEXT_HTML)
    html = HIDDEN_TEXT_HTML.replace("hidden>rgb(0, 0, 200)", "hidden>rgb(0, 200, 0)")
    _assert_the_one_chunk_is_captured_again(
        project, tmp_path, lambda: (project / "index.html").write_text(html, encoding="utf-8")
    )


def _capture_processes() -> list:
    """The render's capture processes among this process's live children (zombies count)."""
    found = []
    for child in live_children():
        try:
            if "hyperframes_desktop.render.worker" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.Error:
            found.append(child)  # a zombie's command line cannot be read: still a leak
    return found


def test_the_capture_processes_end_while_the_chunks_are_joined_and_before_the_render_returns(
    project: Path, tmp_path: Path
) -> None:
    """A render's own capture processes (not a pool's) are ended on a thread when the last
    chunk is captured, so their Qt/Chromium teardown overlaps the join; the render still
    returns only once every one of them has ended."""
    at_join: list[int] = []

    def on_progress(p: Progress) -> None:
        if p.stage == "assemble":
            at_join.append(len(_capture_processes()))

    options = RenderOptions(project=project, output=tmp_path / "a.mov", format="mov", cache=True)
    result = RenderJob(options, on_progress).run()
    left = _capture_processes()  # at once: no waiting for stragglers
    assert left == [], f"capture processes outlived the render: {left}"
    assert at_join and at_join[0] > 0, (
        "the capture processes had all ended before the join began: their teardown did not "
        f"overlap it ({at_join})"
    )
    fresh = _render(project, tmp_path / "fresh.mov", cache=False)
    assert frame_md5s(result.output) == frame_md5s(fresh.output)
