"""Fixtures of the farm tests: one real loopback cluster per module, a tiny composition that
paints its own frame index (8 black/white bit cells and the number), and the one way the
tests render a project both here and on that cluster (``render_both``)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from support.farm import Cluster, start_cluster, wait_for_workers
from support.media import pixel
from support.projects import gsap_js, write_project

WIDTH, HEIGHT = 320, 180
CELL = 40
BITS = 8


def frame_index_html(duration: float, fps: int, audio: bool) -> str:
    cells = "".join(f'<div class="bit" style="left:{k * CELL}px"></div>' for k in range(BITS))
    sound = (
        f'<audio id="tone" class="clip" src="tone.wav" data-start="0" '
        f'data-duration="{duration:g}" data-track-index="1"></audio>'
        if audio
        else ""
    )
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><script src="gsap.min.js"></script>
<style>
* {{ margin: 0; padding: 0; }}
html, body {{ width: {WIDTH}px; height: {HEIGHT}px; overflow: hidden; background: #808080; }}
#root {{ position: relative; width: {WIDTH}px; height: {HEIGHT}px; background: #808080; }}
.bit {{ position: absolute; top: 0; width: {CELL}px; height: {CELL}px; background: #000; }}
#num {{ position: absolute; left: 10px; top: 50px; font: bold 110px sans-serif; color: #ff0; }}
</style></head>
<body>
<div id="root" data-composition-id="frames" data-start="0" data-width="{WIDTH}"
     data-height="{HEIGHT}" data-duration="{duration:g}" data-fps="{fps}">
  {cells}<div id="num">0</div>{sound}
</div>
<script>
(function () {{
  var cells = document.querySelectorAll(".bit"), num = document.getElementById("num");
  function paint(i) {{
    for (var k = 0; k < cells.length; k++) {{
      cells[k].style.background = (i >> k) & 1 ? "#fff" : "#000";
    }}
    num.textContent = String(i);
  }}
  var tl = gsap.timeline({{ paused: true, onUpdate: function () {{
    paint(Math.round(tl.time() * {fps}));
  }} }});
  tl.to({{}}, {{ duration: {duration:g} }}, 0);
  paint(0);
  window.__timelines = window.__timelines || {{}};
  window.__timelines["frames"] = tl;
}})();
</script>
</body></html>
"""


def make_frame_index_project(
    folder: Path, duration: float = 1.0, fps: int = 30, audio: bool = False
) -> Path:
    write_project(folder, frame_index_html(duration, fps, audio))
    (folder / "gsap.min.js").write_bytes(gsap_js().read_bytes())
    if audio:
        subprocess.run(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
             f"sine=frequency=440:duration={duration + 0.5}", "-ar", "48000", "-ac", "2", "-y",
             str(folder / "tone.wav")],
            check=True,
        )  # fmt: skip
    return folder


def decoded_index(frame) -> int:
    """The frame index the bit cells of a decoded frame show."""
    value = 0
    for k in range(BITS):
        r, g, b = pixel(frame, k * CELL + CELL // 2, CELL // 2)
        if (r + g + b) / 3 > 128:
            value |= 1 << k
    return value


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    farm = start_cluster(tmp_path_factory.mktemp("farm"))
    try:
        wait_for_workers(farm, 2)
        yield farm
    finally:
        farm.stop()


@pytest.fixture
def frame_index_project(tmp_path: Path) -> Path:
    return make_frame_index_project(tmp_path / "frames")


@dataclass
class LocalAndFarm:
    """One project rendered here and on the farm, with the same options."""

    local: Path
    farm: Path
    farm_result: object  # the farm's RenderResult (perf: chunks, workers, video count)
    backend: object  # the FarmBackend (chunk_costs: what each chunk measured)


@pytest.fixture
def render_both(cluster: Cluster, tmp_path: Path) -> Callable[..., LocalAndFarm]:
    """``render_both(chunk_frames, suffix="", **options)``: render locally into
    ``tmp_path/local<suffix>``, then on the module's cluster into ``tmp_path/farm<suffix>``
    (a folder for PNG sequences)."""
    from hyperframes_desktop.render import RenderJob, RenderOptions
    from hyperframes_desktop.render.farm import FarmBackend, FarmSettings

    def render(chunk_frames: int, suffix: str = "", **options) -> LocalAndFarm:
        local = RenderJob(RenderOptions(output=tmp_path / f"local{suffix}", **options)).run()
        backend = FarmBackend(FarmSettings(cluster.address, chunk_frames=chunk_frames))
        farm = backend.render(RenderOptions(output=tmp_path / f"farm{suffix}", **options))
        return LocalAndFarm(local.output, farm.output, farm, backend)

    return render
