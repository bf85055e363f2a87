"""``catalog``, ``add`` and ``init --example`` against a loopback registry laid out like
HyperFrames'; refusals are sentences and nothing is half-installed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from hyperframes_desktop.cli import main as cli_main


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli_main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "p"
    assert cli_main(["init", str(project), "--non-interactive", "--resolution", "320x180"]) == 0
    return project


def test_catalog_lists_blocks_and_components_with_filters(
    registry: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, "catalog", "--json", "--registry", registry)
    assert code == 0
    items = {i["name"]: i for i in json.loads(out)}
    assert set(items) == {"glow-card", "soft-shadow", "too-new", "half-there", "needs-ghost"}
    assert items["glow-card"] == {
        "name": "glow-card",
        "type": "block",
        "title": "Glow Card",
        "description": "The glow-card fixture block.",
        "tags": ["card", "glow"],
        "dimensions": {"width": 320, "height": 180},
        "duration": 2.0,
    }
    _, out, _ = _run(capsys, "catalog", "--json", "--registry", registry, "--tag", "card")
    assert [i["name"] for i in json.loads(out)] == ["glow-card", "too-new"]
    _, out, _ = _run(capsys, "catalog", "--json", "--registry", registry, "--type", "component")
    assert [i["name"] for i in json.loads(out)] == ["soft-shadow"]
    _, out, _ = _run(capsys, "catalog", "--json", "--registry", registry, "--query", "GLOW block")
    assert [i["name"] for i in json.loads(out)] == ["glow-card"]


def test_add_installs_dependencies_first_and_prints_the_mount(
    registry: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    capsys.readouterr()
    code, out, err = _run(capsys, "add", "glow-card", "--dir", str(project), "--registry", registry)
    assert code == 0, err
    assert out.index("soft-shadow") < out.index("glow-card")
    assert (project / "compositions/components/soft-shadow.html").is_file()
    assert (project / "compositions/glow-card.html").read_text().startswith("<!doctype html>")
    assert (project / "assets/glow-dot.svg").is_file()
    assert (
        '<div data-composition-id="glow-card" data-composition-src="compositions/glow-card.html"'
        ' data-start="0" data-duration="2" data-track-index="0"' in out
    )
    # again: same bytes, kept
    code, out, _ = _run(capsys, "add", "glow-card", "--dir", str(project), "--registry", registry)
    assert code == 0 and "kept  compositions/glow-card.html" in out
    # a changed file is never overwritten without --force
    (project / "assets/glow-dot.svg").write_text("mine")
    code, _, err = _run(capsys, "add", "glow-card", "--dir", str(project), "--registry", registry)
    assert code == 2 and "assets/glow-dot.svg" in err and "--force" in err
    assert (project / "assets/glow-dot.svg").read_text() == "mine"


def test_add_follows_hyperframes_json_paths_and_registry(
    registry: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = _project(tmp_path)
    (project / "hyperframes.json").write_text(
        json.dumps({"registry": registry, "paths": {"blocks": "scenes", "assets": "media/"}})
    )
    code, _, err = _run(capsys, "add", "glow-card", "--dir", str(project))
    assert code == 0, err
    assert (project / "scenes/glow-card.html").is_file()
    assert (project / "media/glow-dot.svg").is_file()
    assert (project / "compositions/components/soft-shadow.html").is_file()


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("too-new", "needs HyperFrames 99.0.0 or newer"),
        ("half-there", "has no blocks/half-there/assets/missing.png (404). Nothing was installed"),
        ("needs-ghost", '"needs-ghost" depends on "ghost"'),
        ("ghost", "has no blocks/ghost/registry-item.json (404)"),
        ("no-such-thing", 'There is no item "no-such-thing"'),
        ("starter", "is an example, a whole project"),
    ],
)
def test_refusals_are_sentences_and_write_nothing(
    registry: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, words: str
) -> None:
    project = _project(tmp_path)
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    code, _, err = _run(capsys, "add", name, "--dir", str(project), "--registry", registry)
    assert code == 2
    assert words in err and "Fix:" in err and "Traceback" not in err
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before


def test_catalog_and_add_work_offline_once_fetched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from registry_fixture import serve, write_registry

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    project = _project(tmp_path)
    capsys.readouterr()
    with serve(write_registry(tmp_path / "registry")) as url:
        code, online, _ = _run(capsys, "catalog", "--json", "--registry", url)
        assert code == 0
        assert _run(capsys, "add", "glow-card", "--dir", str(project), "--registry", url)[0] == 0
    # the server is gone: the same answers come from the cache
    code, offline, err = _run(capsys, "catalog", "--json", "--registry", url)
    assert code == 0, err
    assert json.loads(offline) == json.loads(online)
    other = tmp_path / "other"
    assert cli_main(["init", str(other), "--non-interactive"]) == 0
    capsys.readouterr()
    code, _, err = _run(capsys, "add", "glow-card", "--dir", str(other), "--registry", url)
    assert code == 0, err
    assert (other / "compositions/glow-card.html").is_file()
    # never fetched: a sentence, not a traceback
    code, _, err = _run(capsys, "add", "half-there", "--dir", str(other), "--registry", url)
    assert code == 2 and "cannot be reached" in err and "Fix:" in err


def test_registry_comes_from_the_environment(
    registry: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("HYPERFRAMES_REGISTRY_URL", registry)
    code, out, _ = _run(capsys, "catalog", "--json", "--dir", str(tmp_path))
    assert code == 0 and "glow-card" in out


def _tiny_video(path: Path) -> Path:
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=160x90:r=10:d=1.5",
         "-pix_fmt", "yuv420p", str(path)],
        check=True, timeout=60,
    )  # fmt: skip
    return path


def test_init_example_fills_the_video_placeholders(
    registry: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "film"
    code, _, err = _run(
        capsys, "init", str(folder), "--example", "starter", "--registry", registry,
        "--non-interactive",
    )  # fmt: skip
    assert code == 2
    assert "index.html: __VIDEO_SRC__, __VIDEO_DURATION__" in err and "--video FILE" in err
    assert not folder.exists()

    video = _tiny_video(tmp_path / "shot.mp4")
    code, _, err = _run(
        capsys, "init", str(folder), "--example", "starter", "--video", str(video),
        "--registry", registry, "--non-interactive",
    )  # fmt: skip
    assert code == 0, err
    html = (folder / "index.html").read_text()
    assert 'src="shot.mp4"' in html and 'data-duration="1.5"' in html and "__VIDEO" not in html
    assert (folder / "shot.mp4").read_bytes() == video.read_bytes()
    assert json.loads((folder / "hyperframes.json").read_text())["registry"] == registry
    from hyperframes_desktop.project.problems import check_project

    assert [p for p in check_project(folder) if p.is_error] == []


def test_init_example_refuses_a_block(
    registry: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(
        capsys, "init", str(tmp_path / "x"), "--example", "glow-card", "--registry", registry,
        "--non-interactive",
    )  # fmt: skip
    assert code == 2 and "is a block, not an example" in err


def test_init_example_refuses_template_options(
    registry: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _run(
        capsys, "init", str(tmp_path / "x"), "--example", "starter", "--fps", "24",
        "--registry", registry, "--non-interactive",
    )  # fmt: skip
    assert code == 2 and "--fps apply to bundled templates" in err
    assert not (tmp_path / "x").exists()
