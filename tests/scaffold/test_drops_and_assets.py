"""What a media drop inserts (Qt-free), and the assets folder rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from hyperframes_desktop.project.timeline import EditRefused, build_timeline
from hyperframes_desktop.scaffold.assets import (
    ImportRefused,
    import_files,
    list_assets,
    missing_assets,
)
from hyperframes_desktop.scaffold.drops import plan_block_mount, plan_media_drop

PAGE = """<!doctype html><html><body>
<div id="root" data-composition-id="main" data-width="64" data-height="36" data-duration="4"
     data-fps="24">
  <p id="a" class="clip" data-start="0" data-duration="4" data-track-index="0">x</p>
  <video id="v" class="clip" src="media/gone.mp4" data-start="0" data-duration="1"></video>
</div></body></html>
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "p"
    (folder / "sub").mkdir(parents=True)
    (folder / "index.html").write_text(PAGE)
    (folder / "sub" / "still.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (folder / "renders").mkdir()
    (folder / "renders" / "out.mp4").write_bytes(b"\0\0\0 ftyp")
    return folder


def test_picture_drop_is_cut_at_the_end_and_goes_on_whole_frames(project: Path) -> None:
    timeline = build_timeline(project)
    plan = plan_media_drop(
        timeline, project / "sub" / "still.png", start=2.01, track=0, media_seconds=None
    )
    attrs = dict(plan.element.attrs)
    assert plan.element.tag == "img" and attrs["src"] == "sub/still.png"
    # 2.01 s is not on a frame at 24 fps: the next frame (49 = 2.041666 s) is used
    assert attrs["data-start"] == "2.041666"
    assert attrs["data-duration"] == "1.958333"  # to the end of the 4 s composition
    assert attrs["data-track-index"] == "1"  # track 0 is busy there
    assert attrs["id"] == "still"


def test_refusals_are_sentences(project: Path) -> None:
    timeline = build_timeline(project)
    font = project / "f.woff2"
    font.write_bytes(b"wOF2")
    with pytest.raises(EditRefused, match="not a video, sound or picture"):
        plan_media_drop(timeline, font, start=0, track=0, media_seconds=None)
    with pytest.raises(EditRefused, match=r"length of x\.mp4 could not be read"):
        plan_media_drop(timeline, project / "x.mp4", start=0, track=0, media_seconds=None)


def test_block_mount_takes_the_lowest_free_track(project: Path) -> None:
    timeline = build_timeline(project)
    plan = plan_block_mount(
        timeline, name="a", composition_id="glow", src="compositions/glow.html",
        start=1, duration=2, size=None,
    )  # fmt: skip
    attrs = dict(plan.element.attrs)
    assert attrs["id"] == "a-2" and attrs["data-track-index"] == "1"
    assert attrs["data-composition-src"] == "compositions/glow.html"


def test_assets_listing_import_and_missing(project: Path, tmp_path: Path) -> None:
    assert [a.rel for a in list_assets(project)] == ["sub/still.png"]  # renders/ left out
    source = tmp_path / "song.mp3"
    source.write_bytes(b"ID3")
    made = import_files(project, [source, source, project / "sub" / "still.png"])
    assert [p.relative_to(project).as_posix() for p in made] == [
        "assets/song.mp3",
        "assets/song-2.mp3",
        "sub/still.png",  # already in the project: used where it is
    ]
    assert not [p for p in (project / "assets").iterdir() if p.name.startswith(".")]
    with pytest.raises(ImportRefused, match="is not a file"):
        import_files(project, [tmp_path / "nope.mp3"])
    assert [(m.ref, m.composition, m.line) for m in missing_assets(project)] == [
        ("media/gone.mp4", "index.html", 5)
    ]
