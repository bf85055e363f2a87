"""The preview's sound with a real QMediaPlayer: it follows the playhead at play, seek, loop
and frame steps; mute and volume work and are remembered; compositions without sound
disable the controls.

CI has no sound card: QMediaDevices lists no output, and QtMultimedia's FFmpeg backend then
plays against the system clock, so the player's position advances as it would on a device
(nothing is heard). Its position is reported in blocks (~85 ms) and announced late, so one
reading lags by up to ~60 ms; the player's offset from the playhead over a stretch of time
is the largest ``position - clock`` among its readings (see ui/preview/audio_sync.py).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtMultimedia import QMediaDevices, QMediaPlayer
from support import write_project
from support.media import write_tone as make_tone

from hyperframes_desktop.project import load_composition
from hyperframes_desktop.render.compile import frame_count
from hyperframes_desktop.ui.preview.audio import PreviewAudio
from hyperframes_desktop.ui.preview.audio_controls import AudioControls
from hyperframes_desktop.ui.preview.playback import PlaybackController

FPS = 30
FRAME_MS = 1000 / FPS
#: Readings are judged over stretches this long (several position blocks).
STRETCH_S = 0.7
#: The most a single reading may lag: one position block (~85 ms) plus the announcement delay
#: plus one frame.
READING_LAG_MS = 85.4 + 60 + FRAME_MS


def page(audio: str, duration: float = 3.0) -> str:
    return (
        "<!doctype html><html><head><style>html,body{margin:0;width:160px;height:90px;"
        'background:#123}</style></head><body>\n<div id="r" data-composition-id="sound" '
        f'data-width="160" data-height="90" data-duration="{duration}" data-fps="{FPS}" '
        f"data-no-timeline>\n{audio}\n</div></body></html>\n"
    )


TONE_CLIP = '<audio id="tone" class="clip" src="tone.wav" data-start="0" data-duration="3"></audio>'


@pytest.fixture
def sound_project(tmp_path: Path) -> Path:
    folder = write_project(tmp_path / "sound", page(TONE_CLIP))
    make_tone(folder / "tone.wav", seconds=4.0)
    return folder


@pytest.fixture
def quiet_project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "quiet", page(""))


@pytest.fixture
def rig(qtbot, tmp_path: Path):
    """A playhead and the preview's audio following it (no web page needed)."""
    made = []

    def make(project: Path | None = None):
        controller = PlaybackController()
        audio = PreviewAudio(controller, cache_root=tmp_path / "cache")
        made.append((controller, audio))
        if project is not None:
            comp = load_composition(project)
            controller.set_timeline(frame_count(comp.duration, comp.fps), comp.fps)
            controller.in_out.set_composition(comp.path, controller.frame_count)  # as the panel
            audio.set_composition(comp)
        return controller, audio

    yield make
    for controller, audio in made:
        if shiboken6.isValid(audio):
            audio.shutdown()
            controller.pause()
            audio.deleteLater()
            controller.deleteLater()


def wait_loaded(qtbot, audio: PreviewAudio) -> None:
    qtbot.waitUntil(lambda: audio.available, timeout=30_000)
    loaded = (QMediaPlayer.MediaStatus.LoadedMedia, QMediaPlayer.MediaStatus.BufferedMedia)
    qtbot.waitUntil(lambda: audio.player.mediaStatus() in loaded, timeout=10_000)


class Readings:
    """Every position the player reports, with the playhead's clock at that moment."""

    def __init__(self, controller: PlaybackController, audio: PreviewAudio) -> None:
        self.items: list[tuple[float, float, float]] = []  # (now, position, clock)
        self.controller = controller
        audio.player.positionChanged.connect(self._on_position)

    def _on_position(self, position: int) -> None:
        self.items.append((time.monotonic(), float(position), self.controller.clock_time() * 1e3))

    def between(self, start: float, end: float) -> list[tuple[float, float, float]]:
        return [r for r in self.items if start <= r[0] < end]

    def assert_in_step(self, start: float, end: float, what: str) -> None:
        """Over each stretch of [start, end) the player is within one frame of the playhead,
        and no single reading lags more than the reporting allows."""
        readings = self.between(start, end)
        assert len(readings) >= (end - start) / 0.2, f"{what}: the player reported too little"
        for _, position, clock in readings:
            assert -READING_LAG_MS < position - clock < FRAME_MS, (
                f"{what}: player at {position:.0f} ms, playhead at {clock:.1f} ms"
            )
        t = start
        while t + STRETCH_S <= end:
            stretch = self.between(t, t + STRETCH_S)
            offset = max(position - clock for _, position, clock in stretch)
            assert abs(offset) < FRAME_MS, (
                f"{what}: {t - start:.1f}–{t - start + STRETCH_S:.1f} s after, the sound is "
                f"{offset:+.1f} ms from the picture (one frame is {FRAME_MS:.1f} ms)"
            )
            t += STRETCH_S


def play_for(qtbot, seconds: float) -> tuple[float, float]:
    start = time.monotonic()
    qtbot.wait(round(seconds * 1000))
    return start, time.monotonic()


def test_the_player_follows_the_playhead_at_play_seek_and_loop(rig, qtbot, sound_project) -> None:
    controller, audio = rig(sound_project)
    wait_loaded(qtbot, audio)
    if not QMediaDevices.audioOutputs():
        assert "plays silently" in audio.reason  # CI: no device, still playing
    readings = Readings(controller, audio)

    controller.play()
    start, end = play_for(qtbot, 1.5)
    assert audio.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
    readings.assert_in_step(start + 0.1, end, "play")

    controller.seek(15)  # back 1 s to 0.5 s, while playing (the window ends before the loop)
    start, end = play_for(qtbot, 1.0)
    first = readings.between(start, end)[0]
    assert abs(first[1] - first[2]) < FRAME_MS + 1, "the seek did not move the player"
    readings.assert_in_step(start + 0.1, end, "seek")

    controller.set_loop(True)
    controller.seek(20)
    qtbot.wait(100)
    controller.seek(80)  # 0.33 s before the end: the playhead loops to 0
    qtbot.waitUntil(lambda: controller.frame < 30, timeout=3_000)
    start, end = play_for(qtbot, 1.1)
    readings.assert_in_step(start + 0.1, end, "loop")
    assert audio.sync.resyncs <= 2, f"constant corrections: {audio.sync.corrections}"


def test_pause_and_frame_steps_park_the_player_on_the_frame(rig, qtbot, sound_project) -> None:
    controller, audio = rig(sound_project)
    wait_loaded(qtbot, audio)
    controller.play()
    qtbot.wait(400)
    controller.pause()
    qtbot.waitUntil(
        lambda: audio.player.playbackState() == QMediaPlayer.PlaybackState.PausedState,
        timeout=2_000,
    )
    for step in (1, 1, -1, 1):
        controller.step(step)
        want = controller.time_of(controller.frame) * 1000
        qtbot.waitUntil(lambda w=want: abs(audio.player.position() - w) <= 1, timeout=2_000)
    controller.seek(60)
    qtbot.waitUntil(lambda: abs(audio.player.position() - 2000) <= 1, timeout=2_000)
    qtbot.wait(300)
    assert abs(audio.player.position() - 2000) <= 1  # paused: it stays there


def test_shuttle_above_1x_is_silent(rig, qtbot, sound_project) -> None:
    controller, audio = rig(sound_project)
    wait_loaded(qtbot, audio)
    controller.shuttle_forward()  # 1×: heard
    qtbot.wait(200)
    assert not audio.output.isMuted()
    assert audio.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState
    controller.shuttle_forward()  # 2×
    assert controller.speed == 2.0
    qtbot.waitUntil(lambda: audio.output.isMuted() and audio.muted, timeout=1_000)
    qtbot.waitUntil(
        lambda: audio.player.playbackState() != QMediaPlayer.PlaybackState.PlayingState,
        timeout=2_000,
    )
    controller.pause()  # K
    qtbot.waitUntil(lambda: not audio.output.isMuted(), timeout=1_000)
    controller.shuttle_backward()  # J: backwards, silent
    qtbot.waitUntil(lambda: audio.output.isMuted(), timeout=1_000)
    controller.pause()


def test_mute_and_volume_work_and_are_remembered(rig, qtbot, sound_project) -> None:
    _controller, audio = rig(sound_project)
    controls = AudioControls(audio)
    qtbot.addWidget(controls)
    wait_loaded(qtbot, audio)
    assert controls.volume.isEnabled() and controls.mute_action.isEnabled()
    assert not audio.output.isMuted()
    controls.mute_action.trigger()
    assert audio.user_muted and audio.output.isMuted()
    full = audio.output.volume()
    controls.volume.setValue(30)
    assert 0 < audio.output.volume() < full
    controls.volume.setValue(0)
    assert audio.output.volume() == 0
    controls.volume.setValue(55)
    quieter = audio.output.volume()

    # a new session remembers both
    _, again = rig(sound_project)
    assert again.user_muted and again.output.isMuted()
    assert again.volume == 55 and again.output.volume() == pytest.approx(quieter)
    again_controls = AudioControls(again)
    qtbot.addWidget(again_controls)
    assert again_controls.mute_action.isChecked() and again_controls.volume.value() == 55
    wait_loaded(qtbot, again)
    again_controls.mute_action.trigger()
    assert not again.output.isMuted()


def test_compositions_without_sound_disable_the_controls(
    rig, qtbot, sound_project, quiet_project, tmp_path
) -> None:
    _controller, audio = rig(quiet_project)
    controls = AudioControls(audio)
    qtbot.addWidget(controls)
    assert not audio.available and "no sound" in audio.reason
    assert not controls.volume.isEnabled() and not controls.mute_action.isEnabled()
    assert "no sound" in controls.volume.toolTip()

    audio.set_composition(load_composition(sound_project))
    wait_loaded(qtbot, audio)
    assert controls.volume.isEnabled()

    # a clip whose file is missing: no sound to play, the reason names the file
    broken = write_project(tmp_path / "broken", page(TONE_CLIP))
    audio.set_composition(load_composition(broken))
    qtbot.waitUntil(lambda: "cannot be played" in audio.reason, timeout=10_000)
    assert "tone.wav" in audio.reason
    assert not controls.volume.isEnabled() and audio.source is None


def test_a_save_remixes_only_when_the_sound_changed(rig, qtbot, sound_project) -> None:
    controller, audio = rig(sound_project)
    wait_loaded(qtbot, audio)
    controller.set_loop(True)
    controller.play()
    qtbot.waitUntil(
        lambda: audio.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState,
        timeout=2_000,
    )
    first = audio.source
    audio.set_composition(load_composition(sound_project), same=True)  # saved, same sound
    qtbot.wait(300)
    assert audio.source == first and audio.available
    assert audio.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    quieter = TONE_CLIP.replace('data-duration="3"', 'data-duration="3" data-volume="0.3"')
    (sound_project / "index.html").write_text(page(quieter), encoding="utf-8")
    audio.set_composition(load_composition(sound_project), same=True)
    qtbot.waitUntil(lambda: audio.source != first, timeout=20_000)
    qtbot.waitUntil(
        lambda: audio.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState,
        timeout=5_000,
    )  # the new mix plays on from the playhead
    readings = Readings(controller, audio)
    # A fresh player can start a little late on a busy machine; the sync corrects that
    # within two stretches (about a second), then it stays in step.
    start, end = play_for(qtbot, 2.0)
    readings.assert_in_step(start + 1.2, end, "after a remix")


def test_the_studio_window_wires_sound_and_m(
    open_window, qtbot, sound_project, quiet_project, monkeypatch, tmp_path
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    window = open_window(sound_project)
    audio = window.preview.audio
    qtbot.waitUntil(lambda: audio.available, timeout=30_000)
    assert window.preview.audio_controls.volume.isEnabled()
    assert (tmp_path / "cache" / "hyperframes-desktop" / "preview-audio").is_dir()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_M)
    assert audio.user_muted and audio.output.isMuted()
    qtbot.keyClick(window, Qt.Key.Key_M)
    assert not audio.user_muted
    window.open_project(quiet_project)
    qtbot.waitUntil(lambda: not audio.available, timeout=10_000)
    assert not window.preview.audio_controls.volume.isEnabled()


def test_a_remote_audio_clip_is_heard_through_the_resolver(
    rig, qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``<audio src="https://…">``: the preview mixes the resolver's cached copy."""
    import json

    from support.static_server import serve_folder

    from hyperframes_desktop.render.resources.settings import CACHE_DIR_ENV, ORIGIN_OVERRIDES_ENV
    from hyperframes_desktop.ui.preview.page import set_downloads_allowed

    host = "https://sounds-bucket.s3.amazonaws.com"
    make_tone(tmp_path / "site" / "tone.wav", seconds=4.0)
    remote = TONE_CLIP.replace('src="tone.wav"', f'src="{host}/tone.wav"')
    project = write_project(tmp_path / "remote", page(remote))
    with serve_folder(tmp_path / "site") as origin:
        monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "resources"))
        monkeypatch.setenv(ORIGIN_OVERRIDES_ENV, json.dumps({host: origin}))
        set_downloads_allowed(True)  # the studio's resolver, from this environment
        _controller, audio = rig(project)
        wait_loaded(qtbot, audio)
    assert audio.available
    assert any((tmp_path / "resources").rglob("blobs/*/*")), "fetched into the resource cache"
