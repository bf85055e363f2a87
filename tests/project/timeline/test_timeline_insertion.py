"""Inserting elements (write-back): the new element lands as a child of the composition's
root, indented like its siblings, every other byte kept (BOM, CRLF, omitted end tags); the
write is atomic, refused when the file changed, and undone byte for byte.

Golden diffs in golden/insert_*.diff (UPDATE_GOLDEN=1 rewrites them after review)."""

from __future__ import annotations

import difflib
import os
import shutil
from pathlib import Path

import pytest

from hyperframes_desktop.project.own_writes import forget_own_writes
from hyperframes_desktop.project.timeline import EditHistory, FileChangedError, build_timeline
from hyperframes_desktop.project.timeline.insertion import (
    Insertion,
    apply_insertion,
    composition_host,
    free_track,
    media_clip,
    unique_id,
    used_ids,
)

DATA = Path(__file__).parent / "data" / "edit-project"
GOLDEN = Path(__file__).parent / "golden"

HEAD = "<!doctype html>\n<html><head><title>t</title></head>\n"
FILES = {
    "crlf_bom": (
        "\ufeff<!doctype html>\r\n<div id=root data-composition-id='m' data-width=64 "
        "data-height=36 data-duration=8>\r\n"
        "  <p class=clip data-start=0 data-duration=1 id=a data-track-index=0>é</p>\r\n"
        "</div>\r\n"
    ),
    "omitted_p": (
        HEAD + '<body>\n  <div id="root" data-composition-id="m" data-width="64" '
        'data-height="36" data-duration="8">\n'
        '    <p id="a" class="clip" data-start="0" data-duration="1" data-track-index="0">one\n'
        '    <p id="b" class="clip" data-start="1" data-duration="1" data-track-index="0">two\n'
        "  </div>\n</body>\n</html>\n"
    ),
    "body_root_no_end": (
        HEAD + '<body data-composition-id="m" data-width="64" data-height="36" '
        'data-duration="8">\n'
        '<div id="a" class="clip" data-start="0" data-duration="1" data-track-index="0">x</div>\n'
    ),
    "end_on_child_line": (
        HEAD + '<body>\n  <div id="root" data-composition-id="m" data-width="64" '
        'data-height="36" data-duration="8">\n'
        '    <i id="a" class="clip" data-start="0" data-duration="1" data-track-index="0">x'
        "</i></div>\n</body></html>\n"
    ),
    "tabs": (
        HEAD + '<body>\n\t<div id="root" data-composition-id="m" data-width="64" '
        'data-height="36" data-duration="8">\n'
        '\t\t<b id="a" class="clip" data-start="0" data-duration="1" data-track-index="0">x</b>\n'
        "\t</div>\n</body></html>\n"
    ),
    "empty_root": (
        HEAD + '<body><div id="root" data-composition-id="m" data-width="64" data-height="36" '
        'data-duration="8"></div></body></html>\n'
    ),
}


@pytest.fixture(autouse=True)
def _fresh_own_writes() -> None:
    forget_own_writes()


def _project(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "index.html").write_bytes(text.encode("utf-8"))
    return folder


def _video(timeline, clip_id: str = "shot", start: float = 2.5, track: int = 1):
    element = media_clip(
        "video", "assets/shot.mp4", clip_id=clip_id, start=start, duration=1.5, track=track
    )
    return Insertion(timeline.file, timeline.composition_id, element, "Add shot", "shot")


def _diff(before: bytes, after: bytes, name: str = "index.html") -> str:
    lines = difflib.unified_diff(
        before.decode("utf-8").splitlines(keepends=True),
        after.decode("utf-8").splitlines(keepends=True),
        f"a/{name}",
        f"b/{name}",
        n=0,
    )
    return "".join(lines)


def _check_golden(name: str, diff: str) -> None:
    golden = GOLDEN / f"insert_{name}.diff"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(diff.encode("utf-8"))
    assert golden.is_file(), f"no golden file {golden.name}; run with UPDATE_GOLDEN=1 and review"
    assert diff == golden.read_bytes().decode("utf-8")


@pytest.mark.parametrize("name", sorted(FILES))
def test_insertion_matches_golden_diff(name: str, tmp_path: Path) -> None:
    folder = _project(tmp_path, FILES[name])
    timeline = build_timeline(folder)
    before = (folder / "index.html").read_bytes()
    apply_insertion(_video(timeline), timeline)
    after = (folder / "index.html").read_bytes()
    _check_golden(name, _diff(before, after))
    # only bytes were added: removing the inserted run gives the original back
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    assert all(op in ("equal", "insert") for op, *_ in matcher.get_opcodes())
    # and the loader sees exactly one new clip where it was meant to be, in the root
    clip = build_timeline(folder).clip_by_id("shot")
    assert clip is not None and clip.depth == 0 and clip.kind == "video"
    assert (clip.start, clip.end, clip.track) == (2.5, 4.0, 1)


def test_insertion_into_the_edit_project(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    shutil.copytree(DATA, folder)
    timeline = build_timeline(folder)
    track = free_track(timeline, 4.5, 6.0, wanted=2)  # track 2 holds the reel until 6 s
    assert track == 5  # 2: the reel, 3: the music, 4: the card host, all busy at 4.5-6 s
    taken = used_ids(timeline.sources.values())
    clip_id = unique_id("reel", taken)
    assert clip_id == "reel-2"
    before = (folder / "index.html").read_bytes()
    apply_insertion(_video(timeline, clip_id, start=4.5, track=track), timeline)
    _check_golden("edit_project", _diff(before, (folder / "index.html").read_bytes()))


def test_host_element_for_a_block(tmp_path: Path) -> None:
    folder = _project(tmp_path, FILES["tabs"])
    timeline = build_timeline(folder)
    (folder / "compositions").mkdir()
    (folder / "compositions" / "glow.html").write_text(
        '<template><div data-composition-id="glow" data-width="64" data-height="36" '
        'data-duration="2"></div></template>'
    )
    host = composition_host(
        "glow", "compositions/glow.html", clip_id="glow", start=1, duration=2, track=1
    )
    apply_insertion(Insertion(timeline.file, "m", host, "Add glow"), timeline)
    clip = build_timeline(folder).clip_by_id("glow")
    assert clip is not None and clip.kind == "composition" and (clip.start, clip.end) == (1, 3)


def test_refused_when_the_file_changed_and_undo_is_byte_exact(tmp_path: Path) -> None:
    folder = _project(tmp_path, FILES["crlf_bom"])
    path = folder / "index.html"
    original = path.read_bytes()
    timeline = build_timeline(folder)

    path.write_bytes(original + b"<!-- an editor's save -->\r\n")
    with pytest.raises(FileChangedError, match="changed on disk"):
        apply_insertion(_video(timeline), timeline)
    assert path.read_bytes() == original + b"<!-- an editor's save -->\r\n"
    path.write_bytes(original)

    history = EditHistory(folder)
    history.record(apply_insertion(_video(timeline), timeline))
    assert path.read_bytes() != original and history.undo_label == "Add shot"
    assert [p.name for p in folder.iterdir()] == ["index.html"]  # no temp file left
    history.undo()
    assert path.read_bytes() == original
    history.redo()
    assert build_timeline(folder).clip_by_id("shot") is not None


def test_ids_and_free_tracks() -> None:
    assert unique_id("My Clip.mp4", {"my-clip-mp4"}) == "my-clip-mp4-2"
    assert unique_id("2024 party", set()) == "clip-2024-party"
    assert unique_id("", set()) == "clip"
