#!/usr/bin/env python3
"""Preview sound drift: how far the audio player strays from the playhead over a long play.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/audio_sync.py [--seconds 30] [--fps 30]

Plays a tone composition of that length with the studio's PreviewAudio following a real
PlaybackController (no web page), records every position the player reports with the
playhead's clock at that moment, and prints, per 0.7 s stretch, the player's offset (the
largest ``position - clock`` in it; single readings lag by the player's ~85 ms reporting
blocks), then the worst stretch, the mean, and how many drift corrections were needed.
Target: the worst stretch under one frame. With a sound device (e.g. PulseAudio's null sink:
PULSE_SERVER=unix:/path/native) the output's latency is learned in the first seconds:
``--settle`` leaves them out of the judgement.
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

STRETCH_S = 0.7


def make_project(folder: Path, seconds: float, fps: int) -> Path:
    from hyperframes_desktop.render import tools

    folder.mkdir(parents=True, exist_ok=True)
    (folder / "index.html").write_text(
        "<!doctype html><html><body><div id='r' data-composition-id='s' data-width='160' "
        f"data-height='90' data-duration='{seconds}' data-fps='{fps}' data-no-timeline>"
        f"<audio id='t' class='clip' src='tone.wav' data-start='0' data-duration='{seconds}'>"
        "</audio></div></body></html>",
        encoding="utf-8",
    )
    subprocess.run(
        [tools.find_tool("ffmpeg"), "-v", "error", "-f", "lavfi", "-i",
         f"sine=frequency=440:duration={seconds + 1}", "-y", str(folder / "tone.wav")],
        check=True,
    )  # fmt: skip
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--fps", type=int, default=30)
    parser.add_argument(
        "--settle", type=float, default=0.0, help="seconds not judged at the start (a device's "
        "latency is learned first)",
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="one JSON object on the last line")
    args = parser.parse_args()
    # a hang (e.g. in an audio backend) prints where every thread is and exits
    faulthandler.enable()
    faulthandler.dump_traceback_later(args.seconds + 90, exit=True)

    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtMultimedia import QMediaDevices
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from hyperframes_desktop.project import load_composition
    from hyperframes_desktop.render.compile import frame_count
    from hyperframes_desktop.ui.preview.audio import PreviewAudio
    from hyperframes_desktop.ui.preview.playback import PlaybackController

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    work = Path(tempfile.mkdtemp(prefix="hf-audio-bench-"))
    project = make_project(work / "p", args.seconds, args.fps)
    controller = PlaybackController()
    controller.set_loop(False)
    audio = PreviewAudio(controller, cache_root=work / "cache")
    comp = load_composition(project)
    controller.set_timeline(frame_count(comp.duration, comp.fps), comp.fps)
    controller.in_out.set_composition(comp.path, controller.frame_count)  # as the panel
    t0 = time.monotonic()
    audio.set_composition(comp)
    while not audio.available and time.monotonic() - t0 < 60:
        wait(20)
    mixed_s = time.monotonic() - t0
    wait(300)
    readings: list[tuple[float, float]] = []
    audio.player.positionChanged.connect(
        lambda p: readings.append((time.monotonic(), p - controller.clock_time() * 1000))
    )
    start = time.monotonic()
    controller.play()
    wait(round((args.seconds - 0.3) * 1000))
    controller.pause()

    frame_ms = 1000 / args.fps
    offsets = []
    t = start + max(0.1, args.settle)
    end = readings[-1][0] if readings else start
    while t + STRETCH_S <= end:
        stretch = [d for when, d in readings if t <= when < t + STRETCH_S]
        if stretch:
            offsets.append(max(stretch))
        t += STRETCH_S
    worst = max(offsets, key=abs)
    device = QMediaDevices.defaultAudioOutput().description() or "none (no audio device)"
    print(f"audio device: {device}")
    print(
        f"mix prepared in {mixed_s * 1000:.0f} ms; {len(readings)} readings over {args.seconds:g} s"
    )
    print(
        f"stretches: {len(offsets)}; worst {worst:+.1f} ms, mean {statistics.mean(offsets):+.1f} ms"
    )
    print("per stretch (ms):", " ".join(f"{o:+.0f}" for o in offsets))
    print(f"one frame: {frame_ms:.1f} ms -> {'OK' if abs(worst) < frame_ms else 'OVER'}")
    print(
        f"drift corrections: {audio.sync.resyncs} {[round(c, 1) for c in audio.sync.corrections]}"
    )
    if args.json:
        summary = {
            "device": device,
            "frame_ms": frame_ms,
            "offsets_ms": [round(o, 2) for o in offsets],
            "corrections_ms": [round(c, 2) for c in audio.sync.corrections],
            "lead_ms": audio.sync.lead_ms,
            "readings": len(readings),
        }
        print(json.dumps(summary))
    audio.shutdown()
    app.processEvents()
    return 0 if abs(worst) < frame_ms else 1


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)  # PySide6 6.12 can crash tearing down Qt Multimedia at interpreter exit
