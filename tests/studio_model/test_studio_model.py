"""The Qt-free studio model: state and events, on real project folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from hyperframes_desktop.project.watch import diff, snapshot
from hyperframes_desktop.studio_model import EVENTS, Event, StudioModel

PAGE = (
    "<!doctype html><div id=root data-composition-id={cid} data-width=64 data-height=36 "
    "data-duration=2><p class=clip id=a data-start=0 data-duration=1 data-track-index=0>"
    "{text}</p></div>\n"
)


def _project(root: Path) -> Path:
    (root / "compositions").mkdir(parents=True)
    (root / "index.html").write_text(PAGE.format(cid="main", text="hello"))
    (root / "compositions" / "intro.html").write_text(PAGE.format(cid="intro", text="hi"))
    return root


class Recorder:
    def __init__(self, model: StudioModel) -> None:
        self.seen: list[tuple[str, object]] = []
        for name in EVENTS:
            getattr(model.events, name).connect(
                lambda value, name=name: self.seen.append((name, value))
            )

    def names(self) -> list[str]:
        return [name for name, _ in self.seen]


def test_opening_a_project_lists_and_loads_the_main_composition(tmp_path: Path) -> None:
    model = StudioModel()
    seen = Recorder(model)
    assert model.open_project(_project(tmp_path / "p"))
    assert seen.names() == ["project", "compositions", "current"]
    assert model.project == (tmp_path / "p").resolve()
    assert [i.path.name for i in model.compositions] == ["index.html", "intro.html"]
    assert model.current is not None and model.current.path.name == "index.html"
    assert model.composition is not None and model.load_error is None


def test_a_folder_that_cannot_be_read_says_why(tmp_path: Path) -> None:
    model = StudioModel()
    assert not model.open_project(tmp_path / "missing")
    assert model.project is None and model.project_error
    assert model.status == model.project_error


def test_an_editors_save_reloads_the_current_composition(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    model = StudioModel()
    model.open_project(root)
    before = snapshot(model.project)
    old = model.composition
    (root / "index.html").write_text(PAGE.format(cid="main", text="changed"))
    changes = diff(before, snapshot(model.project))
    plans: list = []
    model.events.reloaded.connect(plans.append)
    plan = model.apply_file_changes(changes, snapshot(model.project).files)
    assert plans == [plan]
    assert plan.reload_current and plan.composition is model.composition
    assert model.composition is not old and model.composition.path == root / "index.html"


def test_a_broken_save_keeps_the_last_good_composition(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    model = StudioModel()
    model.open_project(root)
    good = model.composition
    before = snapshot(model.project)
    (root / "index.html").write_text("<div data-composition-id=main data-duration=x>")
    plan = model.apply_file_changes(diff(before, snapshot(model.project)))
    assert plan.reload_current and plan.composition is None and plan.error
    assert model.composition is good and model.load_error == plan.error


def test_a_change_nothing_uses_redoes_nothing(tmp_path: Path) -> None:
    root = _project(tmp_path / "p")
    model = StudioModel()
    (root / "notes.txt").write_text("a note")
    model.open_project(root)
    before = snapshot(model.project)
    (root / "notes.txt").write_text("a longer note")
    plan = model.apply_file_changes(diff(before, snapshot(model.project)))
    assert plan.nothing_to_redo and not plan.reload_current


def test_setters_emit_only_on_change(tmp_path: Path) -> None:
    model = StudioModel()
    seen = Recorder(model)
    model.set_selection({"a", "b"})
    model.set_selection(["b", "a"])
    model.set_frame(3)
    model.set_frame(3)
    model.set_marks(1, 9)
    model.set_playing(True)
    assert seen.seen == [
        ("selection", frozenset({"a", "b"})),
        ("frame", 3),
        ("marks", (1, 9)),
        ("playing", True),
    ]


def test_a_failing_subscriber_does_not_silence_the_others() -> None:
    event = Event("x")
    got: list[int] = []

    def broken(_value: int) -> None:
        raise RuntimeError("bug")

    event.connect(broken)
    event.connect(got.append)
    with pytest.raises(RuntimeError):
        event.emit(1)
    assert got == [1]
    with event.blocked():
        event.emit(2)
    assert got == [1]


def test_an_outside_save_drops_the_idless_elements_selected_in_that_file(tmp_path: Path) -> None:
    """A source key names a place in a file; after another program's save that place may
    hold another element, so the key leaves the selection (ids, and keys of other files,
    stay)."""
    root = _project(tmp_path / "p")
    model = StudioModel()
    model.open_project(root)
    before = snapshot(model.project)
    in_index, in_intro = "@index.html#div:0/p:0", "@compositions/intro.html#div:0/p:0"
    model.set_selection({"a", in_index, in_intro})
    (root / "index.html").write_text(PAGE.format(cid="main", text="<p>new</p>"))
    model.apply_file_changes(diff(before, snapshot(model.project)))
    assert model.selection == {"a", in_intro}
