"""What HyperFrames' runtime drives besides GSAP, on compositions written here: the page's
clock (requestAnimationFrame, Date.now, performance.now) follows the seek, in iframes too;
the ``hf-seek`` event with ``waitUntil``; anime.js instances in ``window.__hfAnime``; and the
readiness waits (three.js' loading manager, d3 transitions in ``window.__hfD3``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import frame_rgb, span, write_project
from support.media import near, pixel

from hyperframes_desktop.render import RenderJob, RenderOptions
from hyperframes_desktop.render.still import StillOptions, render_still

pytestmark = pytest.mark.slow

ON = (20, 200, 20)
ROW = {"raf": 10, "date": 40, "seek": 70, "anime": 100, "frame": 130}

INDEX = """<!doctype html><html><head><style>
html, body { margin: 0; background: #000; }
.bar { position: absolute; left: 0; height: 20px; width: 0; background: rgb(20, 200, 20); }
#ready { position: absolute; left: 300px; top: 160px; width: 20px; height: 20px;
         background: rgb(200, 20, 20); }
iframe { position: absolute; left: 0; top: 130px; width: 320px; height: 20px; border: 0; }
</style></head><body>
<div data-composition-id="main" data-width="320" data-height="180" data-duration="2"
     data-fps="10" data-no-timeline>
  <div id="raf" class="bar" style="top: 10px"></div>
  <div id="date" class="bar" style="top: 40px"></div>
  <div id="seek" class="bar" style="top: 70px"></div>
  <div id="anime" class="bar" style="top: 100px"></div>
  <iframe src="frame.html"></iframe>
  <div id="ready"></div>
</div>
<script>
  var start = Date.now();
  function loop(ms) {  // 100 px per second of the composition's clock
    document.getElementById("raf").style.width = (ms / 10) + "px";
    document.getElementById("date").style.width = ((Date.now() - start) / 10) + "px";
    requestAnimationFrame(loop);
  }
  requestAnimationFrame(loop);
  window.addEventListener("hf-seek", function (event) {
    var t = event.detail.time;
    event.detail.waitUntil(new Promise(function (done) {
      setTimeout(function () {  // drawn late: the frame must wait for it
        document.getElementById("seek").style.width = (t * 100) + "px";
        done();
      }, 60);
    }));
  });
  window.__hfAnime = [{
    pause: function () {},
    seek: function (ms) { document.getElementById("anime").style.width = (ms / 10) + "px"; }
  }];
  // Loads still running when the page has loaded: three.js' manager (real time), and a
  // d3-like transition, which ends on requestAnimationFrame once performance.now() passed
  // 0.5 s (d3's timer works so): it must play out before frame 0, not wait forever.
  window.THREE = { DefaultLoadingManager: { itemsLoaded: 0, itemsTotal: 1 } };
  var late = new Promise(function (done) { setTimeout(done, 1500); });
  var ended = new Promise(function (done) {
    function step() { if (performance.now() >= 500) done(); else requestAnimationFrame(step); }
    requestAnimationFrame(step);
  });
  window.__hfD3 = [{ end: function () { return ended; } }];
  Promise.all([late, ended]).then(function () {
    window.THREE.DefaultLoadingManager.itemsLoaded = 1;
    document.getElementById("ready").style.background = "rgb(20, 200, 20)";
  });
</script>
</body></html>"""

FRAME = """<!doctype html><html><head><style>
html, body { margin: 0; background: #000; }
#bar { position: absolute; left: 0; top: 0; height: 20px; width: 0; background: rgb(20, 200, 20); }
</style></head><body><div id="bar"></div><script>
  function loop(ms) {
    document.getElementById("bar").style.width = (ms / 10) + "px";
    requestAnimationFrame(loop);
  }
  requestAnimationFrame(loop);
</script></body></html>"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_project(tmp_path_factory.mktemp("adapters") / "p", INDEX, {"frame.html": FRAME})


def _bar(frame, name: str) -> int:
    found = span(frame, ROW[name] + 10, ON)
    return 0 if found is None else found[1] - found[0] + 1


@pytest.fixture(scope="module")
def frames(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("adapters-out") / "f"
    options = RenderOptions(project=project, output=out, format="png-sequence", frames=(5, 12))
    return RenderJob(options).run().output


@pytest.mark.parametrize("name", ["raf", "date", "seek", "anime", "frame"])
def test_each_driver_shows_the_frame_s_time(frames: Path, name: str) -> None:
    for n in (5, 12):  # 0.5 s and 1.2 s: 50 px and 120 px
        width = _bar(frame_rgb(frames / f"frame_{n:06d}.png", 0), name)
        assert abs(width - n * 10) <= 3, (name, n, width)


def test_frame_zero_waits_for_three_and_d3_loads(project: Path, tmp_path: Path) -> None:
    still = render_still(StillOptions(project, frame=0, output=tmp_path / "z.png"))
    assert near(pixel(frame_rgb(still.output, 0), 310, 170), ON, 30)
