"""What a capture worker process loads before its first frame: every render starts two of them
(and the farm, the studio and the render cache more), so the render pipeline, the project
model's editors and numpy (shader-transition mixing) stay out unless the page needs them."""

from __future__ import annotations

import json
import subprocess
import sys

from hyperframes_desktop.render.worker.layered import _lists_transitions

_WORKER_IMPORTS = (
    "import json, sys\n"
    "import hyperframes_desktop.render.worker.__main__\n"
    "import hyperframes_desktop.render.worker.capture_loop\n"
    "print(json.dumps(sorted(sys.modules)))\n"
)


def _modules_of_a_fresh_worker() -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", _WORKER_IMPORTS],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_a_capture_worker_starts_without_the_pipeline_or_numpy():
    loaded = _modules_of_a_fresh_worker()
    assert "numpy" not in loaded
    unwanted = {
        "hyperframes_desktop.render.pipeline",
        "hyperframes_desktop.render.audio",
        "hyperframes_desktop.render.compile",
        "hyperframes_desktop.render.shader_transitions",
        "hyperframes_desktop.project.timeline",
        # the project package loads its loader and listing on first use (page delivery
        # imports only project.gsap_fallback)
        "hyperframes_desktop.project.loader",
        "hyperframes_desktop.project.listing",
        "hyperframes_desktop.project.scanner",
    }
    assert not unwanted & loaded, sorted(unwanted & loaded)


def test_the_package_still_offers_its_names():
    import hyperframes_desktop.render as render

    assert sorted(render.__all__) == sorted(render._HOMES)
    for name in render.__all__:
        assert getattr(render, name) is not None
    from hyperframes_desktop.render import RenderJob, RenderOptions, tools

    assert RenderJob.__module__ == "hyperframes_desktop.render.pipeline"
    assert RenderOptions.__module__ == "hyperframes_desktop.render.options"
    assert tools.__name__ == "hyperframes_desktop.render.tools"


def test_the_project_package_still_offers_its_names():
    import hyperframes_desktop.project as project

    assert sorted(project.__all__) == sorted(project._HOMES)
    for name in project.__all__:
        assert getattr(project, name) is not None
    from hyperframes_desktop.project import ProjectError, load_composition

    assert load_composition.__module__ == "hyperframes_desktop.project.loader"
    assert ProjectError.__module__ == "hyperframes_desktop.project.errors"


def test_only_a_plan_that_lists_transitions_loads_the_mixing():
    assert not _lists_transitions("")
    assert not _lists_transitions("not json")
    assert not _lists_transitions("[]")
    assert not _lists_transitions('{"transitions": [], "bgColor": "#000"}')
    assert _lists_transitions('{"transitions": [{"shader": "iris"}]}')
